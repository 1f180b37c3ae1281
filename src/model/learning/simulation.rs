//! The [`Simulation`]: stimuli → detectors → Hebbian graph, step by step, reproducibly.
//!
//! Step `t` (0-based) presents `B` stimuli; row `b` is drawn from a generator seeded by
//! `(seed, t, b)` only ([`crate::model::rng::derived_rng`]), so any step can be replayed without
//! replaying the ones before it, and a saved and reloaded run continues bit for bit.
//! With a sequence configuration every row is a pair of consecutive frames `(s, g·s)`:
//! the temporal rule learns `A(g·s)ᵀA(s)`, the other rules see the later frame `g·s`.

use std::sync::Arc;

use ndarray::{Array1, Array2};
use rand::seq::SliceRandom;
use serde::Serialize;

use crate::cancel::CancelToken;
use crate::model::config::{
    BankConfig, ConfigError, LearningRule, NeuronLabel, SimConfig, StimulusKind, Transformation,
};
use crate::model::detectors::Bank;
use crate::model::detectors::field_phase::LearnedFields;
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

/// Which part of the model is learning (learned banks learn their fields first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum Phase {
    /// The receptive fields are learning; the recurrent graph is still zero.
    Fields {
        /// Field-learning steps taken.
        done: u64,
        /// Steps of the field phase.
        total: u64,
    },
    /// The fields are fixed (or were never learned); the recurrent graph is learning.
    Graph,
}

/// An immutable, cheap-to-share picture of a simulation (published to the GUI as `Arc<Snapshot>`).
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// Steps taken.
    pub step: u64,
    /// What is learning.
    pub phase: Phase,
    /// Changes whenever the receptive fields change (every field-learning step).
    pub bank_version: u64,
    /// The current receptive fields of a learned bank (M × pixels, stored order);
    /// `None` for banks that never change.
    pub fields: Option<Arc<Array2<f32>>>,
    /// Weights `W` (M × M, stored order): exact values at once, the whole matrix on first
    /// use of [`SnapshotWeights::full`].
    pub weights: Arc<SnapshotWeights>,
    /// Node weights `d` (what the rule put on the diagonal, e.g. accumulated mean squared
    /// activity for Hebb; see the README's Model section).
    pub node_weights: Arc<Array1<f32>>,
    /// The last stimulus shown (pixels).
    pub stimulus: Arc<Vec<f32>>,
    /// Activities for that stimulus (stored order).
    pub activity: Arc<Vec<f32>>,
    /// Metric history so far.
    pub history: Arc<Vec<MetricsRecord>>,
    /// Pinned weights and their histories (short, see [`crate::model::learning::pins`]).
    pub pins: Arc<Pins>,
    /// For a large `W`: block means in the view's order, its window of exact cells and
    /// its row ([`Simulation::set_view`]); `None` when no view asked.
    pub summary: Option<Arc<WeightSummary>>,
}

impl Snapshot {
    /// The neuron (stored index) most active for the current stimulus: the views show
    /// it when no neuron is hovered or chosen.
    pub fn most_active(&self) -> Option<usize> {
        self.activity
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(i, _)| i)
    }
}

/// A running experiment. No global state; `Send` so it can live on a worker thread.
#[derive(Clone, Debug)]
pub struct Simulation {
    config: SimConfig,
    bank: Bank,
    true_permutation: Permutation,
    random_permutation: Permutation,
    /// The neurons the symmetry errors and consistency count (`None`: all); on an open
    /// line, the interior (`crate::model::detectors::line_space`).
    scored: Option<Vec<bool>>,
    state: HebbianState,
    step: u64,
    history: Vec<MetricsRecord>,
    last_stimulus: Vec<f32>,
    last_activity: Vec<f32>,
    last_mean_activity: f64,
    /// Set once the state is unusable; [`Simulation::step`] then does nothing.
    diverged: Option<Diverged>,
    /// The field learning of a learned bank (`None` for fixed banks).
    learned: Option<LearnedFields>,
    /// Weights recorded on the metric schedule ([`crate::model::learning::pins`]).
    pins: Pins,
    /// Stops a step in progress ([`Simulation::set_cancel`]): checked while the batch is
    /// drawn and encoded and inside the Hebbian kernel.
    cancel: Option<CancelToken>,
    /// Block sums of `W` for a view of a large matrix, kept up to date every step.
    overview: Option<Overview>,
}

/// One batch of training data: current frames, previous frames (sequences only).
struct Batch {
    stimuli: Array2<f32>,
    previous: Option<Array2<f32>>,
}

impl Simulation {
    /// Builds the bank, hidden order and zero weights from a validated config.
    pub fn new(config: SimConfig) -> Result<Self, ConfigError> {
        config.check()?;
        let learned = LearnedFields::of(&config)?;
        let bank = match &learned {
            Some(l) => l.bank(&config),
            None => Bank::build(&config.bank, config.space, config.seed)?,
        };
        let true_permutation = true_permutation_of(&config, &bank)?;
        let line_shift =
            crate::model::detectors::line_space::shift_size(config.true_transformation);
        let scored = crate::model::detectors::line_space::interior(&bank, config.space, line_shift);
        let m = bank.len();
        let mut images: Vec<usize> = (0..m).collect();
        images.shuffle(&mut derived_rng(config.seed, Purpose::RandomBaseline, 0, 0));
        let random_permutation = Permutation::from_images(images)
            .map_err(|e| ConfigError::Inconsistent(format!("random baseline permutation: {e}")))?;
        // Surface generator errors (e.g. missing assets) now rather than in `step`.
        stimulus::sample_config(
            &config.stimulus,
            config.space,
            &mut derived_rng(config.seed, Purpose::Test, u64::MAX, 0),
        )?;
        Ok(Self::with_start_pins(Self {
            state: HebbianState::new(m),
            last_stimulus: vec![0.0; config.space.pixels()],
            last_activity: vec![0.0; m],
            config,
            bank,
            true_permutation,
            random_permutation,
            scored,
            step: 0,
            history: Vec::new(),
            last_mean_activity: 0.0,
            diverged: None,
            learned,
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
        match (&mut sim.learned, fields) {
            (Some(l), Some(parts)) => {
                let pixels = l.filter_pixels(&sim.config);
                l.restore(parts, pixels, step)?;
                sim.refresh_bank();
                sim.true_permutation = true_permutation_of(&sim.config, &sim.bank)?;
            }
            (Some(_), None) => {
                return Err(ConfigError::Inconsistent(
                    "a learned bank needs its saved fields".into(),
                ));
            }
            (None, Some(_)) => {
                return Err(ConfigError::Inconsistent(
                    "saved learned fields, but the bank is not learned".into(),
                ));
            }
            (None, None) => {}
        }
        if state.neurons() != sim.neurons() {
            return Err(ConfigError::Inconsistent(format!(
                "the saved state has {} neurons, the config builds {}",
                state.neurons(),
                sim.neurons()
            )));
        }
        sim.state = state;
        sim.step = step;
        sim.history = history;
        sim.last_mean_activity = last_mean_activity;
        let mut sim = sim.with_start_pins();
        if step > 0 {
            // Regenerate what the GUI shows as "last stimulus": row 0 of the last step.
            if let Some(batch) = sim.batch_for(step - 1, 1) {
                let act = sim.activities(&batch.stimuli);
                sim.last_stimulus = batch.stimuli.row(0).to_vec();
                sim.last_activity = act.row(0).to_vec();
            }
        }
        Ok(sim)
    }

    /// The configuration.
    pub fn config(&self) -> &SimConfig {
        &self.config
    }

    /// Steps taken.
    pub fn step_count(&self) -> u64 {
        self.step
    }

    /// Stimuli seen so far (`steps · batch`).
    pub fn stimuli_seen(&self) -> u64 {
        self.step.saturating_mul(self.config.batch as u64)
    }

    /// Stimuli the recurrent graph has learned from (`graph_steps · batch`); what the
    /// metric history counts, so `e_g` is plotted against the graph's own data.
    pub fn graph_stimuli(&self) -> u64 {
        self.graph_steps().saturating_mul(self.config.batch as u64)
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

    /// The first `rows` rows of the batch of step `t` (all rows: `rows = batch`); `None`
    /// if the cancel token stopped it.
    fn batch_for(&self, t: u64, rows: usize) -> Option<Batch> {
        let space = self.config.space;
        let pixels = space.pixels();
        if let (StimulusKind::RotatedPhotos { scale, mirror }, None) =
            (&self.config.stimulus.kind, self.config.stimulus.sequence)
        {
            // The same draws as `stimulus::sample_config`, sampled as one sparse product.
            use crate::model::world::polar_stimulus::{PhotoSet, draw_view, sample_views};
            let data_dir = self.config.stimulus.data_dir.as_deref();
            let batch = PhotoSet::new(space, *scale, data_dir).and_then(|set| {
                let photos = set.photos()?;
                let views = (0..rows)
                    .map(|b| {
                        let mut rng = derived_rng(self.config.seed, Purpose::Training, t, b as u64);
                        draw_view(space, *scale, *mirror, &photos, &mut rng)
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                sample_views(space, &photos, &views)
            });
            if let Ok(stimuli) = batch
                && stimuli.dim() == (rows, pixels)
            {
                return Some(Batch {
                    stimuli,
                    previous: None,
                });
            }
        }
        let mut stimuli = Array2::<f32>::zeros((rows, pixels));
        let mut previous = self
            .config
            .stimulus
            .sequence
            .map(|_| Array2::<f32>::zeros((rows, pixels)));
        for b in 0..rows {
            if self.cancelled() {
                return None;
            }
            let mut rng = derived_rng(self.config.seed, Purpose::Training, t, b as u64);
            // `new` checked that the generator works; a failure here leaves a blank row.
            let Ok(base) = stimulus::sample_config(&self.config.stimulus, space, &mut rng) else {
                continue;
            };
            if base.len() != pixels {
                continue;
            }
            match (self.config.stimulus.sequence, previous.as_mut()) {
                (Some(g), Some(prev)) => {
                    let frames = stimulus::sequence(&base, space, g, 2);
                    if let [first, second] = frames.as_slice() {
                        prev.row_mut(b)
                            .assign(&ndarray::ArrayView1::from(first.as_slice()));
                        stimuli
                            .row_mut(b)
                            .assign(&ndarray::ArrayView1::from(second.as_slice()));
                    }
                }
                _ => stimuli
                    .row_mut(b)
                    .assign(&ndarray::ArrayView1::from(base.as_slice())),
            }
        }
        Some(Batch { stimuli, previous })
    }

    fn activities(&self, stimuli: &Array2<f32>) -> Array2<f32> {
        self.bank.activities(
            stimuli.view(),
            self.config.activation,
            self.config.threshold,
            self.config.k_winners,
        )
    }

    /// Asks for (or stops) the block sums of `W` a view of a large matrix needs
    /// ([`super::overview`]): kept up to date every step from then on, and read with
    /// [`Simulation::view_summary`]. A request in the same order as the current one only
    /// changes its window and row; an invalid order clears it.
    pub fn set_view(&mut self, request: Option<ViewRequest>) {
        self.overview = match (self.overview.take(), request) {
            (Some(mut o), Some(r))
                if o.request().order_id == r.order_id
                    && o.request().max_side == r.max_side
                    && o.request().order.len() == r.order.len() =>
            {
                o.set_window(r.viewport, r.row);
                Some(o)
            }
            (_, Some(r)) => Overview::new(r, &self.state),
            (_, None) => None,
        };
    }

    /// The view's block means, window and row now (see [`Simulation::set_view`]).
    pub fn view_summary(&mut self) -> Option<WeightSummary> {
        let state = &self.state;
        self.overview.as_mut().map(|o| o.summary(state))
    }

    /// A snapshot for a view of a large matrix: the view's summary
    /// ([`Simulation::view_summary`]), and as weights either `reuse` (a copy of `W` taken
    /// earlier, still current) or, when `None`, the summary alone — no copy of `W`.
    pub fn summary_snapshot(&mut self, reuse: Option<Arc<SnapshotWeights>>) -> Snapshot {
        let summary =
            Arc::new(self.view_summary().unwrap_or_else(|| {
                WeightSummary::empty(self.neurons(), self.state.is_symmetric())
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
        let Some(batch) = self.batch_for(self.step, self.config.batch) else {
            return;
        };
        if let Phase::Fields { total, .. } = self.phase() {
            if self.cancelled() {
                return;
            }
            self.field_step(&batch.stimuli, total);
            return;
        }
        let encode = |stimuli: &Array2<f32>| {
            crate::model::learning::step_cancel::activities(
                &self.bank,
                stimuli.view(),
                (
                    self.config.activation,
                    self.config.threshold,
                    self.config.k_winners,
                ),
                self.cancel.as_ref(),
            )
        };
        let Some(current) = encode(&batch.stimuli) else {
            return;
        };
        let previous = match (&batch.previous, self.config.rule) {
            (Some(prev), LearningRule::Temporal) => match encode(prev) {
                Some(p) => Some(p),
                None => return,
            },
            _ => None,
        };
        if self.cancelled() {
            return;
        }
        let params = UpdateParams {
            rule: self.config.rule,
            learning_rate: self.config.learning_rate,
            decay: self.config.decay,
        };
        let cancelled = self.state.try_update(
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
            let keep = 1.0 - f64::from(params.decay);
            let factor = f64::from(params.learning_rate) / current.nrows().max(1) as f64;
            match (params.rule, &previous) {
                (LearningRule::Hebb, _) => {
                    overview.record(keep, factor, current.view(), current.view())
                }
                (LearningRule::Temporal, Some(prev)) => {
                    overview.record(keep, factor, current.view(), prev.view())
                }
                (LearningRule::Temporal, None) => {
                    overview.record(keep, factor, current.view(), current.view())
                }
                _ => overview.mark_stale(),
            }
        }
        let total: f64 = current.iter().map(|&a| f64::from(a)).sum();
        self.last_mean_activity = total / current.len().max(1) as f64;
        self.last_stimulus = batch.stimuli.row(0).to_vec();
        self.last_activity = current.row(0).to_vec();
        self.step += 1;
        // Cheap checks every step (O(B·M) activities, O(M) node weights); the O(M²)
        // weights are checked through the scheduled metrics and before every save.
        if !total.is_finite() {
            self.diverge("a detector activity is not finite or too large".into());
            return;
        }
        if let Err(e) = self.state.check_node_weights() {
            self.diverge(e.0);
            return;
        }
        if metrics::on_schedule(self.graph_steps(), self.neurons()) {
            self.push_metrics();
        }
    }

    /// One step of the field phase: the learner sees the batch, the bank is rebuilt, and
    /// when the phase ends the true permutation is matched to the final fields.
    fn field_step(&mut self, stimuli: &Array2<f32>, total: u64) {
        if let Some(l) = &mut self.learned {
            l.learn(&self.config, stimuli, self.step);
        }
        self.refresh_bank();
        let current = self.activities(stimuli);
        self.last_stimulus = stimuli.row(0).to_vec();
        self.last_activity = current.row(0).to_vec();
        let sum: f64 = current.iter().map(|&a| f64::from(a)).sum();
        self.last_mean_activity = sum / current.len().max(1) as f64;
        self.step += 1;
        if self.step >= total {
            match true_permutation_of(&self.config, &self.bank) {
                Ok(p) => self.true_permutation = p,
                Err(e) => self.diverge(format!("the learned fields fit no permutation: {e}")),
            }
        }
        if !sum.is_finite() {
            self.diverge("a detector activity is not finite or too large".into());
        }
    }

    /// Rebuilds the bank from the learner's current filters.
    fn refresh_bank(&mut self) {
        if let Some(l) = &mut self.learned {
            self.bank = l.bank(&self.config);
            l.bump_version();
        }
    }

    /// What is learning now: the fields (first `field_steps` steps of a learned bank) or
    /// the recurrent graph.
    pub fn phase(&self) -> Phase {
        match &self.learned {
            Some(l) if self.step < l.field_steps() => Phase::Fields {
                done: self.step,
                total: l.field_steps(),
            },
            _ => Phase::Graph,
        }
    }

    /// Steps of the field phase (0 for banks that are not learned).
    pub fn field_steps(&self) -> u64 {
        self.learned.as_ref().map_or(0, |l| l.field_steps())
    }

    /// Steps the recurrent graph has learned from (all steps after the field phase).
    pub fn graph_steps(&self) -> u64 {
        self.step.saturating_sub(self.field_steps())
    }

    /// The saved form of the field learner (learned banks only).
    pub fn field_learner(&self) -> Option<FieldLearnerParts> {
        self.learned.as_ref().map(|l| l.parts())
    }

    /// Changes whenever the receptive fields change (0 for fixed banks).
    pub fn bank_version(&self) -> u64 {
        self.learned.as_ref().map_or(0, |l| l.version())
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
        self.state.mirror_now();
        let m = self.metrics();
        let values = [
            m.weight_norm,
            m.sparsity,
            m.max_weight,
            m.mean_activity,
            m.symmetry_error_true,
            m.symmetry_error_random,
        ];
        if values.iter().any(|v| !v.is_finite()) {
            self.diverge("the metrics are not finite (a weight overflowed)".into());
        } else if m.max_weight > crate::model::learning::MAX_WEIGHT_MAGNITUDE {
            self.diverge(format!(
                "max |w| = {:e} exceeds {:e}",
                m.max_weight,
                crate::model::learning::MAX_WEIGHT_MAGNITUDE
            ));
        } else {
            self.record_pins();
            self.history.push(m);
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
        self.state.check_health().map_err(|e| Diverged {
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
        self.state.reset();
        if let Some(o) = &mut self.overview {
            o.mark_stale();
        }
        self.step = 0;
        self.history.clear();
        self.last_stimulus.iter_mut().for_each(|x| *x = 0.0);
        self.last_activity.iter_mut().for_each(|x| *x = 0.0);
        self.last_mean_activity = 0.0;
        self.diverged = None;
        if let Some(l) = &mut self.learned {
            l.reset();
        }
        if self.learned.is_some() {
            self.refresh_bank();
            if let Ok(p) = true_permutation_of(&self.config, &self.bank) {
                self.true_permutation = p;
            }
        }
        self.pins.clear_histories();
        self.record_pins();
    }

    /// Number of detectors `M`.
    pub fn neurons(&self) -> usize {
        self.bank.len()
    }

    /// Materialised weights.
    pub fn weights(&self) -> Array2<f32> {
        self.state.weights()
    }

    /// Calls `f` with the rows of `W` (stored order, bit-identical to
    /// [`Simulation::weights`]) a block of whole rows at a time, without copying the
    /// matrix: what an export of a 1 GiB `W` streams.
    pub fn for_each_weight_row_block<E>(
        &self,
        mut f: impl FnMut(&[f32]) -> Result<(), E>,
    ) -> Result<(), E> {
        let scale = self.state.scale();
        let mut scaled = Vec::new();
        self.state.for_each_raw_row_block(|_, rows| {
            if scale == 1.0 {
                return f(rows);
            }
            scaled.clear();
            scaled.extend(rows.iter().map(|&w| (f64::from(w) * scale) as f32));
            f(&scaled)
        })
    }

    /// The learning state (raw buffers, decay scale, running means) — what experiment
    /// files persist for bit-exact continuation.
    pub fn learning_state(&self) -> &HebbianState {
        &self.state
    }

    /// The detector bank (fields, labels, hidden order).
    pub fn bank(&self) -> &Bank {
        &self.bank
    }

    /// Labels in stored order (scoring and display only).
    pub fn labels(&self) -> &[NeuronLabel] {
        &self.bank.labels
    }

    /// Receptive fields, M × pixels, stored order.
    pub fn fields(&self) -> &Array2<f32> {
        &self.bank.fields
    }

    /// The true transformation as a permutation of neurons in stored order (for a bank
    /// that is not closed under it, the best-overlap approximation).
    pub fn true_permutation(&self) -> &Permutation {
        &self.true_permutation
    }

    /// The neurons that symmetry errors and consistency count, `None` for all: on an open
    /// line, the interior for the true shift (`crate::model::detectors::line_space`).
    pub fn scored_neurons(&self) -> Option<&[bool]> {
        self.scored.as_deref()
    }

    /// The fixed, seeded random permutation used as the symmetry-error baseline.
    pub fn random_permutation(&self) -> &Permutation {
        &self.random_permutation
    }

    /// Node weights `d` (what the rule put on the diagonal; see the README's Model section).
    pub fn node_weights(&self) -> Array1<f32> {
        self.state.node_weights()
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
        let space = self.config.space;
        if space.is_line() {
            return crate::model::detectors::line_space::ground_truth(
                &self.bank,
                space,
                self.config.true_transformation,
            );
        }
        let mut truths = self.bank.ground_truth(space);
        // A learned bank is closed under few transformations exactly, the rest only
        // nearly (its closure defect): once its fields are learned, the space's other
        // exact symmetries count by their best-overlap permutations, as the tracked true
        // transformation does (`crate::model::detectors::learned_truth`). Not during the field phase,
        // whose fields change every step.
        if matches!(self.config.bank, BankConfig::Learned { .. }) && self.phase() == Phase::Graph {
            truths = crate::model::detectors::learned_truth::best_overlap_truths(
                space, &self.bank, truths,
            );
        }
        let zooms = match self.config.stimulus.kind {
            StimulusKind::RotatedPhotos { scale, .. } if scale.0 < scale.1 => {
                crate::model::world::polar_space::approximate_transformations(space)
            }
            _ => Vec::new(),
        };
        for t in zooms {
            if let Some(p) = crate::model::world::polar_space::approximate_map(space, t)
                .and_then(|map| self.bank.best_overlap_permutation(&map))
            {
                truths.push((t, p));
            }
        }
        truths
    }

    /// Activities of the detectors for one stimulus (stored order). A stimulus with the
    /// wrong number of pixels gives all-zero activities.
    pub fn encode(&self, stimulus: &[f32]) -> Vec<f32> {
        let m = self.neurons();
        let Ok(view) = ndarray::ArrayView2::from_shape((1, stimulus.len()), stimulus) else {
            return vec![0.0; m];
        };
        match self.bank.try_activities(
            view,
            self.config.activation,
            self.config.threshold,
            self.config.k_winners,
        ) {
            Ok(a) => a.row(0).to_vec(),
            Err(_) => vec![0.0; m],
        }
    }

    /// `count` seeded held-out stimuli (independent of the training stream).
    pub fn test_stimuli(&self, count: usize) -> Vec<Vec<f32>> {
        let space = self.config.space;
        (0..count as u64)
            .map(|i| {
                let mut rng = derived_rng(self.config.seed, Purpose::Test, i, 0);
                stimulus::sample_config(&self.config.stimulus, space, &mut rng)
                    .unwrap_or_else(|_| vec![0.0; space.pixels()])
            })
            .collect()
    }

    /// Latest metrics, computed now.
    pub fn metrics(&self) -> MetricsRecord {
        let w = self.state.raw_weights();
        metrics::compute(
            w.view(),
            MetricsInput {
                step: self.step,
                stimuli: self.graph_stimuli(),
                scale: self.state.scale(),
                mean_activity: self.last_mean_activity,
                true_permutation: &self.true_permutation,
                random_permutation: &self.random_permutation,
                scored: self.scored.as_deref(),
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
            self.state.raw_copy_into(buffer),
        )))
    }

    /// A snapshot with the given weights and everything else copied now.
    fn snapshot_with(&self, weights: Arc<SnapshotWeights>) -> Snapshot {
        Snapshot {
            step: self.step,
            phase: self.phase(),
            bank_version: self.bank_version(),
            fields: self
                .learned
                .as_ref()
                .map(|_| Arc::new(self.bank.fields.clone())),
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

/// The true transformation as a neuron permutation of `bank` (best overlap when the
/// bank is not closed under it).
fn true_permutation_of(config: &SimConfig, bank: &Bank) -> Result<Permutation, ConfigError> {
    let pixel_perm = config
        .space
        .pixel_permutation(config.true_transformation)
        .ok_or_else(|| ConfigError::Invalid {
            field: "true_transformation",
            reason: format!(
                "{} is not an exact transformation of this space",
                config.true_transformation
            ),
        })?;
    match config.true_transformation {
        Transformation::Shift { k } if config.space.is_line() => {
            crate::model::detectors::line_space::shift_permutation(bank, config.space, k)
        }
        _ => bank.best_neuron_permutation(&pixel_perm),
    }
    .ok_or_else(|| {
        ConfigError::Inconsistent(format!(
            "no neuron permutation corresponds to {}",
            config.true_transformation
        ))
    })
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
