//! Gathered row reductions with independent accumulators.
//!
//! Every hot loop of the search reduces one row of `W` against another row read
//! through the candidate permutation (`prow[p[j]]`). Written as one running sum, the
//! loop waits on each addition's latency (about 4 cycles) because floating-point
//! addition may not be reordered; eight lanes summed at the end let the processor
//! overlap the gathers and additions, which makes these loops several times faster.
//! The result differs from the sequential sum only by rounding, and is the same on
//! every run.

/// Number of independent accumulators.
const LANES: usize = 8;

/// Sums `f(j)` over `j in 0..n` in [`LANES`] interleaved accumulators.
#[inline(always)]
fn lanes_sum(n: usize, f: impl Fn(usize) -> f32) -> f32 {
    let mut acc = [0.0f32; LANES];
    let full = n - n % LANES;
    let mut j = 0;
    while j < full {
        for (l, a) in acc.iter_mut().enumerate() {
            *a += f(j + l);
        }
        j += LANES;
    }
    let mut tail = 0.0f32;
    for k in full..n {
        tail += f(k);
    }
    acc.iter().sum::<f32>() + tail
}

/// `Σ_j (prow[p[j]] − row[j])²`.
#[inline]
pub(crate) fn gathered_sq_diff(row: &[f32], prow: &[f32], p: &[usize]) -> f32 {
    let n = row.len().min(p.len());
    let (row, p) = (&row[..n], &p[..n]);
    lanes_sum(n, |j| {
        let d = prow[p[j]] - row[j];
        d * d
    })
}

/// `Σ_j row[j]·prow[p[j]]`.
#[inline]
pub(crate) fn gathered_dot(row: &[f32], prow: &[f32], p: &[usize]) -> f32 {
    let n = row.len().min(p.len());
    let (row, p) = (&row[..n], &p[..n]);
    lanes_sum(n, |j| row[j] * prow[p[j]])
}

/// `Σ_j (a[j] − b[j])·(pb[p[j]] − pa[p[j]])`: the row part of a swap's score change.
#[inline]
pub(crate) fn gathered_swap(a: &[f32], b: &[f32], pa: &[f32], pb: &[f32], p: &[usize]) -> f32 {
    let n = a.len().min(b.len()).min(p.len());
    let (a, b, p) = (&a[..n], &b[..n], &p[..n]);
    lanes_sum(n, |j| {
        let pj = p[j];
        (a[j] - b[j]) * (pb[pj] - pa[pj])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    type Rows = (Vec<f32>, Vec<f32>, Vec<f32>, Vec<f32>);

    fn data(n: usize) -> (Rows, Vec<usize>) {
        let v = |k: usize| -> Vec<f32> {
            (0..n)
                .map(|j| ((j * 37 + k * 11) % 23) as f32 / 7.0 - 1.3)
                .collect()
        };
        let p: Vec<usize> = (0..n).map(|j| (j * 5 + 3) % n).collect();
        ((v(1), v(2), v(3), v(4)), p)
    }

    #[test]
    fn lane_sums_equal_the_sequential_sums_for_every_tail_length() {
        for n in [1, 7, 8, 9, 31, 64, 101] {
            let ((a, b, pa, pb), p) = data(n);
            let sq: f32 = (0..n).map(|j| (pa[p[j]] - a[j]).powi(2)).sum();
            let dot: f32 = (0..n).map(|j| a[j] * pa[p[j]]).sum();
            let sw: f32 = (0..n).map(|j| (a[j] - b[j]) * (pb[p[j]] - pa[p[j]])).sum();
            assert!((gathered_sq_diff(&a, &pa, &p) - sq).abs() < 1e-3 * (1.0 + sq.abs()));
            assert!((gathered_dot(&a, &pa, &p) - dot).abs() < 1e-3 * (1.0 + dot.abs()));
            assert!((gathered_swap(&a, &b, &pa, &pb, &p) - sw).abs() < 1e-3 * (1.0 + sw.abs()));
        }
    }
}
