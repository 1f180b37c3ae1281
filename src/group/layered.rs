//! Edge-coloured (and directed) graphs as plain vertex-coloured undirected graphs for
//! Traces: the layered construction of the nauty and Traces User's Guide ("vertex-
//! coloured graphs and edge-coloured graphs").
//!
//! **Colours to layers.** The most frequent off-diagonal colour is the background
//! ("no edge"); the other `k` colours get ids `1..=k` in ascending colour order. The
//! graph becomes `L = ⌈log₂(k+1)⌉` layers, each a copy of the vertex set; copy
//! `(b, v)` is joined to `(b+1, v)`, and an edge of colour id `c` is present in layer
//! `b` iff bit `b` of `c` is set. Every layer's copies are coloured by the cells of
//! the initial partition, with different colours in different layers, so an
//! automorphism of the layered graph moves every layer the same way; its restriction
//! to layer 0 (vertices `0..n`) preserves every edge colour, and every automorphism of
//! the coloured graph extends to the layered graph. The diagonal and the node weights
//! are already vertex colours (in the partition).
//!
//! **Directed colourings.** An ordered pair's colour `c(x→y)` may differ from
//! `c(y→x)`. Each vertex `x` then gets a hub (vertex `x` itself) and, per layer `b`,
//! an "out" copy and an "in" copy, both joined to the hub only; an arc `x → y` of
//! colour id `c` joins out-copy `(b, x)` to in-copy `(b, y)` for every bit `b` of `c`.
//! The hubs, each layer's out-copies and each layer's in-copies are coloured apart,
//! so an automorphism maps out-copies to out-copies of the same layer, and
//! the hub is each copy's only neighbour among the hubs: the copies follow their hubs.
//!
//! **Initial partition.** Any partition that every automorphism preserves cell by cell
//! may be given (colour refinement's equitable partition, ordered by label-invariant
//! hashes): Traces then starts from it instead of rediscovering it.

use std::os::raw::c_int;

use super::refine::{ColouredGraph, Partition};
use super::traces::{MAX_VERTICES, SparseGraph};

/// Most distinct edge colours encoded (17 layers); more give up (the caller has
/// another method for such graphs).
pub(crate) const MAX_COLOURS: usize = 1 << 17;

/// Why a graph was not encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TooLarge {
    /// More than [`MAX_COLOURS`] non-background edge colours.
    Colours,
    /// The layered graph would have more than the allowed number of arcs (or
    /// vertices).
    Arcs(u64),
}

/// Counts of the off-diagonal colours: an open-addressing table (colours are opaque
/// `u32`s, usually few).
struct Histogram {
    keys: Vec<u32>,
    counts: Vec<u64>,
    used: Vec<bool>,
    len: usize,
}

impl Histogram {
    fn new() -> Self {
        Self::with_slots(64)
    }

    fn with_slots(slots: usize) -> Self {
        Self {
            keys: vec![0; slots],
            counts: vec![0; slots],
            used: vec![false; slots],
            len: 0,
        }
    }

    #[inline]
    fn slot(&self, c: u32) -> usize {
        let mask = self.keys.len() - 1;
        let mut s = (super::refine::mix64(c as u64) as usize) & mask;
        while self.used[s] && self.keys[s] != c {
            s = (s + 1) & mask;
        }
        s
    }

    /// Adds `count` to colour `c`; false once there are too many colours.
    #[inline]
    fn add(&mut self, c: u32, count: u64) -> bool {
        let s = self.slot(c);
        if !self.used[s] {
            if self.len >= MAX_COLOURS {
                return false;
            }
            self.used[s] = true;
            self.keys[s] = c;
            self.len += 1;
            if 2 * self.len > self.keys.len() {
                self.grow();
                let s = self.slot(c);
                self.counts[s] += count;
                return true;
            }
        }
        self.counts[s] += count;
        true
    }

    fn grow(&mut self) {
        let mut bigger = Self::with_slots(2 * self.keys.len());
        for s in 0..self.keys.len() {
            if self.used[s] {
                let t = bigger.slot(self.keys[s]);
                bigger.used[t] = true;
                bigger.keys[t] = self.keys[s];
                bigger.counts[t] = self.counts[s];
            }
        }
        bigger.len = self.len;
        *self = bigger;
    }

    /// `(colour, count)` pairs, ascending by colour.
    fn sorted(&self) -> Vec<(u32, u64)> {
        let mut v: Vec<(u32, u64)> = (0..self.keys.len())
            .filter(|&s| self.used[s])
            .map(|s| (self.keys[s], self.counts[s]))
            .collect();
        v.sort_unstable();
        v
    }
}

/// Counts the colours of the off-diagonal pairs (unordered pairs when symmetric).
fn histogram(g: &ColouredGraph) -> Option<Histogram> {
    let n = g.n();
    let mut h = Histogram::new();
    for x in 0..n {
        let row = g.row(x);
        let from = if g.is_symmetric() { x + 1 } else { 0 };
        // Runs of one colour (the background, mostly) are counted at once.
        let mut run: Option<(u32, u64)> = None;
        for (y, &c) in row.iter().enumerate().skip(from) {
            if y == x {
                continue;
            }
            match &mut run {
                Some((rc, k)) if *rc == c => *k += 1,
                _ => {
                    if let Some((rc, k)) = run.take()
                        && !h.add(rc, k)
                    {
                        return None;
                    }
                    run = Some((c, 1));
                }
            }
        }
        if let Some((rc, k)) = run
            && !h.add(rc, k)
        {
            return None;
        }
    }
    Some(h)
}

/// The background colour and the id of every other colour (sorted `(colour, id)`).
fn colour_ids(h: &Histogram) -> (Option<u32>, Vec<(u32, u32)>) {
    let counts = h.sorted();
    // Most frequent; ties to the smallest colour (label-invariant either way).
    let background = counts
        .iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|c| c.0);
    let mut ids = Vec::with_capacity(counts.len());
    let mut next = 1u32;
    for &(c, _) in &counts {
        if Some(c) != background {
            ids.push((c, next));
            next += 1;
        }
    }
    (background, ids)
}

/// The id of colour `c` (0 for the background).
#[inline]
fn id_of(ids: &[(u32, u32)], c: u32) -> u32 {
    ids.binary_search_by_key(&c, |x| x.0)
        .map_or(0, |i| ids[i].1)
}

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

/// `lab`/`ptn` for `classes` consecutive copies of the vertex set (copy `k` holds
/// vertices `k·n..(k+1)·n`), each coloured by the cells of `part`, copies apart.
fn colouring(part: &Partition, classes: usize) -> (Vec<c_int>, Vec<c_int>) {
    let n = part.n();
    let starts = part.cell_starts();
    let mut lab = Vec::with_capacity(classes * n);
    let mut ptn = Vec::with_capacity(classes * n);
    for k in 0..classes {
        for &s in &starts {
            let cell = part.cell(s);
            lab.extend(cell.iter().map(|&x| (k * n + x as usize) as c_int));
            ptn.extend(std::iter::repeat_n(1, cell.len() - 1));
            ptn.push(0);
        }
    }
    (lab, ptn)
}

/// The layered graph of `g` (see the module docs) with its colouring from `part`; its
/// vertices `0..n` are `g`'s. Gives up when there are too many colours or when the
/// layered graph would have more than `max_arcs` arcs (`O(n²)` to find out).
pub(crate) fn encode(
    g: &ColouredGraph,
    part: &Partition,
    max_arcs: u64,
) -> Result<SparseGraph, TooLarge> {
    let n = g.n();
    let h = histogram(g).ok_or(TooLarge::Colours)?;
    let (_, ids) = colour_ids(&h);
    let layers = layers_for(ids.len());
    let symmetric = g.is_symmetric();
    // Arcs: both directions of every layered edge, plus the links between copies.
    let counts = h.sorted();
    let coloured: u64 = counts
        .iter()
        .map(|&(c, k)| k * id_of(&ids, c).count_ones() as u64)
        .sum();
    let (classes, links) = if symmetric {
        (layers, (layers - 1) * n)
    } else {
        (2 * layers + 1, 2 * layers * n)
    };
    let arcs = 2 * (coloured + links as u64);
    let nv = classes * n;
    if arcs > max_arcs || nv > MAX_VERTICES {
        return Err(TooLarge::Arcs(arcs));
    }
    let mut edges: Vec<(u32, u32)> = Vec::with_capacity((arcs / 2) as usize);
    let copy = |k: usize, x: usize| (k * n + x) as u32;
    for x in 0..n {
        let row = g.row(x);
        let from = if symmetric { x + 1 } else { 0 };
        for (y, &c) in row.iter().enumerate().skip(from) {
            if y == x {
                continue;
            }
            let id = id_of(&ids, c);
            let mut bits = id;
            while bits != 0 {
                let b = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                edges.push(if symmetric {
                    (copy(b, x), copy(b, y))
                } else {
                    // out-copy of x in layer b, in-copy of y in layer b.
                    (copy(1 + 2 * b, x), copy(2 + 2 * b, y))
                });
            }
        }
    }
    for x in 0..n {
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
    let (v, d, e) = csr(nv, &edges);
    let (lab, ptn) = colouring(part, classes);
    Ok(SparseGraph { v, d, e, lab, ptn })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_follow_the_number_of_colours() {
        assert_eq!(layers_for(0), 1);
        assert_eq!(layers_for(1), 1);
        assert_eq!(layers_for(2), 2);
        assert_eq!(layers_for(3), 2);
        assert_eq!(layers_for(4), 3);
        assert_eq!(layers_for(7), 3);
    }

    #[test]
    fn the_background_is_the_most_frequent_colour_and_ids_ascend() {
        let mut h = Histogram::new();
        for (c, k) in [(9u32, 4u64), (3, 10), (5, 1), (7, 10)] {
            assert!(h.add(c, k));
        }
        let (bg, ids) = colour_ids(&h);
        assert_eq!(bg, Some(3), "ties go to the smallest colour");
        assert_eq!(ids, vec![(5, 1), (7, 2), (9, 3)]);
        assert_eq!(id_of(&ids, 3), 0);
        assert_eq!(id_of(&ids, 9), 3);
        // Many colours: the table grows and keeps every count.
        let mut h = Histogram::new();
        for c in 0..10_000u32 {
            assert!(h.add(c * 7919, u64::from(c % 5) + 1));
        }
        assert_eq!(h.sorted().len(), 10_000);
        assert!(
            h.sorted()
                .iter()
                .all(|&(c, k)| k == u64::from(c / 7919 % 5) + 1)
        );
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
        let part = Partition::by_colours(&[0; 4]);
        let s = encode(&g, &part, u64::MAX).unwrap();
        assert_eq!(s.v.len(), 8);
        // Colour 1 → id 1 (layer 0 only), colour 2 → id 2 (layer 1 only): 2 + 2 edges,
        // plus 4 vertical links, both directions.
        assert_eq!(s.e.len(), 2 * (4 + 4));
        assert_eq!(s.ptn.iter().filter(|&&p| p == 0).count(), 2);
        assert!(encode(&g, &part, 8).is_err());
    }
}
