//! Stimulus generators (SPEC §3): seeded random processes whose distribution is
//! exactly invariant under the space's group.
//!
//! How invariance is made exact:
//! - positions are continuous and uniform — over `[0, n)` on the ring, over
//!   `[−½, side − ½)²` in 2-D, a square centred on the grid centre `((side−1)/2,
//!   (side−1)/2)` so that D4 maps it onto itself (on the torus any period works);
//! - orientations are uniform over `[0, π)`;
//! - distances are periodic (minimum image) on the ring and torus;
//! - every profile is symmetric (Gaussians, segments), so reflections also leave the
//!   distribution unchanged.

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

use crate::model::config::{ConfigError, Space, StimulusConfig, StimulusKind, Transformation};

fn check_range(field: &'static str, (lo, hi): (f32, f32)) -> Result<(), ConfigError> {
    if !(lo.is_finite() && hi.is_finite() && lo > 0.0 && lo <= hi) {
        return Err(ConfigError::invalid(
            field,
            format!("must be a finite range with 0 < low ≤ high, got ({lo}, {hi})"),
        ));
    }
    Ok(())
}

fn check_positive(field: &'static str, v: f32) -> Result<(), ConfigError> {
    if !(v.is_finite() && v > 0.0) {
        return Err(ConfigError::invalid(
            field,
            format!("must be finite and > 0, got {v}"),
        ));
    }
    Ok(())
}

fn check_count(field: &'static str, v: usize) -> Result<(), ConfigError> {
    if !(1..=64).contains(&v) {
        return Err(ConfigError::invalid(
            field,
            format!("must be in 1..=64, got {v}"),
        ));
    }
    Ok(())
}

/// Checks a generator against a space: 1-D kinds need a ring, sound a line, 2-D kinds a
/// torus, square or polar retina; ranges must be finite and positive.
pub fn validate(kind: &StimulusKind, space: Space) -> Result<(), ConfigError> {
    space.validate()?;
    if let StimulusKind::Sound { .. } = kind {
        return crate::model::world::audio::parts(kind, space).map(|_| ());
    }
    if space.is_line() {
        return Err(ConfigError::invalid(
            "stimulus.kind",
            format!(
                "{} stimuli do not fit a line space, which takes sound",
                kind_name(kind)
            ),
        ));
    }
    let one_d = matches!(
        kind,
        StimulusKind::Bumps { .. }
            | StimulusKind::Bars { .. }
            | StimulusKind::SmoothNoise { .. }
            | StimulusKind::NonGaussian { .. }
    );
    if one_d && space.is_2d() {
        return Err(ConfigError::invalid(
            "stimulus.kind",
            format!(
                "{} is a 1-D generator and needs a ring space",
                kind_name(kind)
            ),
        ));
    }
    if !one_d && !space.is_2d() {
        return Err(ConfigError::invalid(
            "stimulus.kind",
            format!(
                "{} is a 2-D generator and needs a torus, square or polar space",
                kind_name(kind)
            ),
        ));
    }
    match kind {
        StimulusKind::ImagePatches if space.is_polar() => {
            return Err(ConfigError::invalid(
                "stimulus.kind",
                "image_patches are square patches; the polar retina takes rotated_photos".into(),
            ));
        }
        StimulusKind::RotatedPhotos { .. } if !space.is_polar() => {
            return Err(ConfigError::invalid(
                "stimulus.kind",
                "rotated_photos need the polar retina; square and torus retinas take \
                 image_patches"
                    .into(),
            ));
        }
        _ => {}
    }
    match *kind {
        StimulusKind::Bumps {
            max_bumps,
            width,
            amplitude,
        } => {
            check_count("stimulus.max_bumps", max_bumps)?;
            check_range("stimulus.width", width)?;
            check_range("stimulus.amplitude", amplitude)?;
        }
        StimulusKind::Bars { max_bars, length } => {
            check_count("stimulus.max_bars", max_bars)?;
            let (lo, hi) = length;
            if lo == 0 || lo > hi || hi > space.pixels() {
                return Err(ConfigError::invalid(
                    "stimulus.length",
                    format!(
                        "must satisfy 1 ≤ low ≤ high ≤ {}, got ({lo}, {hi})",
                        space.pixels()
                    ),
                ));
            }
        }
        StimulusKind::SmoothNoise { length } => check_positive("stimulus.length", length)?,
        StimulusKind::NonGaussian { length, gain } => {
            check_positive("stimulus.length", length)?;
            check_positive("stimulus.gain", gain)?;
        }
        StimulusKind::Blobs {
            max_blobs,
            width,
            aspect,
        } => {
            check_count("stimulus.max_blobs", max_blobs)?;
            check_range("stimulus.width", width)?;
            if !(aspect.is_finite() && aspect > 0.0 && aspect <= 1.0) {
                return Err(ConfigError::invalid(
                    "stimulus.aspect",
                    format!("must be in (0, 1], got {aspect}"),
                ));
            }
        }
        StimulusKind::Edges {
            max_edges,
            length,
            thickness,
        } => {
            check_count("stimulus.max_edges", max_edges)?;
            check_range("stimulus.length", length)?;
            check_positive("stimulus.thickness", thickness)?;
        }
        StimulusKind::ImagePatches | StimulusKind::Sound { .. } => {}
        StimulusKind::RotatedPhotos { scale, .. } => {
            crate::model::world::polar_stimulus::validate_rotated_photos(space, scale)?;
        }
    }
    Ok(())
}

/// Checks a whole stimulus configuration, including the sequence step (which must be
/// an exact pixel permutation of the space).
pub fn validate_config(config: &StimulusConfig, space: Space) -> Result<(), ConfigError> {
    validate(&config.kind, space)?;
    if config.data_dir.is_some()
        && !matches!(
            config.kind,
            StimulusKind::ImagePatches
                | StimulusKind::RotatedPhotos { .. }
                | StimulusKind::Sound { .. }
        )
    {
        return Err(ConfigError::invalid(
            "stimulus.data_dir",
            format!(
                "{} stimuli take no folder; image_patches and rotated_photos take photos, \
                 sound takes WAV files",
                kind_name(&config.kind)
            ),
        ));
    }
    if let Some(step) = config.sequence
        && space.pixel_permutation(step).is_none()
    {
        return Err(ConfigError::invalid(
            "stimulus.sequence",
            format!("{step} is not an exact transformation of this space"),
        ));
    }
    Ok(())
}

/// Short name of a generator for messages.
pub fn kind_name(kind: &StimulusKind) -> &'static str {
    match kind {
        StimulusKind::Bumps { .. } => "bumps",
        StimulusKind::Bars { .. } => "bars",
        StimulusKind::SmoothNoise { .. } => "smooth_noise",
        StimulusKind::NonGaussian { .. } => "non_gaussian",
        StimulusKind::Blobs { .. } => "blobs",
        StimulusKind::Edges { .. } => "edges",
        StimulusKind::ImagePatches => "image_patches",
        StimulusKind::RotatedPhotos { .. } => "rotated_photos",
        StimulusKind::Sound { .. } => "sound",
    }
}

/// One stimulus (`space.pixels()` values) drawn from `kind`.
pub fn sample(
    kind: &StimulusKind,
    space: Space,
    rng: &mut impl Rng,
) -> Result<Vec<f32>, ConfigError> {
    validate(kind, space)?;
    Ok(match *kind {
        StimulusKind::Bumps {
            max_bumps,
            width,
            amplitude,
        } => bumps(space.pixels(), max_bumps, width, amplitude, rng),
        StimulusKind::Bars { max_bars, length } => bars(space.pixels(), max_bars, length, rng),
        StimulusKind::SmoothNoise { length } => smooth_noise(space.pixels(), length, rng),
        StimulusKind::NonGaussian { length, gain } => {
            non_gaussian(space.pixels(), length, gain, rng)
        }
        StimulusKind::Blobs {
            max_blobs,
            width,
            aspect,
        } if space.is_polar() => {
            return crate::model::world::polar_stimulus::blobs(
                space, max_blobs, width, aspect, rng,
            );
        }
        StimulusKind::Blobs {
            max_blobs,
            width,
            aspect,
        } => blobs(space, max_blobs, width, aspect, rng),
        StimulusKind::Edges {
            max_edges,
            length,
            thickness,
        } if space.is_polar() => {
            return crate::model::world::polar_stimulus::edges(
                space, max_edges, length, thickness, rng,
            );
        }
        StimulusKind::Edges {
            max_edges,
            length,
            thickness,
        } => edges(space, max_edges, length, thickness, rng),
        StimulusKind::ImagePatches => {
            return crate::model::world::image_patches::sample(space, rng);
        }
        StimulusKind::RotatedPhotos { scale, mirror } => {
            return crate::model::world::polar_stimulus::rotated_photo(
                space, scale, mirror, None, rng,
            );
        }
        StimulusKind::Sound { .. } => {
            return crate::model::world::audio::sample(kind, space, None, rng);
        }
    })
}

/// One stimulus drawn from a whole configuration: like [`sample`], but from the user's
/// folder (`data_dir`) when one is set. The sequence wrapper is the caller's.
pub fn sample_config(
    config: &StimulusConfig,
    space: Space,
    rng: &mut impl Rng,
) -> Result<Vec<f32>, ConfigError> {
    let Some(dir) = config.data_dir.as_deref() else {
        return sample(&config.kind, space, rng);
    };
    validate_config(config, space)?;
    match config.kind {
        StimulusKind::ImagePatches => {
            crate::model::world::image_patches::sample_dir(space, dir, rng)
        }
        StimulusKind::RotatedPhotos { scale, mirror } => {
            crate::model::world::polar_stimulus::rotated_photo(space, scale, mirror, Some(dir), rng)
        }
        StimulusKind::Sound { .. } => {
            crate::model::world::audio::sample(&config.kind, space, Some(dir), rng)
        }
        // `validate_config` refused the others.
        _ => sample(&config.kind, space, rng),
    }
}

/// Frames `base, step·base, step²·base, …` (`len` frames). A step that is not an exact
/// transformation of the space (rejected by [`validate_config`]) leaves the pattern as it is.
pub fn sequence(base: &[f32], space: Space, step: Transformation, len: usize) -> Vec<Vec<f32>> {
    let perm = space.pixel_permutation(step);
    let mut frames = Vec::with_capacity(len);
    let mut cur = base.to_vec();
    for _ in 0..len {
        let next = match &perm {
            Some(p) if p.len() == cur.len() => p.apply_to_vector(&cur),
            _ => cur.clone(),
        };
        frames.push(std::mem::replace(&mut cur, next));
    }
    frames
}

fn uniform(rng: &mut impl Rng, (lo, hi): (f32, f32)) -> f32 {
    if hi > lo {
        rng.random_range(lo..hi)
    } else {
        lo
    }
}

/// Minimum-image difference `a − b` on a circle of circumference `n`.
fn periodic_diff(a: f32, b: f32, n: f32) -> f32 {
    let d = (a - b).rem_euclid(n);
    if d >= n / 2.0 { d - n } else { d }
}

fn bumps(
    n: usize,
    max_bumps: usize,
    width: (f32, f32),
    amplitude: (f32, f32),
    rng: &mut impl Rng,
) -> Vec<f32> {
    let mut out = vec![0.0f32; n];
    let count = rng.random_range(1..=max_bumps);
    for _ in 0..count {
        let centre = rng.random_range(0.0..n as f32);
        let sigma = uniform(rng, width);
        let amp = uniform(rng, amplitude);
        for (x, o) in out.iter_mut().enumerate() {
            let d = periodic_diff(x as f32, centre, n as f32);
            *o += amp * (-d * d / (2.0 * sigma * sigma)).exp();
        }
    }
    out
}

fn bars(n: usize, max_bars: usize, (lo, hi): (usize, usize), rng: &mut impl Rng) -> Vec<f32> {
    let mut out = vec![0.0f32; n];
    let count = rng.random_range(1..=max_bars);
    for _ in 0..count {
        let len = rng.random_range(lo..=hi);
        let start = rng.random_range(0..n);
        for d in 0..len {
            out[(start + d) % n] = 1.0;
        }
    }
    out
}

/// White noise circularly convolved with a periodic Gaussian of length ℓ, scaled to
/// unit variance per pixel.
fn smooth_noise(n: usize, length: f32, rng: &mut impl Rng) -> Vec<f32> {
    let kernel: Vec<f32> = (0..n)
        .map(|d| {
            let d = periodic_diff(d as f32, 0.0, n as f32);
            (-d * d / (2.0 * length * length)).exp()
        })
        .collect();
    let norm = kernel
        .iter()
        .map(|&k| f64::from(k).powi(2))
        .sum::<f64>()
        .sqrt() as f32;
    let noise: Vec<f32> = (0..n).map(|_| StandardNormal.sample(rng)).collect();
    (0..n)
        .map(|x| {
            let s: f32 = noise
                .iter()
                .enumerate()
                .map(|(y, &w)| w * kernel[(x + n - y) % n])
                .sum();
            s / norm
        })
        .collect()
}

/// `erf(gain·g)/Z` with `Z² = E[erf(gain·g)²] = (2/π)·asin(2 gain² / (1 + 2 gain²))`,
/// so every pixel has unit variance.
fn non_gaussian(n: usize, length: f32, gain: f32, rng: &mut impl Rng) -> Vec<f32> {
    let g = smooth_noise(n, length, rng);
    let a2 = f64::from(gain).powi(2);
    let z = ((2.0 / std::f64::consts::PI) * (2.0 * a2 / (1.0 + 2.0 * a2)).asin()).sqrt();
    g.into_iter()
        .map(|v| (libm::erf(f64::from(gain) * f64::from(v)) / z) as f32)
        .collect()
}

/// Displacement of pixel `(x, y)` from a point `(cx, cy)`: minimum image on the torus.
fn displacement(space: Space, x: usize, y: usize, cx: f32, cy: f32) -> (f32, f32) {
    let side = space.side() as f32;
    if space.is_periodic() {
        (
            periodic_diff(x as f32, cx, side),
            periodic_diff(y as f32, cy, side),
        )
    } else {
        (x as f32 - cx, y as f32 - cy)
    }
}

/// A position uniform over `[−½, side − ½)²`, a square centred on the grid centre.
fn position(space: Space, rng: &mut impl Rng) -> (f32, f32) {
    let side = space.side() as f32;
    (
        rng.random_range(-0.5..side - 0.5),
        rng.random_range(-0.5..side - 0.5),
    )
}

fn blobs(
    space: Space,
    max_blobs: usize,
    width: (f32, f32),
    aspect: f32,
    rng: &mut impl Rng,
) -> Vec<f32> {
    let side = space.side();
    let mut out = vec![0.0f32; space.pixels()];
    let count = rng.random_range(1..=max_blobs);
    for _ in 0..count {
        let (cx, cy) = position(space, rng);
        let theta = rng.random_range(0.0..std::f32::consts::PI);
        let long = uniform(rng, width);
        let short = long * aspect;
        let (s, c) = theta.sin_cos();
        for y in 0..side {
            for x in 0..side {
                let (dx, dy) = displacement(space, x, y, cx, cy);
                let u = c * dx + s * dy;
                let v = -s * dx + c * dy;
                out[space.pixel(x, y)] +=
                    (-0.5 * (u * u / (long * long) + v * v / (short * short))).exp();
            }
        }
    }
    out
}

/// Anti-aliased segments: intensity `clamp(thickness + ½ − distance, 0, 1)`, where
/// `distance` is the distance from the pixel centre to the segment; overlapping
/// segments combine by maximum.
fn edges(
    space: Space,
    max_edges: usize,
    length: (f32, f32),
    thickness: f32,
    rng: &mut impl Rng,
) -> Vec<f32> {
    let side = space.side();
    let mut out = vec![0.0f32; space.pixels()];
    let count = rng.random_range(1..=max_edges);
    for _ in 0..count {
        let (cx, cy) = position(space, rng);
        let theta = rng.random_range(0.0..std::f32::consts::PI);
        let half = uniform(rng, length) / 2.0;
        let (s, c) = theta.sin_cos();
        for y in 0..side {
            for x in 0..side {
                let (dx, dy) = displacement(space, x, y, cx, cy);
                let along = (c * dx + s * dy).clamp(-half, half);
                let (px, py) = (dx - along * c, dy - along * s);
                let dist = (px * px + py * py).sqrt();
                let v = (thickness + 0.5 - dist).clamp(0.0, 1.0);
                let o = &mut out[space.pixel(x, y)];
                *o = o.max(v);
            }
        }
    }
    out
}
