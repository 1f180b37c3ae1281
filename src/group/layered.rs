//! Edge-coloured (and directed) graphs as plain vertex-coloured undirected graphs for
//! Traces: the layered construction of the nauty and Traces User's Guide ("vertex-
//! coloured graphs and edge-coloured graphs").
//!
//! **Colours to layers.** The background colour (the most frequent off-diagonal one,
//! usually "no edge") is left out; the other `k` colours have ids `1..=k` in
//! ascending colour order. The graph becomes `L = ⌈log₂(k+1)⌉` layers, each a copy
//! of the vertex set; copy `(b, v)` is joined to `(b+1, v)`, and an edge of colour id
//! `c` is present in layer `b` iff bit `b` of `c` is set. Every layer's copies are
//! coloured by the vertex colours, with different colours in different layers, so
//! an automorphism of the layered graph moves every layer the same way; its
//! restriction to layer 0 (vertices `0..n`) preserves every edge colour, and every
//! automorphism of the coloured graph extends to the layered graph. The diagonal and
//! the node weights are already vertex colours.
//!
//! **Directed colourings.** An ordered pair's colour `c(x→y)` may differ from
//! `c(y→x)`. Each vertex `x` then gets a hub (vertex `x` itself) and, per layer `b`,
//! an "out" copy and an "in" copy, both joined to the hub only; an arc `x → y` of
//! colour id `c` joins out-copy `(b, x)` to in-copy `(b, y)` for every bit `b` of `c`.
//! The hubs, each layer's out-copies and each layer's in-copies are coloured apart,
//! so an automorphism maps out-copies to out-copies of the same layer, and the hub is
//! each copy's only neighbour among the hubs: the copies follow their hubs.
//!
//! **Vertex colours.** Any colouring that every automorphism preserves may be given
//! (an invariant partition's cells, ordered by label-invariant hashes): Traces then
//! starts from it instead of rediscovering it.

use std::os::raw::c_int;

use super::sparse::Adjacency;
use super::traces::{MAX_VERTICES, SparseGraph};

/// Layers needed for ids `1..=k` (at least one).
fn layers_for(k: usize) -> usize {
    ((usize::BITS - k.leading_zeros()) as usize).max(1)
}

/// Fills CSR arrays from an undirected edge list on `nv` vertices.
fn csr(nv: usize, edges: &[(u32, u32)]) -> (Vec<usize>, Vec<c_int>, Vec<c_int>) {
    let mut d = vec![0 as c_int; nv];
    for &(a, b) in edges {
        d[a as usize] += 1;
        d[b as usize] += 1;
    }
    let mut v = vec![0usize; nv];
    let mut total = 0usize;
    for i in 0..nv {
        v[i] = total;
        total += d[i] as usize;
    }
    let mut e = vec![0 as c_int; total];
    let mut fill = v.clone();
    for &(a, b) in edges {
        e[fill[a as usize]] = b as c_int;
        fill[a as usize] += 1;
        e[fill[b as usize]] = a as c_int;
        fill[b as usize] += 1;
    }
    (v, d, e)
}

/// `lab`/`ptn` for `classes` consecutive copies of `m` local vertices (copy `k` holds
/// `k·m..(k+1)·m`), each coloured by `colour` (cells in ascending colour order),
/// copies apart.
fn colouring(colour: &[u64], classes: usize) -> (Vec<c_int>, Vec<c_int>) {
    let m = colour.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by_key(|&i| (colour[i], i));
    let mut lab = Vec::with_capacity(classes * m);
    let mut ptn = Vec::with_capacity(classes * m);
    for k in 0..classes {
        for (p, &i) in order.iter().enumerate() {
            lab.push((k * m + i) as c_int);
            let last = p + 1 == m || colour[order[p + 1]] != colour[i];
            ptn.push(if last { 0 } else { 1 });
        }
    }
    (lab, ptn)
}

/// The layered graph (see the module docs) of the subgraph of `adj` on `vertices`
/// (which must hold every listed neighbour of its members: the whole vertex set, or
/// a union of components), local vertex `i` being `vertices[i]`, coloured by
/// `colour[i]`. `None` if it would have more than `max_arcs` arcs.
pub(crate) fn encode(
    adj: &Adjacency,
    vertices: &[u32],
    colour: &[u64],
    max_arcs: u64,
) -> Option<SparseGraph> {
    let m = vertices.len();
    let n = adj.n();
    let mut local = vec![u32::MAX; n];
    for (i, &v) in vertices.iter().enumerate() {
        local[v as usize] = i as u32;
    }
    let layers = layers_for(adj.colours());
    let symmetric = adj.is_symmetric();
    let (classes, links) = if symmetric {
        (layers, (layers - 1) * m)
    } else {
        (2 * layers + 1, 2 * layers * m)
    };
    let mut coloured: u64 = 0;
    for &v in vertices {
        coloured += adj
            .out(v as usize)
            .map(|(_, c)| adj.id(c).count_ones() as u64)
            .sum::<u64>();
    }
    // Symmetric colourings list every pair at both ends.
    let edges_total = if symmetric { coloured / 2 } else { coloured } + links as u64;
    if 2 * edges_total > max_arcs || classes * m > MAX_VERTICES {
        return None;
    }
    let mut edges: Vec<(u32, u32)> = Vec::with_capacity(edges_total as usize);
    let copy = |k: usize, x: usize| (k * m + x) as u32;
    for (x, &v) in vertices.iter().enumerate() {
        for (w, c) in adj.out(v as usize) {
            let y = local[w] as usize;
            if y >= m || (symmetric && y <= x) {
                // Outside the subgraph (the caller's promise says never), or the
                // other end of a symmetric pair.
                continue;
            }
            let mut bits = adj.id(c);
            while bits != 0 {
                let b = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                edges.push(if symmetric {
                    (copy(b, x), copy(b, y))
                } else {
                    // Out-copy of x in layer b, in-copy of y in layer b.
                    (copy(1 + 2 * b, x), copy(2 + 2 * b, y))
                });
            }
        }
    }
    for x in 0..m {
        if symmetric {
            for b in 1..layers {
                edges.push((copy(b - 1, x), copy(b, x)));
            }
        } else {
            for k in 1..classes {
                edges.push((copy(0, x), copy(k, x)));
            }
        }
    }
    let (v, d, e) = csr(classes * m, &edges);
    let (lab, ptn) = colouring(colour, classes);
    Some(SparseGraph { v, d, e, lab, ptn })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::group::refine::ColouredGraph;

    #[test]
    fn layers_follow_the_number_of_colours() {
        assert_eq!(layers_for(0), 1);
        assert_eq!(layers_for(1), 1);
        assert_eq!(layers_for(2), 2);
        assert_eq!(layers_for(3), 2);
        assert_eq!(layers_for(4), 3);
        assert_eq!(layers_for(7), 3);
    }

    /// A weighted 4-cycle whose weights alternate 1, 2: three colours (0 background).
    #[test]
    fn a_weighted_cycle_becomes_two_layers() {
        let n = 4;
        let mut out = vec![0u32; n * n];
        for i in 0..n {
            let j = (i + 1) % n;
            let c = if i % 2 == 0 { 1 } else { 2 };
            out[i * n + j] = c;
            out[j * n + i] = c;
        }
        let g = ColouredGraph::new(n, out, vec![0; n]).unwrap();
        let adj = Adjacency::new(&g, u64::MAX).unwrap();
        let all: Vec<u32> = (0..4).collect();
        let s = encode(&adj, &all, &[0; 4], u64::MAX).unwrap();
        assert_eq!(s.v.len(), 8);
        // Colour 1 → id 1 (layer 0 only), colour 2 → id 2 (layer 1 only): 2 + 2 edges,
        // plus 4 vertical links, both directions.
        assert_eq!(s.e.len(), 2 * (4 + 4));
        assert_eq!(s.ptn.iter().filter(|&&p| p == 0).count(), 2);
        assert!(encode(&adj, &all, &[0; 4], 8).is_none());
        // Colours split cells, copy by copy.
        let s = encode(&adj, &all, &[1, 0, 1, 0], u64::MAX).unwrap();
        assert_eq!(s.ptn, vec![1, 0, 1, 0, 1, 0, 1, 0]);
        assert_eq!(&s.lab[..4], &[1, 3, 0, 2]);
    }
}
