//! Scoring found permutations against known (ground-truth) transformations.

use serde::Serialize;

use crate::perm::Permutation;

/// Consistency at or above which a true transformation counts as recovered.
pub const RECOVERED: f64 = 0.95;

/// The best-matching true transformation of one result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Match {
    /// Name of the true transformation (its `Display`, e.g. "shift +1").
    pub transformation: String,
    /// Fraction of nodes `i` with `π(i) = g(i)`.
    pub consistency: f64,
}

impl Match {
    /// `consistency ≥ 0.95`.
    pub fn recovered(&self) -> bool {
        self.consistency >= RECOVERED
    }
}

/// Fraction of `i` with `a(i) = b(i)` (0 for different sizes).
pub fn consistency(a: &Permutation, b: &Permutation) -> f64 {
    if a.len() != b.len() || a.is_empty() {
        return 0.0;
    }
    let same = a
        .images()
        .iter()
        .zip(b.images())
        .filter(|(x, y)| x == y)
        .count();
    same as f64 / a.len() as f64
}

/// The true transformation that agrees with `found` on the most nodes
/// (first one on ties), or `None` when `truths` is empty.
pub fn best_match<N: ToString>(found: &Permutation, truths: &[(N, Permutation)]) -> Option<Match> {
    let mut best: Option<Match> = None;
    for (name, g) in truths {
        let c = consistency(found, g);
        if best.as_ref().is_none_or(|b| c > b.consistency) {
            best = Some(Match {
                transformation: name.to_string(),
                consistency: c,
            });
        }
    }
    best
}

/// [`best_match`] counting only the nodes with `scored[i]` (all of them for `None`): on an
/// open line, its interior (`crate::model::detectors::line_space`), where the shifts are
/// translations; the best truth is chosen by that consistency too.
pub fn best_match_within<N: ToString>(
    found: &Permutation,
    truths: &[(N, Permutation)],
    scored: Option<&[bool]>,
) -> Option<Match> {
    let mut best: Option<Match> = None;
    for (name, g) in truths {
        let c = crate::model::detectors::line_space::masked_consistency(found, g, scored);
        if best.as_ref().is_none_or(|b| c > b.consistency) {
            best = Some(Match {
                transformation: name.to_string(),
                consistency: c,
            });
        }
    }
    best
}

/// How many of `truths` some permutation of `found` matches with consistency ≥ 0.95 over
/// the nodes with `scored[i]` (all for `None`); compares every pair.
pub fn recovered_within<N>(
    found: &[&Permutation],
    truths: &[(N, Permutation)],
    scored: Option<&[bool]>,
) -> usize {
    truths
        .iter()
        .filter(|(_, g)| {
            found.iter().any(|p| {
                crate::model::detectors::line_space::masked_consistency(p, g, scored) >= RECOVERED
            })
        })
        .count()
}

/// Names of the true transformations recovered by at least one of `found`.
pub fn recovered<N: ToString>(found: &[Permutation], truths: &[(N, Permutation)]) -> Vec<String> {
    truths
        .iter()
        .filter(|(_, g)| found.iter().any(|p| consistency(p, g) >= RECOVERED))
        .map(|(name, _)| name.to_string())
        .collect()
}

/// For each truth, whether some permutation in `found` matches it with consistency
/// ≥ 0.95 — exactly, without comparing every pair: a truth that agrees with `π` on
/// at least 95 % of the nodes agrees with it on at least one of any `⌊0.05·n⌋ + 1`
/// nodes, so only the truths that agree with `π` on one of those probe nodes are
/// compared in full. Linear in the number of permutations, so whole groups (the
/// torus's 2 048 elements against its 2 047 truths) are scored in a blink.
pub fn recovered_flags<'a, N>(
    found: impl IntoIterator<Item = &'a Permutation>,
    truths: &[(N, Permutation)],
) -> Vec<bool> {
    let mut flags = vec![false; truths.len()];
    let Some(n) = truths.first().map(|t| t.1.len()) else {
        return flags;
    };
    if n == 0 {
        return flags;
    }
    // Largest number of disagreements a recovered truth may have.
    let max_disagree = (0..=n)
        .rev()
        .find(|&d| (n - d) as f64 / n as f64 >= RECOVERED)
        .unwrap_or(0);
    let probes = (max_disagree + 1).min(n);
    // For each probe node, the truths sorted by its image.
    let index: Vec<Vec<(usize, usize)>> = (0..probes)
        .map(|a| {
            let mut v: Vec<(usize, usize)> = truths
                .iter()
                .enumerate()
                .filter(|(_, t)| t.1.len() == n)
                .map(|(k, t)| (t.1.image(a), k))
                .collect();
            v.sort_unstable();
            v
        })
        .collect();
    let mut stamp = vec![usize::MAX; truths.len()];
    for (serial, p) in found.into_iter().enumerate() {
        if p.len() != n {
            continue;
        }
        for (a, entries) in index.iter().enumerate() {
            let image = p.image(a);
            let start = entries.partition_point(|&(x, _)| x < image);
            for &(x, k) in &entries[start..] {
                if x != image {
                    break;
                }
                if flags[k] || stamp[k] == serial {
                    continue;
                }
                stamp[k] = serial;
                if consistency(p, &truths[k].1) >= RECOVERED {
                    flags[k] = true;
                }
            }
        }
    }
    flags
}

/// Most group elements listed to score them against the ground truth.
const MAX_SCORED_ELEMENTS: u64 = 100_000;

/// How many true transformations some found permutation matches: every element of the
/// approximate group when it can be listed, otherwise the results.
pub fn recovered_truths(
    report: &super::SearchReport,
    truths: &[(String, Permutation)],
) -> (usize, &'static str) {
    let chain = report.group.chain(report.n);
    let count = |flags: Vec<bool>| flags.into_iter().filter(|&f| f).count();
    if !report.group.generators.is_empty()
        && chain
            .order()
            .to_u64()
            .is_some_and(|o| o <= MAX_SCORED_ELEMENTS)
    {
        let elements: Vec<Permutation> = chain.elements().collect();
        let listed = report.results.iter().map(|r| &r.permutation);
        (
            count(recovered_flags(elements.iter().chain(listed), truths)),
            "as group elements or results",
        )
    } else {
        (
            count(recovered_flags(
                report.results.iter().map(|r| &r.permutation),
                truths,
            )),
            "among the results",
        )
    }
}

/// The highest consistency with `truth` reached by any element of the approximate group
/// (when it has at most [`MAX_SCORED_ELEMENTS`] elements) or by any listed result: how
/// well the search recovered one particular true transformation, even below the 0.95 of
/// [`RECOVERED`].
pub fn best_consistency(report: &super::SearchReport, truth: &Permutation) -> f64 {
    let best_of = |found: &mut dyn Iterator<Item = Permutation>| {
        found.map(|p| consistency(&p, truth)).fold(0.0, f64::max)
    };
    let listed = best_of(&mut report.results.iter().map(|r| r.permutation.clone()));
    let chain = report.group.chain(report.n);
    if report.group.generators.is_empty()
        || chain
            .order()
            .to_u64()
            .is_none_or(|o| o > MAX_SCORED_ELEMENTS)
    {
        return listed;
    }
    listed.max(best_of(&mut chain.elements()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn best_match_picks_the_most_consistent_truth() {
        let n = 40;
        let shift =
            |k: usize| Permutation::from_images((0..n).map(|i| (i + k) % n).collect()).unwrap();
        let truths = vec![("shift +1", shift(1)), ("shift +2", shift(2))];
        let mut noisy: Vec<usize> = shift(2).images().to_vec();
        noisy.swap(0, 1);
        let found = Permutation::from_images(noisy).unwrap();
        let m = best_match(&found, &truths).unwrap();
        assert_eq!(m.transformation, "shift +2");
        assert!((m.consistency - 38.0 / 40.0).abs() < 1e-12);
        assert!(m.recovered());
        assert_eq!(recovered(&[found], &truths), vec!["shift +2".to_string()]);
        assert!(best_match::<&str>(&shift(1), &[]).is_none());
    }

    #[test]
    fn recovered_flags_agree_with_the_pairwise_definition() {
        use rand::{SeedableRng, seq::SliceRandom};
        let n = 60;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let shift =
            |k: usize| Permutation::from_images((0..n).map(|i| (i + k) % n).collect()).unwrap();
        let truths: Vec<(String, Permutation)> =
            (1..n).map(|k| (format!("+{k}"), shift(k))).collect();
        // Found: exact shifts, shifts with 3 wrong nodes (0.95 exactly), and with 4.
        let mut found = Vec::new();
        for (k, wrong) in [(1usize, 0usize), (5, 3), (9, 4), (20, 2)] {
            let mut img = shift(k).images().to_vec();
            let mut idx: Vec<usize> = (0..n).collect();
            idx.shuffle(&mut rng);
            // A cycle through the images of `wrong` nodes: exactly `wrong` mismatches.
            for w in 0..wrong.saturating_sub(1) {
                img.swap(idx[w], idx[w + 1]);
            }
            found.push(Permutation::from_images(img).unwrap());
        }
        let flags = recovered_flags(&found, &truths);
        let pairwise = recovered(&found, &truths);
        let names: Vec<String> = truths
            .iter()
            .zip(&flags)
            .filter(|(_, f)| **f)
            .map(|(t, _)| t.0.clone())
            .collect();
        assert_eq!(names, pairwise);
        assert!(names.contains(&"+5".to_string()) && !names.contains(&"+9".to_string()));
    }
}
