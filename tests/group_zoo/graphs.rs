//! Constructors of graphs whose automorphism groups are known, as dense 0/1 weight
//! matrices (`W[i][j] = 1` for an edge `i → j`; undirected graphs are symmetric).
//! Each follows a standard construction named in its doc comment, so the literature
//! order applies to it; the tests confirm the constructions by brute force and the
//! bench by bliss.

use ndarray::Array2;
use rand::{SeedableRng, seq::SliceRandom};
use rand_chacha::ChaCha8Rng;

/// A symmetric 0/1 matrix on `n` nodes from an undirected edge list.
pub fn from_edges(n: usize, edges: impl IntoIterator<Item = (usize, usize)>) -> Array2<f32> {
    let mut w = Array2::zeros((n, n));
    for (a, b) in edges {
        assert_ne!(a, b, "loop {a}–{a} in an undirected simple graph");
        w[[a, b]] = 1.0;
        w[[b, a]] = 1.0;
    }
    w
}

/// The adjacency matrix of `adjacent(i, j)` on `0..n` (called for `i < j` only).
fn from_relation(n: usize, adjacent: impl Fn(usize, usize) -> bool) -> Array2<f32> {
    let edges = (0..n).flat_map(|i| (i + 1..n).map(move |j| (i, j)));
    from_edges(n, edges.filter(|&(i, j)| adjacent(i, j)))
}

/// The generalised Petersen graph `GP(n, k)`: outer `n`-cycle `0..n`, spokes
/// `i – n+i`, inner edges `n+i – n+(i+k mod n)`. `GP(5,2)` is the Petersen graph,
/// `GP(10,2)` the dodecahedron, `GP(10,3)` the Desargues graph.
pub fn generalised_petersen(n: usize, k: usize) -> Array2<f32> {
    let edges = (0..n).flat_map(|i| [(i, (i + 1) % n), (i, n + i), (n + i, n + (i + k) % n)]);
    from_edges(2 * n, edges)
}

/// A cubic Hamiltonian graph from its LCF notation: the cycle `0..n` plus the
/// chords `i – i + lcf[i mod len]` (each chord is listed from both ends).
pub fn lcf(n: usize, lcf: &[i64]) -> Array2<f32> {
    let mut w = from_edges(n, (0..n).map(|i| (i, (i + 1) % n)));
    for i in 0..n {
        let j = (i as i64 + lcf[i % lcf.len()]).rem_euclid(n as i64) as usize;
        w[[i, j]] = 1.0;
        w[[j, i]] = 1.0;
    }
    w
}

/// The Heawood graph: the point–line incidence graph of the Fano plane, points
/// `0..7`, lines `7 + i = {i, i+1, i+3} mod 7`.
pub fn heawood() -> Array2<f32> {
    let edges = (0..7).flat_map(|i| [0, 1, 3].map(|s| ((i + s) % 7, 7 + i)));
    from_edges(14, edges)
}

/// The Pappus graph, LCF `[5,7,−7,7,−7,−5]³`.
pub fn pappus() -> Array2<f32> {
    lcf(18, &[5, 7, -7, 7, -7, -5])
}

/// The Frucht graph, LCF `[−5,−2,−4,2,5,−2,2,5,−2,−5,4,2]`: cubic with no
/// non-trivial automorphism.
pub fn frucht() -> Array2<f32> {
    lcf(12, &[-5, -2, -4, 2, 5, -2, 2, 5, -2, -5, 4, 2])
}

/// The hypercube `Q_d`: bit strings of length `d`, adjacent at Hamming distance 1.
pub fn hypercube(d: u32) -> Array2<f32> {
    from_relation(1 << d, |i, j| (i ^ j).count_ones() == 1)
}

/// The Clebsch graph (the folded 5-cube): 4-bit strings adjacent at Hamming
/// distance 1 or 4; strongly regular (16, 5, 0, 2).
pub fn clebsch() -> Array2<f32> {
    from_relation(16, |i, j| matches!((i ^ j).count_ones(), 1 | 4))
}

/// The Paley graph on a prime `q ≡ 1 (mod 4)`: `x ~ y` iff `x − y` is a non-zero square.
pub fn paley(q: usize) -> Array2<f32> {
    let mut square = vec![false; q];
    for x in 1..q {
        square[x * x % q] = true;
    }
    from_relation(q, |i, j| square[j - i])
}

/// The `k`-subsets of `0..n` as bit masks, in increasing order.
fn subsets(n: u32, k: u32) -> Vec<u32> {
    (0u32..1 << n).filter(|s| s.count_ones() == k).collect()
}

/// The Kneser graph `K(n, k)`: `k`-subsets of `0..n`, adjacent when disjoint.
pub fn kneser(n: u32, k: u32) -> Array2<f32> {
    let s = subsets(n, k);
    from_relation(s.len(), |i, j| s[i] & s[j] == 0)
}

/// The Johnson graph `J(n, k)`: `k`-subsets of `0..n`, adjacent when they share
/// `k − 1` elements.
pub fn johnson(n: u32, k: u32) -> Array2<f32> {
    let s = subsets(n, k);
    from_relation(s.len(), |i, j| (s[i] & s[j]).count_ones() == k - 1)
}

/// The complete graph `K_n`.
pub fn complete(n: usize) -> Array2<f32> {
    from_relation(n, |_, _| true)
}

/// The complete bipartite graph `K_{a,b}` (sides `0..a` and `a..a+b`).
pub fn complete_bipartite(a: usize, b: usize) -> Array2<f32> {
    from_relation(a + b, |i, j| i < a && j >= a)
}

/// The torus grid `C_a □ C_b`: node `(x, y)` is `x·b + y`, joined to its four
/// neighbours with wrap-around.
pub fn torus(a: usize, b: usize) -> Array2<f32> {
    let edges = (0..a).flat_map(|x| {
        (0..b).flat_map(move |y| {
            [
                (x * b + y, ((x + 1) % a) * b + y),
                (x * b + y, x * b + (y + 1) % b),
            ]
        })
    });
    from_edges(a * b, edges)
}

/// The Tutte 8-cage (Tutte–Coxeter graph): the incidence graph of the generalised
/// quadrangle `W(2)`, points the 15 duads (2-subsets) of `0..6`, lines the 15
/// synthemes (partitions of `0..6` into three duads), a duad on the synthemes
/// containing it.
pub fn tutte_8_cage() -> Array2<f32> {
    let duads = subsets(6, 2);
    let mut synthemes: Vec<[u32; 3]> = Vec::new();
    for &a in &duads {
        for &b in &duads {
            for &c in &duads {
                if a < b && b < c && a | b | c == 0b11_1111 {
                    synthemes.push([a, b, c]);
                }
            }
        }
    }
    assert_eq!(synthemes.len(), 15, "synthemes of a 6-set");
    let edges = synthemes.iter().enumerate().flat_map(|(l, s)| {
        let duads = &duads;
        s.iter().map(move |d| {
            let p = duads.iter().position(|x| x == d).expect("a duad");
            (p, 15 + l)
        })
    });
    from_edges(30, edges)
}

/// The 77 blocks of the Steiner system `S(3, 6, 22)` on `0..22`, as bit masks: the
/// octads of the extended binary Golay code through coordinates 22 and 23, with
/// those two removed. The code is the cyclic `[23, 12, 7]` code with generator
/// `x¹¹ + x¹⁰ + x⁶ + x⁵ + x⁴ + x² + 1`, extended by a parity bit.
pub fn steiner_s3_6_22() -> Vec<u32> {
    let g: u32 = (1 << 11) | (1 << 10) | (1 << 6) | (1 << 5) | (1 << 4) | (1 << 2) | 1;
    let mut octads = 0;
    let mut blocks = Vec::new();
    for m in 0u32..1 << 12 {
        // Carry-less product m(x)·g(x): a codeword of the cyclic code.
        let mut c = 0u32;
        for bit in 0..12 {
            if m >> bit & 1 == 1 {
                c ^= g << bit;
            }
        }
        let c = c | ((c.count_ones() & 1) << 23);
        if c.count_ones() == 8 {
            octads += 1;
            if c >> 22 & 0b11 == 0b11 {
                blocks.push(c & ((1 << 22) - 1));
            }
        }
    }
    assert_eq!(octads, 759, "octads of the extended Golay code");
    assert_eq!(blocks.len(), 77, "blocks of S(3,6,22)");
    blocks
}

/// The Higman–Sims graph (Higman & Sims 1968): a vertex `∞` (0), the 22 points of
/// `S(3, 6, 22)` (1..=22) and its 77 blocks (23..100); `∞` is joined to every
/// point, a point to the blocks through it, and two blocks when disjoint.
/// Strongly regular (100, 22, 0, 6).
pub fn higman_sims() -> Array2<f32> {
    let blocks = steiner_s3_6_22();
    let mut edges: Vec<(usize, usize)> = (1..=22).map(|p| (0, p)).collect();
    for (b, &mask) in blocks.iter().enumerate() {
        for p in 0..22 {
            if mask >> p & 1 == 1 {
                edges.push((1 + p, 23 + b));
            }
        }
        for (c, &other) in blocks.iter().enumerate().skip(b + 1) {
            if mask & other == 0 {
                edges.push((23 + b, 23 + c));
            }
        }
    }
    from_edges(100, edges)
}

/// A uniformly random simple cubic graph on `n` nodes (configuration model,
/// rejecting pairings with loops or multiple edges), reproducible from `seed`.
pub fn random_cubic(n: usize, seed: u64) -> Array2<f32> {
    assert!(n % 2 == 0 && n >= 4, "a cubic graph needs an even n ≥ 4");
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut points: Vec<usize> = (0..3 * n).map(|p| p / 3).collect();
    'pairing: loop {
        points.shuffle(&mut rng);
        let mut w = Array2::<f32>::zeros((n, n));
        for pair in points.chunks(2) {
            let (a, b) = (pair[0], pair[1]);
            if a == b || w[[a, b]] != 0.0 {
                continue 'pairing;
            }
            w[[a, b]] = 1.0;
            w[[b, a]] = 1.0;
        }
        return w;
    }
}

/// `core` with `leaves[i]` pendant vertices attached to core vertex `i` (the new
/// vertices follow the core's). Leaves on one vertex are twins: any permutation of
/// them is an automorphism.
pub fn with_pendant_twins(core: &Array2<f32>, leaves: &[usize]) -> Array2<f32> {
    let m = core.nrows();
    let n = m + leaves.iter().sum::<usize>();
    let mut w = Array2::zeros((n, n));
    w.slice_mut(ndarray::s![..m, ..m]).assign(core);
    let mut next = m;
    for (v, &k) in leaves.iter().enumerate() {
        for _ in 0..k {
            w[[v, next]] = 1.0;
            w[[next, v]] = 1.0;
            next += 1;
        }
    }
    w
}

/// The directed circulant `Cay(Z_n, S)`: arcs `i → i + s (mod n)` for `s ∈ S`.
pub fn directed_circulant(n: usize, connection: &[usize]) -> Array2<f32> {
    let mut w = Array2::zeros((n, n));
    for i in 0..n {
        for &s in connection {
            w[[i, (i + s) % n]] = 1.0;
        }
    }
    w
}
