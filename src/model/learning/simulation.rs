//! The [`Simulation`]: stimuli → detectors → Hebbian graph, step by step, reproducibly.
//!
//! Step `t` (0-based) presents `B` stimuli; row `b` is drawn from a generator seeded by
//! `(seed, t, b)` only ([`crate::model::rng::derived_rng`]), so any step can be replayed without
//! replaying the ones before it, and a saved and reloaded run continues bit for bit.
//! With a sequence configuration every row is a pair of consecutive frames `(s, g·s)`:
//! the temporal rule learns `A(g·s)ᵀA(s)`, the other rules see the later frame `g·s`.
//!
//! The simulation is the step driver and its record (steps, metric history, the last
//! stimulus, divergence, pins, the view of a large `W`); what the configuration builds
//! and what has been learned is its [`Network`], which it reads through to. The batches
//! are drawn by `training_batch.rs`, the ground truth is `scoring_truth.rs`, and what it
//! publishes is a [`Snapshot`].

use std::ops::Deref;
use std::sync::Arc;

use ndarray::Array2;

use super::network::Network;
pub use super::snapshot::{Phase, Snapshot};
use super::training_batch::Batch;
use crate::cancel::CancelToken;
use crate::model::config::{ConfigError, LearningRule, SimConfig, Transformation};
use crate::model::detectors::learned_bank::FieldLearnerParts;
use crate::model::learning::metrics::{self, MetricsInput, MetricsRecord};
use crate::model::learning::overview::{Overview, ViewRequest, WeightSummary};
use crate::model::learning::pins::Pins;
use crate::model::learning::snapshot_weights::SnapshotWeights;
use crate::model::learning::{HebbianState, PathChoice, UpdateParams};
use crate::model::rng::{Purpose, derived_rng};
use crate::model::world::stimulus;
use crate::perm::Permutation;

/// The most steps a simulation takes. Far beyond any real run (10¹² steps), it keeps
/// `steps · batch` and every running count inside `u64`.
pub const MAX_STEPS: u64 = 1 << 40;

/// Training stopped because its state is no longer usable: a weight, node weight or
/// activity became non-finite or absurdly large, or the step limit was reached.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("training diverged at step {step}: {reason}")]
pub struct Diverged {
    /// The step after which the problem was found.
    pub step: u64,
    /// What is wrong.
    pub reason: String,
}

/// A running experiment. No global state; `Send` so it can live on a worker thread.
#[derive(Clone, Debug)]
pub struct Simulation {
    /// What the configuration built and what it has learned.
    net: Network,
    step: u64,
    history: Vec<MetricsRecord>,
    last_stimulus: Vec<f32>,
    last_activity: Vec<f32>,
    last_mean_activity: f64,
    /// Set once the state is unusable; [`Simulation::step`] then does nothing.
    diverged: Option<Diverged>,
    /// Weights recorded on the metric schedule ([`crate::model::learning::pins`]).
    pins: Pins,
    /// Stops a step in progress ([`Simulation::set_cancel`]): checked while the batch is
    /// drawn and encoded and inside the Hebbian kernel.
    cancel: Option<CancelToken>,
    /// Block sums of `W` for a view of a large matrix, kept up to date every step.
    overview: Option<Overview>,
}

impl Deref for Simulation {
    type Target = Network;

    /// The network's read-only accessors (`weights()`, `bank()`, `labels()`, …) are the
    /// simulation's: a caller holds one object for a run.
    fn deref(&self) -> &Network {
        &self.net
    }
}

impl Simulation {
    /// Builds the bank, hidden order and zero weights from a validated config.
    pub fn new(config: SimConfig) -> Result<Self, ConfigError> {
        config.check()?;
        let net = Network::build(config)?;
        let config = net.config();
        // Surface generator errors (e.g. missing assets) now rather than in `step`.
        stimulus::sample_config(
            &config.stimulus,
            config.space,
            &mut derived_rng(config.seed, Purpose::Test, u64::MAX, 0),
        )?;
        Ok(Self::with_start_pins(Self {
            last_stimulus: vec![0.0; config.space.pixels()],
            last_activity: vec![0.0; net.neurons()],
            net,
            step: 0,
            history: Vec::new(),
            last_mean_activity: 0.0,
            diverged: None,
            pins: Pins::default(),
            cancel: None,
            overview: None,
        }))
    }

    /// Rebuilds a simulation from saved parts (used by experiment files). The bank and
    /// permutations are regenerated from the config; the caller checks that they match.
    /// A learned bank needs [`Simulation::restore_with_fields`].
    pub fn restore(
        config: SimConfig,
        state: HebbianState,
        step: u64,
        history: Vec<MetricsRecord>,
        last_mean_activity: f64,
    ) -> Result<Self, ConfigError> {
        Self::restore_with_fields(config, None, state, step, history, last_mean_activity)
    }

    /// [`Simulation::restore`] with the saved state of a learned bank's field learner
    /// (`fields`, required exactly for learned banks), from which the fields, labels and
    /// true permutation are rebuilt exactly as they were.
    pub fn restore_with_fields(
        config: SimConfig,
        fields: Option<FieldLearnerParts>,
        state: HebbianState,
        step: u64,
        history: Vec<MetricsRecord>,
        last_mean_activity: f64,
    ) -> Result<Self, ConfigError> {
        let mut sim = Self::new(config)?;
        sim.net.restore(fields, state, step)?;
        sim.step = step;
        sim.history = history;
        sim.last_mean_activity = last_mean_activity;
        let mut sim = sim.with_start_pins();
        if step > 0 {
            // Regenerate what the GUI shows as "last stimulus": row 0 of the last step.
            if let Some(batch) = Batch::draw(sim.config(), step - 1, 1, sim.cancel.as_ref()) {
                let act = sim.activities(&batch.stimuli);
                sim.last_stimulus = batch.stimuli.row(0).to_vec();
                sim.last_activity = act.row(0).to_vec();
            }
        }
        Ok(sim)
    }

    /// Steps taken.
    pub fn step_count(&self) -> u64 {
        self.step
    }

    /// Stimuli seen so far (`steps · batch`).
    pub fn stimuli_seen(&self) -> u64 {
        self.step.saturating_mul(self.config().batch as u64)
    }

    /// Stimuli the recurrent graph has learned from (`graph_steps · batch`); what the
    /// metric history counts, so `e_g` is plotted against the graph's own data.
    pub fn graph_stimuli(&self) -> u64 {
        self.graph_steps()
            .saturating_mul(self.config().batch as u64)
    }

    /// Lets `token` stop a step in progress (the CLI's first Ctrl+C, a sweep's cancel):
    /// the stimuli are drawn and encoded in blocks with a look at the token between
    /// them ([`crate::model::learning::step_cancel`]), and a cancelled step leaves the simulation exactly
    /// as it was before it, so a run saved afterwards is the last completed step.
    pub fn set_cancel(&mut self, token: Option<crate::cancel::CancelToken>) {
        self.cancel = token;
    }

    /// Whether the cancel token (if any) is set.
    fn cancelled(&self) -> bool {
        crate::model::learning::step_cancel::is_cancelled(self.cancel.as_ref())
    }

    /// Asks for (or stops) the block sums of `W` a view of a large matrix needs
    /// ([`super::overview`]): kept up to date every step from then on, and read with
    /// [`Simulation::view_summary`]. A request in the same order as the current one only
    /// changes its window and row; an invalid order clears it.
    pub fn set_view(&mut self, request: Option<ViewRequest>) {
        self.overview = Overview::follow(self.overview.take(), request, self.learning_state());
    }

    /// The view's block means, window and row now (see [`Simulation::set_view`]).
    pub fn view_summary(&mut self) -> Option<WeightSummary> {
        let state = self.net.learning_state();
        self.overview.as_mut().map(|o| o.summary(state))
    }

    /// A snapshot for a view of a large matrix: the view's summary
    /// ([`Simulation::view_summary`]), and as weights either `reuse` (a copy of `W` taken
    /// earlier, still current) or, when `None`, the summary alone — no copy of `W`.
    pub fn summary_snapshot(&mut self, reuse: Option<Arc<SnapshotWeights>>) -> Snapshot {
        let summary = Arc::new(self.view_summary().unwrap_or_else(|| {
            WeightSummary::empty(self.neurons(), self.learning_state().is_symmetric())
        }));
        let weights = reuse.unwrap_or_else(|| Arc::new(SnapshotWeights::Summary(summary.clone())));
        let mut snapshot = self.snapshot_with(weights);
        snapshot.summary = Some(summary);
        snapshot
    }

    /// Advances one step (one batch). Once training has diverged (see
    /// [`Simulation::divergence`]) or reached [`MAX_STEPS`], it does nothing. During the
    /// field phase of a learned bank the step updates the fields, not the graph.
    pub fn step(&mut self) {
        if self.diverged.is_some() {
            return;
        }
        if self.step >= MAX_STEPS {
            self.diverged = Some(Diverged {
                step: self.step,
                reason: format!("the step limit {MAX_STEPS} is reached"),
            });
            return;
        }
        // A cancelled step returns before anything is changed.
        let cancel = self.cancel.as_ref();
        let Some(batch) = Batch::draw(self.config(), self.step, self.config().batch, cancel) else {
            return;
        };
        if let Phase::Fields { total, .. } = self.phase() {
            if self.cancelled() {
                return;
            }
            self.field_step(&batch.stimuli, total);
            return;
        }
        let Some(current) = self.activities_unless(&batch.stimuli, cancel) else {
            return;
        };
        let previous = match (&batch.previous, self.config().rule) {
            (Some(prev), LearningRule::Temporal) => match self.activities_unless(prev, cancel) {
                Some(p) => Some(p),
                None => return,
            },
            _ => None,
        };
        if self.cancelled() {
            return;
        }
        let config = self.net.config();
        let params = UpdateParams {
            rule: config.rule,
            learning_rate: config.learning_rate,
            decay: config.decay,
        };
        let cancelled = self.net.state_mut().try_update(
            &params,
            current.view(),
            previous.as_ref().map(|p| p.view()),
            PathChoice::Auto,
            self.cancel.as_ref(),
        );
        if cancelled.is_err() {
            // The kernel stopped part-way and left `W` as it was: so is everything else.
            return;
        }
        if let Some(overview) = &mut self.overview {
            overview.record_step(&params, current.view(), previous.as_ref().map(|p| p.view()));
        }
        let total = self.show(&batch.stimuli, &current);
        self.step += 1;
        // Cheap checks every step (O(B·M) activities, O(M) node weights); the O(M²)
        // weights are checked through the scheduled metrics and before every save.
        if !total.is_finite() {
            self.diverge("a detector activity is not finite or too large".into());
            return;
        }
        if let Err(e) = self.learning_state().check_node_weights() {
            self.diverge(e.0);
            return;
        }
        if metrics::on_schedule(self.graph_steps(), self.neurons()) {
            self.push_metrics();
        }
    }

    /// Keeps row 0 of a step's stimuli and activities for display, and their mean
    /// activity; returns the activities' sum (not finite: the step diverged).
    fn show(&mut self, stimuli: &Array2<f32>, activities: &Array2<f32>) -> f64 {
        let sum: f64 = activities.iter().map(|&a| f64::from(a)).sum();
        self.last_mean_activity = sum / activities.len().max(1) as f64;
        self.last_stimulus = stimuli.row(0).to_vec();
        self.last_activity = activities.row(0).to_vec();
        sum
    }

    /// One step of the field phase: the learner sees the batch, the bank is rebuilt, and
    /// when the phase ends the true permutation is matched to the final fields.
    fn field_step(&mut self, stimuli: &Array2<f32>, total: u64) {
        self.net.learn_fields(stimuli, self.step);
        let current = self.activities(stimuli);
        let sum = self.show(stimuli, &current);
        self.step += 1;
        if self.step >= total
            && let Err(e) = self.net.rematch_true_permutation()
        {
            self.diverge(format!("the learned fields fit no permutation: {e}"));
        }
        if !sum.is_finite() {
            self.diverge("a detector activity is not finite or too large".into());
        }
    }

    /// What is learning now: the fields (first `field_steps` steps of a learned bank) or
    /// the recurrent graph.
    pub fn phase(&self) -> Phase {
        self.net.phase_at(self.step)
    }

    /// Steps the recurrent graph has learned from (all steps after the field phase).
    pub fn graph_steps(&self) -> u64 {
        self.step.saturating_sub(self.field_steps())
    }

    /// Records that training diverged at the current step.
    fn diverge(&mut self, reason: String) {
        self.diverged = Some(Diverged {
            step: self.step,
            reason,
        });
    }

    /// Appends the current metrics, or marks the run diverged when they are not finite
    /// or the weights exceed the limit (such a record is never kept).
    fn push_metrics(&mut self) {
        // Mirrored in place, so the metrics read W without a copy of it.
        self.net.state_mut().mirror_now();
        let m = self.metrics();
        match m.unusable() {
            Some(reason) => self.diverge(reason),
            None => {
                self.record_pins();
                self.history.push(m);
            }
        }
    }

    /// Why training stopped, once it has diverged (`None` while the state is healthy as
    /// far as the per-step checks see).
    pub fn divergence(&self) -> Option<&Diverged> {
        self.diverged.as_ref()
    }

    /// The full `O(M²)` check of the learned state (every weight finite and within
    /// [`crate::model::learning::MAX_WEIGHT_MAGNITUDE`]); also reports an earlier divergence.
    /// Saving calls it, so nothing non-finite is ever written.
    pub fn check_health(&self) -> Result<(), Diverged> {
        if let Some(d) = &self.diverged {
            return Err(d.clone());
        }
        self.learning_state().check_health().map_err(|e| Diverged {
            step: self.step,
            reason: e.0,
        })
    }

    /// Advances `n` steps (fewer once the cancel token is set), then makes sure the
    /// metric history ends at the current step.
    pub fn run_steps(&mut self, n: u64) {
        for _ in 0..n {
            if self.cancelled() {
                break;
            }
            self.step();
        }
        if n > 0 {
            self.record_metrics();
        }
    }

    /// Appends the current metrics to the history unless the last record is already of
    /// this step.
    pub fn record_metrics(&mut self) {
        if self.diverged.is_none()
            && self.phase() == Phase::Graph
            && self.graph_steps() > 0
            && self.history.last().map(|r| r.step) != Some(self.step)
        {
            self.push_metrics();
        }
    }

    /// Back to step 0 with zero weights (same bank and order). The pinned cells stay
    /// pinned; their histories start again at step 0.
    pub fn reset(&mut self) {
        self.net.reset();
        if let Some(o) = &mut self.overview {
            o.mark_stale();
        }
        self.step = 0;
        self.history.clear();
        self.last_stimulus.iter_mut().for_each(|x| *x = 0.0);
        self.last_activity.iter_mut().for_each(|x| *x = 0.0);
        self.last_mean_activity = 0.0;
        self.diverged = None;
        self.pins.clear_histories();
        self.record_pins();
    }

    /// Every exact symmetry of the space that the bank is closed under, as a permutation
    /// of neurons in stored order (identity excluded). Scoring only; never used by the search.
    ///
    /// A learned bank, once its field phase is over, contributes every exact symmetry of
    /// the space by its best-overlap permutation (it is nearly closed under them).
    ///
    /// When the stimuli are scaled over a range on the polar retina, the zoom in and out by
    /// one ring follow as *approximate* ground truth (named "zoom … (approximate)"): their
    /// neuron permutations pair each detector with the one whose field overlaps most with
    /// its zoomed field, as for a random bank, since rings fall off the rim.
    pub fn ground_truth_transformations(&self) -> Vec<(Transformation, Permutation)> {
        let graph_phase = self.phase() == Phase::Graph;
        super::scoring_truth::ground_truth_transformations(self.config(), self.bank(), graph_phase)
    }

    /// Latest metrics, computed now.
    pub fn metrics(&self) -> MetricsRecord {
        let w = self.learning_state().raw_weights();
        metrics::compute(
            w.view(),
            MetricsInput {
                step: self.step,
                stimuli: self.graph_stimuli(),
                scale: self.learning_state().scale(),
                mean_activity: self.last_mean_activity,
                true_permutation: self.true_permutation(),
                random_permutation: self.random_permutation(),
                scored: self.scored_neurons(),
            },
        )
    }

    /// Mean detector activity over the last batch.
    pub fn last_mean_activity(&self) -> f64 {
        self.last_mean_activity
    }

    /// The recorded metric history.
    pub fn history(&self) -> &[MetricsRecord] {
        &self.history
    }

    /// An immutable snapshot for display (see [`Simulation::snapshot_into`]).
    pub fn snapshot(&self) -> Snapshot {
        self.snapshot_into(None)
    }

    /// An immutable snapshot whose weights are copied into `buffer` (reused when its
    /// shape fits). The simulation pays only for one pass over its raw weights — the
    /// upper triangle when the rule is symmetric — and the scaling and mirroring into
    /// `W` happen later, on whichever thread first asks for [`SnapshotWeights::full`].
    pub fn snapshot_into(&self, buffer: Option<Array2<f32>>) -> Snapshot {
        self.snapshot_with(Arc::new(SnapshotWeights::from_raw(
            self.learning_state().raw_copy_into(buffer),
        )))
    }

    /// A snapshot with the given weights and everything else copied now.
    fn snapshot_with(&self, weights: Arc<SnapshotWeights>) -> Snapshot {
        Snapshot {
            step: self.step,
            phase: self.phase(),
            bank_version: self.bank_version(),
            fields: self.changing_fields().map(Arc::new),
            weights,
            node_weights: Arc::new(self.node_weights()),
            stimulus: Arc::new(self.last_stimulus.clone()),
            activity: Arc::new(self.last_activity.clone()),
            history: Arc::new(self.history.clone()),
            pins: Arc::new(self.pins.clone()),
            summary: None,
        }
    }
}

#[path = "simulation_pins.rs"]
mod simulation_pins;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simulation_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Simulation>();
        assert_send_sync::<Snapshot>();
    }
}
