//! The pixel vote of an induced map (module docs of [`super`]): pair scores
//! `Ŝ = Fᵀ F_π` normalised by coverage, the contrast test on `−S`, and the exact
//! symmetry of the space that breaks ties and fills uncovered pixels.

use ndarray::{Array2, Axis};

use crate::model::{Space, Transformation};
use crate::perm::Permutation;

/// Smallest mean best score on `−S` for a map to be taken as inverting contrast (1 =
/// exact). Permutations that fit no map score low both ways, and either sign may then
/// win by noise: on `ring-random` 7 of the search's 64 results scored 0.22–0.24 on `−S`
/// and more than on `S`; `ring-learned`'s ON ↔ OFF swaps score 0.998–1.000.
const INVERSION_MIN_FIT: f64 = 0.5;

/// Candidates whose normalised score is within this of the best count as tied.
const TIE: f64 = 1e-4;

/// The pixel vote (module docs): the forward and pulled-back pixel maps with their
/// scores, which pixels are covered, the matched symmetry of the space, and whether the
/// map inverts contrast.
pub(super) struct PixelVote {
    /// Forward pixel map.
    pub target: Vec<usize>,
    /// Pull-back used for rendering.
    pub source: Vec<usize>,
    /// Normalised score per output pixel.
    pub pixel_score: Vec<f32>,
    /// Whether any receptive field covers each pixel.
    pub covered: Vec<bool>,
    /// The closest exact symmetry of the space and its agreement.
    pub matched: Option<(Transformation, f64)>,
    /// The map inverts contrast.
    pub inverted: bool,
}

impl PixelVote {
    /// The vote of the neurons of `fields` (M × pixels) under `pi` on `space`.
    pub(super) fn new(space: Space, fields: &Array2<f32>, pi: &Permutation) -> Self {
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
        let norm = |p: usize, q: usize| -> f64 {
            score[[p, q]] as f64 / (coverage[p] * coverage[q]).sqrt()
        };
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
        let choose =
            |p: usize, votes: &Option<(f64, Vec<usize>)>, g: Option<&Permutation>| -> usize {
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
        Self {
            target,
            source,
            pixel_score,
            covered,
            matched,
            inverted,
        }
    }
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
