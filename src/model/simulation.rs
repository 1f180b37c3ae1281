//! CONTRACT STUB — to be replaced by the real implementation (issue 2).
//! The public names and signatures below are what the GUI, the search and the
//! transform modules program against; keep them (add freely).

use std::sync::Arc;

use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

use super::config::{ConfigError, NeuronLabel, SimConfig};
use crate::perm::Permutation;

/// Metrics at one recorded step.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricsRecord {
    /// Steps taken.
    pub step: u64,
    /// Stimuli seen (`step · batch`).
    pub stimuli: u64,
    /// `‖W‖_F`.
    pub weight_norm: f64,
    /// Fraction of off-diagonal weights with `|w| ≤ 1e-6 · max|w|`.
    pub sparsity: f64,
    /// `max |w|`.
    pub max_weight: f64,
    /// Mean detector activity over the last batch.
    pub mean_activity: f64,
    /// `e_g` of the true transformation.
    pub symmetry_error_true: f64,
    /// The same for a fixed random permutation (baseline).
    pub symmetry_error_random: f64,
}

/// An immutable, cheap-to-share picture of a simulation (published to the GUI as `Arc<Snapshot>`).
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// Steps taken.
    pub step: u64,
    /// Materialised weights `W` (M × M, stored order).
    pub weights: Arc<Array2<f32>>,
    /// Node weights `d` (mean activity per detector).
    pub node_weights: Arc<Array1<f32>>,
    /// The last stimulus shown (pixels).
    pub stimulus: Arc<Vec<f32>>,
    /// Activities for that stimulus (stored order).
    pub activity: Arc<Vec<f32>>,
    /// Metric history so far.
    pub history: Arc<Vec<MetricsRecord>>,
}

/// A running experiment. No global state; `Send` so it can live on a worker thread.
pub struct Simulation {
    _private: (),
}

impl Simulation {
    /// Builds the bank, hidden order and zero weights from a validated config.
    pub fn new(config: SimConfig) -> Result<Self, ConfigError> {
        let _ = config;
        todo!("issue 2")
    }
    /// The configuration.
    pub fn config(&self) -> &SimConfig {
        todo!()
    }
    /// Steps taken.
    pub fn step_count(&self) -> u64 {
        todo!()
    }
    /// Advances one step (one batch).
    pub fn step(&mut self) {
        todo!()
    }
    /// Advances `n` steps.
    pub fn run_steps(&mut self, n: u64) {
        for _ in 0..n {
            self.step();
        }
    }
    /// Back to step 0 with zero weights (same bank and order).
    pub fn reset(&mut self) {
        todo!()
    }
    /// Number of detectors `M`.
    pub fn neurons(&self) -> usize {
        todo!()
    }
    /// Materialised weights.
    pub fn weights(&self) -> Array2<f32> {
        todo!()
    }
    /// Labels in stored order (scoring and display only).
    pub fn labels(&self) -> &[NeuronLabel] {
        todo!()
    }
    /// Receptive fields, M × pixels, stored order.
    pub fn fields(&self) -> &Array2<f32> {
        todo!()
    }
    /// The true transformation as a permutation of neurons in stored order.
    pub fn true_permutation(&self) -> &Permutation {
        todo!()
    }
    /// Latest metrics, computed now.
    pub fn metrics(&self) -> MetricsRecord {
        todo!()
    }
    /// An immutable snapshot for display.
    pub fn snapshot(&self) -> Snapshot {
        todo!()
    }
}
