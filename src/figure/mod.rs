//! Figures for papers and slides, written from the plotted data: every plot of the app as
//! SVG (vector, with axes, tick labels, legend and title) and as PNG at 2× scale; the
//! weight matrix and 2-D patterns as SVG with the cells embedded as a PNG image and a
//! vector colour bar. No GUI types: the app, the `figure` command and tests share it.
//!
//! The SVG is written directly (a few hundred lines, no plotting dependency); the PNG is
//! that SVG rendered by `resvg` ([`raster`]), so the two always agree.

use std::path::{Path, PathBuf};

pub mod axis;
pub mod block_means;
pub mod colour_scale;
pub mod image_plot;
pub mod learning_curves;
pub mod line_plot;
pub mod note_axis;
pub mod order;
pub mod palette;
pub mod raster;
pub mod svg;
pub mod views;

pub use image_plot::{ImageAxis, ImagePlot};
pub use line_plot::{AxisSpec, Corner, Layout, LinePlot, Series, Style};
pub use palette::Palette;

/// The scale of exported PNGs: twice the SVG's size, sharp on slides and in print.
pub const PNG_SCALE: f32 = 2.0;

/// Why a figure could not be made or written.
#[derive(Debug, thiserror::Error)]
pub enum FigureError {
    /// There is nothing to draw (e.g. an untrained run has no learning curve).
    #[error("nothing to plot: {0}")]
    NoData(String),
    /// Rendering the PNG failed.
    #[error("cannot render the figure: {0}")]
    Render(String),
    /// The output's extension names no format this module writes.
    #[error("`{path}`: give a file name ending in .svg or .png")]
    Extension {
        /// The output path.
        path: PathBuf,
    },
    /// Writing the file failed.
    #[error("{}", crate::io::atomic::write_failure("write", path, cause))]
    Io {
        /// The output path.
        path: PathBuf,
        /// The underlying error.
        cause: std::io::Error,
    },
}

/// A figure: a plot of series, or a picture with a colour bar.
#[derive(Clone, Debug, PartialEq)]
pub enum Figure {
    /// Lines or dots against axes.
    Lines(LinePlot),
    /// A grid of values in a colour map.
    Image(ImagePlot),
}

impl Figure {
    /// The title.
    pub fn title(&self) -> &str {
        match self {
            Figure::Lines(p) => &p.title,
            Figure::Image(p) => &p.title,
        }
    }

    /// The figure as an SVG document.
    pub fn to_svg(&self) -> Result<String, FigureError> {
        match self {
            Figure::Lines(p) => p.to_svg(),
            Figure::Image(p) => p.to_svg(),
        }
    }

    /// The figure as PNG bytes at `scale` × the SVG's size.
    pub fn to_png(&self, scale: f32) -> Result<Vec<u8>, FigureError> {
        raster::png_from_svg(&self.to_svg()?, scale)
    }

    /// The file's bytes in `format` (PNG at [`PNG_SCALE`]).
    pub fn encode(&self, format: Format) -> Result<Vec<u8>, FigureError> {
        match format {
            Format::Svg => Ok(self.to_svg()?.into_bytes()),
            Format::Png => self.to_png(PNG_SCALE),
        }
    }
}

impl From<LinePlot> for Figure {
    fn from(p: LinePlot) -> Self {
        Figure::Lines(p)
    }
}

impl From<ImagePlot> for Figure {
    fn from(p: ImagePlot) -> Self {
        Figure::Image(p)
    }
}

/// A figure file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Scalable vector graphics.
    Svg,
    /// A PNG picture at [`PNG_SCALE`].
    Png,
}

impl Format {
    /// The format named by a path's extension (`.svg` or `.png`, any case).
    pub fn from_path(path: &Path) -> Result<Self, FigureError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("svg") => Ok(Format::Svg),
            Some("png") => Ok(Format::Png),
            _ => Err(FigureError::Extension {
                path: path.to_path_buf(),
            }),
        }
    }

    /// The extension without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Png => "png",
        }
    }
}

/// Writes `figure` to `path` (atomically) in the format its extension names.
pub fn write(path: &Path, figure: &Figure) -> Result<(), FigureError> {
    let format = Format::from_path(path)?;
    let bytes = figure.encode(format)?;
    crate::io::atomic::write_atomically(path, |w| std::io::Write::write_all(w, &bytes)).map_err(
        |cause| FigureError::Io {
            path: path.to_path_buf(),
            cause,
        },
    )
}
