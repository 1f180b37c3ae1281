//! A search running on a helper thread: cancel flag, live progress, and the outcome
//! delivered as a [`JobEvent::Searched`]. The engine itself is [`crate::search`]; this
//! only runs it on a snapshot of `(W, d)` and scores what it found against the ground
//! truth (labels score results; the search never reads them).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use ndarray::Array1;

use super::{JobEvent, Jobs};
use crate::cancel::CancelToken;
use crate::graph::WeightedGraph;
use crate::model::{SnapshotWeights, Transformation};
use crate::perm::Permutation;
use crate::report::outcome::SearchOutcome;
use crate::search::{SearchOptions, SearchReport};

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

/// A running search: cancel it, read its progress; its outcome arrives as an event.
pub struct SearchTask {
    cancel: CancelToken,
    fraction_bits: Arc<AtomicU64>,
    best_bits: Arc<AtomicU64>,
    started: Instant,
    cancelled_at: Option<Instant>,
    /// Step of the snapshot being searched.
    pub step: u64,
}

impl SearchTask {
    /// Starts the search as one of `jobs`; its outcome arrives as
    /// [`JobEvent::Searched`], and the UI is woken on progress.
    pub fn start(input: SearchInput, settings: SearchOptions, jobs: &mut Jobs) -> Self {
        let task = Self {
            cancel: CancelToken::new(),
            fraction_bits: Arc::new(AtomicU64::new(0f64.to_bits())),
            best_bits: Arc::new(AtomicU64::new(f64::NAN.to_bits())),
            started: Instant::now(),
            cancelled_at: None,
            step: input.step,
        };
        let cancel = task.cancel.clone();
        let fraction_bits = task.fraction_bits.clone();
        let best_bits = task.best_bits.clone();
        let repaint = jobs.repaint();
        jobs.run("search", move || {
            let start = Instant::now();
            let mut last_repaint = Instant::now();
            let mut report = |fraction: f64, best: Option<f64>| {
                fraction_bits.store(fraction.to_bits(), Ordering::Relaxed);
                if let Some(b) = best {
                    best_bits.store(b.to_bits(), Ordering::Relaxed);
                }
                if let Some(wake) = &repaint
                    && last_repaint.elapsed() > Duration::from_millis(100)
                {
                    last_repaint = Instant::now();
                    wake();
                }
            };
            let outcome = run(&input, &settings, &cancel, &mut report).map(|found| {
                SearchOutcome::from_report_within(
                    found,
                    input.weights.full().cloned().unwrap_or_default(),
                    &input.node_weights,
                    input.ground_truth.clone(),
                    input.scored.clone(),
                    start.elapsed().as_secs_f64(),
                )
            });
            JobEvent::Searched(Box::new(outcome))
        });
        task
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
}

impl Drop for SearchTask {
    fn drop(&mut self) {
        // Never wait here: a dropped task is cancelled and its thread finishes on its own.
        self.cancel.cancel();
    }
}

/// Runs the engine and returns its whole report: results, the approximate group, the
/// exact group and (for `exact`) the optimality certificate. `report(fraction,
/// best_error)` is called as it progresses; `cancel` makes the engine return its best
/// results so far within about half a second.
pub fn run(
    input: &SearchInput,
    settings: &SearchOptions,
    cancel: &CancelToken,
    report: &mut dyn FnMut(f64, Option<f64>),
) -> Result<SearchReport, String> {
    // An imported matrix has no node weights (empty), as `invariance-lab search FILE.npy`.
    let node_weights = (!input.node_weights.is_empty()).then(|| (*input.node_weights).clone());
    let w = input
        .weights
        .full()
        .ok_or("the weights are not copied yet (a matrix this large is copied on request)")?;
    let graph = WeightedGraph::new((**w).clone(), node_weights).map_err(|e| e.to_string())?;
    let mut progress = |p: crate::search::Progress| report(p.fraction, p.best_error);
    // The graph is this job's own copy: the search takes it instead of copying it again.
    crate::search::search_owned(graph, settings, cancel, &mut progress).map_err(|e| e.to_string())
}
