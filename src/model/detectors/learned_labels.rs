//! Labels of learned fields (scoring and display only): the energy centroid, the nearest
//! pixel, and — for a bank with one detector per filter — the sign each filter is read
//! with. 1-D fields keep the formulas `ring-learned` was measured with; 2-D fields use
//! [`super::field_geometry`] (a circular mean along every periodic axis).

use super::field_geometry::Grid;
use crate::model::config::{NeuronLabel, Space};

/// The sign that makes a field rise from left to right: `+1` if `Σ f(x)³ · (x − c)` (the
/// displacement from its energy centroid `c`, circular on a ring, weighted by the
/// field's energy `f²`) is positive. Symmetric
/// fields, where that sum vanishes, take the sign of their largest entry. On 2-D
/// spaces, where "left to right" depends on the field's orientation, the sign that makes
/// `Σ f³` positive (the strongest lobe positive), then that of the largest entry.
pub fn orientation(space: Space, field: &[f32]) -> f32 {
    if space.is_2d() {
        return sign_2d(field);
    }
    let n = field.len().max(1) as f64;
    let c = f64::from(label_of(space, field, 0).centre.0);
    let slope: f64 = field
        .iter()
        .enumerate()
        .map(|(x, &v)| {
            let mut d = x as f64 - c;
            if space.is_periodic() {
                d = (d + n / 2.0).rem_euclid(n) - n / 2.0;
            }
            // Weighted by the field's own energy (f³ = f · f²): the tails a finite
            // sample leaves all over the ring, multiplied by their distance from the
            // centre, would otherwise outweigh the edge itself and flip half the signs.
            f64::from(v).powi(3) * d
        })
        .sum();
    let peak = field
        .iter()
        .copied()
        .fold(0.0f32, |a, v| if v.abs() > a.abs() { v } else { a });
    if slope.abs() > 1e-6 {
        slope.signum() as f32
    } else if peak < 0.0 {
        -1.0
    } else {
        1.0
    }
}

/// The label any field would get in a learned bank (energy centroid and nearest pixel;
/// no kernel): used to sort and measure fields while they are still learning.
pub fn field_label(space: Space, field: &[f32]) -> NeuronLabel {
    NeuronLabel {
        kernel: None,
        ..label_of(space, field, 0)
    }
}

/// Label of a learned field: energy-weighted centroid (circular on a ring), the nearest
/// pixel, the polarity as the kernel. Energy (`f²`), not `|f|`, so the weak tails a
/// finite sample leaves all over the ring hardly move the centre.
pub(crate) fn label_of(space: Space, field: &[f32], polarity: usize) -> NeuronLabel {
    if space.is_2d() {
        return label_2d(space, field, polarity);
    }
    let n = field.len().max(1);
    let periodic = space.is_periodic();
    let weights = field.iter().map(|&v| f64::from(v) * f64::from(v));
    let centre = if periodic {
        let tau = std::f64::consts::TAU;
        let (s, c) = weights.enumerate().fold((0.0, 0.0), |(s, c), (x, w)| {
            let a = tau * x as f64 / n as f64;
            (s + w * a.sin(), c + w * a.cos())
        });
        (s.atan2(c) / tau * n as f64).rem_euclid(n as f64)
    } else {
        let (sum, total) = weights
            .enumerate()
            .fold((0.0, 0.0), |(s, t), (x, w)| (s + w * x as f64, t + w));
        if total > 0.0 { sum / total } else { 0.0 }
    };
    let mut position = centre.round() as usize;
    if position >= n {
        position = if periodic { 0 } else { n - 1 };
    }
    NeuronLabel {
        centre: (centre as f32, 0.0),
        position,
        kernel: Some(polarity),
        rotation: 0,
    }
}

/// The 2-D label: energy centroid (circular along periodic axes), nearest pixel.
fn label_2d(space: Space, field: &[f32], polarity: usize) -> NeuronLabel {
    let grid = Grid::of(space);
    let energy: Vec<f64> = field.iter().map(|&v| f64::from(v).powi(2)).collect();
    let centre = grid.centroid(&energy);
    NeuronLabel {
        centre: (centre.0 as f32, centre.1 as f32),
        position: grid.nearest_pixel(centre),
        kernel: Some(polarity),
        rotation: 0,
    }
}

/// See [`orientation`]: the sign of `Σ f³`, else of the largest entry.
fn sign_2d(field: &[f32]) -> f32 {
    let skew: f64 = field.iter().map(|&v| f64::from(v).powi(3)).sum();
    let peak = field
        .iter()
        .copied()
        .fold(0.0f32, |a, v| if v.abs() > a.abs() { v } else { a });
    if skew.abs() > 1e-9 {
        skew.signum() as f32
    } else if peak < 0.0 {
        -1.0
    } else {
        1.0
    }
}
