//! Group analysis of the (near-)exact results: closure under composition,
//! a small generating set, and the group order when the closure completes.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::perm::Permutation;

/// Closure is abandoned beyond this many stored image entries (elements × n).
const MAX_ENTRIES: usize = 20_000_000;
/// ... or beyond this many elements.
const MAX_ELEMENTS: usize = 100_000;
/// ... or after this long.
const MAX_TIME: Duration = Duration::from_secs(3);

/// What the results generate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupSummary {
    /// Size of the generated group, `None` when the closure did not complete
    /// within the bounds (100 000 elements, 20 M stored entries, 3 s).
    pub order: Option<usize>,
    /// A small generating set (greedy: a result is added when it is not
    /// already in the closure of the previous ones).
    pub generators: Vec<Permutation>,
    /// The relative-error tolerance below which results were treated as group elements.
    pub tolerance: f64,
}

/// The closure `⟨gens⟩` (identity included), or `None` if it exceeds the bounds.
pub fn closure(gens: &[Permutation]) -> Option<HashSet<Permutation>> {
    let n = gens.first().map_or(0, Permutation::len);
    let max_elements = MAX_ELEMENTS.min(MAX_ENTRIES / n.max(1)).max(1);
    let start = Instant::now();
    let mut set: HashSet<Permutation> = HashSet::new();
    let id = Permutation::identity(n);
    set.insert(id.clone());
    let mut frontier = vec![id];
    while let Some(e) = frontier.pop() {
        for g in gens {
            let x = e.then(g);
            if !set.contains(&x) {
                if set.len() >= max_elements || start.elapsed() > MAX_TIME {
                    return None;
                }
                set.insert(x.clone());
                frontier.push(x);
            }
        }
    }
    Some(set)
}

/// Greedy generating set of `elements` (taken in the given order) and the
/// order of the group they generate (`None` if the closure is too large).
pub fn analyse(elements: &[Permutation], tolerance: f64) -> GroupSummary {
    let mut generators: Vec<Permutation> = Vec::new();
    let mut current: Option<HashSet<Permutation>> = None;
    for e in elements {
        if e.is_identity() {
            continue;
        }
        if let Some(c) = &current
            && c.contains(e)
        {
            continue;
        }
        generators.push(e.clone());
        current = closure(&generators);
        if current.is_none() {
            // Too big to close: keep the generators found so far, order unknown.
            break;
        }
    }
    let order = if generators.is_empty() { None } else { current.as_ref().map(HashSet::len) };
    GroupSummary {
        order,
        generators,
        tolerance,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shift(n: usize, k: usize) -> Permutation {
        Permutation::from_images((0..n).map(|i| (i + k) % n).collect()).unwrap()
    }

    #[test]
    fn cyclic_and_dihedral_groups() {
        let n = 12;
        let elems: Vec<Permutation> = (1..n).map(|k| shift(n, k)).collect();
        let g = analyse(&elems, 0.0);
        assert_eq!(g.order, Some(12));
        assert_eq!(g.generators.len(), 1);
        let refl = Permutation::from_images((0..n).map(|i| (n - i) % n).collect()).unwrap();
        let mut with_refl = elems.clone();
        with_refl.push(refl);
        let g = analyse(&with_refl, 0.0);
        assert_eq!(g.order, Some(24));
        assert_eq!(g.generators.len(), 2);
    }
}
