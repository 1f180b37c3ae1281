//! The search panel: method, time limit, fixed-point penalty, Start/Cancel with a
//! progress bar and the best error so far; then the outcome, group first (see
//! [`crate::app::panels::group`]), and — collapsed — the candidates that are not symmetries.

use egui::{DragValue, RichText, Ui};

use crate::app::actions::AppAction;
use crate::app::context::PanelContext;
use crate::app::panels::group;
use crate::app::panels::result_cells::{cycles_cell_ui, truth_cell_ui};
use crate::model::Space;
use crate::report::elements::ElementBrowser;
use crate::report::outcome::SearchOutcome;
use crate::report::rows::FoundPermutation;
use crate::search::{Method, SearchOptions};
use crate::session::jobs::search::SearchTask;
use crate::session::state::search::Pick;
use crate::session::state::source::Shown;

/// The panel's own state: the approximate group's elements listed so far (produced
/// and measured only while the list is open), for the outcome they were listed for.
#[derive(Default)]
pub struct SearchPanel {
    /// The approximate group's elements listed so far.
    pub elements: ElementBrowser,
    /// The search serial the element list belongs to.
    listed_for: Option<u64>,
}

impl SearchPanel {
    /// The element list of `outcome` (started afresh when the outcome changed).
    fn elements_of(&mut self, outcome: &SearchOutcome, serial: u64) -> &mut ElementBrowser {
        if self.listed_for != Some(serial) {
            self.listed_for = Some(serial);
            self.elements = ElementBrowser::of(outcome);
        }
        &mut self.elements
    }

    /// Draws the panel; returns the actions requested.
    pub fn ui(&mut self, ui: &mut Ui, cx: &PanelContext<'_>) -> Vec<AppAction> {
        let mut actions = Vec::new();
        let search = &cx.state.search;
        let space = cx.shown.as_ref().and_then(|s| s.space);
        let space = space.as_ref();
        let neurons = cx.shown.as_ref().map(Shown::neurons);
        ui.heading("Symmetry search");
        ui.label("Looks for permutations π of the neurons with W[π(i)][π(j)] ≈ W[i][j] — without using any labels.");
        settings_ui(ui, &search.settings, neurons, &mut actions);
        controls_ui(ui, cx.search, cx.shown.is_some(), &mut actions);
        let Some(outcome) = &search.outcome else {
            return actions;
        };
        let selected = search.selected();
        ui.separator();
        let how = match (outcome.cancelled, outcome.timed_out) {
            (true, _) => "cancelled",
            (false, true) => "stopped at the time limit (results depend on the machine's speed)",
            (false, false) => "finished",
        };
        ui.label(
            RichText::new(format!(
                "{} · {how} after {:.1} s",
                search
                    .outcome_subject
                    .clone()
                    .unwrap_or_else(|| format!("Weights of step {}", search.outcome_step)),
                outcome.elapsed_secs
            ))
            .small(),
        );
        egui::ScrollArea::vertical()
            .id_salt("search-outcome")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let elements = self.elements_of(outcome, search.serial_of_outcome());
                group::group_ui(ui, outcome, elements, selected, space, &mut actions);
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
                    results_table_ui(ui, "non-symmetries-grid", &rejected, selected, space, &mut actions);
                });
                let all: Vec<(usize, &FoundPermutation)> = outcome.results.iter().enumerate().collect();
                egui::CollapsingHeader::new(format!("All search results ({})", all.len()))
                    .id_salt("all-results")
                    .default_open(false)
                    .show(ui, |ui| {
                        results_table_ui(ui, "all-results-grid", &all, selected, space, &mut actions);
                    });
            });
        actions
    }
}

/// Method, time limit, penalty and seed; a change is asked for as an action.
fn settings_ui(
    ui: &mut Ui,
    current: &SearchOptions,
    neurons: Option<usize>,
    actions: &mut Vec<AppAction>,
) {
    let mut settings = current.clone();
    egui::Grid::new("search-settings")
        .num_columns(2)
        .show(ui, |ui| {
            let l = ui
                .label("Method")
                .on_hover_text(settings.method.explanation());
            egui::ComboBox::from_id_salt("search-method")
                .selected_text(settings.method.to_string())
                .show_ui(ui, |ui| {
                    for &m in Method::all() {
                        ui.selectable_value(&mut settings.method, m, m.to_string())
                            .on_hover_text(m.explanation());
                    }
                })
                .response
                .labelled_by(l.id);
            ui.end_row();
            let l = ui.label("Cancel after (s)").on_hover_text(
                "A safety stop only: the search ends on its own when its work is done, \
                 with the same results on any machine. If this limit stops it first, the \
                 results say so (time limit reached) and depend on the machine's speed.",
            );
            ui.add(
                DragValue::new(&mut settings.time_limit_secs)
                    .range(0.1..=3600.0)
                    .speed(0.2),
            )
            .labelled_by(l.id);
            ui.end_row();
            let l = ui.label("Fixed-point penalty").on_hover_text(
                "Cost per neuron left in place, so the trivial identity is not the answer.",
            );
            ui.add(
                DragValue::new(&mut settings.penalty)
                    .range(0.0..=10.0)
                    .speed(0.01),
            )
            .labelled_by(l.id);
            ui.end_row();
            let l = ui
                .label("Search seed")
                .on_hover_text("Seed of the solver's randomness; same seed, same results.");
            ui.add(DragValue::new(&mut settings.seed).speed(1.0))
                .labelled_by(l.id);
            ui.end_row();
        });
    if settings.method == Method::Exact
        && let Some(n) = neurons
        && n > Method::EXACT_MAX_NEURONS
    {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!(
                "exact is for n ≲ {}: with {n} neurons it will run to the time limit and report the gap it could not close.",
                Method::EXACT_MAX_NEURONS
            ),
        );
    }
    if settings != *current {
        actions.push(AppAction::SetSearchOptions(settings));
    }
}

/// Start or Cancel, and the running search's progress.
fn controls_ui(
    ui: &mut Ui,
    task: Option<&SearchTask>,
    can_start: bool,
    actions: &mut Vec<AppAction>,
) {
    ui.horizontal(|ui| {
        if let Some(task) = task {
            let label = if task.is_cancelling() {
                "Cancelling…"
            } else {
                "Cancel"
            };
            if ui
                .add_enabled(!task.is_cancelling(), egui::Button::new(label))
                .clicked()
            {
                actions.push(AppAction::CancelSearch);
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
            actions.push(AppAction::StartSearch);
        }
    });
    if let Some(task) = task {
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

/// A table of search results: `#k` (click to select), error, true match, fixed points,
/// order, cycle type.
fn results_table_ui(
    ui: &mut Ui,
    id: &str,
    rows: &[(usize, &FoundPermutation)],
    selected: Option<Pick>,
    space: Option<&Space>,
    actions: &mut Vec<AppAction>,
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
                    actions.push(AppAction::Select(Pick::Result(k), None));
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
