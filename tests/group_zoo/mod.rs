//! The graph zoo: graphs with known automorphism group orders, shared by the tests
//! (`tests/group_known.rs`) and the bliss benchmark (`bench/group_bench.rs`).
//!
//! Every entry's expected order is stated with its source (literature or theory),
//! or, for the weighted and directed variants, computed by brute force
//! ([`brute`]): the unweighted graph's automorphisms, enumerated by plain
//! backtracking, filtered by the weights. The bench confirms every order with bliss.
#![allow(dead_code)]

pub mod brute;
pub mod graphs;
pub mod hard;

use invariance_lab::perm::Permutation;
use ndarray::{Array1, Array2};
use num_bigint::BigUint;
use rand::{Rng, SeedableRng, seq::SliceRandom};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

use graphs::*;

/// Most automorphisms the brute-force check enumerates before giving up.
pub const BRUTE_FORCE_CAP: usize = 20_000;

/// One graph of the zoo.
pub struct Entry {
    /// Short identifier (also the bench's file name).
    pub name: &'static str,
    /// Weight matrix (0 = no edge; symmetric for undirected graphs).
    pub w: Array2<f32>,
    /// Node weights (vertex colours), if any.
    pub d: Option<Array1<f32>>,
    /// `|Aut|` from the literature or from theory, as a decimal string.
    pub known: Option<String>,
    /// Where `known` comes from, or how the order is to be found.
    pub source: &'static str,
    /// Small enough for [`brute::automorphisms`] within [`BRUTE_FORCE_CAP`].
    pub brute_force: bool,
}

impl Entry {
    fn new(name: &'static str, w: Array2<f32>, known: impl ToString, source: &'static str) -> Self {
        Self {
            name,
            w,
            d: None,
            known: Some(known.to_string()),
            source,
            brute_force: false,
        }
    }

    /// An entry whose order is not known from theory: the order bliss gave, recorded
    /// from `bench/run_groups.sh` (bliss through python-igraph 1.0, whose
    /// `count_automorphisms(sh="fl")` computed it on the scrambled graph).
    fn from_bliss(name: &'static str, w: Array2<f32>, bliss: &'static str) -> Self {
        Self {
            name,
            w,
            d: None,
            known: Some(bliss.to_string()),
            source: "bliss (python-igraph 1.0, bench/run_groups.sh)",
            brute_force: false,
        }
    }

    /// Marks the entry as checked by brute force too.
    fn brute(mut self) -> Self {
        self.brute_force = true;
        self
    }

    /// The order by brute force: the automorphisms of the unweighted graph,
    /// filtered by the weights and node weights. `None` if over the cap.
    pub fn brute_force_order(&self) -> Option<usize> {
        let plain = brute::unweighted(&self.w);
        let all = brute::automorphisms(plain.view(), None, BRUTE_FORCE_CAP)?;
        let d = self.d.as_ref().map(|d| d.view());
        Some(
            all.iter()
                .filter(|p| brute::is_automorphism(self.w.view(), d, p))
                .count(),
        )
    }
}

/// `n!` exactly.
pub fn factorial(n: u64) -> BigUint {
    (1..=n).map(BigUint::from).product()
}

/// A random relabelling `σ` and the scrambled matrix `σW` (`(σW)[σ(i)][σ(j)] = W[i][j]`).
pub fn scramble(w: &Array2<f32>, seed: u64) -> (Array2<f32>, Permutation) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut img: Vec<usize> = (0..w.nrows()).collect();
    img.shuffle(&mut rng);
    let sigma = Permutation::from_images(img).expect("a shuffle is a permutation");
    (sigma.apply_to_matrix(w.view()), sigma)
}

/// Random weights in `[1, 2)` on the edges of `w`, equal on each `⟨σ⟩`-orbit of
/// edges (unordered pairs when `w` is symmetric), so `σ` stays an automorphism.
pub fn weighted_by_orbits(w: &Array2<f32>, sigma: &Permutation, seed: u64) -> Array2<f32> {
    assert!(
        brute::is_automorphism(w.view(), None, sigma),
        "σ must be an automorphism of the unweighted graph"
    );
    let n = w.nrows();
    let symmetric = w == w.t();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = Array2::<f32>::zeros((n, n));
    for i in 0..n {
        for j in 0..n {
            if w[[i, j]] == 0.0 || out[[i, j]] != 0.0 {
                continue;
            }
            let weight: f32 = rng.random_range(1.0..2.0);
            let (mut a, mut b) = (i, j);
            loop {
                out[[a, b]] = weight;
                if symmetric {
                    out[[b, a]] = weight;
                }
                (a, b) = (sigma.image(a), sigma.image(b));
                if (a, b) == (i, j) {
                    break;
                }
            }
        }
    }
    out
}

/// The rotation `i ↦ i+1` on both rings of a generalised Petersen graph `GP(m, k)`.
fn petersen_rotation(m: usize) -> Permutation {
    let img = (0..2 * m).map(|v| (v / m) * m + (v % m + 1) % m).collect();
    Permutation::from_images(img).expect("a rotation")
}

/// Shift by one on `0..n`, applied blockwise to `blocks` consecutive blocks of size `n`.
fn block_shift(n: usize, blocks: usize) -> Permutation {
    let img = (0..n * blocks)
        .map(|v| (v / n) * n + (v % n + 1) % n)
        .collect();
    Permutation::from_images(img).expect("a shift")
}

/// A weighted variant: brute force finds its order.
fn weighted(name: &'static str, w: Array2<f32>, sigma: Permutation, seed: u64) -> Entry {
    Entry {
        name,
        w: weighted_by_orbits(&w, &sigma, seed),
        d: None,
        known: None,
        source: "weights equal on <σ>-orbits of edges; brute force",
        brute_force: true,
    }
}

/// A directed circulant: brute force finds its order.
fn circulant_entry(name: &'static str, n: usize, s: &[usize]) -> Entry {
    Entry {
        name,
        w: directed_circulant(n, s),
        d: None,
        known: None,
        source: "directed circulant; brute force",
        brute_force: true,
    }
}

/// Every entry of the zoo, in a fixed order.
pub fn catalogue() -> Vec<Entry> {
    let lit = "literature";
    let hypercube_order = |d: u64| BigUint::from(1u64 << d) * factorial(d);
    let mut marked = Entry::new("petersen_marked", generalised_petersen(5, 2), 12, "120/10");
    marked.d = Some(Array1::from_shape_fn(
        10,
        |i| if i == 0 { 1.0 } else { 0.0 },
    ));
    let twins_small = [2usize; 12];
    let twins_small_order: BigUint = twins_small.iter().map(|&t| factorial(t as u64)).product();
    let q4_cycle =
        Permutation::from_images((0..16usize).map(|x| ((x << 1) | (x >> 3)) & 0xf).collect())
            .expect("a coordinate cycle");
    vec![
        Entry::new("petersen", generalised_petersen(5, 2), 120, lit).brute(),
        Entry::new("heawood", heawood(), 336, lit).brute(),
        Entry::new("pappus", pappus(), 216, lit).brute(),
        Entry::new("desargues", generalised_petersen(10, 3), 240, lit).brute(),
        Entry::new("dodecahedron", generalised_petersen(10, 2), 120, lit).brute(),
        Entry::new("q3", hypercube(3), hypercube_order(3), "2^n n!").brute(),
        Entry::new("q4", hypercube(4), hypercube_order(4), "2^n n!").brute(),
        Entry::new("q5", hypercube(5), hypercube_order(5), "2^n n!").brute(),
        Entry::new("q7", hypercube(7), hypercube_order(7), "2^n n!"),
        Entry::new("paley17", paley(17), 17 * 8, "q(q-1)/2").brute(),
        Entry::new("paley29", paley(29), 29 * 14, "q(q-1)/2").brute(),
        Entry::new("kneser7_2", kneser(7, 2), 5040, "S_7").brute(),
        Entry::new("johnson6_3", johnson(6, 3), 1440, "S_6 x 2").brute(),
        Entry::new("k10", complete(10), factorial(10), "n!"),
        Entry::new("k40", complete(40), factorial(40), "n!"),
        Entry::new(
            "k5_7",
            complete_bipartite(5, 7),
            factorial(5) * factorial(7),
            "5!7!",
        ),
        Entry::new("torus8x8", torus(8, 8), 512, "D_8 wr S_2 (issue: 128)").brute(),
        Entry::new("clebsch", clebsch(), 1920, lit).brute(),
        Entry::new("tutte8cage", tutte_8_cage(), 1440, lit).brute(),
        Entry::new("higman_sims", higman_sims(), 88_704_000, "HS:2"),
        Entry::new("frucht", frucht(), 1, lit).brute(),
        Entry::new("cubic20_s2", random_cubic(20, 2), 1, "bliss").brute(),
        Entry::new("cubic200_s1", random_cubic(200, 1), 1, "bliss"),
        Entry::new("cubic1000_s1", random_cubic(1000, 1), 1, "bliss"),
        weighted(
            "w_petersen",
            generalised_petersen(5, 2),
            petersen_rotation(5),
            11,
        ),
        weighted("w_heawood", heawood(), block_shift(7, 2), 12),
        weighted(
            "w_desargues",
            generalised_petersen(10, 3),
            petersen_rotation(10),
            13,
        ),
        weighted("w_q4", hypercube(4), q4_cycle, 14),
        weighted("w_torus8x8", torus(8, 8), block_shift(8, 8), 15),
        weighted("w_paley17", paley(17), block_shift(17, 1), 16),
        marked.brute(),
        Entry::new(
            "twins_frucht_2",
            with_pendant_twins(&frucht(), &twins_small),
            twins_small_order,
            "prod t_i! (rigid core)",
        )
        .brute(),
        Entry::new(
            "twins_frucht_8",
            with_pendant_twins(&frucht(), &[8; 12]),
            factorial(8).pow(12),
            "(8!)^12 (rigid core)",
        ),
        circulant_entry("dcirc8_1_3", 8, &[1, 3]),
        circulant_entry("dcirc12_1_3", 12, &[1, 3]),
        circulant_entry("dcirc13_1_3_9", 13, &[1, 3, 9]),
        circulant_entry("dcirc16_1_2_5", 16, &[1, 2, 5]),
    ]
}

/// The dense timing-only matrices of the bench: an exact symmetric circulant with a
/// distinct weight per circular distance (`D_n`, order `2n`) and a dense symmetric
/// Gaussian matrix (all weights distinct: trivial group).
pub fn timing_catalogue() -> Vec<Entry> {
    let n = 1024;
    let circulant = Array2::from_shape_fn((n, n), |(i, j)| {
        let k = (i + n - j) % n;
        1.0 + k.min(n - k) as f32 / n as f32
    });
    let m = 2048;
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let normal = Normal::new(0.0f32, 1.0).expect("unit variance");
    let mut noisy = Array2::<f32>::zeros((m, m));
    for i in 0..m {
        for j in i..m {
            let x = normal.sample(&mut rng);
            noisy[[i, j]] = x;
            noisy[[j, i]] = x;
        }
    }
    vec![
        Entry::new("circulant1024", circulant, 2 * n, "D_1024"),
        Entry::new("noisy2048", noisy, 1, "distinct weights"),
    ]
}

/// Cycle rank `m − n + c` of a graph (edges, vertices, connected components).
fn cycle_rank(w: &Array2<f32>) -> u32 {
    let n = w.nrows();
    let mut seen = vec![false; n];
    let mut components = 0;
    for s in 0..n {
        if seen[s] {
            continue;
        }
        components += 1;
        seen[s] = true;
        let mut stack = vec![s];
        while let Some(v) = stack.pop() {
            for u in 0..n {
                if w[[v, u]] != 0.0 && !seen[u] {
                    seen[u] = true;
                    stack.push(u);
                }
            }
        }
    }
    let edges = w.iter().filter(|&&x| x != 0.0).count() / 2;
    (edges + components - n) as u32
}

/// A CFI entry over a random cubic base of `base_n` vertices: `2^β` with `β` the base's
/// cycle rank, valid when the base has no automorphism (bliss confirms in the bench).
fn cfi_entry(name: &'static str, base_n: usize, seed: u64, twisted: bool) -> Entry {
    let base = random_cubic(base_n, seed);
    let order = BigUint::from(2u32).pow(cycle_rank(&base));
    Entry::new(
        name,
        hard::cfi(&base, twisted),
        order,
        "2^(m-n+c) (rigid base)",
    )
}

/// The hard families of the exact-automorphism benchmarks ([`hard`]), for the bench
/// and the tests. Orders from theory (the source says which).
pub fn hard_catalogue() -> Vec<Entry> {
    let f = |k: u64| factorial(k);
    let petersen = graphs::generalised_petersen(5, 2);
    let heawood = graphs::heawood();
    let union_order = |aut: u64, copies: u64| BigUint::from(aut).pow(copies as u32) * f(copies);
    vec![
        cfi_entry("cfi_u_50", 50, 1, false),
        cfi_entry("cfi_t_50", 50, 1, true),
        cfi_entry("cfi_u_100", 100, 2, false),
        cfi_entry("cfi_t_100", 100, 2, true),
        cfi_entry("cfi_u_200", 200, 3, false),
        cfi_entry("cfi_t_200", 200, 3, true),
        Entry::new(
            "pg2_7",
            hard::projective_plane(7),
            hard::projective_plane_order(7),
            "2|PGammaL(3,q)|",
        ),
        Entry::new(
            "pg2_8",
            hard::projective_plane(8),
            hard::projective_plane_order(8),
            "2|PGammaL(3,q)|",
        ),
        Entry::new(
            "pg2_9",
            hard::projective_plane(9),
            hard::projective_plane_order(9),
            "2|PGammaL(3,q)|",
        ),
        Entry::new(
            "pg2_11",
            hard::projective_plane(11),
            hard::projective_plane_order(11),
            "2|PGammaL(3,q)|",
        ),
        Entry::new(
            "pg2_13",
            hard::projective_plane(13),
            hard::projective_plane_order(13),
            "2|PGammaL(3,q)|",
        ),
        Entry::new("paley101", paley(101), 101 * 50, "q(q-1)/2"),
        Entry::new("paley509", paley(509), 509 * 254, "q(q-1)/2"),
        Entry::new("paley997", paley(997), 997 * 498, "q(q-1)/2"),
        Entry::from_bliss("latin_z10", hard::latin_square_cyclic(10), "2400"),
        Entry::from_bliss("latin_z17", hard::latin_square_cyclic(17), "27744"),
        Entry::from_bliss("latin_z23", hard::latin_square_cyclic(23), "69828"),
        Entry::from_bliss("latin_z30", hard::latin_square_cyclic(30), "43200"),
        Entry::from_bliss(
            "had_syl32",
            hard::hadamard_graph(&hard::sylvester(5)),
            "40957378560",
        ),
        Entry::from_bliss(
            "had_syl64",
            hard::hadamard_graph(&hard::sylvester(6)),
            "330280300707840",
        ),
        Entry::from_bliss(
            "had_pal32",
            hard::hadamard_graph(&hard::paley_hadamard(31)),
            "59520",
        ),
        Entry::from_bliss(
            "had_pal44",
            hard::hadamard_graph(&hard::paley_hadamard(43)),
            "158928",
        ),
        Entry::from_bliss(
            "had_pal60",
            hard::hadamard_graph(&hard::paley_hadamard(59)),
            "410640",
        ),
        Entry::new("kneser9_3", kneser(9, 3), f(9), "S_9"),
        Entry::new("kneser11_4", kneser(11, 4), f(11), "S_11"),
        Entry::new("johnson8_4", johnson(8, 4), f(8) * 2u32, "S_8 x 2"),
        Entry::new("johnson10_4", johnson(10, 4), f(10), "S_10"),
        Entry::new("johnson12_5", johnson(12, 5), f(12), "S_12"),
        Entry::new(
            "q8",
            hypercube(8),
            BigUint::from(1u32 << 8) * f(8),
            "2^n n!",
        ),
        Entry::new(
            "q9",
            hypercube(9),
            BigUint::from(1u32 << 9) * f(9),
            "2^n n!",
        ),
        Entry::new(
            "q10",
            hypercube(10),
            BigUint::from(1u32 << 10) * f(10),
            "2^n n!",
        ),
        Entry::new(
            "petersen_x100",
            hard::disjoint_union(&petersen, 100),
            union_order(120, 100),
            "120^k k!",
        ),
        Entry::new(
            "heawood_x50",
            hard::disjoint_union(&heawood, 50),
            union_order(336, 50),
            "336^k k!",
        ),
        Entry::new(
            "paley29_x20",
            hard::disjoint_union(&paley(29), 20),
            union_order(29 * 14, 20),
            "406^k k!",
        ),
    ]
}

/// The entry called `name` (panics on an unknown name: a typo in a test).
pub fn entry(name: &str) -> Entry {
    catalogue()
        .into_iter()
        .chain(hard_catalogue())
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("no zoo entry {name}"))
}
