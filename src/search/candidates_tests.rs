//! The pivot candidates of large graphs ([`profile_candidates`]) on a planted ring
//! with two kinds of node and a regional gain.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::graph::WeightedGraph;
use crate::search::neighbours::Neighbours;
use crate::search::signature::Signatures;
use ndarray::Array2;

/// A ring of `positions` sites carrying one broad-tuned node (kind 0, index `2p`) and
/// one narrow-tuned node (kind 1, index `2p + 1`), every weight scaled by a gain that
/// varies smoothly around the ring (as a learned graph's weights vary with how often
/// each region was stimulated), plus small noise. Its near-symmetries are the ring's
/// shifts, which keep each node's kind.
fn two_kind_ring(positions: usize, seed: u64) -> Objective {
    let n = 2 * positions;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let gain = |p: usize| 1.0 + 0.5 * (std::f32::consts::TAU * p as f32 / positions as f32).sin();
    let profile = |a: usize, b: usize, d: f32| -> f32 {
        match (a, b) {
            (0, 0) => (-d * d / 18.0).exp(),
            (1, 1) => 1.6 * (-d * d / 2.0).exp(),
            _ => 0.4 * (-d * d / 8.0).exp(),
        }
    };
    let mut w = Array2::<f32>::zeros((n, n));
    for i in 0..n {
        for j in i..n {
            let (p, q) = (i / 2, j / 2);
            let d = (p.abs_diff(q)).min(positions - p.abs_diff(q)) as f32;
            let x =
                gain(p) * gain(q) * profile(i % 2, j % 2, d) + rng.random_range(-0.005f32..0.005);
            w[[i, j]] = x;
            w[[j, i]] = x;
        }
    }
    Objective::new(&WeightedGraph::new(w, None).unwrap(), 0.5)
}

fn setup_for(obj: &Objective) -> SeededSetup {
    SeededSetup {
        // Short lists, as above 4,096 nodes.
        nb: Neighbours::keeping(obj, 64),
        sig: Signatures::compute(obj),
        symmetric: true,
        accept: 0.3,
        group_tolerance: 0.15,
        good: 0.06,
        few_weights: false,
    }
}

#[test]
fn a_pivots_first_profile_candidates_are_nodes_of_its_own_kind() {
    let positions = 400;
    let obj = two_kind_ring(positions, 3);
    let setup = setup_for(&obj);
    let profiles = local_profiles(&obj, &setup);
    for pivot in [0, 1, 2 * 100, 2 * 250 + 1] {
        let first: Vec<usize> = profile_candidates(&profiles, &setup, pivot)
            .into_iter()
            .take(12)
            .collect();
        for &j in &first {
            assert_eq!(j % 2, pivot % 2, "pivot {pivot}: {first:?}");
        }
    }
    // The global signatures, dominated by the gain, mix the kinds.
    let by_signature: Vec<usize> = setup
        .sig
        .candidates(0, obj.n)
        .into_iter()
        .take(12)
        .collect();
    assert!(by_signature.iter().any(|&j| j % 2 == 1), "{by_signature:?}");
}
