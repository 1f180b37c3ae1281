//! Scoring found permutations against known (ground-truth) transformations.

use serde::Serialize;

use crate::perm::Permutation;

/// Consistency at or above which a true transformation counts as recovered.
pub const RECOVERED: f64 = 0.95;

/// The best-matching true transformation of one result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Match {
    /// Name of the true transformation (its `Display`, e.g. "shift +1").
    pub transformation: String,
    /// Fraction of nodes `i` with `π(i) = g(i)`.
    pub consistency: f64,
}

impl Match {
    /// `consistency ≥ 0.95`.
    pub fn recovered(&self) -> bool {
        self.consistency >= RECOVERED
    }
}

/// Fraction of `i` with `a(i) = b(i)` (0 for different sizes).
pub fn consistency(a: &Permutation, b: &Permutation) -> f64 {
    if a.len() != b.len() || a.is_empty() {
        return 0.0;
    }
    let same = a
        .images()
        .iter()
        .zip(b.images())
        .filter(|(x, y)| x == y)
        .count();
    same as f64 / a.len() as f64
}

/// The true transformation that agrees with `found` on the most nodes
/// (first one on ties), or `None` when `truths` is empty.
pub fn best_match<N: ToString>(found: &Permutation, truths: &[(N, Permutation)]) -> Option<Match> {
    let mut best: Option<Match> = None;
    for (name, g) in truths {
        let c = consistency(found, g);
        if best.as_ref().is_none_or(|b| c > b.consistency) {
            best = Some(Match {
                transformation: name.to_string(),
                consistency: c,
            });
        }
    }
    best
}

/// Names of the true transformations recovered by at least one of `found`.
pub fn recovered<N: ToString>(found: &[Permutation], truths: &[(N, Permutation)]) -> Vec<String> {
    truths
        .iter()
        .filter(|(_, g)| found.iter().any(|p| consistency(p, g) >= RECOVERED))
        .map(|(name, _)| name.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn best_match_picks_the_most_consistent_truth() {
        let n = 40;
        let shift =
            |k: usize| Permutation::from_images((0..n).map(|i| (i + k) % n).collect()).unwrap();
        let truths = vec![("shift +1", shift(1)), ("shift +2", shift(2))];
        let mut noisy: Vec<usize> = shift(2).images().to_vec();
        noisy.swap(0, 1);
        let found = Permutation::from_images(noisy).unwrap();
        let m = best_match(&found, &truths).unwrap();
        assert_eq!(m.transformation, "shift +2");
        assert!((m.consistency - 38.0 / 40.0).abs() < 1e-12);
        assert!(m.recovered());
        assert_eq!(recovered(&[found], &truths), vec!["shift +2".to_string()]);
        assert!(best_match::<&str>(&shift(1), &[]).is_none());
    }
}
