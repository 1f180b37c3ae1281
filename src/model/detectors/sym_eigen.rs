//! Eigendecomposition of small symmetric matrices by the cyclic Jacobi method.
//!
//! The learned detector bank needs it twice: for the whitening of the stimuli (PCA of
//! their covariance) and for the symmetric orthogonalisation `(WWᵀ)^{-1/2} W` of its
//! unmixing matrix after every step. Both are at most a few hundred rows, where Jacobi
//! is fast enough, accurate to machine precision and — unlike a library call whose
//! kernel depends on the CPU — gives the same bits on every machine, which the bit-exact
//! resumption of a run relies on (the rotations are applied in a fixed order).

use ndarray::Array2;

/// Sweeps after which Jacobi stops even if the off-diagonal mass has not vanished (it
/// converges quadratically; 64 × 64 covariances need 6–8 sweeps).
const MAX_SWEEPS: usize = 30;

/// Eigenvalues (descending) and eigenvectors (columns, same order) of the symmetric part
/// of `a`. `None` for a non-square or non-finite input.
pub fn symmetric_eigen(a: &Array2<f64>) -> Option<(Vec<f64>, Array2<f64>)> {
    let n = a.nrows();
    if a.ncols() != n || a.iter().any(|v| !v.is_finite()) {
        return None;
    }
    // Standard layout, so `rotate` can work on the buffers.
    let mut m = Array2::<f64>::zeros((n, n));
    for i in 0..n {
        for j in 0..n {
            m[[i, j]] = 0.5 * (a[[i, j]] + a[[j, i]]);
        }
    }
    let mut v = Array2::<f64>::eye(n);
    let total: f64 = m.iter().map(|x| x * x).sum();
    for _ in 0..MAX_SWEEPS {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| m[[i, j]] * m[[i, j]])
            .sum();
        if off <= 1e-26 * total.max(f64::MIN_POSITIVE) {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                rotate(&mut m, &mut v, p, q);
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| m[[j, j]].total_cmp(&m[[i, i]]).then(i.cmp(&j)));
    let values = order.iter().map(|&i| m[[i, i]]).collect();
    let mut vectors = Array2::<f64>::zeros((n, n));
    for (k, &i) in order.iter().enumerate() {
        vectors.column_mut(k).assign(&v.column(i));
    }
    Some((values, vectors))
}

/// One Jacobi rotation zeroing `m[p][q]` (Golub & Van Loan, Algorithm 8.4.2). Works on
/// the row-major buffers directly: this loop is where the learned bank spends its time.
fn rotate(m: &mut Array2<f64>, v: &mut Array2<f64>, p: usize, q: usize) {
    let n = m.nrows();
    let (Some(ms), Some(vs)) = (m.as_slice_mut(), v.as_slice_mut()) else {
        return;
    };
    let apq = ms[p * n + q];
    if apq == 0.0 {
        return;
    }
    let theta = (ms[q * n + q] - ms[p * n + p]) / (2.0 * apq);
    let t = if theta == 0.0 {
        1.0
    } else {
        theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt())
    };
    let c = 1.0 / (t * t + 1.0).sqrt();
    let s = t * c;
    // Columns p and q of m (and of v), then rows p and q of m.
    for k in 0..n {
        let (a, b) = (ms[k * n + p], ms[k * n + q]);
        ms[k * n + p] = c * a - s * b;
        ms[k * n + q] = s * a + c * b;
        let (a, b) = (vs[k * n + p], vs[k * n + q]);
        vs[k * n + p] = c * a - s * b;
        vs[k * n + q] = s * a + c * b;
    }
    let (head, tail) = ms.split_at_mut(q * n);
    let row_p = &mut head[p * n..p * n + n];
    let row_q = &mut tail[..n];
    for (a, b) in row_p.iter_mut().zip(row_q.iter_mut()) {
        let (x, y) = (*a, *b);
        *a = c * x - s * y;
        *b = s * x + c * y;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reconstructs_a_known_matrix() {
        // Eigenvalues of the path-graph Laplacian-like tridiagonal matrix 2, −1: 2 − 2cos(kπ/(n+1)).
        let n = 7;
        let mut a = Array2::<f64>::zeros((n, n));
        for i in 0..n {
            a[[i, i]] = 2.0;
            if i + 1 < n {
                a[[i, i + 1]] = -1.0;
                a[[i + 1, i]] = -1.0;
            }
        }
        let (values, vectors) = symmetric_eigen(&a).unwrap();
        let mut expected: Vec<f64> = (1..=n)
            .map(|k| 2.0 - 2.0 * (k as f64 * std::f64::consts::PI / (n as f64 + 1.0)).cos())
            .collect();
        expected.sort_by(|a, b| b.total_cmp(a));
        for (v, e) in values.iter().zip(&expected) {
            assert!((v - e).abs() < 1e-12, "{v} vs {e}");
        }
        let back = vectors
            .dot(&Array2::from_diag(&ndarray::Array1::from(values)))
            .dot(&vectors.t());
        for (x, y) in back.iter().zip(a.iter()) {
            assert!((x - y).abs() < 1e-12);
        }
        let eye = vectors.t().dot(&vectors);
        for i in 0..n {
            for j in 0..n {
                let e = if i == j { 1.0 } else { 0.0 };
                assert!((eye[[i, j]] - e).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn refuses_non_finite_and_non_square() {
        assert!(symmetric_eigen(&Array2::zeros((2, 3))).is_none());
        let mut a = Array2::<f64>::eye(2);
        a[[0, 1]] = f64::NAN;
        assert!(symmetric_eigen(&a).is_none());
    }
}
