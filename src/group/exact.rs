//! The exact automorphism group of a weighted graph by individualisation–refinement
//! (McKay & Piperno 2014): weights are edge colours (exact equality, or grouped
//! within a tolerance), node weights vertex colours, directed graphs stay directed.

use ndarray::{ArrayView1, ArrayView2};
use serde::Serialize;

use super::{Bsgs, GroupOrder};
use crate::perm::Permutation;
use crate::search::CancelToken;

/// How weights become colours.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ExactOptions {
    /// Weights that differ by at most `tolerance · max|w|` share a colour (0: exact
    /// equality). The grouping is deterministic (see the module docs).
    pub tolerance: f64,
    /// Most search-tree nodes visited before giving up with
    /// [`ExactGroupError::TooHard`] (a bound on the work, not a clock).
    pub max_nodes: u64,
}

impl Default for ExactOptions {
    fn default() -> Self {
        Self {
            tolerance: 0.0,
            max_nodes: 1_000_000,
        }
    }
}

/// A proved automorphism group.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExactGroup {
    /// Number of vertices.
    pub n: usize,
    /// `|Aut|`, exactly.
    pub order: GroupOrder,
    /// Generators (a strong generating set relative to `base`), each an exact
    /// automorphism of the coloured graph.
    pub generators: Vec<Permutation>,
    /// The base (the first path's individualised vertices).
    pub base: Vec<usize>,
    /// Orbits with at least two vertices, each sorted, ordered by smallest vertex.
    pub orbits: Vec<Vec<usize>>,
    /// The tolerance the colours were made with.
    pub tolerance: f64,
    /// Number of distinct edge colours (weight classes).
    pub edge_colours: usize,
    /// Search-tree nodes visited.
    pub nodes: u64,
}

impl ExactGroup {
    /// The stabiliser chain of the group.
    pub fn bsgs(&self) -> Bsgs {
        Bsgs::from_base_and_strong_generators(self.n, &self.base, &self.generators)
    }
}

/// Why no group was proved.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ExactGroupError {
    /// Cancelled by the caller.
    #[error("cancelled")]
    Cancelled,
    /// The search tree needed more than `max_nodes` nodes.
    #[error("not proved: the search tree exceeded {0} nodes")]
    TooHard(u64),
    /// Shapes or values are unusable.
    #[error("{0}")]
    BadInput(String),
}

/// The automorphism group of `(W, d)`: permutations `π` with
/// `colour(W[π(i)][π(j)]) = colour(W[i][j])` for all `i, j` (diagonal included) and
/// `colour(d[π(i)]) = colour(d[i])`.
pub fn exact_group(
    w: ArrayView2<f32>,
    d: Option<ArrayView1<f32>>,
    options: &ExactOptions,
    cancel: &CancelToken,
) -> Result<ExactGroup, ExactGroupError> {
    let _ = (w, d, options, cancel);
    todo!("helper")
}
