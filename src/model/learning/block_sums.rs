//! The block sums of `W` behind a view of a large matrix ([`super::overview`]): the
//! matrix cut into `side × side` blocks of a display order, each block's sum of `W`
//! (diagonal cells left out) in `f64`, and how one Hebbian step moves them without
//! reading `W` — `c·(LP)ᵀ(RP)` minus the diagonal cells, with `P` the `M × K` matrix that
//! adds the detectors of each block — as one dense `K × K` product
//! ([`BlockSums::record`]).

use ndarray::{Array2, ArrayView2};

use super::hebb_kernel::{Packed, accumulate_dense};
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
    /// `side × side` sums of `W`, diagonal cells left out.
    sums: Vec<f64>,
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
            sums: vec![0.0; side * side],
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
    }

    /// Follows one step `W ← keep·W + factor·LᵀR` (off the diagonal; `left` and `right`
    /// are `B × M`): `factor·(LP)ᵀ(RP)` minus the diagonal cells, as one dense product.
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
        let k = self.side;
        let summed = |a: ArrayView2<f32>| {
            let mut out = Array2::<f32>::zeros((a.nrows(), k));
            for (row, mut dst) in a.rows().into_iter().zip(out.rows_mut()) {
                for (&x, &b) in row.iter().zip(&self.block_of) {
                    dst[b as usize] += x;
                }
            }
            out
        };
        let (l, r) = (summed(left), summed(right));
        let active = |a: &Array2<f32>| -> Vec<usize> {
            (0..k)
                .filter(|&b| a.column(b).iter().any(|&x| x != 0.0))
                .collect()
        };
        let (cols_l, cols_r) = (active(&l), active(&r));
        if cols_l.is_empty() || cols_r.is_empty() {
            return;
        }
        let mut product = vec![0.0f32; k * k];
        let mut diagonal = vec![0.0f32; k];
        accumulate_dense(
            &mut product,
            &mut diagonal,
            1.0,
            &Packed::new(l.view(), &cols_l),
            &Packed::new(r.view(), &cols_r),
            &cols_l,
            &cols_r,
            false,
        );
        // The cells of W's own diagonal inside each diagonal block.
        let mut own = vec![0.0f64; k];
        for (lrow, rrow) in left.rows().into_iter().zip(right.rows()) {
            for ((&a, &b), &blk) in lrow.iter().zip(rrow).zip(&self.block_of) {
                own[blk as usize] += f64::from(a) * f64::from(b);
            }
        }
        for (s, &p) in self.sums.iter_mut().zip(&product) {
            *s += factor * f64::from(p);
        }
        for b in 0..k {
            self.sums[b * k + b] += factor * (f64::from(diagonal[b]) - own[b]);
        }
    }

    /// The `side × side` block means of the current sums (diagonal cells left out, `NaN`
    /// for a block with no other cell) and the `[min, max]` of the finite ones.
    pub fn means(&self) -> (Vec<f32>, (f32, f32)) {
        let (m, k, block) = (self.block_of.len(), self.side, self.block);
        let cells: Vec<f64> = (0..k)
            .map(|b| (m.min((b + 1) * block) - b * block) as f64)
            .collect();
        let mut means = vec![f32::NAN; k * k];
        let rows = means.chunks_exact_mut(k).zip(self.sums.chunks_exact(k));
        for (br, (out, sums)) in rows.enumerate() {
            // Every block has a cell, so every block off the diagonal has cells off W's
            // diagonal: one division per block, in a loop the compiler vectorises.
            let n_row = cells[br];
            for ((v, &s), &n_col) in out.iter_mut().zip(sums).zip(&cells) {
                *v = (s / (n_row * n_col)) as f32;
            }
            let n = n_row * n_row - n_row;
            out[br] = if n > 0.0 {
                (sums[br] / n) as f32
            } else {
                f32::NAN
            };
        }
        let (lo, hi) = means
            .iter()
            .filter(|v| v.is_finite())
            .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| {
                (lo.min(v), hi.max(v))
            });
        (means, (lo, hi))
    }
}
