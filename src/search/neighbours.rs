//! Each node's other nodes by decreasing connection strength, computed once per graph and
//! shared by every growth ([`super::growth`]) the seeded solver ([`super::seeded`]) runs.

use super::objective::Objective;

/// How many mapped neighbours each growth step compares.
pub(crate) const NEIGHBOURS: usize = 24;
/// How many strongest neighbours per node are kept sorted.
const SORTED_NEIGHBOURS: usize = 128;
/// Up to this many nodes every node's whole list is kept (`n²` entries, 64 MiB); above,
/// only the sorted strongest (an `n²` list would weigh as much as `W` itself: 1 GiB
/// at 16,384 nodes).
const FULL_LISTS_MAX_N: usize = 4096;

/// Each node's other nodes by decreasing connection strength `|W[u][m]| + |W[m][u]|`:
/// the strongest [`SORTED_NEIGHBOURS`] in order, then (up to [`FULL_LISTS_MAX_N`]
/// nodes) all the others in no particular order.
pub(crate) struct Neighbours {
    /// Entries kept per node.
    len: usize,
    order: Vec<u32>,
}

impl Neighbours {
    /// Sorts every row once (`O(n² log n)`), shared by all growth runs.
    pub fn compute(obj: &Objective) -> Self {
        let n = obj.n;
        Self::keeping(
            obj,
            if n <= FULL_LISTS_MAX_N {
                n
            } else {
                SORTED_NEIGHBOURS
            },
        )
    }

    /// [`Neighbours::compute`] keeping `len` entries per node (`n` for whole lists):
    /// tests use short lists on small graphs to exercise what large graphs do.
    pub(crate) fn keeping(obj: &Objective, len: usize) -> Self {
        let n = obj.n;
        let len = len.min(n);
        let mut order = Vec::with_capacity(n * len);
        let mut idx: Vec<u32> = Vec::with_capacity(n);
        for u in 0..n {
            let (row, col) = (obj.row(u), obj.col(u));
            idx.clear();
            idx.extend((0..n as u32).filter(|&m| m as usize != u));
            let cmp = |a: &u32, b: &u32| {
                let sa = row[*a as usize].abs() + col[*a as usize].abs();
                let sb = row[*b as usize].abs() + col[*b as usize].abs();
                sb.total_cmp(&sa).then(a.cmp(b))
            };
            // Only the strongest SORTED_NEIGHBOURS need to be in order; growth
            // rarely looks further, and any order is valid beyond them.
            let sorted = SORTED_NEIGHBOURS.min(len);
            if idx.len() > sorted {
                idx.select_nth_unstable_by(sorted, cmp);
                idx[..sorted].sort_by(cmp);
            } else {
                idx.sort_by(cmp);
            }
            if len == n {
                order.extend_from_slice(&idx);
                order.push(u as u32); // pad to n entries: u itself last
            } else {
                order.extend_from_slice(&idx[..len]);
            }
        }
        Self { len, order }
    }

    /// Neighbours of `u`, strongest first (`u` itself last when all are kept).
    #[inline]
    pub fn of(&self, u: usize) -> &[u32] {
        &self.order[u * self.len..(u + 1) * self.len]
    }

    /// True if [`Neighbours::of`] lists every node.
    pub fn complete(&self) -> bool {
        self.order.len() == self.len * self.len
    }
}
