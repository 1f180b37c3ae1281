//! Exact groups against ground truth: orders from the literature, brute force over
//! all permutations for small graphs, planted symmetries. Inputs are scrambled by
//! a random relabelling so that no test passes by the identity labelling's luck.

use std::collections::HashSet;

use ndarray::{Array1, Array2};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
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

fn cycle(n: usize, directed: bool) -> Array2<f32> {
    let edges: Vec<_> = (0..n).map(|i| (i, (i + 1) % n)).collect();
    graph(n, &edges, directed)
}

fn hypercube(dim: usize) -> Array2<f32> {
    let n = 1 << dim;
    let edges: Vec<_> = (0..n)
        .flat_map(|v| (0..dim).map(move |b| (v, v ^ (1 << b))))
        .filter(|&(a, b)| a < b)
        .collect();
    graph(n, &edges, false)
}

fn complete_bipartite(m: usize, n: usize) -> Array2<f32> {
    let edges: Vec<_> = (0..m)
        .flat_map(|a| (m..m + n).map(move |b| (a, b)))
        .collect();
    graph(m + n, &edges, false)
}

/// Petersen graph: the Kneser graph K(5, 2) (2-subsets, adjacent when disjoint).
fn petersen() -> Array2<f32> {
    let pairs: Vec<(usize, usize)> = (0..5)
        .flat_map(|a| (a + 1..5).map(move |b| (a, b)))
        .collect();
    let mut edges = Vec::new();
    for (i, &(a, b)) in pairs.iter().enumerate() {
        for (j, &(c, e)) in pairs.iter().enumerate().skip(i + 1) {
            if a != c && a != e && b != c && b != e {
                edges.push((i, j));
            }
        }
    }
    graph(10, &edges, false)
}

/// A path `0 … m−1` with two pendant leaves on each vertex in `with_pair`.
fn path_with_twin_leaves(m: usize, with_pair: &[usize]) -> Array2<f32> {
    let mut edges: Vec<_> = (0..m - 1).map(|i| (i, i + 1)).collect();
    let mut next = m;
    for &v in with_pair {
        edges.push((v, next));
        edges.push((v, next + 1));
        next += 2;
    }
    graph(next, &edges, false)
}

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

/// A random symmetric matrix with (almost surely) all weights different, zero
/// diagonal: each pair's weight is a hash of the pair (filled row by row, fast).
fn noisy(n: usize, seed: u64) -> Array2<f32> {
    Array2::from_shape_fn((n, n), |(i, j)| {
        let (a, b) = (i.min(j) as u64, i.max(j) as u64);
        if a == b {
            0.0
        } else {
            let h = crate::group::refine::mix64(seed ^ (a << 32 | b));
            (h >> 40) as f32 / (1u64 << 24) as f32
        }
    })
}

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

/// All permutations of `0..n` (Heap's algorithm).
fn all_permutations(n: usize) -> Vec<Vec<usize>> {
    fn heap(k: usize, a: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if k <= 1 {
            out.push(a.clone());
            return;
        }
        for i in 0..k {
            heap(k - 1, a, out);
            let j = if k % 2 == 0 { i } else { 0 };
            a.swap(j, k - 1);
        }
    }
    let mut out = Vec::new();
    heap(n, &mut (0..n).collect(), &mut out);
    out
}

/// The group generated by `gens`, element by element (small groups only).
fn closure(n: usize, gens: &[Permutation]) -> HashSet<Vec<usize>> {
    let mut seen: HashSet<Vec<usize>> = HashSet::from([(0..n).collect()]);
    let mut frontier = vec![Permutation::identity(n)];
    while let Some(p) = frontier.pop() {
        for g in gens {
            let q = p.then(g);
            if seen.insert(q.images().to_vec()) {
                frontier.push(q);
            }
        }
    }
    seen
}

#[test]
fn small_random_coloured_graphs_match_brute_force() {
    let mut nontrivial = 0;
    for seed in 0..120u64 {
        let mut r = rng(1000 + seed);
        let n = r.random_range(2..=7);
        let colours = r.random_range(2..=3);
        let directed = seed % 3 == 0;
        let mut w = Array2::<f32>::zeros((n, n));
        for i in 0..n {
            for j in 0..n {
                if i == j || (!directed && j < i) {
                    continue;
                }
                w[[i, j]] = r.random_range(0..colours) as f32;
                if !directed {
                    w[[j, i]] = w[[i, j]];
                }
            }
        }
        let d = (seed % 4 == 1).then(|| Array1::from_shape_fn(n, |_| r.random_range(0..2) as f32));
        let g = group_of(&w, d.as_ref());
        assert_automorphisms(&w, d.as_ref(), &g);
        let brute: HashSet<Vec<usize>> = all_permutations(n)
            .into_iter()
            .filter(|p| {
                let p = Permutation::from_images(p.clone()).unwrap();
                squared_difference(w.view(), &p) == 0.0
                    && d.as_ref()
                        .is_none_or(|d| (0..n).all(|i| d[p.image(i)] == d[i]))
            })
            .collect();
        assert_eq!(g.order.to_u64(), Some(brute.len() as u64), "seed {seed}");
        // The generators generate exactly the brute-force group.
        assert_eq!(closure(n, &g.generators), brute, "seed {seed}");
        if brute.len() > 1 {
            nontrivial += 1;
        }
    }
    assert!(nontrivial > 40, "too few symmetric samples: {nontrivial}");
}

#[test]
fn bad_input_budget_and_cancel_are_reported() {
    let c = CancelToken::new();
    let o = ExactOptions::default();
    let w = Array2::<f32>::zeros((2, 3));
    assert!(matches!(
        exact_group(w.view(), None, &o, &c),
        Err(ExactGroupError::BadInput(_))
    ));
    let mut w = petersen();
    let d = Array1::<f32>::zeros(9);
    assert!(matches!(
        exact_group(w.view(), Some(d.view()), &o, &c),
        Err(ExactGroupError::BadInput(_))
    ));
    let bad_tol = ExactOptions {
        tolerance: -1.0,
        ..o
    };
    assert!(matches!(
        exact_group(w.view(), None, &bad_tol, &c),
        Err(ExactGroupError::BadInput(_))
    ));
    // Our own search stops at its node budget with the group found so far.
    let tiny = ExactOptions { max_nodes: 3, ..o };
    match exact_group_by_own_search(w.view(), None, &tiny, &c) {
        Err(ExactGroupError::Incomplete(g)) => {
            assert!(!g.complete);
            assert!(g.order.to_u64().unwrap() < 120);
            assert_eq!(g.engine, Engine::IndividualisationRefinement);
        }
        other => panic!("expected an incomplete group, got {other:?}"),
    }
    w[[1, 2]] = f32::NAN;
    assert!(matches!(
        exact_group(w.view(), None, &o, &c),
        Err(ExactGroupError::BadInput(_))
    ));
    let cancelled = CancelToken::new();
    cancelled.cancel();
    assert_eq!(
        exact_group(petersen().view(), None, &o, &cancelled),
        Err(ExactGroupError::Cancelled)
    );
    // The empty graph has the trivial group.
    let g = exact_group(Array2::<f32>::zeros((0, 0)).view(), None, &o, &c).unwrap();
    assert_eq!(g.order, GroupOrder::one());
}

/// A scrambled symmetric circulant with a distinct weight per cyclic distance.
fn circulant(n: usize, seed: u64) -> Array2<f32> {
    let w = Array2::from_shape_fn((n, n), |(i, j)| {
        let k = (j + n - i) % n;
        k.min(n - k) as f32
    });
    scramble(&w, None, seed).0
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
#[ignore = "timing: run with --ignored --nocapture"]
fn timing_noisy_8192_is_settled_by_refinement() {
    let n = 8192;
    let w = noisy(n, 61);
    let t = std::time::Instant::now();
    let g = group_of(&w, None);
    println!(
        "noisy {n}: order {} nodes {} colours {} in {:.2} s",
        g.order,
        g.nodes,
        g.edge_colours,
        t.elapsed().as_secs_f64()
    );
    assert_eq!(g.order, GroupOrder::one());
    assert_eq!(g.nodes, 1);
}

#[test]
#[ignore = "timing: run with --ignored --nocapture"]
fn timing_circulant_4096_is_dihedral() {
    let n = 4096;
    let w = circulant(n, 62);
    let t = std::time::Instant::now();
    let g = group_of(&w, None);
    println!(
        "circulant {n}: order {} nodes {} gens {} in {:.2} s",
        g.order,
        g.nodes,
        g.generators.len(),
        t.elapsed().as_secs_f64()
    );
    assert_automorphisms(&w, None, &g);
    assert_eq!(g.order.to_u64(), Some(2 * n as u64));
}

/// `copies` disjoint copies of `w`.
fn disjoint_copies(w: &Array2<f32>, copies: usize) -> Array2<f32> {
    let n = w.nrows();
    Array2::from_shape_fn((n * copies, n * copies), |(i, j)| {
        if i / n == j / n {
            w[[i % n, j % n]]
        } else {
            0.0
        }
    })
}

/// Paley graph on `Z_q` (q prime, q ≡ 1 mod 4): adjacent when the difference is a
/// non-zero square. `|Aut| = q(q − 1)/2` for prime q.
fn paley(q: usize) -> Array2<f32> {
    let squares: HashSet<usize> = (1..q).map(|x| x * x % q).collect();
    Array2::from_shape_fn((q, q), |(i, j)| {
        f32::from(u8::from(squares.contains(&((i + q - j) % q))))
    })
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
#[ignore = "timing: run with --ignored --nocapture"]
fn timing_zoo() {
    let k = |n: usize| Array2::from_shape_fn((n, n), |(i, j)| if i == j { 0.0 } else { 1.0 });
    let twins = path_with_twin_leaves(100, &(0..100).collect::<Vec<_>>());
    let cases: Vec<(&str, Array2<f32>, GroupOrder)> = vec![
        ("petersen", petersen(), 120.into()),
        ("Q7", hypercube(7), (128 * 5040).into()),
        ("K40", k(40), factorial(40)),
        (
            "200 twin leaves",
            twins,
            GroupOrder::from_orbit_lengths(vec![2; 101]),
        ),
        ("paley 101", paley(101), (101 * 50).into()),
        ("10 x petersen", disjoint_copies(&petersen(), 10), {
            GroupOrder::from_orbit_lengths(
                std::iter::repeat_n([10, 3, 4], 10).flatten().chain(1..=10),
            )
        }),
        ("zeros 2048", Array2::zeros((2048, 2048)), factorial(2048)),
        // Directed: a distinct weight per forward offset leaves only rotations.
        (
            "directed circulant 2048",
            Array2::from_shape_fn((2048, 2048), |(i, j)| ((j + 2048 - i) % 2048) as f32),
            2048.into(),
        ),
        (
            "noisy directed 4096",
            &noisy(4096, 5) + &Array2::from_shape_fn((4096, 4096), |(i, j)| (i < j) as u8 as f32),
            GroupOrder::one(),
        ),
    ];
    for (name, w, expected) in cases {
        let (w, _) = scramble(&w, None, 99);
        let t = std::time::Instant::now();
        let g = group_of(&w, None);
        println!(
            "{name}: n {} order {} (log10 {:.1}) nodes {} gens {} in {:.3} s",
            w.nrows(),
            if g.order.log10() < 20.0 {
                g.order.decimal()
            } else {
                "…".into()
            },
            g.order.log10(),
            g.nodes,
            g.generators.len(),
            t.elapsed().as_secs_f64()
        );
        assert_automorphisms(&w, None, &g);
        assert_eq!(g.order, expected, "{name}");
    }
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
