//! The learning room: the Hebbian rules and their batched update ([`hebbian`]), the
//! [`Simulation`] that drives world → detectors → rule step by step (its [`Network`],
//! its [`training_record::TrainingRecord`], the [`snapshot::Snapshot`] it publishes), the
//! metrics it records, the pinned weights it follows, and the cost bound and
//! cancellation of a step.

pub mod block_sums;
mod hebb_accumulate;
pub mod hebb_kernel;
mod hebb_rows;
mod hebb_tiles;
pub mod hebbian;
mod lazy_weights;
pub mod metrics;
mod mirror;
mod network;
pub mod overview;
pub mod phase;
pub mod pins;
mod prepared_step;
mod raw_copy;
mod scoring_truth;
pub mod simulation;
pub mod snapshot;
pub mod snapshot_weights;
pub mod step_cancel;
pub mod step_cost;
pub mod step_preview;
mod training_batch;
pub mod training_record;
pub mod upper_rows;
mod work_share;

pub use hebbian::*;
pub use mirror::mirror_upper_triangle;
pub use network::Network;
pub use simulation::{PreparedStep, Simulation};
