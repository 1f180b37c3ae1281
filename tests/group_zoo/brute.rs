//! Automorphisms by plain backtracking — no refinement, no group theory — as an
//! independent check of the constructions and of `exact_group` on small graphs.

use invariance_lab::perm::Permutation;
use ndarray::{Array2, ArrayView1, ArrayView2};

/// True if `W[π(i)][π(j)] = W[i][j]` for all `i, j` and `d[π(i)] = d[i]`, with
/// exact equality of the `f32` values.
/// Pairs of fixed points are preserved trivially, so only the rows and columns of
/// moved points are compared (every pair with a moved end).
pub fn is_automorphism(w: ArrayView2<f32>, d: Option<ArrayView1<f32>>, p: &Permutation) -> bool {
    let n = w.nrows();
    let moved: Vec<usize> = (0..n).filter(|&i| p.image(i) != i).collect();
    p.len() == n
        && moved.iter().all(|&i| {
            (0..n).all(|j| {
                w[[p.image(i), p.image(j)]] == w[[i, j]] && w[[p.image(j), p.image(i)]] == w[[j, i]]
            })
        })
        && d.is_none_or(|d| (0..n).all(|i| d[p.image(i)] == d[i]))
}

/// The matrix with every non-zero entry replaced by 1 (the unweighted graph).
pub fn unweighted(w: &Array2<f32>) -> Array2<f32> {
    w.mapv(|x| if x != 0.0 { 1.0 } else { 0.0 })
}

/// Every automorphism of `(W, d)` (exact equality of entries), or `None` once more
/// than `cap` are found. Vertices are mapped in breadth-first order over the
/// underlying undirected graph, so each vertex after a component's first has an
/// already-mapped neighbour and its image must be a neighbour of that one's image.
pub fn automorphisms(
    w: ArrayView2<f32>,
    d: Option<ArrayView1<f32>>,
    cap: usize,
) -> Option<Vec<Permutation>> {
    let n = w.nrows();
    let adjacent = |a: usize, b: usize| w[[a, b]] != 0.0 || w[[b, a]] != 0.0;
    let neighbours: Vec<Vec<usize>> = (0..n)
        .map(|a| (0..n).filter(|&b| b != a && adjacent(a, b)).collect())
        .collect();
    // Breadth-first order with each vertex's parent (None for a component's root).
    let mut order: Vec<(usize, Option<usize>)> = Vec::with_capacity(n);
    let mut seen = vec![false; n];
    for root in 0..n {
        if seen[root] {
            continue;
        }
        seen[root] = true;
        let start = order.len();
        order.push((root, None));
        let mut head = start;
        while head < order.len() {
            let v = order[head].0;
            head += 1;
            for &u in &neighbours[v] {
                if !seen[u] {
                    seen[u] = true;
                    order.push((u, Some(v)));
                }
            }
        }
    }
    let mut search = Search {
        w,
        d,
        order,
        neighbours,
        image: vec![usize::MAX; n],
        used: vec![false; n],
        found: Vec::new(),
        cap,
    };
    search.extend(0).then_some(search.found)
}

struct Search<'a> {
    w: ArrayView2<'a, f32>,
    d: Option<ArrayView1<'a, f32>>,
    order: Vec<(usize, Option<usize>)>,
    neighbours: Vec<Vec<usize>>,
    image: Vec<usize>,
    used: Vec<bool>,
    found: Vec<Permutation>,
    cap: usize,
}

impl Search<'_> {
    /// Maps `order[k..]` in every consistent way; false once over the cap.
    fn extend(&mut self, k: usize) -> bool {
        let n = self.w.nrows();
        if k == n {
            if self.found.len() >= self.cap {
                return false;
            }
            let p = Permutation::from_images(self.image.clone()).expect("a bijection");
            self.found.push(p);
            return true;
        }
        let (x, parent) = self.order[k];
        let candidates: Vec<usize> = match parent {
            Some(p) => self.neighbours[self.image[p]].clone(),
            None => (0..n).collect(),
        };
        for v in candidates {
            if self.used[v] || !self.consistent(k, x, v) {
                continue;
            }
            self.image[x] = v;
            self.used[v] = true;
            let ok = self.extend(k + 1);
            self.used[v] = false;
            self.image[x] = usize::MAX;
            if !ok {
                return false;
            }
        }
        true
    }

    /// Whether `x ↦ v` agrees with the vertices mapped so far (and itself).
    fn consistent(&self, k: usize, x: usize, v: usize) -> bool {
        let w = &self.w;
        if w[[x, x]] != w[[v, v]] || self.d.is_some_and(|d| d[x] != d[v]) {
            return false;
        }
        self.order[..k].iter().all(|&(u, _)| {
            let iu = self.image[u];
            w[[u, x]] == w[[iu, v]] && w[[x, u]] == w[[v, iu]]
        })
    }
}
