//! Base kernels of a tiled detector bank (SPEC §4): seeded random, Gabor-like,
//! derivative-of-Gaussian. A 1-D kernel has `size` taps; a 2-D kernel is a
//! `size × size` patch stored row-major (`y · size + x`). Every kernel is
//! zero-mean and unit-norm.
//!
//! Rotated copies of a 2-D kernel are made by permuting its pixels
//! ([`rotate_patch`]), never by resampling, so the rotated bank is exactly closed
//! under quarter turns.

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

use crate::model::config::{ConfigError, KernelFamily};

/// Makes a vector zero-mean and unit-norm; `None` if nothing is left after removing the mean.
pub fn normalise(v: &mut [f32]) -> Option<()> {
    if v.is_empty() {
        return None;
    }
    let mean = v.iter().map(|&x| f64::from(x)).sum::<f64>() / v.len() as f64;
    for x in v.iter_mut() {
        *x = (f64::from(*x) - mean) as f32;
    }
    let norm = v.iter().map(|&x| f64::from(x).powi(2)).sum::<f64>().sqrt();
    if norm.is_nan() || norm <= 1e-6 || !norm.is_finite() {
        return None;
    }
    for x in v.iter_mut() {
        *x = (f64::from(*x) / norm) as f32;
    }
    Some(())
}

/// Rotates a `size × size` patch by `quarter_turns` counter-clockwise quarter turns with
/// the space's convention `(x, y) ↦ (y, size − 1 − x)`: `out[map(p)] = patch[p]`.
pub fn rotate_patch(patch: &[f32], size: usize, quarter_turns: u8) -> Vec<f32> {
    let mut cur = patch.to_vec();
    for _ in 0..quarter_turns % 4 {
        let mut out = vec![0.0; cur.len()];
        for y in 0..size {
            for x in 0..size {
                let (x2, y2) = (y, size - 1 - x);
                out[y2 * size + x2] = cur[y * size + x];
            }
        }
        cur = out;
    }
    cur
}

/// Mirrors a `size × size` patch left–right (`x ↦ size − 1 − x`).
pub fn mirror_patch(patch: &[f32], size: usize) -> Vec<f32> {
    let mut out = vec![0.0; patch.len()];
    for y in 0..size {
        for x in 0..size {
            out[y * size + (size - 1 - x)] = patch[y * size + x];
        }
    }
    out
}

/// `count` zero-mean, unit-norm base kernels of the given family.
/// `two_d` selects `size × size` patches instead of `size`-tap kernels.
pub fn base_kernels(
    family: KernelFamily,
    count: usize,
    size: usize,
    two_d: bool,
    rng: &mut impl Rng,
) -> Result<Vec<Vec<f32>>, ConfigError> {
    if size < 2 {
        return Err(ConfigError::Invalid {
            field: "bank.size",
            reason: format!("kernels need at least 2 pixels per side, got {size}"),
        });
    }
    (0..count)
        .map(|c| {
            let mut k = match (family, two_d) {
                (KernelFamily::Random, false) => random(size, rng),
                (KernelFamily::Random, true) => random(size * size, rng),
                (KernelFamily::Gabor, false) => gabor_1d(c, size),
                (KernelFamily::Gabor, true) => gabor_2d(c, count, size),
                (KernelFamily::DerivativeOfGaussian, false) => dog_1d(c, size),
                (KernelFamily::DerivativeOfGaussian, true) => dog_2d(c, count, size),
            };
            normalise(&mut k).ok_or_else(|| ConfigError::Invalid {
                field: "bank.size",
                reason: format!("kernel {c} of size {size} vanishes after removing its mean"),
            })?;
            Ok(k)
        })
        .collect()
}

fn random(len: usize, rng: &mut impl Rng) -> Vec<f32> {
    (0..len)
        .map(|_| StandardNormal.sample(rng))
        .collect::<Vec<f32>>()
}

/// Coordinate of tap `i` relative to the kernel centre.
fn centred(i: usize, size: usize) -> f32 {
    i as f32 - (size as f32 - 1.0) / 2.0
}

/// 1-D Gabor: kernel `c` has phase 0 (even) or 90° (odd) alternately, and
/// `1 + c/2` cycles per `size` taps under a Gaussian envelope of σ = size/4.
fn gabor_1d(c: usize, size: usize) -> Vec<f32> {
    let sigma = size as f32 / 4.0;
    let cycles = 1.0 + (c / 2) as f32 * 0.5;
    let phase = if c % 2 == 0 {
        0.0
    } else {
        std::f32::consts::FRAC_PI_2
    };
    (0..size)
        .map(|i| {
            let u = centred(i, size);
            let env = (-u * u / (2.0 * sigma * sigma)).exp();
            env * (2.0 * std::f32::consts::PI * cycles * u / size as f32 + phase).cos()
        })
        .collect()
}

/// 1-D derivative of Gaussian: kernel `c` is the first (even `c`) or second (odd `c`)
/// derivative of a Gaussian of σ = size/6 · (1 + c/2 · 0.5).
fn dog_1d(c: usize, size: usize) -> Vec<f32> {
    let sigma = size as f32 / 6.0 * (1.0 + (c / 2) as f32 * 0.5);
    (0..size)
        .map(|i| {
            let u = centred(i, size);
            let g = (-u * u / (2.0 * sigma * sigma)).exp();
            if c % 2 == 0 {
                -u / (sigma * sigma) * g
            } else {
                (u * u / sigma.powi(4) - 1.0 / (sigma * sigma)) * g
            }
        })
        .collect()
}

/// Orientation of 2-D kernel `c`: the four quarter turns are added by the bank, so the
/// base orientations only need to cover `[0°, 90°)`; they are spread evenly there.
fn orientation(c: usize, count: usize) -> f32 {
    c as f32 * std::f32::consts::FRAC_PI_2 / count.max(1) as f32
}

/// 2-D Gabor: wavelength `size/1.5`, σ = size/4, orientation per [`orientation`],
/// phase 90° (odd, edge-like) for even `c` and 45° for odd `c`. No phase is 0° or 180°:
/// an even kernel is unchanged by a half turn, so its rotated copies would coincide.
fn gabor_2d(c: usize, count: usize, size: usize) -> Vec<f32> {
    let theta = orientation(c, count);
    let sigma = size as f32 / 4.0;
    let wavelength = size as f32 / 1.5;
    let phase = if c % 2 == 0 {
        std::f32::consts::FRAC_PI_2
    } else {
        std::f32::consts::FRAC_PI_4
    };
    let (s, co) = theta.sin_cos();
    let mut out = Vec::with_capacity(size * size);
    for y in 0..size {
        for x in 0..size {
            let (u, v) = (centred(x, size), centred(y, size));
            let along = co * u + s * v;
            let env = (-(u * u + v * v) / (2.0 * sigma * sigma)).exp();
            out.push(env * (2.0 * std::f32::consts::PI * along / wavelength + phase).cos());
        }
    }
    out
}

/// 2-D first derivative of a Gaussian (σ = size/5) along the direction per
/// [`orientation`]: an oriented edge detector. (Even-order derivatives are unchanged
/// by a half turn, so their rotated copies would coincide; they are not used in 2-D.)
fn dog_2d(c: usize, count: usize, size: usize) -> Vec<f32> {
    let theta = orientation(c, count);
    let sigma = size as f32 / 5.0;
    let (s, co) = theta.sin_cos();
    let mut out = Vec::with_capacity(size * size);
    for y in 0..size {
        for x in 0..size {
            let (u, v) = (centred(x, size), centred(y, size));
            let along = co * u + s * v;
            let g = (-(u * u + v * v) / (2.0 * sigma * sigma)).exp();
            out.push(-along / (sigma * sigma) * g);
        }
    }
    out
}
