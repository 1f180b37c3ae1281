//! A large weight matrix at display resolution: the means of its `k × k` blocks in a
//! display order, and the range of its off-diagonal values, in one pass — what the app's
//! heatmap draws for a matrix larger than its texture.

use ndarray::ArrayView2;

/// Side of the texture, in pixels, for an `n × n` matrix: matrices larger than
/// `max_side` are shown as `k × k` blocks (`k = ⌈n / MAX_TEXTURE_SIDE⌉`).
pub fn block_factor(n: usize, max_side: usize) -> usize {
    n.div_ceil(max_side.max(1)).max(1)
}

/// `k × k` block means of the matrix in display order (diagonal entries left out), plus
/// the off-diagonal `[min, max]` of the full matrix over finite values, in one pass.
/// Returns `(means, side, lo, hi)`; a block holding a non-finite weight is non-finite
/// (drawn grey), a block with nothing to average (a 1 × 1 diagonal block) is `NaN`.
pub fn block_means(w: ArrayView2<f32>, order: &[usize], k: usize) -> (Vec<f32>, usize, f32, f32) {
    block_means_with(w, order, k, false)
}

/// [`block_means`] for an exactly symmetric `W`: the block means matrix is then
/// symmetric too (rows and columns share one order), so only the cells above the
/// diagonal are read — each display row from just right of its diagonal cell — and the
/// block means are mirrored. The strictly upper triangle (in display order) is all that
/// has to be valid, and the range is complete, since every off-diagonal value appears
/// there.
pub fn block_means_symmetric(
    w: ArrayView2<f32>,
    order: &[usize],
    k: usize,
) -> (Vec<f32>, usize, f32, f32) {
    block_means_with(w, order, k, true)
}

/// The one pass behind [`block_means`] and [`block_means_symmetric`]: the rows of each
/// block of display rows are summed per column — from column 0, or when `symmetric`
/// from just right of the diagonal — and the column sums folded into block means.
pub fn block_means_with(
    w: ArrayView2<f32>,
    order: &[usize],
    k: usize,
    symmetric: bool,
) -> (Vec<f32>, usize, f32, f32) {
    let n = order.len();
    let k = k.max(1);
    let side = n.div_ceil(k);
    let identity = order.iter().enumerate().all(|(a, &i)| a == i);
    let mut means = vec![0.0f32; side * side];
    // Column sums of the current block of display rows (diagonal cells taken out).
    let mut column_sums = vec![0.0f32; n];
    // One display row gathered into display order when the order is not the identity.
    let mut gathered = vec![0.0f32; n];
    let mut range = LaneRange::new();
    for rb in 0..side {
        // Column sums are kept from `first` on: the block's own first column when only
        // blocks on and right of the diagonal are computed.
        let first = if symmetric { rb * k } else { 0 };
        let sums = &mut column_sums[first..];
        sums.fill(0.0);
        let rows = rb * k..((rb + 1) * k).min(n);
        let height = rows.len();
        for r in rows {
            let start = if symmetric { r + 1 } else { 0 };
            let row = w.row(order[r]);
            let shown: &[f32] = match (row.as_slice(), identity) {
                (Some(slice), true) => &slice[start..],
                (Some(slice), false) => {
                    for (dst, &j) in gathered[start..].iter_mut().zip(&order[start..]) {
                        *dst = slice[j];
                    }
                    &gathered[start..]
                }
                (None, _) => {
                    for (dst, &j) in gathered[start..].iter_mut().zip(&order[start..]) {
                        *dst = row[j];
                    }
                    &gathered[start..]
                }
            };
            let row_sums = &mut sums[start - first..];
            if symmetric {
                range.add(shown);
                for (sum, &v) in row_sums.iter_mut().zip(shown) {
                    *sum += v;
                }
            } else {
                // Range over the off-diagonal cells; the diagonal cell adds nothing to
                // its block's mean.
                range.add(&shown[..r]);
                range.add(&shown[r + 1..]);
                let before = row_sums[r];
                for (sum, &v) in row_sums.iter_mut().zip(shown) {
                    *sum += v;
                }
                row_sums[r] = before;
            }
        }
        let first_block = first / k;
        let row_means = &mut means[rb * side + first_block..(rb + 1) * side];
        // Full blocks share one cell count (a multiply, and for k = 2 a pair add, per
        // block); the diagonal block and a ragged last block are redone below.
        let inverse = 1.0 / (height * k) as f32;
        let full = sums.chunks_exact(k);
        if k == 2 {
            for (mean, pair) in row_means.iter_mut().zip(full) {
                *mean = (pair[0] + pair[1]) * inverse;
            }
        } else {
            for (mean, chunk) in row_means.iter_mut().zip(full) {
                *mean = chunk.iter().sum::<f32>() * inverse;
            }
        }
        let last = first_block + sums.len().div_ceil(k) - 1;
        let diagonal_block = (rb >= first_block).then_some(rb);
        for cb in diagonal_block.into_iter().chain([last]) {
            let from = (cb - first_block) * k;
            let chunk = &sums[from..(from + k).min(sums.len())];
            let width = chunk.len();
            let diagonal = if cb == rb { height.min(width) } else { 0 };
            let cells = (height * width - diagonal) as f32;
            // Read above the diagonal only, the diagonal block holds half its cells.
            let twice = if symmetric && cb == rb { 2.0 } else { 1.0 };
            row_means[cb - first_block] = if cells > 0.0 {
                twice * chunk.iter().sum::<f32>() / cells
            } else {
                f32::NAN
            };
        }
    }
    if symmetric {
        crate::model::learning::mirror_upper_triangle(&mut means, side);
    }
    let (lo, hi) = range.finish();
    (means, side, lo, hi)
}

/// Minimum and maximum over finite values, kept in eight lanes so the loop vectorises.
struct LaneRange {
    lo: [f32; 8],
    hi: [f32; 8],
}

impl LaneRange {
    fn new() -> Self {
        Self {
            lo: [f32::INFINITY; 8],
            hi: [f32::NEG_INFINITY; 8],
        }
    }

    fn add(&mut self, values: &[f32]) {
        // Fast pass: plain compares skip NaN and vectorise; an infinity would win them,
        // so if one shows up the slice is redone from the previous state, exactly.
        let (mut lo, mut hi) = (self.lo, self.hi);
        let chunks = values.chunks_exact(8);
        let rest = chunks.remainder();
        for chunk in chunks {
            for lane in 0..8 {
                let v = chunk[lane];
                lo[lane] = if v < lo[lane] { v } else { lo[lane] };
                hi[lane] = if v > hi[lane] { v } else { hi[lane] };
            }
        }
        for (lane, &v) in rest.iter().enumerate() {
            lo[lane] = if v < lo[lane] { v } else { lo[lane] };
            hi[lane] = if v > hi[lane] { v } else { hi[lane] };
        }
        let saw_infinity = lo.contains(&f32::NEG_INFINITY) || hi.contains(&f32::INFINITY);
        if !saw_infinity {
            (self.lo, self.hi) = (lo, hi);
            return;
        }
        for (k, &v) in values.iter().enumerate() {
            if v.is_finite() {
                let lane = k % 8;
                self.lo[lane] = self.lo[lane].min(v);
                self.hi[lane] = self.hi[lane].max(v);
            }
        }
    }

    fn finish(&self) -> (f32, f32) {
        (
            self.lo.iter().copied().fold(f32::INFINITY, f32::min),
            self.hi.iter().copied().fold(f32::NEG_INFINITY, f32::max),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    #[test]
    fn block_means_match_a_direct_average_in_any_order() {
        let n = 37;
        let w = Array2::from_shape_fn((n, n), |(i, j)| {
            ((i * 31 + j * 17) % 23) as f32 - 11.0 + if i == j { 1000.0 } else { 0.0 }
        });
        let mut poisoned = w.clone();
        poisoned[[5, 9]] = f32::NAN;
        poisoned[[2, 2]] = f32::INFINITY; // a diagonal cell: ignored
        let shuffled: Vec<usize> = (0..n).map(|a| (a * 10 + 3) % n).collect();
        for order in [(0..n).collect::<Vec<_>>(), shuffled] {
            for k in [1, 2, 4, 5] {
                for matrix in [&w, &poisoned] {
                    let (means, side, lo, hi) = block_means(matrix.view(), &order, k);
                    assert_eq!(side, n.div_ceil(k));
                    let off: Vec<f32> = (0..n)
                        .flat_map(|i| (0..n).map(move |j| (i, j)))
                        .filter(|(i, j)| i != j && matrix[[*i, *j]].is_finite())
                        .map(|(i, j)| matrix[[i, j]])
                        .collect();
                    assert_eq!(lo, off.iter().copied().fold(f32::INFINITY, f32::min));
                    assert_eq!(hi, off.iter().copied().fold(f32::NEG_INFINITY, f32::max));
                    for br in 0..side {
                        for bc in 0..side {
                            let cells: Vec<f32> = (br * k..((br + 1) * k).min(n))
                                .flat_map(|a| (bc * k..((bc + 1) * k).min(n)).map(move |b| (a, b)))
                                .filter(|(a, b)| a != b)
                                .map(|(a, b)| matrix[[order[a], order[b]]])
                                .collect();
                            let got = means[br * side + bc];
                            if cells.is_empty() || cells.iter().any(|v| !v.is_finite()) {
                                assert!(!got.is_finite(), "block ({br}, {bc}) k {k}: {got}");
                            } else {
                                let want = cells.iter().sum::<f32>() / cells.len() as f32;
                                assert!((got - want).abs() < 1e-4, "block ({br}, {bc}) k {k}");
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn symmetric_block_means_equal_the_full_computation() {
        let n = 41;
        let mut w = Array2::from_shape_fn((n, n), |(i, j)| {
            let (a, b) = (i.min(j), i.max(j));
            ((a * 13 + b * 7) % 19) as f32 - 9.0 + if i == j { 500.0 } else { 0.0 }
        });
        w[[3, 8]] = f32::NAN;
        w[[8, 3]] = f32::NAN;
        let shuffled: Vec<usize> = (0..n).map(|a| (a * 12 + 5) % n).collect();
        for order in [(0..n).collect::<Vec<_>>(), shuffled] {
            for k in [1, 2, 3, 4, 5] {
                let (full, side, lo, hi) = block_means(w.view(), &order, k);
                let (half, side_s, lo_s, hi_s) = block_means_symmetric(w.view(), &order, k);
                assert_eq!((side, lo, hi), (side_s, lo_s, hi_s), "k {k}");
                for (b, (x, y)) in full.iter().zip(&half).enumerate() {
                    let same = (x.is_nan() && y.is_nan()) || (x - y).abs() < 1e-4;
                    assert!(same, "k {k}, block {b}: {x} vs {y}");
                }
            }
        }
    }
}
