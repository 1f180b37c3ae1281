//! Candidate images of a base point, best first: of the first pivot on a large graph
//! by local profile ([`profile_candidates`]), of a deeper base point by its weights to
//! the points already fixed ([`stabiliser_candidates`]).

use super::objective::Objective;
use super::seeded::SeededSetup;
use crate::perm::Permutation;

/// How far a candidate image's weights to the fixed points may differ from `b`'s, in
/// multiples of what the generators found so far change of weights that size
/// ([`relative_entry_noise`]). On `torus-translate` the missing reflections change
/// the compared weight 19 times more than the translations change the strongest
/// weights on average (they are the worse symmetries, and the compared weight is a
/// single one), so the margin is generous; images whose weights to the base are
/// plainly different (on a noisy circulant, hundreds) are still not grown at all.
const BASE_MISMATCH_FACTOR: f64 = 64.0;
/// Strongest weights of a node on which [`relative_entry_noise`] is measured.
const NOISE_ENTRIES: usize = 32;

/// `Σ (W[g b][g m] − W[b][m])² / Σ W[b][m]²` over the generators `g` and `b`'s
/// strongest weights `m` (rows and columns): the relative change a near-symmetry
/// makes to weights around `b`. `None` without generators.
pub(super) fn relative_entry_noise(
    obj: &Objective,
    setup: &SeededSetup,
    gens: &[Permutation],
    b: usize,
) -> Option<f64> {
    if gens.is_empty() {
        return None;
    }
    let n = obj.n;
    let strongest: Vec<usize> = setup
        .nb
        .of(b)
        .iter()
        .map(|&m| m as usize)
        .filter(|&m| m != b)
        .take(NOISE_ENTRIES)
        .collect();
    let (mut change, mut size) = (0.0f64, 0.0f64);
    for g in gens {
        let gb = g.image(b);
        for &m in &strongest {
            let gm = g.image(m);
            let (x, y) = (obj.w[b * n + m] as f64, obj.w[m * n + b] as f64);
            let d1 = obj.w[gb * n + gm] as f64 - x;
            let d2 = obj.w[gm * n + gb] as f64 - y;
            change += d1 * d1 + d2 * d2;
            size += x * x + y * y;
        }
    }
    (size > 0.0).then(|| change / size)
}

/// Candidate images of `b` with `base` fixed, best first: by how well their weights
/// to the fixed points match `b`'s; node signatures break ties. With a relative
/// change estimate `noise` ([`relative_entry_noise`]), images whose mismatch exceeds
/// `BASE_MISMATCH_FACTOR` times what that change explains are left out.
pub(super) fn stabiliser_candidates(
    obj: &Objective,
    setup: &SeededSetup,
    base: &[usize],
    b: usize,
    noise: Option<f64>,
) -> Vec<usize> {
    let n = obj.n;
    let scale2 = (obj.norm2 / (n * n) as f64).max(1e-300);
    // The size of b's weights to the base, floored at the typical weight so that a
    // node barely attached to the base is not held to a zero tolerance.
    let size: f64 = base
        .iter()
        .map(|&k| {
            let (x, y) = (obj.w[k * n + b] as f64, obj.w[b * n + k] as f64);
            x * x + y * y + 2.0 * scale2
        })
        .sum();
    let cutoff = noise.map_or(f64::INFINITY, |e| BASE_MISMATCH_FACTOR * e * size);
    let c: Vec<(f64, f64, usize)> = (0..n)
        .filter(|&j| j != b && !base.contains(&j))
        .filter_map(|j| {
            let mismatch: f64 = base
                .iter()
                .map(|&k| {
                    let d1 = (obj.w[k * n + j] - obj.w[k * n + b]) as f64;
                    let d2 = (obj.w[j * n + k] - obj.w[b * n + k]) as f64;
                    d1 * d1 + d2 * d2
                })
                .sum::<f64>();
            (mismatch <= cutoff).then(|| (mismatch, setup.sig.dist2(b, j), j))
        })
        .collect();
    // The weights to the fixed points are a hard constraint; node signatures only
    // break ties (on a graph whose nodes all look alike, such as a circulant, their
    // noise would otherwise bury the right image among hundreds).
    ranked(c)
}

/// The nodes of `(key, signature distance, node)` triples by key, then signature
/// distance, then index.
fn ranked(mut c: Vec<(f64, f64, usize)>) -> Vec<usize> {
    c.sort_by(|a, b| {
        a.0.total_cmp(&b.0)
            .then(a.1.total_cmp(&b.1))
            .then(a.2.cmp(&b.2))
    });
    c.into_iter().map(|x| x.2).collect()
}

/// How many of a node's strongest connections make its local profile.
const PROFILE_LEN: usize = 32;

/// Every node's local profile: its self-weight, then the strengths
/// `|W[u][m]| + |W[m][u]|` of its strongest connections in decreasing order. A
/// near-symmetry maps a node onto one with nearly the same profile.
pub(super) fn local_profiles(obj: &Objective, setup: &SeededSetup) -> Vec<Vec<f32>> {
    let n = obj.n;
    (0..n)
        .map(|u| {
            let mut out = Vec::with_capacity(PROFILE_LEN + 1);
            out.push(obj.w[u * n + u]);
            out.extend(
                setup
                    .nb
                    .of(u)
                    .iter()
                    .map(|&m| m as usize)
                    .filter(|&m| m != u)
                    .take(PROFILE_LEN)
                    .map(|m| obj.w[u * n + m].abs() + obj.w[m * n + u].abs()),
            );
            out
        })
        .collect()
}

/// Candidate images of pivot `b` on a large graph (partial neighbour lists), nearest
/// local profile (`profiles`, from [`local_profiles`]) first, node signatures breaking ties. The global
/// signatures (row sums, extremes) of a learned graph vary with how often each region
/// was stimulated, so on `torus-large` they ranked detectors of other kernels in an
/// equally stimulated region first, and all eight growths from them failed. By local
/// profile the first candidate was the pivot's own detector one pixel along its
/// stripes, whose growth gave the first translation.
pub(super) fn profile_candidates(
    profiles: &[Vec<f32>],
    setup: &SeededSetup,
    b: usize,
) -> Vec<usize> {
    let pb = &profiles[b];
    ranked(
        (0..profiles.len())
            .filter(|&j| j != b)
            .map(|j| {
                let d: f64 = pb
                    .iter()
                    .zip(&profiles[j])
                    .map(|(&x, &y)| ((x - y) as f64).powi(2))
                    .sum();
                (d, setup.sig.dist2(b, j), j)
            })
            .collect(),
    )
}

#[cfg(test)]
#[path = "candidates_tests.rs"]
mod tests;
