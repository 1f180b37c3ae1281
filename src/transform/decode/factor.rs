//! The dense linear algebra of the decoder: a Cholesky factor of a symmetric
//! positive-definite `n × n` system (in `f64`, row-major) and its solves, and the
//! smoothness prior `‖∇s‖²` on the grid of a space as a graph Laplacian.

use super::super::TransformError;
use crate::model::Space;

/// Lower Cholesky factor `L` of a symmetric positive-definite matrix `A = L Lᵀ`.
#[derive(Clone, Debug)]
pub struct Factor {
    /// `L`, row-major `n × n` (the upper triangle is zero).
    lower: Vec<f64>,
    n: usize,
}

impl Factor {
    /// Factorises the row-major `n × n` matrix `a`; an error names the first pivot that
    /// is not positive (NaN or infinite fields make the system indefinite).
    pub fn new(mut a: Vec<f64>, n: usize) -> Result<Self, TransformError> {
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
        Ok(Self { lower: a, n })
    }

    /// `A⁻¹ r = (L Lᵀ)⁻¹ r` by two triangular solves.
    pub fn solve(&self, r: &[f64]) -> Vec<f64> {
        let (n, l) = (self.n, &self.lower);
        let mut y = vec![0.0f64; n];
        for i in 0..n {
            let s: f64 = l[i * n..i * n + i]
                .iter()
                .zip(&y[..i])
                .map(|(a, b)| a * b)
                .sum();
            y[i] = (r[i] - s) / l[i * n + i];
        }
        let mut x = vec![0.0f64; n];
        for i in (0..n).rev() {
            let mut s = 0.0;
            for k in i + 1..n {
                s += l[k * n + i] * x[k];
            }
            x[i] = (y[i] - s) / l[i * n + i];
        }
        x
    }

    /// `L`, row-major.
    #[cfg(test)]
    pub fn lower(&self) -> &[f64] {
        &self.lower
    }
}

/// The smoothness prior `weight · ‖∇s‖² = weight · Σ_edges (s_p − s_q)²` over the
/// neighbouring pixels of a space: the graph Laplacian of its grid.
#[derive(Clone, Debug)]
pub struct Smoothness {
    /// Neighbouring pixel pairs.
    edges: Vec<(usize, usize)>,
    /// Absolute weight of the prior.
    weight: f64,
}

impl Smoothness {
    /// The prior on the grid of `space` with absolute weight `weight`.
    pub fn on(space: Space, weight: f64) -> Self {
        Self {
            edges: grid_edges(space),
            weight,
        }
    }

    /// Adds `scale · weight ·` (the Laplacian) to the row-major `n × n` matrix `a`.
    pub fn add_to(&self, a: &mut [f64], n: usize, scale: f64) {
        let w = self.weight * scale;
        for &(p, q) in &self.edges {
            a[p * n + p] += w;
            a[q * n + q] += w;
            a[p * n + q] -= w;
            a[q * n + p] -= w;
        }
    }

    /// `out += scale · weight · L v` (the Laplacian applied to `v`).
    pub fn apply_add(&self, v: &[f64], out: &mut [f64], scale: f64) {
        for &(p, q) in &self.edges {
            let d = scale * self.weight * (v[p] - v[q]);
            out[p] += d;
            out[q] -= d;
        }
    }
}

/// Neighbouring pixel pairs of a space (right and down neighbours; periodic where the space is).
fn grid_edges(space: Space) -> Vec<(usize, usize)> {
    match space {
        Space::Ring { n } => (0..n)
            .map(|x| (x, (x + 1) % n))
            .filter(|(a, b)| a != b)
            .collect(),
        Space::Line { n } => (1..n).map(|x| (x - 1, x)).collect(),
        Space::Torus { side } | Space::Square { side } => {
            let periodic = matches!(space, Space::Torus { .. });
            let mut edges = Vec::new();
            for y in 0..side {
                for x in 0..side {
                    let p = y * side + x;
                    if x + 1 < side {
                        edges.push((p, p + 1));
                    } else if periodic && side > 2 {
                        edges.push((p, y * side));
                    }
                    if y + 1 < side {
                        edges.push((p, p + side));
                    } else if periodic && side > 2 {
                        edges.push((p, x));
                    }
                }
            }
            edges
        }
        // Neighbours along each ring (periodic) and across rings (open).
        Space::Polar { rings, sectors, .. } => {
            let mut edges = Vec::new();
            for k in 0..rings {
                for j in 0..sectors {
                    let p = k * sectors + j;
                    if sectors > 2 || j + 1 < sectors {
                        edges.push((p, k * sectors + (j + 1) % sectors));
                    }
                    if k + 1 < rings {
                        edges.push((p, p + sectors));
                    }
                }
            }
            edges
        }
    }
}
