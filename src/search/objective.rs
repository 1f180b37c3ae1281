//! The objective every solver minimises, with O(n) swap deltas.
//!
//! With `S(π) = Σ_ij W[i][j]·W[π(i)][π(j)]` the squared automorphism error is
//! `‖W − πW‖²_F = 2(‖W‖²_F − S(π))`, so the relative squared error is
//! `r² = 2(1 − S/‖W‖²)`. The penalised cost is `J(π) = r²(π) + c·fix(π)/n`
//! (QSA's fixed-point penalty, scaled per node so `c` does not depend on `n`).

use rayon::prelude::*;

use super::lanes::{gathered_dot, gathered_sq_diff, gathered_swap};
use crate::graph::WeightedGraph;

/// Graphs from this size on compute whole-matrix sums on all cores: below it a row is
/// too short for the hand-off to pay.
const PARALLEL_MIN_N: usize = 512;

/// Dense row-major copy of `W` and `Wᵀ` plus the constants the solvers need.
pub(crate) struct Objective {
    /// Number of nodes.
    pub n: usize,
    /// `W`, row-major.
    pub w: Vec<f32>,
    /// `Wᵀ`, row-major (row `i` of `wt` is column `i` of `W`).
    pub wt: Vec<f32>,
    /// `‖W‖²_F` (never below a tiny positive floor).
    pub norm2: f64,
    /// Fixed-point penalty `c`.
    pub penalty: f64,
    /// `W = Wᵀ` exactly: the column terms of node errors and swap deltas equal the
    /// row terms, so they are computed once and doubled.
    pub symmetric: bool,
}

impl Objective {
    /// Copies the graph into the dense layout.
    pub fn new(graph: &WeightedGraph, penalty: f64) -> Self {
        let wv = graph.weights();
        let n = wv.nrows();
        let mut w = Vec::with_capacity(n * n);
        let mut wt = vec![0.0f32; n * n];
        for i in 0..n {
            for j in 0..n {
                let x = wv[[i, j]];
                w.push(x);
                wt[j * n + i] = x;
            }
        }
        let norm2 = w.iter().map(|&x| (x as f64) * (x as f64)).sum::<f64>();
        let symmetric = w == wt;
        Self {
            n,
            w,
            wt,
            norm2: norm2.max(1e-300),
            penalty,
            symmetric,
        }
    }

    /// Row `i` of `W`.
    #[inline]
    pub fn row(&self, i: usize) -> &[f32] {
        &self.w[i * self.n..(i + 1) * self.n]
    }

    /// Column `i` of `W` (row `i` of `Wᵀ`).
    #[inline]
    pub fn col(&self, i: usize) -> &[f32] {
        &self.wt[i * self.n..(i + 1) * self.n]
    }

    /// `S(π) = Σ_ij W[i][j]·W[π(i)][π(j)]`.
    pub fn score(&self, p: &[usize]) -> f64 {
        self.rows_sum(|i| gathered_dot(self.row(i), self.row(p[i]), p))
    }

    /// `r(π) = ‖W − πW‖_F / ‖W‖_F` computed directly (not from the score, whose
    /// cancellation loses the small errors of near-symmetries); rows are
    /// accumulated in `f32`, the sum in `f64`.
    pub fn relative_error(&self, p: &[usize]) -> f64 {
        let sum = self.rows_sum(|i| gathered_sq_diff(self.row(i), self.row(p[i]), p));
        (sum / self.norm2).sqrt()
    }

    /// `Σ_i row(i)` in `f64`, in index order. Large graphs compute the rows on all
    /// cores (the search itself is sequential, so the second core is otherwise idle);
    /// the rows are summed in the same order either way, so the result does not
    /// depend on the number of threads.
    fn rows_sum(&self, row: impl Fn(usize) -> f32 + Sync) -> f64 {
        self.per_row(row).iter().map(|&x| x as f64).sum()
    }

    /// `row(i)` for every node, on all cores above [`PARALLEL_MIN_N`].
    fn per_row<T: Send>(&self, row: impl Fn(usize) -> T + Sync) -> Vec<T> {
        if self.n >= PARALLEL_MIN_N {
            (0..self.n)
                .into_par_iter()
                .with_min_len(64)
                .map(&row)
                .collect()
        } else {
            (0..self.n).map(row).collect()
        }
    }

    /// Relative squared error `r²` from a score.
    #[inline]
    pub fn rel_sq_from_score(&self, s: f64) -> f64 {
        (2.0 * (1.0 - s / self.norm2)).max(0.0)
    }

    /// Penalised cost `J = r² + c·fix/n` from a score and a fixed-point count.
    #[inline]
    pub fn cost_from(&self, s: f64, fixed: usize) -> f64 {
        self.rel_sq_from_score(s) + self.penalty * fixed as f64 / self.n as f64
    }

    /// Penalised cost of `π`.
    pub fn cost(&self, p: &[usize]) -> f64 {
        self.cost_from(self.score(p), fixed_points(p))
    }

    /// Change of `S` when the images of `a` and `b` are swapped.
    pub fn swap_delta_score(&self, p: &[usize], a: usize, b: usize) -> f64 {
        let (pa, pb) = (p[a], p[b]);
        let (ra, rb) = (self.row(a), self.row(b));
        let (ca, cb) = (self.col(a), self.col(b));
        let (rpa, rpb) = (self.row(pa), self.row(pb));
        let (cpa, cpb) = (self.col(pa), self.col(pb));
        let acc = if self.symmetric {
            2.0 * gathered_swap(ra, rb, rpa, rpb, p)
        } else {
            gathered_swap(ra, rb, rpa, rpb, p) + gathered_swap(ca, cb, cpa, cpb, p)
        };
        // The loop above counted j ∈ {a, b} as if they were ordinary columns; fix them.
        let w = |i: usize, j: usize| self.w[i * self.n + j];
        let mut wrong = 0.0f32;
        for &j in &[a, b] {
            let pj = p[j];
            wrong += (w(a, j) - w(b, j)) * (w(pb, pj) - w(pa, pj));
            wrong += (w(j, a) - w(j, b)) * (w(pj, pb) - w(pj, pa));
        }
        let old =
            w(a, a) * w(pa, pa) + w(a, b) * w(pa, pb) + w(b, a) * w(pb, pa) + w(b, b) * w(pb, pb);
        let new =
            w(a, a) * w(pb, pb) + w(a, b) * w(pb, pa) + w(b, a) * w(pa, pb) + w(b, b) * w(pa, pa);
        (acc - wrong + new - old) as f64
    }

    /// Change of `J` when the images of `a` and `b` are swapped.
    pub fn swap_delta_cost(&self, p: &[usize], a: usize, b: usize) -> f64 {
        let ds = self.swap_delta_score(p, a, b);
        let before = (p[a] == a) as i64 + (p[b] == b) as i64;
        let after = (p[b] == a) as i64 + (p[a] == b) as i64;
        -2.0 * ds / self.norm2 + self.penalty * (after - before) as f64 / self.n as f64
    }

    /// Per-node squared mismatch `Σ_j (W[π i][π j] − W[i][j])² + (W[π j][π i] − W[j][i])²`.
    pub fn node_errors(&self, p: &[usize]) -> Vec<f64> {
        self.per_row(|i| self.node_error(p, i))
    }

    /// The mismatch of node `i` alone (one entry of [`Objective::node_errors`], `O(n)`).
    pub fn node_error(&self, p: &[usize], i: usize) -> f64 {
        let rows = gathered_sq_diff(self.row(i), self.row(p[i]), p);
        let acc = if self.symmetric {
            2.0 * rows
        } else {
            rows + gathered_sq_diff(self.col(i), self.col(p[i]), p)
        };
        acc as f64
    }
}

/// Number of `i` with `p[i] = i`.
pub(crate) fn fixed_points(p: &[usize]) -> usize {
    p.iter().enumerate().filter(|&(i, &x)| i == x).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::perm::{Permutation, relative_error};
    use ndarray::Array2;
    use rand::{Rng, SeedableRng, seq::SliceRandom};
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn swap_delta_matches_recomputation_on_a_directed_matrix() {
        let n = 9;
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let w = Array2::from_shape_fn((n, n), |_| rng.random_range(-1.0f32..1.0));
        let g = WeightedGraph::new(w.clone(), None).unwrap();
        let obj = Objective::new(&g, 0.3);
        let mut p: Vec<usize> = (0..n).collect();
        p.shuffle(&mut rng);
        let pos = p.iter().position(|&x| x == 4).unwrap();
        p.swap(pos, 4);
        for a in 0..n {
            for b in 0..n {
                if a == b {
                    continue;
                }
                let before = obj.cost(&p);
                let mut q = p.clone();
                q.swap(a, b);
                let after = obj.cost(&q);
                let delta = obj.swap_delta_cost(&p, a, b);
                assert!(
                    (after - before - delta).abs() < 1e-4,
                    "{a} {b}: {} vs {delta}",
                    after - before
                );
            }
        }
        let perm = Permutation::from_images(p.clone()).unwrap();
        let r = relative_error(w.view(), &perm);
        assert!((r * r - obj.rel_sq_from_score(obj.score(&p))).abs() < 1e-4);
    }
}
