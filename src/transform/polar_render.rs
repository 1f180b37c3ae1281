//! Drawing the log-polar retina as what it is: a round, foveated picture.
//!
//! [`render_disc`] colours every screen pixel of a `size × size` square from the retina
//! samples around the point it shows: its continuous (ring, sector) coordinates are found
//! (`PolarGrid::grid_coords`) and the samples are interpolated bilinearly in
//! (log-radius, angle), periodically in angle. So the picture is smooth — no squares and
//! no wedges — yet holds nothing the samples do not: fine in the fovea, coarse at the rim.
//! Inside the innermost ring the picture fades from ring 0 to ring 0's mean at the centre
//! (the retina has no sample there); outside the outer cell edge it is background.
//!
//! [`render_turned_photo`] draws a full-resolution photo in the same disc, turned about
//! the retina's centre by a given angle — the third panel of the transformation view: once
//! a found neuron permutation is identified as the rotation by `360°·k/sectors`, that same
//! turn applied to the whole photo.

use super::TransformError;
use super::induced_map::InducedMap;
use crate::model::world::polar::{Placement, PolarGrid, bilinear_taps, fit_placement};
use crate::model::world::polar_space::rotation_degrees;
use crate::model::{Space, Transformation};

/// Smallest agreement of an induced pixel map with a rotation for the view to call the
/// map that rotation and apply it to the whole photo.
pub const EXACT_AGREEMENT: f64 = 0.95;

/// The rotation an induced pixel map is identified with, `(name, sector steps)`: a
/// sector shift of the polar retina agreeing on at least [`EXACT_AGREEMENT`] of the
/// covered pixels. `None` elsewhere (other spaces, reflections, poor maps, maps that
/// also invert contrast).
pub fn identified_rotation(space: Space, map: &InducedMap) -> Option<(Transformation, i64)> {
    match map.matched {
        Some((t @ Transformation::Shift { k }, f))
            if space.is_polar() && f >= EXACT_AGREEMENT && !map.inverted =>
        {
            Some((t, k))
        }
        _ => None,
    }
}

/// The third panel of a polar orbit: a full-resolution photo turned by the found
/// rotation's angle once per frame.
#[derive(Clone, Debug, PartialEq)]
pub struct TurnedPhoto {
    /// The photo (grey, full resolution).
    pub photo: image::GrayImage,
    /// Where the retina looked at it for frame 0 (`crate::model::world::polar::fit_placement`).
    pub placement: crate::model::world::polar::Placement,
    /// The turn per frame in radians, counter-clockwise (the found rotation's angle).
    pub radians_per_frame: f64,
}

/// The third panel for an orbit whose map is the rotation by `k` sectors, starting from
/// the photo as [`crate::transform::image_input::pattern_from_image`] placed it.
pub fn turned_photo(grid: &PolarGrid, photo: &image::GrayImage, k: i64) -> TurnedPhoto {
    TurnedPhoto {
        photo: photo.clone(),
        placement: fit_placement(grid, photo.width() as usize, photo.height() as usize),
        radians_per_frame: rotation_degrees(grid, k).to_radians(),
    }
}

/// Grey level of pixels outside the retina's disc (`None` in the returned pictures).
pub const BACKGROUND_GREY: u8 = 255;

/// Screen pixel `(px, py)` of a `size`-pixel square as a retina-plane point (y up), with
/// the retina's outer cell edge `r_max · √q` touching the square's sides.
fn plane_point(grid: &PolarGrid, size: usize, px: usize, py: usize) -> (f64, f64) {
    let half = size as f64 / 2.0;
    let units_per_px = grid.r_max * grid.ratio().sqrt() / half.max(0.5);
    (
        (px as f64 + 0.5 - half) * units_per_px,
        (half - py as f64 - 0.5) * units_per_px,
    )
}

/// The retina's value at a retina-plane point, interpolated (module docs); `None` outside.
pub fn value_at(grid: &PolarGrid, values: &[f32], ring0_mean: f64, x: f64, y: f64) -> Option<f64> {
    let (rings, sectors) = (grid.rings, grid.sectors);
    if values.len() != rings * sectors || rings == 0 || sectors == 0 {
        return None;
    }
    let r = x.hypot(y);
    if r > grid.r_max * grid.ratio().sqrt() {
        return None;
    }
    let Some((ring, sector)) = grid.grid_coords(x, y) else {
        return Some(ring0_mean);
    };
    let s0 = sector.floor() as usize % sectors;
    let s1 = (s0 + 1) % sectors;
    let fs = sector - sector.floor();
    let around = |k: usize| {
        (1.0 - fs) * f64::from(values[k * sectors + s0]) + fs * f64::from(values[k * sectors + s1])
    };
    if ring < 0.0 {
        // Inside the innermost ring: fade to its mean at the centre.
        let t = (r / grid.r_min).clamp(0.0, 1.0);
        return Some(t * around(0) + (1.0 - t) * ring0_mean);
    }
    let ring = ring.min((rings - 1) as f64);
    let k0 = ring.floor() as usize;
    let k1 = (k0 + 1).min(rings - 1);
    let fk = ring - k0 as f64;
    Some((1.0 - fk) * around(k0) + fk * around(k1))
}

/// The retina's samples drawn as a `size × size` round picture (module docs): grey levels
/// row-major, `None` outside the disc. `(lo, hi)` maps to black and white.
pub fn render_disc(
    grid: &PolarGrid,
    values: &[f32],
    size: usize,
    (lo, hi): (f32, f32),
) -> Result<Vec<Option<u8>>, TransformError> {
    super::check_len("polar frame", grid.pixels(), values.len())?;
    let sectors = grid.sectors.max(1);
    let ring0_mean = values[..sectors.min(values.len())]
        .iter()
        .map(|&v| f64::from(v))
        .sum::<f64>()
        / sectors as f64;
    let span = f64::from(hi - lo).max(1e-12);
    Ok((0..size * size)
        .map(|i| {
            let (x, y) = plane_point(grid, size, i % size, i / size);
            value_at(grid, values, ring0_mean, x, y)
                .map(|v| (((v - f64::from(lo)) / span).clamp(0.0, 1.0) * 255.0).round() as u8)
        })
        .collect())
}

/// A full-resolution grey photo drawn in the retina's disc, `size × size`, as the retina
/// placed by `placement` would see it after the photo is turned by a further `angle`
/// radians (counter-clockwise) about the retina's centre. `None` outside the disc.
pub fn render_turned_photo(
    grid: &PolarGrid,
    photo: &image::GrayImage,
    placement: &Placement,
    angle: f64,
    size: usize,
) -> Vec<Option<u8>> {
    let (w, h) = (photo.width() as usize, photo.height() as usize);
    let raw = photo.as_raw();
    let turned = Placement {
        angle: placement.angle + angle,
        ..*placement
    };
    let outer = grid.r_max * grid.ratio().sqrt();
    (0..size * size)
        .map(|i| {
            let (x, y) = plane_point(grid, size, i % size, i / size);
            if x.hypot(y) > outer || raw.is_empty() {
                return None;
            }
            let (ix, iy) = turned.image_point((x, y));
            let v: f32 = bilinear_taps(w, h, ix, iy)
                .iter()
                .map(|&(k, wt)| wt * f32::from(raw[k as usize]))
                .sum();
            Some(v.round().clamp(0.0, 255.0) as u8)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid() -> PolarGrid {
        PolarGrid {
            rings: 6,
            sectors: 24,
            r_min: 1.0,
            r_max: 10.0,
        }
    }

    #[test]
    fn the_picture_is_round_and_reproduces_the_samples_at_the_sample_points() {
        let g = grid();
        let values: Vec<f32> = (0..g.pixels()).map(|p| (p % 24) as f32).collect();
        let picture = render_disc(&g, &values, 64, (0.0, 23.0)).unwrap();
        assert!(picture[0].is_none(), "corners are outside the disc");
        assert!(picture[32 * 64 + 32].is_some(), "the centre is inside");
        for p in [0, 5, 30, 77, 143] {
            let (x, y) = g.point(p);
            let v = value_at(&g, &values, 0.0, x, y).unwrap();
            assert!((v - f64::from(values[p])).abs() < 1e-6, "pixel {p}: {v}");
        }
    }

    #[test]
    fn a_turned_photo_shows_the_same_photo_turned() {
        // A photo bright in its right half, turned by 180°, is bright in its left half.
        let photo =
            image::GrayImage::from_fn(41, 41, |x, _| image::Luma([if x > 20 { 255 } else { 0 }]));
        let g = grid();
        let placement = crate::model::world::polar::fit_placement(&g, 41, 41);
        let plain = render_turned_photo(&g, &photo, &placement, 0.0, 32);
        let turned = render_turned_photo(&g, &photo, &placement, std::f64::consts::PI, 32);
        let row = 16 * 32;
        assert_eq!(plain[row + 28], Some(255));
        assert_eq!(plain[row + 3], Some(0));
        assert_eq!(turned[row + 28], Some(0));
        assert_eq!(turned[row + 3], Some(255));
    }
}
