//! The exact automorphism group of a weighted graph by individualisation–refinement
//! (McKay & Piperno 2014): weights are edge colours (exact equality, or grouped
//! within a tolerance), node weights vertex colours, directed graphs stay directed.
//!
//! **Colours.** Each `W[i][j]` (diagonal included) gets an edge colour. With
//! `tolerance = 0`, two entries share a colour iff they are equal as `f32` (−0 = +0).
//! With `tolerance = t > 0`, the distinct values are sorted ascending and grouped
//! greedily: a class starts at its smallest value and takes each following value
//! that exceeds that smallest value by at most `t · max|W|`; the next value starts a
//! new class. Chains therefore never merge (with threshold 1, `0, 0.6, 1.0, 1.5`
//! gives `{0, 0.6, 1.0}, {1.5}`), and the grouping depends on the values only, not
//! on their order in the matrix. Node weights `d` are grouped the same way relative
//! to `max|d|`; a vertex's colour is the pair (class of `d[i]`, colour of `W[i][i]`).
//! An automorphism must preserve the colour of every ordered pair, so a directed
//! graph keeps its direction.
//!
//! **Method.** Colour refinement ([`crate::group::refine`]) over each vertex's
//! multiset of `(colour(v→x), colour(x→v))` settles most of the work: a noisy
//! matrix with all weights different becomes discrete in its first pass (about
//! `n²` hash operations plus sorting the distinct weights). What refinement leaves
//! open goes to the search: a first path of individualisations gives
//! the base `b₁…b_k` and a leaf `λ₀`; for each level `i`, from the bottom, every
//! vertex `w` of the target cell not already in the orbit of `b_{i+1}` under the
//! generators found so far (those fixing `b₁…b_i`) has its subtree searched, with
//! trace pruning and orbit pruning, for a leaf `λ` such that `λ₀ ↦ λ` is an
//! automorphism — verified on every pair before it is accepted. The orbit lengths
//! are then the basic orbits of a stabiliser chain, and `|Aut|` is their product.

mod classes;
mod search;
#[cfg(test)]
mod tests;

use ndarray::{ArrayView1, ArrayView2};
use serde::Serialize;

use super::{Bsgs, GroupOrder};
use crate::cancel::CancelToken;
use crate::perm::Permutation;

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
    let (graph, edge_colours) = classes::colour_graph(w, d, options.tolerance, cancel)?;
    let n = graph.n();
    let outcome = search::search(&graph, options.max_nodes, cancel)?;
    let orbit_lengths = outcome.orbit_lengths;
    let labels = search::orbit_labels(n, outcome.generators.iter());
    let mut orbits: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (v, &l) in labels.iter().enumerate() {
        orbits[l as usize].push(v);
    }
    orbits.retain(|o| o.len() >= 2);
    let generators = outcome
        .generators
        .into_iter()
        .map(|g| {
            Permutation::from_images(g.into_iter().map(|x| x as usize).collect())
                .map_err(|e| ExactGroupError::BadInput(format!("internal error: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ExactGroup {
        n,
        order: GroupOrder::from_orbit_lengths(orbit_lengths),
        generators,
        base: outcome.base,
        orbits,
        tolerance: options.tolerance,
        edge_colours,
        nodes: outcome.nodes,
    })
}
