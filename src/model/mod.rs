//! The simulated world and the learning layer: spaces, stimuli, detectors,
//! Hebbian rules, metrics, and the [`Simulation`] that ties them together.

pub mod config;
pub mod simulation;

pub use config::*;
pub use simulation::{MetricsRecord, Simulation, Snapshot};
