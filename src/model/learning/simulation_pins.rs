//! The [`Simulation`]'s pinned weights ([`crate::model::learning::pins`]): pinning, unpinning and
//! recording, kept apart from the stepping so `simulation.rs` only holds the hooks.

use super::Simulation;
use crate::model::learning::pins::{PinError, PinSample, PinnedCell, Pins, start_cells};

impl Simulation {
    /// Pins the [`start_cells`], starting at the current step.
    pub(super) fn with_start_pins(mut self) -> Self {
        self.pins = Pins::default();
        for (i, j) in start_cells(self.true_permutation()) {
            // The start cells are distinct neurons of this graph, fewer than the cap.
            let _ = self.pin(i, j);
        }
        self
    }

    /// Pins `w_ij` (stored indices), recording its value now; pinning a pinned cell
    /// changes nothing. Refused outside the matrix and beyond [`crate::model::learning::pins::MAX_PINS`].
    pub fn pin(&mut self, i: usize, j: usize) -> Result<(), PinError> {
        let first = PinSample {
            step: self.step_count(),
            stimuli: self.record.graph_stimuli(),
            weight: self.learning_state().weight(i, j).unwrap_or(0.0),
        };
        self.pins.pin(i, j, self.neurons(), first).map(|_| ())
    }

    /// Unpins `w_ij`; returns whether it was pinned.
    pub fn unpin(&mut self, i: usize, j: usize) -> bool {
        self.pins.unpin(i, j)
    }

    /// The pinned weights and their histories.
    pub fn pins(&self) -> &Pins {
        &self.pins
    }

    /// Replaces the pins by a saved set, checked against this graph and step (files).
    pub fn set_pins(&mut self, cells: Vec<PinnedCell>) -> Result<(), PinError> {
        self.pins = Pins::from_cells(cells, self.neurons(), self.step_count())?;
        Ok(())
    }

    /// Records every pin's value at the current step.
    pub(super) fn record_pins(&mut self) {
        let state = self.net.learning_state();
        self.pins
            .record(self.step_count(), self.record.graph_stimuli(), |i, j| {
                state.weight(i, j).unwrap_or(f32::NAN)
            });
    }
}
