//! The sparse outer-product sum row by row: row `i` of `W_raw` receives
//! `Σ_b (c·l_bi)·r_b` over the stimuli `b` in which detector `i` fired, each added as a
//! whole contiguous row of `R` (upper part only for the symmetric rules).
//!
//! Every weight receives the same terms, in the same stimulus order and with the same
//! roundings, as in the scattered per-stimulus loop of [`super::hebb_accumulate`]
//! (`w += (c·l)·r`, a product then a sum, never fused); the only extra terms are the
//! products with the zeros of `r_b`, which leave a weight's value unchanged (a weight of
//! `−0.0` may come out `+0.0`). What changes is the memory access: a contiguous,
//! vectorised pass over a row instead of one scattered update per pair — at 7 % activity
//! the row pass does about ten times the arithmetic and still runs several times faster,
//! and a `W` too large for the caches is streamed instead of missed line by line.

use ndarray::ArrayView2;

/// Detectors' firing lists: for each column `i` of the left activities, the stimuli in
/// which it is non-zero (ascending) and its values there.
pub(super) struct FiringLists {
    start: Vec<usize>,
    stimulus: Vec<u32>,
    value: Vec<f32>,
}

impl FiringLists {
    /// The lists of every column of `a` (`B × M`).
    pub(super) fn new(a: ArrayView2<f32>) -> Self {
        let m = a.ncols();
        let mut count = vec![0usize; m + 1];
        for row in a.rows() {
            for (n, &x) in count[1..].iter_mut().zip(row) {
                *n += usize::from(x != 0.0);
            }
        }
        for i in 0..m {
            count[i + 1] += count[i];
        }
        let total = count[m];
        let mut next = count[..m].to_vec();
        let (mut stimulus, mut value) = (vec![0u32; total], vec![0.0f32; total]);
        for (b, row) in a.rows().into_iter().enumerate() {
            for (&x, at) in row.iter().zip(next.iter_mut()) {
                if x != 0.0 {
                    stimulus[*at] = b as u32;
                    value[*at] = x;
                    *at += 1;
                }
            }
        }
        Self {
            start: count,
            stimulus,
            value,
        }
    }

    fn entries(&self, i: usize) -> (&[u32], &[f32]) {
        let r = self.start[i]..self.start[i + 1];
        (&self.stimulus[r.clone()], &self.value[r])
    }
}

/// Adds rows `r0..r0 + d_block.len()` of the step into `w_block` (those rows of `W_raw`,
/// `m` wide) and `d_block`: for each stimulus `b` in which detector `i` fired (value
/// `l`), `w[i][j] += (c·l)·r_b[j]` for `j > i` with `upper` (then `r = l`, and the
/// diagonal term `(c·l)·l` goes to `d[i]`), or for every `j` otherwise (the diagonal
/// term `(c·l)·r_b[i]` goes to `d[i]` and `w[i][i]` stays zero). `right` is `R`
/// (`B × m`, row-major).
pub(super) fn add_rows(
    w_block: &mut [f32],
    d_block: &mut [f32],
    r0: usize,
    lists: &FiringLists,
    right: &[f32],
    c: f32,
    upper: bool,
) {
    let m = if d_block.is_empty() {
        return;
    } else {
        w_block.len() / d_block.len()
    };
    for (k, d) in d_block.iter_mut().enumerate() {
        let i = r0 + k;
        let (stimuli, values) = lists.entries(i);
        for (&b, &l) in stimuli.iter().zip(values) {
            let ca = c * l;
            if upper {
                *d += ca * l;
            } else {
                // As the scattered loop: the term lands on a zero diagonal cell first.
                *d += 0.0 + ca * right[b as usize * m + i];
            }
        }
    }
    for (k, row) in w_block.chunks_exact_mut(m).enumerate() {
        let i = r0 + k;
        let (stimuli, values) = lists.entries(i);
        let from = if upper { i + 1 } else { 0 };
        let mut s = 0;
        while s < stimuli.len() {
            let n = (stimuli.len() - s).min(4);
            let mut x: [&[f32]; 4] = [&[]; 4];
            let mut ca = [0.0f32; 4];
            for t in 0..n {
                let b = stimuli[s + t] as usize * m;
                x[t] = &right[b + from..b + m];
                ca[t] = c * values[s + t];
            }
            axpy(&mut row[from..], &x[..n], &ca[..n]);
            s += n;
        }
        if !upper && !stimuli.is_empty() {
            row[i] = 0.0;
        }
    }
}

/// `row[j] = (((row[j] + ca₀·x₀[j]) + ca₁·x₁[j]) + …)` for up to four rows `x`, each term
/// rounded on its own (no fused multiply-add): the bits do not depend on the vector width,
/// so the fastest the CPU offers is picked at run time.
fn axpy(row: &mut [f32], x: &[&[f32]], ca: &[f32]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU has AVX-512F (checked just above).
            return unsafe { axpy_avx512(row, x, ca) };
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2 (checked just above).
            return unsafe { axpy_avx2(row, x, ca) };
        }
    }
    axpy_generic(row, x, ca);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn axpy_avx512(row: &mut [f32], x: &[&[f32]], ca: &[f32]) {
    axpy_generic(row, x, ca);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn axpy_avx2(row: &mut [f32], x: &[&[f32]], ca: &[f32]) {
    axpy_generic(row, x, ca);
}

#[inline(always)]
fn axpy_generic(row: &mut [f32], x: &[&[f32]], ca: &[f32]) {
    let n = row.len();
    match *x {
        [x0, x1, x2, x3] => {
            let (x0, x1, x2, x3) = (&x0[..n], &x1[..n], &x2[..n], &x3[..n]);
            for j in 0..n {
                row[j] = row[j] + ca[0] * x0[j] + ca[1] * x1[j] + ca[2] * x2[j] + ca[3] * x3[j];
            }
        }
        [x0, x1, x2] => {
            let (x0, x1, x2) = (&x0[..n], &x1[..n], &x2[..n]);
            for j in 0..n {
                row[j] = row[j] + ca[0] * x0[j] + ca[1] * x1[j] + ca[2] * x2[j];
            }
        }
        [x0, x1] => {
            let (x0, x1) = (&x0[..n], &x1[..n]);
            for j in 0..n {
                row[j] = row[j] + ca[0] * x0[j] + ca[1] * x1[j];
            }
        }
        [x0] => {
            let x0 = &x0[..n];
            for j in 0..n {
                row[j] += ca[0] * x0[j];
            }
        }
        _ => {}
    }
}
