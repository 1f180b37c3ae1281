//! Metrics of the learned graph (SPEC §5) and the schedule on which they are recorded.
//!
//! All of them are computed from the raw weight buffer and the lazy decay scale, without
//! materialising `W`: norms and the maximum scale with it, the relative symmetry errors and
//! the sparsity do not depend on it.

use ndarray::ArrayView2;

use super::simulation::MetricsRecord;
use crate::perm::{Permutation, relative_error};

/// Steps up to which every step is recorded.
const RECORD_EVERY_STEP_UNTIL: u64 = 20;
/// Recorded points per decade of steps after that.
const POINTS_PER_DECADE: f64 = 40.0;

/// Whether step `step` (1-based count of steps taken) is on the recording schedule:
/// every step up to 20, then about 40 log-spaced points per decade. `e_g` costs `O(M²)`,
/// so recording it every step would dominate training time for large `M`.
pub fn on_schedule(step: u64) -> bool {
    if step <= RECORD_EVERY_STEP_UNTIL {
        return true;
    }
    let bucket = |s: u64| ((s as f64).log10() * POINTS_PER_DECADE).floor() as i64;
    bucket(step) != bucket(step - 1)
}

/// Everything the metrics need besides the weights.
#[derive(Clone, Copy, Debug)]
pub struct MetricsInput<'a> {
    /// Steps taken.
    pub step: u64,
    /// Stimuli seen.
    pub stimuli: u64,
    /// Lazy decay scale (`W = scale · W_raw`).
    pub scale: f64,
    /// Mean detector activity over the last batch.
    pub mean_activity: f64,
    /// The true transformation as a neuron permutation.
    pub true_permutation: &'a Permutation,
    /// The fixed random baseline permutation.
    pub random_permutation: &'a Permutation,
}

/// Computes a [`MetricsRecord`] for `W = scale · w_raw`.
pub fn compute(w_raw: ArrayView2<f32>, input: MetricsInput<'_>) -> MetricsRecord {
    let m = w_raw.nrows();
    let mut sum_sq = 0.0f64;
    let mut max_abs = 0.0f32;
    for &w in w_raw.iter() {
        sum_sq += f64::from(w) * f64::from(w);
        max_abs = max_abs.max(w.abs());
    }
    let off_diagonal = (m * m).saturating_sub(m);
    let sparsity = if off_diagonal == 0 || max_abs == 0.0 {
        1.0
    } else {
        let tol = 1e-6 * max_abs;
        let small = w_raw
            .indexed_iter()
            .filter(|((i, j), w)| i != j && w.abs() <= tol)
            .count();
        small as f64 / off_diagonal as f64
    };
    let symmetry_error = |p: &Permutation| {
        if p.len() == m {
            relative_error(w_raw, p)
        } else {
            f64::NAN
        }
    };
    MetricsRecord {
        step: input.step,
        stimuli: input.stimuli,
        weight_norm: sum_sq.sqrt() * input.scale,
        sparsity,
        max_weight: f64::from(max_abs) * input.scale,
        mean_activity: input.mean_activity,
        symmetry_error_true: symmetry_error(input.true_permutation),
        symmetry_error_random: symmetry_error(input.random_permutation),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn schedule_is_dense_early_and_log_spaced_later() {
        assert!((1..=20).all(on_schedule));
        let decade = (1000..10000).filter(|&s| on_schedule(s)).count();
        assert!((38..=42).contains(&decade), "{decade} points in a decade");
    }

    #[test]
    fn metrics_of_a_small_matrix() {
        let w = array![[0.0f32, 1.0, 0.0], [1.0, 0.0, 2.0], [0.0, 2.0, 0.0]];
        let id = Permutation::identity(3);
        let swap = Permutation::from_images(vec![2, 1, 0]).unwrap();
        let r = compute(
            w.view(),
            MetricsInput {
                step: 1,
                stimuli: 1,
                scale: 0.5,
                mean_activity: 0.0,
                true_permutation: &id,
                random_permutation: &swap,
            },
        );
        assert!((r.weight_norm - 0.5 * 10f64.sqrt()).abs() < 1e-12);
        assert_eq!(r.max_weight, 1.0);
        assert!((r.sparsity - 2.0 / 6.0).abs() < 1e-12);
        assert_eq!(r.symmetry_error_true, 0.0);
        // swap maps the 1-edge onto the 2-edge: ‖W − πW‖² = 4·1 = 4, ‖W‖² = 10.
        assert!((r.symmetry_error_random - (4.0f64 / 10.0).sqrt()).abs() < 1e-9);
    }
}
