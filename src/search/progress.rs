//! Cancellation, deadlines, progress reporting, the work counters and the pool of
//! found permutations.
//!
//! The deadline only cancels: no stage reads the clock to decide how much to do
//! (every budget is a count of work, [`Work`]), so a search that ends before its
//! deadline gives the same results on any machine, load or thread count.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::cache::{NodeErrors, ScoreCache};
use super::objective::{Objective, fixed_points};
use crate::cancel::CancelToken;

/// What the search reports while it runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Progress {
    /// Fraction of the planned work done, in `[0, 1]`.
    pub fraction: f64,
    /// Lowest relative error found so far (`None` before the first candidate).
    pub best_error: Option<f64>,
}

/// The work a search did, by kind: what bounds every stage (never the clock), and
/// what a user reads to see why a search took as long as it did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Work {
    /// Search-tree nodes of the exact group (Traces', or our own search's).
    pub exact_group_nodes: u64,
    /// Greedy growths started from seed pairs (abandoned ones included; a growth
    /// branching on several first choices counts each branch).
    pub growths: u64,
    /// Nodes mapped by those growths.
    pub growth_steps: u64,
    /// Greedy growths on the quotient by a found generator's cycles (each maps every
    /// cycle: `n / L` steps), looking for generators that commute with it.
    pub quotient_growths: u64,
    /// Local-improvement rounds: pairwise-swap (2-opt) passes and re-assignments.
    pub polish_rounds: u64,
    /// Linear assignments solved.
    pub assignments: u64,
    /// Simulated-annealing moves proposed.
    pub anneal_moves: u64,
    /// Frank–Wolfe iterations (FAQ).
    pub faq_iterations: u64,
    /// Branch-and-bound nodes expanded (`--method exact`).
    pub nodes: u64,
}

/// Run-time context shared by the solvers.
/// What [`Ctx::should_stop`] checks, shareable between threads. A caller that sees
/// work stopped by it calls [`Ctx::should_stop`] to record why.
#[derive(Clone, Copy)]
pub(crate) struct Stop<'a> {
    cancel: &'a CancelToken,
    deadline: Instant,
}

impl Stop<'_> {
    /// True once cancelled or past the deadline.
    #[inline]
    pub fn now(&self) -> bool {
        self.cancel.is_cancelled() || Instant::now() >= self.deadline
    }
}

pub(crate) struct Ctx<'a> {
    cancel: &'a CancelToken,
    deadline: Instant,
    progress: &'a mut dyn FnMut(Progress),
    last_report: Option<Instant>,
    /// The part of `[0, 1]` the current stage maps its own fraction onto.
    stage: (f64, f64),
    /// Found permutations.
    pub found: Found,
    /// True once cancelled or past the deadline.
    pub stopped: bool,
    /// True if stopped because of the deadline.
    pub timed_out: bool,
    /// When the enumeration last accepted a generator.
    pub last_generator: Option<Instant>,
    /// Work done so far.
    pub work: Work,
    /// The score of the permutation last scored.
    scores: ScoreCache,
    /// The node errors of the permutation last polished.
    node_errors: NodeErrors,
}

impl<'a> Ctx<'a> {
    pub fn new(
        cancel: &'a CancelToken,
        deadline: Instant,
        progress: &'a mut dyn FnMut(Progress),
    ) -> Self {
        Self {
            cancel,
            deadline,
            progress,
            last_report: None,
            stage: (0.0, 1.0),
            found: Found::default(),
            stopped: false,
            timed_out: false,
            last_generator: None,
            work: Work::default(),
            scores: ScoreCache::default(),
            node_errors: NodeErrors::default(),
        }
    }

    /// Checks the cancel flag and the deadline (cheap; call often).
    #[inline]
    pub fn should_stop(&mut self) -> bool {
        if self.stopped {
            return true;
        }
        if self.cancel.is_cancelled() {
            self.stopped = true;
        } else if Instant::now() >= self.deadline {
            self.stopped = true;
            self.timed_out = true;
        }
        self.stopped
    }

    /// The cancel flag and deadline alone, for work handed to other threads.
    pub fn stop(&self) -> Stop<'a> {
        Stop {
            cancel: self.cancel,
            deadline: self.deadline,
        }
    }

    /// Sets the sub-range of the overall progress the next stage reports into.
    pub fn set_stage(&mut self, from: f64, to: f64) {
        self.stage = (from, to);
    }

    /// Reports progress (rate-limited to every 50 ms, except at the end of a stage).
    pub fn report(&mut self, fraction: f64) {
        let now = Instant::now();
        let due = self
            .last_report
            .is_none_or(|t| now.duration_since(t) >= Duration::from_millis(50));
        if due || fraction >= 1.0 {
            self.last_report = Some(now);
            let f = self.stage.0 + (self.stage.1 - self.stage.0) * fraction.clamp(0.0, 1.0);
            (self.progress)(Progress {
                fraction: f,
                best_error: self.found.best_error(),
            });
        }
    }

    /// The last report: the whole search is done, and the best error is that of the
    /// final results (which may include group elements the solvers never offered).
    pub fn report_final(&mut self, best_error: Option<f64>) {
        self.last_report = Some(Instant::now());
        (self.progress)(Progress {
            fraction: 1.0,
            best_error,
        });
    }

    /// `S(π)` ([`Objective::score`]; one pass over `W` unless `p` was the last
    /// permutation scored). The context serves one objective.
    pub fn score(&mut self, obj: &Objective, p: &[usize]) -> f64 {
        self.scores.score(obj, p)
    }

    /// The penalised cost `J(π)` ([`Objective::cost`]) from [`Ctx::score`].
    pub fn cost(&mut self, obj: &Objective, p: &[usize]) -> f64 {
        obj.cost_from(self.score(obj, p), fixed_points(p))
    }

    /// The relative error `r(π)` from [`Ctx::score`].
    pub fn relative_error(&mut self, obj: &Objective, p: &[usize]) -> f64 {
        obj.rel_sq_from_score(self.score(obj, p)).sqrt()
    }

    /// The `k` nodes with the largest error ([`Objective::node_errors`]), worst first,
    /// ties by index; kept up to date between calls instead of recomputed (see
    /// [`NodeErrors`]).
    pub fn worst_nodes(&mut self, obj: &Objective, p: &[usize], k: usize) -> Vec<usize> {
        self.node_errors.worst(obj, p, k)
    }

    /// Records a candidate (identity ignored); returns its relative error.
    pub fn offer(&mut self, obj: &Objective, p: &[usize]) -> f64 {
        let r = self.relative_error(obj, p);
        self.found.insert(p, r);
        r
    }
}

/// A token cancelled when `parent` is, or at `deadline`: for work that checks a token
/// only (the exact group). A helper thread watches both until the value is dropped.
pub(crate) struct DeadlineToken {
    token: CancelToken,
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
    watcher: Option<std::thread::JoinHandle<()>>,
}

impl DeadlineToken {
    /// How often the helper looks at the clock and the parent token.
    const POLL: Duration = Duration::from_millis(10);

    pub fn new(parent: &CancelToken, deadline: Instant) -> Self {
        use std::sync::atomic::Ordering;
        let token = CancelToken::new();
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (t, p, d) = (token.clone(), parent.clone(), done.clone());
        let watcher = std::thread::Builder::new()
            .name("search-deadline".into())
            .spawn(move || {
                while !d.load(Ordering::Relaxed) {
                    if p.is_cancelled() || Instant::now() >= deadline {
                        t.cancel();
                        return;
                    }
                    std::thread::sleep(Self::POLL);
                }
            })
            .ok();
        if watcher.is_none() && (parent.is_cancelled() || Instant::now() >= deadline) {
            token.cancel();
        }
        Self {
            token,
            done,
            watcher,
        }
    }

    /// The token to hand to the work.
    pub fn token(&self) -> &CancelToken {
        &self.token
    }
}

impl Drop for DeadlineToken {
    fn drop(&mut self) {
        self.done.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(w) = self.watcher.take() {
            let _ = w.join();
        }
    }
}

/// Distinct non-identity permutations found, with their relative errors.
#[derive(Default)]
pub(crate) struct Found {
    map: HashMap<Vec<usize>, f64>,
    best: Option<f64>,
}

impl Found {
    /// Adds `p` with error `r` unless it is the identity.
    pub fn insert(&mut self, p: &[usize], r: f64) {
        if p.iter().enumerate().all(|(i, &x)| i == x) {
            return;
        }
        self.map.entry(p.to_vec()).or_insert(r);
        self.best = Some(self.best.map_or(r, |b: f64| b.min(r)));
    }

    /// Lowest error so far.
    pub fn best_error(&self) -> Option<f64> {
        self.best
    }

    /// Number with error at most `r`.
    pub fn count_below(&self, r: f64) -> usize {
        self.map.values().filter(|&&x| x <= r).count()
    }

    /// All entries sorted by error, then lexicographically.
    pub fn sorted(&self) -> Vec<(Vec<usize>, f64)> {
        let mut v: Vec<(Vec<usize>, f64)> = self.map.iter().map(|(p, &r)| (p.clone(), r)).collect();
        v.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        v
    }

    /// The best permutation so far.
    pub fn best(&self) -> Option<(Vec<usize>, f64)> {
        self.sorted().into_iter().next()
    }
}
