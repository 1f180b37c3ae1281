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
const MAX_TIME: Duration = Duration::from_secs(2);

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

/// Why a closure did not complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosureFailure {
    /// More elements than the bounds allow.
    TooLarge,
    /// An element failed the caller's check (e.g. its error is far too large).
    Rejected,
}

/// The closure `⟨gens⟩` (identity included), or `None` if it exceeds the bounds.
pub fn closure(gens: &[Permutation]) -> Option<HashSet<Permutation>> {
    closure_checked(gens, &|_| true).ok()
}

/// The closure `⟨gens⟩`, failing as soon as an element fails `check` or the
/// bounds (100 000 elements, 20 M stored entries, 3 s) are exceeded.
pub fn closure_checked(
    gens: &[Permutation],
    check: &dyn Fn(&Permutation) -> bool,
) -> Result<HashSet<Permutation>, ClosureFailure> {
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
                    return Err(ClosureFailure::TooLarge);
                }
                if !x.is_identity() && !check(&x) {
                    return Err(ClosureFailure::Rejected);
                }
                set.insert(x.clone());
                frontier.push(x);
            }
        }
    }
    Ok(set)
}

/// Greedy generating set of `elements` (taken in the given order: an element
/// joins when it is not yet generated and every element of the enlarged
/// closure passes `check` and stays within the bounds), and the order of the
/// group they generate (`None` if the analysis ran out of time).
pub fn analyse(
    elements: &[Permutation],
    tolerance: f64,
    check: &dyn Fn(&Permutation) -> bool,
) -> GroupSummary {
    let mut generators: Vec<Permutation> = Vec::new();
    let mut current: HashSet<Permutation> = HashSet::new();
    let mut complete = true;
    let mut rejected = 0;
    let begin = Instant::now();
    for e in elements {
        if e.is_identity() || current.contains(e) {
            continue;
        }
        generators.push(e.clone());
        match closure_checked(&generators, check) {
            Ok(c) => current = c,
            Err(_) if begin.elapsed() > MAX_TIME => {
                generators.pop();
                complete = false;
                break;
            }
            Err(_) => {
                // Spurious (or a group too large to list): leave it out.
                generators.pop();
                rejected += 1;
                if rejected >= 16 {
                    break;
                }
            }
        }
    }
    let order = (complete && !generators.is_empty()).then_some(current.len());
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
        let g = analyse(&elems, 0.0, &|_| true);
        assert_eq!(g.order, Some(12));
        assert_eq!(g.generators.len(), 1);
        let refl = Permutation::from_images((0..n).map(|i| (n - i) % n).collect()).unwrap();
        let mut with_refl = elems.clone();
        with_refl.push(refl);
        let g = analyse(&with_refl, 0.0, &|_| true);
        assert_eq!(g.order, Some(24));
        assert_eq!(g.generators.len(), 2);
        // A check that rejects reflections keeps only the rotations.
        let g = analyse(&with_refl, 0.0, &|p| {
            p.image(0) + p.image(1) != n + 1 && p.image(1) != p.image(0) + n - 1
        });
        assert_eq!(g.order, Some(12));
    }
}
