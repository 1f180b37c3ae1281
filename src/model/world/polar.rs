//! Geometry of the log-polar retina (SPEC §2) and bilinear sampling of images
//! on it.
//!
//! **Layout.** Pixel `(ring k, sector j)` has index `k · sectors + j` (column `x = j`,
//! row `y = k`, as for the other spaces). It sits at radius `r_k = r_min · q^k`,
//! `q = (r_max / r_min)^(1/(rings − 1))`, and angle `θ_j = 2πj / sectors`, measured
//! counter-clockwise *as drawn* (image rows grow downwards, so the retina-plane point
//! `(x, y)` with `y` up is the image point `(cx + x, cy − y)`).
//!
//! **Why rotations are permutations.** Turning an image counter-clockwise by
//! `360°/sectors` about the centre moves the value sampled at `(k, j)` to `(k, j + 1)`:
//! the sector shift `+1`. Zooming in by `q` moves `(k, j)` to `(k + 1, j)`, except that
//! the outermost ring falls off the rim and the innermost is filled from the fovea, so
//! the zoom is only an approximate symmetry.
//!
//! **Sampling.** A sample is the bilinear interpolation of the image at the (rotated,
//! scaled) sample point. [`Sampler`] precomputes the four taps and weights of every
//! retina pixel for one placement of the retina on an image of a given size, so sampling
//! that image (or every frame of an animation) is one sparse product.

use crate::model::config::Space;

/// The numbers of a [`Space::Polar`] retina, with its derived ring ratio.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PolarGrid {
    /// Number of rings.
    pub rings: usize,
    /// Number of sectors.
    pub sectors: usize,
    /// Innermost radius.
    pub r_min: f64,
    /// Outermost radius.
    pub r_max: f64,
}

impl PolarGrid {
    /// The grid of a polar space, `None` for the other spaces.
    pub fn of(space: Space) -> Option<Self> {
        match space {
            Space::Polar {
                rings,
                sectors,
                r_min,
                r_max,
            } => Some(Self {
                rings,
                sectors,
                r_min: f64::from(r_min),
                r_max: f64::from(r_max),
            }),
            _ => None,
        }
    }

    /// Number of pixels, `rings · sectors`.
    pub fn pixels(&self) -> usize {
        self.rings * self.sectors
    }

    /// The ring ratio `q = r_{k+1} / r_k` (1 for a single ring).
    pub fn ratio(&self) -> f64 {
        if self.rings < 2 || self.r_min <= 0.0 {
            return 1.0;
        }
        (self.r_max / self.r_min).powf(1.0 / (self.rings - 1) as f64)
    }

    /// Radius of ring `k`.
    pub fn radius(&self, ring: usize) -> f64 {
        self.r_min * self.ratio().powi(ring as i32)
    }

    /// Angle of sector `j` in radians, counter-clockwise as drawn.
    pub fn angle(&self, sector: usize) -> f64 {
        std::f64::consts::TAU * sector as f64 / self.sectors.max(1) as f64
    }

    /// One sector step in degrees (`360 / sectors`).
    pub fn sector_degrees(&self) -> f64 {
        360.0 / self.sectors.max(1) as f64
    }

    /// The retina-plane position `(x, y)` (y up) of a pixel at scale 1, angle 0.
    pub fn point(&self, pixel: usize) -> (f64, f64) {
        let (k, j) = (pixel / self.sectors.max(1), pixel % self.sectors.max(1));
        let (r, a) = (self.radius(k), self.angle(j));
        (r * a.cos(), r * a.sin())
    }

    /// [`PolarGrid::point`] of every pixel, in pixel order: computed once and shared by
    /// every placement of a batch (each needs only a turn and a scale of them).
    pub fn points(&self) -> Vec<(f64, f64)> {
        (0..self.pixels()).map(|p| self.point(p)).collect()
    }

    /// Continuous `(ring, sector)` coordinates of a retina-plane point (y up): ring
    /// `log_q(r / r_min)`, sector `θ · sectors / 2π` in `[0, sectors)`. `None` at the
    /// centre.
    pub fn grid_coords(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let r = x.hypot(y);
        if r <= 0.0 || self.r_min <= 0.0 {
            return None;
        }
        let q = self.ratio();
        let ring = if q > 1.0 {
            (r / self.r_min).ln() / q.ln()
        } else {
            0.0
        };
        let sector = (y.atan2(x) / std::f64::consts::TAU * self.sectors as f64)
            .rem_euclid(self.sectors as f64);
        Some((ring, sector))
    }
}

/// Where the retina looks on an image: centre in image pixels (x right, y down), scale
/// (image pixels per retina unit), the angle the image is turned by before sampling
/// (radians, counter-clockwise as drawn), and whether it is mirrored (`θ ↦ −θ`) first.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placement {
    /// Centre of the retina on the image, `(x, y)` in image pixels.
    pub centre: (f64, f64),
    /// Image pixels per retina unit.
    pub scale: f64,
    /// The image is turned by this angle (counter-clockwise) before sampling.
    pub angle: f64,
    /// The image is mirrored about the retina's horizontal axis before turning.
    pub mirror: bool,
}

impl Placement {
    /// The image point `(x, y)` (y down) sampled by the retina-plane point `(u, v)` (y up).
    ///
    /// A retina that sees the image turned by `φ` samples the unturned image at `R(−φ)`
    /// of its own point, and a mirrored one at `(u, −v)` before that.
    pub fn image_point(&self, (u, v): (f64, f64)) -> (f64, f64) {
        let v = if self.mirror { -v } else { v };
        let (s, c) = (-self.angle).sin_cos();
        let (ru, rv) = (c * u - s * v, s * u + c * v);
        (
            self.centre.0 + self.scale * ru,
            self.centre.1 - self.scale * rv,
        )
    }
}

/// Bilinear taps of one point on a `width × height` image: four `(index, weight)` pairs,
/// edges clamped (a point outside the image takes the nearest edge value).
pub fn bilinear_taps(width: usize, height: usize, x: f64, y: f64) -> [(u32, f32); 4] {
    if width == 0 || height == 0 {
        return [(0, 0.0); 4];
    }
    let xc = x.clamp(0.0, (width - 1) as f64);
    let yc = y.clamp(0.0, (height - 1) as f64);
    let (x0, y0) = (xc.floor() as usize, yc.floor() as usize);
    let (x1, y1) = ((x0 + 1).min(width - 1), (y0 + 1).min(height - 1));
    let (fx, fy) = (xc - x0 as f64, yc - y0 as f64);
    let idx = |x: usize, y: usize| (y * width + x) as u32;
    [
        (idx(x0, y0), ((1.0 - fx) * (1.0 - fy)) as f32),
        (idx(x1, y0), (fx * (1.0 - fy)) as f32),
        (idx(x0, y1), ((1.0 - fx) * fy) as f32),
        (idx(x1, y1), (fx * fy) as f32),
    ]
}

/// The retina's sampling of one image size at one [`Placement`], as a sparse matrix
/// (`pixels × image pixels`, four taps per row).
#[derive(Clone, Debug, PartialEq)]
pub struct Sampler {
    width: usize,
    height: usize,
    taps: Vec<[(u32, f32); 4]>,
}

impl Sampler {
    /// Precomputes the taps of every retina pixel.
    pub fn new(grid: &PolarGrid, width: usize, height: usize, placement: &Placement) -> Self {
        Self::at_points(&grid.points(), width, height, placement)
    }

    /// [`Sampler::new`] from the grid's precomputed [`PolarGrid::points`].
    pub fn at_points(
        points: &[(f64, f64)],
        width: usize,
        height: usize,
        placement: &Placement,
    ) -> Self {
        let taps = points
            .iter()
            .map(|&point| {
                let (x, y) = placement.image_point(point);
                bilinear_taps(width, height, x, y)
            })
            .collect();
        Self {
            width,
            height,
            taps,
        }
    }

    /// Number of retina pixels.
    pub fn pixels(&self) -> usize {
        self.taps.len()
    }

    /// The four `(image index, weight)` taps of every retina pixel: row `p` of the
    /// sparse sampling matrix.
    pub fn taps(&self) -> &[[(u32, f32); 4]] {
        &self.taps
    }

    /// Samples an image given as row-major values; `None` if its size does not fit.
    pub fn apply(&self, image: &[f32]) -> Option<Vec<f32>> {
        (image.len() == self.width * self.height && !image.is_empty()).then(|| {
            self.taps
                .iter()
                .map(|t| t.iter().map(|&(i, w)| w * image[i as usize]).sum())
                .collect()
        })
    }

    /// Samples an 8-bit grey image (values scaled to `[0, 1]`); `None` if its size does not fit.
    pub fn apply_grey(&self, image: &image::GrayImage) -> Option<Vec<f32>> {
        let fits = image.width() as usize == self.width && image.height() as usize == self.height;
        let raw = image.as_raw();
        (fits && !raw.is_empty()).then(|| {
            self.taps
                .iter()
                .map(|t| {
                    t.iter()
                        .map(|&(i, w)| w * f32::from(raw[i as usize]))
                        .sum::<f32>()
                        / 255.0
                })
                .collect()
        })
    }
}

/// A grey image and its successive 2 × 2 box-filtered halvings (level `ℓ` has pixels
/// `2^ℓ` wide), for sampling without aliasing where the retina's cells are coarse.
pub struct Pyramid {
    levels: Vec<(usize, usize, Vec<f32>)>,
}

impl Pyramid {
    /// Builds the levels of an 8-bit grey image (values scaled to `[0, 1]`) down to 1 pixel.
    pub fn new(image: &image::GrayImage) -> Self {
        let (mut w, mut h) = (image.width() as usize, image.height() as usize);
        let mut cur: Vec<f32> = image
            .as_raw()
            .iter()
            .map(|&v| f32::from(v) / 255.0)
            .collect();
        let mut levels = Vec::new();
        while w > 1 && h > 1 {
            let (w2, h2) = (w / 2, h / 2);
            let next: Vec<f32> = (0..w2 * h2)
                .map(|i| {
                    let (x, y) = (2 * (i % w2), 2 * (i / w2));
                    0.25 * (cur[y * w + x]
                        + cur[y * w + x + 1]
                        + cur[(y + 1) * w + x]
                        + cur[(y + 1) * w + x + 1])
                })
                .collect();
            levels.push((w, h, std::mem::replace(&mut cur, next)));
            (w, h) = (w2, h2);
        }
        levels.push((w, h, cur));
        Self { levels }
    }

    /// The value at image point `(x, y)` (level-0 pixels) smoothed over about `cell`
    /// pixels: bilinear on the two levels around `log₂ cell`, blended linearly.
    pub fn sample(&self, x: f64, y: f64, cell: f64) -> f32 {
        let top = (self.levels.len() - 1) as f64;
        let level = cell.max(1.0).log2().clamp(0.0, top);
        let (l0, frac) = (level.floor() as usize, level - level.floor());
        let at = |l: usize| -> f32 {
            let Some((w, h, data)) = self.levels.get(l) else {
                return 0.0;
            };
            let f = f64::from(1u32 << l.min(31));
            bilinear_taps(*w, *h, (x + 0.5) / f - 0.5, (y + 0.5) / f - 0.5)
                .iter()
                .map(|&(i, wt)| wt * data[i as usize])
                .sum()
        };
        if frac > 0.0 && l0 + 1 < self.levels.len() {
            ((1.0 - frac) * f64::from(at(l0)) + frac * f64::from(at(l0 + 1))) as f32
        } else {
            at(l0)
        }
    }
}

/// The retina's view of a whole image without aliasing: every sample is the image
/// smoothed over about the size of its cell (`scale · r_k · 2π / sectors` image pixels,
/// at least one pixel), as the square retina's resize averages over its pixels. Used
/// for showing a photo (the training stimuli are point samples, finer than a cell
/// only at the rim).
pub fn sample_smoothed(
    grid: &PolarGrid,
    image: &image::GrayImage,
    placement: &Placement,
) -> Vec<f32> {
    if image.width() == 0 || image.height() == 0 {
        return vec![0.0; grid.pixels()];
    }
    let pyramid = Pyramid::new(image);
    let step = std::f64::consts::TAU / grid.sectors.max(1) as f64;
    (0..grid.pixels())
        .map(|p| {
            let cell = placement.scale * grid.radius(p / grid.sectors.max(1)) * step;
            let (x, y) = placement.image_point(grid.point(p));
            pyramid.sample(x, y, cell)
        })
        .collect()
}

/// The placement that fits the retina's outer disc into the centred square of a
/// `width × height` image (leaving a margin of one pixel), unturned.
pub fn fit_placement(grid: &PolarGrid, width: usize, height: usize) -> Placement {
    let half = (width.min(height) as f64 - 1.0) / 2.0;
    let scale = if grid.r_max > 0.0 {
        ((half - 1.0).max(0.5)) / grid.r_max
    } else {
        1.0
    };
    Placement {
        centre: ((width as f64 - 1.0) / 2.0, (height as f64 - 1.0) / 2.0),
        scale,
        angle: 0.0,
        mirror: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid() -> PolarGrid {
        PolarGrid {
            rings: 5,
            sectors: 12,
            r_min: 2.0,
            r_max: 32.0,
        }
    }

    #[test]
    fn radii_grow_geometrically_from_r_min_to_r_max() {
        let g = grid();
        assert!((g.ratio() - 2.0).abs() < 1e-12);
        assert!((g.radius(0) - 2.0).abs() < 1e-12);
        assert!((g.radius(4) - 32.0).abs() < 1e-9);
        let (x, y) = g.point(3); // ring 0, sector 3: 90°, straight up
        assert!(x.abs() < 1e-12 && (y - 2.0).abs() < 1e-12);
        let (ring, sector) = g.grid_coords(0.0, 8.0).unwrap();
        assert!((ring - 2.0).abs() < 1e-12 && (sector - 3.0).abs() < 1e-12);
    }

    #[test]
    fn bilinear_taps_reproduce_a_linear_ramp_exactly() {
        let (w, h) = (7, 5);
        let img: Vec<f32> = (0..w * h)
            .map(|i| (2 * (i % w) + 3 * (i / w)) as f32)
            .collect();
        for &(x, y) in &[(1.25, 2.5), (0.0, 0.0), (5.9, 3.1)] {
            let v: f32 = bilinear_taps(w, h, x, y)
                .iter()
                .map(|&(i, wt)| wt * img[i as usize])
                .sum();
            assert!(
                (f64::from(v) - (2.0 * x + 3.0 * y)).abs() < 1e-5,
                "{x},{y}: {v}"
            );
        }
    }

    #[test]
    fn a_turned_placement_samples_the_unturned_image_at_the_turned_back_point() {
        let p = Placement {
            centre: (10.0, 10.0),
            scale: 1.0,
            angle: std::f64::consts::FRAC_PI_2,
            mirror: false,
        };
        // The image turned by +90°: what the retina sees straight up (0, 1) was to the
        // right (1, 0) before turning, i.e. image point (11, 10).
        let (x, y) = p.image_point((0.0, 1.0));
        assert!((x - 11.0).abs() < 1e-12 && (y - 10.0).abs() < 1e-12);
    }
}
