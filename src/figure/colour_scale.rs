//! The heatmap's colour scale: which colour map (a [`Palette`] the app offers) and which
//! range — automatic from the data, or fixed by the user. Shared by the app's heatmap,
//! its remembered settings and the exported figures. The app samples each map into a
//! lookup table of egui colours (`app/views/colormap.rs`).

use ndarray::ArrayView2;

use crate::figure::order::{colour_range, off_diagonal_range};
use crate::figure::palette::Palette;

/// Which colour map the heatmap uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, clap::ValueEnum)]
pub enum Colormap {
    /// Sequential, perceptually uniform (matplotlib's viridis).
    #[default]
    Viridis,
    /// Diverging blue–white–red (ColorBrewer RdBu), centred on zero.
    Diverging,
}

impl Colormap {
    /// Human-readable name.
    pub fn name(self) -> &'static str {
        match self {
            Colormap::Viridis => "viridis",
            Colormap::Diverging => "blue–white–red",
        }
    }

    /// The map whose [`Colormap::name`] is `name`.
    pub fn named(name: &str) -> Option<Self> {
        <Self as clap::ValueEnum>::value_variants()
            .iter()
            .copied()
            .find(|c| c.name() == name)
    }

    /// The figures' palette with the same colours.
    pub fn palette(self) -> Palette {
        match self {
            Colormap::Viridis => Palette::Viridis,
            Colormap::Diverging => Palette::Diverging,
        }
    }

    /// Whether the map is meant for a range symmetric about zero.
    pub fn is_diverging(self) -> bool {
        self.palette().is_diverging()
    }
}

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

/// The range used for data whose off-diagonal values span `[lo, hi]` (non-finite ends:
/// no data): the fixed range if `mode` is one, else as [`resolve_range`].
pub fn range_of(lo: f32, hi: f32, colormap: Colormap, mode: RangeMode) -> (f32, f32) {
    fixed_range(mode).unwrap_or_else(|| {
        let data = (lo.is_finite() && hi.is_finite()).then_some((lo, hi));
        colour_range(data, colormap.is_diverging())
    })
}

/// The range of `mode` if it is fixed and usable (finite, `lo < hi`).
pub fn fixed_range(mode: RangeMode) -> Option<(f32, f32)> {
    match mode {
        RangeMode::Fixed(lo, hi) if lo.is_finite() && hi.is_finite() && hi > lo => Some((lo, hi)),
        _ => None,
    }
}
