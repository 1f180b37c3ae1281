//! The left panel for an imported matrix: its facts instead of the parameters, and the
//! selected permutation's cycles by node name.

use egui::RichText;

use crate::app::actions::AppAction;
use crate::app::context::PanelContext;
use crate::app::panels::top_bar::TRAINING_OFF;
use crate::perm::Permutation;
use crate::session::state::source::ImportedSource;

/// At most this many cycles are listed in the selected-permutation table.
const MAX_CYCLES_LISTED: usize = 64;

/// The facts panel (no state of its own).
#[derive(Default)]
pub struct FactsPanel;

impl FactsPanel {
    /// Draws the facts of the imported matrix and the selected permutation's cycles by
    /// node name; returns the actions asked for.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &PanelContext<'_>) -> Vec<AppAction> {
        let mut actions = Vec::new();
        let Some(i) = cx.state.imported() else {
            return actions;
        };
        let f = &i.graph.facts;
        ui.heading("Imported matrix");
        ui.label(RichText::new(i.graph.file_name()).strong())
            .on_hover_text(i.graph.path.display().to_string());
        egui::Grid::new("matrix-facts")
            .num_columns(2)
            .striped(true)
            .show(ui, |ui| {
                ui.label("Size");
                ui.label(format!("{} × {} nodes", f.nodes, f.nodes));
                ui.end_row();
                ui.label("Kind").on_hover_text(
                    "Symmetric: W equals its transpose exactly (an undirected graph).",
                );
                ui.label(if f.symmetric {
                    "symmetric (undirected)"
                } else {
                    "directed (W is not its transpose)"
                });
                ui.end_row();
                ui.label("Values");
                ui.label(format!("{:.4e} … {:.4e}", f.min, f.max));
                ui.end_row();
                ui.label("Sparsity")
                    .on_hover_text("Share of entries that are exactly zero.");
                ui.label(format!("{:.1} % zeros", 100.0 * f.zero_fraction));
                ui.end_row();
                ui.label("Self-loops")
                    .on_hover_text("Share of diagonal entries that are not zero.");
                ui.label(format!(
                    "{:.1} % of the diagonal",
                    100.0 * f.diagonal_fraction
                ));
                ui.end_row();
                ui.label("Node labels");
                match &i.names {
                    Some(n) => ui
                        .label(
                            n.path
                                .file_name()
                                .map_or_else(String::new, |s| s.to_string_lossy().into_owned()),
                        )
                        .on_hover_text(n.path.display().to_string()),
                    None => ui.label("none (indices)"),
                };
                ui.end_row();
            });
        if ui
            .button("Load node labels…")
            .on_hover_text(
                "A text file with one name per line, or a CSV whose first column names the nodes.",
            )
            .clicked()
        {
            actions.push(AppAction::LoadNodeLabels);
        }
        ui.add_space(6.0);
        ui.label(RichText::new(TRAINING_OFF).small());
        ui.separator();
        cycles_ui(ui, i, cx.state.selected_permutation());
        actions
    }
}

/// The selected permutation's cycles, each node by its name.
fn cycles_ui(ui: &mut egui::Ui, i: &ImportedSource, selected: Option<&Permutation>) {
    let Some(pi) = selected else {
        ui.label(
            RichText::new("Select a search result to list its cycles here by node name.").small(),
        );
        return;
    };
    let cycles: Vec<Vec<usize>> = pi.cycles().into_iter().filter(|c| c.len() > 1).collect();
    ui.label(RichText::new(format!(
            "Selected permutation: order {}, {} cycle(s), {} fixed node(s). Each node maps to the next:",
            pi.order(),
            cycles.len(),
            pi.fixed_points()
        ))
        .strong());
    egui::ScrollArea::vertical()
        .id_salt("cycles-table")
        .auto_shrink([false, true])
        .show(ui, |ui| {
            // Long cycles wrap inside the panel instead of widening it.
            ui.set_max_width(ui.available_width());
            for c in cycles.iter().take(MAX_CYCLES_LISTED) {
                let names: Vec<String> = c.iter().map(|&k| i.node_name(k)).collect();
                let first = names.first().cloned().unwrap_or_default();
                ui.add(
                    egui::Label::new(format!(
                        "({}-cycle)  {} -> {first}",
                        c.len(),
                        names.join(" -> ")
                    ))
                    .wrap(),
                );
                ui.add_space(2.0);
            }
            if cycles.len() > MAX_CYCLES_LISTED {
                ui.label(format!(
                    "… and {} more cycles.",
                    cycles.len() - MAX_CYCLES_LISTED
                ));
            }
        });
}
