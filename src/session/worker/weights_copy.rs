//! The copy of a large `W` ([`super::LARGE_NEURONS`]) that a search or an export asks
//! for ([`super::WorkerCommand::CopyWeights`]): taken once, on request, and published
//! again with every snapshot until `W` changes.

use std::sync::Arc;

use crate::model::{Simulation, SnapshotWeights};

/// A state of `W`: the simulation's generation, its step, and the resets so far.
type WeightsState = (u64, u64, u64);

/// The copy of a large `W` taken on request, and the state of `W` it shows.
#[derive(Default)]
pub(super) struct WeightsCopy {
    /// A copy was asked for and not yet published.
    requested: bool,
    /// The copy taken, and the state it shows.
    held: Option<(WeightsState, Arc<SnapshotWeights>)>,
    /// Resets so far (a reset at step 0 leaves generation and step as they were).
    resets: u64,
}

impl WeightsCopy {
    /// A copy is asked for: the next publication carries one.
    pub(super) fn request(&mut self) {
        self.requested = true;
    }

    /// `W` was reset: a copy held shows it no more.
    pub(super) fn note_reset(&mut self) {
        self.resets += 1;
    }

    /// The simulation was replaced: a copy held shows it no more.
    pub(super) fn forget(&mut self) {
        self.held = None;
    }

    /// The copy for a publication of `sim` (generation `generation`): the one held if
    /// `W` has not changed since, a new one if one was asked for, otherwise none.
    pub(super) fn for_publication(
        &mut self,
        sim: &Simulation,
        generation: u64,
    ) -> Option<Arc<SnapshotWeights>> {
        let state = (generation, sim.step_count(), self.resets);
        let copy = match self.held.take() {
            Some((s, copy)) if s == state => Some(copy),
            _ if self.requested => Some(Arc::new(SnapshotWeights::from_full(sim.weights()))),
            _ => None,
        };
        self.requested = false;
        self.held = copy.clone().map(|c| (state, c));
        copy
    }
}
