//! The weighted graph every analysis works on: a square, finite weight matrix `W`
//! (directed allowed) with optional node weights `d`. The shared vocabulary of
//! `group/` (exact automorphisms) and `search/` (approximate ones), so it sits below
//! both.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2};

/// Why a matrix is not a valid weighted graph.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GraphError {
    /// The matrix has no entries.
    #[error("the weight matrix is empty")]
    Empty,
    /// The matrix is not square.
    #[error("the weight matrix is not square: {rows} × {cols}")]
    NotSquare {
        /// Rows.
        rows: usize,
        /// Columns.
        cols: usize,
    },
    /// A weight is NaN or infinite.
    #[error("weight W[{row}][{col}] is not finite ({value})")]
    NonFinite {
        /// Row of the bad entry.
        row: usize,
        /// Column of the bad entry.
        col: usize,
        /// The entry.
        value: f64,
    },
    /// The node-weight vector has the wrong length.
    #[error("node weights have length {got}, expected {expected}")]
    NodeWeightLength {
        /// `n`.
        expected: usize,
        /// Actual length.
        got: usize,
    },
    /// A node weight is NaN or infinite.
    #[error("node weight d[{index}] is not finite")]
    NonFiniteNodeWeight {
        /// Index of the bad entry.
        index: usize,
    },
}

/// A validated weighted graph: square, non-empty, finite `W` (directed allowed)
/// and optional finite node weights `d`.
#[derive(Clone, Debug)]
pub struct WeightedGraph {
    w: Array2<f32>,
    d: Option<Array1<f32>>,
}

impl WeightedGraph {
    /// Validates and wraps `W` (and `d`).
    pub fn new(w: Array2<f32>, d: Option<Array1<f32>>) -> Result<Self, GraphError> {
        let (rows, cols) = w.dim();
        if rows == 0 || cols == 0 {
            return Err(GraphError::Empty);
        }
        if rows != cols {
            return Err(GraphError::NotSquare { rows, cols });
        }
        if let Some(((row, col), &value)) = w.indexed_iter().find(|(_, x)| !x.is_finite()) {
            return Err(GraphError::NonFinite {
                row,
                col,
                value: value as f64,
            });
        }
        if let Some(d) = &d {
            if d.len() != rows {
                return Err(GraphError::NodeWeightLength {
                    expected: rows,
                    got: d.len(),
                });
            }
            if let Some(index) = d.iter().position(|x| !x.is_finite()) {
                return Err(GraphError::NonFiniteNodeWeight { index });
            }
        }
        Ok(Self { w, d })
    }

    /// Validates a double-precision matrix (checked before the cast to `f32`,
    /// so values beyond `f32` range are rejected as non-finite).
    pub fn from_f64(w: ArrayView2<f64>) -> Result<Self, GraphError> {
        if let Some(((row, col), &value)) = w
            .indexed_iter()
            .find(|(_, x)| !x.is_finite() || x.abs() > f32::MAX as f64)
        {
            return Err(GraphError::NonFinite { row, col, value });
        }
        Self::new(w.mapv(|x| x as f32), None)
    }

    /// Number of nodes.
    pub fn n(&self) -> usize {
        self.w.nrows()
    }

    /// `W`.
    pub fn weights(&self) -> ArrayView2<'_, f32> {
        self.w.view()
    }

    /// `W`, taken out of the graph (no copy).
    pub fn into_weights(self) -> Array2<f32> {
        self.w
    }

    /// `W` and `d`, taken out of the graph (no copy).
    pub fn into_parts(self) -> (Array2<f32>, Option<Array1<f32>>) {
        (self.w, self.d)
    }

    /// `d`, if given.
    pub fn node_weights(&self) -> Option<ArrayView1<'_, f32>> {
        self.d.as_ref().map(|d| d.view())
    }

    /// The same graph with `W` and `d` multiplied by the power of two that brings
    /// `max|w|` into `[0.5, 1)`: exact in floating point (no rounding), so the search's
    /// `f32` arithmetic neither overflows nor underflows whatever the input's scale,
    /// and the results for `cW` equal those for `W`. `None` when already in range
    /// (or `W = 0`).
    pub fn normalised(&self) -> Option<Self> {
        let factor = self.normalisation_factor()?;
        // Scale in f64 and round once: exact unless the result is subnormal in f32.
        let scale = |x: f32| (x as f64 * factor) as f32;
        Some(Self {
            w: self.w.mapv(scale),
            d: self.d.as_ref().map(|d| d.mapv(scale)),
        })
    }

    /// The power of two that brings `max|W|` into `[0.5, 1)` (`None` when no scaling is
    /// needed: already there, or all zero). Scaling by it is exact in floating point
    /// (barring subnormals), so every relative result is unchanged by it.
    pub fn normalisation_factor(&self) -> Option<f64> {
        let max = self.w.iter().fold(0.0f32, |m, &x| m.max(x.abs()));
        if max == 0.0 {
            return None;
        }
        let exponent = (max as f64).log2().floor() as i32 + 1;
        if exponent == 0 {
            return None;
        }
        Some(2f64.powi(-exponent))
    }

    /// True if `W = Wᵀ` exactly.
    pub fn is_symmetric(&self) -> bool {
        let n = self.n();
        (0..n).all(|i| (i + 1..n).all(|j| self.w[[i, j]] == self.w[[j, i]]))
    }
}
