//! Names checked against groups whose isomorphism type is known by construction,
//! and groups that must not be misnamed.

use super::*;
use crate::group::test_groups::*;

fn name(n: usize, gens: &[Permutation]) -> String {
    name_group(&Bsgs::from_generators(n, gens, &[]), gens)
}

/// Disjoint cycles of the given lengths, one generator each.
fn product_of_cycles(lengths: &[usize]) -> (usize, Vec<Permutation>) {
    let n: usize = lengths.iter().sum();
    let mut start = 0;
    let mut gens = Vec::new();
    for &l in lengths {
        let c: Vec<usize> = (start..start + l).collect();
        gens.push(from_cycles(n, &[&c]));
        start += l;
    }
    (n, gens)
}

/// The quaternion group `Q_8` in its regular representation: elements `(sign,
/// unit)` with units `1, i, j, k`, right multiplication by `i` and by `j`.
fn quaternion() -> Vec<Permutation> {
    // unit product table: (a, b) -> (sign, unit)
    let table = |a: usize, b: usize| -> (bool, usize) {
        match (a, b) {
            (0, x) | (x, 0) => (false, x),
            (x, y) if x == y => (true, 0),
            (1, 2) => (false, 3),
            (2, 3) => (false, 1),
            (3, 1) => (false, 2),
            (2, 1) => (true, 3),
            (3, 2) => (true, 1),
            _ => (true, 2), // (1, 3)
        }
    };
    let idx = |neg: bool, u: usize| u + 4 * neg as usize;
    let right = |b: usize| {
        perm(
            (0..8)
                .map(|e| {
                    let (neg, a) = (e >= 4, e % 4);
                    let (s, u) = table(a, b);
                    idx(neg ^ s, u)
                })
                .collect(),
        )
    };
    vec![right(1), right(2)]
}

#[test]
fn trivial_cyclic_and_abelian_products() {
    assert_eq!(name(4, &[]), "trivial");
    assert_eq!(name(4, &[Permutation::identity(4)]), "trivial");
    assert_eq!(name(3, &cyclic(3)), "C_3");
    assert_eq!(name(4, &cyclic(4)), "C_4");
    assert_eq!(name(64, &scramble(&cyclic(64), 1)), "C_64");
    assert_eq!(name(8192, &scramble(&cyclic(8192), 2)), "C_8192");
    let klein = [
        from_cycles(4, &[&[0, 1], &[2, 3]]),
        from_cycles(4, &[&[0, 2], &[1, 3]]),
    ];
    assert_eq!(name(4, &klein), "C_2 × C_2");
    // D_2 given as the symmetries of a 2-gon with its reflection axis: abelian name.
    let (n, g) = product_of_cycles(&[2, 4, 8]);
    assert_eq!(name(n, &g), "C_2 × C_4 × C_8");
    let (n, g) = product_of_cycles(&[4, 6]);
    assert_eq!(name(n, &g), "C_2 × C_12");
    // C_2 × C_3 is cyclic even though no generator has order 6.
    let (n, g) = product_of_cycles(&[2, 3]);
    assert_eq!(name(n, &g), "C_6");
    let t = torus(16);
    assert_eq!(name(2048, &t[..2]), "C_16 × C_16");
}

#[test]
fn dihedral_groups() {
    assert_eq!(name(3, &dihedral(3)), "D_3");
    assert_eq!(name(4, &dihedral(4)), "D_4");
    assert_eq!(name(64, &scramble(&dihedral(64), 3)), "D_64");
    assert_eq!(name(8192, &scramble(&dihedral(8192), 4)), "D_8192");
    // Generated differently: two reflections of the 12-gon.
    let r = reflection(12);
    let r2 = rotation(12).then(&r);
    assert_eq!(name(12, &[r, r2]), "D_12");
}

/// `D_m × C_2` on two copies of the `m`-gon: rotate both, reflect both, swap them.
fn dihedral_times_c2(m: usize) -> Vec<Permutation> {
    let both = |f: &dyn Fn(usize) -> usize| {
        Permutation::from_images((0..2 * m).map(|x| (x / m) * m + f(x % m)).collect()).unwrap()
    };
    let swap = Permutation::from_images((0..2 * m).map(|x| (x + m) % (2 * m)).collect()).unwrap();
    vec![both(&|i| (i + 1) % m), both(&|i| (m - i) % m), swap]
}

#[test]
fn dihedral_times_c2_groups() {
    assert_eq!(name(8, &dihedral_times_c2(4)), "D_4 × C_2");
    assert_eq!(
        name(128, &scramble(&dihedral_times_c2(64), 5)),
        "D_64 × C_2"
    );
    // For odd m, D_m × C_2 is D_2m.
    assert_eq!(name(10, &dihedral_times_c2(5)), "D_10");
    // Order 16 with a central involution, but no reflection inverting an element of
    // order 4 outside it: Q_8 × C_2 is not D_4 × C_2.
    let q = quaternion();
    let q8c2: Vec<Permutation> = q
        .iter()
        .map(|g| {
            Permutation::from_images(
                (0..10)
                    .map(|x| if x < 8 { g.image(x) } else { x })
                    .collect(),
            )
            .unwrap()
        })
        .chain([from_cycles(10, &[&[8, 9]])])
        .collect();
    assert_eq!(name(10, &q8c2), "order 16, non-abelian, 3 generators");
    // D_8 (order 16) stays D_8.
    assert_eq!(name(8, &dihedral(8)), "D_8");
}

#[test]
fn the_torus_group_and_its_subgroups() {
    let [tx, ty, rot, refl] = torus(16);
    let all = [tx.clone(), ty.clone(), rot.clone(), refl.clone()];
    assert_eq!(name(2048, &all), "(C_16 × C_16) ⋊ D_4");
    assert_eq!(name(2048, &scramble(&all, 9)), "(C_16 × C_16) ⋊ D_4");
    assert_eq!(
        name(2048, &[tx.clone(), ty.clone(), rot.clone()]),
        "(C_16 × C_16) ⋊ C_4"
    );
    assert_eq!(
        name(2048, &[tx.clone(), ty.clone(), refl]),
        "(C_16 × C_16) ⋊ C_2"
    );
    // The rotation alone generates the translations' complement only partly:
    // ⟨tx, rot⟩ already contains ty = rot⁻¹ tx rot.
    assert_eq!(name(2048, &[tx, rot]), "(C_16 × C_16) ⋊ C_4");
    // C_3 × S_3 really is (C_3 × C_3) ⋊ C_2 (the C_2 inverting one factor).
    let g = [
        from_cycles(6, &[&[0, 1, 2]]),
        from_cycles(6, &[&[3, 4, 5]]),
        from_cycles(6, &[&[4, 5]]),
    ];
    assert_eq!(name(6, &g), "(C_3 × C_3) ⋊ C_2");
}

#[test]
fn symmetric_and_hyperoctahedral_groups() {
    assert_eq!(name(5, &symmetric(5)), "S_5");
    assert_eq!(name(12, &symmetric(12)), "S_12");
    assert_eq!(name(8, &hypercube(3)), "hyperoctahedral B_3 (order 2^3·3!)");
    assert_eq!(
        name(16, &hypercube(4)),
        "hyperoctahedral B_4 (order 2^4·4!)"
    );
    assert_eq!(
        name(128, &hypercube(7)),
        "hyperoctahedral B_7 (order 2^7·7!)"
    );
    assert_eq!(
        name(128, &scramble(&hypercube(7), 5)),
        "hyperoctahedral B_7 (order 2^7·7!)"
    );
}

#[test]
fn unrecognised_groups_are_described_not_misnamed() {
    assert_eq!(
        name(11, &mathieu11()),
        "order 7920, non-abelian, 2 generators"
    );
    // A_5 has order 60 = 2·30 but no element of order 30, and is not S_5.
    let a5 = [from_cycles(5, &[&[0, 1, 2]]), rotation(5)];
    assert_eq!(name(5, &a5), "order 60, non-abelian, 2 generators");
    // Q_8: order 8 like D_4, but with a single involution.
    assert_eq!(name(8, &quaternion()), "order 8, non-abelian, 2 generators");
    // S_4 (order 24 = 2^3·3 = 4!) acting on 4 points is S_4, not B_3-like;
    // S_3 × C_2 ≅ D_6 (order 12) is dihedral.
    assert_eq!(name(4, &symmetric(4)), "S_4");
    let s3c2 = [
        from_cycles(5, &[&[0, 1, 2]]),
        from_cycles(5, &[&[0, 1]]),
        from_cycles(5, &[&[3, 4]]),
    ];
    assert_eq!(name(5, &s3c2), "D_6");
}

/// Naming costs (`cargo test --no-default-features --lib group::name -- --ignored
/// --nocapture`).
#[test]
#[ignore]
fn naming_timings() {
    let cases: Vec<(usize, Vec<Permutation>)> = vec![
        (8192, scramble(&cyclic(8192), 1)),
        (8192, scramble(&dihedral(8192), 2)),
        (2048, torus(16).to_vec()),
        (128, hypercube(7)),
        (12, symmetric(12)),
        (11, mathieu11()),
    ];
    for (n, gens) in cases {
        let g = Bsgs::from_generators(n, &gens, &[]);
        let t = std::time::Instant::now();
        let s = name_group(&g, &gens);
        println!("{s}: {:.3} s", t.elapsed().as_secs_f64());
    }
}
