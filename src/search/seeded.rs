//! The seeded solver: fix `π(i₀) = j₀ ≠ i₀`, grow `π` greedily, polish.
//!
//! Growth repeatedly takes the unmapped node `u` with the most weight to the
//! mapped set and maps it onto the free node `v` whose weights to the images
//! of `u`'s strongest mapped neighbours match best:
//! `Σ_m (W[u][m] − W[v][π m])² + (W[m][u] − W[π m][v])²` over at most
//! [`super::neighbours::NEIGHBOURS`] neighbours `m`, so one growth costs `O(n²·K)` (see [`growth`]).
//! [`super::generators`] decides which seeds to grow from.

use super::growth::{self, Attach, Growth};
use super::image_swaps;
use super::neighbours::Neighbours;
use super::objective::Objective;
use super::polish;
use super::progress::Ctx;
use super::signature::Signatures;

/// Shared, precomputed data for seeded runs on one graph.
pub(crate) struct SeededSetup {
    pub nb: Neighbours,
    pub sig: Signatures,
    pub symmetric: bool,
    /// Half the random-permutation error: above it a candidate is junk (no
    /// full polish) and a closure element is rejected.
    pub accept: f64,
    /// Relative error above which a growth is not taken as a generator
    /// (`SearchOptions::group_tolerance`).
    pub group_tolerance: f64,
    /// Relative error below which a result counts towards `max_results`
    /// (a tenth of the random-permutation error).
    pub good: f64,
    /// The weights take at most [`FEW_WEIGHTS`] distinct values (a graph given
    /// exactly, not learned): no plateau of noisy weights to grow across.
    pub few_weights: bool,
}

/// At most this many distinct weights make a graph "exact" ([`SeededSetup::few_weights`]).
pub(crate) const FEW_WEIGHTS: usize = 64;

/// The pivot: the most strongly connected node (ties: lowest index).
pub(crate) fn pivot(obj: &Objective) -> usize {
    let mut best = (f64::NEG_INFINITY, 0usize);
    for u in 0..obj.n {
        let s: f64 = obj
            .row(u)
            .iter()
            .zip(obj.col(u))
            .map(|(&a, &b)| (a.abs() + b.abs()) as f64)
            .sum();
        if s > best.0 + 1e-9 * s.abs() {
            best = (s, u);
        }
    }
    best.1
}

/// Above this size the whole-permutation re-assignment (`O(n³)`) is skipped: the
/// worst-node re-assignment ([`polish::refine_worst`]) fixes what growth and pairwise
/// swaps miss at `O(k²·n)`, and a cubic step would dominate the search.
const REFINE_MAX_N: usize = 256;

/// At most this many alternations of worst-node re-assignment and 2-opt per candidate.
const POLISH_ROUNDS: usize = 6;

/// A growth's running mismatch above this multiple of the acceptance level marks a
/// wrong seed. The running mismatch of a growth that ends as a symmetry is about half
/// its final error (the greedy choice picks the best of many), so a symmetry at the
/// acceptance level runs at about half of it; see [`growth::PROBE_STEPS`] for figures.
const ABANDON_FACTOR: f64 = 1.0;

/// One seeded candidate: grow from `seeds` (branching on `first`'s image, see
/// [`growth::grow_branching`]), polish, record in `ctx`; returns the
/// polished permutation (`Abandoned` for a wrong seed, `Stopped` if stopped).
pub(crate) fn run_one_permutation(
    obj: &Objective,
    setup: &SeededSetup,
    seeds: &[(usize, usize)],
    first: Option<usize>,
    mode: Attach,
    ctx: &mut Ctx,
) -> Growth {
    let abandon = ABANDON_FACTOR * setup.accept.min(setup.group_tolerance);
    let mut p = match growth::grow_branching(obj, &setup.nb, seeds, first, mode, abandon, ctx) {
        Growth::Grown(p) => p,
        other => return other,
    };
    if obj.n > growth::ABANDON_MIN_N && seed_is_outlier(obj, &p, seeds) {
        return Growth::Abandoned { steps: obj.n };
    }
    let best = ctx.found.best_error().unwrap_or(f64::INFINITY);
    let grown = ctx.relative_error(obj, &p);
    if grown > setup.accept {
        // Looks like a wrong j₀: a short polish only, to see whether it is rescuable.
        polish::two_opt_rounds(obj, &mut p, 2, ctx);
        let r = ctx.offer(obj, &p);
        if r > setup.accept {
            return Growth::Grown(p);
        }
    }
    polish::two_opt(obj, &mut p, ctx);
    // Alternate the two while they help: a swap often moves a mis-mapped node into the
    // worst set only after the re-assignment ran, and the few mistakes left behind make
    // a candidate generator explode the group (see `generators::enlarged_group`).
    let mut cost = ctx.cost(obj, &p);
    for _ in 0..POLISH_ROUNDS {
        polish::refine_worst(obj, &mut p, polish::REFINE_WORST, 4, ctx);
        polish::two_opt(obj, &mut p, ctx);
        let c = ctx.cost(obj, &p);
        if c >= cost - 1e-12 || ctx.should_stop() {
            break;
        }
        cost = c;
    }
    // Large graphs (partial neighbour lists): the mistakes of a near-symmetry come in
    // pairs and chains too many for the worst-node passes (see `image_swaps`).
    if !setup.nb.complete()
        && !ctx.should_stop()
        && image_swaps::best_image_swaps(obj, &setup.nb, &mut p, ctx)
    {
        polish::refine_worst(obj, &mut p, polish::REFINE_WORST, 4, ctx);
        polish::two_opt(obj, &mut p, ctx);
    }
    let r = ctx.offer(obj, &p);
    // An imperfect but competitive growth is re-mapped as a whole, which fixes
    // scattered mistakes; junk from a wrong j₀ is not worth the O(n³) step.
    let competitive =
        obj.n <= 256 || (obj.n <= REFINE_MAX_N && r <= 1.5 * best + 0.02 && has_outliers(obj, &p));
    if r > 1e-9 && competitive && !ctx.should_stop() {
        polish::refine(obj, &mut p, setup.symmetric, 3, ctx);
        polish::two_opt(obj, &mut p, ctx);
    }
    ctx.offer(obj, &p);
    Growth::Grown(p)
}

/// How much worse than the typical node the last seed may match before the growth
/// is taken for a wrong seed. A wrong seed on a graph with local structure leaves
/// the rest of the growth right and the seed itself mismatched by about `1/r²` times
/// the typical node (hundreds of times); a right one is typical.
const SEED_OUTLIER_FACTOR: f64 = 16.0;
/// Nodes sampled for the typical node error.
const TYPICAL_SAMPLE: usize = 64;

/// True if a seed's node error is an outlier among a strided sample of node errors:
/// the growth followed a known element that disagrees with a seed pair and matched
/// everything else, so polishing it could only find an element already known.
fn seed_is_outlier(obj: &Objective, p: &[usize], seeds: &[(usize, usize)]) -> bool {
    let n = obj.n;
    let node_error = |i: usize| obj.node_error(p, i);
    let step = n.div_ceil(TYPICAL_SAMPLE).max(1);
    let mut sample: Vec<f64> = (0..n).step_by(step).map(node_error).collect();
    sample.sort_by(f64::total_cmp);
    let median = sample[sample.len() / 2];
    seeds
        .iter()
        .any(|&(b, _)| node_error(b) > SEED_OUTLIER_FACTOR * median + 1e-300)
}

/// True if a few nodes are matched much worse than the typical one (the
/// signature of growth mistakes, as opposed to uniform noise).
fn has_outliers(obj: &Objective, p: &[usize]) -> bool {
    let mut e = obj.node_errors(p);
    e.sort_by(f64::total_cmp);
    let median = e[e.len() / 2];
    let max = e.last().copied().unwrap_or(0.0);
    max > 4.0 * median + 1e-12
}
