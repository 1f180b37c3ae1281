//! A few helpers that write SVG text directly: escaping, compact numbers, and the
//! document frame every figure shares (size, font, white background, title).

use std::fmt::Write;

/// The font stack of every figure: DejaVu Sans is what the PNG renderer embeds
/// ([`super::raster`]), so SVG and PNG look alike where the viewer has it too.
pub const FONT_FAMILY: &str = "DejaVu Sans, Verdana, Helvetica, Arial, sans-serif";

/// Text escaped for XML content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// A coordinate with two decimals and no trailing zeros (`12.5`, `3`, `-0.25`).
pub fn num(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// An SVG document being written.
pub struct SvgDoc {
    out: String,
}

impl SvgDoc {
    /// Opens a `width × height` document (user units = CSS pixels) with a white
    /// background and `title` as its accessible title and as the heading at the top.
    pub fn new(width: f64, height: f64, title: &str) -> Self {
        let mut out = String::with_capacity(16 * 1024);
        let _ = write!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" \
             xmlns:xlink=\"http://www.w3.org/1999/xlink\" version=\"1.1\" width=\"{w}\" height=\"{h}\" \
             viewBox=\"0 0 {w} {h}\" font-family=\"{FONT_FAMILY}\">\n<title>{t}</title>\n\
             <rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n",
            w = num(width),
            h = num(height),
            t = esc(title),
        );
        let mut doc = Self { out };
        doc.text(
            width / 2.0,
            24.0,
            &TextStyle {
                size: 15.0,
                anchor: "middle",
                class: "title",
                bold: true,
                rotate: false,
            },
            title,
        );
        doc
    }

    /// Appends raw markup (already escaped).
    pub fn raw(&mut self, markup: &str) {
        self.out.push_str(markup);
    }

    /// A text element at `(x, y)` (baseline).
    pub fn text(&mut self, x: f64, y: f64, style: &TextStyle, content: &str) {
        let transform = if style.rotate {
            format!(" transform=\"rotate(-90 {} {})\"", num(x), num(y))
        } else {
            String::new()
        };
        let weight = if style.bold {
            " font-weight=\"bold\""
        } else {
            ""
        };
        let _ = writeln!(
            self.out,
            "<text class=\"{}\" x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{}\" fill=\"#222222\"{weight}{transform}>{}</text>",
            style.class,
            num(x),
            num(y),
            num(style.size),
            style.anchor,
            esc(content)
        );
    }

    /// A line segment.
    pub fn line(&mut self, (x1, y1): (f64, f64), (x2, y2): (f64, f64), stroke: &str, width: f64) {
        let _ = writeln!(
            self.out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{stroke}\" stroke-width=\"{}\"/>",
            num(x1),
            num(y1),
            num(x2),
            num(y2),
            num(width)
        );
    }

    /// The finished document.
    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }
}

/// Raw markup written with `write!` (already escaped), like [`SvgDoc::raw`].
impl Write for SvgDoc {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.out.push_str(s);
        Ok(())
    }
}

/// How a text element looks.
#[derive(Clone, Copy, Debug)]
pub struct TextStyle {
    /// Font size in user units.
    pub size: f64,
    /// `start`, `middle` or `end`.
    pub anchor: &'static str,
    /// The element's class (tests and style sheets find labels by it).
    pub class: &'static str,
    /// Bold.
    pub bold: bool,
    /// Turned by −90° about its anchor (a y-axis label).
    pub rotate: bool,
}

impl TextStyle {
    /// Plain text of `size` anchored as given.
    pub fn plain(size: f64, anchor: &'static str, class: &'static str) -> Self {
        Self {
            size,
            anchor,
            class,
            bold: false,
            rotate: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_numbers() {
        assert_eq!(esc("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(num(12.5), "12.5");
        assert_eq!(num(3.0), "3");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(-0.25), "-0.25");
    }
}
