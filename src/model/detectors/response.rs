//! How a bank responds to stimuli (SPEC §4): the drive `⟨f_i, s⟩`, the activation
//! `φ(drive − θ)`, and the optional k-winners-take-all competition within each stimulus.

use ndarray::{Array2, ArrayView2, Axis};

use crate::model::config::{Activation, ConfigError};

/// `φ(x)`.
pub fn apply_activation(activation: Activation, x: f32) -> f32 {
    match activation {
        Activation::Relu => x.max(0.0),
        Activation::Binary => {
            if x > 0.0 {
                1.0
            } else {
                0.0
            }
        }
        Activation::Sigmoid => 1.0 / (1.0 + (-x).exp()),
    }
}

/// Activities `B × M` of the detectors with receptive fields `fields` (`M × pixels`) for
/// stimuli `B × pixels`: drive by one matrix product, then `φ(drive − θ)`, then, if
/// `k_winners = Some(k)`, k-winners-take-all per row: the `k` detectors with the largest
/// drive keep their activity, the rest are zeroed (ties broken by lower stored index).
/// An error if the stimuli have the wrong number of pixels.
pub(super) fn activities(
    fields: ArrayView2<f32>,
    stimuli: ArrayView2<f32>,
    activation: Activation,
    threshold: f32,
    k_winners: Option<usize>,
) -> Result<Array2<f32>, ConfigError> {
    if stimuli.ncols() != fields.ncols() {
        return Err(ConfigError::Invalid {
            field: "stimulus",
            reason: format!(
                "has {} pixels, the bank expects {}",
                stimuli.ncols(),
                fields.ncols()
            ),
        });
    }
    let m = fields.nrows();
    let drive = stimuli.dot(&fields.t());
    let mut act = drive.mapv(|x| apply_activation(activation, x - threshold));
    if let Some(k) = k_winners
        && k < m
    {
        // The winners are chosen by drive, not activity: a saturated or binary φ would
        // otherwise tie every active detector.
        let mut order: Vec<usize> = Vec::with_capacity(m);
        for (mut row, drow) in act.axis_iter_mut(Axis(0)).zip(drive.axis_iter(Axis(0))) {
            order.clear();
            order.extend(0..drow.len());
            let cmp = |a: &usize, b: &usize| {
                drow[*b]
                    .partial_cmp(&drow[*a])
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(a.cmp(b))
            };
            if k > 0 {
                order.select_nth_unstable_by(k - 1, cmp);
            }
            for &i in &order[k..] {
                row[i] = 0.0;
            }
        }
    }
    Ok(act)
}
