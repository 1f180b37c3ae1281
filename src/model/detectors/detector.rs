//! One detector before the bank puts it in its hidden order, and how two receptive
//! fields are compared: on a fixed quantisation grid, so that fields equal up to
//! floating-point noise (a rotated or shifted copy of a kernel) count as the same.

use std::collections::HashMap;

use crate::model::config::NeuronLabel;

/// A neuron before the hidden order is applied: its receptive field over the pixels and
/// its ground-truth label.
pub(super) struct Detector {
    /// Receptive field, one value per pixel.
    pub(super) field: Vec<f32>,
    /// Ground-truth label (centre, anchor pixel, kernel, rotation).
    pub(super) label: NeuronLabel,
}

/// Quantisation step for matching fields: coarser than `f32` rounding in the kernels'
/// rotations and shifts, finer than any real difference between two kernels.
const MATCH_GRID: f32 = 1e-5;

/// A field value on the matching grid.
pub(super) fn quantise(v: f32) -> i32 {
    (v / MATCH_GRID).round() as i32
}

/// The first pair of detectors with the same (quantised) receptive field.
///
/// Two equal fields would make the neuron permutation of a transformation ambiguous (and
/// the weight matrix degenerate), so the bank refuses them at build time.
pub(super) fn first_duplicate(detectors: &[Detector]) -> Option<(usize, usize)> {
    let mut seen: HashMap<Vec<i32>, usize> = HashMap::with_capacity(detectors.len());
    for (i, d) in detectors.iter().enumerate() {
        let key: Vec<i32> = d.field.iter().map(|&v| quantise(v)).collect();
        if let Some(&j) = seen.get(&key) {
            return Some((j, i));
        }
        seen.insert(key, i);
    }
    None
}
