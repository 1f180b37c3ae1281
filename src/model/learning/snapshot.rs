//! What a [`super::Simulation`] publishes: an immutable, cheap-to-share [`Snapshot`]
//! of one moment (sent to the GUI as `Arc<Snapshot>`), and the [`Phase`] it was in.

use std::sync::Arc;

use ndarray::{Array1, Array2};
use serde::Serialize;

use crate::model::learning::metrics::MetricsRecord;
use crate::model::learning::overview::WeightSummary;
use crate::model::learning::pins::Pins;
use crate::model::learning::snapshot_weights::SnapshotWeights;

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
    /// its row ([`super::Simulation::set_view`]); `None` when no view asked.
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
