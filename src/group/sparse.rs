//! The coloured graph as sparse lists: the *background* colour (the most frequent
//! off-diagonal one, usually "no edge") is left out, every other pair is listed at
//! both ends with its colour. Built in two passes over the colour matrix; after that,
//! verifying an automorphism, finding twins and components, and the layered graph for
//! Traces cost time in the number of listed pairs, not `n²`.

use crate::group::refine::ColouredGraph;

/// Most distinct non-background colours handled (17 bits of colour id); more leave
/// the graph to the dense method.
pub(crate) const MAX_COLOURS: usize = 1 << 17;

/// Counts of the off-diagonal colours: an open-addressing table (colours are opaque
/// `u32`s, usually few).
struct Histogram {
    keys: Vec<u32>,
    counts: Vec<u64>,
    used: Vec<bool>,
    len: usize,
}

impl Histogram {
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
        let mut s = (crate::group::refine::mix64(c as u64) as usize) & mask;
        while self.used[s] && self.keys[s] != c {
            s = (s + 1) & mask;
        }
        s
    }

    /// Adds `count` to colour `c`; false once there are too many colours.
    #[inline]
    fn add(&mut self, c: u32, count: u64) -> bool {
        let mut s = self.slot(c);
        if !self.used[s] {
            if self.len > MAX_COLOURS {
                return false;
            }
            self.used[s] = true;
            self.keys[s] = c;
            self.len += 1;
            if 2 * self.len > self.keys.len() {
                self.grow();
                s = self.slot(c);
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

/// Colours are compared this many at a time where a row is mostly one colour.
const BLOCK: usize = 16;

/// True if every entry of `block` is `c` (one vectorised pass, no early exit).
#[inline]
fn all_equal(block: &[u32], c: u32) -> bool {
    block.iter().fold(0, |acc, &x| acc | (x ^ c)) == 0
}

/// Calls `f(colour, count)` for each run of equal colours in `row`, in order, until
/// `f` returns false (then returns false). Blocks of [`BLOCK`] entries that continue
/// the current run are counted at once, so the background of a sparse row costs one
/// vectorised comparison per block; a block with a change is walked entry by entry.
pub(crate) fn for_each_run(row: &[u32], mut f: impl FnMut(u32, u64) -> bool) -> bool {
    let Some(&first) = row.first() else {
        return true;
    };
    let (mut colour, mut count) = (first, 0u64);
    for block in row.chunks(BLOCK) {
        if all_equal(block, colour) {
            count += block.len() as u64;
            continue;
        }
        for &c in block {
            if c == colour {
                count += 1;
            } else {
                if !f(colour, count) {
                    return false;
                }
                (colour, count) = (c, 1);
            }
        }
    }
    f(colour, count)
}

/// Counts the colours of the off-diagonal pairs (unordered pairs when symmetric).
fn histogram(g: &ColouredGraph) -> Option<Histogram> {
    let n = g.n();
    let mut h = Histogram::with_slots(64);
    for x in 0..n {
        let row = g.row(x);
        // Runs of one colour (the background, mostly) are counted at once.
        let mut add = |c: u32, k: u64| h.add(c, k);
        let ok = if g.is_symmetric() {
            for_each_run(&row[x + 1..], &mut add)
        } else {
            for_each_run(&row[..x], &mut add) && for_each_run(&row[x + 1..], &mut add)
        };
        if !ok {
            return None;
        }
    }
    Some(h)
}

/// One direction of listed pairs, compressed by row.
#[derive(Clone, Debug, Default)]
struct Lists {
    start: Vec<usize>,
    nbr: Vec<u32>,
    colour: Vec<u32>,
}

impl Lists {
    #[inline]
    fn of(&self, v: usize) -> impl Iterator<Item = (usize, u32)> + '_ {
        let r = self.start[v]..self.start[v + 1];
        self.nbr[r.clone()]
            .iter()
            .zip(&self.colour[r])
            .map(|(&x, &c)| (x as usize, c))
    }

    fn degree(&self, v: usize) -> usize {
        self.start[v + 1] - self.start[v]
    }
}

/// The sparse view of a [`ColouredGraph`] (see the module docs).
pub(crate) struct Adjacency<'g> {
    graph: &'g ColouredGraph,
    background: u32,
    /// Pairs `v → x` not of the background colour, per `v` (both ends of every pair
    /// when the colouring is symmetric).
    out: Lists,
    /// Pairs `x → v` not of the background colour, per `v` (directed colourings).
    inc: Option<Lists>,
    /// The non-background colours, ascending, with their ids `1..=k`.
    ids: Vec<(u32, u32)>,
}

/// Why no sparse view was built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dense {
    /// More than [`MAX_COLOURS`] colours.
    Colours,
    /// More listed pairs than allowed.
    Pairs,
}

impl<'g> Adjacency<'g> {
    /// Builds the view, unless there are too many colours or more than `max_pairs`
    /// listed pairs (then the dense method is the better one).
    pub fn new(graph: &'g ColouredGraph, max_pairs: u64) -> Result<Self, Dense> {
        let n = graph.n();
        let hist = histogram(graph).ok_or(Dense::Colours)?;
        let counts = hist.sorted();
        // Most frequent; ties to the smallest colour (label-invariant either way).
        let background = counts
            .iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            .map_or(0, |c| c.0);
        let listed: u64 = counts
            .iter()
            .filter(|c| c.0 != background)
            .map(|c| c.1)
            .sum();
        if listed > max_pairs {
            return Err(Dense::Pairs);
        }
        let ids: Vec<(u32, u32)> = counts
            .iter()
            .filter(|c| c.0 != background)
            .enumerate()
            .map(|(k, c)| (c.0, k as u32 + 1))
            .collect();
        let out = lists(n, |v| graph.row(v), background);
        let inc = graph
            .inc_row(0)
            .map(|_| lists(n, |v| graph.inc_row(v).unwrap_or(&[]), background));
        Ok(Self {
            graph,
            background,
            out,
            inc,
            ids,
        })
    }

    /// Number of vertices.
    pub fn n(&self) -> usize {
        self.graph.n()
    }

    /// True when every pair has one colour both ways.
    pub fn is_symmetric(&self) -> bool {
        self.inc.is_none()
    }

    /// The background colour.
    pub fn background(&self) -> u32 {
        self.background
    }

    /// Number of non-background colours.
    pub fn colours(&self) -> usize {
        self.ids.len()
    }

    /// The id (`1..=k`) of a non-background colour, 0 for the background.
    #[inline]
    pub fn id(&self, c: u32) -> u32 {
        self.ids
            .binary_search_by_key(&c, |x| x.0)
            .map_or(0, |i| self.ids[i].1)
    }

    /// Listed pairs `v → x` with their colours.
    #[inline]
    pub fn out(&self, v: usize) -> impl Iterator<Item = (usize, u32)> + '_ {
        self.out.of(v)
    }

    /// Listed pairs `x → v` (directed colourings; empty when symmetric).
    #[inline]
    pub fn inc(&self, v: usize) -> impl Iterator<Item = (usize, u32)> + '_ {
        self.inc.iter().flat_map(move |l| l.of(v))
    }

    /// True if `image` (a permutation as image list) preserves every vertex and pair
    /// colour. Reads only the listed pairs of moved vertices: every listed pair at a
    /// moved vertex must go to a pair of its colour; the map is a bijection on the
    /// pairs touching moved vertices, so background pairs then go to background pairs.
    pub fn is_automorphism(&self, image: &[u32]) -> bool {
        let n = self.n();
        if image.len() != n {
            return false;
        }
        let g = self.graph;
        let mut seen = vec![false; n];
        for (i, &gi) in image.iter().enumerate() {
            let gi = gi as usize;
            if gi >= n || std::mem::replace(&mut seen[gi], true) {
                return false;
            }
            if gi == i {
                continue;
            }
            if g.vertex_colour(gi) != g.vertex_colour(i) {
                return false;
            }
            let grow = g.row(gi);
            if !self.out(i).all(|(j, c)| grow[image[j] as usize] == c) {
                return false;
            }
            if let Some(ginc) = g.inc_row(gi)
                && !self.inc(i).all(|(j, c)| ginc[image[j] as usize] == c)
            {
                return false;
            }
        }
        true
    }

    /// True if `a` and `b` are twins: the transposition `(a b)` preserves every colour
    /// (time in their numbers of listed pairs).
    pub fn swaps_twins(&self, a: usize, b: usize) -> bool {
        let g = self.graph;
        if a == b {
            return true;
        }
        if g.vertex_colour(a) != g.vertex_colour(b) || g.row(a)[b] != g.row(b)[a] {
            return false;
        }
        let swap = |j: usize| {
            if j == a {
                b
            } else if j == b {
                a
            } else {
                j
            }
        };
        let (ra, rb) = (g.row(a), g.row(b));
        // Each listed pair at one end has its image at the other, and the lists have
        // equal lengths, so no background pair maps onto a listed one.
        let out_ok = self.out.degree(a) == self.out.degree(b)
            && self.out(a).all(|(j, c)| rb[swap(j)] == c)
            && self.out(b).all(|(j, c)| ra[swap(j)] == c);
        let in_ok = match (g.inc_row(a), g.inc_row(b)) {
            (Some(ia), Some(ib)) => {
                self.inc
                    .as_ref()
                    .is_some_and(|l| l.degree(a) == l.degree(b))
                    && self.inc(a).all(|(j, c)| ib[swap(j)] == c)
                    && self.inc(b).all(|(j, c)| ia[swap(j)] == c)
            }
            _ => true,
        };
        out_ok && in_ok
    }

    /// Connected components (weak, for directed colourings) of the listed pairs: a
    /// component id per vertex, ids in order of their smallest vertex, and the count.
    pub fn components(&self) -> (Vec<u32>, usize) {
        let n = self.n();
        let mut comp = vec![u32::MAX; n];
        let mut count = 0u32;
        let mut stack = Vec::new();
        for s in 0..n {
            if comp[s] != u32::MAX {
                continue;
            }
            comp[s] = count;
            stack.push(s);
            while let Some(v) = stack.pop() {
                for (x, _) in self.out(v).chain(self.inc(v)) {
                    if comp[x] == u32::MAX {
                        comp[x] = count;
                        stack.push(x);
                    }
                }
            }
            count += 1;
        }
        (comp, count as usize)
    }
}

/// The listed pairs of every row (`row(v)[x]` is the colour of the pair at `v` and
/// `x`; the diagonal is never listed).
fn lists<'a>(n: usize, row: impl Fn(usize) -> &'a [u32], background: u32) -> Lists {
    let mut start = Vec::with_capacity(n + 1);
    let mut nbr = Vec::new();
    let mut colour = Vec::new();
    start.push(0);
    for v in 0..n {
        // Blocks all of the background colour (most of a sparse row) are skipped.
        for (b, block) in row(v).chunks(BLOCK).enumerate() {
            if all_equal(block, background) {
                continue;
            }
            for (k, &c) in block.iter().enumerate() {
                let x = b * BLOCK + k;
                if c != background && x != v {
                    nbr.push(x as u32);
                    colour.push(c);
                }
            }
        }
        start.push(nbr.len());
    }
    Lists { start, nbr, colour }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_found_across_blocks() {
        // Runs shorter and longer than a block, starting anywhere in one.
        let mut row = vec![7u32; 40];
        row[3] = 1;
        row.extend([2u32; 5]);
        row.extend([7u32; 33]);
        row.push(9);
        let mut runs = Vec::new();
        assert!(for_each_run(&row, |c, k| {
            runs.push((c, k));
            true
        }));
        let expected: Vec<(u32, u64)> = row
            .chunk_by(|a, b| a == b)
            .map(|r| (r[0], r.len() as u64))
            .collect();
        assert_eq!(runs, expected);
        // Stopping early.
        let mut seen = 0;
        assert!(!for_each_run(&row, |_, _| {
            seen += 1;
            seen < 2
        }));
        assert_eq!(seen, 2);
        assert!(for_each_run(&[], |_, _| false));
    }

    #[test]
    fn the_histogram_grows_and_keeps_every_count() {
        let mut h = Histogram::with_slots(64);
        for c in 0..10_000u32 {
            assert!(h.add(c * 7919, u64::from(c % 5) + 1));
        }
        let s = h.sorted();
        assert_eq!(s.len(), 10_000);
        assert!(s.iter().all(|&(c, k)| k == u64::from(c / 7919 % 5) + 1));
    }

    /// A weighted path 0 – 1 – 2 (weights 5, 7) plus an isolated vertex 3.
    #[test]
    fn pairs_components_and_automorphisms() {
        let n = 4;
        let mut out = vec![0u32; n * n];
        for (a, b, c) in [(0, 1, 5), (1, 2, 7)] {
            out[a * n + b] = c;
            out[b * n + a] = c;
        }
        let g = ColouredGraph::new(n, out, vec![0; n]).unwrap();
        let adj = Adjacency::new(&g, u64::MAX).unwrap();
        assert_eq!(adj.background(), 0);
        assert_eq!(
            (adj.colours(), adj.id(5), adj.id(7), adj.id(0)),
            (2, 1, 2, 0)
        );
        assert_eq!(adj.out(1).collect::<Vec<_>>(), vec![(0, 5), (2, 7)]);
        assert_eq!(adj.components(), (vec![0, 0, 0, 1], 2));
        assert!(adj.is_automorphism(&[0, 1, 2, 3]));
        // Swapping the ends changes the weights' positions.
        assert!(!adj.is_automorphism(&[2, 1, 0, 3]));
        assert!(!adj.is_automorphism(&[3, 1, 2, 0]));
        assert!(!adj.is_automorphism(&[0, 0, 2, 3]));
        assert!(Adjacency::new(&g, 1).is_err());
    }
}
