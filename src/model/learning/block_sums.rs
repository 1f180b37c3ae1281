//! The block sums of `W` behind a view of a large matrix ([`super::overview`]): the
//! matrix cut into `side × side` blocks of a display order, each block's sum of `W`
//! (diagonal cells left out) in `f64`, and how one Hebbian step moves them without
//! reading `W` — `c·(LP)ᵀ(RP)` minus the diagonal cells, with `P` the `M × K` matrix that
//! adds the detectors of each block — as one dense `K × K` product of the block-summed
//! activities ([`BlockSums::record`]): `B·K²` multiply-adds, against the `B·M²` of the
//! step itself.

use std::borrow::Cow;

use ndarray::{ArrayView1, ArrayView2};

use crate::model::learning::HebbianState;

/// Sums of `W` over the blocks of a display order (diagonal cells left out).
#[derive(Clone, Debug)]
pub struct BlockSums {
    /// Cells per block side.
    block: usize,
    /// Blocks per side.
    side: usize,
    /// Stored index → block index.
    block_of: Vec<u32>,
    /// Display position → stored index (the order; block `b` holds positions
    /// `b·block..(b+1)·block`).
    order: Vec<u32>,
    /// `side × side` sums of `W`, diagonal cells left out.
    sums: Vec<f64>,
    /// The sums are exactly symmetric (those of a symmetric `W`, made so when summed):
    /// a symmetric step then computes one triangle and mirrors it.
    symmetric: bool,
}

impl BlockSums {
    /// Zero sums over the blocks of `order` (display position → stored index), at most
    /// `max_side` blocks per side; `None` when `order` is empty or not a permutation.
    pub fn zero(order: &[usize], max_side: usize) -> Option<Self> {
        let m = order.len();
        if m == 0 {
            return None;
        }
        let block = m.div_ceil(max_side.max(1)).max(1);
        let side = m.div_ceil(block);
        let mut block_of = vec![u32::MAX; m];
        for (p, &i) in order.iter().enumerate() {
            if i >= m || block_of[i] != u32::MAX {
                return None;
            }
            block_of[i] = (p / block) as u32;
        }
        Some(Self {
            block,
            side,
            block_of,
            order: order.iter().map(|&i| i as u32).collect(),
            sums: vec![0.0; side * side],
            symmetric: true,
        })
    }

    /// Number of detectors `M`.
    pub fn neurons(&self) -> usize {
        self.block_of.len()
    }

    /// Cells per block side.
    pub fn block(&self) -> usize {
        self.block
    }

    /// Blocks per side.
    pub fn side(&self) -> usize {
        self.side
    }

    /// Sums `W` of `state` exactly (`O(M²)`, one pass over the raw weights).
    pub fn sum_exactly(&mut self, state: &HebbianState) {
        self.sums.fill(0.0);
        let m = state.neurons();
        let scale = state.scale();
        let mut row_sums = vec![0.0f64; self.side];
        let (block_of, side) = (&self.block_of, self.side);
        let sums = &mut self.sums;
        let _ = state.for_each_raw_row_block::<()>(|r0, rows| {
            for (a, row) in rows.chunks_exact(m).enumerate() {
                let r = r0 + a;
                row_sums.fill(0.0);
                for (j, &w) in row.iter().enumerate() {
                    if j != r {
                        row_sums[block_of[j] as usize] += f64::from(w);
                    }
                }
                let br = block_of[r] as usize;
                for (s, &v) in sums[br * side..(br + 1) * side].iter_mut().zip(&row_sums) {
                    *s += v * scale;
                }
            }
            Ok(())
        });
        // The sums of a symmetric W are symmetric but for the order of the additions.
        self.symmetric = state.is_symmetric();
        if self.symmetric {
            mirror_upper(&mut self.sums, side);
        }
    }

    /// Follows one step `W ← keep·W + factor·LᵀR` (off the diagonal; `left` and `right`
    /// are `B × M`): `factor·(LP)ᵀ(RP)` minus the diagonal cells. One pass over the
    /// activities sums them by block (and the diagonal cells `Σ_b l_bi·r_bi` by block),
    /// then one `K × K × B` product in `f64` adds into the sums in place — on the calling
    /// thread, so a preview following a step never waits for the step's kernel.
    pub fn record(
        &mut self,
        keep: f64,
        factor: f64,
        left: ArrayView2<f32>,
        right: ArrayView2<f32>,
    ) {
        if keep != 1.0 {
            self.sums.iter_mut().for_each(|s| *s *= keep);
        }
        let (k, b) = (self.side, left.nrows());
        if b == 0 || left.dim() != right.dim() || left.ncols() != self.block_of.len() {
            return;
        }
        // The same activities on both sides (Hebb): summed once.
        let same = left.as_ptr() == right.as_ptr() && left.strides() == right.strides();
        let mut l = vec![0.0f64; b * k];
        let mut r = if same {
            Vec::new()
        } else {
            vec![0.0f64; b * k]
        };
        let mut own = vec![0.0f64; k];
        for (row, (lrow, rrow)) in left.rows().into_iter().zip(right.rows()).enumerate() {
            let (lrow, rrow) = (contiguous(lrow), contiguous(rrow));
            let (lrow, rrow) = (lrow.as_ref(), rrow.as_ref());
            let members = self.order.chunks(self.block);
            let dst_l = &mut l[row * k..(row + 1) * k];
            for ((s, o), members) in dst_l.iter_mut().zip(own.iter_mut()).zip(members.clone()) {
                let (sum, diagonal) = if same {
                    block_sum(lrow, members, |_, x| x * x)
                } else {
                    block_sum(lrow, members, |i, x| x * f64::from(rrow[i]))
                };
                *s = sum;
                *o += diagonal;
            }
            if !same {
                let dst_r = &mut r[row * k..(row + 1) * k];
                for (s, members) in dst_r.iter_mut().zip(members) {
                    *s = block_sum(rrow, members, |_, _| 0.0).0;
                }
            }
        }
        let r = if same { &l } else { &r };
        if same && self.symmetric {
            // A symmetric step on symmetric sums: the upper triangle, then its mirror.
            for p0 in (0..k).step_by(PANEL) {
                product_into(
                    &mut self.sums,
                    k,
                    (p0, (p0 + PANEL).min(k)),
                    factor,
                    &l,
                    &l,
                    b,
                );
            }
            mirror_upper(&mut self.sums, k);
        } else {
            product_into(&mut self.sums, k, (0, k), factor, &l, r, b);
            self.symmetric &= same;
        }
        for (blk, &o) in own.iter().enumerate() {
            self.sums[blk * k + blk] -= factor * o;
        }
    }

    /// The `side × side` block means of the current sums (diagonal cells left out, `NaN`
    /// for a block with no other cell) and the `[min, max]` of the finite ones. One pass
    /// the compiler vectorises (a multiplication by the blocks' inverse sizes), then one
    /// for the range: it runs for every picture of a large `W`, about ten a second.
    pub fn means(&self) -> (Vec<f32>, (f32, f32)) {
        let (m, k, block) = (self.block_of.len(), self.side, self.block);
        let cells: Vec<f64> = (0..k)
            .map(|b| (m.min((b + 1) * block) - b * block) as f64)
            .collect();
        let inverse: Vec<f64> = cells.iter().map(|&n| 1.0 / n).collect();
        let mut means = Vec::with_capacity(k * k);
        for (br, sums) in self.sums.chunks_exact(k).enumerate() {
            // Every block has a cell, so every block off the diagonal has cells off W's
            // diagonal.
            let row = inverse[br];
            means.extend(
                sums.iter()
                    .zip(&inverse)
                    .map(|(&s, &col)| (s * (row * col)) as f32),
            );
            let n = cells[br] * cells[br] - cells[br];
            means[br * k + br] = if n > 0.0 {
                (sums[br] / n) as f32
            } else {
                f32::NAN
            };
        }
        let range = finite_range(&means);
        (means, range)
    }
}

/// Columns of the sums per product of a symmetric step (see [`product_into`]): the
/// narrower, the less of the lower triangle is computed (`1/2 + PANEL/2K` of the whole),
/// the more products.
const PANEL: usize = 64;

/// `sums[p][q] += factor·Σ_b l[b][p]·r[b][q]` for the rows `p` in `rows` and the columns
/// `q ≥ rows.start` (all of them for `rows.start = 0`): one product in `f64` into the
/// `k × k` sums in place, on the calling thread. `l` and `r` are `b × k`.
fn product_into(
    sums: &mut [f64],
    k: usize,
    (p0, p1): (usize, usize),
    factor: f64,
    l: &[f64],
    r: &[f64],
    b: usize,
) {
    assert!(sums.len() == k * k && l.len() == b * k && r.len() == b * k && p0 <= p1 && p1 <= k);
    // Read column-major, the sums are their own transpose: `dst(q, p) = sums[p][q]`,
    // `dst += factor·(RP)ᵀ(LP)` with `(RP)ᵀ` the `K × B` column-major view of `r` and `LP`
    // the `B × K` one of `l`, from row and column `p0` on.
    // SAFETY: checked above: the sums hold `k × k` values and `l`, `r` `b × k`, all
    // contiguous; `dst` reaches `sums[p][q]` for `p < p1 ≤ k`, `q < k`, `lhs` reaches
    // `r[b'][q]` and `rhs` `l[b'][p]` for `b' < b`: all inside, and `sums` aliases neither.
    unsafe {
        gemm::gemm(
            k - p0,
            p1 - p0,
            b,
            sums.as_mut_ptr().add(p0 * k + p0),
            k as isize,
            1,
            true,
            r.as_ptr().add(p0),
            k as isize,
            1,
            l.as_ptr().add(p0),
            1,
            k as isize,
            1.0,
            factor,
            false,
            false,
            false,
            gemm::Parallelism::None,
        );
    }
}

/// Copies the upper triangle of the `k × k` row-major `sums` onto the lower one through
/// a small square buffer: each tile is read row by row and written row by row, so a
/// page of the 8 MB sums is visited once per tile rather than once per value (a plain
/// column walk costs a TLB miss for nearly every value).
fn mirror_upper(sums: &mut [f64], k: usize) {
    const TILE: usize = 32;
    let mut tile = [0.0f64; TILE * TILE];
    for q0 in (0..k).step_by(TILE) {
        let q1 = (q0 + TILE).min(k);
        for p0 in (q0..k).step_by(TILE) {
            let p1 = (p0 + TILE).min(k);
            for q in q0..q1 {
                tile[(q - q0) * TILE..(q - q0) * TILE + (p1 - p0)]
                    .copy_from_slice(&sums[q * k + p0..q * k + p1]);
            }
            for p in p0..p1 {
                // Below the diagonal only: `q < p`.
                let end = if p0 == q0 { p.min(q1) } else { q1 };
                let row = &mut sums[p * k + q0..p * k + end];
                for (c, cell) in row.iter_mut().enumerate() {
                    *cell = tile[c * TILE + (p - p0)];
                }
            }
        }
    }
}

/// The entries of `a` as one slice (borrowed when they already are).
fn contiguous(a: ArrayView1<'_, f32>) -> Cow<'_, [f32]> {
    match a.to_slice() {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(a.to_vec()),
    }
}

/// `(Σ l_i, Σ pair(i, l_i))` over the stored indices `members` of one block, in `f64`
/// (`pair` gives the diagonal cell's `l_i·r_i`, or nothing): the entries gathered in
/// display order, four running sums at a time (a single one would wait on each addition).
#[inline(always)]
fn block_sum(l: &[f32], members: &[u32], pair: impl Fn(usize, f64) -> f64) -> (f64, f64) {
    let (mut s, mut o) = ([0.0f64; 4], [0.0f64; 4]);
    let quads = members.chunks_exact(4);
    let rest = quads.remainder();
    for quad in quads {
        for t in 0..4 {
            let i = quad[t] as usize;
            let x = f64::from(l[i]);
            s[t] += x;
            o[t] += pair(i, x);
        }
    }
    for &i in rest {
        let x = f64::from(l[i as usize]);
        s[0] += x;
        o[0] += pair(i as usize, x);
    }
    ((s[0] + s[1]) + (s[2] + s[3]), (o[0] + o[1]) + (o[2] + o[3]))
}

/// `[min, max]` of the finite `values` (`[∞, −∞]` when there are none): sixteen lanes at
/// a time (a comparison is false for `NaN`, which so drops out), and a second, filtering
/// pass only when an infinite value (a diverged state) took part.
fn finite_range(values: &[f32]) -> (f32, f32) {
    const LANES: usize = 16;
    let (mut lo, mut hi) = ([f32::INFINITY; LANES], [f32::NEG_INFINITY; LANES]);
    let chunks = values.chunks_exact(LANES);
    let rest = chunks.remainder();
    for chunk in chunks {
        for ((l, h), &v) in lo.iter_mut().zip(hi.iter_mut()).zip(chunk) {
            *l = if v < *l { v } else { *l };
            *h = if v > *h { v } else { *h };
        }
    }
    for &v in rest {
        lo[0] = if v < lo[0] { v } else { lo[0] };
        hi[0] = if v > hi[0] { v } else { hi[0] };
    }
    let lo = lo.iter().fold(f32::INFINITY, |a, &b| a.min(b));
    let hi = hi.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b));
    if lo == f32::NEG_INFINITY || hi == f32::INFINITY {
        return values
            .iter()
            .filter(|v| v.is_finite())
            .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| {
                (lo.min(v), hi.max(v))
            });
    }
    (lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    /// The lane-wise range is the filtered fold's, with `NaN` and infinite values left
    /// out, whatever the length (a remainder past the last sixteen).
    #[test]
    fn the_range_leaves_out_what_is_not_finite() {
        let fold = |v: &[f32]| {
            v.iter()
                .filter(|x| x.is_finite())
                .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &x| {
                    (lo.min(x), hi.max(x))
                })
        };
        let base: Vec<f32> = (0..37).map(|i| ((i * 7) % 11) as f32 - 4.5).collect();
        for odd in [
            None,
            Some(f32::NAN),
            Some(f32::INFINITY),
            Some(f32::NEG_INFINITY),
        ] {
            for at in [0, 15, 16, 36] {
                let mut v = base.clone();
                if let Some(x) = odd {
                    v[at] = x;
                }
                assert_eq!(finite_range(&v), fold(&v), "{odd:?} at {at}");
            }
        }
        assert_eq!(finite_range(&[f32::NAN; 20]), fold(&[f32::NAN; 20]));
        assert_eq!(finite_range(&[]), (f32::INFINITY, f32::NEG_INFINITY));
    }

    /// One step followed with the same activities on both sides (summed once) and with
    /// an equal copy on the right (summed twice) gives the same sums, to rounding.
    #[test]
    fn the_same_activities_twice_sum_as_one() {
        let m = 23;
        let order: Vec<usize> = (0..m).map(|p| (p * 5 + 2) % m).collect();
        let a = Array2::from_shape_fn((3, m), |(b, i)| ((i * 3 + b) % 4) as f32 / 2.0);
        let copy = a.clone();
        let mut once = BlockSums::zero(&order, 4).unwrap();
        let mut twice = once.clone();
        once.record(1.0, 0.5, a.view(), a.view());
        twice.record(1.0, 0.5, a.view(), copy.view());
        assert!(once.sums.iter().any(|&s| s != 0.0));
        for (x, y) in once.sums.iter().zip(&twice.sums) {
            assert!((x - y).abs() <= 1e-12 * (1.0 + y.abs()), "{x} vs {y}");
        }
    }
}
