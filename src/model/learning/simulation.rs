//! The [`Simulation`]: stimuli → detectors → Hebbian graph, step by step, reproducibly.
//!
//! Step `t` (0-based) presents `B` stimuli; row `b` is drawn from a generator seeded by
//! `(seed, t, b)` only ([`crate::model::rng::derived_rng`]), so any step can be replayed without
//! replaying the ones before it, and a saved and reloaded run continues bit for bit.
//! With a sequence configuration every row is a pair of consecutive frames `(s, g·s)`:
//! the temporal rule learns `A(g·s)ᵀA(s)`, the other rules see the later frame `g·s`.
//!
//! The simulation is the step driver: it holds what the configuration builds and what
//! has been learned (its [`Network`], which it reads through to), what has happened
//! (its [`TrainingRecord`]: steps, metric history, the last stimulus, divergence), the
//! pinned weights and the view of a large `W`, and moves them forward together. A step
//! is a [`PreparedStep`] (`prepared_step.rs`: its batch, drawn by `training_batch.rs`
//! and encoded, then learned from), the ground truth is `scoring_truth.rs`, and what it
//! publishes is a [`Snapshot`], built from those parts in `snapshot.rs`.

use std::ops::Deref;
use std::sync::Arc;

use ndarray::Array2;

use super::network::Network;
use super::phase::Phase;
pub use super::prepared_step::PreparedStep;
use super::snapshot::Snapshot;
use super::training_record::{Diverged, TrainingRecord};
use crate::cancel::CancelToken;
use crate::model::config::{ConfigError, SimConfig, Transformation};
use crate::model::detectors::learned_bank::FieldLearnerParts;
use crate::model::learning::HebbianState;
use crate::model::learning::metrics::MetricsRecord;
use crate::model::learning::overview::{Overview, ViewRequest};
use crate::model::learning::pins::Pins;
use crate::model::learning::snapshot_weights::SnapshotWeights;
use crate::model::rng::{Purpose, derived_rng};
use crate::model::world::stimulus;
use crate::perm::Permutation;

/// A running experiment. No global state; `Send` so it can live on a worker thread.
#[derive(Clone, Debug)]
pub struct Simulation {
    /// What the configuration built and what it has learned.
    net: Network,
    /// Steps, metric history, the last stimulus, divergence: what has happened.
    record: TrainingRecord,
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
            record: TrainingRecord::new(&net),
            net,
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
        sim.record
            .resume(&sim.net, step, history, last_mean_activity);
        Ok(sim.with_start_pins())
    }

    /// Steps taken.
    pub fn step_count(&self) -> u64 {
        self.record.step()
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
    /// [`Simulation::summary_snapshot`]. A request in the same order as the current one
    /// only changes its window and row; an invalid order clears it.
    pub fn set_view(&mut self, request: Option<ViewRequest>) {
        self.overview = Overview::follow(self.overview.take(), request, self.learning_state());
    }

    /// A snapshot for a view of a large matrix ([`Snapshot::summarised`]): the view's
    /// block means, window and row now ([`Simulation::set_view`]), and as weights
    /// `reuse` (a current copy of `W`) or the summary alone.
    pub fn summary_snapshot(&mut self, reuse: Option<Arc<SnapshotWeights>>) -> Snapshot {
        let state = self.net.learning_state();
        let summary = self.overview.as_mut().map(|o| o.summary(state));
        Snapshot::summarised(&self.net, &self.record, &self.pins, summary, reuse)
    }

    /// Lends the view's block sums ([`Simulation::set_view`]) to whoever follows the
    /// next steps instead of the simulation (a [`super::step_preview::StepPreview`] on
    /// the app's simulation thread, which works them out while the step runs aside):
    /// until [`Simulation::put_overview`] gives them back, steps leave them alone.
    pub fn take_overview(&mut self) -> Option<Overview> {
        self.overview.take()
    }

    /// Gives back block sums [`Simulation::take_overview`] lent, following every step
    /// taken since (or marked stale).
    pub fn put_overview(&mut self, overview: Overview) {
        self.overview = Some(overview);
    }

    /// Advances one step (one batch). Once training has diverged (see
    /// [`Simulation::divergence`]) or reached [`super::training_record::MAX_STEPS`], it
    /// does nothing. During the
    /// field phase of a learned bank the step updates the fields, not the graph.
    ///
    /// The same as [`Simulation::prepare_step`] then [`Simulation::apply_step`]: a step
    /// run in those two parts (as the app's worker does, to show the batch's stimuli
    /// while the step is under way) gives the same bits.
    pub fn step(&mut self) {
        if let Some(prepared) = self.prepare_step() {
            self.apply_step(prepared);
        }
    }

    /// The first part of [`Simulation::step`]: draws and encodes the next step's batch
    /// (which depends on the seed, the step number and the bank only, never on `W`).
    /// Nothing changes; `None` when training has stopped or the cancel token is set.
    pub fn prepare_step(&mut self) -> Option<PreparedStep> {
        if self.record.stopped() {
            return None;
        }
        PreparedStep::draw(
            &self.net,
            self.step_count(),
            self.phase(),
            self.cancel.as_ref(),
        )
    }

    /// The second part of [`Simulation::step`]: learns from a batch
    /// [`Simulation::prepare_step`] drew for the current step (any other is ignored),
    /// then records the scheduled metrics. Metrics a cancelled step left due are
    /// computed first. A cancellation (the token is checked inside the Hebbian kernel
    /// and the metrics) leaves the step undone, or — when it stops the metrics — done
    /// with its metrics still due ([`Simulation::metrics_due`]).
    pub fn apply_step(&mut self, prepared: PreparedStep) {
        if !self.complete_metrics() || self.record.stopped() {
            return;
        }
        if !prepared.is_for(&self.net, self.step_count()) || self.cancelled() {
            return;
        }
        let phase = self.phase();
        let overview = self.overview.as_mut();
        let Ok(Some(current)) =
            prepared.learn(&mut self.net, phase, overview, self.cancel.as_ref())
        else {
            // No activities, or the kernel stopped part-way and left `W` as it was: so
            // is everything else.
            return;
        };
        let total = self.record.show(prepared.stimulus_rows(), &current);
        self.record.count_step();
        let neurons = self.neurons();
        if let Phase::Fields { total: end, .. } = phase {
            // When the field phase ends, the true permutation is matched to the fields.
            if self.step_count() >= end
                && let Err(e) = self.net.rematch_true_permutation()
            {
                let reason = format!("the learned fields fit no permutation: {e}");
                self.record.diverge(reason);
            }
            self.record.check_activities(total);
        } else if self
            .record
            .check_graph_step(total, self.net.learning_state(), neurons)
        {
            self.complete_metrics();
        }
    }

    /// Whether the scheduled metrics of the current step are still to be computed (a
    /// cancellation stopped them): the next step, [`Simulation::complete_metrics`] or
    /// [`Simulation::record_metrics`] computes them, from the same `W`.
    pub fn metrics_due(&self) -> bool {
        self.record.metrics_due()
    }

    /// Whether applying `prepared` will compute metrics (the step is on the schedule,
    /// or metrics are still due): what a view uses to expect a longer step.
    pub fn metrics_ahead(&self, prepared: &PreparedStep) -> bool {
        self.record
            .metrics_ahead(prepared.has_activities(), self.neurons())
    }

    /// Computes metrics that are due, looking at the cancel token; returns whether none
    /// are due any more.
    pub fn complete_metrics(&mut self) -> bool {
        let settled = self
            .record
            .settle_metrics(&mut self.net, self.cancel.as_ref());
        if settled == Some(true) {
            self.record_pins();
        }
        settled.is_some()
    }

    /// What is learning now ([`TrainingRecord::phase`]).
    pub fn phase(&self) -> Phase {
        self.record.phase()
    }

    /// Why training stopped, once it has diverged (`None` while the state is healthy as
    /// far as the per-step checks see).
    pub fn divergence(&self) -> Option<&Diverged> {
        self.record.divergence()
    }

    /// The full `O(M²)` check of the learned state (every weight finite and within
    /// [`crate::model::learning::MAX_WEIGHT_MAGNITUDE`]); also reports an earlier divergence.
    /// Saving calls it, so nothing non-finite is ever written.
    pub fn check_health(&self) -> Result<(), Diverged> {
        self.record.check_health(self.learning_state())
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
    /// this step (metrics not finite, or weights beyond the limit, are never kept: they
    /// mark the run diverged).
    pub fn record_metrics(&mut self) {
        if self.record.record_metrics(&mut self.net) {
            self.record_pins();
        }
    }

    /// Back to step 0 with zero weights (same bank and order). The pinned cells stay
    /// pinned; their histories start again at step 0.
    pub fn reset(&mut self) {
        self.net.reset();
        if let Some(o) = &mut self.overview {
            o.mark_stale();
        }
        self.record.reset();
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
        self.record.metrics(&self.net)
    }

    /// What has happened: steps, metric history, the last stimulus and batch mean
    /// activity, divergence.
    pub fn record(&self) -> &TrainingRecord {
        &self.record
    }

    /// The recorded metric history.
    pub fn history(&self) -> &[MetricsRecord] {
        self.record.history()
    }

    /// An immutable snapshot for display (see [`Simulation::snapshot_into`]).
    pub fn snapshot(&self) -> Snapshot {
        self.snapshot_into(None)
    }

    /// An immutable snapshot whose weights are copied into `buffer`, reused when its
    /// shape fits ([`Snapshot::copying`]: one pass over the raw weights here).
    pub fn snapshot_into(&self, buffer: Option<Array2<f32>>) -> Snapshot {
        Snapshot::copying(&self.net, &self.record, &self.pins, buffer)
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
