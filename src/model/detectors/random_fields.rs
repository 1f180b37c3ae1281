//! The random bank: `count` seeded Gaussian patches at seeded anchors. It has no exact
//! symmetry, which is the point — it shows what the learning finds when the world's
//! transformations do not map detectors onto detectors.

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

use super::detector::Detector;
use super::kernels::normalise;
use super::tiling::place;
use crate::model::config::{ConfigError, NeuronLabel, Space};

/// Checks a random bank's numbers against a (flat) space.
pub(super) fn validate_random(
    space: Space,
    count: usize,
    size: usize,
    max_neurons: usize,
) -> Result<(), ConfigError> {
    let side = space.side();
    if count == 0 || count > max_neurons {
        return Err(ConfigError::invalid(
            "bank.count",
            format!("must be in 1..={max_neurons}, got {count}"),
        ));
    }
    if size < 2 || size > side {
        return Err(ConfigError::invalid(
            "bank.size",
            format!("must be in 2..={side} for this space, got {size}"),
        ));
    }
    Ok(())
}

/// Centroid of `|f|` along one axis; circular mean on periodic spaces.
fn axis_centroid(weights: &[(f32, f32)], side: usize, periodic: bool) -> f32 {
    let total: f32 = weights.iter().map(|&(_, w)| w).sum();
    if total <= 0.0 {
        return 0.0;
    }
    if periodic {
        let tau = std::f32::consts::TAU;
        let (s, c) = weights.iter().fold((0.0f32, 0.0f32), |(s, c), &(x, w)| {
            let a = tau * x / side as f32;
            (s + w * a.sin(), c + w * a.cos())
        });
        (s.atan2(c) / tau * side as f32).rem_euclid(side as f32)
    } else {
        weights.iter().map(|&(x, w)| x * w).sum::<f32>() / total
    }
}

/// `count` random unit-norm patches of `size` (taps or `size × size`), each labelled
/// by the centroid of its `|field|`; sorted by that position so the label order is
/// spatial, as for a tiled bank.
pub(super) fn random_fields(
    space: Space,
    count: usize,
    size: usize,
    rng: &mut impl Rng,
) -> Result<Vec<Detector>, ConfigError> {
    let side = space.side();
    let periodic = space.is_periodic();
    let taps = if space.is_2d() { size * size } else { size };
    let max_anchor = if periodic { side } else { side - size + 1 };
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let mut patch: Vec<f32> = (0..taps).map(|_| StandardNormal.sample(rng)).collect();
        normalise(&mut patch).ok_or_else(|| {
            ConfigError::invalid("bank.size", "random field vanished".to_string())
        })?;
        let ax = rng.random_range(0..max_anchor);
        let ay = if space.is_2d() {
            rng.random_range(0..max_anchor)
        } else {
            0
        };
        let field = place(space, &patch, size, ax, ay);
        let mut xs = Vec::new();
        let mut ys = Vec::new();
        for (p, &v) in field.iter().enumerate() {
            if v != 0.0 {
                let (x, y) = space.coords(p);
                xs.push((x as f32, v.abs()));
                ys.push((y as f32, v.abs()));
            }
        }
        let cx = axis_centroid(&xs, side, periodic);
        let cy = if space.is_2d() {
            axis_centroid(&ys, side, periodic)
        } else {
            0.0
        };
        let px = (cx.round() as usize).min(side - 1);
        let py = if space.is_2d() {
            (cy.round() as usize).min(side - 1)
        } else {
            0
        };
        let px = if periodic && cx.round() as usize >= side {
            0
        } else {
            px
        };
        let py = if periodic && space.is_2d() && cy.round() as usize >= side {
            0
        } else {
            py
        };
        out.push(Detector {
            field,
            label: NeuronLabel {
                centre: (cx, cy),
                position: space.pixel(px, py),
                kernel: None,
                rotation: 0,
            },
        });
    }
    out.sort_by_key(|d| d.label.position);
    Ok(out)
}
