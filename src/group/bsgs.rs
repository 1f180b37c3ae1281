//! Bases and strong generating sets (BSGS) by the deterministic Schreier–Sims
//! algorithm (Seress 2003, ch. 4; Holt–Eick–O'Brien 2005, §4.4): the group order
//! from the basic orbit lengths, membership by sifting, orbits, uniformly random
//! elements and the elements themselves on demand — never by enumerating the group
//! to learn its size.
//!
//! The construction and its costs are described in [`super::schreier`]; the chain
//! itself (shallow Schreier trees, no stored coset representatives) in
//! [`super::chain`].

use rand::Rng;

use super::GroupOrder;
use super::chain::{Perm, is_identity, then};
use super::schreier::{Chain, REP_BUDGET_BYTES, schreier_sims, schreier_sims_bounded};
use super::schreier_random::schreier_sims_to_order;
use crate::perm::Permutation;

/// Why a chain cannot be built from the given permutations.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BsgsError {
    /// A generator's degree differs from the chain's.
    #[error("generator {index} permutes {len} points, but the group acts on {n}")]
    DegreeMismatch {
        /// Position of the generator.
        index: usize,
        /// Its degree.
        len: usize,
        /// The chain's degree.
        n: usize,
    },
    /// A base point is not one of `0..n`.
    #[error("base point {point} is out of range for degree {n}")]
    PointOutOfRange {
        /// The point.
        point: usize,
        /// The degree.
        n: usize,
    },
    /// Points are stored in 32 bits.
    #[error("degree {0} is too large (at most 2^32 - 1 points)")]
    DegreeTooLarge(usize),
}

/// A stabiliser chain `G = G₀ ≥ G₁ ≥ … ≥ G_k = 1` with `G_i` the pointwise
/// stabiliser of `base[0..i]`.
#[derive(Clone, Debug)]
pub struct Bsgs {
    n: usize,
    base: Vec<usize>,
    chain: Chain,
}

/// Image lists in the chain's 32-bit form, after checking degrees.
fn to_perms(n: usize, gens: &[Permutation]) -> Result<Vec<Perm>, BsgsError> {
    if n > u32::MAX as usize {
        return Err(BsgsError::DegreeTooLarge(n));
    }
    gens.iter()
        .enumerate()
        .map(|(index, g)| {
            if g.len() == n {
                Ok(g.images().iter().map(|&x| x as u32).collect())
            } else {
                Err(BsgsError::DegreeMismatch {
                    index,
                    len: g.len(),
                    n,
                })
            }
        })
        .collect()
}

/// Distinct base points in range, in order.
fn to_points(n: usize, points: &[usize]) -> Result<Vec<u32>, BsgsError> {
    let mut out: Vec<u32> = Vec::with_capacity(points.len());
    for &point in points {
        if point >= n {
            return Err(BsgsError::PointOutOfRange { point, n });
        }
        if !out.contains(&(point as u32)) {
            out.push(point as u32);
        }
    }
    Ok(out)
}

/// Back to a [`Permutation`]; the chain only ever holds permutations.
fn to_permutation(p: &[u32]) -> Permutation {
    Permutation::from_images(p.iter().map(|&x| x as usize).collect())
        .expect("the stabiliser chain only composes permutations")
}

impl Bsgs {
    /// Schreier–Sims on `gens` (permutations of `0..n`). `base_prefix` points come
    /// first in the base, in that order (pass `&[]` for no preference).
    ///
    /// # Panics
    /// If a generator is not of degree `n` or a prefix point is `≥ n` (a caller's
    /// bug; [`Bsgs::try_from_generators`] reports it instead).
    pub fn from_generators(n: usize, gens: &[Permutation], base_prefix: &[usize]) -> Self {
        match Self::try_from_generators(n, gens, base_prefix) {
            Ok(b) => b,
            Err(e) => panic!("Bsgs::from_generators: {e}"),
        }
    }

    /// [`Bsgs::from_generators`], reporting inconsistent input as an error.
    pub fn try_from_generators(
        n: usize,
        gens: &[Permutation],
        base_prefix: &[usize],
    ) -> Result<Self, BsgsError> {
        let perms = to_perms(n, gens)?;
        let prefix = to_points(n, base_prefix)?;
        Ok(Self::from_chain(schreier_sims(n, &perms, &prefix)))
    }

    /// [`Bsgs::try_from_generators`] that gives up (`Ok(None)`) as soon as the group is
    /// known to have more than `2^max_order_log2` elements, before paying for the
    /// chain of a huge group (a spurious generator often generates one).
    pub fn try_from_generators_bounded(
        n: usize,
        gens: &[Permutation],
        base_prefix: &[usize],
        max_order_log2: f64,
    ) -> Result<Option<Self>, BsgsError> {
        Self::try_from_generators_bounded_within(
            n,
            gens,
            base_prefix,
            max_order_log2,
            REP_BUDGET_BYTES,
        )
    }

    /// [`Bsgs::try_from_generators_bounded`] that may hold up to `rep_budget_bytes` of
    /// explicit coset representatives while it builds the chain (instead of 192 MiB):
    /// a caller that already holds a dense `n × n` matrix can afford a transitive
    /// level's `u16` rows (`2n²` bytes), with which each Schreier generator costs one
    /// pass over `n` points instead of tree walks of `O(n log n)`. Same chain either way.
    pub fn try_from_generators_bounded_within(
        n: usize,
        gens: &[Permutation],
        base_prefix: &[usize],
        max_order_log2: f64,
        rep_budget_bytes: usize,
    ) -> Result<Option<Self>, BsgsError> {
        let perms = to_perms(n, gens)?;
        let prefix = to_points(n, base_prefix)?;
        Ok(
            schreier_sims_bounded(n, &perms, &prefix, max_order_log2, rep_budget_bytes)
                .map(Self::from_chain),
        )
    }

    /// [`Bsgs::try_from_generators`] for a group whose order is known to better than a
    /// factor of two (`order_log2` = `log2 |⟨gens⟩|`): randomised Schreier–Sims with a
    /// seeded walk, proved complete by the order (see [`super::schreier_random`]), fast
    /// where the deterministic algorithm is slow (long bases: the symmetric group on
    /// hundreds of points, large wreath products). `Ok(None)` if the orbit product
    /// exceeds the given order (it was wrong) or stops growing below it.
    pub fn try_from_generators_of_order(
        n: usize,
        gens: &[Permutation],
        base_prefix: &[usize],
        order_log2: f64,
        seed: u64,
    ) -> Result<Option<Self>, BsgsError> {
        let perms = to_perms(n, gens)?;
        let prefix = to_points(n, base_prefix)?;
        Ok(
            schreier_sims_to_order(n, &perms, &prefix, Some(order_log2), seed)
                .map(Self::from_chain),
        )
    }

    /// A proved lower bound of `|⟨gens⟩|`, fast (randomised Schreier–Sims run until 64
    /// random elements in a row sift to the identity: the bound is then the order with
    /// overwhelming probability, but only the bound is proved).
    pub fn order_lower_bound(
        n: usize,
        gens: &[Permutation],
        seed: u64,
    ) -> Result<GroupOrder, BsgsError> {
        let perms = to_perms(n, gens)?;
        let chain = schreier_sims_to_order(n, &perms, &[], None, seed)
            .expect("without an order the walk always ends with a chain");
        Ok(Self::from_chain(chain).order())
    }

    /// Trusts that `strong_gens` is a strong generating set relative to `base`
    /// (as individualisation–refinement produces) and builds the chain without
    /// sifting Schreier generators.
    ///
    /// # Panics
    /// As [`Bsgs::from_generators`]; see
    /// [`Bsgs::try_from_base_and_strong_generators`].
    pub fn from_base_and_strong_generators(
        n: usize,
        base: &[usize],
        strong_gens: &[Permutation],
    ) -> Self {
        match Self::try_from_base_and_strong_generators(n, base, strong_gens) {
            Ok(b) => b,
            Err(e) => panic!("Bsgs::from_base_and_strong_generators: {e}"),
        }
    }

    /// [`Bsgs::from_base_and_strong_generators`], reporting inconsistent input as
    /// an error. A generator fixing the whole base gets a base point added (a
    /// valid strong generating set has none), so the chain stays well formed.
    pub fn try_from_base_and_strong_generators(
        n: usize,
        base: &[usize],
        strong_gens: &[Permutation],
    ) -> Result<Self, BsgsError> {
        let perms = to_perms(n, strong_gens)?;
        let base = to_points(n, base)?;
        Ok(Self::from_chain(Chain::from_strong(n, &base, &perms)))
    }

    fn from_chain(chain: Chain) -> Self {
        Self {
            n: chain.n,
            base: chain.levels.iter().map(|l| l.point as usize).collect(),
            chain,
        }
    }

    /// Degree `n`.
    pub fn degree(&self) -> usize {
        self.n
    }

    /// `|G|`, the product of the basic orbit lengths.
    pub fn order(&self) -> GroupOrder {
        GroupOrder::from_orbit_lengths(self.basic_orbit_lengths())
    }

    /// The base.
    pub fn base(&self) -> &[usize] {
        &self.base
    }

    /// The strong generators (every level's generators, deduplicated).
    pub fn strong_generators(&self) -> Vec<Permutation> {
        // Pool entries are strong generators or tree shortcuts; construction never
        // files the same strong generator twice.
        self.chain
            .pool
            .iter()
            .filter(|e| e.strong)
            .map(|e| to_permutation(&e.fwd))
            .collect()
    }

    /// Lengths of the basic orbits, level by level.
    pub fn basic_orbit_lengths(&self) -> Vec<usize> {
        self.chain.levels.iter().map(|l| l.orbit.len()).collect()
    }

    /// True if `p` is an element of the group (sifting). A permutation of another
    /// degree is not.
    pub fn contains(&self, p: &Permutation) -> bool {
        if p.len() != self.n {
            return false;
        }
        let mut h: Perm = p.images().iter().map(|&x| x as u32).collect();
        self.chain.sift(&mut h, 0) == self.chain.levels.len() && is_identity(&h)
    }

    /// The orbits of `G` on `0..n` with at least two points, each sorted, ordered by
    /// their smallest point.
    pub fn orbits(&self) -> Vec<Vec<usize>> {
        let gens: Vec<&Perm> = self
            .chain
            .pool
            .iter()
            .filter(|e| e.strong)
            .map(|e| &e.fwd)
            .collect();
        let mut seen = vec![false; self.n];
        let mut out = Vec::new();
        for start in 0..self.n {
            if seen[start] {
                continue;
            }
            seen[start] = true;
            let mut orbit = vec![start];
            let mut i = 0;
            while i < orbit.len() {
                let x = orbit[i];
                for g in &gens {
                    let y = g[x] as usize;
                    if !seen[y] {
                        seen[y] = true;
                        orbit.push(y);
                    }
                }
                i += 1;
            }
            if orbit.len() > 1 {
                orbit.sort_unstable();
                out.push(orbit);
            }
        }
        out
    }

    /// The coset representative of orbit position `idx` at `level`.
    fn rep(&self, level: usize, idx: usize) -> Perm {
        self.chain.levels[level].orbit.rep(&self.chain.pool, idx)
    }

    /// A uniformly random element (a random coset representative per level).
    pub fn random_element<R: Rng + ?Sized>(&self, rng: &mut R) -> Permutation {
        // g = u_{k-1} · … · u_0 (`then` order) with u_l drawn from level l; every
        // element has exactly one such factorisation, so uniform draws per level
        // give a uniform element.
        let mut g: Perm = (0..self.n as u32).collect();
        for (l, level) in self.chain.levels.iter().enumerate() {
            let idx = rng.random_range(0..level.orbit.len());
            g = then(&self.rep(l, idx), &g);
        }
        to_permutation(&g)
    }

    /// Every element exactly once, identity first, produced on demand (for display
    /// and export: `|G|` may be astronomically large).
    pub fn elements(&self) -> impl Iterator<Item = Permutation> + '_ {
        Elements::new(self)
    }
}

/// Coset representatives cached per level by [`Elements`] up to this many points
/// in total (orbit × degree), so the innermost levels are not re-walked per element.
const ELEMENT_CACHE_POINTS: usize = 1 << 22;

/// The elements as products `u_{k-1} · … · u_0` (`then` order) of one coset
/// representative per level, the deepest level varying fastest; partial products
/// of the outer levels are kept, so an element costs one composition.
struct Elements<'a> {
    bsgs: &'a Bsgs,
    /// Orbit position per level.
    idx: Vec<usize>,
    /// `partial[l] = u_l · … · u_0`.
    partial: Vec<Perm>,
    cache: Vec<Option<Vec<Perm>>>,
    done: bool,
}

impl<'a> Elements<'a> {
    fn new(bsgs: &'a Bsgs) -> Self {
        let levels = &bsgs.chain.levels;
        let mut budget = ELEMENT_CACHE_POINTS;
        let mut cache = vec![None; levels.len()];
        // Deepest levels change most often: cache those first.
        for l in (0..levels.len()).rev() {
            let cost = levels[l].orbit.len() * bsgs.n;
            if cost <= budget {
                budget -= cost;
                cache[l] = Some((0..levels[l].orbit.len()).map(|i| bsgs.rep(l, i)).collect());
            }
        }
        let identity: Perm = (0..bsgs.n as u32).collect();
        Self {
            bsgs,
            idx: vec![0; levels.len()],
            partial: vec![identity; levels.len()],
            cache,
            done: false,
        }
    }

    fn rep(&self, l: usize) -> Perm {
        match &self.cache[l] {
            Some(reps) => reps[self.idx[l]].clone(),
            None => self.bsgs.rep(l, self.idx[l]),
        }
    }

    /// Recomputes the partial products from level `from` on.
    fn refresh(&mut self, from: usize) {
        for l in from..self.idx.len() {
            let u = self.rep(l);
            self.partial[l] = if l == 0 {
                u
            } else {
                then(&u, &self.partial[l - 1])
            };
        }
    }
}

impl Iterator for Elements<'_> {
    type Item = Permutation;

    fn next(&mut self) -> Option<Permutation> {
        if self.done {
            return None;
        }
        let k = self.idx.len();
        let out = match self.partial.last() {
            Some(p) => to_permutation(p),
            None => Permutation::identity(self.bsgs.n),
        };
        // Advance the odometer, deepest level fastest.
        let mut l = k;
        loop {
            if l == 0 {
                self.done = true;
                break;
            }
            l -= 1;
            self.idx[l] += 1;
            if self.idx[l] < self.bsgs.chain.levels[l].orbit.len() {
                self.refresh(l);
                break;
            }
            self.idx[l] = 0;
        }
        Some(out)
    }
}

#[cfg(test)]
#[path = "bsgs_tests.rs"]
mod tests;
