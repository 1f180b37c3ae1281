//! Pictures with axes as SVG — the weight matrix, a 2-D stimulus or receptive field: the
//! cells embedded as a PNG `<image>` (base64 data URI, enlarged without smoothing so
//! every viewer shows sharp cells), axes with tick labels, a vector colour bar as the
//! legend, and the title.

use std::fmt::Write;

use base64::Engine;

use super::FigureError;
use super::axis::{self, Scale};
use super::line_plot::{Layout, Rect, draw_axes};
use super::palette::{Palette, hex};
use super::svg::{SvgDoc, TextStyle, num};

/// An axis of a picture: its label and the values at the picture's two edges.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageAxis {
    /// The axis label.
    pub label: String,
    /// The value at the left (x) or top (y) edge, and at the right or bottom edge.
    pub extent: (f64, f64),
}

/// A grid of values drawn in a colour map.
#[derive(Clone, Debug, PartialEq)]
pub struct ImagePlot {
    /// Title on top (and the SVG `<title>`).
    pub title: String,
    /// Cells per row.
    pub columns: usize,
    /// Rows (row 0 at the top).
    pub rows: usize,
    /// Row-major values; `None` is transparent (outside a round retina), NaN is grey.
    pub cells: Vec<Option<f32>>,
    /// The colour map.
    pub palette: Palette,
    /// The values drawn at the two ends of the colour map.
    pub range: (f32, f32),
    /// The horizontal axis.
    pub x: ImageAxis,
    /// The vertical axis.
    pub y: ImageAxis,
    /// Label of the colour bar (what the colours mean).
    pub colorbar_label: String,
    /// Size `(width, height)` in user units.
    pub size: (f64, f64),
}

/// Default size of a picture figure.
pub const IMAGE_SIZE: (f64, f64) = (620.0, 520.0);

/// The embedded PNG is enlarged to at least this many pixels across (nearest neighbour).
const MIN_EMBEDDED_PX: usize = 512;
/// … and at most this many, so big matrices do not balloon the file.
const MAX_EMBEDDED_PX: usize = 2048;

const COLORBAR_GAP: f64 = 18.0;
const COLORBAR_WIDTH: f64 = 18.0;
const COLORBAR_MARGIN: f64 = 92.0;

impl ImagePlot {
    /// Checks that the cells fill the grid.
    fn check(&self) -> Result<(), FigureError> {
        if self.columns == 0 || self.rows == 0 {
            return Err(FigureError::NoData(format!("“{}” is empty", self.title)));
        }
        if self.cells.len() != self.columns * self.rows {
            return Err(FigureError::NoData(format!(
                "“{}” has {} cells for a {} × {} grid",
                self.title,
                self.cells.len(),
                self.rows,
                self.columns
            )));
        }
        Ok(())
    }

    /// Where the picture lands: square cells, as large as the page allows.
    pub fn layout(&self) -> Result<Layout, FigureError> {
        self.check()?;
        let (w, h) = self.size;
        let avail_w = (w - 80.0 - COLORBAR_MARGIN - COLORBAR_GAP).max(10.0);
        let avail_h = (h - 44.0 - 58.0).max(10.0);
        let cell = (avail_w / self.columns as f64).min(avail_h / self.rows as f64);
        let (iw, ih) = (cell * self.columns as f64, cell * self.rows as f64);
        let x0 = 80.0;
        let y0 = 44.0 + (avail_h - ih) / 2.0;
        let (left, right) = self.x.extent;
        let (top, bottom) = self.y.extent;
        Ok(Layout {
            area: Rect {
                x0,
                y0,
                x1: x0 + iw,
                y1: y0 + ih,
            },
            x: (Scale::Linear, left, right),
            // `Layout` puts `lo` at the bottom: the bottom edge's value goes first.
            y: (Scale::Linear, bottom, top),
        })
    }

    /// The colour of one cell (RGBA; `None` cells are transparent).
    pub fn cell_rgba(&self, value: Option<f32>) -> [u8; 4] {
        let Some(v) = value else {
            return [0, 0, 0, 0];
        };
        let (lo, hi) = self.range;
        let span = if hi > lo { hi - lo } else { 1.0 };
        let [r, g, b] = self.palette.rgb((v - lo) / span);
        [r, g, b, 255]
    }

    /// The cells as a PNG, each cell `scale × scale` pixels.
    pub fn cells_png(&self, scale: usize) -> Result<Vec<u8>, FigureError> {
        self.check()?;
        let scale = scale.max(1);
        let (w, h) = (self.columns * scale, self.rows * scale);
        let mut img = image::RgbaImage::new(w as u32, h as u32);
        for (k, &v) in self.cells.iter().enumerate() {
            let rgba = image::Rgba(self.cell_rgba(v));
            let (r, c) = (k / self.columns, k % self.columns);
            for dy in 0..scale {
                for dx in 0..scale {
                    img.put_pixel((c * scale + dx) as u32, (r * scale + dy) as u32, rgba);
                }
            }
        }
        super::raster::encode_png(&image::DynamicImage::ImageRgba8(img))
    }

    /// The enlargement of the embedded PNG: at least [`MIN_EMBEDDED_PX`] across when
    /// that stays below [`MAX_EMBEDDED_PX`].
    pub fn embedded_scale(&self) -> usize {
        let side = self.columns.max(self.rows).max(1);
        let scale = MIN_EMBEDDED_PX.div_ceil(side).max(1);
        scale.min((MAX_EMBEDDED_PX / side).max(1))
    }

    /// The picture as an SVG document.
    pub fn to_svg(&self) -> Result<String, FigureError> {
        let layout = self.layout()?;
        let a = layout.area;
        let (w, h) = self.size;
        let mut doc = SvgDoc::new(w, h, &self.title);
        let png = self.cells_png(self.embedded_scale())?;
        let uri = format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(png)
        );
        // Both `href` (SVG 2) and `xlink:href` (SVG 1.1: older Inkscape and librsvg).
        let _ = writeln!(
            doc,
            "<image class=\"cells\" {} preserveAspectRatio=\"none\" image-rendering=\"optimizeSpeed\" style=\"image-rendering:pixelated\" href=\"{uri}\" xlink:href=\"{uri}\"/>",
            a.svg_attrs()
        );
        let x_ticks = axis::linear_ticks(layout.x.1, layout.x.2);
        let y_ticks = axis::linear_ticks(layout.y.1, layout.y.2);
        draw_axes(
            &mut doc,
            &layout,
            false,
            &x_ticks,
            &y_ticks,
            &self.x.label,
            &self.y.label,
        );
        self.colorbar(&mut doc, a);
        Ok(doc.finish())
    }

    /// The colour bar right of the picture: a vector gradient with ticks and its label.
    fn colorbar(&self, doc: &mut SvgDoc, a: Rect) {
        let x0 = a.x1 + COLORBAR_GAP;
        let (y0, y1) = (a.y0, a.y1);
        let (lo, hi) = (f64::from(self.range.0), f64::from(self.range.1));
        let _ = writeln!(
            doc,
            "<g class=\"colorbar\">\n<linearGradient id=\"colorbar-gradient\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">"
        );
        const STOPS: usize = 32;
        for k in 0..=STOPS {
            let t = k as f32 / STOPS as f32;
            let _ = writeln!(
                doc,
                "<stop offset=\"{}\" stop-color=\"{}\"/>",
                num(f64::from(t)),
                hex(self.palette.rgb(t))
            );
        }
        let _ = writeln!(
            doc,
            "</linearGradient>\n<rect x=\"{}\" y=\"{}\" width=\"{COLORBAR_WIDTH}\" height=\"{}\" fill=\"url(#colorbar-gradient)\" stroke=\"#555555\"/>",
            num(x0),
            num(y0),
            num(y1 - y0)
        );
        if hi > lo {
            for t in axis::linear_ticks(lo, hi) {
                let y = y1 - (t.at - lo) / (hi - lo) * (y1 - y0);
                doc.line(
                    (x0 + COLORBAR_WIDTH, y),
                    (x0 + COLORBAR_WIDTH + 4.0, y),
                    "#555555",
                    1.0,
                );
                doc.text(
                    x0 + COLORBAR_WIDTH + 7.0,
                    y + 4.0,
                    &TextStyle::plain(12.0, "start", "tick-c"),
                    &t.label,
                );
            }
        }
        doc.text(
            x0 + COLORBAR_WIDTH + 62.0,
            (y0 + y1) / 2.0,
            &TextStyle {
                rotate: true,
                ..TextStyle::plain(13.0, "middle", "axis-label-c")
            },
            &self.colorbar_label,
        );
        let _ = writeln!(doc, "</g>");
    }
}
