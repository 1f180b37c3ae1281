//! Bases and strong generating sets (BSGS) by the deterministic Schreier–Sims
//! algorithm (Seress 2003, ch. 4; Holt–Eick–O'Brien 2005, §4.4): the group order
//! from the basic orbit lengths, membership by sifting, orbits, uniformly random
//! elements and the elements themselves on demand — never by enumerating the group
//! to learn its size.

use rand::Rng;

use super::GroupOrder;
use crate::perm::Permutation;

/// A stabiliser chain `G = G₀ ≥ G₁ ≥ … ≥ G_k = 1` with `G_i` the pointwise
/// stabiliser of `base[0..i]`.
#[derive(Clone, Debug)]
pub struct Bsgs {
    n: usize,
}

impl Bsgs {
    /// Schreier–Sims on `gens` (permutations of `0..n`). `base_prefix` points come
    /// first in the base, in that order (pass `&[]` for no preference).
    pub fn from_generators(n: usize, gens: &[Permutation], base_prefix: &[usize]) -> Self {
        let _ = (gens, base_prefix);
        todo!("helper: Schreier–Sims ({n})")
    }

    /// Trusts that `strong_gens` is a strong generating set relative to `base`
    /// (as individualisation–refinement produces) and builds the chain without
    /// sifting Schreier generators.
    pub fn from_base_and_strong_generators(
        n: usize,
        base: &[usize],
        strong_gens: &[Permutation],
    ) -> Self {
        let _ = (base, strong_gens);
        todo!("helper ({n})")
    }

    /// Degree `n`.
    pub fn degree(&self) -> usize {
        self.n
    }

    /// `|G|`, the product of the basic orbit lengths.
    pub fn order(&self) -> GroupOrder {
        todo!()
    }

    /// The base.
    pub fn base(&self) -> &[usize] {
        todo!()
    }

    /// The strong generators (every level's generators, deduplicated).
    pub fn strong_generators(&self) -> Vec<Permutation> {
        todo!()
    }

    /// Lengths of the basic orbits, level by level.
    pub fn basic_orbit_lengths(&self) -> Vec<usize> {
        todo!()
    }

    /// True if `p` is an element of the group (sifting).
    pub fn contains(&self, p: &Permutation) -> bool {
        let _ = p;
        todo!()
    }

    /// The orbits of `G` on `0..n` with at least two points, each sorted, ordered by
    /// their smallest point.
    pub fn orbits(&self) -> Vec<Vec<usize>> {
        todo!()
    }

    /// A uniformly random element (a random coset representative per level).
    pub fn random_element<R: Rng + ?Sized>(&self, rng: &mut R) -> Permutation {
        let _ = rng;
        todo!()
    }

    /// Every element exactly once, identity first, produced on demand.
    pub fn elements(&self) -> impl Iterator<Item = Permutation> + '_ {
        std::iter::empty()
    }
}
