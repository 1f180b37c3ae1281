//! The [`Phase`] a run is in: a learned bank learns its receptive fields before the
//! recurrent graph learns anything, and every view and metric asks which part is learning.

use serde::Serialize;

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
