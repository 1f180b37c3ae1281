//! The simulated world and the learning layer, in rooms that follow the data flow:
//!
//! - [`world`]: spaces, stimuli, photos and sounds — what the layer sees;
//! - [`detectors`]: the detector bank (tiled kernels or learned fields) and its field
//!   measures — how the layer sees it;
//! - [`learning`]: the Hebbian rules, the [`Simulation`], metrics and pins — what the
//!   layer learns;
//! - [`config`]: the parameters every room reads, their validation, presets and
//!   `--set` patches.
//!
//! [`rng`] gives every room its seeded random streams.

pub mod config;
pub mod detectors;
pub mod learning;
pub mod rng;
pub mod world;

pub use config::*;
pub use learning::metrics::MetricsRecord;
pub use learning::phase::Phase;
pub use learning::pins::{PinError, PinSample, PinnedCell, Pins};
pub use learning::simulation::Simulation;
pub use learning::snapshot::Snapshot;
pub use learning::snapshot_weights::{SnapshotWeights, WeightsSource};
