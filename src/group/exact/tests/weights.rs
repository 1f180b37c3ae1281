//! Weights as colours: random weights, a tolerance that merges them, node weights and
//! the diagonal, and direction.

use ndarray::Array1;
use rand::Rng;

use super::graphs::{cycle, noisy, petersen};
use super::*;

#[test]
fn random_weights_give_the_trivial_group_unless_merged() {
    let w = noisy(50, 21);
    let g = group_of(&w, None);
    assert_eq!(g.order, GroupOrder::one());
    assert!(g.generators.is_empty() && g.orbits.is_empty());
    // Refinement alone settled it: no search node.
    assert_eq!(g.nodes, 0);
    assert_eq!(g.engine, Engine::Refinement);
    assert_eq!(g.edge_colours, 50 * 49 / 2 + 1);
    // A tolerance above the spread merges every weight (diagonal included): S_n.
    let options = ExactOptions {
        tolerance: 1.0,
        ..ExactOptions::default()
    };
    let g = exact_group(w.view(), None, &options, &CancelToken::new()).unwrap();
    assert_eq!(g.order, factorial(50));
    assert_eq!(g.edge_colours, 1);
    assert_eq!(g.tolerance, 1.0);
}

#[test]
fn a_tolerance_recovers_a_planted_symmetry_under_noise() {
    // Petersen with weights 1 ± 1e-6 on edges and ±1e-6 off them.
    let mut r = rng(31);
    let w = petersen().mapv(|x| x + r.random_range(-1e-6..1e-6));
    let (w, _) = scramble(&w, None, 32);
    assert_eq!(group_of(&w, None).order, GroupOrder::one());
    let options = ExactOptions {
        tolerance: 1e-3,
        ..ExactOptions::default()
    };
    let g = exact_group(w.view(), None, &options, &CancelToken::new()).unwrap();
    assert_eq!(g.order.to_u64(), Some(120));
    assert_eq!(g.edge_colours, 2);
}

#[test]
fn node_weights_and_the_diagonal_split_orbits() {
    // C_6 with vertex 0 marked: the stabiliser of 0 in D_6 is the reflection
    // through 0, with orbits {1, 5}, {2, 4}.
    let w = cycle(6, false);
    let mut d = Array1::zeros(6);
    d[0] = 2.5;
    let g = group_of(&w, Some(&d));
    assert_automorphisms(&w, Some(&d), &g);
    assert_eq!(g.order.to_u64(), Some(2));
    assert_eq!(g.orbits, vec![vec![1, 5], vec![2, 4]]);
    // The same mark on the diagonal instead of d.
    let mut wd = w.clone();
    wd[[0, 0]] = 2.5;
    let g = group_of(&wd, None);
    assert_eq!(g.order.to_u64(), Some(2));
    assert_eq!(g.orbits, vec![vec![1, 5], vec![2, 4]]);
    // Scrambled, with two marks at distance 3: order 4 (C_2 × C_2).
    d[3] = 2.5;
    let (ws, ds) = scramble(&w, Some(&d), 41);
    let g = group_of(&ws, ds.as_ref());
    assert_automorphisms(&ws, ds.as_ref(), &g);
    assert_eq!(g.order.to_u64(), Some(4));
}

#[test]
fn direction_is_kept() {
    // A directed 5-cycle has C_5; its symmetrisation D_5.
    let w = cycle(5, true);
    let sym = &w + &w.t();
    assert_eq!(order(&w, 51).to_u64(), Some(5));
    assert_eq!(order(&sym, 52).to_u64(), Some(10));
    // The directed path 0 → 1 → 2 is rigid, the undirected one is not.
    let p = graph(3, &[(0, 1), (1, 2)], true);
    assert_eq!(order(&p, 53).to_u64(), Some(1));
    assert_eq!(order(&(&p + &p.t()), 54).to_u64(), Some(2));
}
