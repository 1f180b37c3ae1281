//! Twins: vertices `u ≠ v` whose transposition `(u v)` is an automorphism (equal
//! colours to and from every other vertex, equal vertex colours, and
//! `colour(u→v) = colour(v→u)`). Being twins is an equivalence relation, and all
//! pairs inside a class share one colour (its *internal* colour).
//!
//! The twin classes split the group: the product `N` of the symmetric groups on the
//! classes is normal in `Aut`, and `Aut / N` is the automorphism group of the
//! *quotient* — one representative per class, coloured by (vertex colour, class size,
//! internal colour) — because colours between two classes are the same for every
//! pair. So `|Aut| = Π kᵢ! · |Aut(quotient)|`, exactly, and generators are the lifts
//! of the quotient's plus a transposition and a cycle per class. Constant matrices,
//! complete (multipartite) graphs and twin leaves have huge groups with long bases
//! (`S_n`: `n − 1` points), where a stabiliser chain of degree `n` is expensive; the
//! quotient has none of that.
//!
//! Finding them in time linear in the listed pairs ([`Adjacency`]): with `f(x, c)` a
//! hash of a listed pair at `x` of colour `c`, and `K_u(t) = H_u + f(u, t)` where
//! `H_u = Σ f(x, c(u, x))` over `u`'s listed pairs (`f(u, t)` dropped for the
//! background `t`), twins `u, v` of internal colour `t` have `K_u(t) = K_v(t)`:
//! their lists agree except that each holds the other. Other vertices share a key
//! only by a hash collision, and every class is verified.

use crate::group::refine::{ColouredGraph, mix64};
use crate::group::sparse::Adjacency;

/// Twin classes (at least two vertices each, sorted, by smallest vertex) with their
/// internal colours.
pub(super) struct Twins {
    pub classes: Vec<(Vec<u32>, u32)>,
}

#[inline]
fn f(x: usize, c: u32) -> u64 {
    mix64((x as u64) << 32 | c as u64)
}

#[inline]
fn f_in(x: usize, c: u32) -> u64 {
    mix64(!((x as u64) << 32 | c as u64))
}

/// The twin classes of the graph behind `adj`, whose vertices `cell` assigns to the
/// cells of an invariant partition (twins share a cell). `None` when there are none.
pub(super) fn find(adj: &Adjacency, cell: &[u32]) -> Option<Twins> {
    let n = adj.n();
    let bg = adj.background();
    let directed = !adj.is_symmetric();
    let mut cell_size = vec![0u32; n];
    cell.iter().for_each(|&c| cell_size[c as usize] += 1);
    let mut keys: Vec<(u32, u32, u64, u32)> = Vec::new();
    let mut ts: Vec<u32> = Vec::new();
    for u in 0..n {
        if cell_size[cell[u] as usize] < 2 {
            continue;
        }
        let mut h = 0u64;
        ts.clear();
        ts.push(bg);
        for (x, c) in adj.out(u) {
            h = h.wrapping_add(f(x, c));
            if cell[x] == cell[u] {
                ts.push(c);
            }
        }
        for (x, c) in adj.inc(u) {
            h = h.wrapping_add(f_in(x, c));
        }
        ts.sort_unstable();
        ts.dedup();
        for &t in &ts {
            let mut k = h;
            if t != bg {
                k = k.wrapping_add(f(u, t));
                if directed {
                    k = k.wrapping_add(f_in(u, t));
                }
            }
            keys.push((cell[u], t, k, u as u32));
        }
    }
    keys.sort_unstable();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let mut internal = vec![u32::MAX; n];
    let mut any = false;
    for run in keys.chunk_by(|a, b| a.0 == b.0 && a.1 == b.1 && a.2 == b.2) {
        if run.len() < 2 {
            continue;
        }
        let r = run[0].3 as usize;
        for k in &run[1..] {
            let w = k.3 as usize;
            let twins = adj.swaps_twins(r, w);
            // Equal keys without being twins: a hash collision (about 2⁻⁶⁴ per
            // pair). Giving up keeps the classes complete, which the order needs.
            if !twins {
                return None;
            }
            let (a, b) = (root(&mut parent, r), root(&mut parent, w));
            parent[a.max(b) as usize] = a.min(b);
            internal[r] = run[0].1;
            any = true;
        }
    }
    if !any {
        return None;
    }
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); n];
    for v in 0..n {
        let r = root(&mut parent, v);
        members[r as usize].push(v as u32);
    }
    let classes = members
        .into_iter()
        .filter(|m| m.len() >= 2)
        .map(|m| {
            let t = m
                .iter()
                .map(|&v| internal[v as usize])
                .find(|&t| t != u32::MAX)
                .unwrap_or(bg);
            (m, t)
        })
        .collect();
    Some(Twins { classes })
}

fn root(parent: &mut [u32], mut v: usize) -> u32 {
    while parent[v] as usize != v {
        parent[v] = parent[parent[v] as usize];
        v = parent[v] as usize;
    }
    v as u32
}

impl Twins {
    /// The quotient: one vertex per class (its smallest member) and every vertex in no
    /// class, in increasing order, coloured by (vertex colour, class size, internal
    /// colour) ranks. Returns it with its vertices (original indices).
    pub(super) fn quotient(&self, g: &ColouredGraph) -> (ColouredGraph, Vec<u32>) {
        let n = g.n();
        let mut size = vec![1u32; n];
        let mut internal = vec![0u32; n];
        let mut kept = vec![true; n];
        for (m, t) in &self.classes {
            size[m[0] as usize] = m.len() as u32;
            internal[m[0] as usize] = *t;
            m[1..].iter().for_each(|&v| kept[v as usize] = false);
        }
        let reps: Vec<u32> = (0..n as u32).filter(|&v| kept[v as usize]).collect();
        let q = reps.len();
        let triple = |v: u32| {
            let v = v as usize;
            (g.vertex_colour(v), size[v], internal[v])
        };
        let mut distinct: Vec<(u64, u32, u32)> = reps.iter().map(|&v| triple(v)).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let vertex: Vec<u64> = reps
            .iter()
            .map(|&v| distinct.binary_search(&triple(v)).unwrap_or(0) as u64)
            .collect();
        let mut out = Vec::with_capacity(q * q);
        for &a in &reps {
            let row = g.row(a as usize);
            out.extend(reps.iter().map(|&b| row[b as usize]));
        }
        let graph = ColouredGraph::with_symmetry(q, out, vertex, g.is_symmetric())
            .expect("a q × q matrix and q colours");
        (graph, reps)
    }

    /// A quotient automorphism (on `reps`' indices) as a permutation of all `n`
    /// vertices: the `j`-th member of each class to the `j`-th member of its image.
    pub(super) fn lift(&self, n: usize, reps: &[u32], p: &[u32]) -> Vec<u32> {
        let mut class_of_rep: Vec<Option<usize>> = vec![None; n];
        for (k, (m, _)) in self.classes.iter().enumerate() {
            class_of_rep[m[0] as usize] = Some(k);
        }
        let members = |r: u32| -> Vec<u32> {
            class_of_rep[r as usize].map_or(vec![r], |k| self.classes[k].0.clone())
        };
        let mut img: Vec<u32> = (0..n as u32).collect();
        for (i, &r) in reps.iter().enumerate() {
            let target = reps[p[i] as usize];
            for (&a, b) in members(r).iter().zip(members(target)) {
                img[a as usize] = b;
            }
        }
        img
    }

    /// Generators of the product of the classes' symmetric groups: per class a
    /// transposition of its first two members and, from three members on, the cycle
    /// through all of them.
    pub(super) fn symmetric_generators(&self, n: usize) -> Vec<Vec<u32>> {
        let mut gens = Vec::new();
        for (m, _) in &self.classes {
            let mut t: Vec<u32> = (0..n as u32).collect();
            t.swap(m[0] as usize, m[1] as usize);
            gens.push(t);
            if m.len() >= 3 {
                let mut c: Vec<u32> = (0..n as u32).collect();
                for (k, &v) in m.iter().enumerate() {
                    c[v as usize] = m[(k + 1) % m.len()];
                }
                gens.push(c);
            }
        }
        gens
    }

    /// A base of the class part: all but the last member of each class.
    pub(super) fn base_points(&self) -> Vec<usize> {
        self.classes
            .iter()
            .flat_map(|(m, _)| m[..m.len() - 1].iter().map(|&v| v as usize))
            .collect()
    }

    /// `Π kᵢ!`, exactly.
    pub(super) fn order(&self) -> crate::group::GroupOrder {
        crate::group::GroupOrder::from_orbit_lengths(
            self.classes.iter().flat_map(|(m, _)| (1..=m.len()).rev()),
        )
    }
}
