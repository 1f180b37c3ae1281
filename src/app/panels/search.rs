//! The search panel: method, time limit, fixed-point penalty, Start/Cancel with a
//! progress bar and the best error so far; then the outcome, group first (see
//! [`crate::app::panels::group`]), and — collapsed — the candidates that are not symmetries.

use std::collections::HashMap;

use egui::{DragValue, RichText, Ui};

use crate::report::elements::ElementBrowser;
use crate::app::panels::group;
use crate::report::labels::{describe_cycle_type, describe_transformation};
use crate::report::outcome::{RECOVERED, SearchOutcome};
use crate::app::search_task::{SearchMethod, SearchSettings, SearchTask};
use crate::report::rows::{FoundPermutation, TruthMatch};
use crate::model::Space;
use crate::perm::Permutation;

/// Something the user can select: it reorders the heatmap and is what the
/// Transformation view animates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// A row of the search's results (index into `SearchOutcome::results`).
    Result(usize),
    /// A generator of the approximate group (index into its generators).
    Generator(usize),
    /// A listed element of the approximate group (index into the element list).
    Element(usize),
    /// A generator of the proved exact group.
    ExactGenerator(usize),
}

/// What the user asked for in the panel this frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchAction {
    /// Start a search on the current snapshot.
    Start,
    /// Cancel the running search.
    Cancel,
    /// Select a permutation.
    Select(Pick),
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
    /// What was searched, when it was not a simulation step (an imported matrix's name).
    pub outcome_subject: Option<String>,
    /// What is selected.
    pub selected: Option<Pick>,
    /// The approximate group's elements listed so far (belongs to `outcome`).
    pub elements: ElementBrowser,
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
        self.elements = ElementBrowser::default();
        self.serial += 1;
    }

    /// Shows a finished search. Selects the first generator of the group (the
    /// headline's first link), or the best result when no group was found.
    pub fn set_outcome(&mut self, outcome: SearchOutcome) {
        let generators: Vec<Permutation> = outcome
            .group
            .generators
            .iter()
            .map(|g| g.found.permutation.clone())
            .collect();
        let known: HashMap<Permutation, f64> = outcome
            .results
            .iter()
            .map(|r| (r.permutation.clone(), r.error))
            .chain(
                outcome
                    .group
                    .generators
                    .iter()
                    .map(|g| (g.found.permutation.clone(), g.found.error)),
            )
            .collect();
        self.elements = ElementBrowser::new(generators, known);
        self.selected = if !outcome.group.generators.is_empty() {
            Some(Pick::Generator(0))
        } else if !outcome.results.is_empty() {
            Some(Pick::Result(0))
        } else {
            None
        };
        self.outcome = Some(outcome);
        self.serial += 1;
    }

    /// The permutation a pick refers to (None if it does not exist).
    pub fn permutation(&self, pick: Pick) -> Option<&Permutation> {
        let o = self.outcome.as_ref()?;
        match pick {
            Pick::Result(k) => o.results.get(k).map(|r| &r.permutation),
            Pick::Generator(k) => o.group.generators.get(k).map(|g| &g.found.permutation),
            Pick::Element(k) => self.elements.elements().get(k).map(|e| &e.permutation),
            Pick::ExactGenerator(k) => o.exact.generators.get(k).map(|g| &g.permutation),
        }
    }

    /// The first pick that recovers the true transformation called `name` (as the
    /// panel spells it): a generator if one does, else a result.
    pub fn pick_recovering(&self, name: &str, space: Option<&Space>) -> Option<Pick> {
        let o = self.outcome.as_ref()?;
        let recovers = |r: &FoundPermutation| {
            r.truth.as_ref().is_some_and(|t| {
                t.consistency >= RECOVERED
                    && describe_transformation(&t.transformation, space) == name
            })
        };
        o.group
            .generators
            .iter()
            .position(|g| recovers(&g.found))
            .map(Pick::Generator)
            .or_else(|| o.results.iter().position(recovers).map(Pick::Result))
    }

    /// Draws the panel; returns the actions requested.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        can_start: bool,
        space: Option<&Space>,
        neurons: Option<usize>,
    ) -> Vec<SearchAction> {
        let mut actions = Vec::new();
        ui.heading("Symmetry search");
        ui.label("Looks for permutations π of the neurons with W[π(i)][π(j)] ≈ W[i][j] — without using any labels.");
        self.settings_ui(ui, neurons);
        self.controls_ui(ui, can_start, &mut actions);
        let Some(outcome) = &self.outcome else {
            return actions;
        };
        ui.separator();
        let how = match (outcome.cancelled, outcome.timed_out) {
            (true, _) => "cancelled",
            (false, true) => "stopped at the time limit",
            (false, false) => "finished",
        };
        ui.label(
            RichText::new(format!(
                "{} · {how} after {:.1} s",
                self.outcome_subject
                    .clone()
                    .unwrap_or_else(|| format!("Weights of step {}", self.outcome_step)),
                outcome.elapsed_secs
            ))
            .small(),
        );
        egui::ScrollArea::vertical()
            .id_salt("search-outcome")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                group::group_ui(ui, outcome, &mut self.elements, self.selected, space, &mut actions);
                ui.add_space(6.0);
                let tolerance = outcome.group.summary.tolerance;
                let rejected: Vec<(usize, &FoundPermutation)> = outcome.non_symmetries().collect();
                egui::CollapsingHeader::new(format!(
                    "Candidates that are not symmetries ({}): error above {tolerance:.4}",
                    rejected.len()
                ))
                .id_salt("non-symmetries")
                .default_open(false)
                .show(ui, |ui| {
                    ui.label(
                        RichText::new(
                            "The search tried these, but their error is above the acceptance level: they are not counted as symmetries.",
                        )
                        .small(),
                    );
                    results_table_ui(ui, "non-symmetries-grid", &rejected, self.selected, space, &mut actions);
                });
                let all: Vec<(usize, &FoundPermutation)> = outcome.results.iter().enumerate().collect();
                egui::CollapsingHeader::new(format!("All search results ({})", all.len()))
                    .id_salt("all-results")
                    .default_open(false)
                    .show(ui, |ui| {
                        results_table_ui(ui, "all-results-grid", &all, self.selected, space, &mut actions);
                    });
            });
        actions
    }

    fn settings_ui(&mut self, ui: &mut Ui, neurons: Option<usize>) {
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
        if self.settings.method == SearchMethod::Exact
            && let Some(n) = neurons
            && n > SearchMethod::EXACT_MAX_NEURONS
        {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!(
                    "exact is for n ≲ {}: with {n} neurons it will run to the time limit and report the gap it could not close.",
                    SearchMethod::EXACT_MAX_NEURONS
                ),
            );
        }
    }

    fn controls_ui(&self, ui: &mut Ui, can_start: bool, actions: &mut Vec<SearchAction>) {
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
    }
}

/// A table of search results: `#k` (click to select), error, true match, fixed points,
/// order, cycle type.
fn results_table_ui(
    ui: &mut Ui,
    id: &str,
    rows: &[(usize, &FoundPermutation)],
    selected: Option<Pick>,
    space: Option<&Space>,
    actions: &mut Vec<SearchAction>,
) {
    egui::Grid::new(id)
        .num_columns(6)
        .striped(true)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            for h in ["#", "error", "true match", "fixed", "order", "cycles"] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for &(k, r) in rows {
                if ui
                    .selectable_label(selected == Some(Pick::Result(k)), format!("#{}", k + 1))
                    .clicked()
                {
                    actions.push(SearchAction::Select(Pick::Result(k)));
                }
                ui.label(format!("{:.4}", r.error)).on_hover_text(format!(
                    "node-weight error ||d − πd|| / ||d|| = {:.4}",
                    r.node_error
                ));
                truth_cell_ui(ui, r.truth.as_ref(), space);
                ui.label(r.fixed_points.to_string());
                ui.label(r.order.to_string());
                cycles_cell_ui(ui, &r.cycle_type);
                ui.end_row();
            }
        });
}

/// The "true match" cell: the closest true transformation and its consistency, strong
/// when recovered.
pub fn truth_cell_ui(ui: &mut Ui, truth: Option<&TruthMatch>, space: Option<&Space>) {
    match truth {
        Some(t) => {
            let text = format!(
                "{} {:.0} %",
                describe_transformation(&t.transformation, space),
                t.consistency * 100.0
            );
            if t.consistency >= RECOVERED {
                ui.label(
                    RichText::new(text)
                        .strong()
                        .color(ui.visuals().strong_text_color()),
                )
                .on_hover_text(
                    "Recovered: agrees with this true transformation on ≥ 95 % of neurons.",
                );
            } else {
                ui.label(text).on_hover_text(
                    "Closest true transformation and the fraction of neurons on which it agrees.",
                );
            }
        }
        None => {
            ui.label("—");
        }
    }
}

/// The cycle type, shortened with the full text in the tooltip.
pub fn cycles_cell_ui(ui: &mut Ui, cycle_type: &[(usize, usize)]) {
    let cycles = describe_cycle_type(cycle_type);
    if cycles.chars().count() > 14 {
        let short: String = cycles.chars().take(12).collect();
        ui.label(format!("{short}…")).on_hover_text(cycles);
    } else {
        ui.label(cycles);
    }
}
