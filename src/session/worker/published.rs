//! What the simulation thread publishes: [`Published`] pictures of its state, each
//! with the [`ModelInfo`] of the simulation they show.

use std::sync::Arc;
use std::time::Instant;

use ndarray::Array2;

use crate::model::{NeuronLabel, SimConfig, Simulation, Snapshot, Transformation};
use crate::perm::Permutation;

/// Per-simulation facts that do not change while it runs.
pub struct ModelInfo {
    /// Increments whenever the simulation is replaced.
    pub generation: u64,
    /// Its configuration.
    pub config: SimConfig,
    /// Number of detectors.
    pub neurons: usize,
    /// Labels in stored order (display and scoring only).
    pub labels: Arc<Vec<NeuronLabel>>,
    /// Receptive fields, M × pixels.
    pub fields: Arc<Array2<f32>>,
    /// The tracked true transformation as a neuron permutation.
    pub true_permutation: Permutation,
    /// Every exact symmetry the bank is closed under (scoring only).
    pub ground_truth: Arc<Vec<(Transformation, Permutation)>>,
    /// The neurons consistency counts (`None`: all); on an open line its interior, as
    /// [`Simulation::scored_neurons`] says and the CLI's JSON counts.
    pub scored: Option<Arc<Vec<bool>>>,
    /// The simulation's bank version these facts describe (a learned bank's fields,
    /// labels and true permutation are refreshed once its field phase ends).
    pub bank_version: u64,
}

impl ModelInfo {
    /// The static facts of `sim` for generation `generation`.
    pub(super) fn of(sim: &Simulation, generation: u64) -> Self {
        Self {
            generation,
            config: sim.config().clone(),
            neurons: sim.neurons(),
            labels: Arc::new(sim.labels().to_vec()),
            fields: Arc::new(sim.fields().clone()),
            true_permutation: sim.true_permutation().clone(),
            ground_truth: Arc::new(sim.ground_truth_transformations()),
            scored: sim.scored_neurons().map(|m| Arc::new(m.to_vec())),
            bank_version: sim.bank_version(),
        }
    }
}

/// One published picture of the worker's state.
pub struct Published {
    /// Increments with every publication (identifies the snapshot for the heatmap).
    pub id: u64,
    /// The simulation's snapshot.
    pub snapshot: Arc<Snapshot>,
    /// Static facts about the simulation.
    pub model: Arc<ModelInfo>,
    /// Whether the worker is stepping.
    pub running: bool,
    /// Step at which the worker will pause by itself, if any.
    pub target: Option<u64>,
    /// Measured steps per second over the last publication interval.
    pub steps_per_second: f64,
    /// When the simulation thread took the snapshot.
    pub taken_at: Instant,
}
