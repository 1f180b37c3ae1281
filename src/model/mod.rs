//! The simulated world and the learning layer: spaces, stimuli, detectors,
//! Hebbian rules, metrics, and the [`Simulation`] that ties them together.

pub mod audio;
pub mod config;
pub mod config_patch;
pub mod data_dir;
pub mod detectors;
pub mod field_measures;
mod field_phase;
mod hebb_accumulate;
pub mod hebb_kernel;
pub mod image_patches;
pub mod kernels;
pub mod learned_bank;
pub mod learning;
pub mod line_space;
pub mod metrics;
pub mod overview;
pub mod photo_dir;
pub mod pins;
pub mod polar;
pub mod polar_bank;
pub mod polar_space;
pub mod polar_stimulus;
pub mod presets;
pub mod rng;
pub mod simulation;
pub mod snapshot_weights;
pub mod space;
pub mod step_cancel;
pub mod step_cost;
pub mod stimulus;
pub mod sym_eigen;
pub mod upper_rows;
pub mod validate;

pub use config::*;
pub use pins::{PinError, PinSample, PinnedCell, Pins};
pub use simulation::{MetricsRecord, Phase, Simulation, Snapshot};
pub use snapshot_weights::{SnapshotWeights, WeightsSource};
