//! Permutation groups with orders known from the literature, for tests: cyclic,
//! dihedral, symmetric, hyperoctahedral (the cube's), the torus group, Mathieu
//! `M_11`; optionally scrambled by a seeded relabelling of the points, and a
//! brute-force closure to check small cases independently of Schreier–Sims.

use std::collections::HashSet;

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use crate::perm::Permutation;

/// The permutation with these images.
pub(crate) fn perm(images: Vec<usize>) -> Permutation {
    Permutation::from_images(images).expect("test permutation")
}

/// The permutation of `0..n` with these cycles (0-based points).
pub(crate) fn from_cycles(n: usize, cycles: &[&[usize]]) -> Permutation {
    let mut img: Vec<usize> = (0..n).collect();
    for c in cycles {
        for (k, &x) in c.iter().enumerate() {
            img[x] = c[(k + 1) % c.len()];
        }
    }
    perm(img)
}

/// `i ↦ i + 1 mod n`.
pub(crate) fn rotation(n: usize) -> Permutation {
    perm((0..n).map(|i| (i + 1) % n).collect())
}

/// `i ↦ −i mod n`.
pub(crate) fn reflection(n: usize) -> Permutation {
    perm((0..n).map(|i| (n - i) % n).collect())
}

/// A seeded random permutation of `0..n`.
pub(crate) fn random_perm(n: usize, seed: u64) -> Permutation {
    let mut v: Vec<usize> = (0..n).collect();
    v.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
    perm(v)
}

/// The same group on relabelled points: each `g` becomes `q⁻¹ g q` for one seeded
/// random `q` (so generators are not in any convenient order).
pub(crate) fn scramble(gens: &[Permutation], seed: u64) -> Vec<Permutation> {
    let Some(first) = gens.first() else {
        return Vec::new();
    };
    let q = random_perm(first.len(), seed);
    let qi = q.inverse();
    gens.iter().map(|g| qi.then(g).then(&q)).collect()
}

/// `C_n` from one `n`-cycle.
pub(crate) fn cyclic(n: usize) -> Vec<Permutation> {
    vec![rotation(n)]
}

/// `D_n` (order `2n`) on the `n`-gon.
pub(crate) fn dihedral(n: usize) -> Vec<Permutation> {
    vec![rotation(n), reflection(n)]
}

/// `S_n` from the transposition `(0 1)` and the `n`-cycle.
pub(crate) fn symmetric(n: usize) -> Vec<Permutation> {
    vec![from_cycles(n, &[&[0, 1]]), rotation(n)]
}

/// The automorphism group of the `k`-cube on its `2^k` vertices (order `2^k k!`):
/// flipping coordinate 0, swapping coordinates 0 and 1, cycling the coordinates.
pub(crate) fn hypercube(k: usize) -> Vec<Permutation> {
    let n = 1usize << k;
    let bit = |x: usize, i: usize| (x >> i) & 1;
    let flip = perm((0..n).map(|x| x ^ 1).collect());
    let swap = perm(
        (0..n)
            .map(|x| {
                let (a, b) = (bit(x, 0), bit(x, 1));
                (x & !3) | (a << 1) | b
            })
            .collect(),
    );
    let cyc = perm(
        (0..n)
            .map(|x| (0..k).map(|i| bit(x, i) << ((i + 1) % k)).sum())
            .collect(),
    );
    vec![flip, swap, cyc]
}

/// The torus group `(C_m × C_m) ⋊ D_4` acting on a bank of 2 kernels × 4
/// rotations × `m × m` positions (`8m²` points, `(kernel, rotation, x, y)`):
/// returns the unit translations in x and y, the 90° rotation (turns positions and
/// the rotation index) and a reflection (`y ↦ −y`, reverses the rotation index,
/// swaps the kernels).
pub(crate) fn torus(m: usize) -> [Permutation; 4] {
    let n = 8 * m * m;
    let idx = |k: usize, r: usize, x: usize, y: usize| ((k * 4 + r) * m + x) * m + y;
    let map = |f: &dyn Fn(usize, usize, usize, usize) -> usize| {
        let mut img = vec![0; n];
        for k in 0..2 {
            for r in 0..4 {
                for x in 0..m {
                    for y in 0..m {
                        img[idx(k, r, x, y)] = f(k, r, x, y);
                    }
                }
            }
        }
        perm(img)
    };
    let tx = map(&|k, r, x, y| idx(k, r, (x + 1) % m, y));
    let ty = map(&|k, r, x, y| idx(k, r, x, (y + 1) % m));
    let rot = map(&|k, r, x, y| idx(k, (r + 1) % 4, (m - y) % m, x));
    let refl = map(&|k, r, x, y| idx(1 - k, (4 - r) % 4, x, (m - y) % m));
    [tx, ty, rot, refl]
}

/// `M_11` on 11 points from the standard generators `(2,10)(4,11)(5,7)(8,9)` and
/// `(1,4,3,8)(2,5,6,9)` (ATLAS of Group Representations, 1-based there).
pub(crate) fn mathieu11() -> Vec<Permutation> {
    let z = |c: &[usize]| c.iter().map(|x| x - 1).collect::<Vec<_>>();
    let a = from_cycles(11, &[&z(&[2, 10]), &z(&[4, 11]), &z(&[5, 7]), &z(&[8, 9])]);
    let b = from_cycles(11, &[&z(&[1, 4, 3, 8]), &z(&[2, 5, 6, 9])]);
    vec![a, b]
}

/// Every element of `⟨gens⟩` by closing under right multiplication (brute force,
/// for small groups only).
pub(crate) fn closure(n: usize, gens: &[Permutation]) -> HashSet<Permutation> {
    let id = Permutation::identity(n);
    let mut seen: HashSet<Permutation> = HashSet::from([id.clone()]);
    let mut todo = vec![id];
    while let Some(x) = todo.pop() {
        for g in gens {
            let y = x.then(g);
            if seen.insert(y.clone()) {
                todo.push(y);
            }
        }
    }
    seen
}
