//! What the command line asked for at start-up (train to a step, search, select a
//! result, an order), driven forward a little each frame until it is done.

use crate::app::app_state::InvarianceApp;
use crate::app::views::heatmap::MatrixOrder;
use crate::app::imported::AppSource;
use crate::app::start_options::StartOptions;
use crate::app::worker::{Published, Speed, WorkerCommand};

/// What the command line asked for at start-up, and how far it got.
pub(crate) struct Startup {
    steps: Option<u64>,
    search: bool,
    pub(crate) order: Option<MatrixOrder>,
    pub(crate) select_match: Option<String>,
    steps_sent: bool,
    search_started: bool,
    first_generation: Option<u64>,
    announce_trained: bool,
}

impl Startup {
    /// The start-up work `options` asks for, none of it begun.
    pub(crate) fn new(options: &StartOptions) -> Self {
        Self {
            steps: options.steps,
            search: options.search,
            order: options.order,
            select_match: options.select_match.clone(),
            steps_sent: false,
            search_started: false,
            first_generation: None,
            announce_trained: false,
        }
    }

    /// Remembers the first model's generation: the start-up steps apply to it only.
    pub(crate) fn note_generation(&mut self, generation: u64) {
        if self.first_generation.is_none() {
            self.first_generation = Some(generation);
        }
    }

    /// Whether the requested start-up steps (if any) are done in `p`.
    pub(crate) fn steps_reached(&self, p: &Published) -> bool {
        self.steps
            .is_none_or(|s| p.snapshot.step >= s && !p.running)
    }

    /// Whether the requested start-up search (if any) has run; `task_alive`: a search
    /// task still exists.
    pub(crate) fn search_finished(&self, task_alive: bool) -> bool {
        !self.search || (self.search_started && !task_alive)
    }
}

impl InvarianceApp {
    /// Sends the start-up steps once the first model is there, then starts the search.
    pub(crate) fn startup_progress(&mut self) {
        if matches!(self.source, AppSource::Imported(_)) {
            if self.startup.search && !self.startup.search_started {
                self.startup.search_started = true;
                self.start_search();
            }
            return;
        }
        let Some(p) = self.latest.clone() else { return };
        if self.startup.first_generation != Some(p.model.generation) {
            return;
        }
        if let Some(steps) = self.startup.steps
            && !self.startup.steps_sent
        {
            self.startup.steps_sent = true;
            self.worker.send(WorkerCommand::SetSpeed(Speed::Unlimited));
            self.worker.send(WorkerCommand::RunUntil(steps));
            self.status.info(format!("Training to step {steps}…"));
            self.startup.announce_trained = true;
            return;
        }
        let steps_done = self.startup.steps_reached(&p);
        if steps_done && self.startup.announce_trained {
            self.startup.announce_trained = false;
            if let Some(r) = p.snapshot.history.last() {
                self.status.info(format!(
                    "Trained to step {} ({} stimuli); e_g = {:.4}.",
                    p.snapshot.step, r.stimuli, r.symmetry_error_true
                ));
            }
        }
        if self.startup.search && !self.startup.search_started && steps_done {
            self.startup.search_started = true;
            self.start_search();
        }
    }
}
