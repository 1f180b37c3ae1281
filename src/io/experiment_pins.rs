//! The `pins` field of an experiment file: the pinned weights and their histories
//! ([`crate::model::learning::pins`]).
//!
//! ```text
//! "pins": [ {"i": usize, "j": usize, "history": [[step, stimuli, w_ij], …]}, … ]
//! ```
//!
//! `w_ij` is written as the `f64` equal to the `f32` weight, so it reads back bit for bit.
//! Both lists are capped while they are parsed ([`MAX_PINS`], [`MAX_PIN_HISTORY`]).

use serde::{Deserialize, Deserializer, Serialize};

use super::experiment_arrays::capped;
use super::experiment_error::FileError;
use crate::model::learning::pins::{
    MAX_PIN_HISTORY, MAX_PINS, PinError, PinSample, PinnedCell, Pins,
};

/// One pinned cell as stored.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) struct PinFile {
    pub i: usize,
    pub j: usize,
    #[serde(deserialize_with = "sample_list")]
    pub history: Vec<(u64, u64, f64)>,
}

/// The `pins` list (present, so `Some`), capped at [`MAX_PINS`].
pub(super) fn pin_list<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<PinFile>>, D::Error> {
    capped(d, MAX_PINS, "`pins`").map(Some)
}

fn sample_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(u64, u64, f64)>, D::Error> {
    capped(d, MAX_PIN_HISTORY, "samples in a pin's `history`")
}

/// The stored form of `pins`.
pub(super) fn encode_pins(pins: &Pins) -> Vec<PinFile> {
    pins.cells()
        .iter()
        .map(|c| PinFile {
            i: c.i,
            j: c.j,
            history: c
                .history()
                .iter()
                .map(|s| (s.step, s.stimuli, f64::from(s.weight)))
                .collect(),
        })
        .collect()
}

/// The pinned cells of a file, unchecked: [`crate::model::Simulation::set_pins`] checks
/// them against the graph and the step (an `f64` beyond `f32` becomes infinite there and
/// is refused).
pub(super) fn decode_pins(files: &[PinFile]) -> Vec<PinnedCell> {
    files
        .iter()
        .map(|f| {
            let history = f
                .history
                .iter()
                .map(|&(step, stimuli, w)| PinSample {
                    step,
                    stimuli,
                    weight: w as f32,
                })
                .collect();
            PinnedCell::new(f.i, f.j, history)
        })
        .collect()
}

/// A pin problem as a file error on the `pins` field.
pub(super) fn pin_error(e: PinError) -> FileError {
    FileError::Mismatch {
        field: "pins",
        reason: e.to_string(),
    }
}
