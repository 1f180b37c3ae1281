//! Approximate automorphism search (SPEC §6): find permutations `π` with a
//! small relative error `r(π) = ‖W − πW‖_F / ‖W‖_F` in any weighted, possibly
//! directed graph, excluding the identity.
//!
//! Convention (from [`crate::perm`]): `(πW)[π(i)][π(j)] = W[i][j]`.
//!
//! Entry point: [`search`]. It is GUI-free and meant to run on a background
//! thread: it checks a [`CancelToken`] often and reports [`Progress`].
//!
//! Solvers ([`Method`]): `seeded` (pivot pair, greedy growth, 2-opt),
//! `spectral` (invariant kernels, masked diagonal, one assignment), `faq`
//! (Frank–Wolfe/QSA with a fixed-point penalty), `anneal` (transpositions),
//! and `auto` (the default; spectral + seeded, then anneal + FAQ if needed).
//! All minimise `J(π) = r(π)² + c·fix(π)/n`.

mod anneal;
pub(crate) mod assignment;
mod auto;
mod cache;
mod candidates;
mod error;
pub mod exact;
mod faq;
mod generators;
pub mod group;
mod growth;
mod image_swaps;
mod lanes;
mod neighbours;
mod objective;
mod options;
mod polish;
mod progress;
mod quotient;
pub mod scoring;
mod seeded;
mod signature;
mod spectral;

use std::time::{Duration, Instant};

use ndarray::ArrayView2;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;

use crate::perm::{self, Permutation};

pub use group::GroupSummary;
pub use progress::{Progress, Work};

use crate::cancel::CancelToken;
use crate::graph::WeightedGraph;

pub use error::SearchError;
pub use options::{MAX_RESULTS_LIMIT, Method, SearchOptions};

/// Relative error at or below which a result is labelled exact.
pub const EXACT_TOLERANCE: f64 = 1e-9;

/// One found permutation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SearchResult {
    /// `π` (`permutation.image(i)` is where `i` goes).
    pub permutation: Permutation,
    /// `r(π) = ‖W − πW‖_F / ‖W‖_F`.
    pub relative_error: f64,
    /// `‖d − πd‖ / ‖d‖` when node weights were given.
    pub node_weight_error: Option<f64>,
    /// `fix(π)`.
    pub fixed_points: usize,
    /// Order of `π`.
    pub order: u64,
    /// Cycle type as `(length, count)` pairs.
    pub cycle_type: Vec<(usize, usize)>,
    /// `r(π) ≤ 1e-9`.
    pub exact: bool,
    /// Net flow along `π` in `[−1, 1]` (see [`net_flow`]): positive when the weights run
    /// from each node to its image more than back. It tells a transformation from its
    /// inverse on directed graphs, where both are equally good automorphisms; 0 on
    /// symmetric graphs.
    pub net_flow: f64,
}

/// Net flow along `π`:
/// `Σ_i (W[π(i)][i] − W[i][π(i)]) / Σ_i (|W[π(i)][i]| + |W[i][π(i)]|)`, in `[−1, 1]`
/// (0 when the denominator is 0).
///
/// Under the `Temporal` rule `W[i][j]` grows when `j` fires one frame before `i`, so the
/// true step `g` of the sequences has a positive net flow and `g⁻¹` the opposite one,
/// although both are automorphisms of the learned circulant graph with the same error.
/// `net_flow(π⁻¹) = −net_flow(π)`; on symmetric graphs it is 0.
pub fn net_flow(w: ArrayView2<f32>, pi: &Permutation) -> f64 {
    let (mut net, mut total) = (0.0f64, 0.0f64);
    for i in 0..pi.len() {
        let forward = f64::from(w[[pi.image(i), i]]);
        let backward = f64::from(w[[i, pi.image(i)]]);
        net += forward - backward;
        total += forward.abs() + backward.abs();
    }
    if total == 0.0 { 0.0 } else { net / total }
}

impl SearchResult {
    fn new(obj: &objective::Objective, permutation: Permutation) -> Self {
        let relative_error = obj.exact_relative_error(&permutation);
        Self::with_error(obj, permutation, relative_error)
    }

    /// A result whose relative error is already known: measured, or proved 0 for an
    /// element of the exact group (computing it would give exactly 0 too: every weight
    /// moves onto an equal one).
    fn with_error(
        obj: &objective::Objective,
        permutation: Permutation,
        relative_error: f64,
    ) -> Self {
        Self {
            node_weight_error: obj
                .node_weights()
                .map(|d| perm::node_weight_error(d, &permutation)),
            fixed_points: permutation.fixed_points(),
            order: permutation.order(),
            cycle_type: permutation.cycle_type(),
            exact: relative_error <= EXACT_TOLERANCE,
            net_flow: net_flow(obj.weights(), &permutation),
            relative_error,
            permutation,
        }
    }
}

/// Everything a search returns.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SearchReport {
    /// Number of nodes.
    pub n: usize,
    /// The solver that ran.
    pub method: Method,
    /// Wall time in seconds.
    pub elapsed_s: f64,
    /// Distinct non-identity permutations, lowest error first. Near-identities
    /// (more than half the nodes fixed) appear only when exact: they are the
    /// trap the fixed-point penalty exists for.
    pub results: Vec<SearchResult>,
    /// Group analysis of the near-exact results.
    pub group: GroupSummary,
    /// True if the search was cancelled.
    pub cancelled: bool,
    /// True if the time limit ended the search (its results then depend on the
    /// machine's speed).
    pub timed_out: bool,
    /// The exact automorphism group (colours by exact weight equality), or why it
    /// was not proved.
    pub exact_group: Result<crate::group::ExactGroup, String>,
    /// `--method exact`: the proved optimum, or the gap left when the time ran out.
    pub certificate: Option<exact::Certificate>,
    /// Seconds from the start until the search held its final group: when the
    /// enumeration accepted its last generator, if those generators alone generate the
    /// group reported (`None` otherwise, or without a group). The rest of the search
    /// only tried to extend the group and found nothing more.
    pub full_group_s: Option<f64>,
    /// The work done, by kind (what bounds each stage, instead of the clock).
    pub work: Work,
}

/// Runs the search. `progress` is called from the calling thread every ~50 ms.
/// Cancelling `cancel` makes it return (with the best results so far) within
/// about 0.5 s.
pub fn search(
    graph: &WeightedGraph,
    options: &SearchOptions,
    cancel: &CancelToken,
    progress: &mut dyn FnMut(Progress),
) -> Result<SearchReport, SearchError> {
    search_graph(Graph::Borrowed(graph), options, cancel, progress)
}

/// [`search`] of a graph the caller no longer needs: the search takes its matrix
/// instead of copying it (the same report, with one `n × n` matrix in memory instead
/// of two: 1 GiB less at 16,384 nodes).
pub fn search_owned(
    graph: WeightedGraph,
    options: &SearchOptions,
    cancel: &CancelToken,
    progress: &mut dyn FnMut(Progress),
) -> Result<SearchReport, SearchError> {
    search_graph(Graph::Owned(graph), options, cancel, progress)
}

/// The graph a search runs on: the caller's, or given to it.
enum Graph<'a> {
    Borrowed(&'a WeightedGraph),
    Owned(WeightedGraph),
}

impl Graph<'_> {
    fn get(&self) -> &WeightedGraph {
        match self {
            Graph::Borrowed(g) => g,
            Graph::Owned(g) => g,
        }
    }
}

fn search_graph(
    input: Graph<'_>,
    options: &SearchOptions,
    cancel: &CancelToken,
    progress: &mut dyn FnMut(Progress),
) -> Result<SearchReport, SearchError> {
    let graph = input.get();
    options.check()?;
    let begin = Instant::now();
    let n = graph.n();
    let limit = Duration::from_secs_f64(options.time_limit_secs.min(1e7));
    let deadline = begin + limit;
    // The exact group first: on learned (noisy) graphs colour refinement settles it
    // as trivial in one pass, so it costs a small share of the search. The time limit
    // cancels it too (through a token the deadline cancels).
    let exact_options = crate::group::ExactOptions {
        tolerance: options.exact_tolerance,
        ..crate::group::ExactOptions::default()
    };
    let exact_group = {
        let timer = progress::DeadlineToken::new(cancel, deadline);
        crate::group::exact_group(
            graph.weights(),
            graph.node_weights(),
            &exact_options,
            timer.token(),
        )
    };
    let exact_timed_out = !cancel.is_cancelled() && Instant::now() >= deadline;
    let exact_seed = exact_seed(&exact_group, options, n);
    let exact_group = match exact_group {
        Ok(g) => Ok(g),
        // A stopped search still proved a subgroup: shown, marked incomplete.
        Err(crate::group::ExactGroupError::Incomplete(g)) => Ok(*g),
        Err(e) => Err(e.to_string()),
    };
    // Every result is relative (errors are ratios of norms), so the search runs on its
    // one copy of the matrix, scaled into a safe floating-point range.
    let obj = match input {
        Graph::Borrowed(g) => objective::Objective::scaled(g, options.penalty),
        Graph::Owned(g) => objective::Objective::scaled_owned(g, options.penalty),
    };
    let symmetric = obj.symmetric;
    let mut ctx = progress::Ctx::new(cancel, deadline, progress);
    if exact_timed_out {
        ctx.should_stop();
    }
    ctx.work.exact_group_nodes = exact_group.as_ref().map_or(0, |g| g.nodes);
    let sig = signature::Signatures::compute(&obj);
    let nb = neighbours::Neighbours::compute(&obj);
    let baseline = random_baseline(&obj, options.seed);
    let accept = 0.5 * baseline;
    let setup = seeded::SeededSetup {
        nb,
        sig,
        symmetric,
        accept,
        good: 0.1 * baseline,
        group_tolerance: options.group_tolerance,
        few_weights: exact_group
            .as_ref()
            .is_ok_and(|g| g.edge_colours <= seeded::FEW_WEIGHTS),
    };
    let max = options.max_results;
    let mut certificate = None;
    // Exact automorphisms are approximate ones with error 0: they are results, and
    // they start the approximate group, so the search looks only for what they do
    // not explain.
    let exact_count = exact_seed.gens.len();
    let exact_gens = exact_seed.gens.clone();
    for g in &exact_gens {
        ctx.offer(&obj, g.images());
    }
    // The exact group's chain: membership proves an error of 0 without measuring it.
    let exact_chain = (exact_count > 0).then(|| exact_seed.chain(n, &[]));
    let result_of = |p: Permutation| match &exact_chain {
        Some(c) if c.contains(&p) => SearchResult::with_error(&obj, p, 0.0),
        _ => SearchResult::new(&obj, p),
    };
    let mut enumerated = generators::Generators::default();
    match options.method {
        Method::Auto => enumerated = auto::run(&obj, &setup, options.seed, exact_seed, &mut ctx),
        Method::Seeded => {
            enumerated = generators::enumerate(
                &obj,
                &setup,
                options.seed,
                growth::Attach::Total,
                exact_seed,
                &mut ctx,
            );
        }
        Method::Spectral => spectral::run(&obj, &setup, max, &mut ctx),
        Method::Faq => faq::run(&obj, symmetric, 3, options.seed, &mut ctx),
        Method::Exact => certificate = Some(exact::run(&obj, options.max_nodes, &mut ctx)),
        Method::Anneal => {
            anneal::run(&obj, None, options.seed, 1000 * n.max(200), &mut ctx);
        }
    }
    let cancelled = cancel.is_cancelled();
    let timed_out = ctx.timed_out;
    // Exact errors for the best candidates (the search used a faster formula).
    let mut results: Vec<SearchResult> = ctx
        .found
        .sorted()
        .into_iter()
        .take(max.saturating_mul(2).max(16))
        .filter_map(|(p, _)| Permutation::from_images(p).ok())
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(result_of)
        .filter(|r| r.exact || 2 * r.fixed_points <= n)
        .collect();
    sort_results(&mut results);
    // The acceptance level: exact results if there are any, otherwise results below
    // `group_tolerance`, three times the best error and half the random-permutation
    // level. A candidate joins the
    // group only if the group stays made of near-symmetries (its random elements and
    // short words below half the random level, none a near-identity): a spurious
    // generator makes the group explode into near-random permutations.
    let exact_mode = results.first().is_some_and(|r| r.exact);
    let (tolerance, bound) = if exact_mode {
        (EXACT_TOLERANCE, EXACT_TOLERANCE)
    } else {
        let best = results.first().map_or(0.0, |r| r.relative_error);
        let tol = options
            .group_tolerance
            .min(setup.accept)
            .min(3.0 * best + 1e-9);
        (tol, setup.accept)
    };
    // After the exact group, the generators found level by level come first, then the
    // other results by error.
    let mut candidates: Vec<(Permutation, f64)> = enumerated
        .gens
        .iter()
        .skip(exact_count)
        .map(|g| (g.clone(), obj.exact_relative_error(g)))
        .collect();
    candidates.extend(
        results
            .iter()
            .filter(|r| r.relative_error <= tolerance)
            .map(|r| (r.permutation.clone(), r.relative_error)),
    );
    let (group, mut measured) = group::analyse(
        &obj,
        (&exact_gens, exact_chain.as_ref()),
        &candidates,
        tolerance,
        bound,
        options.seed,
    );
    let full_group_s = ctx.last_generator.and_then(|t| {
        let enumerated_order = enumerated.chain(n, &[]).order();
        (group.order.as_ref() == Some(&enumerated_order))
            .then(|| t.duration_since(begin).as_secs_f64())
    });
    // Complete the results with the best measured group elements not found directly.
    measured.retain(|m| m.error <= bound.max(EXACT_TOLERANCE) && !m.permutation.is_identity());
    measured.sort_by(|a, b| {
        a.error
            .total_cmp(&b.error)
            .then_with(|| a.permutation.cmp(&b.permutation))
    });
    let known: std::collections::HashSet<Permutation> =
        results.iter().map(|r| r.permutation.clone()).collect();
    let extra: Vec<SearchResult> = measured
        .into_iter()
        .filter(|m| !known.contains(&m.permutation))
        .take(max)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|m| SearchResult::with_error(&obj, m.permutation, m.error))
        .collect();
    results.extend(extra);
    sort_results(&mut results);
    results.truncate(max);
    ctx.report_final(results.first().map(|r| r.relative_error));
    Ok(SearchReport {
        n,
        method: options.method,
        elapsed_s: begin.elapsed().as_secs_f64(),
        results,
        group,
        cancelled,
        timed_out,
        exact_group,
        certificate,
        full_group_s,
        work: ctx.work,
    })
}

/// Most work (base length² × n, about the cost of its stabiliser chain) for an exact
/// group to start the approximate group. Beyond (the symmetric group on thousands of
/// twins) its chain would cost more than the search, and the approximate group
/// starts empty as before.
const EXACT_SEED_WORK: f64 = 2_147_483_648.0;

/// The exact group's generators as the start of the approximate group: only when they
/// are exact automorphisms (colour tolerance 0), the group is complete and
/// non-trivial, and its chain is affordable.
fn exact_seed(
    exact: &Result<crate::group::ExactGroup, crate::group::ExactGroupError>,
    options: &SearchOptions,
    n: usize,
) -> generators::Generators {
    match exact {
        Ok(g)
            if options.exact_tolerance == 0.0
                && !g.generators.is_empty()
                && (g.base.len() as f64).powi(2) * n as f64 <= EXACT_SEED_WORK =>
        {
            generators::Generators::exact(g.generators.clone(), g.order.log2())
        }
        _ => generators::Generators::default(),
    }
}

fn sort_results(results: &mut [SearchResult]) {
    results.sort_by(|a, b| {
        a.relative_error
            .total_cmp(&b.relative_error)
            .then_with(|| a.permutation.images().cmp(b.permutation.images()))
    });
}

/// Relative error of `π` estimated from at most 32 evenly spaced rows:
/// `O(32·n)` instead of `O(n²)`.
pub(crate) fn sampled_error(obj: &objective::Objective, p: &Permutation) -> f64 {
    let n = obj.n;
    let step = n.div_ceil(32).max(1);
    let img = p.images();
    let (mut diff, mut norm) = (0.0f64, 0.0f64);
    for i in (0..n).step_by(step) {
        let (row, prow) = (obj.row(i), obj.row(img[i]));
        for j in 0..n {
            let d = (prow[img[j]] - row[j]) as f64;
            diff += d * d;
            norm += (row[j] as f64) * (row[j] as f64);
        }
    }
    if norm <= 0.0 {
        0.0
    } else {
        (diff / norm).sqrt()
    }
}

/// Mean relative error of a few random derangements: the "no structure" level.
fn random_baseline(obj: &objective::Objective, seed: u64) -> f64 {
    if obj.n < 2 {
        return 0.0;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
    let k = 4;
    (0..k)
        .map(|_| {
            let p = anneal::random_derangement(obj.n, &mut rng);
            obj.rel_sq_from_score(obj.score(&p)).sqrt()
        })
        .sum::<f64>()
        / k as f64
}
