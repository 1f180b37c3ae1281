//! The heatmap's colour range: automatic from the data, or fixed by the user.

use ndarray::ArrayView2;

use crate::app::views::colormap::Colormap;
use crate::figure::order::{colour_range, off_diagonal_range};

/// Colour range of the heatmap.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub enum RangeMode {
    /// From the data: `[min, max]` off the diagonal (symmetric about 0 for diverging maps).
    #[default]
    Auto,
    /// Fixed `[lo, hi]`.
    Fixed(f32, f32),
}

/// The colour range actually used: `[min, max]` of the off-diagonal entries for
/// sequential maps, `[−m, m]` with `m = max |w|` for diverging maps.
pub fn resolve_range(w: ArrayView2<f32>, colormap: Colormap, mode: RangeMode) -> (f32, f32) {
    if let Some(fixed) = fixed_range(mode) {
        return fixed;
    }
    colour_range(off_diagonal_range(w), colormap.is_diverging())
}

pub(super) fn fixed_range(mode: RangeMode) -> Option<(f32, f32)> {
    match mode {
        RangeMode::Fixed(lo, hi) if lo.is_finite() && hi.is_finite() && hi > lo => Some((lo, hi)),
        _ => None,
    }
}

/// Turns the off-diagonal `[lo, hi]` of the data into the range used for colouring.
pub(super) fn finish_range(lo: f32, hi: f32, colormap: Colormap) -> (f32, f32) {
    let data = (lo.is_finite() && hi.is_finite()).then_some((lo, hi));
    colour_range(data, colormap.is_diverging())
}
