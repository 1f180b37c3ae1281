//! Permutations of neurons (or pixels) and the one convention used everywhere.
//!
//! **Convention.** A [`Permutation`] `π` is stored as its image list:
//! `π.image(i)` is the vertex that `i` is mapped to. Acting on a matrix,
//! `(πW)[π(i)][π(j)] = W[i][j]`, i.e. `πW = P W Pᵀ` with `P[π(i)][i] = 1`;
//! equivalently `(πW)[i][j] = W[π⁻¹(i)][π⁻¹(j)]`. Acting on a vector,
//! `(πv)[π(i)] = v[i]`. Composition `a.then(b)` first applies `a`, then `b`.
//!
//! The relative automorphism error is
//! `r(π) = ‖W − πW‖_F / ‖W‖_F`, 0 for an exact automorphism.

use ndarray::{Array2, ArrayView1, ArrayView2};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A permutation of `0..n`, stored as the list of images (`image[i] = π(i)`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "Vec<usize>", into = "Vec<usize>")]
pub struct Permutation {
    image: Vec<usize>,
}

/// Why a list of integers is not a permutation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PermutationError {
    /// An entry is `>= n`.
    #[error("entry {value} at position {index} is out of range for a permutation of {n} elements")]
    OutOfRange {
        /// Position of the bad entry.
        index: usize,
        /// The bad entry.
        value: usize,
        /// Length of the list.
        n: usize,
    },
    /// An entry appears twice.
    #[error("entry {value} appears more than once (second time at position {index})")]
    Repeated {
        /// Position of the second occurrence.
        index: usize,
        /// The repeated entry.
        value: usize,
    },
}

impl Permutation {
    /// The identity on `n` elements.
    pub fn identity(n: usize) -> Self {
        Self {
            image: (0..n).collect(),
        }
    }

    /// Builds a permutation from its image list, checking that it is one.
    pub fn from_images(image: Vec<usize>) -> Result<Self, PermutationError> {
        let n = image.len();
        let mut seen = vec![false; n];
        for (index, &value) in image.iter().enumerate() {
            if value >= n {
                return Err(PermutationError::OutOfRange { index, value, n });
            }
            if seen[value] {
                return Err(PermutationError::Repeated { index, value });
            }
            seen[value] = true;
        }
        Ok(Self { image })
    }

    /// Number of elements permuted.
    pub fn len(&self) -> usize {
        self.image.len()
    }

    /// True for the permutation of zero elements.
    pub fn is_empty(&self) -> bool {
        self.image.is_empty()
    }

    /// `π(i)`.
    #[inline]
    pub fn image(&self, i: usize) -> usize {
        self.image[i]
    }

    /// The image list: `images()[i] = π(i)`.
    pub fn images(&self) -> &[usize] {
        &self.image
    }

    /// The inverse permutation `π⁻¹`.
    pub fn inverse(&self) -> Self {
        let mut inv = vec![0; self.len()];
        for (i, &p) in self.image.iter().enumerate() {
            inv[p] = i;
        }
        Self { image: inv }
    }

    /// `self` then `other`: the map `i ↦ other(self(i))`.
    pub fn then(&self, other: &Permutation) -> Self {
        assert_eq!(
            self.len(),
            other.len(),
            "composing permutations of different sizes"
        );
        Self {
            image: self.image.iter().map(|&p| other.image[p]).collect(),
        }
    }

    /// `π^k` for any integer `k` (negative powers use the inverse).
    pub fn pow(&self, k: i64) -> Self {
        let base = if k < 0 { self.inverse() } else { self.clone() };
        let mut e = k.unsigned_abs();
        let mut result = Self::identity(self.len());
        let mut sq = base;
        while e > 0 {
            if e & 1 == 1 {
                result = result.then(&sq);
            }
            sq = sq.then(&sq);
            e >>= 1;
        }
        result
    }

    /// True if `π(i) = i` for every `i`.
    pub fn is_identity(&self) -> bool {
        self.image.iter().enumerate().all(|(i, &p)| i == p)
    }

    /// Number of fixed points `#{i : π(i) = i}`.
    pub fn fixed_points(&self) -> usize {
        self.image
            .iter()
            .enumerate()
            .filter(|&(i, &p)| i == p)
            .count()
    }

    /// The cycles of `π` (each listed from its smallest element), fixed points included.
    pub fn cycles(&self) -> Vec<Vec<usize>> {
        let n = self.len();
        let mut seen = vec![false; n];
        let mut cycles = Vec::new();
        for start in 0..n {
            if seen[start] {
                continue;
            }
            let mut cycle = Vec::new();
            let mut i = start;
            while !seen[i] {
                seen[i] = true;
                cycle.push(i);
                i = self.image[i];
            }
            cycles.push(cycle);
        }
        cycles
    }

    /// Cycle type as sorted `(length, count)` pairs, e.g. `[(1, 2), (3, 4)]`.
    pub fn cycle_type(&self) -> Vec<(usize, usize)> {
        let mut lengths: Vec<usize> = self.cycles().iter().map(Vec::len).collect();
        lengths.sort_unstable();
        let mut out: Vec<(usize, usize)> = Vec::new();
        for l in lengths {
            match out.last_mut() {
                Some((len, count)) if *len == l => *count += 1,
                _ => out.push((l, 1)),
            }
        }
        out
    }

    /// Order of `π`: the least common multiple of its cycle lengths.
    /// Saturates at `u64::MAX` for absurdly large orders.
    pub fn order(&self) -> u64 {
        fn gcd(a: u64, b: u64) -> u64 {
            if b == 0 { a } else { gcd(b, a % b) }
        }
        self.cycle_type().iter().fold(1u64, |acc, &(l, _)| {
            let l = l as u64;
            (acc / gcd(acc, l)).saturating_mul(l)
        })
    }

    /// Applies `π` to a vector: `(πv)[π(i)] = v[i]`.
    pub fn apply_to_vector<T: Copy + Default>(&self, v: &[T]) -> Vec<T> {
        assert_eq!(
            v.len(),
            self.len(),
            "vector length does not match permutation"
        );
        let mut out = vec![T::default(); v.len()];
        for (i, &x) in v.iter().enumerate() {
            out[self.image[i]] = x;
        }
        out
    }

    /// Applies `π` to a square matrix: `(πW)[π(i)][π(j)] = W[i][j]`, i.e. `P W Pᵀ`.
    pub fn apply_to_matrix(&self, w: ArrayView2<f32>) -> Array2<f32> {
        let n = self.len();
        assert_eq!(w.dim(), (n, n), "matrix shape does not match permutation");
        let mut out = Array2::<f32>::zeros((n, n));
        for i in 0..n {
            let pi = self.image[i];
            let row = w.row(i);
            let mut out_row = out.row_mut(pi);
            for j in 0..n {
                out_row[self.image[j]] = row[j];
            }
        }
        out
    }
}

impl TryFrom<Vec<usize>> for Permutation {
    type Error = PermutationError;
    fn try_from(image: Vec<usize>) -> Result<Self, Self::Error> {
        Self::from_images(image)
    }
}

impl From<Permutation> for Vec<usize> {
    fn from(p: Permutation) -> Self {
        p.image
    }
}

impl fmt::Display for Permutation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let nontrivial: Vec<_> = self.cycles().into_iter().filter(|c| c.len() > 1).collect();
        if nontrivial.is_empty() {
            return write!(f, "()");
        }
        for c in nontrivial {
            write!(f, "(")?;
            for (k, x) in c.iter().enumerate() {
                if k > 0 {
                    write!(f, " ")?;
                }
                write!(f, "{x}")?;
            }
            write!(f, ")")?;
        }
        Ok(())
    }
}

/// `‖W − πW‖²_F` computed without allocating: `Σ_ij (W[i][j] − W[π⁻¹(i)][π⁻¹(j)])²`,
/// accumulated in `f64`.
pub fn squared_difference(w: ArrayView2<f32>, pi: &Permutation) -> f64 {
    let mut acc = [0.0f64; 4];
    squared_difference_rows(w, pi, 0..pi.len(), &mut acc);
    acc.iter().sum()
}

/// The part of [`squared_difference`] over rows `rows`, added into the four running
/// sums `acc` (their total is the result). Called over consecutive ranges in order, it
/// gives the bits of one call over all rows: what lets a long sum look at a cancel token
/// between blocks of rows.
pub fn squared_difference_rows(
    w: ArrayView2<f32>,
    pi: &Permutation,
    rows: std::ops::Range<usize>,
    acc: &mut [f64; 4],
) {
    let n = pi.len();
    assert_eq!(w.dim(), (n, n), "matrix shape does not match permutation");
    let rows = rows.start.min(n)..rows.end.min(n);
    // (πW)[π(i)][π(j)] = W[i][j], so compare W[π(i)][π(j)] with W[i][j].
    let images = pi.images();
    let Some(flat) = w.as_slice() else {
        for i in rows {
            let (row, prow) = (w.row(i), w.row(images[i]));
            for j in 0..n {
                let d = (prow[images[j]] - row[j]) as f64;
                acc[0] += d * d;
            }
        }
        return;
    };
    // Four independent accumulators: one running sum would wait on each addition.
    let first = rows.start;
    for (k, row) in flat[first * n..rows.end * n]
        .chunks_exact(n.max(1))
        .enumerate()
    {
        let i = first + k;
        let prow = &flat[images[i] * n..(images[i] + 1) * n];
        let mut quads = row.chunks_exact(4).zip(images.chunks_exact(4));
        for (xs, ps) in &mut quads {
            for l in 0..4 {
                let d = (prow[ps[l]] - xs[l]) as f64;
                acc[l] += d * d;
            }
        }
        let done = n - n % 4;
        for j in done..n {
            let d = (prow[images[j]] - row[j]) as f64;
            acc[0] += d * d;
        }
    }
}

/// Frobenius norm of a matrix, accumulated in `f64`.
pub fn frobenius_norm(w: ArrayView2<f32>) -> f64 {
    w.iter()
        .map(|&x| (x as f64) * (x as f64))
        .sum::<f64>()
        .sqrt()
}

/// Relative automorphism error `r(π) = ‖W − πW‖_F / ‖W‖_F`.
/// Returns 0 when `W = 0` (every permutation is then an automorphism).
pub fn relative_error(w: ArrayView2<f32>, pi: &Permutation) -> f64 {
    let norm = frobenius_norm(w);
    if norm == 0.0 {
        return 0.0;
    }
    squared_difference(w, pi).sqrt() / norm
}

/// Node-weight error `‖d − πd‖ / ‖d‖` (0 when `d = 0`).
pub fn node_weight_error(d: ArrayView1<f32>, pi: &Permutation) -> f64 {
    let n = pi.len();
    assert_eq!(d.len(), n, "node weights do not match permutation");
    let norm: f64 = d.iter().map(|&x| (x as f64).powi(2)).sum::<f64>().sqrt();
    if norm == 0.0 {
        return 0.0;
    }
    let diff: f64 = (0..n)
        .map(|i| ((d[pi.image(i)] - d[i]) as f64).powi(2))
        .sum::<f64>()
        .sqrt();
    diff / norm
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn matrix_action_follows_the_documented_convention() {
        let w = array![[0.0f32, 1.0, 2.0], [3.0, 0.0, 4.0], [5.0, 6.0, 0.0]];
        let pi = Permutation::from_images(vec![1, 2, 0]).unwrap();
        let pw = pi.apply_to_matrix(w.view());
        for i in 0..3 {
            for j in 0..3 {
                assert_eq!(pw[[pi.image(i), pi.image(j)]], w[[i, j]]);
                let inv = pi.inverse();
                assert_eq!(pw[[i, j]], w[[inv.image(i), inv.image(j)]]);
            }
        }
        let direct = squared_difference(w.view(), &pi);
        let via_matrix: f64 = (&w - &pw).iter().map(|&x| (x as f64).powi(2)).sum();
        assert!((direct - via_matrix).abs() < 1e-9);
    }

    #[test]
    fn cyclic_shift_is_an_exact_automorphism_of_a_circulant() {
        let n = 7;
        let w = Array2::from_shape_fn((n, n), |(i, j)| {
            let d = (i + n - j) % n;
            if d == 0 { 0.0 } else { (d * d) as f32 }
        });
        let shift = Permutation::from_images((0..n).map(|i| (i + 1) % n).collect()).unwrap();
        assert_eq!(relative_error(w.view(), &shift), 0.0);
        let swap = Permutation::from_images({
            let mut v: Vec<usize> = (0..n).collect();
            v.swap(0, 1);
            v
        })
        .unwrap();
        assert!(relative_error(w.view(), &swap) > 0.1);
    }

    #[test]
    fn group_basics() {
        let p = Permutation::from_images(vec![1, 2, 0, 4, 3]).unwrap();
        assert_eq!(p.order(), 6);
        assert_eq!(p.cycle_type(), vec![(2, 1), (3, 1)]);
        assert_eq!(p.fixed_points(), 0);
        assert!(p.pow(6).is_identity());
        assert_eq!(p.pow(-1), p.inverse());
        assert!(p.then(&p.inverse()).is_identity());
        assert_eq!(
            p.apply_to_vector(&[10, 11, 12, 13, 14]),
            vec![12, 10, 11, 14, 13]
        );
        assert!(Permutation::from_images(vec![0, 0]).is_err());
        assert!(Permutation::from_images(vec![0, 2]).is_err());
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<Permutation>(&json).unwrap(), p);
        assert!(serde_json::from_str::<Permutation>("[0,0]").is_err());
    }
}
