//! The graphs the tests use, from the literature and built to plant a symmetry.

use std::collections::HashSet;

use ndarray::Array2;

use super::{graph, scramble};

pub(super) fn cycle(n: usize, directed: bool) -> Array2<f32> {
    let edges: Vec<_> = (0..n).map(|i| (i, (i + 1) % n)).collect();
    graph(n, &edges, directed)
}

pub(super) fn hypercube(dim: usize) -> Array2<f32> {
    let n = 1 << dim;
    let edges: Vec<_> = (0..n)
        .flat_map(|v| (0..dim).map(move |b| (v, v ^ (1 << b))))
        .filter(|&(a, b)| a < b)
        .collect();
    graph(n, &edges, false)
}

pub(super) fn complete_bipartite(m: usize, n: usize) -> Array2<f32> {
    let edges: Vec<_> = (0..m)
        .flat_map(|a| (m..m + n).map(move |b| (a, b)))
        .collect();
    graph(m + n, &edges, false)
}

/// Petersen graph: the Kneser graph K(5, 2) (2-subsets, adjacent when disjoint).
pub(super) fn petersen() -> Array2<f32> {
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
pub(super) fn path_with_twin_leaves(m: usize, with_pair: &[usize]) -> Array2<f32> {
    let mut edges: Vec<_> = (0..m - 1).map(|i| (i, i + 1)).collect();
    let mut next = m;
    for &v in with_pair {
        edges.push((v, next));
        edges.push((v, next + 1));
        next += 2;
    }
    graph(next, &edges, false)
}

/// A random symmetric matrix with (almost surely) all weights different, zero
/// diagonal: each pair's weight is a hash of the pair (filled row by row, fast).
pub(super) fn noisy(n: usize, seed: u64) -> Array2<f32> {
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

/// A scrambled symmetric circulant with a distinct weight per cyclic distance.
pub(super) fn circulant(n: usize, seed: u64) -> Array2<f32> {
    let w = Array2::from_shape_fn((n, n), |(i, j)| {
        let k = (j + n - i) % n;
        k.min(n - k) as f32
    });
    scramble(&w, None, seed).0
}

/// `copies` disjoint copies of `w`.
pub(super) fn disjoint_copies(w: &Array2<f32>, copies: usize) -> Array2<f32> {
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
pub(super) fn paley(q: usize) -> Array2<f32> {
    let squares: HashSet<usize> = (1..q).map(|x| x * x % q).collect();
    Array2::from_shape_fn((q, q), |(i, j)| {
        f32::from(u8::from(squares.contains(&((i + q - j) % q))))
    })
}
