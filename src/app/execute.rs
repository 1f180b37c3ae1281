//! The one place that carries out [`AppAction`]s — whichever control, key, dialog, the
//! tour or the command line asked — and reacts to what arrives between frames (the
//! simulation thread's publications, finished background jobs). Panels only read the
//! state and return actions; everything that changes the state, talks to the
//! simulation thread or starts background work happens here.

mod drive;
mod events;
mod figures;
mod files;

use egui::ViewportCommand;

use crate::app::actions::AppAction;
use crate::app::dialogs::{Asked, Dialogs};
use crate::app::panels::Panels;
use crate::app::panels::top_bar::TRAINING_OFF;
use crate::app::views::presentation::apply_text_sizes;
use crate::app::views::theme::apply_theme;
use crate::figure::order::MatrixOrder;
use crate::model::config::presets;
use crate::search::SearchOptions;
use crate::session::file_purpose::FilePurpose;
use crate::session::jobs::Jobs;
use crate::session::jobs::search::{SearchInput, SearchTask};
use crate::session::start_options::Startup;
use crate::session::state::AppState;
use crate::session::state::tour::{TOUR, Tour};
use crate::session::worker::{Speed, WorkerCommand, WorkerHandle};

/// What the app keeps for the length of one run besides its state: the command line's
/// start-up plan, whether closing is allowed without asking, the import counter, and
/// actions waiting on the user.
#[derive(Default)]
pub struct Session {
    /// What the command line asked for at start-up, and how far it got.
    pub startup: Startup,
    /// Close without asking about unsaved changes (screenshots, Quit after the prompt).
    pub allow_close: bool,
    /// Imported matrices so far (their keys are unique).
    pub imports: u64,
    /// The action the unsaved-changes prompt holds.
    pub prompt: Option<AppAction>,
    /// The action to run after the next successful save.
    pub after_save: Option<AppAction>,
    /// The heatmap's view last sent to the simulation thread for a matrix too large to
    /// copy ([`WorkerCommand::SetView`]).
    pub sent_view: Option<crate::model::learning::overview::ViewRequest>,
    /// An export of `W` waiting for the simulation thread's copy of a matrix too large to
    /// copy while it trains.
    pub pending_export: Option<(FilePurpose, std::path::PathBuf)>,
}

/// Everything an action may change, borrowed for one frame's work.
pub struct Executor<'a> {
    /// The app's state.
    pub state: &'a mut AppState,
    /// The panels' own state (cleared when the graph is replaced).
    pub panels: &'a mut Panels,
    /// Background work.
    pub jobs: &'a mut Jobs,
    /// File dialogs.
    pub dialogs: &'a mut Dialogs,
    /// The simulation thread.
    pub worker: &'a WorkerHandle,
    /// The run's session.
    pub session: &'a mut Session,
    /// The window (viewport commands, text sizes and theme).
    pub ctx: &'a egui::Context,
}

impl Executor<'_> {
    /// Carries out `action`, first asking about unsaved changes if it would discard them.
    pub fn handle(&mut self, action: AppAction) {
        if action.discards_experiment() && self.state.is_dirty() && !self.session.allow_close {
            self.session.prompt = Some(action);
            return;
        }
        self.execute(action);
    }

    /// Carries out `action` without asking.
    pub fn execute(&mut self, action: AppAction) {
        if action.trains() && self.state.imported().is_some() {
            self.state.status.error(TRAINING_OFF);
            return;
        }
        match action {
            AppAction::Run => self.send(WorkerCommand::Run),
            AppAction::Pause => self.send(WorkerCommand::Pause),
            AppAction::RunUntil(step) => self.send(WorkerCommand::RunUntil(step)),
            AppAction::TrainTo(step) => {
                self.send(WorkerCommand::SetSpeed(Speed::Unlimited));
                self.send(WorkerCommand::RunUntil(step));
            }
            AppAction::ToggleRun => {
                let running = self.state.is_running();
                self.send(if running {
                    WorkerCommand::Pause
                } else {
                    WorkerCommand::Run
                });
            }
            AppAction::Step => self.send(WorkerCommand::Step(1)),
            AppAction::Reset => self.send(WorkerCommand::Reset),
            AppAction::SetTraining(controls) => {
                let old = self.state.training;
                self.state.training = controls;
                if (old.max_speed, old.speed_steps_per_sec)
                    != (controls.max_speed, controls.speed_steps_per_sec)
                {
                    self.send(WorkerCommand::SetSpeed(self.user_speed()));
                }
            }
            AppAction::NewFromPreset(name) => self.new_from_preset(&name),
            AppAction::Configure(config) => {
                self.send(WorkerCommand::Configure(config));
                self.state
                    .status
                    .info("Applying the new settings (step 0)…");
            }
            AppAction::Quit => {
                self.session.allow_close = true;
                self.ctx.send_viewport_cmd(ViewportCommand::Close);
            }
            AppAction::StartSearch => {
                let settings = self.state.search.settings.clone();
                self.start_search(settings);
            }
            AppAction::StartSearchWith(settings) => self.start_search(settings),
            AppAction::CancelSearch => {
                if let Some(t) = &mut self.jobs.search {
                    t.cancel();
                }
            }
            AppAction::SetSearchOptions(settings) => self.state.search.settings = settings,
            AppAction::Select(pick, permutation) => {
                let before = self.state.search.serial;
                self.state.search.select(pick, permutation);
                if self.state.search.serial != before {
                    self.state.order.mode = MatrixOrder::Recovered;
                }
            }
            AppAction::SetView(view) => self.state.view = view,
            AppAction::SetOrder(order) => self.state.order.mode = order,
            AppAction::Pin(i, j) => {
                if self.state.imported().is_some() {
                    self.state
                        .status
                        .info("An imported matrix does not learn: there is no history to pin.");
                } else {
                    self.send(WorkerCommand::Pin { i, j });
                    self.panels.inspect.show_pin(i, j);
                }
            }
            AppAction::Unpin(i, j) => {
                self.send(WorkerCommand::Unpin { i, j });
                if self.panels.inspect.pin == Some((i, j)) {
                    self.panels.inspect.pin = None;
                }
            }
            AppAction::InspectNeuron(n) => self.panels.inspect.show_neuron(n),
            AppAction::SetTheme(choice) => {
                self.state.look.theme = choice;
                self.apply_look();
            }
            AppAction::TogglePresentation => {
                self.state.look.presentation = !self.state.look.presentation;
                self.apply_look();
            }
            AppAction::ToggleFullscreen => {
                let full = self.ctx.input(|i| i.viewport().fullscreen.unwrap_or(false));
                self.ctx
                    .send_viewport_cmd(ViewportCommand::Fullscreen(!full));
            }
            AppAction::ToggleHelp => self.panels.help_open = !self.panels.help_open,
            AppAction::DismissSettingsNote => self.state.notices.settings_note = None,
            AppAction::DismissReopenOffer => self.state.notices.reopen_offer = None,
            AppAction::SaveThenContinue => {
                if let Some(action) = self.session.prompt.take() {
                    self.session.after_save = Some(action);
                    self.execute(AppAction::Save);
                }
            }
            AppAction::DiscardAndContinue => {
                if let Some(action) = self.session.prompt.take() {
                    self.execute(action);
                }
            }
            AppAction::CancelPrompt => self.session.prompt = None,
            AppAction::StartTour => self.start_tour(0),
            AppAction::StartTourAt(step) => self.start_tour(step),
            AppAction::TourNext => self.tour_step_by(1),
            AppAction::TourPrevious => self.tour_step_by(-1),
            AppAction::LeaveTour => self.leave_tour(),
            file_action => self.execute_file(file_action),
        }
    }

    /// Sends `command` to the simulation thread.
    fn send(&self, command: WorkerCommand) {
        self.worker.send(command);
    }

    /// The speed the user chose in the toolbar.
    fn user_speed(&self) -> Speed {
        let t = self.state.training;
        if t.max_speed {
            Speed::Unlimited
        } else {
            Speed::Limited(t.speed_steps_per_sec)
        }
    }

    /// Applies the theme and text sizes of the current look.
    fn apply_look(&self) {
        let look = self.state.look;
        apply_text_sizes(self.ctx, look.presentation);
        apply_theme(self.ctx, look.theme, look.presentation);
    }

    /// Replaces the simulation by the preset `name`.
    fn new_from_preset(&mut self, name: &str) {
        match presets::by_name(name) {
            Some(preset) => {
                self.send(WorkerCommand::Configure(Box::new(preset.config)));
                self.state.document.current_path = None;
                self.state.training.run_until = preset.default_steps;
                self.state.status.info(format!(
                    "Preset {}: {} Press Run (Space).",
                    preset.name, preset.description
                ));
            }
            None => self.state.status.error(format!(
                "Unknown preset '{name}'; choose one of: {}.",
                presets::names().join(", ")
            )),
        }
    }

    /// Starts a search with `settings` on the graph on screen (one at a time).
    fn start_search(&mut self, settings: SearchOptions) {
        if self.jobs.search.is_some() {
            return;
        }
        let Some(p) = self.state.shown() else {
            self.state.status.error("Nothing to search yet.");
            return;
        };
        if p.snapshot.weights.summary().is_some() {
            // A matrix too large to copy while it trains: ask for one copy, and start
            // when it arrives (`poll`).
            self.worker.send(WorkerCommand::CopyWeights);
            self.state.status.info(format!(
                "Copying the {0} × {0} weights for the search…",
                p.snapshot.weights.neurons()
            ));
            self.state.search.pending = Some(settings);
            return;
        }
        let input = SearchInput {
            weights: p.snapshot.weights.clone(),
            node_weights: p.snapshot.node_weights.clone(),
            ground_truth: p.ground_truth.clone(),
            scored: p.scored.clone(),
            step: p.snapshot.step,
        };
        let search = &mut self.state.search;
        search.outcome_step = p.snapshot.step;
        let imported = self.state.imported().map(|i| i.graph.file_name());
        self.state.search.outcome_subject = imported.as_ref().map(|f| format!("The matrix {f}"));
        self.jobs.search = Some(SearchTask::start(input, settings, self.jobs));
        self.state.status.info(match imported {
            Some(f) => format!("Searching the matrix {f}…"),
            None => format!("Searching the weights of step {}…", p.snapshot.step),
        });
    }

    /// Starts the tour at `step` (0-based, clamped to the last step).
    fn start_tour(&mut self, step: usize) {
        self.state.tour = Some(Tour::at(step));
        self.state.notices.reopen_offer = None;
    }

    /// Moves `delta` steps along the tour (stays at the ends).
    fn tour_step_by(&mut self, delta: isize) {
        if let Some(t) = &mut self.state.tour {
            let step = t.step.saturating_add_signed(delta).min(TOUR.len() - 1);
            if step != t.step {
                t.go_to(step);
            }
        }
    }

    /// Leaves the tour; the app stays in the step's state, with the user's speed back.
    fn leave_tour(&mut self) {
        if self.state.tour.take().is_some() {
            self.send(WorkerCommand::SetSpeed(self.user_speed()));
            self.state.status.info("Left the lecture tour.");
        }
    }

    /// Asks for a path for `purpose`; acts on it at once when the platform answers at
    /// once, else when the dialog's answer arrives.
    fn ask_path(&mut self, purpose: FilePurpose) {
        let current = self.state.document.current_path.clone();
        match self.dialogs.ask(purpose, current.as_deref(), self.jobs) {
            Asked::Path(path) => self.execute(AppAction::PathChosen(purpose, path)),
            Asked::Typed(purpose, text) => self.panels.file_dialog.open(purpose, text),
            Asked::Native | Asked::Nothing => {}
        }
    }
}
