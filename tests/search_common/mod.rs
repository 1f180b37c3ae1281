//! Graph generators with planted or known symmetries, shared by the search tests.
#![allow(dead_code)]

use invariance_lab::cancel::CancelToken;
use invariance_lab::graph::WeightedGraph;
use invariance_lab::perm::Permutation;
use invariance_lab::search::{SearchOptions, SearchReport, search};
use ndarray::Array2;
use rand::{Rng, SeedableRng, seq::SliceRandom};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

/// A random relabelling σ and the scrambled matrix `σW`.
pub fn scramble(w: &Array2<f32>, seed: u64) -> (Array2<f32>, Permutation) {
    let n = w.nrows();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut img: Vec<usize> = (0..n).collect();
    img.shuffle(&mut rng);
    let sigma = Permutation::from_images(img).unwrap();
    (sigma.apply_to_matrix(w.view()), sigma)
}

/// `σ g σ⁻¹`: the symmetry `g` of `W` expressed on the scrambled labels.
pub fn conjugate(g: &Permutation, sigma: &Permutation) -> Permutation {
    sigma.inverse().then(g).then(sigma)
}

/// Shift by `k` on `0..n`.
pub fn shift(n: usize, k: usize) -> Permutation {
    Permutation::from_images((0..n).map(|i| (i + k) % n).collect()).unwrap()
}

/// Symmetric circulant with Gaussian profile plus symmetric Gaussian noise.
pub fn noisy_circulant(n: usize, width: f32, noise: f32, seed: u64) -> Array2<f32> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let normal = Normal::new(0.0f32, noise).unwrap();
    let mut w = Array2::from_shape_fn((n, n), |(i, j)| {
        let d = (i as i64 - j as i64)
            .rem_euclid(n as i64)
            .min((j as i64 - i as i64).rem_euclid(n as i64)) as f32;
        (-d * d / (2.0 * width * width)).exp()
    });
    for i in 0..n {
        for j in i..n {
            let e = if noise > 0.0 {
                normal.sample(&mut rng)
            } else {
                0.0
            };
            w[[i, j]] += e;
            if i != j {
                w[[j, i]] += e;
            }
        }
    }
    w
}

/// Directed circulant: weight decays with the forward distance `(j − i) mod n`.
pub fn directed_circulant(n: usize, noise: f32, seed: u64) -> Array2<f32> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let normal = Normal::new(0.0f32, noise.max(1e-12)).unwrap();
    Array2::from_shape_fn((n, n), |(i, j)| {
        let d = (j as i64 - i as i64).rem_euclid(n as i64) as f32;
        let base = if d == 0.0 { 0.0 } else { (-d / 3.0).exp() };
        base + if noise > 0.0 {
            normal.sample(&mut rng)
        } else {
            0.0
        }
    })
}

/// Gaussian of the periodic distance on an `l × l` torus; node `y·l + x`.
pub fn torus(l: usize, width: f32) -> Array2<f32> {
    let n = l * l;
    let pd = |a: usize, b: usize| {
        let d = (a as i64 - b as i64).rem_euclid(l as i64);
        d.min(l as i64 - d) as f32
    };
    Array2::from_shape_fn((n, n), |(i, j)| {
        let (xi, yi, xj, yj) = (i % l, i / l, j % l, j / l);
        let d2 = pd(xi, xj).powi(2) + pd(yi, yj).powi(2);
        if i == j {
            0.0
        } else {
            (-d2 / (2.0 * width * width)).exp()
        }
    })
}

/// Torus map `(x, y) ↦ f(x, y)` as a node permutation.
pub fn torus_map(l: usize, f: impl Fn(i64, i64) -> (i64, i64)) -> Permutation {
    let li = l as i64;
    Permutation::from_images(
        (0..l * l)
            .map(|i| {
                let (x, y) = f((i % l) as i64, (i / l) as i64);
                (y.rem_euclid(li) * li + x.rem_euclid(li)) as usize
            })
            .collect(),
    )
    .unwrap()
}

/// Adjacency matrix from an edge list.
pub fn from_edges(n: usize, edges: &[(usize, usize)]) -> Array2<f32> {
    let mut w = Array2::zeros((n, n));
    for &(a, b) in edges {
        w[[a, b]] = 1.0;
        w[[b, a]] = 1.0;
    }
    w
}

/// The Petersen graph (automorphism group S₅, order 120).
pub fn petersen() -> Array2<f32> {
    let mut e = Vec::new();
    for i in 0..5 {
        e.push((i, (i + 1) % 5));
        e.push((i, i + 5));
        e.push((5 + i, 5 + (i + 2) % 5));
    }
    from_edges(10, &e)
}

/// The 4-cube Q4 (automorphism group order 2⁴·4! = 384).
pub fn q4() -> Array2<f32> {
    let mut e = Vec::new();
    for i in 0..16usize {
        for b in 0..4 {
            let j = i ^ (1 << b);
            if i < j {
                e.push((i, j));
            }
        }
    }
    from_edges(16, &e)
}

/// The Frucht graph (cubic, trivial automorphism group), LCF [−5,−2,−4,2,5,−2,2,5,−2,−5,4,2].
pub fn frucht() -> Array2<f32> {
    let lcf = [-5i64, -2, -4, 2, 5, -2, 2, 5, -2, -5, 4, 2];
    let n = 12;
    let mut e = Vec::new();
    for (i, &step) in lcf.iter().enumerate() {
        e.push((i, (i + 1) % n));
        let j = (i as i64 + step).rem_euclid(n as i64) as usize;
        e.push((i, j));
    }
    from_edges(n, &e)
}

/// Random symmetric Gaussian matrix.
pub fn random_symmetric(n: usize, seed: u64) -> Array2<f32> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut w = Array2::zeros((n, n));
    for i in 0..n {
        for j in i..n {
            let x: f32 = rng.random_range(-1.0..1.0);
            w[[i, j]] = x;
            w[[j, i]] = x;
        }
    }
    w
}

/// `A + gAgᵀ` for a random symmetric `A` and a random fixed-point-free
/// involution `g` (returned), plus noise: a graph whose only planted
/// non-trivial symmetry is `g`.
pub fn planted_involution(n: usize, noise: f32, seed: u64) -> (Array2<f32>, Permutation) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut idx: Vec<usize> = (0..n).collect();
    idx.shuffle(&mut rng);
    let mut img = vec![0; n];
    for pair in idx.chunks(2) {
        if let [a, b] = pair {
            img[*a] = *b;
            img[*b] = *a;
        } else {
            img[pair[0]] = pair[0];
        }
    }
    let g = Permutation::from_images(img).unwrap();
    let a = random_symmetric(n, seed + 1);
    let mut w = &a + &g.apply_to_matrix(a.view());
    let normal = Normal::new(0.0f32, noise.max(1e-12)).unwrap();
    if noise > 0.0 {
        for i in 0..n {
            for j in i..n {
                let e = normal.sample(&mut rng);
                w[[i, j]] += e;
                if i != j {
                    w[[j, i]] += e;
                }
            }
        }
    }
    (w, g)
}

/// Runs a search with no progress output.
pub fn run(w: &Array2<f32>, options: &SearchOptions) -> SearchReport {
    let g = WeightedGraph::new(w.clone(), None).unwrap();
    search(&g, options, &CancelToken::new(), &mut |_| {}).unwrap()
}

/// Fraction of nodes on which two permutations agree.
pub fn consistency(a: &Permutation, b: &Permutation) -> f64 {
    invariance_lab::search::scoring::consistency(a, b)
}

/// True if some result agrees with `g` on ≥ 95 % of the nodes.
pub fn recovered(report: &SearchReport, g: &Permutation) -> bool {
    report
        .results
        .iter()
        .any(|r| consistency(&r.permutation, g) >= 0.95)
}

/// Asserts the invariants every report must satisfy.
pub fn check_report(report: &SearchReport) {
    let mut seen = std::collections::HashSet::new();
    for w in report.results.windows(2) {
        assert!(
            w[0].relative_error <= w[1].relative_error,
            "results not sorted by error"
        );
    }
    for r in &report.results {
        assert!(!r.permutation.is_identity(), "identity returned");
        assert!(seen.insert(r.permutation.clone()), "duplicate result");
        assert_eq!(r.exact, r.relative_error <= 1e-9);
    }
}

/// Adds Gaussian noise scaled so that a planted exact symmetry ends with a
/// relative error of about `√2·nu`: `σ = nu·‖W‖_F / n` (symmetric noise for
/// symmetric `W`).
pub fn add_relative_noise(w: &Array2<f32>, nu: f32, seed: u64) -> Array2<f32> {
    let n = w.nrows();
    let norm = w.iter().map(|&x| x * x).sum::<f32>().sqrt();
    let sigma = nu * norm / n as f32;
    let symmetric = (0..n).all(|i| (0..i).all(|j| w[[i, j]] == w[[j, i]]));
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let normal = Normal::new(0.0f32, sigma.max(1e-12)).unwrap();
    let mut out = w.clone();
    for i in 0..n {
        for j in 0..n {
            if symmetric && j < i {
                out[[i, j]] = out[[j, i]];
            } else {
                out[[i, j]] += normal.sample(&mut rng);
            }
        }
    }
    out
}

/// A ring whose structure is a few strong local links on a broad plateau of noisy
/// weights, as `ring-learned`'s graph: neighbours at distance 1 weigh 0.7, distances
/// 2–4 almost nothing (0.04), every farther pair 0.22, and every pair carries symmetric
/// Gaussian noise of standard deviation `noise`. Its symmetries are the dihedral group
/// `D_n`, approximately.
pub fn plateau_ring(n: usize, noise: f32, seed: u64) -> Array2<f32> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let normal = Normal::new(0.0f32, noise.max(1e-12)).unwrap();
    let mut w = Array2::<f32>::zeros((n, n));
    for i in 0..n {
        for j in i + 1..n {
            let d = (j - i).min(n - (j - i));
            let base = match d {
                1 => 0.7,
                2..=4 => 0.04,
                _ => 0.22,
            };
            let v = base + normal.sample(&mut rng);
            w[[i, j]] = v;
            w[[j, i]] = v;
        }
    }
    w
}
