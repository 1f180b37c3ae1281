//! Work driven a little each frame until it is done: what the command line asked for at
//! start-up (train to a step, search, select a result, an order), and the lecture tour
//! (each step's preset, training, search, selection and view). The simulation trains
//! and the search runs on their own threads, so the UI keeps drawing meanwhile.

use std::time::Duration;

use super::Executor;
use crate::app::actions::AppAction;
use crate::figure::order::MatrixOrder;
use crate::session::state::source::AppSource;
use crate::session::state::tour::{Tour, TourPhase, tour_search_settings};

impl Executor<'_> {
    /// One frame's progress of the start-up plan and of the tour.
    pub fn drive(&mut self) {
        self.drive_startup();
        if let Some(mut tour) = self.state.tour.take() {
            if !tour.reached() {
                self.advance_tour(&mut tour);
                self.ctx.request_repaint_after(Duration::from_millis(50));
            }
            // The tour may have been left meanwhile (an action it ran): keep it only if not.
            if self.state.tour.is_none() {
                self.state.tour = Some(tour);
            }
        }
    }

    /// Sends the start-up steps once the first model is there, then starts the search.
    fn drive_startup(&mut self) {
        if matches!(self.state.source, AppSource::Imported(_)) {
            let startup = &mut self.session.startup;
            if startup.search && !startup.search_started {
                startup.search_started = true;
                self.execute(AppAction::StartSearch);
            }
            return;
        }
        let Some(p) = self.state.latest.clone() else {
            return;
        };
        let startup = &mut self.session.startup;
        if startup.first_generation != Some(p.model.generation) {
            return;
        }
        if let Some(steps) = startup.steps
            && !startup.steps_sent
        {
            startup.steps_sent = true;
            startup.announce_trained = true;
            self.execute(AppAction::TrainTo(steps));
            self.state.status.info(format!("Training to step {steps}…"));
            return;
        }
        let steps_done = startup.steps_reached(&p);
        if steps_done && startup.announce_trained {
            startup.announce_trained = false;
            if let Some(r) = p.snapshot.history.last() {
                // The stimuli of the step reached, as the top bar counts them; e_g is the
                // last record's, which large layers keep on a log-spaced schedule.
                let step = p.snapshot.step;
                let stimuli = step * p.model.config.batch as u64;
                let at = if r.step == step {
                    String::new()
                } else {
                    format!(" (at step {})", r.step)
                };
                self.state.status.info(format!(
                    "Trained to step {step} ({stimuli} stimuli); e_g = {:.4}{at}.",
                    r.symmetry_error_true
                ));
            }
        }
        let startup = &mut self.session.startup;
        if startup.search && !startup.search_started && steps_done {
            startup.search_started = true;
            self.execute(AppAction::StartSearch);
        }
    }

    /// One frame's progress towards the tour step's state.
    fn advance_tour(&mut self, tour: &mut Tour) {
        let target = tour.current().target;
        let generation = self.state.document.generation;
        // 1. The step's preset, freshly loaded by the tour and not trained past the step.
        let latest = self.state.latest.clone();
        let ours = matches!(self.state.source, AppSource::Simulation)
            && tour.model == Some((target.preset, generation))
            && latest.as_ref().is_some_and(|p| {
                p.model.generation == generation && p.snapshot.step <= target.steps
            });
        let Some(p) = latest.filter(|_| ours) else {
            tour.phase = TourPhase::Loading;
            match tour.loading_from {
                Some(g) if g == generation => {}
                Some(_) => {
                    tour.model = Some((target.preset, generation));
                    tour.loading_from = None;
                    tour.searched = None;
                }
                None => {
                    tour.loading_from = Some(generation);
                    self.execute(AppAction::NewFromPreset(target.preset.to_owned()));
                }
            }
            return;
        };
        // 2. Trained to exactly the step's count, at full speed.
        if p.snapshot.step < target.steps || p.running {
            tour.phase = TourPhase::Training;
            if !tour.training_sent {
                tour.training_sent = true;
                self.execute(AppAction::TrainTo(target.steps));
            }
            return;
        }
        // 3. The step's search on exactly these weights (or none at all).
        let key = (generation, p.snapshot.step);
        if target.search {
            if tour.searched != Some(key) {
                tour.phase = TourPhase::Searching;
                if let Some(t) = &mut self.jobs.search {
                    t.cancel(); // someone else's search: let it end first
                    return;
                }
                tour.searched = Some(key);
                self.execute(AppAction::StartSearchWith(tour_search_settings()));
                return;
            }
            if self.jobs.search.is_some() {
                return;
            }
        } else if self.state.search.outcome.is_some() || self.jobs.search.is_some() {
            if let Some(t) = &mut self.jobs.search {
                t.cancel();
            }
            self.jobs.search = None;
            self.state.search.clear();
            tour.searched = None;
        }
        // 4. Selection, order and view.
        let mut order = target.order;
        match target.select {
            Some(name) => {
                let space = self.state.shown().and_then(|s| s.space);
                match self.state.search.pick_recovering(name, space.as_ref()) {
                    Some(pick) => {
                        if self.state.search.selected() != Some(pick) {
                            self.execute(AppAction::Select(pick, None));
                        }
                    }
                    None => {
                        tour.problem = Some(format!(
                            "The search found no permutation recovering {name}."
                        ));
                        order = MatrixOrder::Stored;
                    }
                }
            }
            None => self.state.search.deselect(),
        }
        self.state.order.mode = order;
        self.state.view = target.view;
        tour.phase = TourPhase::Reached;
    }
}
