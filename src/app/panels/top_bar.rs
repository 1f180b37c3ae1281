//! The menu bar and the toolbar. While an imported matrix is shown the training
//! controls stay where they are but are disabled, with the reason on hover.

use egui::RichText;

use crate::app::actions::AppAction;
use crate::app::context::PanelContext;
use crate::app::views::export_menu;
use crate::model::config::presets;
use crate::session::state::look::ThemeChoice;
use crate::session::view::View;

/// Why training controls are off while a matrix is shown (tooltip and status text).
pub const TRAINING_OFF: &str = "Training is off: an imported matrix has no stimuli and no learning rule. Open a preset or an experiment to train.";

/// The menu bar and the toolbar (no state of their own).
#[derive(Default)]
pub struct TopBar;

impl TopBar {
    /// Draws the menu bar and the toolbar; returns the actions asked for.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &PanelContext<'_>) -> Vec<AppAction> {
        let mut actions = Vec::new();
        menu_bar_ui(ui, cx, &mut actions);
        toolbar_ui(ui, cx, &mut actions);
        actions
    }
}

fn menu_bar_ui(ui: &mut egui::Ui, cx: &PanelContext<'_>, actions: &mut Vec<AppAction>) {
    let state = cx.state;
    {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                ui.menu_button("New from preset", |ui| {
                    for p in presets::all() {
                        if ui.button(p.name).on_hover_text(p.description).clicked() {
                            actions.push(AppAction::NewFromPreset(p.name.to_owned()));
                        }
                    }
                });
                if ui
                    .button("Open…  (Ctrl+O)")
                    .on_hover_text("An experiment (.json), or a weight matrix (.npy, .csv) to view and search.")
                    .clicked()
                {
                    actions.push(AppAction::Open);
                }
                let imported = cx.imported();
                if ui
                    .add_enabled(imported, egui::Button::new("Load node labels…"))
                    .on_hover_text("Names for the imported matrix's nodes: one per line, or a CSV column.")
                    .on_disabled_hover_text("Open a matrix (.npy, .csv) first.")
                    .clicked()
                {
                    actions.push(AppAction::LoadNodeLabels);
                }
                if ui
                    .button("Add runs to compare…")
                    .on_hover_text("Overlay experiment files or a sweep CSV on the learning curves.")
                    .clicked()
                {
                    actions.push(AppAction::SetView(View::Learning));
                    actions.push(AppAction::AddRuns);
                }
                if ui
                    .button("Use my own sounds or photos…")
                    .on_hover_text("A folder of WAV files (sound world) or PNG/JPEG photos (image worlds) in place of the synthesised tones or bundled photos; training starts again from step 0.")
                    .clicked()
                {
                    actions.push(AppAction::UseDataFolder);
                }
                ui.menu_button("Open recent", |ui| {
                    if state.document.recent.is_empty() {
                        ui.label("No recent files.");
                    }
                    for path in state.document.recent.clone() {
                        if ui.button(path.display().to_string()).clicked() {
                            actions.push(AppAction::OpenPath(path));
                        }
                    }
                });
                if ui.button("Save  (Ctrl+S)").clicked() {
                    actions.push(AppAction::Save);
                }
                if ui.button("Save As…  (Ctrl+Shift+S)").clicked() {
                    actions.push(AppAction::SaveAs);
                }
                ui.separator();
                if ui.button("Export weights (.npy)…").clicked() {
                    actions.push(AppAction::ExportNpy);
                }
                if ui.button("Export weights (.csv)…").clicked() {
                    actions.push(AppAction::ExportCsv);
                }
                if ui.button("Export heatmap (.png)…").clicked() {
                    actions.push(AppAction::ExportPng);
                }
                if ui.button("Export metrics (.csv)…").clicked() {
                    actions.push(AppAction::ExportMetrics);
                }
                if ui.button("Export learning-curve figure (.png)…").clicked() {
                    actions.push(AppAction::SetView(View::Learning));
                    actions.push(AppAction::ExportFigure);
                }
                export_menu::file_menu_ui(ui, actions);
                ui.separator();
                let mut typed = !cx.native_dialogs;
                if ui
                    .checkbox(&mut typed, "Type paths instead of native dialogs")
                    .on_hover_text(
                        "Use when the system file dialog cannot be shown (e.g. no desktop portal).",
                    )
                    .changed()
                {
                    actions.push(AppAction::SetNativeDialogs(!typed));
                }
                ui.separator();
                if ui.button("Quit").clicked() {
                    actions.push(AppAction::Quit);
                }
            });
            ui.menu_button("Presets", |ui| {
                for p in presets::all() {
                    if ui.button(p.name).on_hover_text(p.description).clicked() {
                        actions.push(AppAction::NewFromPreset(p.name.to_owned()));
                    }
                }
            });
            ui.menu_button("View", |ui| {
                for &v in View::all() {
                    if ui.selectable_label(state.view == v, v.name()).clicked() {
                        actions.push(AppAction::SetView(v));
                    }
                }
                ui.separator();
                if ui
                    .selectable_label(state.look.presentation, "Presentation mode  (F5)")
                    .clicked()
                {
                    actions.push(AppAction::TogglePresentation);
                }
                if ui.button("Full screen  (F11)").clicked() {
                    actions.push(AppAction::ToggleFullscreen);
                }
                theme_menu_ui(ui, cx, actions);
                egui::gui_zoom::zoom_menu_buttons(ui);
            });
            ui.menu_button("Help", |ui| {
                if ui.button("Keyboard shortcuts  (?)").clicked() {
                    actions.push(AppAction::ToggleHelp);
                }
                if ui
                    .button("Lecture tour")
                    .on_hover_text("Seven steps from a ring of detectors to a recovered rotation; arrow keys move, Esc leaves.")
                    .clicked()
                {
                    actions.push(AppAction::StartTour);
                }
                ui.label("Invariance Lab: Hebbian concurrence graphs and their symmetries.");
            });
        });
    }
}

fn toolbar_ui(ui: &mut egui::Ui, cx: &PanelContext<'_>, actions: &mut Vec<AppAction>) {
    let state = cx.state;
    let running = state.is_running();
    let imported = state.imported();
    ui.horizontal_wrapped(|ui| {
        // An imported matrix cannot be trained: the controls stay visible but off.
        ui.add_enabled_ui(imported.is_none(), |ui| {
            training_controls_ui(ui, cx, running, actions)
        });
        ui.separator();
        if let Some(i) = imported {
            ui.label(RichText::new(format!("imported matrix {}", i.graph.file_name())).strong())
                .on_hover_text(i.graph.path.display().to_string());
            ui.label(format!("· {} nodes", i.graph.facts.nodes));
            ui.label(RichText::new("· training off").italics())
                .on_hover_text(TRAINING_OFF);
        } else if let Some(p) = &state.latest {
            // Stimuli seen at this step (the metrics are recorded on a log-spaced
            // schedule, so the last record may be older than the step shown).
            let stimuli = p.snapshot.step * p.model.config.batch as u64;
            ui.label(
                RichText::new(format!("step {}", p.snapshot.step))
                    .strong()
                    .monospace(),
            );
            if let Some(partial) = p.snapshot.partial {
                ui.label(
                    RichText::new(format!("+ {}/{}", partial.stimuli, partial.of)).monospace(),
                )
                .on_hover_text(PARTIAL_STEP);
            }
            ui.label(format!("· {stimuli} stimuli"));
            if let Some(r) = p.snapshot.history.last() {
                if r.step == p.snapshot.step {
                    ui.label(format!("· e_g = {:.4}", r.symmetry_error_true))
                        .on_hover_text("Current symmetry error of the true transformation.");
                } else {
                    ui.label(format!(
                        "· e_g = {:.4} (step {})",
                        r.symmetry_error_true, r.step
                    ))
                    .on_hover_text(
                        "Symmetry error of the true transformation at the last recorded step: \
                         large layers record their metrics on a log-spaced schedule (ten \
                         points per decade of steps), because each one reads all of W.",
                    );
                }
            }
            ui.label(format!("· {} neurons", p.model.neurons));
        }
    });
}

/// What the "+ k/B" after the step number means.
const PARTIAL_STEP: &str = "The next step is under way: the heatmap shows W after the \
    first k of its B stimuli, computed from their activities while the simulation learns \
    from the whole batch. The exact W replaces the preview when the step completes.";

fn training_controls_ui(
    ui: &mut egui::Ui,
    cx: &PanelContext<'_>,
    running: bool,
    actions: &mut Vec<AppAction>,
) {
    let mut controls = cx.state.training;
    ui.horizontal(|ui| {
        let run_label = if running { "Pause" } else { "Run" };
        if ui
            .button(RichText::new(run_label).strong())
            .on_hover_text("Run or pause the learning (Space).")
            .clicked()
        {
            actions.push(if running {
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
            actions.push(AppAction::Step);
        }
        if ui
            .button("Reset")
            .on_hover_text("Back to step 0 with the initial weights (R).")
            .clicked()
        {
            actions.push(AppAction::Reset);
        }
        ui.separator();
        let l = ui
            .label("Speed")
            .on_hover_text("Steps per second; 'max' runs as fast as the machine allows.");
        ui.add_enabled(
            !controls.max_speed,
            egui::Slider::new(&mut controls.speed_steps_per_sec, 1.0..=2000.0)
                .logarithmic(true)
                .suffix(" steps/s"),
        )
        .labelled_by(l.id);
        ui.checkbox(&mut controls.max_speed, "max");
        ui.separator();
        let l = ui
            .label("Run to step")
            .on_hover_text("Run until the step counter reaches this value, then pause.");
        ui.add(egui::DragValue::new(&mut controls.run_until).speed(10.0))
            .labelled_by(l.id);
        if ui
            .button("Go")
            .on_hover_text("Run until that step.")
            .clicked()
        {
            actions.push(AppAction::RunUntil(controls.run_until));
        }
    });
    if controls != cx.state.training {
        actions.push(AppAction::SetTraining(controls));
    }
}

/// View → Theme.
fn theme_menu_ui(ui: &mut egui::Ui, cx: &PanelContext<'_>, actions: &mut Vec<AppAction>) {
    let look = cx.state.look;
    ui.menu_button("Theme", |ui| {
        for &choice in ThemeChoice::all() {
            if ui
                .selectable_label(look.theme == choice, choice.label())
                .clicked()
            {
                actions.push(AppAction::SetTheme(choice));
            }
        }
        if look.presentation && look.theme == ThemeChoice::System {
            ui.label(RichText::new("Presentation mode shows the light theme.").small());
        }
    });
}
