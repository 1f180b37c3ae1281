//! The search panel: method, time limit, fixed-point penalty, Start/Cancel with a
//! progress bar and the best error so far, and the results table.

use egui::{DragValue, RichText, Ui};

use super::labels::{describe_cycle_type, describe_transformation};
use super::search_task::{SearchMethod, SearchOutcome, SearchSettings, SearchTask};
use crate::model::Space;

/// What the user asked for in the panel this frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchAction {
    /// Start a search on the current snapshot.
    Start,
    /// Cancel the running search.
    Cancel,
    /// Select a row of the results table.
    Select(usize),
}

/// The panel's state: settings, the running task, the last outcome and the selection.
#[derive(Default)]
pub struct SearchPanel {
    /// Settings for the next search.
    pub settings: SearchSettings,
    /// The running search, if any.
    pub task: Option<SearchTask>,
    /// The last finished search.
    pub outcome: Option<SearchOutcome>,
    /// Step of the snapshot the outcome was computed on.
    pub outcome_step: u64,
    /// Selected row of the results table.
    pub selected: Option<usize>,
    /// Changes whenever the results or the selection change.
    pub serial: u64,
}

impl SearchPanel {
    /// Whether a search is running.
    pub fn is_running(&self) -> bool {
        self.task.is_some()
    }

    /// Forgets results (they belong to a simulation that was replaced).
    pub fn clear(&mut self) {
        if let Some(t) = &mut self.task {
            t.cancel();
        }
        self.task = None;
        self.outcome = None;
        self.selected = None;
        self.serial += 1;
    }

    /// Draws the panel; returns the actions requested.
    pub fn ui(&mut self, ui: &mut Ui, can_start: bool, space: Option<&Space>) -> Vec<SearchAction> {
        let mut actions = Vec::new();
        ui.heading("Symmetry search");
        ui.label("Looks for permutations π of the neurons with W[π(i)][π(j)] ≈ W[i][j] — without using any labels.");
        egui::Grid::new("search-settings")
            .num_columns(2)
            .show(ui, |ui| {
                let l = ui
                    .label("Method")
                    .on_hover_text(self.settings.method.explanation());
                egui::ComboBox::from_id_salt("search-method")
                    .selected_text(self.settings.method.name())
                    .show_ui(ui, |ui| {
                        for m in SearchMethod::ALL {
                            ui.selectable_value(&mut self.settings.method, m, m.name())
                                .on_hover_text(m.explanation());
                        }
                    })
                    .response
                    .labelled_by(l.id);
                ui.end_row();
                let l = ui.label("Time limit (s)").on_hover_text(
                    "The search stops and reports its best results after this long.",
                );
                ui.add(
                    DragValue::new(&mut self.settings.time_limit_secs)
                        .range(0.1..=3600.0)
                        .speed(0.2),
                )
                .labelled_by(l.id);
                ui.end_row();
                let l = ui.label("Fixed-point penalty").on_hover_text(
                    "Cost per neuron left in place, so the trivial identity is not the answer.",
                );
                ui.add(
                    DragValue::new(&mut self.settings.fixed_point_penalty)
                        .range(0.0..=10.0)
                        .speed(0.01),
                )
                .labelled_by(l.id);
                ui.end_row();
                let l = ui
                    .label("Search seed")
                    .on_hover_text("Seed of the solver's randomness; same seed, same results.");
                ui.add(DragValue::new(&mut self.settings.seed).speed(1.0))
                    .labelled_by(l.id);
                ui.end_row();
            });
        ui.horizontal(|ui| {
            if let Some(task) = &self.task {
                let label = if task.is_cancelling() {
                    "Cancelling…"
                } else {
                    "Cancel"
                };
                if ui
                    .add_enabled(!task.is_cancelling(), egui::Button::new(label))
                    .clicked()
                {
                    actions.push(SearchAction::Cancel);
                }
            } else if ui
                .add_enabled(
                    can_start,
                    egui::Button::new(RichText::new("Start search").strong()),
                )
                .on_hover_text(
                    "Search the current weights in the background; learning continues meanwhile.",
                )
                .clicked()
            {
                actions.push(SearchAction::Start);
            }
        });
        if let Some(task) = &self.task {
            let best = task
                .best_error()
                .map_or_else(|| "—".to_owned(), |e| format!("{e:.4}"));
            ui.add(
                egui::ProgressBar::new(task.fraction() as f32)
                    .show_percentage()
                    .text(format!(
                        "{:.0} %  ·  best error {best}  ·  {:.1} s",
                        task.fraction() * 100.0,
                        task.elapsed_secs()
                    )),
            );
        }
        if let Some(outcome) = &self.outcome {
            ui.separator();
            let how = if outcome.cancelled {
                "cancelled"
            } else {
                "finished"
            };
            ui.label(format!(
                "{} permutations found on the weights of step {} ({how} after {:.1} s). Click a row to reorder the heatmap.",
                outcome.results.len(),
                self.outcome_step,
                outcome.elapsed_secs
            ));
            egui::ScrollArea::both().id_salt("search-results").auto_shrink([false, false]).show(ui, |ui| {
                egui::Grid::new("search-results-grid").num_columns(6).striped(true).spacing([12.0, 4.0]).show(ui, |ui| {
                    for h in ["#", "error", "true match", "fixed", "order", "cycles"] {
                        ui.label(RichText::new(h).strong());
                    }
                    ui.end_row();
                    for (k, r) in outcome.results.iter().enumerate() {
                        if ui.selectable_label(self.selected == Some(k), format!("#{}", k + 1)).clicked() {
                            actions.push(SearchAction::Select(k));
                        }
                        ui.label(format!("{:.4}", r.error))
                            .on_hover_text(format!("node-weight error ||d − πd|| / ||d|| = {:.4}", r.node_error));
                        match &r.truth {
                            Some(t) => {
                                let text = format!("{} {:.0} %", describe_transformation(&t.transformation, space), t.consistency * 100.0);
                                if t.consistency >= 0.95 {
                                    ui.label(RichText::new(text).strong().color(ui.visuals().strong_text_color()))
                                        .on_hover_text("Recovered: agrees with this true transformation on ≥ 95 % of neurons.");
                                } else {
                                    ui.label(text).on_hover_text("Closest true transformation and the fraction of neurons on which it agrees.");
                                }
                            }
                            None => {
                                ui.label("—");
                            }
                        }
                        ui.label(r.fixed_points.to_string());
                        ui.label(r.order.to_string());
                        let cycles = describe_cycle_type(&r.cycle_type);
                        if cycles.chars().count() > 14 {
                            let short: String = cycles.chars().take(12).collect();
                            ui.label(format!("{short}…")).on_hover_text(cycles);
                        } else {
                            ui.label(cycles);
                        }
                        ui.end_row();
                    }
                });
            });
        }
        actions
    }
}
