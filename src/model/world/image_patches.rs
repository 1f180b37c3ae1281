//! The `ImagePatches` stimulus generator (SPEC §3): `side × side` patches of the natural
//! photographs bundled in `assets/` (see `assets/README.md` for sources and licences).
//!
//! One sample: pick a photo uniformly, a patch position uniformly, then a uniformly
//! random element of D4 (a quarter-turn count `k ∈ {0,1,2,3}` and a mirror yes/no)
//! and apply it to the patch about its centre. Because the group element is uniform and
//! independent of the patch, the distribution of patches is *exactly* invariant under
//! every element of D4, whatever the photos contain.
//!
//! On the torus the patch is then rolled by a uniformly random translation (its seam
//! lands anywhere), so the distribution is exactly invariant under the torus's whole
//! group; on the square it is used as drawn.
//!
//! Normalisation: grey values in `[0, 1]` are shifted and scaled per patch to zero mean
//! and unit standard deviation (`‖s‖² = side²`), so contrast does not depend on the
//! photo's exposure; a perfectly uniform patch becomes all zeros.
//!
//! The photos are compiled into the binary with `include_bytes!` and decoded once,
//! on first use.

use std::sync::OnceLock;

use image::GrayImage;
use rand::Rng;

use crate::model::config::{ConfigError, Space};

/// The bundled photos: `(name, PNG bytes)`.
pub const PHOTOS: [(&str, &[u8]); 4] = [
    (
        "astronaut",
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/astronaut.png")),
    ),
    (
        "camera",
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/camera.png")),
    ),
    (
        "chelsea",
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/chelsea.png")),
    ),
    (
        "coffee",
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/coffee.png")),
    ),
];

static DECODED: OnceLock<Result<Vec<GrayImage>, String>> = OnceLock::new();

/// The bundled photos decoded to grey, in the order of [`PHOTOS`].
pub fn photos() -> Result<&'static [GrayImage], ConfigError> {
    let decoded = DECODED.get_or_init(|| {
        PHOTOS
            .iter()
            .map(|(name, bytes)| {
                image::load_from_memory_with_format(bytes, image::ImageFormat::Png)
                    .map(|img| img.to_luma8())
                    .map_err(|e| format!("bundled photo {name} does not decode: {e}"))
            })
            .collect()
    });
    match decoded {
        Ok(images) => Ok(images),
        Err(reason) => Err(ConfigError::Inconsistent(reason.clone())),
    }
}

/// A bundled photo by name (`astronaut`, `camera`, `chelsea`, `coffee`).
pub fn photo(name: &str) -> Option<&'static GrayImage> {
    let index = PHOTOS.iter().position(|(n, _)| *n == name)?;
    photos().ok()?.get(index)
}

/// The largest patch side every bundled photo can supply.
pub fn max_side() -> usize {
    photos()
        .map(|images| {
            images
                .iter()
                .map(|i| i.width().min(i.height()) as usize)
                .min()
                .unwrap_or(0)
        })
        .unwrap_or(0)
}

/// Draws one normalised patch for a 2-D `space` (module docs). A ring, or a side larger
/// than [`max_side`], is a [`ConfigError`].
pub fn sample(space: Space, rng: &mut impl Rng) -> Result<Vec<f32>, ConfigError> {
    let side = patch_side(space)?;
    let images = photos()?;
    let limit = max_side();
    if side == 0 || side > limit {
        return Err(ConfigError::Invalid {
            field: "space",
            reason: format!("image patches need a side between 1 and {limit}, got {side}"),
        });
    }
    let all: Vec<&GrayImage> = images.iter().collect();
    Ok(roll_on_torus(space, sample_from(&all, side, rng), rng))
}

/// Draws one normalised patch from the user's photos in `dir` (`StimulusConfig::data_dir`);
/// photos smaller than the patch are not used.
pub fn sample_dir(
    space: Space,
    dir: &std::path::Path,
    rng: &mut impl Rng,
) -> Result<Vec<f32>, ConfigError> {
    let side = patch_side(space)?;
    let folder = super::photo_dir::photo_folder(dir)?;
    let fit = super::photo_dir::photos_at_least(&folder, side.max(1))?;
    Ok(roll_on_torus(space, sample_from(&fit, side, rng), rng))
}

/// On the torus, the patch rolled by a uniformly random `(dx, dy)` (periodically): a
/// photo patch laid on a torus wraps around with a discontinuity at its own edges, and
/// the roll puts that seam at a uniformly random row and column, so the distribution is
/// exactly invariant under the torus's translations as well as D4. Squares are returned
/// as drawn.
fn roll_on_torus(space: Space, patch: Vec<f32>, rng: &mut impl Rng) -> Vec<f32> {
    let Space::Torus { side } = space else {
        return patch;
    };
    if side == 0 || patch.len() != side * side {
        return patch;
    }
    let (dx, dy) = (rng.random_range(0..side), rng.random_range(0..side));
    let mut out = vec![0.0f32; patch.len()];
    for y in 0..side {
        for x in 0..side {
            out[((y + dy) % side) * side + (x + dx) % side] = patch[y * side + x];
        }
    }
    out
}

/// The patch side of a square or torus space.
fn patch_side(space: Space) -> Result<usize, ConfigError> {
    match space {
        Space::Square { side } | Space::Torus { side } => Ok(side),
        Space::Ring { .. } | Space::Polar { .. } | Space::Line { .. } => {
            Err(ConfigError::Inconsistent(
                "image_patches stimuli need a square or torus space (the polar retina takes \
                 rotated_photos)"
                    .into(),
            ))
        }
    }
}

/// A patch of `side × side` pixels from one of `images`, each at least `side` pixels on
/// its short side (the callers make sure), with a random D4 element applied.
fn sample_from(images: &[&GrayImage], side: usize, rng: &mut impl Rng) -> Vec<f32> {
    if images.is_empty() || side == 0 {
        return vec![0.0; side * side];
    }
    let image = images[rng.random_range(0..images.len())];
    let x0 = rng.random_range(0..=(image.width() as usize - side));
    let y0 = rng.random_range(0..=(image.height() as usize - side));
    let quarter_turns = rng.random_range(0..4u8);
    let mirror = rng.random::<bool>();
    let mut patch = vec![0.0f32; side * side];
    for y in 0..side {
        for x in 0..side {
            let (sx, sy) = d4_source(side, x, y, quarter_turns, mirror);
            patch[y * side + x] =
                image.get_pixel((x0 + sx) as u32, (y0 + sy) as u32).0[0] as f32 / 255.0;
        }
    }
    normalise(&mut patch);
    patch
}

/// The patch pixel shown at `(x, y)` after mirroring (`x ↦ side−1−x`) and then turning by
/// `quarter_turns` quarter turns: we invert the turns first, then the mirror.
fn d4_source(side: usize, x: usize, y: usize, quarter_turns: u8, mirror: bool) -> (usize, usize) {
    let last = side - 1;
    let (mut sx, mut sy) = (x, y);
    for _ in 0..quarter_turns {
        // Inverse of one quarter turn (x, y) ↦ (y, last − x).
        (sx, sy) = (last - sy, sx);
    }
    if mirror {
        sx = last - sx;
    }
    (sx, sy)
}

/// Zero mean and unit standard deviation, in place; a constant pattern becomes all zeros.
pub fn normalise(pattern: &mut [f32]) {
    if pattern.is_empty() {
        return;
    }
    let n = pattern.len() as f64;
    let mean = pattern.iter().map(|&x| x as f64).sum::<f64>() / n;
    let var = pattern
        .iter()
        .map(|&x| (x as f64 - mean).powi(2))
        .sum::<f64>()
        / n;
    let scale = if var > 1e-12 { 1.0 / var.sqrt() } else { 0.0 };
    for x in pattern.iter_mut() {
        *x = ((*x as f64 - mean) * scale) as f32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn d4_source_is_a_group_action_of_eight_distinct_bijections() {
        let side = 5;
        let mut maps = Vec::new();
        for k in 0..4 {
            for m in [false, true] {
                let map: Vec<(usize, usize)> = (0..side * side)
                    .map(|p| d4_source(side, p % side, p / side, k, m))
                    .collect();
                let mut sorted = map.clone();
                sorted.sort();
                sorted.dedup();
                assert_eq!(sorted.len(), side * side, "not a bijection");
                maps.push(map);
            }
        }
        let mut distinct = maps.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), 8);
        // Four quarter turns are the identity.
        assert_eq!(d4_source(side, 1, 3, 0, false), (1, 3));
    }

    #[test]
    fn patches_are_normalised_and_rings_are_refused() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let p = sample(Space::Square { side: 12 }, &mut rng).unwrap();
        assert_eq!(p.len(), 144);
        let mean: f32 = p.iter().sum::<f32>() / 144.0;
        let var: f32 = p.iter().map(|x| (x - mean).powi(2)).sum::<f32>() / 144.0;
        assert!(mean.abs() < 1e-4 && (var - 1.0).abs() < 1e-3);
        assert!(sample(Space::Ring { n: 10 }, &mut rng).is_err());
        assert!(sample(Space::Square { side: 1000 }, &mut rng).is_err());
        assert_eq!(max_side(), 170);
    }
}
