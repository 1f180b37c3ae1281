//! The colour maps of the heatmap and the receptive fields as plain sRGB functions, shared
//! by the app (which builds its lookup tables from them) and the exported figures, so a
//! figure's colours are exactly the app's.

/// A colour map from `t ∈ [0, 1]` to an sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Palette {
    /// Sequential, perceptually uniform (matplotlib's viridis): non-negative weights.
    #[default]
    Viridis,
    /// Diverging blue–white–red (ColorBrewer RdBu), white at `t = ½`: signed values.
    Diverging,
    /// Black to white: stimuli.
    Grey,
}

/// Colour of a value that is not a number (a non-finite weight or block).
pub const NAN_RGB: [u8; 3] = [160, 160, 160];

impl Palette {
    /// The colour of `t` (clamped to `[0, 1]`; NaN gives [`NAN_RGB`]).
    pub fn rgb(self, t: f32) -> [u8; 3] {
        if t.is_nan() {
            return NAN_RGB;
        }
        let t = t.clamp(0.0, 1.0);
        let c = match self {
            Palette::Viridis => viridis(t),
            Palette::Diverging => diverging(t),
            Palette::Grey => [t, t, t],
        };
        c.map(|x| (x.clamp(0.0, 1.0) * 255.0).round() as u8)
    }

    /// Whether the map is meant for a range symmetric about zero.
    pub fn is_diverging(self) -> bool {
        matches!(self, Palette::Diverging)
    }
}

/// Polynomial fit of matplotlib's viridis in sRGB (Matt Zucker's CC0 fit, max error < 1/255 · 3).
pub fn viridis(t: f32) -> [f32; 3] {
    const C: [[f32; 3]; 7] = [
        [0.277_727_33, 0.005_407_344, 0.334_099_8],
        [0.105_093_04, 1.404_613_5, 1.384_590_1],
        [-0.330_861_83, 0.214_847_56, 0.095_095_16],
        [-4.634_230_5, -5.799_101, -19.332_441],
        [6.228_27, 14.179_933, 56.690_55],
        [4.776_385, -13.745_145, -65.353_03],
        [-5.435_456, 4.645_852_6, 26.312_435],
    ];
    let mut out = [0.0f32; 3];
    for (ch, o) in out.iter_mut().enumerate() {
        let mut acc = C[6][ch];
        for k in (0..6).rev() {
            acc = C[k][ch] + t * acc;
        }
        *o = acc;
    }
    out
}

/// ColorBrewer RdBu (11 classes), reversed so that low values are blue.
pub fn diverging(t: f32) -> [f32; 3] {
    const STOPS: [[u8; 3]; 11] = [
        [0x05, 0x30, 0x61],
        [0x21, 0x66, 0xac],
        [0x43, 0x93, 0xc3],
        [0x92, 0xc5, 0xde],
        [0xd1, 0xe5, 0xf0],
        [0xf7, 0xf7, 0xf7],
        [0xfd, 0xdb, 0xc7],
        [0xf4, 0xa5, 0x82],
        [0xd6, 0x60, 0x4d],
        [0xb2, 0x18, 0x2b],
        [0x67, 0x00, 0x1f],
    ];
    let x = t.clamp(0.0, 1.0) * 10.0;
    let k = (x.floor() as usize).min(9);
    let f = x - k as f32;
    let mut out = [0.0f32; 3];
    for (ch, o) in out.iter_mut().enumerate() {
        let a = f32::from(STOPS[k][ch]) / 255.0;
        let b = f32::from(STOPS[k + 1][ch]) / 255.0;
        *o = a + (b - a) * f;
    }
    out
}

/// `#rrggbb` of a colour, for SVG attributes.
pub fn hex(rgb: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_and_centre() {
        // matplotlib: viridis(0) = #440154, viridis(1) = #fde725 (the fit is within 6/255).
        let close = |a: [u8; 3], b: [u8; 3]| {
            a.iter()
                .zip(b)
                .all(|(&x, y)| (i32::from(x) - i32::from(y)).abs() <= 6)
        };
        assert!(close(Palette::Viridis.rgb(0.0), [0x44, 0x01, 0x54]));
        assert!(close(Palette::Viridis.rgb(1.0), [0xfd, 0xe7, 0x25]));
        assert_eq!(Palette::Diverging.rgb(0.5), [0xf7, 0xf7, 0xf7]);
        assert_eq!(Palette::Grey.rgb(1.0), [255, 255, 255]);
        assert_eq!(Palette::Grey.rgb(f32::NAN), NAN_RGB);
        assert_eq!(hex([0x31, 0x68, 0x8e]), "#31688e");
    }
}
