//! Showing a permutation of neurons acting on the input (SPEC §7).
//!
//! A permutation `π` of detectors found by the search is turned into something a
//! person can look at:
//! - [`induced_map`]: the map on pixels, receptive-field positions and kernels that
//!   `π` induces, with the fraction of agreeing votes as its confidence;
//! - [`decode`]: the detector code of a pattern and its least-squares inverse;
//! - [`orbit`]: the orbit `s, π·s, π²·s, …` rendered *crisp* (the induced pixel map)
//!   and *honest* (encode, permute the activities, decode);
//! - [`equivariance`]: `‖enc(g·s) − π·enc(s)‖ / ‖enc(s)‖` over test stimuli;
//! - [`export`]: PNG frames, an animated GIF and `orbit.npy`;
//! - [`animation`]: the map, orbit and equivariance error of one permutation acting
//!   on one pattern together, as the app's transformation view shows them;
//! - [`image_input`]: opening a photo and fitting it to the retina;
//! - [`polar_render`]: the log-polar retina drawn as a round, foveated picture, and a
//!   full-resolution photo turned by the angle of a found rotation.
//!
//! Pixel layout (shared with the rest of the crate): a ring pixel `x` has index `x`;
//! a 2-D pixel in column `x`, row `y` has index `y · side + x`.

pub mod animation;
pub mod decode;
pub mod equivariance;
pub mod export;
pub mod image_input;
pub mod induced_map;
pub mod orbit;
pub mod polar_render;
pub mod video;

pub use decode::{Decoder, encode};
pub use equivariance::{
    EquivarianceProbe, equivariance_error, equivariance_error_of_true_transformation,
};
pub use induced_map::InducedMap;
pub use orbit::Orbit;

use crate::model::Space;

/// Something that does not fit together: a pattern, a code or a permutation of the wrong size.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransformError {
    /// A vector or matrix has the wrong length.
    #[error("{what} has length {found}, expected {expected}")]
    SizeMismatch {
        /// What was checked (e.g. "permutation", "stimulus").
        what: &'static str,
        /// The length required.
        expected: usize,
        /// The length given.
        found: usize,
    },
    /// The bank has no detectors or the space no pixels.
    #[error("empty bank: {0}")]
    EmptyBank(String),
    /// The regularised normal equations are not positive definite (NaN or infinite fields).
    #[error("the bank cannot be inverted: {0}")]
    Singular(String),
}

/// Number of pixels of a space (a ring of `n`, or `side²`).
pub fn pixel_count(space: Space) -> usize {
    match space {
        Space::Ring { n } | Space::Line { n } => n,
        Space::Torus { side } | Space::Square { side } => side * side,
        Space::Polar { rings, sectors, .. } => rings * sectors,
    }
}

/// `(width, height)` of a space laid out as an image: `(n, 1)` for a ring, `(sectors,
/// rings)` for the polar retina (its samples as a rectangle; [`polar_render`] draws it round).
pub fn image_shape(space: Space) -> (usize, usize) {
    match space {
        Space::Ring { n } | Space::Line { n } => (n, 1),
        Space::Torus { side } | Space::Square { side } => (side, side),
        Space::Polar { rings, sectors, .. } => (sectors, rings),
    }
}

/// Checks that a slice has the expected length.
pub(crate) fn check_len(
    what: &'static str,
    expected: usize,
    found: usize,
) -> Result<(), TransformError> {
    if expected == found {
        Ok(())
    } else {
        Err(TransformError::SizeMismatch {
            what,
            expected,
            found,
        })
    }
}

/// Pearson correlation of two equally long vectors (0 when either is constant).
pub fn correlation(a: &[f32], b: &[f32]) -> f64 {
    let n = a.len().min(b.len());
    if n == 0 {
        return 0.0;
    }
    let ma = a[..n].iter().map(|&x| x as f64).sum::<f64>() / n as f64;
    let mb = b[..n].iter().map(|&x| x as f64).sum::<f64>() / n as f64;
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for k in 0..n {
        let (x, y) = (a[k] as f64 - ma, b[k] as f64 - mb);
        sab += x * y;
        saa += x * x;
        sbb += y * y;
    }
    if saa <= 0.0 || sbb <= 0.0 {
        0.0
    } else {
        sab / (saa * sbb).sqrt()
    }
}
