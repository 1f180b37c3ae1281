//! The tiled bank on a flat space (ring, line, torus, square): where the copies of each
//! base kernel are anchored, how many detectors that gives, and the checks of a tiled
//! configuration against the space. The polar retina's tiling is [`super::polar_bank`].
//!
//! The anchors are chosen so that the set of copies is closed under the space's exact
//! transformations: every translation on periodic spaces, and the point group about
//! the centre on the square (which is why the anchors there must be symmetric).

use super::detector::Detector;
use super::kernels::rotate_patch;
use crate::model::config::{ConfigError, NeuronLabel, Space};

/// Checks a tiled bank's numbers against a flat space (`max_neurons` caps its size).
pub(super) fn validate_tiled(
    space: Space,
    kernels: usize,
    size: usize,
    stride: usize,
    max_neurons: usize,
) -> Result<(), ConfigError> {
    let side = space.side();
    if kernels == 0 {
        return Err(ConfigError::invalid(
            "bank.kernels",
            "must be at least 1".into(),
        ));
    }
    if size < 2 || size > side {
        return Err(ConfigError::invalid(
            "bank.size",
            format!("must be in 2..={side} for this space, got {size}"),
        ));
    }
    if stride == 0 || stride > side {
        return Err(ConfigError::invalid(
            "bank.stride",
            format!("must be in 1..={side}, got {stride}"),
        ));
    }
    if space.is_periodic() && side % stride != 0 {
        return Err(ConfigError::invalid(
            "bank.stride",
            format!(
                "must divide the side {side} of a periodic space, got {stride} \
                 (otherwise the tiling is not closed under translation)"
            ),
        ));
    }
    if !space.is_periodic() && square_offsets(side, size, stride).is_none() {
        return Err(ConfigError::invalid(
            "bank.stride",
            format!(
                "no set of positions symmetric about the centre exists for side {side}, \
                 size {size}, stride {stride}; make side − size even or the stride odd"
            ),
        ));
    }
    let m = tiled_count(space, kernels, size, stride);
    if m > max_neurons {
        return Err(ConfigError::invalid(
            "bank.kernels",
            format!("the bank would have {m} detectors; at most {max_neurons} are supported"),
        ));
    }
    Ok(())
}

/// Anchor coordinates (top-left of the patch) along one axis.
fn axis_anchors(space: Space, size: usize, stride: usize) -> Vec<usize> {
    let side = space.side();
    if space.is_periodic() {
        // Choose the offset so that the mirror a ↦ side − size − a maps the set onto
        // itself (then so does every element of D4); any offset works for translations.
        let offset = (0..stride)
            .find(|&a| (2 * a + size) % stride == side % stride)
            .unwrap_or(0);
        (0..side / stride).map(|k| offset + k * stride).collect()
    } else {
        match square_offsets(side, size, stride) {
            Some((first, count)) => (0..count).map(|k| first + k * stride).collect(),
            None => Vec::new(),
        }
    }
}

/// On the square: `(first anchor, number of anchors)` of the largest set of positions
/// where the patch fits that is symmetric about the centre.
fn square_offsets(side: usize, size: usize, stride: usize) -> Option<(usize, usize)> {
    if size > side || stride == 0 {
        return None;
    }
    let span = side - size;
    let max_count = span / stride + 1;
    (1..=max_count).rev().find_map(|count| {
        let rest = span - (count - 1) * stride;
        (rest % 2 == 0).then_some((rest / 2, count))
    })
}

/// The number of detectors of a tiled bank on a flat space (saturating, never wrapping).
pub(crate) fn tiled_count(space: Space, kernels: usize, size: usize, stride: usize) -> usize {
    let per_axis = axis_anchors(space, size, stride).len();
    if space.is_2d() {
        per_axis
            .saturating_mul(per_axis)
            .saturating_mul(kernels)
            .saturating_mul(4)
    } else {
        per_axis.saturating_mul(kernels)
    }
}

/// Places `patch` (1-D taps or `size × size`) with its top-left at `(ax, ay)`, wrapping
/// on periodic spaces.
pub(super) fn place(space: Space, patch: &[f32], size: usize, ax: usize, ay: usize) -> Vec<f32> {
    let side = space.side();
    let mut field = vec![0.0f32; space.pixels()];
    if space.is_2d() {
        for dy in 0..size {
            for dx in 0..size {
                let (x, y) = ((ax + dx) % side, (ay + dy) % side);
                field[space.pixel(x, y)] = patch[dy * size + dx];
            }
        }
    } else {
        for (d, &v) in patch.iter().enumerate() {
            field[(ax + d) % side] = v;
        }
    }
    field
}

fn wrap_coord(v: f32, side: usize, periodic: bool) -> f32 {
    if periodic {
        v.rem_euclid(side as f32)
    } else {
        v
    }
}

/// Every copy of every base kernel (in all four quarter turns on 2-D spaces), in label
/// order: rows of anchors, then anchors, then kernels, then rotations.
pub(super) fn tiled(space: Space, bases: &[Vec<f32>], size: usize, stride: usize) -> Vec<Detector> {
    let anchors = axis_anchors(space, size, stride);
    let side = space.side();
    let half = (size as f32 - 1.0) / 2.0;
    let periodic = space.is_periodic();
    let mut out = Vec::new();
    let rows: Vec<usize> = if space.is_2d() {
        anchors.clone()
    } else {
        vec![0]
    };
    let rotations: u8 = if space.is_2d() { 4 } else { 1 };
    for &ay in &rows {
        for &ax in &anchors {
            for (c, base) in bases.iter().enumerate() {
                for r in 0..rotations {
                    let patch = if space.is_2d() {
                        rotate_patch(base, size, r)
                    } else {
                        base.clone()
                    };
                    let cy = if space.is_2d() {
                        wrap_coord(ay as f32 + half, side, periodic)
                    } else {
                        0.0
                    };
                    out.push(Detector {
                        field: place(space, &patch, size, ax, ay),
                        label: NeuronLabel {
                            centre: (wrap_coord(ax as f32 + half, side, periodic), cy),
                            position: space.pixel(ax, ay),
                            kernel: Some(c),
                            rotation: r,
                        },
                    });
                }
            }
        }
    }
    out
}
