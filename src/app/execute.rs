//! Carrying out an [`AppAction`], whichever control or key asked for it.

use std::path::PathBuf;

use egui::ViewportCommand;

use crate::app::actions::AppAction;
use crate::app::app_state::InvarianceApp;
use crate::app::files::FilePurpose;
use crate::app::views::presentation::apply_text_sizes;
use crate::app::views::theme::apply_theme;
use crate::app::worker::WorkerCommand;
use crate::model::presets;

impl InvarianceApp {
    /// Carries out `action`, first asking about unsaved changes if it would discard them.
    pub(crate) fn handle(&mut self, action: AppAction) {
        if action.discards_experiment() && self.is_dirty() && !self.allow_close {
            self.prompt = Some(action);
            return;
        }
        self.execute(action);
    }

    pub(crate) fn execute(&mut self, action: AppAction) {
        let running = self.is_running();
        let trains = matches!(
            action,
            AppAction::Run
                | AppAction::Pause
                | AppAction::RunUntil(_)
                | AppAction::ToggleRun
                | AppAction::Step
                | AppAction::Reset
        );
        if trains && self.training_blocked() {
            return;
        }
        match action {
            AppAction::Run => {
                self.worker.send(WorkerCommand::Run);
            }
            AppAction::Pause => {
                self.worker.send(WorkerCommand::Pause);
            }
            AppAction::RunUntil(step) => {
                self.worker.send(WorkerCommand::RunUntil(step));
            }
            AppAction::ToggleRun => {
                self.worker.send(if running {
                    WorkerCommand::Pause
                } else {
                    WorkerCommand::Run
                });
            }
            AppAction::Step => {
                self.worker.send(WorkerCommand::Step(1));
            }
            AppAction::Reset => {
                self.worker.send(WorkerCommand::Reset);
            }
            AppAction::NewFromPreset(name) => match presets::by_name(&name) {
                Some(preset) => {
                    self.worker
                        .send(WorkerCommand::Configure(Box::new(preset.config)));
                    self.files.current_path = None;
                    self.run_until = preset.default_steps;
                    self.status.info(format!(
                        "Preset {}: {} Press Run (Space).",
                        preset.name, preset.description
                    ));
                }
                None => self.status.error(format!(
                    "Unknown preset '{name}'; choose one of: {}.",
                    presets::names().join(", ")
                )),
            },
            AppAction::Open => {
                if let Some(path) = self.files.ask_path(FilePurpose::Open) {
                    self.files.start_load(path);
                }
            }
            AppAction::OpenPath(path) => self.files.start_load(path),
            AppAction::Save => match self.files.current_path.clone() {
                Some(path) => self.save_to(path),
                None => self.execute(AppAction::SaveAs),
            },
            AppAction::SaveAs => {
                if let Some(path) = self.files.ask_path(FilePurpose::SaveAs) {
                    self.save_to(path);
                }
            }
            AppAction::ExportNpy => self.export(FilePurpose::ExportNpy),
            AppAction::ExportCsv => self.export(FilePurpose::ExportCsv),
            AppAction::ExportPng => self.export(FilePurpose::ExportPng),
            AppAction::ExportMetrics => self.export(FilePurpose::ExportMetrics),
            AppAction::ExportFigure => self.export(FilePurpose::ExportFigure),
            AppAction::ExportFigureAs(kind, format) => self.export_figure(kind, format),
            AppAction::LoadNodeLabels => {
                if self.imported().is_none() {
                    self.load_node_labels(PathBuf::new()); // says why not
                } else if let Some(path) = self.files.ask_path(FilePurpose::NodeLabels) {
                    self.load_node_labels(path);
                }
            }
            AppAction::UseDataFolder => {
                if let Some(path) = self.files.ask_path(FilePurpose::DataFolder) {
                    self.use_data_folder(path);
                }
            }
            AppAction::AddRuns => {
                if let Some(path) = self.files.ask_path(FilePurpose::AddRuns) {
                    self.add_runs(path);
                }
            }
            AppAction::Quit => {
                self.allow_close = true;
                self.ctx.send_viewport_cmd(ViewportCommand::Close);
            }
            AppAction::StartSearch => self.start_search(),
            AppAction::CancelSearch => {
                if let Some(t) = &mut self.search.task {
                    t.cancel();
                }
            }
            AppAction::TogglePresentation => {
                self.presentation = !self.presentation;
                apply_text_sizes(&self.ctx, self.presentation);
                apply_theme(&self.ctx, self.theme, self.presentation);
            }
            AppAction::ToggleFullscreen => {
                let full = self.ctx.input(|i| i.viewport().fullscreen.unwrap_or(false));
                self.ctx
                    .send_viewport_cmd(ViewportCommand::Fullscreen(!full));
            }
            AppAction::ToggleHelp => self.show_help = !self.show_help,
            AppAction::StartTour => self.start_tour(0),
            AppAction::TourNext => self.tour_step_by(1),
            AppAction::TourPrevious => self.tour_step_by(-1),
            AppAction::LeaveTour => self.leave_tour(),
        }
    }
}
