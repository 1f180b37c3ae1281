//! The detector code of a pattern and its least-squares inverse.
//!
//! [`encode`] computes `a = φ(F s − θ)` (then k-winners-take-all), exactly as SPEC §4
//! defines a detector's response, from a config and a bank — so the GUI, which holds
//! only a snapshot of the bank, and the CLI give the same activities as the simulation.
//!
//! [`Decoder`] inverts the bank linearly: `ŝ = argmin ‖F s − a‖² + ε‖s‖²
//! = (FᵀF + εI)⁻¹ Fᵀ a`. The `pixels × pixels` matrix `FᵀF + εI` is factorised once
//! per bank by a Cholesky decomposition (in `f64`); each decode is then one product
//! `Fᵀa` and two triangular solves, `O(M·pixels + pixels²)`. The ridge `ε` is relative:
//! `ε = ridge · trace(FᵀF) / pixels`, so it does not depend on the fields' scale.
//! Because the fields are zero-mean, the decoded pattern has no reliable mean level;
//! compare patterns by correlation.

use ndarray::{Array1, Array2, ArrayView1};

use super::{TransformError, check_len};
use crate::model::{Activation, SimConfig};

/// Default relative ridge of the decoder.
pub const DEFAULT_RIDGE: f64 = 1e-3;

/// Activities of the bank for one pattern: `φ(F s − θ)`, then k-winners-take-all.
pub fn encode(config: &SimConfig, fields: &Array2<f32>, stimulus: &[f32]) -> Result<Vec<f32>, TransformError> {
    check_len("stimulus", fields.ncols(), stimulus.len())?;
    let drive = fields.dot(&ArrayView1::from(stimulus));
    let mut activity: Vec<f32> = drive
        .iter()
        .map(|&u| {
            let x = u - config.threshold;
            match config.activation {
                Activation::Relu => x.max(0.0),
                Activation::Binary => {
                    if x > 0.0 {
                        1.0
                    } else {
                        0.0
                    }
                }
                Activation::Sigmoid => 1.0 / (1.0 + (-x).exp()),
            }
        })
        .collect();
    if let Some(k) = config.k_winners
        && k < activity.len()
    {
        let mut order: Vec<usize> = (0..activity.len()).collect();
        // Largest first; ties broken by index so the result is deterministic.
        order.sort_by(|&a, &b| activity[b].total_cmp(&activity[a]).then(a.cmp(&b)));
        for &i in &order[k..] {
            activity[i] = 0.0;
        }
    }
    Ok(activity)
}

/// Least-squares decoder of one bank, factorised once.
#[derive(Clone, Debug)]
pub struct Decoder {
    /// `Fᵀ` (pixels × M), contiguous, for the product `Fᵀa`.
    fields_t: Array2<f32>,
    /// Lower Cholesky factor `L` of `FᵀF + εI`, row-major `pixels × pixels`.
    cholesky: Vec<f64>,
    pixels: usize,
}

impl Decoder {
    /// Factorises `FᵀF + εI` for `fields` (M × pixels) with relative ridge `ridge` (see module docs).
    pub fn new(fields: &Array2<f32>, ridge: f64) -> Result<Self, TransformError> {
        let (neurons, pixels) = fields.dim();
        if neurons == 0 || pixels == 0 {
            return Err(TransformError::EmptyBank(format!(
                "{neurons} detectors over {pixels} pixels"
            )));
        }
        let fields_t = fields.t().as_standard_layout().to_owned();
        let gram = fields_t.dot(fields); // pixels × pixels, f32 product; accumulate below in f64
        let trace: f64 = (0..pixels).map(|p| gram[[p, p]] as f64).sum();
        let epsilon = ridge.max(1e-12) * (trace / pixels as f64).max(f64::MIN_POSITIVE);
        let mut a: Vec<f64> = gram.iter().map(|&x| x as f64).collect();
        for p in 0..pixels {
            a[p * pixels + p] += epsilon;
        }
        let cholesky = cholesky_in_place(a, pixels)?;
        Ok(Self {
            fields_t,
            cholesky,
            pixels,
        })
    }

    /// Number of pixels of the decoded pattern.
    pub fn pixels(&self) -> usize {
        self.pixels
    }

    /// Number of detectors expected in a code.
    pub fn neurons(&self) -> usize {
        self.fields_t.ncols()
    }

    /// `(FᵀF + εI)⁻¹ Fᵀ a`: the pattern whose code is closest to `activities`.
    pub fn decode(&self, activities: &[f32]) -> Result<Vec<f32>, TransformError> {
        check_len("activities", self.neurons(), activities.len())?;
        let rhs: Array1<f32> = self.fields_t.dot(&ArrayView1::from(activities));
        let n = self.pixels;
        let l = &self.cholesky;
        // Forward: L y = b.
        let mut y = vec![0.0f64; n];
        for i in 0..n {
            let row = &l[i * n..i * n + i];
            let s: f64 = row.iter().zip(&y[..i]).map(|(a, b)| a * b).sum();
            y[i] = (rhs[i] as f64 - s) / l[i * n + i];
        }
        // Backward: Lᵀ x = y.
        let mut x = vec![0.0f64; n];
        for i in (0..n).rev() {
            let mut s = 0.0;
            for k in i + 1..n {
                s += l[k * n + i] * x[k];
            }
            x[i] = (y[i] - s) / l[i * n + i];
        }
        Ok(x.into_iter().map(|v| v as f32).collect())
    }
}

/// Cholesky factorisation `A = L Lᵀ` of a symmetric positive-definite row-major matrix.
fn cholesky_in_place(mut a: Vec<f64>, n: usize) -> Result<Vec<f64>, TransformError> {
    for j in 0..n {
        let (head, tail) = a.split_at_mut((j + 1) * n);
        let row_j = &mut head[j * n..];
        let d = row_j[j] - row_j[..j].iter().map(|v| v * v).sum::<f64>();
        if d.is_nan() || d <= 0.0 {
            return Err(TransformError::Singular(format!(
                "pivot {j} of FᵀF + εI is {d}; are the receptive fields finite?"
            )));
        }
        let ljj = d.sqrt();
        row_j[j] = ljj;
        // Only the lower triangle is kept.
        row_j[j + 1..].iter_mut().for_each(|v| *v = 0.0);
        let row_j: &[f64] = row_j;
        for row_i in tail.chunks_exact_mut(n) {
            let s: f64 = row_i[..j].iter().zip(&row_j[..j]).map(|(x, y)| x * y).sum();
            row_i[j] = (row_i[j] - s) / ljj;
        }
    }
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn decoding_the_linear_code_recovers_the_pattern() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let fields = Array2::from_shape_fn((60, 20), |_| rng.random::<f32>() - 0.5);
        let decoder = Decoder::new(&fields, 1e-9).unwrap();
        let s: Vec<f32> = (0..20).map(|i| (i as f32 * 0.7).sin()).collect();
        let code = fields.dot(&ArrayView1::from(&s[..])).to_vec();
        let back = decoder.decode(&code).unwrap();
        for (a, b) in s.iter().zip(&back) {
            assert!((a - b).abs() < 1e-3, "{a} vs {b}");
        }
    }

    #[test]
    fn cholesky_matches_a_known_factor() {
        // A = L Lᵀ with L = [[2,0,0],[1,3,0],[-1,2,1]]
        let a = vec![4.0, 2.0, -2.0, 2.0, 10.0, 5.0, -2.0, 5.0, 6.0];
        let l = cholesky_in_place(a, 3).unwrap();
        let expected = [2.0, 0.0, 0.0, 1.0, 3.0, 0.0, -1.0, 2.0, 1.0];
        for (x, y) in l.iter().zip(expected) {
            assert!((x - y).abs() < 1e-12);
        }
        assert!(cholesky_in_place(vec![1.0, 2.0, 2.0, 1.0], 2).is_err());
    }

    #[test]
    fn wrong_lengths_are_errors() {
        let fields = Array2::<f32>::eye(4);
        let decoder = Decoder::new(&fields, 1e-3).unwrap();
        assert!(decoder.decode(&[1.0; 3]).is_err());
        assert!(Decoder::new(&Array2::<f32>::zeros((0, 4)), 1e-3).is_err());
    }
}
