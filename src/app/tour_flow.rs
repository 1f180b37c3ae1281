//! The lecture tour in the app: driving the app into each step's state a little every
//! frame (the simulation trains and the search runs on their own threads, so the UI
//! keeps drawing), the arrow keys, and the caption under the views.

use egui::{Key, Modifiers, RichText};

use crate::app::actions::AppAction;
use crate::app::app_state::InvarianceApp;
use crate::app::views::heatmap::MatrixOrder;
use crate::app::imported::AppSource;
use crate::app::tour::{TOUR, Tour, TourPhase, tour_search_settings};
use crate::app::worker::{Speed, WorkerCommand};

impl InvarianceApp {
    /// Starts the tour at `step` (0-based, clamped to the last step).
    pub fn start_tour(&mut self, step: usize) {
        self.tour = Some(Tour::at(step));
        self.reopen_offer = None;
    }

    /// The running tour, if any.
    pub fn tour(&self) -> Option<&Tour> {
        self.tour.as_ref()
    }

    /// Moves `delta` steps along the tour (stays at the ends).
    pub(crate) fn tour_step_by(&mut self, delta: isize) {
        if let Some(t) = &mut self.tour {
            let step = t.step.saturating_add_signed(delta).min(TOUR.len() - 1);
            if step != t.step {
                t.go_to(step);
            }
        }
    }

    /// Leaves the tour; the app stays in the step's state, with the user's speed back.
    pub(crate) fn leave_tour(&mut self) {
        if self.tour.take().is_some() {
            let speed = if self.max_speed {
                Speed::Unlimited
            } else {
                Speed::Limited(self.speed_steps_per_sec)
            };
            self.worker.send(WorkerCommand::SetSpeed(speed));
            self.status.info("Left the lecture tour.");
        }
    }

    /// Arrow keys (and a presenter's Page Up/Down) move along the tour; Esc leaves it.
    /// Read before the other shortcuts so the right arrow does not also step the model.
    pub(crate) fn read_tour_keys(&mut self, ctx: &egui::Context) {
        if self.tour.is_none() || ctx.egui_wants_keyboard_input() {
            return;
        }
        ctx.input_mut(|i| {
            if i.consume_key(Modifiers::NONE, Key::ArrowRight)
                || i.consume_key(Modifiers::NONE, Key::PageDown)
            {
                self.queued.push(AppAction::TourNext);
            }
            if i.consume_key(Modifiers::NONE, Key::ArrowLeft)
                || i.consume_key(Modifiers::NONE, Key::PageUp)
            {
                self.queued.push(AppAction::TourPrevious);
            }
            if i.consume_key(Modifiers::NONE, Key::Escape) {
                self.queued.push(AppAction::LeaveTour);
            }
        });
    }

    /// One frame's worth of progress towards the current step's state.
    pub(crate) fn drive_tour(&mut self) {
        let Some(mut tour) = self.tour.take() else {
            return;
        };
        if !tour.reached() {
            self.advance_tour(&mut tour);
            self.ctx
                .request_repaint_after(std::time::Duration::from_millis(50));
        }
        self.tour = Some(tour);
    }

    fn advance_tour(&mut self, tour: &mut Tour) {
        let target = tour.current().target;
        // 1. The step's preset, freshly loaded by the tour and not trained past the step.
        let latest = self.latest.clone();
        let ours = matches!(self.source, AppSource::Simulation)
            && tour.model == Some((target.preset, self.generation_seen))
            && latest.as_ref().is_some_and(|p| {
                p.model.generation == self.generation_seen && p.snapshot.step <= target.steps
            });
        let Some(p) = latest.filter(|_| ours) else {
            tour.phase = TourPhase::Loading;
            match tour.loading_from {
                Some(g) if g == self.generation_seen => {}
                Some(_) => {
                    tour.model = Some((target.preset, self.generation_seen));
                    tour.loading_from = None;
                    tour.searched = None;
                }
                None => {
                    tour.loading_from = Some(self.generation_seen);
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
                self.worker.send(WorkerCommand::SetSpeed(Speed::Unlimited));
                self.worker.send(WorkerCommand::RunUntil(target.steps));
            }
            return;
        }
        // 3. The step's search on exactly these weights (or none at all).
        let key = (self.generation_seen, p.snapshot.step);
        if target.search {
            if tour.searched != Some(key) {
                tour.phase = TourPhase::Searching;
                if let Some(t) = &mut self.search.task {
                    t.cancel(); // someone else's search: let it end first
                    return;
                }
                tour.searched = Some(key);
                self.start_search_with(tour_search_settings());
                return;
            }
            if self.search.is_running() {
                return;
            }
        } else if self.search.outcome.is_some() || self.search.is_running() {
            self.search.clear();
            tour.searched = None;
        }
        // 4. Selection, order and view.
        let mut order = target.order;
        match target.select {
            Some(name) => {
                let space = self.shown().and_then(|s| s.space);
                match self.search.pick_recovering(name, space.as_ref()) {
                    Some(pick) => {
                        if self.search.selected != Some(pick) {
                            self.select(pick);
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
            None => {
                if self.search.selected.take().is_some() {
                    self.search.serial += 1;
                }
            }
        }
        self.order_mode = order;
        self.view = target.view;
        tour.phase = TourPhase::Reached;
    }

    /// The caption under the views: title, text, progress and the navigation buttons.
    pub(crate) fn tour_caption_ui(&mut self, ui: &mut egui::Ui) {
        let Some(tour) = &self.tour else {
            return;
        };
        let step = tour.current();
        let body = ui
            .style()
            .text_styles
            .get(&egui::TextStyle::Body)
            .map_or(16.0, |f| f.size);
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(format!(
                    "Lecture tour {}/{} · {}",
                    tour.step + 1,
                    TOUR.len(),
                    step.title
                ))
                .heading()
                .strong(),
            );
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Leave tour (Esc)").clicked() {
                    self.queued.push(AppAction::LeaveTour);
                }
                let last = tour.step + 1 == TOUR.len();
                if ui
                    .add_enabled(!last, egui::Button::new("Next >"))
                    .on_hover_text("Right arrow")
                    .clicked()
                {
                    self.queued.push(AppAction::TourNext);
                }
                if ui
                    .add_enabled(tour.step > 0, egui::Button::new("< Previous"))
                    .on_hover_text("Left arrow")
                    .clicked()
                {
                    self.queued.push(AppAction::TourPrevious);
                }
            });
        });
        ui.label(RichText::new(step.caption).size(body * 1.25));
        let progress = match tour.phase {
            TourPhase::Loading => Some(format!("Loading {}…", step.target.preset)),
            TourPhase::Training => {
                let at = self.step_count().unwrap_or(0);
                Some(format!("Training: step {at} of {}…", step.target.steps))
            }
            TourPhase::Searching => Some("Searching for symmetries…".to_owned()),
            TourPhase::Reached => None,
        };
        if let Some(text) = progress {
            ui.horizontal(|ui| {
                ui.spinner();
                let fraction = match tour.phase {
                    TourPhase::Training => {
                        self.step_count().unwrap_or(0) as f32 / step.target.steps.max(1) as f32
                    }
                    TourPhase::Searching => self
                        .search
                        .task
                        .as_ref()
                        .map_or(0.0, |t| t.fraction() as f32),
                    _ => 0.0,
                };
                ui.add(
                    egui::ProgressBar::new(fraction.clamp(0.0, 1.0))
                        .desired_width(240.0)
                        .text(text),
                );
            });
        }
        if let Some(problem) = &tour.problem {
            ui.colored_label(ui.visuals().error_fg_color, problem);
        }
        ui.add_space(4.0);
    }
}
