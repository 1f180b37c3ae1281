//! Named families whose automorphism groups are known: cycles, cubes, complete and
//! bipartite graphs, Petersen, Paley, circulants, twins and disjoint copies.

use ndarray::Array2;

use super::graphs::*;
use super::*;

#[test]
fn petersen_cube_and_cycles_have_their_known_orders() {
    assert_eq!(order(&petersen(), 1).to_u64(), Some(120));
    assert_eq!(order(&hypercube(3), 2).to_u64(), Some(48));
    assert_eq!(order(&hypercube(4), 3).to_u64(), Some(384));
    for n in [3, 5, 8, 13] {
        assert_eq!(
            order(&cycle(n, false), n as u64).to_u64(),
            Some(2 * n as u64)
        );
        assert_eq!(order(&cycle(n, true), n as u64).to_u64(), Some(n as u64));
    }
}

#[test]
fn vertex_transitive_graphs_have_one_orbit() {
    let (w, _) = scramble(&petersen(), None, 9);
    let g = group_of(&w, None);
    assert_eq!(g.orbits, vec![(0..10).collect::<Vec<_>>()]);
    assert_eq!(g.n, 10);
    assert_eq!(g.edge_colours, 2);
    // The basic orbit lengths multiply to the order along the base.
    assert!(!g.base.is_empty() && g.base.len() <= 10);
}

#[test]
fn complete_graphs_have_factorial_orders() {
    let k = |n: usize| Array2::from_shape_fn((n, n), |(i, j)| if i == j { 0.0 } else { 1.0 });
    assert_eq!(order(&k(6), 4).to_u64(), Some(720));
    assert_eq!(order(&k(20), 5).decimal(), "2432902008176640000");
    let g = order(&k(40), 6);
    assert_eq!(
        g.decimal(),
        "815915283247897734345611269596115894272000000000"
    );
    assert_eq!(g, factorial(40));
}

#[test]
fn complete_bipartite_and_stars() {
    let f = |n: u64| (1..=n).product::<u64>();
    assert_eq!(
        order(&complete_bipartite(3, 5), 7).to_u64(),
        Some(f(3) * f(5))
    );
    assert_eq!(
        order(&complete_bipartite(4, 4), 8).to_u64(),
        Some(2 * f(4) * f(4))
    );
    // A star with k leaves is K_{1,k}: k!.
    assert_eq!(order(&complete_bipartite(1, 9), 10).to_u64(), Some(f(9)));
}

#[test]
fn twin_pendant_leaves_are_swapped() {
    // No reversal symmetry (pairs at 0, 1, 3 of a path of 6): exactly 2³.
    assert_eq!(
        order(&path_with_twin_leaves(6, &[0, 1, 3]), 11).to_u64(),
        Some(8)
    );
    // Pairs on every vertex of a path of 100 (200 leaves): 2¹⁰⁰ swaps, times the
    // reversal of the path.
    let m = 100;
    let w = path_with_twin_leaves(m, &(0..m).collect::<Vec<_>>());
    let (w, _) = scramble(&w, None, 12);
    let g = group_of(&w, None);
    assert_automorphisms(&w, None, &g);
    assert_eq!(g.order, GroupOrder::from_orbit_lengths(vec![2; m + 1]));
    // The reversal pairs path vertices i ↔ 99 − i (50 orbits of 2) and their leaves
    // (50 orbits of 4); the twin swaps fix all but two points.
    let mut sizes: Vec<usize> = g.orbits.iter().map(Vec::len).collect();
    sizes.sort_unstable();
    assert_eq!(sizes, [vec![2; 50], vec![4; 50]].concat());
    assert!(g.generators.iter().any(|p| p.fixed_points() >= 3 * m - 2));
}

#[test]
fn hypercube_q7() {
    // |Aut(Q_d)| = 2^d · d!.
    assert_eq!(order(&hypercube(7), 13).to_u64(), Some(128 * 5040));
}

#[test]
fn circulants_are_dihedral() {
    for n in [7, 12, 64] {
        let w = circulant(n, n as u64);
        let g = group_of(&w, None);
        assert_automorphisms(&w, None, &g);
        assert_eq!(g.order.to_u64(), Some(2 * n as u64));
    }
}

#[test]
fn disjoint_copies_multiply_and_permute() {
    // Aut(m·G) = Aut(G) ≀ S_m for connected G: |Aut(G)|^m · m!.
    assert_eq!(
        order(&disjoint_copies(&cycle(5, false), 3), 71).to_u64(),
        Some(1000 * 6)
    );
    assert_eq!(
        order(&disjoint_copies(&petersen(), 4), 72).to_u64(),
        Some(120u64.pow(4) * 24)
    );
}

#[test]
fn paley_graphs_strongly_regular() {
    assert_eq!(order(&paley(13), 81).to_u64(), Some(13 * 6));
    assert_eq!(order(&paley(29), 82).to_u64(), Some(29 * 14));
}

#[test]
fn an_all_equal_matrix_has_the_symmetric_group_cheaply() {
    // Depth n − 1; each level's transposition is found at the subtree's root.
    let n = 300;
    let g = group_of(&Array2::zeros((n, n)), None);
    assert_eq!(g.order, factorial(n));
    assert_eq!(g.base.len(), n - 1);
    assert!(g.nodes < 3 * n as u64, "{} nodes", g.nodes);
    assert_eq!(g.orbits, vec![(0..n).collect::<Vec<_>>()]);
}

#[test]
fn strongly_regular_twins_are_told_apart_by_the_search() {
    // Both SRG(16, 6, 2, 2), so refinement alone sees nothing; the groups differ.
    let cell = |v: usize| (v / 4, v % 4);
    // The 4 × 4 rook's graph K_4 □ K_4: |Aut| = 2 · 4!² = 1152.
    let rook = Array2::from_shape_fn((16, 16), |(u, v)| {
        let ((a, b), (c, d)) = (cell(u), cell(v));
        f32::from(u8::from((a == c) != (b == d)))
    });
    assert_eq!(order(&rook, 91).to_u64(), Some(1152));
    // Shrikhande: Cayley graph of Z_4² with connection set ±(1,0), ±(0,1), ±(1,1):
    // |Aut| = 192.
    let shrikhande = Array2::from_shape_fn((16, 16), |(u, v)| {
        let ((a, b), (c, d)) = (cell(u), cell(v));
        let diff = ((a + 4 - c) % 4, (b + 4 - d) % 4);
        let s = [(1, 0), (3, 0), (0, 1), (0, 3), (1, 1), (3, 3)];
        f32::from(u8::from(s.contains(&diff)))
    });
    assert_eq!(order(&shrikhande, 92).to_u64(), Some(192));
}

/// Twins inside isomorphic components, and two classes of components: 5 × K_{3,3}
/// (each side three twins) and 3 × C_5 (directed: a 5-cycle one way, so only
/// rotations). |Aut| = (2·3!·3!)^5 · 5! · 5^3 · 3!.
#[test]
fn twins_inside_components_multiply() {
    let mut edges = Vec::new();
    for k in 0..5 {
        for a in 0..3 {
            for b in 3..6 {
                edges.push((6 * k + a, 6 * k + b));
            }
        }
    }
    let undirected = graph(30 + 15, &edges, false);
    let mut w = undirected;
    for k in 0..3 {
        for i in 0..5 {
            w[[30 + 5 * k + i, 30 + 5 * k + (i + 1) % 5]] = 1.0;
        }
    }
    let expected = GroupOrder::from_orbit_lengths(
        std::iter::repeat_n(72usize, 5)
            .chain(1..=5)
            .chain(std::iter::repeat_n(5, 3))
            .chain(1..=3),
    );
    for seed in 0..3 {
        assert_eq!(order(&w, seed), expected, "seed {seed}");
    }
    // The same components weighted differently are told apart: one K_{3,3} with
    // weight 2 on one edge loses its place among the others.
    let mut w2 = w.clone();
    w2[[0, 3]] = 2.0;
    w2[[3, 0]] = 2.0;
    let g = group_of(&w2, None);
    assert_automorphisms(&w2, None, &g);
    // That copy keeps 2·2!·2! (swap of its sides, twins 1,2 and 4,5); the other four
    // keep theirs and may be exchanged.
    let expected2 = GroupOrder::from_orbit_lengths(
        [8usize]
            .into_iter()
            .chain(std::iter::repeat_n(72usize, 4))
            .chain(1..=4)
            .chain(std::iter::repeat_n(5, 3))
            .chain(1..=3),
    );
    assert_eq!(g.order, expected2);
}
