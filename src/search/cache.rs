//! Whole-matrix values of the permutations the polish steps ask about, kept so that
//! an unchanged permutation costs no second `O(n²)` pass.
//!
//! A grown candidate is scored, polished by 2-opt, re-assigned, polished again and
//! offered; on a good candidate most of these steps change nothing, yet each used to
//! recompute the score (`S(π)`) and the node errors of the whole matrix: about ten
//! passes over `W` per candidate, a gigabyte each at 16,384 nodes. The cache answers
//! with the value computed for the same permutation, bit for bit what a new pass would
//! give (the passes are deterministic), so results do not change.
//!
//! Node errors are also kept up to date when only a few images change (a swap, a
//! re-assigned handful of worst nodes): every other node's error changes only in the
//! terms of the changed nodes, `O(n·changed)` instead of `O(n²)`. Updated values
//! differ from a new pass by rounding, so they carry a bound on that difference, and
//! [`NodeErrors::worst`] recomputes the few nodes near its cut-off exactly: it picks
//! the nodes a new pass would pick, in the same order.

use rayon::prelude::*;

use super::objective::Objective;

/// From this many nodes near the cut-off their errors are recomputed on all cores.
const PARALLEL_NEAR: usize = 256;

/// The last permutation scored and its score.
#[derive(Default)]
pub(crate) struct ScoreCache {
    perm: Vec<usize>,
    score: f64,
}

impl ScoreCache {
    /// `S(π)` ([`Objective::score`]), from the cache when `p` was the last one scored.
    pub fn score(&mut self, obj: &Objective, p: &[usize]) -> f64 {
        if self.perm.len() != p.len() || self.perm != p {
            self.score = obj.score(p);
            self.perm.clear();
            self.perm.extend_from_slice(p);
        }
        self.score
    }
}

/// Above this share of changed images the node errors are recomputed in one pass
/// instead of updated (an update costs `O(n)` per changed node).
const UPDATE_MAX_SHARE: usize = 8;

/// Node errors ([`Objective::node_errors`]) of one permutation, kept up to date as its
/// images change.
#[derive(Default)]
pub(crate) struct NodeErrors {
    /// The permutation the values belong to.
    perm: Vec<usize>,
    /// Per node, the error: exact (as [`Objective::node_error`] computes it) or updated.
    value: Vec<f64>,
    /// Per node, a bound on `|value − e|` with `e` the error in exact arithmetic.
    slack: Vec<f64>,
    /// Relative rounding of [`Objective::node_error`] against exact arithmetic.
    rel: f64,
}

/// Unit round-off of `f32` and `f64`.
const U32: f64 = 1.0 / (1u64 << 24) as f64;
const U64: f64 = 1.0 / (1u64 << 53) as f64;

impl NodeErrors {
    /// A bound on the relative rounding of one node error in `f32`: the terms are
    /// non-negative, so eight running sums of `n/8` terms, their sum and the tail
    /// err by at most `(n/8 + 16)·u` relative (Higham, *Accuracy and Stability*, §4.2),
    /// and each term `(a − b)²` by `3u`; doubled for the row and column halves and
    /// widened generously.
    fn relative_rounding(n: usize) -> f64 {
        2.0 * ((n / 8 + 24) as f64 * U32) * 1.25
    }

    /// The errors for `p`: updated from the last permutation when few images changed,
    /// otherwise recomputed.
    fn sync(&mut self, obj: &Objective, p: &[usize]) {
        let n = obj.n;
        if self.perm.len() == n {
            let changed: Vec<usize> = (0..n).filter(|&i| self.perm[i] != p[i]).collect();
            if changed.is_empty() {
                return;
            }
            if changed.len() * UPDATE_MAX_SHARE <= n {
                self.update(obj, p, &changed);
                return;
            }
        }
        self.rel = Self::relative_rounding(n);
        self.value = obj.node_errors(p);
        self.slack = self.value.iter().map(|&e| self.rel * e).collect();
        self.perm.clear();
        self.perm.extend_from_slice(p);
    }

    /// From `self.perm` to `p`, which differ at `changed` only.
    fn update(&mut self, obj: &Objective, p: &[usize], changed: &[usize]) {
        let n = obj.n;
        let old = &self.perm;
        let mut is_changed = vec![false; n];
        changed.iter().for_each(|&c| is_changed[c] = true);
        let w = |i: usize, j: usize| obj.w[i * n + j] as f64;
        let sq = |x: f64| x * x;
        let k = if obj.symmetric { 2.0 } else { 1.0 };
        for i in 0..n {
            if is_changed[i] {
                continue;
            }
            let pi = p[i];
            let mut delta = 0.0f64;
            let mut size = 0.0f64;
            for &c in changed {
                let (po, pn) = (old[c], p[c]);
                let (a, b) = (sq(w(pi, pn) - w(i, c)), sq(w(pi, po) - w(i, c)));
                delta += k * (a - b);
                size += k * (a + b);
                if !obj.symmetric {
                    let (a, b) = (sq(w(pn, pi) - w(c, i)), sq(w(po, pi) - w(c, i)));
                    delta += a - b;
                    size += a + b;
                }
            }
            self.value[i] += delta;
            // The terms, their running sum and the addition err by a few f64 ulps each.
            let ops = (4 * changed.len() + 8) as f64;
            self.slack[i] += ops * U64 * (self.value[i].abs() + size + delta.abs());
        }
        for &c in changed {
            let e = obj.node_error(p, c);
            self.value[c] = e;
            self.slack[c] = self.rel * e;
        }
        self.perm.clear();
        self.perm.extend_from_slice(p);
    }

    /// The `k` nodes with the largest error for `p`, worst first (ties by index):
    /// exactly those, in that order, that sorting a new [`Objective::node_errors`]
    /// pass gives.
    pub fn worst(&mut self, obj: &Objective, p: &[usize], k: usize) -> Vec<usize> {
        self.sync(obj, p);
        let n = obj.n;
        let k = k.min(n);
        if k == 0 {
            return Vec::new();
        }
        // A new pass would give each node a value within `reach` of `value`: the
        // stored value's own distance from exact arithmetic (`slack`) plus the new
        // pass's rounding (relative to the exact value, at most value + slack).
        let reach = |i: usize| {
            let s = self.slack[i];
            s + self.rel * (self.value[i].abs() + s) * 1.01
        };
        let mut lower: Vec<f64> = (0..n).map(|i| self.value[i] - reach(i)).collect();
        let cut = {
            let (_, kth, _) = lower.select_nth_unstable_by(k - 1, |a, b| b.total_cmp(a));
            *kth
        };
        // Every node a new pass ranks among the worst `k` has a new value at least
        // the k-th largest lower bound, so its upper bound reaches the cut-off.
        let near: Vec<usize> = (0..n)
            .filter(|&i| self.value[i] + reach(i) >= cut)
            .collect();
        // Many nodes near the cut-off (errors all alike) cost a whole pass: on all cores
        // then, as the pass itself.
        let mut near: Vec<(f64, usize)> = if near.len() >= PARALLEL_NEAR {
            near.into_par_iter()
                .map(|i| (obj.node_error(p, i), i))
                .collect()
        } else {
            near.into_iter()
                .map(|i| (obj.node_error(p, i), i))
                .collect()
        };
        for &(e, i) in &near {
            self.value[i] = e;
            self.slack[i] = self.rel * e;
        }
        lower.clear();
        near.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        near.truncate(k);
        near.into_iter().map(|(_, i)| i).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::WeightedGraph;
    use ndarray::Array2;
    use rand::{Rng, SeedableRng, seq::SliceRandom};
    use rand_chacha::ChaCha8Rng;

    fn worst_by_pass(obj: &Objective, p: &[usize], k: usize) -> Vec<usize> {
        let e = obj.node_errors(p);
        let mut idx: Vec<usize> = (0..obj.n).collect();
        idx.sort_by(|&a, &b| e[b].total_cmp(&e[a]).then(a.cmp(&b)));
        idx.truncate(k);
        idx
    }

    fn check(symmetric: bool, seed: u64) {
        let n = 200;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut w = Array2::from_shape_fn((n, n), |_| rng.random_range(-1.0f32..1.0));
        if symmetric {
            w = &w + &w.t();
        }
        let obj = Objective::new(&WeightedGraph::new(w, None).unwrap(), 0.3);
        assert_eq!(obj.symmetric, symmetric);
        let mut p: Vec<usize> = (0..n).collect();
        p.shuffle(&mut rng);
        let mut cache = NodeErrors::default();
        for step in 0..60 {
            // Swaps, and now and then a re-assigned handful, as polish makes them.
            let moves = if step % 10 == 9 { 12 } else { 1 };
            for _ in 0..moves {
                let (a, b) = (rng.random_range(0..n), rng.random_range(0..n));
                p.swap(a, b);
            }
            let k = [1, 7, 24][step % 3];
            assert_eq!(
                cache.worst(&obj, &p, k),
                worst_by_pass(&obj, &p, k),
                "step {step}"
            );
            // The updated values stay within their slack of a new pass.
            let fresh = obj.node_errors(&p);
            for (i, &e) in fresh.iter().enumerate() {
                let d = (cache.value[i] - e).abs();
                assert!(
                    d <= cache.slack[i] + cache.rel * e * 1.01 + 1e-12,
                    "{i}: {d}"
                );
                assert!(d <= 1e-4 * (1.0 + e), "{i}: {d}");
            }
        }
        // Nodes with equal errors keep their order by index.
        let ident: Vec<usize> = (0..n).collect();
        assert_eq!(cache.worst(&obj, &ident, 5), vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn updated_node_errors_pick_the_worst_nodes_a_new_pass_picks() {
        check(false, 1);
        check(true, 2);
    }

    #[test]
    fn the_score_cache_answers_for_the_permutation_asked() {
        let n = 30;
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let w = Array2::from_shape_fn((n, n), |_| rng.random_range(-1.0f32..1.0));
        let obj = Objective::new(&WeightedGraph::new(w, None).unwrap(), 0.3);
        let mut p: Vec<usize> = (0..n).collect();
        p.shuffle(&mut rng);
        let mut cache = ScoreCache::default();
        assert_eq!(cache.score(&obj, &p), obj.score(&p));
        p.swap(3, 4);
        assert_eq!(cache.score(&obj, &p), obj.score(&p));
        assert_eq!(cache.score(&obj, &p), obj.score(&p));
    }
}
