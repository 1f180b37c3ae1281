//! Group elements on demand: the powers of each generator, then products (a
//! breadth-first walk of the Cayley graph), each measured against `W` when it is shown.
//!
//! The walk needs nothing but the generators, so it lists any group element by element
//! however large the group is; only what the user asks to see is ever produced.
//! Measuring costs `O(n²)` per element, so it is spread over frames by a work budget.

use std::collections::{HashMap, HashSet};

use ndarray::ArrayView2;

use crate::model::Transformation;
use crate::perm::{self, Permutation};
use crate::report::outcome::SearchOutcome;
use crate::report::rows::{TruthMatch, best_truth_match_within};

/// One listed element.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupElement {
    /// The permutation.
    pub permutation: Permutation,
    /// How it was reached: `(generator index, exponent)` factors, applied left to right.
    pub word: Vec<(usize, u64)>,
    /// `‖W − πW‖_F / ‖W‖_F`, once measured (or known from the search).
    pub error: Option<f64>,
    /// Best ground-truth match, once measured.
    pub truth: Option<TruthMatch>,
    /// Order of the element.
    pub order: u64,
    /// Number of fixed points.
    pub fixed_points: usize,
    measured: bool,
}

impl GroupElement {
    /// Whether its error and truth match have been computed.
    pub fn is_measured(&self) -> bool {
        self.measured
    }
}

/// Where the walk is.
#[derive(Clone, Debug)]
enum Cursor {
    /// Listing `generator^exponent`; `current` is that power.
    Powers {
        generator: usize,
        exponent: u64,
        current: Permutation,
    },
    /// Multiplying listed element `index` by generator `generator`.
    Products { index: usize, generator: usize },
    /// Every element is listed.
    Done,
}

/// The lazily listed elements of `⟨generators⟩` (identity excluded).
#[derive(Clone, Debug)]
pub struct ElementBrowser {
    generators: Vec<Permutation>,
    elements: Vec<GroupElement>,
    seen: HashSet<Permutation>,
    known_errors: HashMap<Permutation, f64>,
    cursor: Cursor,
    /// How many rows the panel shows (grows with "Show more").
    pub shown: usize,
}

impl Default for ElementBrowser {
    fn default() -> Self {
        Self::new(Vec::new(), HashMap::new())
    }
}

impl ElementBrowser {
    /// Rows shown at first and added by each "Show more".
    pub const PAGE: usize = 16;

    /// A browser of `⟨generators⟩`; `known_errors` are errors the search already
    /// measured, reused instead of recomputed.
    pub fn new(generators: Vec<Permutation>, known_errors: HashMap<Permutation, f64>) -> Self {
        let n = generators.first().map_or(0, Permutation::len);
        let generators: Vec<Permutation> =
            generators.into_iter().filter(|g| g.len() == n).collect();
        let cursor = match generators.first() {
            Some(g) => Cursor::Powers {
                generator: 0,
                exponent: 1,
                current: g.clone(),
            },
            None => Cursor::Done,
        };
        Self {
            seen: HashSet::from([Permutation::identity(n)]),
            generators,
            elements: Vec::new(),
            known_errors,
            cursor,
            shown: Self::PAGE,
        }
    }

    /// A browser over the approximate group of `outcome`, reusing the errors already
    /// measured for its results and generators.
    pub fn of(outcome: &SearchOutcome) -> Self {
        let generators: Vec<Permutation> = outcome
            .group
            .generators
            .iter()
            .map(|g| g.found.permutation.clone())
            .collect();
        let known: HashMap<Permutation, f64> = outcome
            .results
            .iter()
            .map(|r| (r.permutation.clone(), r.error))
            .chain(
                outcome
                    .group
                    .generators
                    .iter()
                    .map(|g| (g.found.permutation.clone(), g.found.error)),
            )
            .collect();
        Self::new(generators, known)
    }

    /// The elements listed so far, in listing order.
    pub fn elements(&self) -> &[GroupElement] {
        &self.elements
    }

    /// Whether every non-identity element has been listed.
    pub fn is_complete(&self) -> bool {
        matches!(self.cursor, Cursor::Done)
    }

    /// Lists elements until there are `count` (or the group is exhausted).
    pub fn extend_to(&mut self, count: usize) {
        while self.elements.len() < count && !self.is_complete() {
            self.advance();
        }
    }

    /// One step of the walk: at most one new element.
    fn advance(&mut self) {
        match std::mem::replace(&mut self.cursor, Cursor::Done) {
            Cursor::Powers {
                generator,
                exponent,
                current,
            } => {
                if current.is_identity() {
                    self.cursor = match self.generators.get(generator + 1) {
                        Some(g) => Cursor::Powers {
                            generator: generator + 1,
                            exponent: 1,
                            current: g.clone(),
                        },
                        None => Cursor::Products {
                            index: 0,
                            generator: 0,
                        },
                    };
                    return;
                }
                let next = current.then(&self.generators[generator]);
                self.push(current, vec![(generator, exponent)]);
                self.cursor = Cursor::Powers {
                    generator,
                    exponent: exponent + 1,
                    current: next,
                };
            }
            Cursor::Products { index, generator } => {
                let Some(e) = self.elements.get(index) else {
                    return; // nothing left to multiply: the group is complete
                };
                let product = e.permutation.then(&self.generators[generator]);
                let mut word = e.word.clone();
                match word.last_mut() {
                    Some((g, k)) if *g == generator => *k += 1,
                    _ => word.push((generator, 1)),
                }
                self.push(product, word);
                self.cursor = if generator + 1 < self.generators.len() {
                    Cursor::Products {
                        index,
                        generator: generator + 1,
                    }
                } else {
                    Cursor::Products {
                        index: index + 1,
                        generator: 0,
                    }
                };
            }
            Cursor::Done => {}
        }
    }

    fn push(&mut self, permutation: Permutation, word: Vec<(usize, u64)>) {
        if self.seen.insert(permutation.clone()) {
            let error = self.known_errors.get(&permutation).copied();
            self.elements.push(GroupElement {
                order: permutation.order(),
                fixed_points: permutation.fixed_points(),
                permutation,
                word,
                error,
                truth: None,
                measured: false,
            });
        }
    }

    /// Measures the first `count` elements not yet measured (error against `w`, truth
    /// match counted over the neurons with `scored[i]`, all for `None`), spending at most
    /// about `budget` multiply-adds (at least one element).
    /// Returns true when all of the first `count` are measured.
    pub fn measure(
        &mut self,
        count: usize,
        w: ArrayView2<f32>,
        ground_truth: &[(Transformation, Permutation)],
        scored: Option<&[bool]>,
        budget: usize,
    ) -> bool {
        let n = w.nrows();
        let per_element = (n * n + n * ground_truth.len()).max(1);
        let mut allowed = (budget / per_element).max(1);
        for e in self.elements.iter_mut().take(count) {
            if e.measured {
                continue;
            }
            if allowed == 0 {
                return false;
            }
            if e.error.is_none() && e.permutation.len() == n {
                e.error = Some(perm::relative_error(w, &e.permutation));
            }
            e.truth = best_truth_match_within(&e.permutation, ground_truth, scored);
            e.measured = true;
            allowed -= 1;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    fn shift(n: usize, k: usize) -> Permutation {
        Permutation::from_images((0..n).map(|i| (i + k) % n).collect()).unwrap()
    }

    fn reflection(n: usize) -> Permutation {
        Permutation::from_images((0..n).map(|i| (n - i) % n).collect()).unwrap()
    }

    /// Every permutation of `0..n` (brute force, small `n`).
    fn closure_by_brute_force(gens: &[Permutation], n: usize) -> HashSet<Permutation> {
        let mut set = HashSet::from([Permutation::identity(n)]);
        loop {
            let before = set.len();
            let current: Vec<Permutation> = set.iter().cloned().collect();
            for a in &current {
                for g in gens {
                    set.insert(a.then(g));
                }
            }
            if set.len() == before {
                return set;
            }
        }
    }

    #[test]
    fn the_walk_lists_the_dihedral_group_exactly_once_powers_first() {
        let n = 7;
        let gens = vec![shift(n, 1), reflection(n)];
        let mut b = ElementBrowser::new(gens.clone(), HashMap::new());
        b.extend_to(1000);
        assert!(b.is_complete());
        // |D_7| = 14: 13 non-identity elements, no repeats.
        assert_eq!(b.elements().len(), 13);
        let listed: HashSet<Permutation> =
            b.elements().iter().map(|e| e.permutation.clone()).collect();
        assert_eq!(listed.len(), 13);
        let mut expected = closure_by_brute_force(&gens, n);
        expected.remove(&Permutation::identity(n));
        assert_eq!(listed, expected);
        // Powers of the first generator first: g1, g1^2, …, g1^6.
        for k in 1..n {
            assert_eq!(b.elements()[k - 1].permutation, shift(n, k));
            assert_eq!(b.elements()[k - 1].word, vec![(0, k as u64)]);
        }
        assert_eq!(b.elements()[n - 1].permutation, reflection(n));
        // Every word evaluates to its element.
        for e in b.elements() {
            let mut p = Permutation::identity(n);
            for &(g, k) in &e.word {
                p = p.then(&gens[g].pow(k as i64));
            }
            assert_eq!(p, e.permutation, "word {:?}", e.word);
        }
    }

    #[test]
    fn elements_are_produced_only_on_demand() {
        // C_5 × C_5 × C_5 on 15 points: 124 non-identity elements, only 10 listed.
        let n = 15;
        let block = |b: usize| {
            Permutation::from_images(
                (0..n)
                    .map(|i| if i / 5 == b { b * 5 + (i + 1) % 5 } else { i })
                    .collect(),
            )
            .unwrap()
        };
        let mut b = ElementBrowser::new(vec![block(0), block(1), block(2)], HashMap::new());
        b.extend_to(10);
        assert_eq!(b.elements().len(), 10);
        assert!(!b.is_complete());
        b.extend_to(usize::MAX);
        assert_eq!(b.elements().len(), 124);
    }

    #[test]
    fn measuring_respects_the_budget_and_reuses_known_errors() {
        let n = 6;
        // A circulant matrix: every shift is exact, the reflection too.
        let w = Array2::from_shape_fn((n, n), |(i, j)| {
            let d = (i + n - j) % n;
            d.min(n - d) as f32
        });
        // A matrix that only shifts preserve: add a directed part.
        let w2 = &w + &Array2::from_shape_fn((n, n), |(i, j)| ((j + n - i) % n == 1) as u8 as f32);
        let known = HashMap::from([(shift(n, 1), 0.125)]);
        let mut b = ElementBrowser::new(vec![shift(n, 1), reflection(n)], known);
        b.extend_to(8);
        // A budget of one element per call.
        assert!(!b.measure(8, w2.view(), &[], None, 1));
        assert!(b.elements()[0].is_measured());
        assert!(!b.elements()[1].is_measured());
        assert!(b.measure(8, w2.view(), &[], None, usize::MAX));
        // Known errors are kept, the others are measured.
        assert_eq!(b.elements()[0].error, Some(0.125));
        for e in &b.elements()[1..8] {
            let expected = perm::relative_error(w2.view(), &e.permutation);
            assert_eq!(e.error, Some(expected));
            let is_shift = e.word.iter().all(|&(g, _)| g == 0);
            assert_eq!(
                expected < 1e-9,
                is_shift,
                "word {:?}: error {expected}",
                e.word
            );
        }
    }

    #[test]
    fn no_generators_no_elements() {
        let mut b = ElementBrowser::default();
        b.extend_to(5);
        assert!(b.is_complete());
        assert!(b.elements().is_empty());
    }
}
