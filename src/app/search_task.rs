//! A search running on a background thread: cancel flag, progress, eventual results.
//!
//! The search engine itself lives in `crate::search`; this module only runs it off the
//! UI thread on a snapshot of `(W, d)` and scores what it found against the ground
//! truth (labels are used for scoring only, never by the search).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use ndarray::Array1;

use super::search_engine;
use super::search_outcome::SearchOutcome;
use crate::cancel::CancelToken;
use crate::model::{SnapshotWeights, Transformation};
use crate::perm::Permutation;

/// Which solver to run (SPEC §6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum SearchMethod {
    /// Spectral + seeded first, then annealing and FAQ if nothing good was found.
    #[default]
    Auto,
    /// Seed pair + greedy growth + 2-opt, one run per candidate image of a pivot.
    Seeded,
    /// Frank–Wolfe on the doubly-stochastic relaxation (FAQ / QSA).
    Faq,
    /// Simulated annealing over transpositions with a fixed-point penalty.
    Anneal,
    /// One eigendecomposition and one linear assignment.
    Spectral,
    /// Branch and bound that proves the optimum; small graphs only (n ≲ 20).
    Exact,
}

impl SearchMethod {
    /// All methods, for the selector.
    pub const ALL: [SearchMethod; 6] = [
        SearchMethod::Auto,
        SearchMethod::Seeded,
        SearchMethod::Spectral,
        SearchMethod::Faq,
        SearchMethod::Anneal,
        SearchMethod::Exact,
    ];

    /// Above this many neurons `exact` cannot finish: it runs to the time limit and
    /// reports the gap left.
    pub const EXACT_MAX_NEURONS: usize = 20;

    /// Name as in the CLI and the README.
    pub fn name(self) -> &'static str {
        match self {
            SearchMethod::Auto => "auto",
            SearchMethod::Seeded => "seeded",
            SearchMethod::Faq => "faq",
            SearchMethod::Anneal => "anneal",
            SearchMethod::Spectral => "spectral",
            SearchMethod::Exact => "exact",
        }
    }

    /// One-sentence explanation for tooltips.
    pub fn explanation(self) -> &'static str {
        match self {
            SearchMethod::Auto => {
                "Spectral and seeded search first; annealing and FAQ only if they find nothing good."
            }
            SearchMethod::Seeded => {
                "Fix π(i₀) = j₀ for every candidate j₀, grow π greedily, polish by pairwise swaps; finds whole groups."
            }
            SearchMethod::Faq => {
                "Frank–Wolfe on the relaxed (doubly-stochastic) problem, then projection to a permutation and 2-opt."
            }
            SearchMethod::Anneal => {
                "Simulated annealing over transpositions with a fixed-point penalty."
            }
            SearchMethod::Spectral => {
                "Eigenvector-based similarity and one assignment; fast but blind to degenerate spectra."
            }
            SearchMethod::Exact => {
                "Branch and bound: proves the best permutation is optimal (or reports the gap left). For small graphs only, n ≲ 20."
            }
        }
    }
}

/// Settings of one search.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchSettings {
    /// Solver.
    pub method: SearchMethod,
    /// Wall-clock limit in seconds.
    pub time_limit_secs: f64,
    /// Fixed-point penalty `c` in `J = r² + c·fix/n`.
    pub fixed_point_penalty: f64,
    /// Seed of the solver's randomness.
    pub seed: u64,
    /// How many distinct permutations to keep.
    pub max_results: usize,
}

impl Default for SearchSettings {
    fn default() -> Self {
        Self {
            method: SearchMethod::Auto,
            // The CLI's default: a search that stops at its limit reports results that
            // depend on the machine's speed, and on the small presets without a group
            // (`ring-random`) the whole search takes 17–19 s here, too close to 20.
            time_limit_secs: 60.0,
            fixed_point_penalty: 0.5,
            seed: 0,
            max_results: 64,
        }
    }
}

/// The best-matching true transformation of a found permutation.
#[derive(Clone, Debug, PartialEq)]
pub struct TruthMatch {
    /// The transformation.
    pub transformation: Transformation,
    /// Fraction of neurons `i` with `π(i) = g(i)`; "recovered" means ≥ 0.95.
    pub consistency: f64,
}

/// One row of the results table.
#[derive(Clone, Debug, PartialEq)]
pub struct FoundPermutation {
    /// The permutation of neurons (stored order).
    pub permutation: Permutation,
    /// `‖W − πW‖_F / ‖W‖_F`.
    pub error: f64,
    /// `‖d − πd‖ / ‖d‖`.
    pub node_error: f64,
    /// Number of fixed points.
    pub fixed_points: usize,
    /// Order of `π`.
    pub order: u64,
    /// Cycle type `(length, count)`.
    pub cycle_type: Vec<(usize, usize)>,
    /// Best ground-truth match, when labels exist.
    pub truth: Option<TruthMatch>,
}

/// Input of a search: a snapshot of the graph plus the ground truth for scoring.
pub struct SearchInput {
    /// Weights `W` (materialised on the search thread if they are not yet).
    pub weights: Arc<SnapshotWeights>,
    /// Node weights `d`.
    pub node_weights: Arc<Array1<f32>>,
    /// Ground-truth transformations (scoring only).
    pub ground_truth: Arc<Vec<(Transformation, Permutation)>>,
    /// The neurons consistency counts (`None`: all; the interior of an open line).
    pub scored: Option<Arc<Vec<bool>>>,
    /// Step of the snapshot (shown with the results).
    pub step: u64,
}

/// A running search; poll it every frame.
pub struct SearchTask {
    cancel: CancelToken,
    fraction_bits: Arc<AtomicU64>,
    best_bits: Arc<AtomicU64>,
    result: Arc<Mutex<Option<Result<SearchOutcome, String>>>>,
    started: Instant,
    cancelled_at: Option<Instant>,
    /// Step of the snapshot being searched.
    pub step: u64,
    thread: Option<JoinHandle<()>>,
}

impl SearchTask {
    /// Starts the search on its own thread; `repaint` is woken on progress and at the end.
    pub fn start(
        input: SearchInput,
        settings: SearchSettings,
        repaint: Option<egui::Context>,
    ) -> Self {
        let cancel = CancelToken::new();
        let fraction_bits = Arc::new(AtomicU64::new(0f64.to_bits()));
        let best_bits = Arc::new(AtomicU64::new(f64::NAN.to_bits()));
        let result = Arc::new(Mutex::new(None));
        let step = input.step;
        let thread = {
            let cancel = cancel.clone();
            let fraction_bits = fraction_bits.clone();
            let best_bits = best_bits.clone();
            let result = result.clone();
            std::thread::Builder::new()
                .name("search".into())
                .spawn(move || {
                    let start = Instant::now();
                    let mut last_repaint = Instant::now();
                    let mut report = |fraction: f64, best: Option<f64>| {
                        fraction_bits.store(fraction.to_bits(), Ordering::Relaxed);
                        if let Some(b) = best {
                            best_bits.store(b.to_bits(), Ordering::Relaxed);
                        }
                        if let Some(ctx) = &repaint
                            && last_repaint.elapsed() > Duration::from_millis(100)
                        {
                            last_repaint = Instant::now();
                            ctx.request_repaint();
                        }
                    };
                    let outcome =
                        search_engine::run(&input, &settings, &cancel, &mut report).map(|found| {
                            SearchOutcome::from_report_within(
                                found,
                                input.weights.full().cloned().unwrap_or_default(),
                                &input.node_weights,
                                input.ground_truth.clone(),
                                input.scored.clone(),
                                start.elapsed().as_secs_f64(),
                            )
                        });
                    if let Ok(mut slot) = result.lock() {
                        *slot = Some(outcome);
                    }
                    if let Some(ctx) = &repaint {
                        ctx.request_repaint();
                    }
                })
                .ok()
        };
        if thread.is_none()
            && let Ok(mut slot) = result.lock()
        {
            *slot = Some(Err("could not start the search thread".to_owned()));
        }
        Self {
            cancel,
            fraction_bits,
            best_bits,
            result,
            started: Instant::now(),
            cancelled_at: None,
            step,
            thread,
        }
    }

    /// Asks the search to stop; it returns its best results so far within ~0.5 s.
    pub fn cancel(&mut self) {
        self.cancel.cancel();
        self.cancelled_at.get_or_insert_with(Instant::now);
    }

    /// Whether Cancel was pressed.
    pub fn is_cancelling(&self) -> bool {
        self.cancelled_at.is_some()
    }

    /// Fraction done in `[0, 1]`.
    pub fn fraction(&self) -> f64 {
        f64::from_bits(self.fraction_bits.load(Ordering::Relaxed)).clamp(0.0, 1.0)
    }

    /// Best error found so far.
    pub fn best_error(&self) -> Option<f64> {
        let b = f64::from_bits(self.best_bits.load(Ordering::Relaxed));
        b.is_finite().then_some(b)
    }

    /// Seconds since start.
    pub fn elapsed_secs(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    /// The outcome, once finished (takes it; later calls return `None`).
    pub fn take_result(&mut self) -> Option<Result<SearchOutcome, String>> {
        let out = self.result.lock().ok()?.take();
        if out.is_some()
            && let Some(t) = self.thread.take()
        {
            let _ = t.join();
        }
        out
    }
}

impl Drop for SearchTask {
    fn drop(&mut self) {
        // Never wait here: a dropped task is cancelled and its thread finishes on its own.
        self.cancel.cancel();
    }
}

/// Builds a table row: error, cycle structure and the best ground-truth match, its
/// consistency counted over the neurons with `scored[i]` (all for `None`).
pub fn describe(
    permutation: Permutation,
    error: f64,
    node_error: f64,
    ground_truth: &[(Transformation, Permutation)],
    scored: Option<&[bool]>,
) -> FoundPermutation {
    let truth = best_truth_match_within(&permutation, ground_truth, scored);
    FoundPermutation {
        fixed_points: permutation.fixed_points(),
        order: permutation.order(),
        cycle_type: permutation.cycle_type(),
        permutation,
        error,
        node_error,
        truth,
    }
}

/// The true transformation agreeing with `pi` on the most neurons, with that fraction.
pub fn best_truth_match(
    pi: &Permutation,
    ground_truth: &[(Transformation, Permutation)],
) -> Option<TruthMatch> {
    best_truth_match_within(pi, ground_truth, None)
}

/// [`best_truth_match`] counting only the neurons with `scored[i]` (all for `None`): on
/// an open line its interior, where the shifts are translations — the consistency the
/// CLI's JSON reports (`line_space::masked_consistency`).
pub fn best_truth_match_within(
    pi: &Permutation,
    ground_truth: &[(Transformation, Permutation)],
    scored: Option<&[bool]>,
) -> Option<TruthMatch> {
    let n = pi.len();
    if n == 0 {
        return None;
    }
    ground_truth
        .iter()
        .filter(|(_, g)| g.len() == n)
        .map(|(t, g)| TruthMatch {
            transformation: *t,
            consistency: crate::model::line_space::masked_consistency(pi, g, scored),
        })
        .max_by(|a, b| a.consistency.total_cmp(&b.consistency))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On an open line the ends cannot follow a shift; counted over the interior, as
    /// the CLI's JSON counts, a result that shifts every interior neuron recovers it.
    #[test]
    fn consistency_is_counted_over_the_scored_neurons() {
        let shift = Permutation::from_images(vec![1, 2, 3, 4, 5, 0]).unwrap();
        let truth = vec![(Transformation::Shift { k: 1 }, shift)];
        // Agrees on neurons 1..=4, not on the two ends.
        let found = Permutation::from_images(vec![0, 2, 3, 4, 5, 1]).unwrap();
        let all = best_truth_match(&found, &truth).unwrap();
        assert!((all.consistency - 4.0 / 6.0).abs() < 1e-12);
        let interior = [false, true, true, true, true, false];
        let within = best_truth_match_within(&found, &truth, Some(&interior)).unwrap();
        assert_eq!(within.consistency, 1.0);
        let row = describe(found, 0.1, 0.0, &truth, Some(&interior));
        assert_eq!(row.truth.map(|t| t.consistency), Some(1.0));
    }
}
