//! Colour refinement of weighted (directed, vertex-coloured) graphs: ordered
//! partitions refined to equitable ones, isomorphism-invariantly.
//!
//! A [`ColouredGraph`] holds one opaque `u32` colour per ordered pair `(i, j)` (equal
//! colours ⇔ equal weight classes) and one `u64` colour per vertex. A [`Partition`]
//! is an ordered partition of the vertices (nauty's `lab` array with cell
//! boundaries). [`Refiner::refine`] makes it equitable: within each cell, every
//! vertex sees every cell `X` with the same multiset of pair colours
//! `(colour(v→x), colour(x→v))`, `x ∈ X`.
//!
//! The multiset is summarised by a commutative hash `h(v, X) = Σ_x mix(…)`
//! (wrapping sum). It is label-invariant, so isomorphic partitions refine to
//! isomorphic partitions; a collision can only leave a cell coarser, never split
//! it wrongly, and the caller verifies every candidate automorphism in full. The
//! sum is additive over disjoint sets, which is what makes Hopcroft's "skip the
//! largest fragment" rule sound: `h(v, largest) = h(v, Y) − Σ h(v, others)`.
//!
//! Every splitter step appends one hash of what it did to a trace; two nodes of
//! the search tree whose traces differ cannot be mapped to each other by an
//! automorphism, which is what the search prunes on.

mod graph;
#[cfg(test)]
mod tests;

use std::collections::VecDeque;

pub use graph::ColouredGraph;
pub(crate) use graph::is_symmetric;

use crate::cancel::CancelToken;

/// The refinement (or search) was cancelled through its [`CancelToken`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cancelled;

/// SplitMix64's finaliser: a cheap, well-mixing bijection on `u64`.
#[inline]
pub fn mix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Order-dependent fold of a sequence into one hash (for traces).
#[inline]
fn fold(acc: u64, x: u64) -> u64 {
    mix64(acc.rotate_left(23) ^ x)
}

/// An ordered partition of `0..n`: cells are contiguous runs of `lab`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Partition {
    /// `lab[p]` = vertex at position `p`.
    lab: Vec<u32>,
    /// `pos[v]` = position of vertex `v`.
    pos: Vec<u32>,
    /// `start[p]` = first position of the cell holding position `p`.
    start: Vec<u32>,
    /// `len[s]` = size of the cell starting at `s` (meaningful at cell starts only).
    len: Vec<u32>,
    cells: usize,
}

impl Partition {
    /// The partition into colour classes, cells ordered by colour ascending (a
    /// label-invariant order).
    pub fn by_colours(colours: &[u64]) -> Self {
        let n = colours.len();
        let mut lab: Vec<u32> = (0..n as u32).collect();
        lab.sort_by_key(|&v| colours[v as usize]);
        let mut pos = vec![0u32; n];
        let mut start = vec![0u32; n];
        let mut len = vec![0u32; n];
        let mut cells = 0;
        let mut s = 0;
        while s < n {
            let c = colours[lab[s] as usize];
            let mut e = s;
            while e < n && colours[lab[e] as usize] == c {
                pos[lab[e] as usize] = e as u32;
                start[e] = s as u32;
                e += 1;
            }
            len[s] = (e - s) as u32;
            cells += 1;
            s = e;
        }
        Self {
            lab,
            pos,
            start,
            len,
            cells,
        }
    }

    /// The partition of a first-path level, rebuilt from the leaf below it: cells
    /// only ever split inside their own position range, so the cells at `level`
    /// are the runs of `leaf` between positions whose `created[p]` (the level at
    /// which a cell first started at `p`) is at most `level`. This is how the first
    /// path is stored in `O(n)` rather than one partition per level.
    pub fn from_leaf(leaf: &[u32], created: &[u32], level: u32) -> Self {
        let n = leaf.len();
        let mut pos = vec![0u32; n];
        for (p, &v) in leaf.iter().enumerate() {
            pos[v as usize] = p as u32;
        }
        let mut start = vec![0u32; n];
        let mut len = vec![0u32; n];
        let mut cells = 0;
        let mut s = 0;
        for p in 0..n {
            if p == 0 || created[p] <= level {
                if p > 0 {
                    len[s] = (p - s) as u32;
                }
                s = p;
                cells += 1;
            }
            start[p] = s as u32;
        }
        if n > 0 {
            len[s] = (n - s) as u32;
        }
        Self {
            lab: leaf.to_vec(),
            pos,
            start,
            len,
            cells,
        }
    }

    /// Number of vertices.
    pub fn n(&self) -> usize {
        self.lab.len()
    }

    /// The vertices in position order.
    pub fn lab(&self) -> &[u32] {
        &self.lab
    }

    /// Number of cells.
    pub fn cells(&self) -> usize {
        self.cells
    }

    /// True if every cell is a single vertex (a leaf of the search tree).
    pub fn is_discrete(&self) -> bool {
        self.cells == self.lab.len()
    }

    /// Starting positions of all cells, in order.
    pub fn cell_starts(&self) -> Vec<usize> {
        let mut out = Vec::with_capacity(self.cells);
        let mut s = 0;
        while s < self.lab.len() {
            out.push(s);
            s += self.len[s] as usize;
        }
        out
    }

    /// The vertices of the cell starting at position `s`.
    pub fn cell(&self, s: usize) -> &[u32] {
        &self.lab[s..s + self.len[s] as usize]
    }

    /// Start of the cell holding vertex `v`.
    pub fn cell_of(&self, v: usize) -> usize {
        self.start[self.pos[v] as usize] as usize
    }

    /// The target cell for individualisation: the first smallest non-singleton cell
    /// (label-invariant: it depends only on the cell structure). `None` if discrete.
    pub fn target_cell(&self) -> Option<usize> {
        let mut best: Option<(u32, usize)> = None;
        let mut s = 0;
        while s < self.lab.len() {
            let l = self.len[s];
            if l > 1 && best.is_none_or(|(bl, _)| l < bl) {
                best = Some((l, s));
                if l == 2 {
                    break;
                }
            }
            s += l as usize;
        }
        best.map(|(_, s)| s)
    }

    /// Splits `v` off its cell as a singleton placed first (the rest keeps the
    /// cell's positions after it). Returns the singleton's position, the splitter to
    /// refine with. `v` must lie in a non-singleton cell.
    pub fn individualise(&mut self, v: usize) -> usize {
        let p = self.pos[v] as usize;
        let s = self.start[p] as usize;
        let l = self.len[s] as usize;
        debug_assert!(l > 1, "individualising a singleton");
        let u = self.lab[s] as usize;
        self.lab.swap(s, p);
        self.pos[u] = p as u32;
        self.pos[v] = s as u32;
        self.len[s] = 1;
        self.len[s + 1] = (l - 1) as u32;
        for q in s + 1..s + l {
            self.start[q] = (s + 1) as u32;
        }
        self.cells += 1;
        s
    }
}

/// Scratch space for refinement, reused across calls (no per-node allocation of
/// anything larger than O(n)).
pub struct Refiner<'g> {
    graph: &'g ColouredGraph,
    cancel: &'g CancelToken,
    queue: VecDeque<u32>,
    in_queue: Vec<bool>,
    splitter: Vec<u32>,
    verts: Vec<u32>,
    cell_list: Vec<u32>,
    h: Vec<u64>,
    pairs: Vec<(u64, u32)>,
}

impl<'g> Refiner<'g> {
    /// A refiner for `graph`, checking `cancel` between (and within long) splitter steps.
    pub fn new(graph: &'g ColouredGraph, cancel: &'g CancelToken) -> Self {
        let n = graph.n();
        Self {
            graph,
            cancel,
            queue: VecDeque::new(),
            in_queue: vec![false; n],
            splitter: Vec::new(),
            verts: Vec::new(),
            cell_list: Vec::new(),
            h: Vec::new(),
            pairs: Vec::new(),
        }
    }

    /// Refines `p` to the coarsest equitable partition finer than it, starting from
    /// the splitter cells at positions `splitters` (all cells for an unrefined
    /// partition; the new singleton after an individualisation of an equitable one).
    ///
    /// Appends one hash per splitter step to `trace`. With `expected` (the trace of
    /// the node this one is compared against), stops as soon as the traces differ
    /// and returns `Ok(false)`; `Ok(true)` means the traces agree (or none was
    /// given).
    pub fn refine(
        &mut self,
        p: &mut Partition,
        splitters: &[usize],
        trace: &mut Vec<u64>,
        expected: Option<&[u64]>,
    ) -> Result<bool, Cancelled> {
        for &s in splitters {
            if !self.in_queue[s] {
                self.in_queue[s] = true;
                self.queue.push_back(s as u32);
            }
        }
        let first = trace.len();
        let mut agrees = true;
        while let Some(xs) = self.queue.pop_front() {
            if self.cancel.is_cancelled() {
                self.clear_queue();
                return Err(Cancelled);
            }
            self.in_queue[xs as usize] = false;
            if p.is_discrete() {
                continue;
            }
            let step = match self.split_by(p, xs as usize) {
                Ok(step) => step,
                Err(e) => {
                    self.clear_queue();
                    return Err(e);
                }
            };
            let k = trace.len() - first;
            trace.push(step);
            if let Some(exp) = expected
                && exp.get(k) != Some(&step)
            {
                agrees = false;
                break;
            }
        }
        self.clear_queue();
        if let Some(exp) = expected {
            agrees &= exp.len() == trace.len() - first;
        }
        Ok(agrees)
    }

    fn clear_queue(&mut self) {
        for s in self.queue.drain(..) {
            self.in_queue[s as usize] = false;
        }
    }

    /// One splitter step: splits every cell by `h(·, X)` for the cell `X` at `xs`.
    /// Returns the step's trace hash.
    fn split_by(&mut self, p: &mut Partition, xs: usize) -> Result<u64, Cancelled> {
        let n = p.n();
        self.splitter.clear();
        self.splitter.extend_from_slice(p.cell(xs));
        // The vertices of non-singleton cells: singletons cannot split.
        self.verts.clear();
        self.cell_list.clear();
        let mut s = 0;
        while s < n {
            let l = p.len[s] as usize;
            if l > 1 {
                self.cell_list.push(s as u32);
                self.verts.extend_from_slice(&p.lab[s..s + l]);
            }
            s += l;
        }
        self.h.clear();
        self.h.resize(self.verts.len(), 0);
        let long = self.verts.len() >= 4096;
        for &x in &self.splitter {
            let x = x as usize;
            let out = self.graph.row(x);
            match self.graph.inc_row(x) {
                None => {
                    for (h, &v) in self.h.iter_mut().zip(&self.verts) {
                        let c = out[v as usize] as u64;
                        *h = h.wrapping_add(mix64(c << 32 | c));
                    }
                }
                Some(inc) => {
                    for (h, &v) in self.h.iter_mut().zip(&self.verts) {
                        // (colour(v→x), colour(x→v)) = (inc[x][v], out[x][v]).
                        let c = (inc[v as usize] as u64) << 32 | out[v as usize] as u64;
                        *h = h.wrapping_add(mix64(c));
                    }
                }
            }
            if long && self.cancel.is_cancelled() {
                return Err(Cancelled);
            }
        }
        let mut step = fold(0x5EED, xs as u64);
        let mut k0 = 0;
        for ci in 0..self.cell_list.len() {
            let s = self.cell_list[ci] as usize;
            let l = p.len[s] as usize;
            let hs = &self.h[k0..k0 + l];
            step = fold(step, s as u64);
            if hs.iter().all(|&x| x == hs[0]) {
                step = fold(fold(step, hs[0]), l as u64);
            } else {
                step = self.split_cell(p, s, k0, step);
            }
            k0 += l;
        }
        Ok(step)
    }

    /// Splits the cell at `s` (whose hashes are `h[k0..]`) into fragments ordered by
    /// hash, queues fragments by Hopcroft's rule and folds them into `step`.
    fn split_cell(&mut self, p: &mut Partition, s: usize, k0: usize, mut step: u64) -> u64 {
        let l = p.len[s] as usize;
        self.pairs.clear();
        self.pairs.extend(
            self.h[k0..k0 + l]
                .iter()
                .zip(&self.verts[k0..k0 + l])
                .map(|(&h, &v)| (h, v)),
        );
        self.pairs.sort_unstable_by_key(|&(h, _)| h);
        let was_queued = self.in_queue[s];
        let mut largest = (0usize, s);
        let mut f = 0;
        while f < l {
            let hf = self.pairs[f].0;
            let mut e = f;
            while e < l && self.pairs[e].0 == hf {
                let v = self.pairs[e].1;
                p.lab[s + e] = v;
                p.pos[v as usize] = (s + e) as u32;
                p.start[s + e] = (s + f) as u32;
                e += 1;
            }
            p.len[s + f] = (e - f) as u32;
            if e - f > largest.0 {
                largest = (e - f, s + f);
            }
            step = fold(fold(step, hf), (e - f) as u64);
            f = e;
        }
        // Count fragments and queue them: all if the cell was queued (it still must
        // act as a splitter in full), else all but the first largest.
        let mut q = s;
        let mut frags = 0;
        while q < s + l {
            frags += 1;
            let skip = if was_queued { q == s } else { q == largest.1 };
            if !skip && !self.in_queue[q] {
                self.in_queue[q] = true;
                self.queue.push_back(q as u32);
            }
            q += p.len[q] as usize;
        }
        p.cells += frags - 1;
        step
    }
}
