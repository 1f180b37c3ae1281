//! The menu bar and the toolbar. While an imported matrix is shown the training
//! controls stay where they are but are disabled, with the reason on hover.

use egui::RichText;

use crate::app::actions::AppAction;
use crate::app::app_state::InvarianceApp;
use crate::app::import_flow::TRAINING_OFF;
use crate::app::imported::AppSource;
use crate::app::view::View;
use crate::app::worker::{Speed, WorkerCommand};
use crate::model::presets;

impl InvarianceApp {
    pub(crate) fn menu_bar_ui(&mut self, ui: &mut egui::Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                ui.menu_button("New from preset", |ui| {
                    for p in presets::all() {
                        if ui.button(p.name).on_hover_text(p.description).clicked() {
                            self.queued
                                .push(AppAction::NewFromPreset(p.name.to_owned()));
                        }
                    }
                });
                if ui
                    .button("Open…  (Ctrl+O)")
                    .on_hover_text("An experiment (.json), or a weight matrix (.npy, .csv) to view and search.")
                    .clicked()
                {
                    self.queued.push(AppAction::Open);
                }
                let imported = matches!(self.source, AppSource::Imported(_));
                if ui
                    .add_enabled(imported, egui::Button::new("Load node labels…"))
                    .on_hover_text("Names for the imported matrix's nodes: one per line, or a CSV column.")
                    .on_disabled_hover_text("Open a matrix (.npy, .csv) first.")
                    .clicked()
                {
                    self.queued.push(AppAction::LoadNodeLabels);
                }
                if ui
                    .button("Add runs to compare…")
                    .on_hover_text("Overlay experiment files or a sweep CSV on the learning curves.")
                    .clicked()
                {
                    self.queued.push(AppAction::AddRuns);
                    self.view = View::Learning;
                }
                if ui
                    .button("Use my own sounds or photos…")
                    .on_hover_text("A folder of WAV files (sound world) or PNG/JPEG photos (image worlds) in place of the synthesised tones or bundled photos; training starts again from step 0.")
                    .clicked()
                {
                    self.queued.push(AppAction::UseDataFolder);
                }
                ui.menu_button("Open recent", |ui| {
                    if self.files.recent.is_empty() {
                        ui.label("No recent files.");
                    }
                    for path in self.files.recent.clone() {
                        if ui.button(path.display().to_string()).clicked() {
                            self.queued.push(AppAction::OpenPath(path));
                        }
                    }
                });
                if ui.button("Save  (Ctrl+S)").clicked() {
                    self.queued.push(AppAction::Save);
                }
                if ui.button("Save As…  (Ctrl+Shift+S)").clicked() {
                    self.queued.push(AppAction::SaveAs);
                }
                ui.separator();
                if ui.button("Export weights (.npy)…").clicked() {
                    self.queued.push(AppAction::ExportNpy);
                }
                if ui.button("Export weights (.csv)…").clicked() {
                    self.queued.push(AppAction::ExportCsv);
                }
                if ui.button("Export heatmap (.png)…").clicked() {
                    self.queued.push(AppAction::ExportPng);
                }
                if ui.button("Export metrics (.csv)…").clicked() {
                    self.queued.push(AppAction::ExportMetrics);
                }
                if ui.button("Export learning-curve figure (.png)…").clicked() {
                    self.queued.push(AppAction::ExportFigure);
                    self.view = View::Learning;
                }
                crate::app::views::export_menu::file_menu_ui(ui, &mut self.queued);
                ui.separator();
                let mut typed = !self.files.native_dialogs;
                ui.checkbox(&mut typed, "Type paths instead of native dialogs")
                    .on_hover_text(
                        "Use when the system file dialog cannot be shown (e.g. no desktop portal).",
                    );
                self.files.native_dialogs = !typed;
                ui.separator();
                if ui.button("Quit").clicked() {
                    self.queued.push(AppAction::Quit);
                }
            });
            ui.menu_button("Presets", |ui| {
                for p in presets::all() {
                    if ui.button(p.name).on_hover_text(p.description).clicked() {
                        self.queued
                            .push(AppAction::NewFromPreset(p.name.to_owned()));
                    }
                }
            });
            ui.menu_button("View", |ui| {
                for v in View::ALL {
                    if ui.selectable_label(self.view == v, v.name()).clicked() {
                        self.view = v;
                    }
                }
                ui.separator();
                if ui
                    .selectable_label(self.presentation, "Presentation mode  (F5)")
                    .clicked()
                {
                    self.queued.push(AppAction::TogglePresentation);
                }
                if ui.button("Full screen  (F11)").clicked() {
                    self.queued.push(AppAction::ToggleFullscreen);
                }
                self.theme_menu_ui(ui);
                egui::gui_zoom::zoom_menu_buttons(ui);
            });
            ui.menu_button("Help", |ui| {
                if ui.button("Keyboard shortcuts  (?)").clicked() {
                    self.queued.push(AppAction::ToggleHelp);
                }
                if ui
                    .button("Lecture tour")
                    .on_hover_text("Seven steps from a ring of detectors to a recovered rotation; arrow keys move, Esc leaves.")
                    .clicked()
                {
                    self.queued.push(AppAction::StartTour);
                }
                ui.label("Invariance Lab: Hebbian concurrence graphs and their symmetries.");
            });
        });
    }

    pub(crate) fn toolbar_ui(&mut self, ui: &mut egui::Ui) {
        let running = self.is_running();
        let imported = self.imported().cloned();
        ui.horizontal_wrapped(|ui| {
            // An imported matrix cannot be trained: the controls stay visible but off.
            ui.add_enabled_ui(imported.is_none(), |ui| {
                self.training_controls_ui(ui, running)
            });
            ui.separator();
            if let Some(i) = &imported {
                ui.label(
                    RichText::new(format!("imported matrix {}", i.graph.file_name())).strong(),
                )
                .on_hover_text(i.graph.path.display().to_string());
                ui.label(format!("· {} nodes", i.graph.facts.nodes));
                ui.label(RichText::new("· training off").italics())
                    .on_hover_text(TRAINING_OFF);
            } else if let Some(p) = &self.latest {
                let stimuli = p.snapshot.history.last().map_or(0, |r| r.stimuli);
                ui.label(
                    RichText::new(format!("step {}", p.snapshot.step))
                        .strong()
                        .monospace(),
                );
                ui.label(format!("· {stimuli} stimuli"));
                if let Some(r) = p.snapshot.history.last() {
                    ui.label(format!("· e_g = {:.4}", r.symmetry_error_true))
                        .on_hover_text("Current symmetry error of the true transformation.");
                }
                ui.label(format!("· {} neurons", p.model.neurons));
            }
        });
    }

    fn training_controls_ui(&mut self, ui: &mut egui::Ui, running: bool) {
        ui.horizontal(|ui| {
            let run_label = if running { "Pause" } else { "Run" };
            if ui
                .button(RichText::new(run_label).strong())
                .on_hover_text("Run or pause the learning (Space).")
                .clicked()
            {
                self.queued.push(if running {
                    AppAction::Pause
                } else {
                    AppAction::Run
                });
            }
            if ui
                .button("Step")
                .on_hover_text("Present one batch of stimuli (Right arrow).")
                .clicked()
            {
                self.queued.push(AppAction::Step);
            }
            if ui
                .button("Reset")
                .on_hover_text("Back to step 0 with the initial weights (R).")
                .clicked()
            {
                self.queued.push(AppAction::Reset);
            }
            ui.separator();
            let l = ui
                .label("Speed")
                .on_hover_text("Steps per second; 'max' runs as fast as the machine allows.");
            let slider = ui
                .add_enabled(
                    !self.max_speed,
                    egui::Slider::new(&mut self.speed_steps_per_sec, 1.0..=2000.0)
                        .logarithmic(true)
                        .suffix(" steps/s"),
                )
                .labelled_by(l.id);
            let max = ui.checkbox(&mut self.max_speed, "max");
            if slider.changed() || max.changed() {
                let speed = if self.max_speed {
                    Speed::Unlimited
                } else {
                    Speed::Limited(self.speed_steps_per_sec)
                };
                self.worker.send(WorkerCommand::SetSpeed(speed));
            }
            ui.separator();
            let l = ui
                .label("Run to step")
                .on_hover_text("Run until the step counter reaches this value, then pause.");
            ui.add(egui::DragValue::new(&mut self.run_until).speed(10.0))
                .labelled_by(l.id);
            if ui
                .button("Go")
                .on_hover_text("Run until that step.")
                .clicked()
            {
                self.perform(AppAction::RunUntil(self.run_until));
            }
        });
    }
}
