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

/// Dense row-major copy of `W` (and `Wᵀ` when it differs) plus the constants the
/// solvers need. The only copy of the matrix the search makes: at 16,384 nodes `W` is
/// 1 GiB.
pub(crate) struct Objective {
    /// Number of nodes.
    pub n: usize,
    /// `W`, row-major.
    pub w: Vec<f32>,
    /// `Wᵀ`, row-major (row `i` of `wt` is column `i` of `W`); empty when `W` is
    /// symmetric (columns are rows).
    pub wt: Vec<f32>,
    /// The node weights `d`, scaled as `W`.
    pub d: Option<Vec<f32>>,
    /// `‖W‖²_F` (never below a tiny positive floor).
    pub norm2: f64,
    /// `‖W‖_F` as [`crate::perm::frobenius_norm`] computes it (0 for `W = 0`).
    pub frobenius: f64,
    /// Fixed-point penalty `c`.
    pub penalty: f64,
    /// `W = Wᵀ` exactly: the column terms of node errors and swap deltas equal the
    /// row terms, so they are computed once and doubled.
    pub symmetric: bool,
    /// The non-zero entries by row and by column, for sparse graphs (at most one entry
    /// in [`SPARSE_DENSITY`]): growth steps and scores then cost time in the number of
    /// non-zero weights instead of `n²`.
    pub sparse: Option<SparseRows>,
}

/// A graph is treated as sparse with at most one non-zero weight in this many.
const SPARSE_DENSITY: usize = 16;

/// Non-zero entries of `W`, row by row and column by column.
pub(crate) struct SparseRows {
    rows: Csr,
    /// `None` when `W` is symmetric (columns are rows).
    cols: Option<Csr>,
}

/// Compressed rows: the non-zero positions and values of each row.
struct Csr {
    start: Vec<usize>,
    index: Vec<u32>,
    value: Vec<f32>,
}

impl Csr {
    fn of<'a>(n: usize, row: impl Fn(usize) -> &'a [f32]) -> Self {
        let mut start = Vec::with_capacity(n + 1);
        let (mut index, mut value) = (Vec::new(), Vec::new());
        start.push(0);
        for i in 0..n {
            for (j, &x) in row(i).iter().enumerate() {
                if x != 0.0 {
                    index.push(j as u32);
                    value.push(x);
                }
            }
            start.push(index.len());
        }
        Self {
            start,
            index,
            value,
        }
    }

    #[inline]
    fn of_row(&self, i: usize) -> (&[u32], &[f32]) {
        let r = self.start[i]..self.start[i + 1];
        (&self.index[r.clone()], &self.value[r])
    }
}

impl SparseRows {
    /// Non-zero `(j, W[i][j])` of row `i`.
    #[inline]
    pub fn row(&self, i: usize) -> (&[u32], &[f32]) {
        self.rows.of_row(i)
    }

    /// Non-zero `(j, W[j][i])` of column `i`.
    #[inline]
    pub fn col(&self, i: usize) -> (&[u32], &[f32]) {
        self.cols.as_ref().unwrap_or(&self.rows).of_row(i)
    }
}

impl Objective {
    /// Copies the graph into the dense layout, unscaled (tests compare against it).
    #[cfg(test)]
    pub fn new(graph: &WeightedGraph, penalty: f64) -> Self {
        Self::with_factor(graph, penalty, None)
    }

    /// Copies the graph scaled by the power of two that brings `max|w|` into
    /// `[0.5, 1)` ([`WeightedGraph::normalisation_factor`]): exact, so relative results
    /// are those of the input, and the `f32` arithmetic neither overflows nor
    /// underflows whatever the input's scale.
    pub fn scaled(graph: &WeightedGraph, penalty: f64) -> Self {
        Self::with_factor(graph, penalty, graph.normalisation_factor())
    }

    /// [`Objective::scaled`] taking the graph's own matrix instead of copying it (scaled
    /// in place): the same objective, with one `n × n` matrix in memory instead of two.
    pub fn scaled_owned(graph: WeightedGraph, penalty: f64) -> Self {
        let factor = graph.normalisation_factor();
        let (wm, d) = graph.into_parts();
        let n = wm.nrows();
        let mut w = if wm.is_standard_layout() {
            let (v, offset) = wm.into_raw_vec_and_offset();
            debug_assert_eq!(offset.unwrap_or(0), 0);
            v
        } else {
            wm.iter().copied().collect()
        };
        if let Some(f) = factor {
            let scale = |x: &mut f32| *x = (*x as f64 * f) as f32;
            if n >= PARALLEL_MIN_N {
                w.par_chunks_mut(n)
                    .for_each(|row| row.iter_mut().for_each(scale));
            } else {
                w.iter_mut().for_each(scale);
            }
        }
        let d = d.map(|d| d.iter().map(|&x| scale_by(x, factor)).collect());
        Self::from_dense(n, w, d, penalty)
    }

    fn with_factor(graph: &WeightedGraph, penalty: f64, factor: Option<f64>) -> Self {
        let wv = graph.weights();
        let n = wv.nrows();
        let mut w = Vec::with_capacity(n * n);
        for row in wv.rows() {
            w.extend(row.iter().map(|&x| scale_by(x, factor)));
        }
        let d = graph
            .node_weights()
            .map(|d| d.iter().map(|&x| scale_by(x, factor)).collect());
        Self::from_dense(n, w, d, penalty)
    }

    /// The objective of the row-major `n × n` matrix `w` (already scaled).
    fn from_dense(n: usize, w: Vec<f32>, d: Option<Vec<f32>>, penalty: f64) -> Self {
        let symmetric = is_symmetric(n, &w);
        let wt = if symmetric {
            Vec::new()
        } else {
            let mut wt = vec![0.0f32; n * n];
            for i in 0..n {
                for j in 0..n {
                    wt[j * n + i] = w[i * n + j];
                }
            }
            wt
        };
        let norm2 = w.iter().map(|&x| (x as f64) * (x as f64)).sum::<f64>();
        let nonzero = w.iter().filter(|&&x| x != 0.0).count();
        let sparse = (nonzero * SPARSE_DENSITY <= n * n).then(|| SparseRows {
            rows: Csr::of(n, |i| &w[i * n..(i + 1) * n]),
            cols: (!symmetric).then(|| Csr::of(n, |i| &wt[i * n..(i + 1) * n])),
        });
        Self {
            n,
            w,
            wt,
            d,
            norm2: norm2.max(1e-300),
            frobenius: norm2.sqrt(),
            penalty,
            symmetric,
            sparse,
        }
    }

    /// `W` as a matrix view.
    pub fn weights(&self) -> ndarray::ArrayView2<'_, f32> {
        ndarray::ArrayView2::from_shape((self.n, self.n), &self.w)
            .expect("n × n entries by construction")
    }

    /// `d` as a vector view, if given.
    pub fn node_weights(&self) -> Option<ndarray::ArrayView1<'_, f32>> {
        self.d.as_deref().map(ndarray::ArrayView1::from)
    }

    /// Row `i` of `W`.
    #[inline]
    pub fn row(&self, i: usize) -> &[f32] {
        &self.w[i * self.n..(i + 1) * self.n]
    }

    /// Column `i` of `W` (row `i` of `Wᵀ`).
    #[inline]
    pub fn col(&self, i: usize) -> &[f32] {
        if self.symmetric {
            self.row(i)
        } else {
            &self.wt[i * self.n..(i + 1) * self.n]
        }
    }

    /// `S(π) = Σ_ij W[i][j]·W[π(i)][π(j)]` (over the non-zero `W[i][j]` only on sparse
    /// graphs).
    pub fn score(&self, p: &[usize]) -> f64 {
        match &self.sparse {
            Some(sp) => self.rows_sum(|i| {
                let (idx, val) = sp.row(i);
                let prow = self.row(p[i]);
                idx.iter()
                    .zip(val)
                    .map(|(&j, &x)| x * prow[p[j as usize]])
                    .sum::<f32>()
            }),
            None => self.rows_sum(|i| gathered_dot(self.row(i), self.row(p[i]), p)),
        }
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

    /// [`crate::perm::relative_error`] of `W` (`f64` throughout: the figure results
    /// report), with `‖W‖_F` computed once instead of per call: the same value, bit for
    /// bit, at half the cost.
    pub fn exact_relative_error(&self, p: &crate::perm::Permutation) -> f64 {
        if self.frobenius == 0.0 {
            return 0.0;
        }
        crate::perm::squared_difference(self.weights(), p).sqrt() / self.frobenius
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
        let acc = match &self.sparse {
            // Σ_j (W[a][j] − W[b][j])·(W[πb][πj] − W[πa][πj]) over the non-zero entries
            // of rows a and b only.
            Some(sp) => {
                let part = |(idx, val): (&[u32], &[f32]), pa: &[f32], pb: &[f32]| -> f32 {
                    idx.iter()
                        .zip(val)
                        .map(|(&j, &x)| {
                            let pj = p[j as usize];
                            x * (pb[pj] - pa[pj])
                        })
                        .sum()
                };
                let rows = part(sp.row(a), rpa, rpb) - part(sp.row(b), rpa, rpb);
                if self.symmetric {
                    2.0 * rows
                } else {
                    rows + part(sp.col(a), cpa, cpb) - part(sp.col(b), cpa, cpb)
                }
            }
            None if self.symmetric => 2.0 * gathered_swap(ra, rb, rpa, rpb, p),
            None => gathered_swap(ra, rb, rpa, rpb, p) + gathered_swap(ca, cb, cpa, cpb, p),
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

/// `x · factor`, scaled in f64 and rounded once: exact unless the result is subnormal
/// in f32.
fn scale_by(x: f32, factor: Option<f64>) -> f32 {
    match factor {
        Some(f) => (x as f64 * f) as f32,
        None => x,
    }
}

/// True if the row-major `n × n` matrix `w` equals its transpose (tiled, so both
/// tiles stay in cache).
fn is_symmetric(n: usize, w: &[f32]) -> bool {
    const TILE: usize = 64;
    for bi in (0..n).step_by(TILE) {
        for bj in (bi..n).step_by(TILE) {
            for i in bi..(bi + TILE).min(n) {
                for j in bj.max(i + 1)..(bj + TILE).min(n) {
                    if w[i * n + j] != w[j * n + i] {
                        return false;
                    }
                }
            }
        }
    }
    true
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
