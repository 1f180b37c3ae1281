//! What the UI asks of the simulation thread: [`WorkerCommand`]s, and the [`Speed`] it
//! steps at.

use crate::model::learning::overview::ViewRequest;
use crate::model::{SimConfig, Simulation};

/// How fast the worker steps while running.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Speed {
    /// At most this many steps per second (e.g. 1 to watch single stimuli).
    Limited(f64),
    /// As fast as the machine allows.
    Unlimited,
}

/// A job run on the worker thread with read access to the simulation (save, export).
pub type SimulationJob = Box<dyn FnOnce(&Simulation) + Send>;

/// What the UI asks the simulation thread to do.
pub enum WorkerCommand {
    /// Start stepping continuously at the current speed.
    Run,
    /// Stop stepping; the current step completes first.
    Pause,
    /// Take this many steps (at the current speed), then pause.
    Step(u64),
    /// Run until the step counter reaches this value, then pause.
    RunUntil(u64),
    /// Back to step 0 with the initial weights (same bank and hidden order).
    Reset,
    /// Replace the simulation by a new one built from this configuration.
    Configure(Box<SimConfig>),
    /// Replace the simulation by one loaded from a file.
    Load(Box<Simulation>),
    /// Change the stepping speed.
    SetSpeed(Speed),
    /// Pin `w_ij` (stored indices): its history is recorded from now on and published
    /// with every snapshot.
    Pin {
        /// Row.
        i: usize,
        /// Column.
        j: usize,
    },
    /// Stop recording `w_ij` and forget its history.
    Unpin {
        /// Row.
        i: usize,
        /// Column.
        j: usize,
    },
    /// What the heatmap of a large matrix shows (order, window of exact cells, inspected
    /// row): from now on the worker keeps its block sums and publishes them, instead of a
    /// copy of `W`, while training (see [`super::LARGE_NEURONS`]).
    SetView(Option<ViewRequest>),
    /// Publish a copy of a large `W` (for a search or an export): taken once, and
    /// published again until the weights change.
    CopyWeights,
    /// Run a closure with read access to the simulation on the worker thread.
    With(SimulationJob),
    /// End the thread.
    Shutdown,
}

impl WorkerCommand {
    /// Whether it stops the work under way on a large simulation's helper thread (the
    /// step is undone, or its metrics left due): the others wait for that work to end.
    pub(super) fn interrupts_aside_work(&self) -> bool {
        matches!(
            self,
            WorkerCommand::Pause
                | WorkerCommand::Reset
                | WorkerCommand::Configure(_)
                | WorkerCommand::Load(_)
                | WorkerCommand::Shutdown
        )
    }
}
