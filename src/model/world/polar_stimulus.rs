//! Stimuli on the log-polar retina (SPEC §3).
//!
//! - [`rotated_photo`]: a disc of a bundled photo, turned by a uniformly random
//!   *continuous* angle about the retina's centre, mirrored with probability ½ (if
//!   asked), scaled by a log-uniform factor, then sampled bilinearly. The turn is not a
//!   resampling of the photo: the retina samples the unturned photo at its own turned
//!   points (`Placement::image_point`), so turning by `φ` and then by one sector step is
//!   *exactly* turning by `φ + 360°/sectors`, and because `φ` is uniform on the circle the
//!   distribution is exactly invariant under the sector shifts (and, with `mirror`, under
//!   `θ ↦ −θ`), whatever the photos contain. The zoom is invariant only approximately
//!   (the scale range has ends, and rings fall off the rim).
//! - [`edges`] and [`blobs`]: the synthetic 2-D generators evaluated at the retina's
//!   sample points, with positions uniform over the disc of radius `r_max` and
//!   orientations uniform, so rotations and reflections about the centre leave the
//!   distribution unchanged.
//!
//! Photo stimuli are normalised per stimulus to zero mean and unit standard deviation,
//! as the square retina's image patches are.

use ndarray::Array2;
use rand::Rng;

use crate::model::config::{ConfigError, Space};
use crate::model::world::image_patches;
use crate::model::world::polar::{Placement, PolarGrid, Sampler};

/// Largest scale factor accepted.
pub const MAX_SCALE: f32 = 100.0;

/// Margin in photo pixels kept between the retina's disc and the photo's edge.
const MARGIN_PX: f64 = 1.0;

fn grid_of(space: Space) -> Result<PolarGrid, ConfigError> {
    PolarGrid::of(space).ok_or_else(|| ConfigError::Invalid {
        field: "stimulus.kind",
        reason: "rotated_photos stimuli need the polar retina".into(),
    })
}

/// Checks a scale range against the retina and the bundled photos: the disc at the
/// largest scale must fit inside the smallest photo.
pub fn validate_rotated_photos(space: Space, (lo, hi): (f32, f32)) -> Result<(), ConfigError> {
    let grid = grid_of(space)?;
    if !(lo.is_finite() && hi.is_finite() && lo > 0.0 && lo <= hi && hi <= MAX_SCALE) {
        return Err(ConfigError::Invalid {
            field: "stimulus.scale",
            reason: format!("must satisfy 0 < low ≤ high ≤ {MAX_SCALE}, got ({lo}, {hi})"),
        });
    }
    let limit = image_patches::max_side() as f64;
    let diameter = 2.0 * (grid.r_max * f64::from(hi) + MARGIN_PX + 1.0);
    if diameter > limit {
        return Err(ConfigError::Inconsistent(format!(
            "the retina's disc at scale {hi} is {diameter:.0} photo pixels wide; the bundled \
             photos allow at most {limit:.0}: lower space.r_max or stimulus.scale"
        )));
    }
    Ok(())
}

/// The photos a [`Placement`] may look at: the bundled ones, or the user's folder's
/// photos that are large enough for the retina's disc.
pub struct PhotoSet {
    folder: Option<std::sync::Arc<crate::model::world::photo_dir::PhotoFolder>>,
    min_side: usize,
}

impl PhotoSet {
    /// The set for `data_dir` (None: the bundled photos), checked against the retina.
    pub fn new(
        space: Space,
        scale: (f32, f32),
        data_dir: Option<&std::path::Path>,
    ) -> Result<Self, ConfigError> {
        validate_rotated_photos(space, scale)?;
        let grid = grid_of(space)?;
        let diameter = 2.0 * (grid.r_max * f64::from(scale.1) + MARGIN_PX + 1.0);
        let set = Self {
            folder: data_dir
                .map(crate::model::world::photo_dir::photo_folder)
                .transpose()?,
            min_side: diameter.ceil() as usize,
        };
        set.photos()?;
        Ok(set)
    }

    /// The photos, in a fixed order.
    pub fn photos(&self) -> Result<Vec<&image::GrayImage>, ConfigError> {
        match &self.folder {
            None => Ok(image_patches::photos()?.iter().collect()),
            Some(folder) => crate::model::world::photo_dir::photos_at_least(folder, self.min_side),
        }
    }
}

/// Where one photo stimulus looks: which photo of its [`PhotoSet`], and the retina's
/// placement on it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PhotoView {
    /// Index into [`PhotoSet::photos`].
    pub photo: usize,
    /// Centre, scale, turn and mirror.
    pub placement: Placement,
}

/// Draws the random choices of one photo stimulus (module docs): photo, scale, angle,
/// mirror and centre, in that order.
pub fn draw_view(
    space: Space,
    scale: (f32, f32),
    mirror: bool,
    photos: &[&image::GrayImage],
    rng: &mut impl Rng,
) -> Result<PhotoView, ConfigError> {
    let grid = grid_of(space)?;
    if photos.is_empty() {
        return Err(ConfigError::Inconsistent(
            "there are no photos to sample".into(),
        ));
    }
    let index = rng.random_range(0..photos.len());
    let photo = photos[index];
    let (lo, hi) = (f64::from(scale.0).ln(), f64::from(scale.1).ln());
    let s = if hi > lo {
        rng.random_range(lo..hi).exp()
    } else {
        lo.exp()
    };
    let angle = rng.random_range(0.0..std::f64::consts::TAU);
    let mirrored = mirror && rng.random::<bool>();
    let reach = grid.r_max * s + MARGIN_PX;
    let (w, h) = (photo.width() as f64, photo.height() as f64);
    // `PhotoSet::new` made sure the disc fits, so these ranges are not empty.
    let cx = rng.random_range(reach..=(w - 1.0 - reach).max(reach));
    let cy = rng.random_range(reach..=(h - 1.0 - reach).max(reach));
    Ok(PhotoView {
        photo: index,
        placement: Placement {
            centre: (cx, cy),
            scale: s,
            angle,
            mirror: mirrored,
        },
    })
}

/// The normalised stimuli of `views` of `photos`, one row each: the grid's sample
/// points are computed once, every view contributes its four bilinear taps per pixel
/// to one sparse `(views · pixels) × (all photos' pixels)` matrix, and one sparse
/// product with the photos' grey values samples the whole batch.
pub fn sample_views(
    space: Space,
    photos: &[&image::GrayImage],
    views: &[PhotoView],
) -> Result<Array2<f32>, ConfigError> {
    let grid = grid_of(space)?;
    let points = grid.points();
    let pixels = points.len();
    // Taps into the photos laid end to end: photo k's pixels start at offsets[k].
    let mut offsets = Vec::with_capacity(photos.len());
    let mut total = 0usize;
    for p in photos {
        offsets.push(total);
        total += p.as_raw().len();
    }
    let mut taps: Vec<(usize, f32)> = Vec::with_capacity(views.len() * pixels * 4);
    for view in views {
        let photo = photos.get(view.photo).ok_or_else(|| {
            ConfigError::Inconsistent(format!("there is no photo {}", view.photo))
        })?;
        let (w, h) = (photo.width() as usize, photo.height() as usize);
        if w == 0 || h == 0 {
            return Err(ConfigError::Inconsistent("a photo has no pixels".into()));
        }
        let sampler = Sampler::at_points(&points, w, h, &view.placement);
        let base = offsets[view.photo];
        taps.extend(
            sampler
                .taps()
                .iter()
                .flatten()
                .map(|&(i, weight)| (base + i as usize, weight)),
        );
    }
    let grey = |global: usize| -> f32 {
        // `global` came from a tap inside one photo, so the photo exists.
        let k = offsets.partition_point(|&o| o <= global) - 1;
        f32::from(photos[k].as_raw()[global - offsets[k]])
    };
    let values: Vec<f32> = taps
        .chunks_exact(4)
        .map(|row| row.iter().map(|&(g, weight)| weight * grey(g)).sum::<f32>() / 255.0)
        .collect();
    let mut out = Array2::from_shape_vec((views.len(), pixels), values)
        .map_err(|e| ConfigError::Inconsistent(e.to_string()))?;
    for mut row in out.rows_mut() {
        if let Some(r) = row.as_slice_mut() {
            crate::model::world::image_patches::normalise(r);
        }
    }
    Ok(out)
}

/// One photo stimulus (module docs), from the bundled photos or, with `data_dir`, from
/// the user's photos there that are large enough for the retina's disc:
/// [`draw_view`], then [`sample_views`].
pub fn rotated_photo(
    space: Space,
    scale: (f32, f32),
    mirror: bool,
    data_dir: Option<&std::path::Path>,
    rng: &mut impl Rng,
) -> Result<Vec<f32>, ConfigError> {
    let set = PhotoSet::new(space, scale, data_dir)?;
    let photos = set.photos()?;
    let view = draw_view(space, scale, mirror, &photos, rng)?;
    Ok(sample_views(space, &photos, &[view])?
        .into_raw_vec_and_offset()
        .0)
}

/// A point uniform over the disc of radius `r`.
fn in_disc(r: f64, rng: &mut impl Rng) -> (f64, f64) {
    let radius = r * rng.random::<f64>().sqrt();
    let a = rng.random_range(0.0..std::f64::consts::TAU);
    (radius * a.cos(), radius * a.sin())
}

/// Anti-aliased segments on the retina: intensity `clamp(thickness + ½ − distance, 0, 1)`
/// at every sample point (distances in retina units), combined by maximum.
pub fn edges(
    space: Space,
    max_edges: usize,
    length: (f32, f32),
    thickness: f32,
    rng: &mut impl Rng,
) -> Result<Vec<f32>, ConfigError> {
    let grid = grid_of(space)?;
    let points: Vec<(f64, f64)> = (0..grid.pixels()).map(|p| grid.point(p)).collect();
    let mut out = vec![0.0f32; points.len()];
    for _ in 0..rng.random_range(1..=max_edges.max(1)) {
        let (cx, cy) = in_disc(grid.r_max, rng);
        let theta = rng.random_range(0.0..std::f64::consts::PI);
        let half = f64::from(uniform(rng, length)) / 2.0;
        let (s, c) = theta.sin_cos();
        for (o, &(x, y)) in out.iter_mut().zip(&points) {
            let (dx, dy) = (x - cx, y - cy);
            let along = (c * dx + s * dy).clamp(-half, half);
            let dist = (dx - along * c).hypot(dy - along * s);
            let v = (f64::from(thickness) + 0.5 - dist).clamp(0.0, 1.0) as f32;
            *o = o.max(v);
        }
    }
    Ok(out)
}

/// Anisotropic Gaussian blobs on the retina (widths in retina units).
pub fn blobs(
    space: Space,
    max_blobs: usize,
    width: (f32, f32),
    aspect: f32,
    rng: &mut impl Rng,
) -> Result<Vec<f32>, ConfigError> {
    let grid = grid_of(space)?;
    let points: Vec<(f64, f64)> = (0..grid.pixels()).map(|p| grid.point(p)).collect();
    let mut out = vec![0.0f32; points.len()];
    for _ in 0..rng.random_range(1..=max_blobs.max(1)) {
        let (cx, cy) = in_disc(grid.r_max, rng);
        let theta = rng.random_range(0.0..std::f64::consts::PI);
        let long = f64::from(uniform(rng, width));
        let short = long * f64::from(aspect);
        let (s, c) = theta.sin_cos();
        for (o, &(x, y)) in out.iter_mut().zip(&points) {
            let (dx, dy) = (x - cx, y - cy);
            let (u, v) = (c * dx + s * dy, -s * dx + c * dy);
            *o += (-0.5 * (u * u / (long * long) + v * v / (short * short))).exp() as f32;
        }
    }
    Ok(out)
}

fn uniform(rng: &mut impl Rng, (lo, hi): (f32, f32)) -> f32 {
    if hi > lo {
        rng.random_range(lo..hi)
    } else {
        lo
    }
}
