//! Line and scatter plots as SVG: a frame with grid, tick labels and axis labels, the
//! series clipped to the plot area, a legend in a corner and the title on top.

use std::fmt::Write;

use super::FigureError;
use super::axis::{self, Scale, Tick};
use super::palette::hex;
use super::svg::{SvgDoc, TextStyle, esc, num};

/// How a series is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Style {
    /// A polyline through the points.
    Line {
        /// Stroke width in user units.
        width: f64,
        /// Dashed (a guide rather than data).
        dashed: bool,
    },
    /// A dot at every point.
    Markers {
        /// Dot radius in user units.
        radius: f64,
    },
}

/// One named series of data points `[x, y]` (data units, not axis coordinates).
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Name in the legend.
    pub name: String,
    /// The points in data units.
    pub points: Vec<[f64; 2]>,
    /// sRGB colour.
    pub color: [u8; 3],
    /// Line or markers.
    pub style: Style,
}

/// An axis of a plot: its label and scale (the range comes from the data).
#[derive(Clone, Debug, PartialEq)]
pub struct AxisSpec {
    /// The axis label.
    pub label: String,
    /// Linear or log10.
    pub scale: Scale,
}

impl AxisSpec {
    /// A linear axis labelled `label`.
    pub fn linear(label: &str) -> Self {
        Self {
            label: label.into(),
            scale: Scale::Linear,
        }
    }

    /// A log10 axis labelled `label`.
    pub fn log(label: &str) -> Self {
        Self {
            label: label.into(),
            scale: Scale::Log10,
        }
    }
}

/// Where the legend sits inside the plot area: the preferred corner, unless another
/// corner covers fewer data points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Corner {
    /// Top right (most plots).
    #[default]
    TopRight,
    /// Top left.
    TopLeft,
    /// Bottom right.
    BottomRight,
    /// Bottom left (falling learning curves leave it empty).
    BottomLeft,
}

/// A plot of one or more series against shared axes.
#[derive(Clone, Debug, PartialEq)]
pub struct LinePlot {
    /// Title on top (and the SVG `<title>`).
    pub title: String,
    /// The horizontal axis.
    pub x: AxisSpec,
    /// The vertical axis.
    pub y: AxisSpec,
    /// The series, drawn in order (later on top), listed in the legend in order.
    pub series: Vec<Series>,
    /// Legend position.
    pub legend: Corner,
    /// Size `(width, height)` in user units (CSS pixels).
    pub size: (f64, f64),
}

/// A rectangle `[x0, x1] × [y0, y1]` in user units (y grows downwards).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left.
    pub x0: f64,
    /// Top.
    pub y0: f64,
    /// Right.
    pub x1: f64,
    /// Bottom.
    pub y1: f64,
}

impl Rect {
    /// The rectangle as SVG attributes: `x=".." y=".." width=".." height=".."`.
    pub fn svg_attrs(&self) -> String {
        format!(
            "x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"",
            num(self.x0),
            num(self.y0),
            num(self.x1 - self.x0),
            num(self.y1 - self.y0)
        )
    }
}

/// Where a plot's data land on the page: the plot area and the axis ranges (axis
/// coordinates, i.e. `log10` on log axes).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Layout {
    /// The plot area.
    pub area: Rect,
    /// Horizontal axis scale and `[lo, hi]`.
    pub x: (Scale, f64, f64),
    /// Vertical axis scale and `[lo, hi]`.
    pub y: (Scale, f64, f64),
}

impl Layout {
    /// The page position of a data point, `None` if an axis cannot show it.
    pub fn page_from_data(&self, [x, y]: [f64; 2]) -> Option<(f64, f64)> {
        let cx = self.x.0.coordinate(x)?;
        let cy = self.y.0.coordinate(y)?;
        Some(self.page_from_coordinates(cx, cy))
    }

    /// The page position of axis coordinates.
    pub fn page_from_coordinates(&self, cx: f64, cy: f64) -> (f64, f64) {
        let a = self.area;
        let (_, xlo, xhi) = self.x;
        let (_, ylo, yhi) = self.y;
        (
            a.x0 + (cx - xlo) / (xhi - xlo) * (a.x1 - a.x0),
            a.y1 - (cy - ylo) / (yhi - ylo) * (a.y1 - a.y0),
        )
    }
}

/// Default size of a line plot.
pub const PLOT_SIZE: (f64, f64) = (640.0, 420.0);

const MARGIN_LEFT: f64 = 80.0;
const MARGIN_RIGHT: f64 = 24.0;
const MARGIN_TOP: f64 = 44.0;
const MARGIN_BOTTOM: f64 = 58.0;
const GRID: &str = "#e4e4e4";
const FRAME: &str = "#555555";

impl LinePlot {
    /// The axis coordinates of every drawable point of every series.
    fn coordinates(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        self.series.iter().flat_map(move |s| {
            s.points.iter().filter_map(move |&[x, y]| {
                Some((self.x.scale.coordinate(x)?, self.y.scale.coordinate(y)?))
            })
        })
    }

    /// Where the data land; fails when no point can be drawn.
    pub fn layout(&self) -> Result<Layout, FigureError> {
        let xr = axis::padded_range(self.coordinates().map(|p| p.0));
        let yr = axis::padded_range(self.coordinates().map(|p| p.1));
        let (Some((xlo, xhi)), Some((ylo, yhi))) = (xr, yr) else {
            return Err(FigureError::NoData(format!(
                "“{}” has no points to plot",
                self.title
            )));
        };
        let (w, h) = self.size;
        Ok(Layout {
            area: Rect {
                x0: MARGIN_LEFT,
                y0: MARGIN_TOP,
                x1: (w - MARGIN_RIGHT).max(MARGIN_LEFT + 10.0),
                y1: (h - MARGIN_BOTTOM).max(MARGIN_TOP + 10.0),
            },
            x: (self.x.scale, xlo, xhi),
            y: (self.y.scale, ylo, yhi),
        })
    }

    /// The plot as an SVG document.
    pub fn to_svg(&self) -> Result<String, FigureError> {
        let layout = self.layout()?;
        let (w, h) = self.size;
        let a = layout.area;
        let mut doc = SvgDoc::new(w, h, &self.title);
        let x_ticks = axis::ticks(layout.x.0, layout.x.1, layout.x.2);
        let y_ticks = axis::ticks(layout.y.0, layout.y.1, layout.y.2);
        draw_axes(
            &mut doc,
            &layout,
            true,
            &x_ticks,
            &y_ticks,
            &self.x.label,
            &self.y.label,
        );
        let _ = write!(
            doc,
            "<clipPath id=\"plot-area\"><rect {}/></clipPath>\n<g clip-path=\"url(#plot-area)\">\n",
            a.svg_attrs()
        );
        for s in &self.series {
            doc.raw(&series_svg(s, &layout));
        }
        doc.raw("</g>\n");
        let corner = self.emptiest_corner(&layout);
        doc.raw(&legend_svg(&self.series, a, corner));
        Ok(doc.finish())
    }
}

impl LinePlot {
    /// The legend's corner: the preferred one unless another covers fewer points.
    fn emptiest_corner(&self, layout: &Layout) -> Corner {
        let (bw, bh) = legend_size(&self.series);
        let points: Vec<(f64, f64)> = self
            .series
            .iter()
            .flat_map(|s| s.points.iter().filter_map(|&p| layout.page_from_data(p)))
            .collect();
        let covered = |corner: Corner| {
            let (bx, by) = legend_origin(layout.area, corner, (bw, bh));
            points
                .iter()
                .filter(|&&(x, y)| x >= bx && x <= bx + bw && y >= by && y <= by + bh)
                .count()
        };
        let mut best = self.legend;
        let mut least = covered(best);
        for corner in [
            Corner::TopRight,
            Corner::TopLeft,
            Corner::BottomRight,
            Corner::BottomLeft,
        ] {
            let n = covered(corner);
            if n < least {
                best = corner;
                least = n;
            }
        }
        best
    }
}

/// Width and height of the legend box.
fn legend_size(series: &[Series]) -> (f64, f64) {
    let longest = series
        .iter()
        .map(|s| s.name.chars().count())
        .max()
        .unwrap_or(0) as f64;
    (
        40.0 + 7.0 * longest,
        10.0 + LEGEND_ROW * series.len() as f64,
    )
}

/// Top-left corner of the legend box in `corner` of the plot area.
fn legend_origin(a: Rect, corner: Corner, (bw, bh): (f64, f64)) -> (f64, f64) {
    match corner {
        Corner::TopRight => (a.x1 - bw - 8.0, a.y0 + 8.0),
        Corner::TopLeft => (a.x0 + 8.0, a.y0 + 8.0),
        Corner::BottomRight => (a.x1 - bw - 8.0, a.y1 - bh - 8.0),
        Corner::BottomLeft => (a.x0 + 8.0, a.y1 - bh - 8.0),
    }
}

const LEGEND_ROW: f64 = 18.0;

/// Frame, grid lines (when `grid`: not over pictures), ticks with labels, and the two
/// axis labels.
pub(super) fn draw_axes(
    doc: &mut SvgDoc,
    layout: &Layout,
    grid: bool,
    x_ticks: &[Tick],
    y_ticks: &[Tick],
    x_label: &str,
    y_label: &str,
) {
    let a = layout.area;
    doc.raw("<g class=\"axes\">\n");
    for t in x_ticks {
        let (x, _) = layout.page_from_coordinates(t.at, layout.y.1);
        if grid {
            doc.line((x, a.y0), (x, a.y1), GRID, 1.0);
        }
        doc.line((x, a.y1), (x, a.y1 + 5.0), FRAME, 1.0);
        doc.text(
            x,
            a.y1 + 19.0,
            &TextStyle::plain(12.0, "middle", "tick-x"),
            &t.label,
        );
    }
    for t in y_ticks {
        let (_, y) = layout.page_from_coordinates(layout.x.1, t.at);
        if grid {
            doc.line((a.x0, y), (a.x1, y), GRID, 1.0);
        }
        doc.line((a.x0 - 5.0, y), (a.x0, y), FRAME, 1.0);
        doc.text(
            a.x0 - 8.0,
            y + 4.0,
            &TextStyle::plain(12.0, "end", "tick-y"),
            &t.label,
        );
    }
    let _ = writeln!(
        doc,
        "<rect class=\"frame\" {} fill=\"none\" stroke=\"{FRAME}\" stroke-width=\"1\"/>",
        a.svg_attrs()
    );
    doc.text(
        (a.x0 + a.x1) / 2.0,
        a.y1 + 42.0,
        &TextStyle::plain(13.0, "middle", "axis-label-x"),
        x_label,
    );
    doc.text(
        a.x0 - 58.0,
        (a.y0 + a.y1) / 2.0,
        &TextStyle {
            rotate: true,
            ..TextStyle::plain(13.0, "middle", "axis-label-y")
        },
        y_label,
    );
    doc.raw("</g>\n");
}

/// One series: a polyline, or a group of dots.
fn series_svg(s: &Series, layout: &Layout) -> String {
    let pts: Vec<(f64, f64)> = s
        .points
        .iter()
        .filter_map(|&p| layout.page_from_data(p))
        .collect();
    let colour = hex(s.color);
    let mut out = String::new();
    match s.style {
        Style::Line { width, dashed } => {
            let dash = if dashed {
                " stroke-dasharray=\"7 5\""
            } else {
                ""
            };
            let coords: Vec<String> = pts
                .iter()
                .map(|&(x, y)| format!("{},{}", num(x), num(y)))
                .collect();
            let _ = writeln!(
                out,
                "<polyline class=\"series\" data-series=\"{}\" points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"{}\" stroke-linejoin=\"round\" stroke-linecap=\"round\"{dash}/>",
                esc(&s.name),
                coords.join(" "),
                num(width)
            );
        }
        Style::Markers { radius } => {
            let _ = writeln!(
                out,
                "<g class=\"series\" data-series=\"{}\" fill=\"{colour}\">",
                esc(&s.name)
            );
            for (x, y) in pts {
                let _ = writeln!(
                    out,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"{}\"/>",
                    num(x),
                    num(y),
                    num(radius)
                );
            }
            out.push_str("</g>\n");
        }
    }
    out
}

/// The legend: a white box with a sample of each series and its name.
fn legend_svg(series: &[Series], a: Rect, corner: Corner) -> String {
    if series.is_empty() {
        return String::new();
    }
    let row = LEGEND_ROW;
    let (bw, bh) = legend_size(series);
    let (bx, by) = legend_origin(a, corner, (bw, bh));
    let mut out = String::from("<g class=\"legend\">\n");
    let _ = writeln!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#ffffff\" fill-opacity=\"0.9\" stroke=\"#bbbbbb\"/>",
        num(bx),
        num(by),
        num(bw),
        num(bh)
    );
    for (k, s) in series.iter().enumerate() {
        let y = by + 5.0 + row * (k as f64 + 0.5);
        let colour = hex(s.color);
        match s.style {
            Style::Line { width, dashed } => {
                let dash = if dashed {
                    " stroke-dasharray=\"7 5\""
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{colour}\" stroke-width=\"{}\"{dash}/>",
                    num(bx + 6.0),
                    num(y),
                    num(bx + 30.0),
                    num(y),
                    num(width)
                );
            }
            Style::Markers { radius } => {
                let _ = writeln!(
                    out,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{colour}\"/>",
                    num(bx + 18.0),
                    num(y),
                    num(radius.max(3.0))
                );
            }
        }
        let _ = writeln!(
            out,
            "<text class=\"legend-entry\" x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#222222\">{}</text>",
            num(bx + 36.0),
            num(y + 4.0),
            esc(&s.name)
        );
    }
    out.push_str("</g>\n");
    out
}
