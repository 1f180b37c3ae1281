//! Individualisation–refinement without canonical labelling: a first path to a
//! leaf fixes the base, then, level by level from the bottom, every vertex of the
//! level's target cell not yet known to be in the basic orbit gets a depth-first
//! search of its subtree for a node that the first path maps to by an automorphism.
//!
//! The first path is stored as nauty stores it: its leaf plus, for each position,
//! the level at which a cell first started there ([`Partition::from_leaf`]), so
//! memory stays `O(n)` however deep the path (an all-equal matrix has depth
//! `n − 1`).
//!
//! At every node whose trace matches the first path's, the position-wise map from
//! the first path's partition at that level (laid out in leaf order) to the node's
//! partition is tried as an automorphism before descending: refinement leaves
//! untouched cells in their order, so for twins, complete graphs and other
//! "cheap" symmetries this map is already the generator. Any automorphism found
//! this way fixes the base prefix and maps `base[i]` to `w` (they sit in singleton
//! cells at equal positions), which is all the orbit computation needs. At a leaf
//! the map is the usual leaf-to-leaf test.

use super::ExactGroupError;
use crate::cancel::CancelToken;
use crate::group::refine::{Cancelled, ColouredGraph, Partition, Refiner};

impl From<Cancelled> for ExactGroupError {
    fn from(_: Cancelled) -> Self {
        ExactGroupError::Cancelled
    }
}

/// Why the search stopped early.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum StopReason {
    /// Cancelled by the caller.
    Cancelled,
    /// More than `max_nodes` nodes.
    Budget,
}

impl From<Cancelled> for StopReason {
    fn from(_: Cancelled) -> Self {
        StopReason::Cancelled
    }
}

/// An early stop, with the automorphisms found until then (each verified).
pub(super) struct Stopped {
    pub reason: StopReason,
    pub generators: Vec<Vec<u32>>,
    pub nodes: u64,
}

/// What the search proves: a base, a strong generating set relative to it and the
/// basic orbit lengths.
pub(super) struct Outcome {
    /// The first path's individualised vertices.
    pub base: Vec<usize>,
    /// Automorphisms as image lists, each verified in full.
    pub generators: Vec<Vec<u32>>,
    /// `|G_i · base[i]|` with `G_i` the pointwise stabiliser of `base[..i]`.
    pub orbit_lengths: Vec<usize>,
    /// Search-tree nodes visited.
    pub nodes: u64,
}

/// A level of the first path (the partition itself is rebuilt from the leaf).
struct Level {
    /// Start and size of the cell individualised from (none at the leaf).
    target: Option<(usize, usize)>,
    /// The refinement trace that produced this level from its parent.
    trace: Vec<u64>,
}

/// A node on the depth-first stack of a subtree search.
struct Frame {
    part: Partition,
    level: usize,
    /// The vertex individualised to reach this node (part of the fixed prefix).
    chosen: u32,
    children: Vec<u32>,
    next: usize,
    /// Children whose subtrees held no good node.
    failed: Vec<u32>,
    /// Orbit labels under the known generators fixing this node's prefix, computed
    /// once a second child is considered.
    orbits: Option<Vec<u32>>,
}

struct Search<'g> {
    graph: &'g ColouredGraph,
    refiner: Refiner<'g>,
    cancel: &'g CancelToken,
    max_nodes: u64,
    nodes: u64,
    path: Vec<Level>,
    /// `created[p]`: the first-path level at which a cell first started at `p`.
    created: Vec<u32>,
    base: Vec<u32>,
    leaf: Vec<u32>,
    gens: Vec<Vec<u32>>,
    /// Scratch trace of the node being refined.
    trace: Vec<u64>,
}

/// Runs the search on `graph` (see the module docs).
pub(super) fn search(
    graph: &ColouredGraph,
    max_nodes: u64,
    cancel: &CancelToken,
) -> Result<Outcome, Stopped> {
    let mut s = Search {
        graph,
        refiner: Refiner::new(graph, cancel),
        cancel,
        max_nodes,
        nodes: 0,
        path: Vec::new(),
        created: Vec::new(),
        base: Vec::new(),
        leaf: Vec::new(),
        gens: Vec::new(),
        trace: Vec::new(),
    };
    let done = s.first_path().and_then(|()| s.levels());
    let orbit_lengths = match done {
        Ok(l) => l,
        Err(reason) => {
            return Err(Stopped {
                reason,
                generators: s.gens,
                nodes: s.nodes,
            });
        }
    };
    Ok(Outcome {
        base: s.base.iter().map(|&v| v as usize).collect(),
        generators: s.gens,
        orbit_lengths,
        nodes: s.nodes,
    })
}

impl Search<'_> {
    /// Counts a node; enforces the node budget and the cancel flag.
    fn visit(&mut self) -> Result<(), StopReason> {
        if self.cancel.is_cancelled() {
            return Err(StopReason::Cancelled);
        }
        self.nodes += 1;
        if self.nodes > self.max_nodes {
            return Err(StopReason::Budget);
        }
        Ok(())
    }

    /// Refines the vertex colouring, then individualises the first vertex of the
    /// target cell until the partition is discrete.
    fn first_path(&mut self) -> Result<(), StopReason> {
        let n = self.graph.n();
        let colours: Vec<u64> = (0..n).map(|v| self.graph.vertex_colour(v)).collect();
        let mut part = Partition::by_colours(&colours);
        self.created = vec![u32::MAX; n];
        self.visit()?;
        let mut trace = Vec::new();
        let all = part.cell_starts();
        self.refiner.refine(&mut part, &all, &mut trace, None)?;
        loop {
            let level = self.path.len() as u32;
            for s in part.cell_starts() {
                if self.created[s] == u32::MAX {
                    self.created[s] = level;
                }
            }
            let target = part.target_cell().map(|t| (t, part.cell(t).len()));
            self.path.push(Level { target, trace });
            let Some((t, _)) = target else { break };
            let v = part.cell(t)[0];
            let s = part.individualise(v as usize);
            self.visit()?;
            trace = Vec::new();
            self.refiner.refine(&mut part, &[s], &mut trace, None)?;
            self.base.push(v);
        }
        self.leaf = part.lab().to_vec();
        Ok(())
    }

    /// The basic orbits, bottom level first, finding generators as needed. Going
    /// up, every generator found so far fixes `base[..i]`, so one union–find that
    /// only ever gains generators holds the orbits of the current stabiliser.
    fn levels(&mut self) -> Result<Vec<usize>, StopReason> {
        let k = self.base.len();
        let mut lengths = vec![1; k];
        let mut orbits = UnionFind::new(self.graph.n());
        for i in (0..k).rev() {
            let Some((t, _)) = self.path[i].target else {
                continue;
            };
            let part = Partition::from_leaf(&self.leaf, &self.created, i as u32);
            let cell = part.cell(t).to_vec();
            let b = self.base[i];
            orbits.clear_failed();
            for &w in &cell {
                if orbits.same(w, b) || orbits.is_failed(w) {
                    continue;
                }
                match self.subtree(&part, i, w)? {
                    Some(g) => {
                        orbits.add_generator(&g);
                        self.gens.push(g);
                    }
                    // No automorphism fixing base[..i] maps base[i] to w, nor to
                    // anything in w's orbit.
                    None => orbits.mark_failed(w),
                }
            }
            lengths[i] = orbits.size(b);
        }
        Ok(lengths)
    }

    /// Individualises `w` instead of `base[i]` in the level-`i` partition `part` and
    /// searches that subtree for a node the first path maps to by an automorphism.
    /// Returns that automorphism; `None` proves there is none.
    fn subtree(
        &mut self,
        part: &Partition,
        i: usize,
        w: u32,
    ) -> Result<Option<Vec<u32>>, StopReason> {
        let mut part = part.clone();
        let s = part.individualise(w as usize);
        let mut stack: Vec<Frame> = Vec::new();
        match self.child_node(part, s, i + 1)? {
            Node::Pruned => return Ok(None),
            Node::Found(g) => return Ok(Some(g)),
            Node::Inner(part, t) => stack.push(Frame::new(part, i + 1, w, t)),
        }
        while let Some(top) = stack.len().checked_sub(1) {
            let Some(u) = self.next_child(&mut stack, i) else {
                if let Some(done) = stack.pop()
                    && let Some(parent) = stack.last_mut()
                {
                    parent.failed.push(done.chosen);
                }
                continue;
            };
            let mut part = stack[top].part.clone();
            let level = stack[top].level;
            let s = part.individualise(u as usize);
            match self.child_node(part, s, level + 1)? {
                Node::Pruned => stack[top].failed.push(u),
                Node::Found(g) => return Ok(Some(g)),
                Node::Inner(part, t) => stack.push(Frame::new(part, level + 1, u, t)),
            }
        }
        Ok(None)
    }

    /// The next child of the top frame worth trying: children in the orbit of a
    /// failed sibling under automorphisms fixing the node's prefix fail too (such
    /// an automorphism maps one subtree onto the other, good nodes to good nodes).
    fn next_child(&self, stack: &mut [Frame], i: usize) -> Option<u32> {
        let top = stack.len().checked_sub(1)?;
        loop {
            let f = &stack[top];
            let u = *f.children.get(f.next)?;
            if !f.failed.is_empty() && f.orbits.is_none() {
                let prefix: Vec<u32> = self.base[..i]
                    .iter()
                    .copied()
                    .chain(stack.iter().map(|f| f.chosen))
                    .collect();
                let fixing = self
                    .gens
                    .iter()
                    .filter(|g| prefix.iter().all(|&v| g[v as usize] == v));
                let labels = orbit_labels(self.graph.n(), fixing);
                stack[top].orbits = Some(labels);
            }
            let f = &mut stack[top];
            f.next += 1;
            let pruned = f
                .orbits
                .as_ref()
                .is_some_and(|l| f.failed.iter().any(|&x| l[x as usize] == l[u as usize]));
            if !pruned {
                return Some(u);
            }
        }
    }

    /// Refines a freshly individualised node at `level` against the first path's
    /// trace there, then tries the position-wise map from the first path.
    fn child_node(
        &mut self,
        mut part: Partition,
        s: usize,
        level: usize,
    ) -> Result<Node, StopReason> {
        self.visit()?;
        self.trace.clear();
        let expected = &self.path[level].trace;
        if !self
            .refiner
            .refine(&mut part, &[s], &mut self.trace, Some(expected))?
        {
            return Ok(Node::Pruned);
        }
        let target = self.path[level].target;
        let shape_matches = match target {
            None => part.is_discrete(),
            Some((t, l)) => part.target_cell() == Some(t) && part.cell(t).len() == l,
        };
        if !shape_matches {
            return Ok(Node::Pruned);
        }
        // γ maps the first path's partition (in leaf order) onto this node's,
        // position by position.
        let mut g = vec![0u32; self.leaf.len()];
        for (&a, &b) in self.leaf.iter().zip(part.lab()) {
            g[a as usize] = b;
        }
        Ok(if self.graph.is_automorphism(&g) {
            Node::Found(g)
        } else {
            match target {
                None => Node::Pruned,
                Some((t, _)) => Node::Inner(part, t),
            }
        })
    }
}

/// What a child node turned out to be.
enum Node {
    /// Its trace (or shape) differs from the first path's, or it is a leaf that no
    /// automorphism reaches: nothing good below.
    Pruned,
    /// The first path maps to it by this automorphism.
    Found(Vec<u32>),
    /// An inner node matching the first path, with its target cell's start.
    Inner(Partition, usize),
}

impl Frame {
    fn new(part: Partition, level: usize, chosen: u32, target: usize) -> Self {
        let children = part.cell(target).to_vec();
        Self {
            part,
            level,
            chosen,
            children,
            next: 0,
            failed: Vec::new(),
            orbits: None,
        }
    }
}

/// Orbits of a growing set of generators, with per-orbit sizes and a "known not
/// in the basic orbit" flag that survives merges.
struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
    failed: Vec<bool>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        Self {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
            failed: vec![false; n],
        }
    }

    fn find(&mut self, mut v: u32) -> u32 {
        while self.parent[v as usize] != v {
            let p = self.parent[v as usize];
            self.parent[v as usize] = self.parent[p as usize];
            v = p;
        }
        v
    }

    fn same(&mut self, a: u32, b: u32) -> bool {
        self.find(a) == self.find(b)
    }

    fn size(&mut self, v: u32) -> usize {
        let r = self.find(v);
        self.size[r as usize] as usize
    }

    fn add_generator(&mut self, g: &[u32]) {
        for (v, &gv) in g.iter().enumerate() {
            let (a, b) = (self.find(v as u32), self.find(gv));
            if a != b {
                let (big, small) = if self.size[a as usize] >= self.size[b as usize] {
                    (a, b)
                } else {
                    (b, a)
                };
                self.parent[small as usize] = big;
                self.size[big as usize] += self.size[small as usize];
                self.failed[big as usize] |= self.failed[small as usize];
            }
        }
    }

    fn mark_failed(&mut self, v: u32) {
        let r = self.find(v);
        self.failed[r as usize] = true;
    }

    fn is_failed(&mut self, v: u32) -> bool {
        let r = self.find(v);
        self.failed[r as usize]
    }

    fn clear_failed(&mut self) {
        self.failed.fill(false);
    }
}

/// Orbit labels of the group generated by `gens` on `0..n`: `labels[v]` is the
/// smallest vertex of `v`'s orbit.
pub(crate) fn orbit_labels<'a>(n: usize, gens: impl Iterator<Item = &'a Vec<u32>>) -> Vec<u32> {
    let mut parent: Vec<u32> = (0..n as u32).collect();
    fn find(parent: &mut [u32], mut v: u32) -> u32 {
        while parent[v as usize] != v {
            let p = parent[v as usize];
            parent[v as usize] = parent[p as usize];
            v = p;
        }
        v
    }
    for g in gens {
        for (v, &gv) in g.iter().enumerate() {
            let a = find(&mut parent, v as u32);
            let b = find(&mut parent, gv);
            if a != b {
                let (lo, hi) = if a < b { (a, b) } else { (b, a) };
                parent[hi as usize] = lo;
            }
        }
    }
    (0..n as u32).map(|v| find(&mut parent, v)).collect()
}
