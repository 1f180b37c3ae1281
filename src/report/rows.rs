//! One row of a search's results, described for people: error, cycle structure and
//! the true transformation it matches best (labels score results; the search never
//! reads them).

use crate::model::Transformation;
use crate::perm::Permutation;

/// The best-matching true transformation of a found permutation.
#[derive(Clone, Debug, PartialEq)]
pub struct TruthMatch {
    /// The transformation.
    pub transformation: Transformation,
    /// Fraction of neurons `i` with `π(i) = g(i)`; "recovered" means ≥ 0.95.
    pub consistency: f64,
}

/// One row of the results table.
#[derive(Clone, Debug, PartialEq)]
pub struct FoundPermutation {
    /// The permutation of neurons (stored order).
    pub permutation: Permutation,
    /// `‖W − πW‖_F / ‖W‖_F`.
    pub error: f64,
    /// `‖d − πd‖ / ‖d‖`.
    pub node_error: f64,
    /// Number of fixed points.
    pub fixed_points: usize,
    /// Order of `π`.
    pub order: u64,
    /// Cycle type `(length, count)`.
    pub cycle_type: Vec<(usize, usize)>,
    /// Best ground-truth match, when labels exist.
    pub truth: Option<TruthMatch>,
}

/// Builds a table row: error, cycle structure and the best ground-truth match, its
/// consistency counted over the neurons with `scored[i]` (all for `None`).
pub fn describe(
    permutation: Permutation,
    error: f64,
    node_error: f64,
    ground_truth: &[(Transformation, Permutation)],
    scored: Option<&[bool]>,
) -> FoundPermutation {
    let truth = best_truth_match_within(&permutation, ground_truth, scored);
    FoundPermutation {
        fixed_points: permutation.fixed_points(),
        order: permutation.order(),
        cycle_type: permutation.cycle_type(),
        permutation,
        error,
        node_error,
        truth,
    }
}

/// The true transformation agreeing with `pi` on the most neurons, with that fraction.
pub fn best_truth_match(
    pi: &Permutation,
    ground_truth: &[(Transformation, Permutation)],
) -> Option<TruthMatch> {
    best_truth_match_within(pi, ground_truth, None)
}

/// [`best_truth_match`] counting only the neurons with `scored[i]` (all for `None`): on
/// an open line its interior, where the shifts are translations — the consistency the
/// CLI's JSON reports (`line_space::masked_consistency`).
pub fn best_truth_match_within(
    pi: &Permutation,
    ground_truth: &[(Transformation, Permutation)],
    scored: Option<&[bool]>,
) -> Option<TruthMatch> {
    let n = pi.len();
    if n == 0 {
        return None;
    }
    ground_truth
        .iter()
        .filter(|(_, g)| g.len() == n)
        .map(|(t, g)| TruthMatch {
            transformation: *t,
            consistency: crate::model::detectors::line_space::masked_consistency(pi, g, scored),
        })
        .max_by(|a, b| a.consistency.total_cmp(&b.consistency))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On an open line the ends cannot follow a shift; counted over the interior, as
    /// the CLI's JSON counts, a result that shifts every interior neuron recovers it.
    #[test]
    fn consistency_is_counted_over_the_scored_neurons() {
        let shift = Permutation::from_images(vec![1, 2, 3, 4, 5, 0]).unwrap();
        let truth = vec![(Transformation::Shift { k: 1 }, shift)];
        // Agrees on neurons 1..=4, not on the two ends.
        let found = Permutation::from_images(vec![0, 2, 3, 4, 5, 1]).unwrap();
        let all = best_truth_match(&found, &truth).unwrap();
        assert!((all.consistency - 4.0 / 6.0).abs() < 1e-12);
        let interior = [false, true, true, true, true, false];
        let within = best_truth_match_within(&found, &truth, Some(&interior)).unwrap();
        assert_eq!(within.consistency, 1.0);
        let row = describe(found, 0.1, 0.0, &truth, Some(&interior));
        assert_eq!(row.truth.map(|t| t.consistency), Some(1.0));
    }
}
