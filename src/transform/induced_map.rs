//! The map on input positions, pixels and kernels that a permutation of neurons induces.
//!
//! Two votes, both over neurons:
//!
//! - **Positions** (SPEC §7): each neuron `i` votes "the receptive-field centre of `i`
//!   goes to the centre of `π(i)`". Neurons sharing a centre form a *position*; the
//!   majority of their votes is that position's image, and the fraction of all
//!   neurons whose vote agrees with their position's majority is the map's
//!   [`InducedMap::confidence`]. Centres are compared exactly (to 10⁻³ pixel, modulo
//!   the period on a ring or torus), so half-pixel centres of even-sized kernels cause
//!   no rounding ambiguity. Kernels are voted on the same way, by
//!   `(kernel, rotation)` label.
//! - **Pixels** (what the crisp rendering applies): every neuron votes for pixel
//!   pairs `(p, q)` with the weight `f_i[p] · f_{π(i)}[q]`, i.e. the pair score is
//!   `S = Fᵀ F_π`; normalised by the pixels' coverage,
//!   `Ŝ[p][q] = S[p][q] / √(G[p][p] G[q][q])` with `G = FᵀF`, it is 1 exactly when
//!   `π` is induced by a pixel permutation `g` and `q = g(p)`, and smaller the worse
//!   `π` fits any pixel map. Pixel `p` goes to `argmax_q Ŝ[p][q]`; the crisp
//!   rendering pulls each output pixel `q` from `argmax_p Ŝ[p][q]`. This needs no
//!   labels and no rounding of centres.
//!
//! - **Contrast**: a bank with both signs of each field (ON and OFF detectors of a
//!   learned filter) has a symmetry that swaps the two: `f_{π(i)} = −f_i`, so
//!   `Ŝ ≈ −1` on the diagonal and no pixel map fits. When the vote on `−S` fits
//!   better than the vote on `S` (mean best score over covered pixels) and reaches
//!   at least half of an exact fit, the map is taken with inverted contrast
//!   ([`InducedMap::inverted`]): the pixel map of `−S`, applied as
//!   `out[q] = −pattern[source[q]]`, e.g. "invert contrast" for the
//!   world's `s ↦ −s`, or "invert contrast, then shift +1".
//!
//! Where the bank has no information the vote is completed by the space's geometry:
//! among the exact symmetries of the space (SPEC §2) the one that agrees with the most
//! unambiguous pixel votes is found ([`InducedMap::matched`]); it breaks ties between
//! pixels the bank cannot tell apart (identical coverage, e.g. corners of a square
//! covered by one position only) and maps pixels that no receptive field covers
//! (score 0, flagged in [`InducedMap::covered`]). If no symmetry agrees with at least
//! half of the unambiguous votes, ties go to the lowest index and uncovered pixels stay
//! where they are.

use std::collections::HashMap;

use ndarray::{Array2, Axis};

use super::{TransformError, check_len};
use crate::model::{NeuronLabel, Space, Transformation};
use crate::perm::Permutation;

/// The majority vote of the neurons at one receptive-field centre.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PositionVote {
    /// The centre `(x, y)` shared by the voting neurons.
    pub centre: (f32, f32),
    /// The centre most of them are mapped to.
    pub target: (f32, f32),
    /// How many neurons voted for `target`.
    pub agreeing: usize,
    /// How many neurons sit at `centre`.
    pub votes: usize,
}

/// The majority vote of the neurons carrying one kernel label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KernelVote {
    /// `(kernel, quarter turns)` of the voting neurons.
    pub kernel: (usize, u8),
    /// The `(kernel, quarter turns)` most of them are mapped to.
    pub target: (usize, u8),
    /// How many neurons voted for `target`.
    pub agreeing: usize,
    /// How many neurons carry `kernel`.
    pub votes: usize,
}

/// Everything a permutation of neurons does to the input, with confidences.
#[derive(Clone, Debug, PartialEq)]
pub struct InducedMap {
    /// Forward pixel map: pixel `p` goes to `target[p]`.
    pub target: Vec<usize>,
    /// Pull-back used for rendering: output pixel `q` takes the value of input pixel `source[q]`.
    pub source: Vec<usize>,
    /// `Ŝ[source[q]][q]` per output pixel `q`: 1 = exact, lower = worse fit, 0 = uncovered.
    pub pixel_score: Vec<f32>,
    /// Whether any receptive field covers each pixel.
    pub covered: Vec<bool>,
    /// The position map: one majority vote per distinct receptive-field centre.
    pub positions: Vec<PositionVote>,
    /// Fraction of neurons whose position vote agrees with the majority at their centre.
    pub confidence: f64,
    /// The kernel map (empty when the bank has no kernel labels, e.g. a random bank).
    pub kernels: Vec<KernelVote>,
    /// Fraction of neurons whose kernel vote agrees with the majority (None without kernels).
    pub kernel_confidence: Option<f64>,
    /// The exact symmetry of the space closest to the pixel map, with the fraction of
    /// covered pixels on which they agree (`None` if no symmetry agrees with half of them).
    pub matched: Option<(Transformation, f64)>,
    /// The permuted fields match the moved fields with the opposite sign: the map
    /// inverts contrast as well as moving pixels (module docs).
    pub inverted: bool,
}

impl InducedMap {
    /// Computes the induced maps of `pi` for a bank with `fields` (M × pixels, stored
    /// order) and `labels` (stored order) on `space`.
    pub fn new(
        space: Space,
        fields: &Array2<f32>,
        labels: &[NeuronLabel],
        pi: &Permutation,
    ) -> Result<Self, TransformError> {
        let neurons = fields.nrows();
        let pixels = fields.ncols();
        check_len(
            "receptive fields (pixels)",
            super::pixel_count(space),
            pixels,
        )?;
        check_len("permutation", neurons, pi.len())?;
        check_len("labels", neurons, labels.len())?;
        if neurons == 0 || pixels == 0 {
            return Err(TransformError::EmptyBank(format!(
                "{neurons} detectors over {pixels} pixels"
            )));
        }
        let (target, source, pixel_score, covered, matched, inverted) =
            pixel_vote(space, fields, pi);
        let (positions, confidence) = position_vote(space, labels, pi);
        let (kernels, kernel_confidence) = kernel_vote(labels, pi);
        Ok(Self {
            target,
            source,
            pixel_score,
            covered,
            positions,
            confidence,
            kernels,
            kernel_confidence,
            matched,
            inverted,
        })
    }

    /// The name of the matched symmetry, with the contrast inversion if there is one:
    /// "shift +1", "invert contrast", "invert contrast, then reflect"; `None` without a
    /// match.
    pub fn description(&self, space: Space) -> Option<String> {
        self.matched.map(|(t, _)| match (self.inverted, t) {
            (false, t) => space.describe(t),
            (true, Transformation::Identity) => "invert contrast".to_string(),
            (true, t) => format!("invert contrast, then {}", space.describe(t)),
        })
    }

    /// Number of pixels.
    pub fn pixels(&self) -> usize {
        self.source.len()
    }

    /// Mean of [`InducedMap::pixel_score`] over covered pixels (1 for an exact pixel map).
    pub fn mean_pixel_score(&self) -> f64 {
        let scores: Vec<f64> = self
            .pixel_score
            .iter()
            .zip(&self.covered)
            .filter(|&(_, &c)| c)
            .map(|(&s, _)| s as f64)
            .collect();
        if scores.is_empty() {
            0.0
        } else {
            scores.iter().sum::<f64>() / scores.len() as f64
        }
    }

    /// The forward pixel map as a permutation, if it is one (exact or nearly exact `π`,
    /// and no contrast inversion).
    pub fn pixel_permutation(&self) -> Option<Permutation> {
        if self.inverted {
            return None;
        }
        let forward = Permutation::from_images(self.target.clone()).ok()?;
        // The rendering pulls back through `source`; only call it a permutation when both agree.
        let consistent = (0..self.pixels()).all(|q| self.target[self.source[q]] == q);
        consistent.then_some(forward)
    }

    /// The crisp rendering: applies the pixel map once, `out[q] = pattern[source[q]]`
    /// (`−pattern[source[q]]` for an [`InducedMap::inverted`] map).
    pub fn apply(&self, pattern: &[f32]) -> Result<Vec<f32>, TransformError> {
        check_len("pattern", self.pixels(), pattern.len())?;
        let sign = if self.inverted { -1.0 } else { 1.0 };
        Ok(self.source.iter().map(|&p| sign * pattern[p]).collect())
    }
}

/// Smallest mean best score on `−S` for a map to be taken as inverting contrast (1 =
/// exact). Permutations that fit no map score low both ways, and either sign may then
/// win by noise: on `ring-random` 7 of the search's 64 results scored 0.22–0.24 on `−S`
/// and more than on `S`; `ring-learned`'s ON ↔ OFF swaps score 0.998–1.000.
const INVERSION_MIN_FIT: f64 = 0.5;

/// Candidates whose normalised score is within this of the best count as tied.
const TIE: f64 = 1e-4;

/// The pixel vote (module docs). Returns (target, source, score, covered, matched,
/// inverted).
#[allow(clippy::type_complexity)]
fn pixel_vote(
    space: Space,
    fields: &Array2<f32>,
    pi: &Permutation,
) -> (
    Vec<usize>,
    Vec<usize>,
    Vec<f32>,
    Vec<bool>,
    Option<(Transformation, f64)>,
    bool,
) {
    let pixels = fields.ncols();
    let mut score = pair_scores(fields, pi.images());
    let coverage: Vec<f64> = fields
        .columns()
        .into_iter()
        .map(|c| c.iter().map(|&x| (x as f64) * (x as f64)).sum::<f64>())
        .collect();
    let max_coverage = coverage.iter().cloned().fold(0.0, f64::max);
    let covered: Vec<bool> = coverage
        .iter()
        .map(|&c| max_coverage > 0.0 && c > 1e-9 * max_coverage)
        .collect();
    // Contrast: vote on −S instead when it fits better (module docs). One pass gives
    // each covered pixel's best normalised score on S (its maximum) and on −S (minus
    // its minimum).
    let (mut plus, mut minus, mut rows) = (0.0f64, 0.0f64, 0usize);
    for p in (0..pixels).filter(|&p| covered[p]) {
        let (lo, hi) = (0..pixels)
            .filter(|&q| covered[q])
            .map(|q| score[[p, q]] as f64 / (coverage[p] * coverage[q]).sqrt())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            });
        plus += hi;
        minus -= lo;
        rows += 1;
    }
    let rows = rows.max(1) as f64;
    let (plus, minus) = (plus / rows, minus / rows);
    let inverted = minus >= INVERSION_MIN_FIT && minus > plus;
    if inverted {
        score.mapv_inplace(|v| -v);
    }
    let norm =
        |p: usize, q: usize| -> f64 { score[[p, q]] as f64 / (coverage[p] * coverage[q]).sqrt() };
    // For every covered pixel: its best score and all tied best candidates, both ways.
    let best = |from: usize, forward: bool| -> (f64, Vec<usize>) {
        let value = |to: usize| {
            if forward {
                norm(from, to)
            } else {
                norm(to, from)
            }
        };
        let top = (0..pixels)
            .filter(|&t| covered[t])
            .map(value)
            .fold(f64::NEG_INFINITY, f64::max);
        let tied = (0..pixels)
            .filter(|&t| covered[t] && value(t) >= top - TIE)
            .collect();
        (top, tied)
    };
    let forward: Vec<Option<(f64, Vec<usize>)>> = (0..pixels)
        .map(|p| covered[p].then(|| best(p, true)))
        .collect();
    let backward: Vec<Option<(f64, Vec<usize>)>> = (0..pixels)
        .map(|q| covered[q].then(|| best(q, false)))
        .collect();
    // The exact symmetry of the space that agrees with the most unambiguous votes breaks
    // ties and fills uncovered pixels (where the bank itself has no information).
    let matched = best_exact_match(space, &forward, &covered);
    let helper = matched.and_then(|(t, _)| space.pixel_permutation(t));
    let helper_inverse = helper.as_ref().map(Permutation::inverse);
    let choose = |p: usize, votes: &Option<(f64, Vec<usize>)>, g: Option<&Permutation>| -> usize {
        let preferred = g.map(|g| g.image(p));
        match votes {
            Some((_, tied)) => match preferred {
                Some(q) if tied.contains(&q) => q,
                _ => tied.first().copied().unwrap_or(p),
            },
            None => preferred.filter(|&q| !covered[q]).unwrap_or(p),
        }
    };
    let target: Vec<usize> = (0..pixels)
        .map(|p| choose(p, &forward[p], helper.as_ref()))
        .collect();
    let source: Vec<usize> = (0..pixels)
        .map(|q| choose(q, &backward[q], helper_inverse.as_ref()))
        .collect();
    let pixel_score: Vec<f32> = (0..pixels)
        .map(|q| backward[q].as_ref().map_or(0.0, |(v, _)| v.max(0.0) as f32))
        .collect();
    // Report how well the final map agrees with the matched symmetry on covered pixels.
    let matched = matched.map(|(t, _)| {
        let g = space.pixel_permutation(t);
        let covered_count = covered.iter().filter(|&&c| c).count().max(1);
        let agree = (0..pixels)
            .filter(|&p| covered[p] && g.as_ref().is_some_and(|g| g.image(p) == target[p]))
            .count();
        (t, agree as f64 / covered_count as f64)
    });
    (target, source, pixel_score, covered, matched, inverted)
}

/// Fields with at most this share of non-zero weights use the sparse pair scores.
const SPARSE_SHARE: f64 = 0.25;

/// `S = Fᵀ F_π` (`S[p][q] = Σ_i f_i[p]·f_{π(i)}[q]`). Local receptive fields touch a
/// few pixels each, so the sum over each neuron's pairs of non-zero pixels costs a
/// small fraction of the dense product (the CLI computes one map per search result);
/// dense banks use the matrix product.
fn pair_scores(fields: &Array2<f32>, images: &[usize]) -> Array2<f32> {
    let (neurons, pixels) = fields.dim();
    let support: Vec<Vec<(usize, f32)>> = fields
        .rows()
        .into_iter()
        .map(|r| {
            r.iter()
                .enumerate()
                .filter(|&(_, &x)| x != 0.0)
                .map(|(p, &x)| (p, x))
                .collect()
        })
        .collect();
    let nonzero: usize = support.iter().map(Vec::len).sum();
    if nonzero as f64 > SPARSE_SHARE * (neurons * pixels) as f64 {
        // Row i of `permuted` is the field of π(i).
        let permuted = fields.select(Axis(0), images);
        return fields.t().dot(&permuted);
    }
    let mut score = Array2::<f32>::zeros((pixels, pixels));
    for (i, own) in support.iter().enumerate() {
        for &(p, a) in own {
            let mut row = score.row_mut(p);
            for &(q, b) in &support[images[i]] {
                row[q] += a * b;
            }
        }
    }
    score
}

/// The exact transformation (identity included) agreeing with most covered pixels whose
/// vote is unambiguous, if it agrees with at least half of them.
fn best_exact_match(
    space: Space,
    forward: &[Option<(f64, Vec<usize>)>],
    covered: &[bool],
) -> Option<(Transformation, f64)> {
    let clear: Vec<(usize, usize)> = forward
        .iter()
        .enumerate()
        .filter_map(|(p, v)| match v {
            Some((_, tied)) if tied.len() == 1 => Some((p, tied[0])),
            _ => None,
        })
        .collect();
    if clear.is_empty() || !covered.iter().any(|&c| c) {
        return None;
    }
    let mut candidates = space.exact_transformations();
    candidates.push(Transformation::Identity);
    let mut best: Option<(Transformation, usize)> = None;
    for t in candidates {
        let Some(g) = space.pixel_permutation(t) else {
            continue;
        };
        let agree = clear.iter().filter(|&&(p, q)| g.image(p) == q).count();
        if best.is_none_or(|(_, b)| agree > b) {
            best = Some((t, agree));
        }
    }
    best.filter(|&(_, a)| 2 * a >= clear.len())
        .map(|(t, a)| (t, a as f64 / clear.len() as f64))
}

/// A centre quantised to 10⁻³ pixel, wrapped into the period of a ring or torus.
fn centre_key(space: Space, centre: (f32, f32)) -> (i64, i64) {
    let wrap = |v: f32, period: usize| -> f32 {
        let period = period as f32;
        let w = v.rem_euclid(period);
        // 99.9999 and 0 are the same point on a circle of 100 pixels.
        if (period - w) < 5e-4 { 0.0 } else { w }
    };
    let (x, y) = match space {
        Space::Ring { n } => (wrap(centre.0, n), centre.1),
        Space::Torus { side } => (wrap(centre.0, side), wrap(centre.1, side)),
        Space::Square { .. } | Space::Line { .. } => centre,
        Space::Polar { sectors, .. } => (wrap(centre.0, sectors), centre.1),
    };
    ((x * 1000.0).round() as i64, (y * 1000.0).round() as i64)
}

/// Majority vote per class: `class_of[i]` is neuron i's class; neuron i votes for `class_of[π(i)]`.
/// Returns per class (in first-seen order) `(class, target, agreeing, votes)` and the agreeing fraction.
/// Ties go to the target class seen first in `class_of`, deterministically.
fn majority<K: Copy + Eq + std::hash::Hash>(
    class_of: &[K],
    pi: &Permutation,
) -> (Vec<(K, K, usize, usize)>, f64) {
    // Dense class indices in first-seen order, so ties compare indices and the ballots
    // are counted by sorting instead of hashing every vote.
    let mut index: HashMap<K, usize> = HashMap::new();
    let mut order: Vec<K> = Vec::new();
    let dense: Vec<usize> = class_of
        .iter()
        .map(|&k| {
            *index.entry(k).or_insert_with(|| {
                order.push(k);
                order.len() - 1
            })
        })
        .collect();
    let mut ballots: Vec<(usize, usize)> = (0..class_of.len())
        .map(|i| (dense[i], dense[pi.image(i)]))
        .collect();
    ballots.sort_unstable();
    let mut votes = Vec::with_capacity(order.len());
    let mut agreeing_total = 0;
    let mut start = 0;
    while start < ballots.len() {
        let class = ballots[start].0;
        let mut end = start;
        // (target, count) with the largest count; the sort visits targets in
        // first-seen order, and a later target must beat the count strictly.
        let mut best = (ballots[start].1, 0usize);
        while end < ballots.len() && ballots[end].0 == class {
            let target = ballots[end].1;
            let mut run = end;
            while run < ballots.len() && ballots[run] == (class, target) {
                run += 1;
            }
            if run - end > best.1 {
                best = (target, run - end);
            }
            end = run;
        }
        agreeing_total += best.1;
        votes.push((order[class], order[best.0], best.1, end - start));
        start = end;
    }
    let fraction = if class_of.is_empty() {
        0.0
    } else {
        agreeing_total as f64 / class_of.len() as f64
    };
    (votes, fraction)
}

fn position_vote(
    space: Space,
    labels: &[NeuronLabel],
    pi: &Permutation,
) -> (Vec<PositionVote>, f64) {
    let keys: Vec<(i64, i64)> = labels.iter().map(|l| centre_key(space, l.centre)).collect();
    let mut centre_of_key: HashMap<(i64, i64), (f32, f32)> = HashMap::new();
    for (k, l) in keys.iter().zip(labels) {
        centre_of_key.entry(*k).or_insert(l.centre);
    }
    let (votes, confidence) = majority(&keys, pi);
    let votes = votes
        .into_iter()
        .map(|(c, t, agreeing, votes)| PositionVote {
            centre: centre_of_key[&c],
            target: centre_of_key[&t],
            agreeing,
            votes,
        })
        .collect();
    (votes, confidence)
}

fn kernel_vote(labels: &[NeuronLabel], pi: &Permutation) -> (Vec<KernelVote>, Option<f64>) {
    let keys: Option<Vec<(usize, u8)>> = labels
        .iter()
        .map(|l| l.kernel.map(|k| (k, l.rotation)))
        .collect();
    match keys {
        Some(keys) if !keys.is_empty() => {
            let (votes, confidence) = majority(&keys, pi);
            let votes = votes
                .into_iter()
                .map(|(kernel, target, agreeing, votes)| KernelVote {
                    kernel,
                    target,
                    agreeing,
                    votes,
                })
                .collect();
            (votes, Some(confidence))
        }
        _ => (Vec::new(), None),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A ring of `n` pixels with `kernels` random local kernels (odd ones the negatives of even ones) copied to every position,
    /// stored in a scrambled order. Returns fields, labels and the neuron permutation of the unit shift.
    pub(crate) fn ring_bank(
        n: usize,
        kernels: usize,
        size: usize,
    ) -> (Array2<f32>, Vec<NeuronLabel>, Permutation) {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        // Odd kernels are the negatives of the even ones, so relu codes lose nothing.
        let mut bases: Vec<Vec<f32>> = Vec::new();
        for k in 0..kernels {
            let base = if k % 2 == 1 {
                bases[k - 1].iter().map(|w: &f32| -w).collect()
            } else {
                (0..size).map(|_| rng.random::<f32>() - 0.5).collect()
            };
            bases.push(base);
        }
        let m = n * kernels;
        // hidden order: neuron (pos, k) stored at scramble[pos * kernels + k]
        let mut scramble: Vec<usize> = (0..m).collect();
        for i in (1..m).rev() {
            let j = rng.random_range(0..=i);
            scramble.swap(i, j);
        }
        let mut fields = Array2::<f32>::zeros((m, n));
        let mut labels = vec![
            NeuronLabel {
                centre: (0.0, 0.0),
                position: 0,
                kernel: None,
                rotation: 0
            };
            m
        ];
        for pos in 0..n {
            for (k, base) in bases.iter().enumerate() {
                let row = scramble[pos * kernels + k];
                for (d, &w) in base.iter().enumerate() {
                    fields[[row, (pos + d) % n]] = w;
                }
                labels[row] = NeuronLabel {
                    centre: ((pos as f32 + (size as f32 - 1.0) / 2.0) % n as f32, 0.0),
                    position: pos,
                    kernel: Some(k),
                    rotation: 0,
                };
            }
        }
        let images = (0..m)
            .map(|s| {
                let (pos, k) = (s / kernels, s % kernels);
                (s, scramble[((pos + 1) % n) * kernels + k])
            })
            .fold(vec![0; m], |mut acc, (s, t)| {
                acc[scramble[s]] = t;
                acc
            });
        (fields, labels, Permutation::from_images(images).unwrap())
    }

    #[test]
    fn planted_ring_shift_induces_the_pixel_shift() {
        let (fields, labels, shift) = ring_bank(20, 3, 4);
        let map = InducedMap::new(Space::Ring { n: 20 }, &fields, &labels, &shift).unwrap();
        assert_eq!(
            map.target,
            (0..20).map(|p| (p + 1) % 20).collect::<Vec<_>>()
        );
        assert_eq!(
            map.source,
            (0..20).map(|q| (q + 19) % 20).collect::<Vec<_>>()
        );
        assert!((map.confidence - 1.0).abs() < 1e-12);
        assert_eq!(map.kernel_confidence, Some(1.0));
        assert!(map.kernels.iter().all(|k| k.kernel == k.target));
        assert!((map.mean_pixel_score() - 1.0).abs() < 1e-5);
        let pattern: Vec<f32> = (0..20).map(|x| x as f32).collect();
        let moved = map.apply(&pattern).unwrap();
        assert_eq!(moved[5], 4.0);
        assert_eq!(moved[0], 19.0);
        let double =
            InducedMap::new(Space::Ring { n: 20 }, &fields, &labels, &shift.pow(2)).unwrap();
        assert_eq!(double.target[3], 5);
    }

    /// A bank holding each kernel and its negative (ON and OFF): swapping the two is
    /// the contrast inversion, a symmetry no pixel map explains.
    #[test]
    fn swapping_a_field_with_its_negative_inverts_contrast() {
        let n = 20;
        let space = Space::Ring { n };
        let (fields, labels, shift) = ring_bank(n, 2, 4);
        let m = fields.nrows();
        let negative_of = |i: usize| {
            (0..m)
                .find(|&j| {
                    fields
                        .row(j)
                        .iter()
                        .zip(fields.row(i))
                        .all(|(a, b)| *a == -*b)
                })
                .unwrap()
        };
        let invert = Permutation::from_images((0..m).map(negative_of).collect()).unwrap();
        let map = InducedMap::new(space, &fields, &labels, &invert).unwrap();
        assert!(map.inverted);
        assert_eq!(map.matched, Some((Transformation::Identity, 1.0)));
        assert_eq!(map.description(space).as_deref(), Some("invert contrast"));
        assert!((map.mean_pixel_score() - 1.0).abs() < 1e-5);
        assert!(
            map.pixel_permutation().is_none(),
            "no pixel map explains it"
        );
        let pattern: Vec<f32> = (0..n).map(|x| x as f32 - 3.0).collect();
        let flipped: Vec<f32> = pattern.iter().map(|v| -v).collect();
        assert_eq!(map.apply(&pattern).unwrap(), flipped);
        let both = InducedMap::new(space, &fields, &labels, &invert.then(&shift)).unwrap();
        assert!(both.inverted);
        assert_eq!(
            both.description(space),
            Some(format!(
                "invert contrast, then {}",
                space.describe(Transformation::Shift { k: 1 })
            ))
        );
        assert_eq!(both.apply(&pattern).unwrap()[5], -pattern[4]);
        // The shift alone moves pixels and keeps the contrast.
        let plain = InducedMap::new(space, &fields, &labels, &shift).unwrap();
        assert!(!plain.inverted);
        assert_eq!(
            plain.description(space),
            Some(space.describe(Transformation::Shift { k: 1 }))
        );
    }

    #[test]
    fn a_random_permutation_has_low_confidence() {
        let (fields, labels, _) = ring_bank(20, 3, 4);
        let scrambled =
            Permutation::from_images((0..60).map(|i| (i * 7 + 3) % 60).collect()).unwrap();
        let map = InducedMap::new(Space::Ring { n: 20 }, &fields, &labels, &scrambled).unwrap();
        assert!(map.confidence < 0.5, "confidence {}", map.confidence);
        assert!(
            !map.inverted,
            "a poor fit is not called a contrast inversion"
        );
        assert!(
            map.mean_pixel_score() < 0.9,
            "score {}",
            map.mean_pixel_score()
        );
    }

    #[test]
    fn wrong_sizes_are_errors() {
        let (fields, labels, _) = ring_bank(10, 2, 3);
        let small = Permutation::identity(5);
        assert!(matches!(
            InducedMap::new(Space::Ring { n: 10 }, &fields, &labels, &small),
            Err(TransformError::SizeMismatch {
                what: "permutation",
                ..
            })
        ));
        assert!(
            InducedMap::new(
                Space::Ring { n: 11 },
                &fields,
                &labels,
                &Permutation::identity(20)
            )
            .is_err()
        );
    }
}
