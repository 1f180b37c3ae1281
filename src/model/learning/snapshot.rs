//! What a [`super::Simulation`] publishes: an immutable, cheap-to-share [`Snapshot`]
//! of one moment (sent to the GUI as `Arc<Snapshot>`), taken from the simulation's
//! parts — its network, training record and pins — so the simulation only says which
//! weights to carry.

use std::sync::Arc;

use ndarray::{Array1, Array2};

use super::network::Network;
use super::phase::Phase;
use super::training_record::TrainingRecord;
use crate::model::learning::metrics::MetricsRecord;
use crate::model::learning::overview::WeightSummary;
use crate::model::learning::pins::Pins;
use crate::model::learning::snapshot_weights::SnapshotWeights;

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
    /// its row ([`super::Simulation::set_view`]); `None` when no view asked.
    pub summary: Option<Arc<WeightSummary>>,
    /// Set on a preview of the step under way ([`super::step_preview`]): `summary`
    /// shows `W` after that many of the next step's stimuli, everything else the `step`
    /// completed before it.
    pub partial: Option<PartialStep>,
}

/// How far into the next step a preview is ([`Snapshot::partial`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartialStep {
    /// Stimuli of the step taken in.
    pub stimuli: usize,
    /// Stimuli in the step's batch.
    pub of: usize,
}

impl Snapshot {
    /// A snapshot of `net`, `record` and `pins` now, whose weights are copied into
    /// `buffer` (reused when its shape fits). The simulation pays only for one pass over
    /// its raw weights — the upper triangle when the rule is symmetric — and the scaling
    /// and mirroring into `W` happen later, on whichever thread first asks for
    /// [`SnapshotWeights::full`].
    pub(super) fn copying(
        net: &Network,
        record: &TrainingRecord,
        pins: &Pins,
        buffer: Option<Array2<f32>>,
    ) -> Self {
        let raw = net.learning_state().raw_copy_into(buffer);
        Self::with_weights(net, record, pins, Arc::new(SnapshotWeights::from_raw(raw)))
    }

    /// A snapshot for a view of a large matrix: the view's `summary` (empty when no view
    /// asked), and as weights either `reuse` (a copy of `W` taken earlier, still current)
    /// or, when `None`, the summary alone — no copy of `W`.
    pub(super) fn summarised(
        net: &Network,
        record: &TrainingRecord,
        pins: &Pins,
        summary: Option<WeightSummary>,
        reuse: Option<Arc<SnapshotWeights>>,
    ) -> Self {
        let summary = Arc::new(summary.unwrap_or_else(|| {
            WeightSummary::empty(net.neurons(), net.learning_state().is_symmetric())
        }));
        let weights = reuse.unwrap_or_else(|| Arc::new(SnapshotWeights::Summary(summary.clone())));
        let mut snapshot = Self::with_weights(net, record, pins, weights);
        snapshot.summary = Some(summary);
        snapshot
    }

    /// A snapshot with the given weights and everything else copied now.
    fn with_weights(
        net: &Network,
        record: &TrainingRecord,
        pins: &Pins,
        weights: Arc<SnapshotWeights>,
    ) -> Self {
        Snapshot {
            step: record.step(),
            phase: record.phase(),
            bank_version: net.bank_version(),
            fields: net.changing_fields().map(Arc::new),
            weights,
            node_weights: Arc::new(net.node_weights()),
            stimulus: Arc::new(record.last_stimulus().to_vec()),
            activity: Arc::new(record.last_activity().to_vec()),
            history: Arc::new(record.history().to_vec()),
            pins: Arc::new(pins.clone()),
            summary: None,
            partial: None,
        }
    }

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
