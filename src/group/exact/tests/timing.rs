//! Timing runs on large graphs, ignored by default (`--ignored --nocapture`).

use ndarray::Array2;

use super::graphs::*;
use super::*;

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
