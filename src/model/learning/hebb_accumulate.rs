//! The outer-product sum `W_raw += c·LᵀR` of one Hebbian step, sparse or dense, and
//! the part of a step that may be cancelled.
//!
//! The sum is accumulated either **sparsely** (per stimulus, only the rows and columns of
//! detectors that fired: `Σ_b n_b²` work) or **densely** (the tiled matrix product of
//! [`super::hebb_kernel`] over the columns active anywhere in the batch: `B·u²`
//! multiply-adds near the machine's peak). [`PathChoice::Auto`] picks the cheaper by an
//! operation-count estimate.
//!
//! A step is planned first ([`Plan::new`]), without touching the state. An expensive
//! step can then be prepared ([`Plan::prepare`]) — its increments computed aside while a
//! [`CancelToken`] is checked — and only then applied ([`Plan::apply`]), so a cancelled
//! step leaves the state exactly as it was. Preparing changes no bit of the result: an
//! expensive sparse step always goes through its scratch matrix, and the dense kernel
//! gives the same bits whether its tiles are added at once or after all are computed.

use ndarray::{ArrayView1, ArrayView2};
use rayon::prelude::*;

use super::hebb_kernel::{self, CHEAP_STEP_MULTIPLY_ADDS, Cancelled, Packed};
use crate::cancel::CancelToken;
use crate::model::learning::{PathChoice, PathTaken};

/// How much faster (per multiply-add) the dense matrix product runs than the scattered
/// sparse loop while `W` fits in the caches; used by the cost estimate of
/// [`PathChoice::Auto`]. Set from `bench/hebbian_throughput.rs` on 2 cores
/// (docs/benchmarks.md, "Hebbian update throughput").
const DENSE_SPEEDUP: f64 = 48.0;

/// Beyond this size of `W` (bytes) a scattered sparse update is a cache (and TLB) miss,
/// while the dense path streams whole rows: the estimate then uses
/// [`DENSE_SPEEDUP_UNCACHED`] and counts the dense path's pass over `W` at a tenth.
const CACHED_W_BYTES: f64 = 64.0 * 1024.0 * 1024.0;

/// [`DENSE_SPEEDUP`] for a `W` beyond [`CACHED_W_BYTES`] (at M = 16,384 the sparse path
/// took 2.9 s a step of 64 stimuli at 7 % activity, the dense one 2.3 s, on a loaded
/// machine; measured before the sparse sum walked `W` in cache-sized row blocks, so to be
/// measured again).
const DENSE_SPEEDUP_UNCACHED: f64 = 1000.0;

/// A sparse step with more pair updates than this goes through a scratch matrix (and can
/// be cancelled); cheaper ones add straight into `W` (about a second at most).
const SPARSE_SCRATCH_PAIRS: f64 = 5e8;

/// Bytes of `W` rows the sparse sum updates at once (a block stays in a core's L2 cache
/// while every stimulus of the batch adds into it).
const SPARSE_BLOCK_BYTES: usize = 256 << 10;

/// One step's outer-product sum, planned but not yet applied.
pub(super) struct Plan<'a> {
    left: ArrayView2<'a, f32>,
    right: ArrayView2<'a, f32>,
    cols_l: Vec<usize>,
    cols_r: Vec<usize>,
    same: bool,
    upper_only: bool,
    sparse: bool,
    /// Sparse: pair updates; dense: multiply-adds of the tiled product.
    cost: f64,
}

/// Increments computed aside by [`Plan::prepare`], added by [`Plan::apply`].
pub(super) enum Prepared {
    /// The dense kernel's tiles.
    Dense(hebb_kernel::Products),
    /// A sparse step's increments of `W_raw` (`m × m`, row-major) and of `d_raw`.
    Sparse(Vec<f32>, Vec<f32>),
}

impl<'a> Plan<'a> {
    /// Plans `W_raw += c·LᵀR`; `None` when nothing fired (no weight changes). With
    /// `upper_only` (symmetric rules, `L = R`) only the upper triangle is written.
    pub(super) fn new(
        left: ArrayView2<'a, f32>,
        right: ArrayView2<'a, f32>,
        path: PathChoice,
        upper_only: bool,
    ) -> Option<Self> {
        let same = std::ptr::eq(left.as_ptr(), right.as_ptr()) && left.strides() == right.strides();
        let upper_only = upper_only && same;
        let cols_l = active_columns(left);
        let cols_r = if same {
            cols_l.clone()
        } else {
            active_columns(right)
        };
        if cols_l.is_empty() || cols_r.is_empty() {
            return None;
        }
        let count = |a: ArrayView2<f32>, b: usize| a.row(b).iter().filter(|&&x| x != 0.0).count();
        let pairs: f64 = (0..left.nrows())
            .map(|b| {
                let nl = count(left, b);
                let nr = if same { nl } else { count(right, b) };
                (nl * nr) as f64
            })
            .sum();
        let pairs = if upper_only { pairs / 2.0 } else { pairs };
        let u = (cols_l.len() * cols_r.len()) as f64;
        let multiply_adds = left.nrows() as f64 * if upper_only { u / 2.0 } else { u };
        let m = left.ncols() as f64;
        let (speedup, pass) = if m * m * 4.0 > CACHED_W_BYTES {
            (DENSE_SPEEDUP_UNCACHED, 0.1)
        } else {
            (DENSE_SPEEDUP, 1.0)
        };
        let sparse = match path {
            PathChoice::Sparse => true,
            PathChoice::Dense => false,
            PathChoice::Auto => pairs <= multiply_adds / speedup + pass * u,
        };
        Some(Self {
            left,
            right,
            cols_l,
            cols_r,
            same,
            upper_only,
            sparse,
            cost: if sparse { pairs } else { multiply_adds },
        })
    }

    /// Whether the step is expensive enough to be computed aside and checked against a
    /// cancel token.
    fn expensive(&self) -> bool {
        if self.sparse {
            self.cost > SPARSE_SCRATCH_PAIRS
        } else {
            self.cost > CHEAP_STEP_MULTIPLY_ADDS
        }
    }

    /// For an expensive step, computes its increments aside while checking `cancel`
    /// (`Ok(None)`: cheap, nothing to prepare). `m` is the number of detectors.
    pub(super) fn prepare(
        &self,
        m: usize,
        cancel: &CancelToken,
    ) -> Result<Option<Prepared>, Cancelled> {
        if cancel.is_cancelled() {
            return Err(Cancelled);
        }
        if !self.expensive() {
            return Ok(None);
        }
        if self.sparse {
            let mut w = vec![0.0f32; m * m];
            let mut d = vec![0.0f32; m];
            self.sparse_into(&mut w, &mut d, 1.0, Some(cancel))?;
            return Ok(Some(Prepared::Sparse(w, d)));
        }
        let left = Packed::new(self.left, &self.cols_l);
        let right = Packed::new(self.right, &self.cols_r);
        hebb_kernel::Products::compute(
            &left,
            &right,
            &self.cols_l,
            &self.cols_r,
            self.upper_only,
            Some(cancel),
        )
        .map(|p| Some(Prepared::Dense(p)))
    }

    /// Adds the step into `w` (`W_raw`, `m × m`, row-major) and `d` (`d_raw`), with
    /// factor `c`, from what [`Plan::prepare`] computed if anything.
    pub(super) fn apply(
        &self,
        w: &mut [f32],
        d: &mut [f32],
        c: f32,
        prepared: Option<Prepared>,
    ) -> PathTaken {
        let m = d.len();
        let prepared = match prepared {
            None if self.sparse && self.expensive() => {
                let mut dw = vec![0.0f32; m * m];
                let mut dd = vec![0.0f32; m];
                // Without a token nothing cancels.
                let _ = self.sparse_into(&mut dw, &mut dd, 1.0, None);
                Some(Prepared::Sparse(dw, dd))
            }
            other => other,
        };
        match prepared {
            Some(Prepared::Sparse(dw, dd)) => {
                add_scratch(w, d, c, &dw, &dd, &self.cols_l, self.upper_only);
                PathTaken::Sparse
            }
            Some(Prepared::Dense(products)) => {
                products.add_into(w, d, c);
                PathTaken::Dense
            }
            None if self.sparse => {
                // Cheap: straight into W, nothing can cancel it.
                let _ = self.sparse_into(w, d, c, None);
                PathTaken::Sparse
            }
            None => {
                let left = Packed::new(self.left, &self.cols_l);
                let right = Packed::new(self.right, &self.cols_r);
                hebb_kernel::accumulate_dense(
                    w,
                    d,
                    c,
                    &left,
                    &right,
                    &self.cols_l,
                    &self.cols_r,
                    self.upper_only,
                );
                PathTaken::Dense
            }
        }
    }

    /// The sparse sum: per stimulus, `w[i][j] += c·l_i·r_j` over its active detectors
    /// (upper triangle only with `upper_only`), the diagonal terms into `d`.
    ///
    /// `W` is walked in blocks of rows small enough to stay in the core's cache
    /// ([`SPARSE_BLOCK_BYTES`]), and within a block the stimuli in order: each weight
    /// receives its terms in stimulus order, the same bits as one stimulus at a time, but a
    /// 1 GiB `W` is streamed once a step instead of missing the cache (and the TLB) at
    /// every scattered update. Blocks are disjoint, so they run on all threads with the
    /// same result on any number. With `cancel`, each block first looks at the token (its
    /// callers then throw the scratch away).
    fn sparse_into(
        &self,
        w: &mut [f32],
        d: &mut [f32],
        c: f32,
        cancel: Option<&CancelToken>,
    ) -> Result<(), Cancelled> {
        let rows = (SPARSE_BLOCK_BYTES / (4 * d.len().max(1))).max(1);
        self.sparse_blocks(w, d, c, cancel, rows)
    }

    /// [`Plan::sparse_into`] in blocks of `rows` rows.
    fn sparse_blocks(
        &self,
        w: &mut [f32],
        d: &mut [f32],
        c: f32,
        cancel: Option<&CancelToken>,
        rows: usize,
    ) -> Result<(), Cancelled> {
        let m = d.len();
        if w.len() != m * m || m == 0 {
            return Ok(());
        }
        let rows = rows.clamp(1, m);
        let left = sparse_rows(self.left);
        let right = if self.same {
            None
        } else {
            Some(sparse_rows(self.right))
        };
        let upper_only = self.upper_only;
        let block = |(k, (w_block, d_block)): (usize, (&mut [f32], &mut [f32]))| {
            if cancel.is_some_and(CancelToken::is_cancelled) {
                return Err(Cancelled);
            }
            let r0 = k * rows;
            let r1 = r0 + d_block.len();
            for (b, (il, vl)) in left.iter().enumerate() {
                let (jr, jv) = match &right {
                    Some(r) => (&r[b].0, &r[b].1),
                    None => (il, vl),
                };
                let start = il.partition_point(|&i| i < r0);
                let end = start + il[start..].partition_point(|&i| i < r1);
                for p in start..end {
                    let (i, a) = (il[p], vl[p]);
                    let ca = c * a;
                    let row = &mut w_block[(i - r0) * m..(i - r0 + 1) * m];
                    if upper_only {
                        // il is ascending, so the entries after position p are the
                        // columns j > i.
                        for (&j, &v) in il[p + 1..].iter().zip(&vl[p + 1..]) {
                            row[j] += ca * v;
                        }
                        d_block[i - r0] += ca * a;
                    } else {
                        for (&j, &v) in jr.iter().zip(jv.iter()) {
                            row[j] += ca * v;
                        }
                        // The diagonal is kept at zero, so row[i] now holds exactly this
                        // stimulus's diagonal term: move it to the node weights.
                        d_block[i - r0] += row[i];
                        row[i] = 0.0;
                    }
                }
            }
            Ok(())
        };
        w.par_chunks_mut(rows * m)
            .zip(d.par_chunks_mut(rows))
            .enumerate()
            .try_for_each(block)
    }
}

/// Each row's non-zero entries: ascending indices and their values.
fn sparse_rows(a: ArrayView2<f32>) -> Vec<(Vec<usize>, Vec<f32>)> {
    a.rows()
        .into_iter()
        .map(|row| {
            let (mut idx, mut val) = (Vec::new(), Vec::new());
            gather_active(row, &mut idx, &mut val);
            (idx, val)
        })
        .collect()
}

/// Adds a sparse step's scratch (`dw`, `dd`, computed with factor 1) times `c` into `w`
/// and `d`: only the rows of detectors active on the left can hold anything.
fn add_scratch(
    w: &mut [f32],
    d: &mut [f32],
    c: f32,
    dw: &[f32],
    dd: &[f32],
    rows: &[usize],
    upper_only: bool,
) {
    let m = d.len();
    for &i in rows {
        let from = if upper_only { i + 1 } else { 0 };
        let (w_row, dw_row) = (&mut w[i * m..(i + 1) * m], &dw[i * m..(i + 1) * m]);
        for (wv, &x) in w_row[from..].iter_mut().zip(&dw_row[from..]) {
            *wv += c * x;
        }
        d[i] += c * dd[i];
    }
}

/// Indices and values of the non-zero entries of a row.
fn gather_active(row: ArrayView1<f32>, idx: &mut Vec<usize>, val: &mut Vec<f32>) {
    idx.clear();
    val.clear();
    for (i, &a) in row.iter().enumerate() {
        if a != 0.0 {
            idx.push(i);
            val.push(a);
        }
    }
}

/// Columns that are non-zero in at least one row.
fn active_columns(a: ArrayView2<f32>) -> Vec<usize> {
    let mut any = vec![false; a.ncols()];
    for row in a.rows() {
        for (f, &x) in any.iter_mut().zip(row) {
            *f |= x != 0.0;
        }
    }
    any.iter()
        .enumerate()
        .filter(|(_, f)| **f)
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;
    use rand::{Rng, SeedableRng};

    /// The sparse sum one stimulus at a time over the whole matrix (the order every
    /// weight's terms must keep).
    fn reference(l: &Array2<f32>, r: &Array2<f32>, upper: bool, c: f32) -> (Vec<f32>, Vec<f32>) {
        let m = l.ncols();
        let (mut w, mut d) = (vec![0.0f32; m * m], vec![0.0f32; m]);
        for b in 0..l.nrows() {
            for i in (0..m).filter(|&i| l[[b, i]] != 0.0) {
                let ca = c * l[[b, i]];
                if upper {
                    for j in (i + 1..m).filter(|&j| l[[b, j]] != 0.0) {
                        w[i * m + j] += ca * l[[b, j]];
                    }
                    d[i] += ca * l[[b, i]];
                } else {
                    for j in (0..m).filter(|&j| r[[b, j]] != 0.0) {
                        w[i * m + j] += ca * r[[b, j]];
                    }
                    d[i] += w[i * m + i];
                    w[i * m + i] = 0.0;
                }
            }
        }
        (w, d)
    }

    #[test]
    fn blocked_sparse_sum_has_the_bits_of_one_stimulus_at_a_time_on_any_thread_count() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let (b, m) = (23, 37);
        let sparse = |rng: &mut rand_chacha::ChaCha8Rng| {
            Array2::from_shape_fn((b, m), |_| {
                if rng.random_bool(0.2) {
                    rng.random_range(0.0f32..2.0)
                } else {
                    0.0
                }
            })
        };
        let (l, r) = (sparse(&mut rng), sparse(&mut rng));
        for upper in [true, false] {
            let right = if upper { &l } else { &r };
            let plan = Plan::new(l.view(), right.view(), PathChoice::Sparse, upper).unwrap();
            let want = reference(&l, right, upper, 0.3);
            for (threads, rows) in [(1, 1), (2, 1), (1, 5), (2, 5), (2, 100)] {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap();
                let (mut w, mut d) = (vec![0.0f32; m * m], vec![0.0f32; m]);
                pool.install(|| plan.sparse_blocks(&mut w, &mut d, 0.3, None, rows))
                    .unwrap();
                assert_eq!(
                    (&w, &d),
                    (&want.0, &want.1),
                    "upper {upper}, {threads} threads, {rows} rows"
                );
            }
            let token = CancelToken::new();
            token.cancel();
            let (mut w, mut d) = (vec![0.0f32; m * m], vec![0.0f32; m]);
            assert!(
                plan.sparse_blocks(&mut w, &mut d, 0.3, Some(&token), 4)
                    .is_err()
            );
        }
    }
}
