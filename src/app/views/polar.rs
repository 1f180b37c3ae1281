//! Egui images of the log-polar retina: its samples as a round, smooth picture
//! ([`crate::transform::polar_render`]) in grey or in the diverging colours of receptive
//! fields, with a transparent outside so the disc sits on the panel.

use egui::{Color32, ColorImage};

use crate::app::views::colormap::Colormap;
use crate::model::world::polar::PolarGrid;
use crate::transform::polar_render::render_disc;

/// Pixels across the round pictures (textures are drawn with linear filtering).
pub const DISC_PX: usize = 320;

fn to_image(levels: Vec<Option<u8>>, size: usize, colour: impl Fn(u8) -> Color32) -> ColorImage {
    let pixels = levels
        .into_iter()
        .map(|g| g.map_or(Color32::TRANSPARENT, &colour))
        .collect();
    ColorImage::new([size, size], pixels)
}

/// Grey disc of `values` with `(lo, hi)` mapped to black and white. A frame of the wrong
/// length gives an empty (transparent) picture.
pub fn grey_disc(grid: &PolarGrid, values: &[f32], size: usize, range: (f32, f32)) -> ColorImage {
    let levels = render_disc(grid, values, size, range).unwrap_or_else(|_| vec![None; size * size]);
    to_image(levels, size, Color32::from_gray)
}

/// Grey disc scaled to the pattern's own `[min, max]`.
pub fn grey_disc_auto(grid: &PolarGrid, values: &[f32], size: usize) -> ColorImage {
    grey_disc(
        grid,
        values,
        size,
        crate::transform::export::value_range(&[values.to_vec()]),
    )
}

/// Diverging disc of a signed pattern (a receptive field), 0 = white.
pub fn signed_disc(grid: &PolarGrid, values: &[f32], size: usize) -> ColorImage {
    let m = values
        .iter()
        .fold(0.0f32, |m, v| m.max(v.abs()))
        .max(f32::MIN_POSITIVE);
    let levels =
        render_disc(grid, values, size, (-m, m)).unwrap_or_else(|_| vec![None; size * size]);
    to_image(levels, size, |g| {
        Colormap::Diverging.color(f32::from(g) / 255.0)
    })
}

/// A disc of grey levels already rendered (e.g. a turned photo).
pub fn levels_image(levels: Vec<Option<u8>>, size: usize) -> ColorImage {
    to_image(levels, size, Color32::from_gray)
}
