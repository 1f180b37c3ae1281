//! Colour-blind-safe colour maps as 256-entry lookup tables of egui colours: the egui
//! half of [`Colormap`] (which map, its name and palette are in the library,
//! [`crate::figure::colour_scale`]; these methods need egui, so they build with `gui`).
//!
//! `Viridis` (perceptually uniform, sequential) is the default for concurrence weights,
//! which are non-negative; `Diverging` (ColorBrewer RdBu, blue = negative, white = 0,
//! red = positive) is for signed weights (covariance, temporal rules). Both stay
//! readable for the common forms of colour blindness and in greyscale print. The colours
//! are the exported figures' [`Palette`]s, sampled once into a table.

use egui::Color32;

pub use crate::figure::colour_scale::Colormap;
use crate::figure::palette::{NAN_RGB, Palette};

impl Colormap {
    /// The 256-entry lookup table.
    pub fn lut(self) -> &'static [Color32; 256] {
        use std::sync::OnceLock;
        static VIRIDIS: OnceLock<[Color32; 256]> = OnceLock::new();
        static DIVERGING: OnceLock<[Color32; 256]> = OnceLock::new();
        let table = match self {
            Colormap::Viridis => &VIRIDIS,
            Colormap::Diverging => &DIVERGING,
        };
        table.get_or_init(|| build_lut(self.palette()))
    }

    /// Colour of a value `t ∈ [0, 1]` (clamped; NaN maps to the figures' grey).
    pub fn color(self, t: f32) -> Color32 {
        if t.is_nan() {
            let [r, g, b] = NAN_RGB;
            return Color32::from_rgb(r, g, b);
        }
        self.lut()[(t.clamp(0.0, 1.0) * 255.0).round() as usize]
    }
}

/// `palette` sampled at 256 evenly spaced values.
fn build_lut(palette: Palette) -> [Color32; 256] {
    let mut lut = [Color32::BLACK; 256];
    for (k, c) in lut.iter_mut().enumerate() {
        let [r, g, b] = palette.rgb(k as f32 / 255.0);
        *c = Color32::from_rgb(r, g, b);
    }
    lut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viridis_endpoints_match_matplotlib() {
        // matplotlib: viridis(0) = #440154, viridis(1) = #fde725.
        let lo = Colormap::Viridis.color(0.0);
        let hi = Colormap::Viridis.color(1.0);
        let close = |a: u8, b: u8| (i32::from(a) - i32::from(b)).abs() <= 6;
        assert!(
            close(lo.r(), 0x44) && close(lo.g(), 0x01) && close(lo.b(), 0x54),
            "{lo:?}"
        );
        assert!(
            close(hi.r(), 0xfd) && close(hi.g(), 0xe7) && close(hi.b(), 0x25),
            "{hi:?}"
        );
    }

    #[test]
    fn viridis_lightness_increases_monotonically() {
        let lum = |c: Color32| {
            0.2126 * f32::from(c.r()) + 0.7152 * f32::from(c.g()) + 0.0722 * f32::from(c.b())
        };
        let lut = Colormap::Viridis.lut();
        for k in 1..256 {
            assert!(
                lum(lut[k]) + 1.5 >= lum(lut[k - 1]),
                "lightness drops at {k}"
            );
        }
    }

    #[test]
    fn diverging_is_white_in_the_middle_and_blue_red_at_the_ends() {
        let mid = Colormap::Diverging.color(0.5);
        assert!(mid.r() > 240 && mid.g() > 240 && mid.b() > 240, "{mid:?}");
        let lo = Colormap::Diverging.color(0.0);
        let hi = Colormap::Diverging.color(1.0);
        assert!(lo.b() > lo.r(), "low end should be blue: {lo:?}");
        assert!(hi.r() > hi.b(), "high end should be red: {hi:?}");
    }
}
