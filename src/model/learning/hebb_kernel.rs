//! The dense Hebbian kernel: `W[cols_l × cols_r] += c·LᵀR` over the detectors active in
//! a batch, computed tile by tile with the `gemm` crate's matrix product.
//!
//! The `u_l × u_r` product is cut into tiles fixed by the sizes alone ([`layout`]); for
//! the symmetric rules (`L = R`, `W` kept as its upper triangle) only the tiles on and
//! above the diagonal are computed — a SYRK over the active columns. Below 2,048 active
//! detectors the triangle is cut into row strips 16 rows high ([`strips`]), each from
//! the diagonal to the last column: little computed below the diagonal, and enough
//! pieces for both cores even at M = 256; from 2,048 on into block rows 512 high
//! (`hebb_tiles::row_pieces`), each row's part right of the diagonal in one call up to 1,536
//! columns wide (so `gemm` packs the row's detectors once, not once per square tile),
//! the diagonal blocks split down to 64 so that little below the diagonal is computed.
//! The products of two different operands are cut into square tiles ([`tile_side`]).
//! Each tile is one single-threaded `gemm` call over the whole batch (`k = B`) into a
//! scratch tile, then added into `W` (`w = fma(c, g, w)`, in runs of consecutive
//! detectors; diagonal entries to the node weights `d`) — or, when the tile's detectors
//! are consecutive and the batch is at most 512, one `gemm` call that reads and writes
//! the tile of `W` itself with the same rounding ([`fused_tile`]); the step's planner
//! closes small gaps between the active detectors, so nearly every tile is fused.
//! The tiles are shared out between the calling thread and the rayon pool
//! ([`super::work_share`]), but a tile's value depends only on its own inputs, never on
//! which thread computed it or when: the result is the same bit for bit on any number
//! of threads.
//!
//! Cancellation: [`Products::compute`] computes every tile first (checking a
//! [`CancelToken`] before each one) and [`Products::add_into`] adds them into `W` once
//! all are done, so a cancelled step leaves `W` and `d` untouched; it keeps the tiles
//! meanwhile (each tile its `h × w` cells: about half of `u_l · u_r` floats).
//! [`accumulate_dense`] adds each tile as soon as it is computed. Both orders give the
//! same bits.

use ndarray::ArrayView2;
use rayon::prelude::*;

pub use super::hebb_tiles::tile_side;
use super::hebb_tiles::{FUSED_MAX_BATCH, Tile, layout};
use super::work_share::share_out;
use crate::cancel::CancelToken;

/// A step was cancelled before it changed the learning state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the step was cancelled")]
pub struct Cancelled;

/// Dense steps with at most this many multiply-adds are added tile by tile even when a
/// cancel token is held: about 0.3 s at this machine's peak, a second under heavy load,
/// and no tile buffer needed. Costlier steps go through [`Products`].
pub const CHEAP_STEP_MULTIPLY_ADDS: f64 = 2e10;

/// Activities of the active columns as a dense `rows × cols` block: borrowed from the
/// batch when every column is active and the batch is in standard layout, gathered
/// into a contiguous copy otherwise.
pub struct Packed<'a> {
    data: std::borrow::Cow<'a, [f32]>,
    rows: usize,
    cols: usize,
}

impl<'a> Packed<'a> {
    /// Packs the columns `cols` (ascending) of `a`.
    pub fn new(a: ArrayView2<'a, f32>, cols: &[usize]) -> Self {
        let rows = a.nrows();
        if cols.len() == a.ncols()
            && let Some(slice) = a.to_slice()
        {
            return Self {
                data: std::borrow::Cow::Borrowed(slice),
                rows,
                cols: cols.len(),
            };
        }
        let mut data = Vec::with_capacity(rows * cols.len());
        for row in a.rows() {
            data.extend(cols.iter().map(|&j| row[j]));
        }
        Self {
            data: std::borrow::Cow::Owned(data),
            rows,
            cols: cols.len(),
        }
    }
}

/// `out (h × w, row-major) = L[:, i0..i0+h]ᵀ · R[:, j0..j0+w]`, single-threaded.
///
/// The product is asked of `gemm` as its transpose, `w × h` in column-major order (the
/// same bytes): the call then has exactly the shape and operands of [`fused_tile`], so
/// both compute every cell alike.
fn tile_product(left: &Packed, right: &Packed, tile: Tile, out: &mut [f32]) {
    let k = left.rows;
    debug_assert_eq!(k, right.rows);
    debug_assert!(out.len() >= tile.h * tile.w);
    debug_assert!(left.data.len() >= k * left.cols && right.data.len() >= k * right.cols);
    debug_assert!(tile.i0 + tile.h <= left.cols && tile.j0 + tile.w <= right.cols);
    if k == 0 {
        out[..tile.h * tile.w].fill(0.0);
        return;
    }
    // SAFETY: every pointer and stride stays inside its slice. `out` holds w × h floats
    // in column-major order (row stride 1, column stride w). The left operand of the
    // call is the packed right block's columns j0..j0+w, transposed: element (q, b) =
    // right[b·cols_r + j0 + q], row stride 1, column stride cols_r; the last element
    // read, (w − 1, k − 1), lies at (k − 1)·cols_r + j0 + w − 1 < k·cols_r. Likewise
    // the right operand (b, p) = left[b·cols_l + i0 + p]. `read_dst` is false, so `out`
    // is only written; nothing else aliases it.
    unsafe {
        gemm::gemm(
            tile.w,
            tile.h,
            k,
            out.as_mut_ptr(),
            tile.w as isize,
            1,
            false,
            right.data.as_ptr().add(tile.j0),
            right.cols as isize,
            1,
            left.data.as_ptr().add(tile.i0),
            1,
            left.cols as isize,
            0.0,
            1.0,
            false,
            false,
            false,
            gemm::Parallelism::None,
        );
    }
}

/// The detectors `cols[a..a + n]` when they are consecutive: their first one.
fn consecutive(cols: &[usize], a: usize, n: usize) -> Option<usize> {
    let run = &cols[a..a + n];
    (run.last()? - run[0] + 1 == n).then_some(run[0])
}

/// Adds one tile straight into `W` when its rows and columns are runs of consecutive
/// detectors and the batch has at most [`FUSED_MAX_BATCH`] stimuli: `gemm` then reads
/// the tile of `W` and writes `fma(c, LᵀR, W)` back — the bits [`tile_product`] and
/// [`add_tile`] give, without the scratch tile. Diagonal cells go to `d` as in
/// [`add_tile`]; in an upper tile across the diagonal the part below it is written too,
/// into `W`'s stale lower triangle. Returns whether it did.
///
/// # Safety
/// As [`add_tile`]; besides, with `upper` the lower triangle of `W` must be stale.
unsafe fn fused_tile(
    target: Target,
    left: &Packed,
    right: &Packed,
    cols_l: &[usize],
    cols_r: &[usize],
    tile: Tile,
    c: f32,
) -> bool {
    let k = left.rows;
    if k == 0 || k > FUSED_MAX_BATCH {
        return false;
    }
    let (Some(r0), Some(c0)) = (
        consecutive(cols_l, tile.i0, tile.h),
        consecutive(cols_r, tile.j0, tile.w),
    ) else {
        return false;
    };
    let m = target.m;
    // SAFETY: W is m × m row-major and rows r0..r0+h, columns c0..c0+w lie inside it
    // (the caller checked every column against m). The destination is the tile of W
    // seen transposed: element (q, p) = w[(r0 + p)·m + c0 + q], row stride 1, column
    // stride m; only this tile touches those cells (caller). The operands are those of
    // `tile_product`, read the same way.
    unsafe {
        gemm::gemm(
            tile.w,
            tile.h,
            k,
            target.w.add(r0 * m + c0),
            m as isize,
            1,
            true,
            right.data.as_ptr().add(tile.j0),
            right.cols as isize,
            1,
            left.data.as_ptr().add(tile.i0),
            1,
            left.cols as isize,
            1.0,
            c,
            false,
            false,
            false,
            gemm::Parallelism::None,
        );
    }
    // Diagonal cells: W_ii was zero, so it now holds exactly round(c·g_ii).
    for i in r0.max(c0)..(r0 + tile.h).min(c0 + tile.w) {
        // SAFETY: i < m, and cell (i, i) and d[i] belong to this tile alone.
        unsafe {
            let cell = target.w.add(i * m + i);
            *target.d.add(i) += *cell;
            *cell = 0.0;
        }
    }
    true
}

/// `W` and `d` as raw pointers, so tiles on several threads can add into their own
/// disjoint parts.
#[derive(Clone, Copy)]
struct Target {
    w: *mut f32,
    d: *mut f32,
    m: usize,
}

// SAFETY: tiles write disjoint cells (see `add_tile`); the pointers outlive the scope of
// the parallel loop that uses them.
unsafe impl Send for Target {}
unsafe impl Sync for Target {}

/// Adds `c · g` (one computed tile) into `W` at rows `cols_l[i0..]` and columns
/// `cols_r[j0..]`, as `w = fma(c, g, w)`; where row and column are the same detector the
/// value `c·g` goes to `d` instead (the diagonal of `W` stays zero). With `upper`
/// (symmetric rules, `L = R`) the part of a tile below the diagonal is skipped: `W`'s
/// lower triangle is stale.
///
/// # Safety
/// `target` must point to an `m × m` row-major matrix and an `m`-vector that live for
/// the call; all indices in `cols_l`, `cols_r` must be below `m`; no other thread may
/// touch the cells of this tile meanwhile. Tiles of one partition are disjoint: rows
/// come from disjoint ranges of `cols_l` for different `i0`, columns from disjoint
/// ranges of `cols_r` for different `j0`, and each detector `i`'s diagonal entry lies in
/// exactly one tile.
unsafe fn add_tile(
    target: Target,
    cols_l: &[usize],
    cols_r: &[usize],
    tile: Tile,
    g: &[f32],
    upper: bool,
    c: f32,
) {
    let rows = &cols_l[tile.i0..tile.i0 + tile.h];
    let cols = &cols_r[tile.j0..tile.j0 + tile.w];
    let runs = consecutive_runs(cols);
    for (p, &i) in rows.iter().enumerate() {
        let g_row = &g[p * tile.w..(p + 1) * tile.w];
        // With `upper`, columns before the row's own are below the diagonal (stale).
        let from = if upper {
            (tile.i0 + p).saturating_sub(tile.j0).min(tile.w)
        } else {
            0
        };
        // SAFETY (caller): row i of W is m floats from w + i·m, and this tile alone
        // writes the cells (i, cols[from..]).
        let w_row = unsafe { std::slice::from_raw_parts_mut(target.w.add(i * target.m), target.m) };
        for &(q0, q1) in &runs {
            let q0 = q0.max(from);
            if q0 < q1 {
                let start = cols[q0];
                fma_into(&mut w_row[start..start + q1 - q0], &g_row[q0..q1], c);
            }
        }
        // The diagonal cell of detector i, if it is in this tile, belongs to d: W's
        // diagonal was zero before the step and is set back to zero exactly.
        if let Ok(q) = cols.binary_search(&i)
            && q >= from
        {
            w_row[i] = 0.0;
            // SAFETY (caller): d[i] is written by this tile only.
            unsafe { *target.d.add(i) += c * g_row[q] };
        }
    }
}

/// The maximal runs of consecutive detectors in `cols` (ascending), as position ranges
/// `(start, end)`: each is added into `W` as one contiguous, vectorised slice.
fn consecutive_runs(cols: &[usize]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = 0;
    for q in 1..=cols.len() {
        if q == cols.len() || cols[q] != cols[q - 1] + 1 {
            runs.push((start, q));
            start = q;
        }
    }
    runs
}

/// `w = fma(c, g, w)` element by element (one rounding each, as `gemm` adds a tile in
/// [`fused_tile`]), with the CPU's fused multiply-add where it has one.
fn fma_into(w: &mut [f32], g: &[f32], c: f32) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("fma") {
        // SAFETY: the CPU has FMA (checked just above).
        return unsafe { fma_into_fma(w, g, c) };
    }
    fma_into_generic(w, g, c);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "fma,avx2")]
unsafe fn fma_into_fma(w: &mut [f32], g: &[f32], c: f32) {
    fma_into_generic(w, g, c);
}

#[inline(always)]
fn fma_into_generic(w: &mut [f32], g: &[f32], c: f32) {
    for (wv, &gv) in w.iter_mut().zip(g) {
        *wv = c.mul_add(gv, *wv);
    }
}

/// Checks what the unsafe tile code relies on: `W` is `m × m`, the packed blocks match
/// their column lists and every column lies inside `W`.
fn check_shapes(
    m: usize,
    w_len: usize,
    left: &Packed,
    right: &Packed,
    cols_l: &[usize],
    cols_r: &[usize],
) {
    assert_eq!(w_len, m * m, "W must be m × m");
    assert!(
        cols_l.len() == left.cols && cols_r.len() == right.cols && left.rows == right.rows,
        "packed activities do not match their columns"
    );
    assert!(
        cols_l.iter().chain(cols_r).all(|&i| i < m),
        "a column lies outside W"
    );
}

/// `W[cols_l × cols_r] += c·LᵀR` (off the diagonal), `d[i] += c·(LᵀR)_ii`, over the
/// active columns only; with `upper` (`L = R`, `cols_l = cols_r`, symmetric rule) only the
/// upper triangle of `W` is computed, and its lower triangle is taken to be stale (it may
/// be overwritten). `w` is the `m × m` matrix, row-major. Each tile is added as soon as
/// it is computed — straight from `gemm` when it can ([`fused_tile`]); every weight
/// becomes `fma(c, (LᵀR)_ij, w_ij)`, the same bits on any number of threads and as
/// [`Products::compute`] followed by [`Products::add_into`].
#[allow(clippy::too_many_arguments)]
pub fn accumulate_dense(
    w: &mut [f32],
    d: &mut [f32],
    c: f32,
    left: &Packed,
    right: &Packed,
    cols_l: &[usize],
    cols_r: &[usize],
    upper: bool,
) {
    let list = layout(cols_l.len(), cols_r.len(), left.rows, upper);
    accumulate_tiles(w, d, c, left, right, cols_l, cols_r, upper, &list);
}

/// [`accumulate_dense`] over the tiles `list` (a partition of the product, or of its
/// upper triangle with `upper`).
#[allow(clippy::too_many_arguments)]
fn accumulate_tiles(
    w: &mut [f32],
    d: &mut [f32],
    c: f32,
    left: &Packed,
    right: &Packed,
    cols_l: &[usize],
    cols_r: &[usize],
    upper: bool,
    list: &[Tile],
) {
    let m = d.len();
    check_shapes(m, w.len(), left, right, cols_l, cols_r);
    let scratch = list.iter().map(|t| t.h * t.w).max().unwrap_or(0);
    let target = Target {
        w: w.as_mut_ptr(),
        d: d.as_mut_ptr(),
        m,
    };
    share_out(list.len(), Vec::new, |g: &mut Vec<f32>, n| {
        let tile = list[n];
        // SAFETY: `target` is W and d (m × m and m, borrowed mutably for this call);
        // the indices were checked above; tiles are disjoint; with `upper` the
        // caller writes only W's upper triangle, the lower one being stale.
        if unsafe { fused_tile(target, left, right, cols_l, cols_r, tile, c) } {
            return;
        }
        g.resize(scratch, 0.0);
        tile_product(left, right, tile, g);
        // SAFETY: as above.
        unsafe { add_tile(target, cols_l, cols_r, tile, g, upper, c) };
    });
}

/// Every tile of one step's product, computed but not yet added into `W` (about half of
/// `u_l · u_r` floats for the symmetric rules: each tile holds exactly its `h × w` cells).
pub struct Products {
    tiles: Vec<Tile>,
    values: Vec<f32>,
    cols_l: Vec<usize>,
    cols_r: Vec<usize>,
    upper: bool,
}

/// `values` cut into one `h × w` slice per tile, in the order of `tiles`.
fn tile_slices<'v, T>(tiles: &[Tile], mut values: &'v mut [T]) -> Vec<&'v mut [T]> {
    let mut out = Vec::with_capacity(tiles.len());
    for tile in tiles {
        let (head, rest) = std::mem::take(&mut values).split_at_mut(tile.h * tile.w);
        out.push(head);
        values = rest;
    }
    out
}

impl Products {
    /// Computes every tile of `LᵀR` over the active columns (see [`accumulate_dense`]),
    /// checking `cancel` before each tile: a cancelled computation returns [`Cancelled`].
    pub fn compute(
        left: &Packed,
        right: &Packed,
        cols_l: &[usize],
        cols_r: &[usize],
        upper: bool,
        cancel: Option<&CancelToken>,
    ) -> Result<Self, Cancelled> {
        let cancelled = || cancel.is_some_and(CancelToken::is_cancelled);
        let list = layout(cols_l.len(), cols_r.len(), left.rows, upper);
        let mut values = vec![0.0f32; list.iter().map(|t| t.h * t.w).sum()];
        tile_slices(&list, &mut values)
            .into_par_iter()
            .zip(list.par_iter())
            .for_each(|(g, &tile)| {
                if !cancelled() {
                    tile_product(left, right, tile, g);
                }
            });
        if cancelled() {
            return Err(Cancelled);
        }
        Ok(Self {
            tiles: list,
            values,
            cols_l: cols_l.to_vec(),
            cols_r: cols_r.to_vec(),
            upper,
        })
    }

    /// Adds `c ·` the computed tiles into `w` (`m × m`, row-major) and `d`, exactly as
    /// [`accumulate_dense`] would have.
    pub fn add_into(mut self, w: &mut [f32], d: &mut [f32], c: f32) {
        let m = d.len();
        assert_eq!(w.len(), m * m, "W must be m × m");
        assert!(
            self.cols_l.iter().chain(&self.cols_r).all(|&i| i < m),
            "a column lies outside W"
        );
        let target = Target {
            w: w.as_mut_ptr(),
            d: d.as_mut_ptr(),
            m,
        };
        let (cols_l, cols_r, upper) = (&self.cols_l, &self.cols_r, self.upper);
        tile_slices(&self.tiles, &mut self.values)
            .into_par_iter()
            .zip(self.tiles.par_iter())
            .for_each(|(g, &tile)| {
                // SAFETY: as in `accumulate_dense`: W and d are borrowed mutably for this
                // call, the indices were checked, the tiles are disjoint.
                unsafe { add_tile(target, cols_l, cols_r, tile, g, upper, c) };
            });
    }
}

#[cfg(test)]
#[path = "hebb_kernel_tests.rs"]
mod tests;
