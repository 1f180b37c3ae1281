//! The outer-product sum `W_raw += c·LᵀR` of one Hebbian step, sparse or dense, and
//! the part of a step that may be cancelled.
//!
//! The sum is accumulated either **sparsely** (per stimulus, only the rows and columns of
//! detectors that fired: `Σ_b n_b²` work) or **densely** (the tiled matrix product of
//! [`super::hebb_kernel`] over the columns active anywhere in the batch — with gaps of
//! at most 1/16 closed, [`close_gaps`] —: `B·u²` multiply-adds near the machine's peak). The sparse sum has two forms with the same
//! bits: pair by pair (scattered updates), or row by row ([`super::hebb_rows`]: each
//! firing of detector `i` adds a whole contiguous row, `Σ_i n_i·M` terms but vectorised
//! and streamed — the fast form for large `W` at a few per cent activity, where a batch
//! fires nearly every detector and the dense product would cover all of `M²`).
//! [`PathChoice::Auto`] picks the cheapest by an estimate of the work ([`Costs`]).
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
use super::hebb_rows::{FiringLists, add_rows};
use crate::cancel::CancelToken;
use crate::model::learning::{PathChoice, PathTaken};

/// The relative cost of each kind of work, in multiply-adds of the dense matrix product
/// (measured with `bench/hebbian_throughput.rs`-like steps on 2 cores of this machine,
/// docs/benchmarks.md, "Hebbian update throughput"); [`PathChoice::Auto`] takes the
/// cheapest estimate.
struct Costs {
    /// One pair update of the scattered sparse sum.
    pair: f64,
    /// One term of the row-by-row sparse sum ([`super::hebb_rows`]).
    row_term: f64,
    /// Adding one computed cell of the dense product into `W`.
    cell: f64,
}

/// [`Costs`] while `W` fits in the caches ([`CACHED_W_BYTES`]).
const CACHED: Costs = Costs {
    pair: 25.0,
    row_term: 4.0,
    cell: 10.0,
};

/// [`Costs`] for a larger `W`: a scattered update then misses the cache (and the TLB),
/// and adding a dense tile into `W` waits on memory.
const UNCACHED: Costs = Costs {
    pair: 60.0,
    row_term: 4.0,
    cell: 20.0,
};

/// Beyond this size of `W` (bytes) the estimate uses [`UNCACHED`].
const CACHED_W_BYTES: f64 = 64.0 * 1024.0 * 1024.0;

/// A sparse step with more pair updates than this goes through a scratch matrix (and can
/// be cancelled); cheaper ones add straight into `W` (about a second at most).
const SPARSE_SCRATCH_PAIRS: f64 = 5e8;

/// Bytes of `W` rows the sparse sum updates at once (a block stays in a core's L2 cache
/// while every stimulus of the batch adds into it).
const SPARSE_BLOCK_BYTES: usize = 256 << 10;

/// Largest share of inactive detectors in the span of the active ones that the dense
/// path computes as if active ([`close_gaps`]): at most 1/16 more columns, about an
/// eighth more multiply-adds, for tiles added by the product itself.
const GAP_SHARE: f64 = 1.0 / 16.0;

/// One step's outer-product sum, planned but not yet applied.
pub(super) struct Plan<'a> {
    left: ArrayView2<'a, f32>,
    right: ArrayView2<'a, f32>,
    cols_l: Vec<usize>,
    cols_r: Vec<usize>,
    same: bool,
    upper_only: bool,
    sparse: bool,
    /// Sparse, added row by row ([`super::hebb_rows`]) rather than pair by pair.
    by_rows: bool,
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
        let (rows_l, counts_l) = nonzero_counts(left);
        let (rows_r, counts_r) = if same {
            (rows_l.clone(), counts_l.clone())
        } else {
            nonzero_counts(right)
        };
        let cols_l = nonzero_columns(&counts_l);
        let cols_r = nonzero_columns(&counts_r);
        if cols_l.is_empty() || cols_r.is_empty() {
            return None;
        }
        let pairs: f64 = rows_l
            .iter()
            .zip(&rows_r)
            .map(|(&nl, &nr)| nl as f64 * nr as f64)
            .sum();
        let pairs = if upper_only { pairs / 2.0 } else { pairs };
        let m = left.ncols();
        // The row-by-row form adds, for every firing of detector i, the rest of a row.
        let row_terms: f64 = counts_l
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                n as f64
                    * if upper_only {
                        (m - i - 1) as f64
                    } else {
                        m as f64
                    }
            })
            .sum();
        // The dense path computes the active columns with small gaps closed.
        let (dense_l, dense_r) = (close_gaps(&cols_l), close_gaps(&cols_r));
        let u = (dense_l.len() * dense_r.len()) as f64;
        let cells = if upper_only { u / 2.0 } else { u };
        let multiply_adds = left.nrows() as f64 * cells;
        let costs = if (m as f64).powi(2) * 4.0 > CACHED_W_BYTES {
            &UNCACHED
        } else {
            &CACHED
        };
        let scattered = costs.pair * pairs;
        let by_rows_cost = costs.row_term * row_terms;
        let by_rows = by_rows_cost < scattered;
        // Adding a dense tile into W whose columns are scattered (few active) costs like
        // a scattered update.
        let cell = if 2 * dense_r.len() < m {
            costs.pair
        } else {
            costs.cell
        };
        let dense = multiply_adds + cell * cells;
        let sparse = match path {
            PathChoice::Sparse => true,
            PathChoice::Dense => false,
            PathChoice::Auto => scattered.min(by_rows_cost) <= dense,
        };
        let (cols_l, cols_r) = if sparse {
            (cols_l, cols_r)
        } else {
            (dense_l, dense_r)
        };
        Some(Self {
            left,
            right,
            cols_l,
            cols_r,
            same,
            upper_only,
            sparse,
            by_rows,
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
        if self.by_rows {
            let lists = FiringLists::new(self.left);
            let right = self.right.as_standard_layout();
            let right = right.as_slice().unwrap_or(&[]);
            if right.len() != self.right.len() {
                return Ok(());
            }
            let upper_only = self.upper_only;
            return w
                .par_chunks_mut(rows * m)
                .zip(d.par_chunks_mut(rows))
                .enumerate()
                .try_for_each(|(k, (w_block, d_block))| {
                    if cancel.is_some_and(CancelToken::is_cancelled) {
                        return Err(Cancelled);
                    }
                    add_rows(w_block, d_block, k * rows, &lists, right, c, upper_only);
                    Ok(())
                });
        }
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

/// The number of non-zero entries of each row and of each column, in one pass.
fn nonzero_counts(a: ArrayView2<f32>) -> (Vec<usize>, Vec<usize>) {
    let mut cols = vec![0u32; a.ncols()];
    let mut scratch = Vec::new();
    let rows = a
        .rows()
        .into_iter()
        .map(|row| {
            // A contiguous slice, so the count vectorises.
            let row = match row.to_slice() {
                Some(r) => r,
                None => {
                    scratch.clear();
                    scratch.extend(row.iter().copied());
                    &scratch[..]
                }
            };
            let mut n = 0u32;
            for (c, &x) in cols.iter_mut().zip(row) {
                let nz = u32::from(x != 0.0);
                *c += nz;
                n += nz;
            }
            n as usize
        })
        .collect();
    (rows, cols.into_iter().map(|c| c as usize).collect())
}

/// The dense path's columns: the active ones `cols` (ascending, not empty), or every
/// detector from the first to the last of them when at most [`GAP_SHARE`] of that span
/// is inactive. The inactive ones add exact zeros, and with consecutive detectors every
/// tile is added into `W` by the product itself ([`hebb_kernel`]'s fused tiles) and in
/// contiguous runs.
fn close_gaps(cols: &[usize]) -> Vec<usize> {
    let (first, last) = (cols[0], cols[cols.len() - 1]);
    let span = last - first + 1;
    if ((span - cols.len()) as f64) <= GAP_SHARE * span as f64 {
        (first..=last).collect()
    } else {
        cols.to_vec()
    }
}

/// The columns with a non-zero count (ascending).
fn nonzero_columns(counts: &[usize]) -> Vec<usize> {
    (0..counts.len()).filter(|&i| counts[i] > 0).collect()
}

#[cfg(test)]
#[path = "hebb_accumulate_tests.rs"]
mod tests;
