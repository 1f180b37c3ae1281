//! The hard families of the exact-automorphism benchmarks (the suites nauty/Traces,
//! bliss and dejavu are compared on): Cai–Fürer–Immerman graphs, projective-plane
//! incidence graphs, Paley graphs, latin-square graphs, Hadamard graphs, Kneser and
//! Johnson graphs, hypercubes and large disjoint unions. Each constructor follows the
//! standard construction named in its doc comment.

use ndarray::Array2;

use super::graphs::{from_edges, random_cubic};

/// The Cai–Fürer–Immerman graph over the cubic graph `base` (its edges as a 0/1
/// matrix): per base vertex `v` a gadget of four middle vertices `m_S`, one per
/// even subset `S` of `v`'s three edges, and two end vertices `a(v,e,0), a(v,e,1)` per
/// edge `e`, with `m_S – a(v,e,[e ∈ S])`; per base edge `uv`, `a(u,e,i) – a(v,e,i)`,
/// except that with `twisted` the first edge is crossed (`a(u,e,i) – a(v,e,1−i)`).
/// 10 vertices per base vertex. Untwisted and twisted graphs have isomorphic
/// groups but are not isomorphic; the group is `Z_2^β ⋊ Aut(base)` with `β = m − n + 1`
/// the cycle rank of a connected base (Cai, Fürer & Immerman 1992).
pub fn cfi(base: &Array2<f32>, twisted: bool) -> Array2<f32> {
    let n = base.nrows();
    let nbrs: Vec<Vec<usize>> = (0..n)
        .map(|v| (0..n).filter(|&u| base[[v, u]] != 0.0).collect())
        .collect();
    assert!(nbrs.iter().all(|l| l.len() == 3), "the base must be cubic");
    let middle = |v: usize, k: usize| 10 * v + k;
    // End vertex for v's k-th edge, bit i.
    let end = |v: usize, k: usize, i: usize| 10 * v + 4 + 2 * k + i;
    let mut edges = Vec::new();
    for v in 0..n {
        // Even subsets of {0,1,2}: ∅, {0,1}, {0,2}, {1,2}.
        for (s, set) in [0u8, 0b011, 0b101, 0b110].into_iter().enumerate() {
            for k in 0..3 {
                edges.push((middle(v, s), end(v, k, ((set >> k) & 1) as usize)));
            }
        }
    }
    let mut first = true;
    for v in 0..n {
        for (k, &u) in nbrs[v].iter().enumerate() {
            if u < v {
                continue;
            }
            let ku = nbrs[u].iter().position(|&x| x == v).expect("symmetric");
            let cross = twisted && std::mem::take(&mut first);
            for i in 0..2 {
                edges.push((end(v, k, i), end(u, ku, if cross { 1 - i } else { i })));
            }
        }
    }
    from_edges(10 * n, edges)
}

/// CFI over a random cubic base of `n` vertices (10 n vertices in all).
pub fn cfi_random(n: usize, seed: u64, twisted: bool) -> Array2<f32> {
    cfi(&random_cubic(n, seed), twisted)
}

/// Arithmetic in `GF(p^e)` for the small fields the projective planes need: elements
/// `0..q` are polynomials over `GF(p)` in base `p`, reduced by a fixed irreducible
/// polynomial.
struct Field {
    p: usize,
    e: usize,
    q: usize,
    /// Coefficients of `x^e` reduced: `x^e = −Σ modulus[i] x^i`.
    modulus: Vec<usize>,
}

impl Field {
    fn new(q: usize) -> Self {
        let (p, e, modulus) = match q {
            2 | 3 | 5 | 7 | 11 | 13 | 17 | 19 => (q, 1, vec![0]),
            4 => (2, 2, vec![1, 1]),        // x² + x + 1
            8 => (2, 3, vec![1, 1, 0]),     // x³ + x + 1
            9 => (3, 2, vec![1, 0]),        // x² + 1
            16 => (2, 4, vec![1, 1, 0, 0]), // x⁴ + x + 1
            25 => (5, 2, vec![2, 0]),       // x² + 2
            27 => (3, 3, vec![1, 2, 0]),    // x³ + 2x + 1
            _ => panic!("no field table for q = {q}"),
        };
        Self { p, e, q, modulus }
    }

    fn digits(&self, mut a: usize) -> Vec<usize> {
        (0..self.e)
            .map(|_| {
                let d = a % self.p;
                a /= self.p;
                d
            })
            .collect()
    }

    fn number(&self, d: &[usize]) -> usize {
        d.iter().rev().fold(0, |acc, &x| acc * self.p + x)
    }

    fn add(&self, a: usize, b: usize) -> usize {
        let (x, y) = (self.digits(a), self.digits(b));
        let s: Vec<usize> = x.iter().zip(&y).map(|(a, b)| (a + b) % self.p).collect();
        self.number(&s)
    }

    fn mul(&self, a: usize, b: usize) -> usize {
        if self.e == 1 {
            return a * b % self.p;
        }
        let (x, y) = (self.digits(a), self.digits(b));
        let mut prod = vec![0usize; 2 * self.e - 1];
        for (i, &xi) in x.iter().enumerate() {
            for (j, &yj) in y.iter().enumerate() {
                prod[i + j] = (prod[i + j] + xi * yj) % self.p;
            }
        }
        for k in (self.e..prod.len()).rev() {
            let c = prod[k];
            prod[k] = 0;
            for (i, &m) in self.modulus.iter().enumerate() {
                let t = k - self.e + i;
                prod[t] = (prod[t] + self.p * self.p - c * m % self.p) % self.p;
            }
        }
        self.number(&prod[..self.e])
    }
}

/// The point–line incidence graph of the Desarguesian projective plane `PG(2, q)`:
/// points and lines are the 1-dimensional subspaces of `GF(q)³` (normalised: first
/// non-zero coordinate 1), point `x` on line `l` iff `x · l = 0`. `2(q² + q + 1)`
/// vertices; group `PΓL(3, q) ⋊ 2` (collineations and correlations), order
/// `2 e q³ (q³ − 1)(q² − 1)` for `q = p^e`.
pub fn projective_plane(q: usize) -> Array2<f32> {
    let f = Field::new(q);
    let mut pts: Vec<[usize; 3]> = Vec::new();
    for a in 0..q {
        for b in 0..q {
            pts.push([1, a, b]);
        }
    }
    for b in 0..q {
        pts.push([0, 1, b]);
    }
    pts.push([0, 0, 1]);
    let m = pts.len();
    let dot =
        |x: &[usize; 3], y: &[usize; 3]| (0..3).fold(0, |acc, i| f.add(acc, f.mul(x[i], y[i])));
    let mut edges = Vec::new();
    for (i, x) in pts.iter().enumerate() {
        for (j, l) in pts.iter().enumerate() {
            if dot(x, l) == 0 {
                edges.push((i, m + j));
            }
        }
    }
    assert_eq!(f.q, q);
    from_edges(2 * m, edges)
}

/// `|PΓL(3, q)| · 2` as a decimal string.
pub fn projective_plane_order(q: u64) -> String {
    let e = match q {
        4 | 9 | 25 => 2,
        8 | 27 => 3,
        16 => 4,
        _ => 1,
    };
    (2 * e * q.pow(3) * (q.pow(3) - 1) * (q.pow(2) - 1)).to_string()
}

/// The latin-square graph of the Cayley table of `Z_n`: vertices the `n²` cells
/// `(r, c)`, adjacent when they share a row, a column or a symbol `r + c mod n`.
pub fn latin_square_cyclic(n: usize) -> Array2<f32> {
    let cell = |r: usize, c: usize| r * n + c;
    let mut edges = Vec::new();
    for r1 in 0..n {
        for c1 in 0..n {
            for r2 in 0..n {
                for c2 in 0..n {
                    let (a, b) = (cell(r1, c1), cell(r2, c2));
                    if a < b && (r1 == r2 || c1 == c2 || (r1 + c1) % n == (r2 + c2) % n) {
                        edges.push((a, b));
                    }
                }
            }
        }
    }
    from_edges(n * n, edges)
}

/// The Sylvester Hadamard matrix of order `2^k` (`H[i][j] = (−1)^{popcount(i & j)}`).
pub fn sylvester(k: u32) -> Vec<Vec<i8>> {
    let m = 1usize << k;
    (0..m)
        .map(|i| {
            (0..m)
                .map(|j| if (i & j).count_ones() % 2 == 0 { 1 } else { -1 })
                .collect()
        })
        .collect()
}

/// The Paley (type I) Hadamard matrix of order `q + 1`, `q ≡ 3 (mod 4)` prime: the
/// bordered Jacobsthal matrix `I + [[0, 1ᵀ], [−1, Q]]`.
pub fn paley_hadamard(q: usize) -> Vec<Vec<i8>> {
    assert_eq!(q % 4, 3, "Paley I needs q ≡ 3 (mod 4)");
    let square: Vec<bool> = (0..q).map(|x| (1..q).any(|y| y * y % q == x)).collect();
    let chi = |x: usize| -> i8 {
        if x == 0 {
            0
        } else if square[x] {
            1
        } else {
            -1
        }
    };
    let m = q + 1;
    let mut h = vec![vec![0i8; m]; m];
    for (i, row) in h.iter_mut().enumerate() {
        for (j, x) in row.iter_mut().enumerate() {
            let s = match (i, j) {
                (0, 0) => 0,
                (0, _) => 1,
                (_, 0) => -1,
                _ => chi((j + q - i) % q),
            };
            *x = s + if i == j { 1 } else { 0 };
        }
    }
    h
}

/// The Hadamard graph of a Hadamard matrix `H` of order `m`: vertices `r_i^±`,
/// `c_j^±` (`4m`), with `r_i^± – c_j^±` when `H[i][j] = 1` and `r_i^± – c_j^∓` when
/// `H[i][j] = −1` (McKay's construction: Hadamard-equivalence becomes isomorphism).
pub fn hadamard_graph(h: &[Vec<i8>]) -> Array2<f32> {
    let m = h.len();
    let r = |i: usize, s: usize| i + s * m;
    let c = |j: usize, s: usize| 2 * m + j + s * m;
    let mut edges = Vec::new();
    for (i, row) in h.iter().enumerate() {
        assert_eq!(row.len(), m);
        for (j, &x) in row.iter().enumerate() {
            for s in 0..2 {
                let t = if x == 1 { s } else { 1 - s };
                edges.push((r(i, s), c(j, t)));
            }
        }
    }
    from_edges(4 * m, edges)
}

/// `copies` disjoint copies of `w`.
pub fn disjoint_union(w: &Array2<f32>, copies: usize) -> Array2<f32> {
    let m = w.nrows();
    let mut out = Array2::zeros((m * copies, m * copies));
    for k in 0..copies {
        out.slice_mut(ndarray::s![k * m..(k + 1) * m, k * m..(k + 1) * m])
            .assign(w);
    }
    out
}
