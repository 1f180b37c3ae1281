//! Schreier–Sims against ground truth: orders from the literature, brute-force
//! closures of small groups, planted non-members.

use std::time::Instant;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::group::test_groups::*;

/// Every check that brute force can make on a small group.
fn check_against_closure(n: usize, gens: &[Permutation]) {
    let all = closure(n, gens);
    let g = Bsgs::from_generators(n, gens, &[]);
    assert_eq!(g.order().to_u64(), Some(all.len() as u64), "order");
    let listed: Vec<Permutation> = g.elements().collect();
    assert!(listed[0].is_identity(), "identity first");
    assert_eq!(listed.len(), all.len(), "elements() count");
    let distinct: std::collections::HashSet<_> = listed.iter().cloned().collect();
    assert_eq!(distinct, all, "elements() lists exactly the group");
    assert!(all.iter().all(|p| g.contains(p)), "members sift through");
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    for _ in 0..50 {
        let r = g.random_element(&mut rng);
        assert!(all.contains(&r), "random element is a member");
    }
    for s in 0..200 {
        let p = random_perm(n, 1000 + s);
        assert_eq!(g.contains(&p), all.contains(&p), "membership of {p}");
    }
    // The trusted constructor on this chain's own BSGS gives the same group.
    let h = Bsgs::from_base_and_strong_generators(n, g.base(), &g.strong_generators());
    assert_eq!(h.order(), g.order());
    assert_eq!(h.base(), g.base());
    assert_eq!(h.basic_orbit_lengths(), g.basic_orbit_lengths());
    assert!(all.iter().all(|p| h.contains(p)));
}

#[test]
fn small_groups_agree_with_brute_force() {
    check_against_closure(12, &dihedral(12)); // D_12, order 24
    check_against_closure(8, &hypercube(3)); // Q3's group, order 48
    check_against_closure(5, &symmetric(5)); // 120
    check_against_closure(7, &cyclic(7));
    check_against_closure(
        4,
        &[
            from_cycles(4, &[&[0, 1], &[2, 3]]),
            from_cycles(4, &[&[0, 2], &[1, 3]]),
        ],
    );
    check_against_closure(16, &hypercube(4)); // 384
    check_against_closure(10, &scramble(&dihedral(10), 3));
}

#[test]
fn mathieu_11_has_order_7920() {
    check_against_closure(11, &mathieu11());
}

#[test]
fn the_trivial_group_has_one_element() {
    let g = Bsgs::from_generators(5, &[], &[]);
    assert_eq!(g.order(), GroupOrder::one());
    assert!(g.base().is_empty());
    assert_eq!(g.elements().count(), 1);
    assert!(g.contains(&Permutation::identity(5)));
    assert!(!g.contains(&rotation(5)));
    assert!(g.orbits().is_empty());
    let id = Bsgs::from_generators(3, &[Permutation::identity(3)], &[]);
    assert_eq!(id.order(), GroupOrder::one());
}

#[test]
fn orders_from_the_literature() {
    let s12 = Bsgs::from_generators(12, &symmetric(12), &[]);
    assert_eq!(s12.order().decimal(), "479001600");
    let s40 = Bsgs::from_generators(40, &symmetric(40), &[]);
    assert_eq!(
        s40.order().decimal(),
        "815915283247897734345611269596115894272000000000"
    );
    let q7 = Bsgs::from_generators(128, &hypercube(7), &[]);
    assert_eq!(q7.order().decimal(), "645120");
    let t = torus(16);
    let torus_group = Bsgs::from_generators(2048, &t, &[]);
    assert_eq!(torus_group.order().decimal(), "2048");
    let translations = Bsgs::from_generators(2048, &t[..2], &[]);
    assert_eq!(translations.order().decimal(), "256");
    // A_5 inside S_5: (0 1 2) and (0 1 2 3 4) are even.
    let a5 = [from_cycles(5, &[&[0, 1, 2]]), rotation(5)];
    assert_eq!(Bsgs::from_generators(5, &a5, &[]).order().decimal(), "60");
}

#[test]
fn large_cyclic_and_dihedral_groups() {
    let n = 8192;
    let c = scramble(&cyclic(n), 11);
    let g = Bsgs::from_generators(n, &c, &[]);
    assert_eq!(g.order().to_u64(), Some(n as u64));
    // Ground truth for C_n: the member sending 0 where p does is g^k for one k.
    let c0 = &c[0];
    let powers_image_of_0: Vec<usize> = {
        let mut v = vec![0; n];
        let mut x = 0;
        for k in 0..n {
            v[x] = k;
            x = c0.image(x);
        }
        v
    };
    for s in 0..5 {
        let p = random_perm(n, 50 + s);
        let k = powers_image_of_0[p.image(0)];
        assert_eq!(g.contains(&p), c0.pow(k as i64) == p);
        assert!(g.contains(&c0.pow(s as i64 * 977 + 5)));
    }
    let d = Bsgs::from_generators(n, &scramble(&dihedral(n), 12), &[]);
    assert_eq!(d.order().to_u64(), Some(2 * n as u64));
    assert_eq!(d.orbits().len(), 1);
}

#[test]
fn orbits_are_sorted_and_skip_fixed_points() {
    let n = 10;
    let gens = [
        from_cycles(n, &[&[4, 0, 2]]),
        from_cycles(n, &[&[0, 5]]),
        from_cycles(n, &[&[9, 7]]),
    ];
    let g = Bsgs::from_generators(n, &gens, &[]);
    assert_eq!(g.orbits(), vec![vec![0, 2, 4, 5], vec![7, 9]]);
    // S_4 on {0,2,4,5} × C_2 on {7,9}.
    assert_eq!(g.order().to_u64(), Some(48));
}

#[test]
fn the_base_prefix_comes_first() {
    let gens = hypercube(4);
    let g = Bsgs::from_generators(16, &gens, &[5, 3, 5]);
    assert_eq!(&g.base()[..2], &[5, 3]);
    assert_eq!(g.order().to_u64(), Some(384));
    // A redundant prefix point (fixed by everything) is kept with orbit length 1.
    let h = Bsgs::from_generators(6, &[from_cycles(6, &[&[0, 1, 2]])], &[4, 0]);
    assert_eq!(h.base()[..2], [4, 0]);
    assert_eq!(h.basic_orbit_lengths()[..2], [1, 3]);
    assert_eq!(h.order().to_u64(), Some(3));
    // The strong generators fixing the prefix generate its stabiliser.
    let stab: Vec<Permutation> = g
        .strong_generators()
        .into_iter()
        .filter(|p| p.image(5) == 5)
        .collect();
    let s = Bsgs::from_generators(16, &stab, &[]);
    assert_eq!(s.order().to_u64(), Some(384 / 16));
}

#[test]
fn the_two_constructors_agree_on_larger_groups() {
    let groups: Vec<(usize, Vec<Permutation>)> = vec![
        (128, hypercube(7)),
        (12, symmetric(12)),
        (40, symmetric(40)),
        (11, mathieu11()),
        (2048, torus(16).to_vec()),
        (1024, scramble(&dihedral(1024), 5)),
    ];
    for (n, gens) in groups {
        let g = Bsgs::from_generators(n, &gens, &[]);
        let h = Bsgs::from_base_and_strong_generators(n, g.base(), &g.strong_generators());
        assert_eq!(h.order(), g.order(), "degree {n}");
        assert_eq!(h.orbits(), g.orbits());
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for _ in 0..20 {
            let x = g.random_element(&mut rng);
            assert!(h.contains(&x) && g.contains(&x));
            let y = h.random_element(&mut rng);
            assert!(g.contains(&y));
        }
        let outsider = random_perm(n, 99);
        assert_eq!(g.contains(&outsider), h.contains(&outsider));
    }
}

#[test]
fn inconsistent_input_is_an_error() {
    let r = Bsgs::try_from_generators(5, &[rotation(4)], &[]);
    assert!(matches!(
        r,
        Err(BsgsError::DegreeMismatch {
            index: 0,
            len: 4,
            n: 5
        })
    ));
    let r = Bsgs::try_from_generators(5, &[rotation(5)], &[7]);
    assert!(matches!(
        r,
        Err(BsgsError::PointOutOfRange { point: 7, n: 5 })
    ));
    let g = Bsgs::from_generators(5, &[rotation(5)], &[]);
    assert!(!g.contains(&rotation(6)));
}

#[test]
fn random_elements_are_deterministic_and_spread() {
    let g = Bsgs::from_generators(8, &hypercube(3), &[]);
    let draw = |seed| {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        (0..480)
            .map(|_| g.random_element(&mut rng))
            .collect::<Vec<_>>()
    };
    let a = draw(1);
    assert_eq!(a, draw(1));
    // 480 uniform draws from 48 elements: each appears about 10 times.
    let mut counts = std::collections::HashMap::new();
    for p in &a {
        *counts.entry(p.clone()).or_insert(0) += 1;
    }
    assert_eq!(counts.len(), 48);
    assert!(counts.values().all(|&c| (1..=30).contains(&c)));
}

/// Peak resident memory of this process so far (Linux), in MiB.
fn peak_rss_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Timings and memory for the targets (run alone: `cargo test --no-default-features
/// --lib group::bsgs -- --ignored --nocapture --test-threads=1`).
#[test]
#[ignore]
fn timing_targets() {
    let cases: Vec<(&str, usize, Vec<Permutation>, &str)> = vec![
        ("C_8192 scrambled", 8192, scramble(&cyclic(8192), 1), "8192"),
        (
            "D_8192 scrambled",
            8192,
            scramble(&dihedral(8192), 2),
            "16384",
        ),
        (
            "torus (C_16 x C_16) x| D_4 on 2048",
            2048,
            torus(16).to_vec(),
            "2048",
        ),
        ("hyperoctahedral Q7", 128, hypercube(7), "645120"),
        ("S_12", 12, symmetric(12), "479001600"),
        (
            "S_40",
            40,
            symmetric(40),
            "815915283247897734345611269596115894272000000000",
        ),
        ("M_11", 11, mathieu11(), "7920"),
    ];
    for (name, n, gens, order) in cases {
        let t = Instant::now();
        let g = Bsgs::from_generators(n, &gens, &[]);
        let secs = t.elapsed().as_secs_f64();
        assert_eq!(g.order().decimal(), order, "{name}");
        let t = Instant::now();
        let h = Bsgs::from_base_and_strong_generators(n, g.base(), &g.strong_generators());
        let trusted = t.elapsed().as_secs_f64();
        assert_eq!(h.order(), g.order());
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        let t = Instant::now();
        for _ in 0..100 {
            let x = g.random_element(&mut rng);
            assert!(g.contains(&x));
        }
        let per = t.elapsed().as_secs_f64() / 100.0;
        println!(
            "{name}: schreier-sims {secs:.3} s, trusted BSGS {trusted:.3} s, random+sift {:.2} ms, base {}, strong gens {}, peak RSS {:.0} MiB",
            per * 1e3,
            g.base().len(),
            g.strong_generators().len(),
            peak_rss_mib().unwrap_or(f64::NAN)
        );
        if n == 8192 {
            assert!(secs < 1.0, "{name} took {secs} s");
        }
    }
}
