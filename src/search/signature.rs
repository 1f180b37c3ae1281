//! Node signatures: cheap per-node numbers that every automorphism preserves
//! (`sig(π(i)) = sig(i)`), used to rank the candidate images of a pivot and
//! as the node-similarity term of the spectral solver.

use super::objective::Objective;

/// Standardised invariant features, `n × F`, row-major.
pub(crate) struct Signatures {
    /// Number of features per node.
    pub f: usize,
    /// The features.
    pub data: Vec<f64>,
}

impl Signatures {
    /// Row sums and column sums, their squares, the diagonal, the diagonal of
    /// `W²` and the row/column maxima and minima — all `O(n²)`.
    pub fn compute(obj: &Objective) -> Self {
        let n = obj.n;
        let f = 10;
        let mut data = vec![0.0f64; n * f];
        for i in 0..n {
            let row = obj.row(i);
            let col = obj.col(i);
            let mut s = [0.0f64; 10];
            s[6] = f64::NEG_INFINITY;
            s[7] = f64::INFINITY;
            s[8] = f64::NEG_INFINITY;
            s[9] = f64::INFINITY;
            for j in 0..n {
                let (r, c) = (row[j] as f64, col[j] as f64);
                s[0] += r;
                s[1] += c;
                s[2] += r * r;
                s[3] += c * c;
                s[5] += r * c;
                if j != i {
                    s[6] = s[6].max(r);
                    s[7] = s[7].min(r);
                    s[8] = s[8].max(c);
                    s[9] = s[9].min(c);
                }
            }
            s[4] = row[i] as f64;
            if n == 1 {
                s[6..10].iter_mut().for_each(|x| *x = 0.0);
            }
            data[i * f..(i + 1) * f].copy_from_slice(&s);
        }
        // Standardise each feature by its spread (features constant across nodes vanish).
        for k in 0..f {
            let mean = (0..n).map(|i| data[i * f + k]).sum::<f64>() / n as f64;
            let var = (0..n)
                .map(|i| (data[i * f + k] - mean).powi(2))
                .sum::<f64>()
                / n as f64;
            let scale = var.sqrt();
            let tiny = 1e-9 * (mean.abs() + 1e-12);
            for i in 0..n {
                let x = &mut data[i * f + k];
                *x = if scale > tiny {
                    (*x - mean) / scale
                } else {
                    0.0
                };
            }
        }
        Self { f, data }
    }

    /// Squared distance between the signatures of `i` and `j`.
    #[inline]
    pub fn dist2(&self, i: usize, j: usize) -> f64 {
        let a = &self.data[i * self.f..(i + 1) * self.f];
        let b = &self.data[j * self.f..(j + 1) * self.f];
        a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
    }

    /// All nodes other than `i`, nearest signature first (ties by index).
    pub fn candidates(&self, i: usize, n: usize) -> Vec<usize> {
        let mut c: Vec<(f64, usize)> = (0..n)
            .filter(|&j| j != i)
            .map(|j| (self.dist2(i, j), j))
            .collect();
        c.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        c.into_iter().map(|x| x.1).collect()
    }
}
