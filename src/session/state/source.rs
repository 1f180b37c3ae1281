//! What the app shows: the simulation's newest snapshot, or a matrix the user opened
//! ([`crate::io::imported`]), with the "graph on screen" every view reads.

use std::sync::Arc;

use crate::io::imported::{ImportedGraph, NodeNames};
use crate::model::{NeuronLabel, Snapshot, Space, Transformation};
use crate::perm::Permutation;
use crate::session::worker::Published;

/// What the app shows: the simulation, or a matrix the user opened.
#[derive(Clone, Debug, Default)]
pub enum AppSource {
    /// The simulation on its thread (the newest published snapshot).
    #[default]
    Simulation,
    /// An imported matrix; the simulation is paused behind it until a preset or an
    /// experiment is opened.
    Imported(ImportedSource),
}

/// An imported matrix with its optional node names.
#[derive(Clone, Debug)]
pub struct ImportedSource {
    /// The matrix.
    pub graph: Arc<ImportedGraph>,
    /// Node names, once a labels file was loaded.
    pub names: Option<NodeNames>,
    /// Identifies this import to the heatmap and order caches; never equal to a
    /// simulation generation or a publication id (the top bit is set).
    pub key: u64,
}

/// The top bit marks keys of imported matrices, apart from the worker's counters.
pub const IMPORTED_KEY_BIT: u64 = 1 << 63;

impl ImportedSource {
    /// The name of node `i`, or its index when no labels file was loaded.
    pub fn node_name(&self, i: usize) -> String {
        self.names
            .as_ref()
            .and_then(|n| n.names.get(i).cloned())
            .unwrap_or_else(|| format!("node {i}"))
    }
}

/// The graph on screen, whichever source it comes from.
pub struct Shown {
    /// Identifies the weights to the heatmap (a publication id, or an import key).
    pub id: u64,
    /// Changes when the graph is replaced (a generation, or an import key).
    pub key: u64,
    /// The weights and, for a simulation, everything else it published.
    pub snapshot: Arc<Snapshot>,
    /// Detector labels (empty for an imported matrix).
    pub labels: Arc<Vec<NeuronLabel>>,
    /// The space (None for an imported matrix).
    pub space: Option<Space>,
    /// True transformations for scoring (empty for an imported matrix).
    pub ground_truth: Arc<Vec<(Transformation, Permutation)>>,
    /// The neurons consistency counts (`None`: all; the interior of an open line).
    pub scored: Option<Arc<Vec<bool>>>,
    /// Node names from a labels file.
    pub names: Option<Arc<Vec<String>>>,
}

impl Shown {
    /// Number of nodes.
    pub fn neurons(&self) -> usize {
        self.snapshot.weights.neurons()
    }

    /// An imported matrix on screen.
    pub fn imported(i: &ImportedSource) -> Self {
        Self {
            id: i.key,
            key: i.key,
            snapshot: i.graph.snapshot.clone(),
            labels: Arc::new(Vec::new()),
            space: None,
            ground_truth: Arc::new(Vec::new()),
            scored: None,
            names: i.names.as_ref().map(|n| n.names.clone()),
        }
    }

    /// The simulation's publication `p` on screen.
    pub fn simulated(p: &Published) -> Self {
        Self {
            id: p.id,
            key: p.model.generation,
            snapshot: p.snapshot.clone(),
            labels: p.model.labels.clone(),
            space: Some(p.model.config.space),
            ground_truth: p.model.ground_truth.clone(),
            scored: p.model.scored.clone(),
            names: None,
        }
    }
}
