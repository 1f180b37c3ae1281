//! Exact groups against ground truth: orders from the literature, brute force over
//! all permutations for small graphs, planted symmetries. Inputs are scrambled by
//! a random relabelling so that no test passes by the identity labelling's luck.
//!
//! This file holds the checks every test shares; the graphs are in `graphs.rs`, and the
//! tests are grouped by what they check: known orders of named families
//! (`known_orders.rs`), weights, tolerance and direction (`weights.rs`), brute force
//! (`brute_force.rs`), bad input, budgets and cancellation (`errors.rs`), and the
//! ignored timing runs (`timing.rs`).

mod brute_force;
mod errors;
mod graphs;
mod known_orders;
mod timing;
mod weights;

use ndarray::{Array1, Array2};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::perm::squared_difference;

fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// A 0/1 adjacency matrix from an edge list.
fn graph(n: usize, edges: &[(usize, usize)], directed: bool) -> Array2<f32> {
    let mut w = Array2::zeros((n, n));
    for &(a, b) in edges {
        w[[a, b]] = 1.0;
        if !directed {
            w[[b, a]] = 1.0;
        }
    }
    w
}

/// `W` and `d` relabelled by a random permutation.
fn scramble(
    w: &Array2<f32>,
    d: Option<&Array1<f32>>,
    seed: u64,
) -> (Array2<f32>, Option<Array1<f32>>) {
    let n = w.nrows();
    let mut images: Vec<usize> = (0..n).collect();
    images.shuffle(&mut rng(seed));
    let p = Permutation::from_images(images).unwrap();
    let d = d.map(|d| Array1::from(p.apply_to_vector(d.as_slice().unwrap())));
    (p.apply_to_matrix(w.view()), d)
}

fn group_of(w: &Array2<f32>, d: Option<&Array1<f32>>) -> ExactGroup {
    exact_group(
        w.view(),
        d.map(|d| d.view()),
        &ExactOptions::default(),
        &CancelToken::new(),
    )
    .unwrap()
}

/// Every generator preserves `W` and `d` exactly, and the orbits are consistent.
fn assert_automorphisms(w: &Array2<f32>, d: Option<&Array1<f32>>, g: &ExactGroup) {
    // Each check is a dense O(n²) pass: on big graphs with many generators, a sample.
    let step = if w.nrows() > 1000 { 97 } else { 1 };
    for p in g.generators.iter().step_by(step) {
        assert_eq!(squared_difference(w.view(), p), 0.0, "{p} is not exact");
        if let Some(d) = d {
            assert!((0..d.len()).all(|i| d[p.image(i)] == d[i]), "{p} moves d");
        }
    }
    for o in &g.orbits {
        assert!(o.len() >= 2 && o.windows(2).all(|x| x[0] < x[1]));
    }
}

/// Order, checked generators, after scrambling.
fn order(w: &Array2<f32>, seed: u64) -> GroupOrder {
    let (w, _) = scramble(w, None, seed);
    let g = group_of(&w, None);
    assert_automorphisms(&w, None, &g);
    g.order
}

fn factorial(n: usize) -> GroupOrder {
    GroupOrder::from_orbit_lengths(1..=n)
}
