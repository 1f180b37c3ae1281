//! The [`TrainingRecord`] a [`super::Simulation`] keeps: how many steps it has taken, the
//! metric history, what the last batch showed, and — once the state is unusable — why
//! training stopped ([`Diverged`]). The network holds what was learned; this holds what
//! happened, which is what an experiment file saves besides the weights.

use ndarray::Array2;

use super::network::Network;
use super::phase::Phase;
use super::training_batch::Batch;
use crate::cancel::CancelToken;
use crate::model::learning::HebbianState;
use crate::model::learning::metrics::{self, MetricsInput, MetricsRecord};

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

/// What a run has done so far: steps, metric history, the last stimulus shown and the
/// detectors' answer to it, and whether training diverged. It counts steps in the run's
/// own terms — stimuli per step, length of the field phase — fixed by the configuration.
#[derive(Clone, Debug)]
pub struct TrainingRecord {
    step: u64,
    /// Stimuli per step (the configuration's batch).
    batch: u64,
    /// Steps of the field phase (0 unless the bank is learned).
    field_steps: u64,
    history: Vec<MetricsRecord>,
    last_stimulus: Vec<f32>,
    last_activity: Vec<f32>,
    last_mean_activity: f64,
    /// Set once the state is unusable; no step is taken after it.
    diverged: Option<Diverged>,
    /// The current step's scheduled metrics are still to be computed (a cancellation
    /// stopped them).
    metrics_due: bool,
}

impl TrainingRecord {
    /// The record of `net`'s run at step 0: nothing shown yet (all zero), no history.
    pub(super) fn new(net: &Network) -> Self {
        let config = net.config();
        let (pixels, neurons) = (config.space.pixels(), net.neurons());
        Self {
            step: 0,
            batch: config.batch as u64,
            field_steps: net.field_steps(),
            history: Vec::new(),
            last_stimulus: vec![0.0; pixels],
            last_activity: vec![0.0; neurons],
            last_mean_activity: 0.0,
            diverged: None,
            metrics_due: false,
        }
    }

    /// Takes up `net`'s saved run after `step` steps with its `history` and the mean
    /// activity of its last batch. The last stimulus shown is not saved: row 0 of the
    /// last step is drawn again (every row has its own seed) and `net` encodes it.
    pub(super) fn resume(
        &mut self,
        net: &Network,
        step: u64,
        history: Vec<MetricsRecord>,
        mean_activity: f64,
    ) {
        self.step = step;
        self.history = history;
        self.last_mean_activity = mean_activity;
        let last = step.checked_sub(1);
        if let Some(batch) = last.and_then(|t| Batch::draw(net.config(), t, 1, None)) {
            let activities = net.activities(&batch.stimuli);
            self.show_rows(&batch.stimuli, &activities);
        }
    }

    /// Back to step 0 with nothing shown and no history; a divergence is forgotten.
    pub(super) fn reset(&mut self) {
        self.step = 0;
        self.history.clear();
        self.last_stimulus.iter_mut().for_each(|x| *x = 0.0);
        self.last_activity.iter_mut().for_each(|x| *x = 0.0);
        self.last_mean_activity = 0.0;
        self.diverged = None;
        self.metrics_due = false;
    }

    /// Steps taken.
    pub fn step(&self) -> u64 {
        self.step
    }

    /// Stimuli seen so far (`steps · batch`).
    pub fn stimuli_seen(&self) -> u64 {
        self.step.saturating_mul(self.batch)
    }

    /// What is learning now: the fields (first `field_steps` steps of a learned bank) or
    /// the recurrent graph.
    pub fn phase(&self) -> Phase {
        if self.step < self.field_steps {
            Phase::Fields {
                done: self.step,
                total: self.field_steps,
            }
        } else {
            Phase::Graph
        }
    }

    /// Steps the recurrent graph has learned from (all steps after the field phase).
    pub fn graph_steps(&self) -> u64 {
        self.step.saturating_sub(self.field_steps)
    }

    /// Stimuli the recurrent graph has learned from (`graph_steps · batch`); what the
    /// metric history counts, so `e_g` is plotted against the graph's own data.
    pub fn graph_stimuli(&self) -> u64 {
        self.graph_steps().saturating_mul(self.batch)
    }

    /// The recorded metric history.
    pub fn history(&self) -> &[MetricsRecord] {
        &self.history
    }

    /// The last stimulus shown (pixels): row 0 of the last batch.
    pub fn last_stimulus(&self) -> &[f32] {
        &self.last_stimulus
    }

    /// The detectors' activities for [`TrainingRecord::last_stimulus`] (stored order).
    pub fn last_activity(&self) -> &[f32] {
        &self.last_activity
    }

    /// Mean detector activity over the last batch.
    pub fn last_mean_activity(&self) -> f64 {
        self.last_mean_activity
    }

    /// Why training stopped, once it has diverged.
    pub fn divergence(&self) -> Option<&Diverged> {
        self.diverged.as_ref()
    }

    /// Whether no further step may be taken: training diverged earlier, or the step
    /// count has reached [`MAX_STEPS`] (recorded now as the divergence).
    pub(super) fn stopped(&mut self) -> bool {
        if self.diverged.is_none() && self.step >= MAX_STEPS {
            self.diverge(format!("the step limit {MAX_STEPS} is reached"));
        }
        self.diverged.is_some()
    }

    /// Counts one completed step.
    pub(super) fn count_step(&mut self) {
        self.step += 1;
    }

    /// Keeps row 0 of a batch's stimuli and activities for display.
    fn show_rows(&mut self, stimuli: &Array2<f32>, activities: &Array2<f32>) {
        self.last_stimulus = stimuli.row(0).to_vec();
        self.last_activity = activities.row(0).to_vec();
    }

    /// Keeps row 0 of a step's stimuli and activities for display, and their mean
    /// activity; returns the activities' sum (not finite: the step diverged).
    pub(super) fn show(&mut self, stimuli: &Array2<f32>, activities: &Array2<f32>) -> f64 {
        let sum: f64 = activities.iter().map(|&a| f64::from(a)).sum();
        self.last_mean_activity = sum / activities.len().max(1) as f64;
        self.show_rows(stimuli, activities);
        sum
    }

    /// Records that training diverged at the current step.
    pub(super) fn diverge(&mut self, reason: String) {
        self.diverged = Some(Diverged {
            step: self.step,
            reason,
        });
    }

    /// Whether the current step still lacks its metrics record (and training has not
    /// diverged, after which nothing more is recorded).
    pub(super) fn lacks_metrics(&self) -> bool {
        self.diverged.is_none() && self.history.last().map(|r| r.step) != Some(self.step)
    }

    /// After a graph step whose activities total `total`: the cheap checks of every
    /// step (`O(B·M)` activities, `O(M)` node weights of `state`; the `O(M²)` weights
    /// are checked through the scheduled metrics and before every save). Marks the run
    /// diverged and returns `false` when one fails; otherwise marks the step's metrics
    /// due when it is on the schedule for `neurons` detectors.
    pub(super) fn check_graph_step(
        &mut self,
        total: f64,
        state: &HebbianState,
        neurons: usize,
    ) -> bool {
        if !self.check_activities(total) {
            return false;
        }
        if let Err(e) = state.check_node_weights() {
            self.diverge(e.0);
            return false;
        }
        self.metrics_due |= metrics::on_schedule(self.graph_steps(), neurons);
        true
    }

    /// After a step whose activities total `total`: marks the run diverged and returns
    /// `false` when that is not finite.
    pub(super) fn check_activities(&mut self, total: f64) -> bool {
        if !total.is_finite() {
            let reason = "a detector activity is not finite or too large";
            self.diverge(reason.into());
        }
        total.is_finite()
    }

    /// Whether the scheduled metrics of the current step are still to be computed.
    pub(super) fn metrics_due(&self) -> bool {
        self.metrics_due
    }

    /// Whether the next step, a graph step if `graph`, will compute metrics for `neurons`
    /// detectors (it is on the schedule, or metrics are still due).
    pub(super) fn metrics_ahead(&self, graph: bool, neurons: usize) -> bool {
        self.metrics_due || (graph && metrics::on_schedule(self.graph_steps() + 1, neurons))
    }

    /// Computes the metrics that are due from `net`'s weights (mirrored in place first,
    /// so they are read without a copy), looking at `cancel`: `None` when it stopped
    /// them (they stay due), otherwise whether a record was appended.
    pub(super) fn settle_metrics(
        &mut self,
        net: &mut Network,
        cancel: Option<&CancelToken>,
    ) -> Option<bool> {
        if !self.metrics_due {
            return Some(false);
        }
        let mut kept = false;
        if self.lacks_metrics() && self.phase() == Phase::Graph {
            net.state_mut().mirror_now();
            kept = self.keep(self.metrics_unless(net, cancel)?);
        }
        self.metrics_due = false;
        Some(kept)
    }

    /// Appends the metrics of `net` now unless the history already ends at this step
    /// (or no graph step was taken yet); returns whether a record was appended (one
    /// that is not finite, or of weights beyond the limit, marks the run diverged).
    pub(super) fn record_metrics(&mut self, net: &mut Network) -> bool {
        if !(self.lacks_metrics() && self.phase() == Phase::Graph && self.graph_steps() > 0) {
            return false;
        }
        // Mirrored in place, so the metrics read W without a copy of it.
        net.state_mut().mirror_now();
        let kept = self.keep(self.metrics(net));
        self.metrics_due = false;
        kept
    }

    /// The metrics of `net`'s weights now, at this record's step and last mean activity.
    pub(super) fn metrics(&self, net: &Network) -> MetricsRecord {
        self.metrics_unless(net, None)
            .expect("only a cancel token stops the metrics")
    }

    /// [`TrainingRecord::metrics`] with a look at `cancel` while `W` is read (`None`:
    /// cancelled).
    pub(super) fn metrics_unless(
        &self,
        net: &Network,
        cancel: Option<&CancelToken>,
    ) -> Option<MetricsRecord> {
        let state = net.learning_state();
        let w = state.raw_weights();
        metrics::compute_unless(
            w.view(),
            MetricsInput {
                step: self.step,
                stimuli: self.graph_stimuli(),
                scale: state.scale(),
                mean_activity: self.last_mean_activity,
                true_permutation: net.true_permutation(),
                random_permutation: net.random_permutation(),
                scored: net.scored_neurons(),
            },
            cancel,
        )
    }

    /// Appends `m` to the history, or marks the run diverged when its values are not
    /// finite or the weights exceed the limit (such a record is never kept); returns
    /// whether it was kept.
    pub(super) fn keep(&mut self, m: MetricsRecord) -> bool {
        match m.unusable() {
            Some(reason) => {
                self.diverge(reason);
                false
            }
            None => {
                self.history.push(m);
                true
            }
        }
    }

    /// The full `O(M²)` check of the learned `state` (every weight finite and within
    /// [`crate::model::learning::MAX_WEIGHT_MAGNITUDE`]); also reports an earlier
    /// divergence.
    pub(super) fn check_health(&self, state: &HebbianState) -> Result<(), Diverged> {
        if let Some(d) = &self.diverged {
            return Err(d.clone());
        }
        state.check_health().map_err(|e| Diverged {
            step: self.step,
            reason: e.0,
        })
    }
}
