//! The imported-matrix flow: switching the app to a matrix the user opened, its node
//! names, the "graph on screen" every view reads, and the panel of the matrix's facts
//! that replaces the parameter panel.

use std::sync::Arc;

use egui::RichText;

use crate::app::app_state::InvarianceApp;
use crate::app::views::heatmap::MatrixOrder;
use crate::app::imported::{AppSource, IMPORTED_KEY_BIT, ImportedGraph, ImportedSource, NodeNames};
use crate::app::worker::WorkerCommand;
use crate::model::{NeuronLabel, Snapshot, Space, Transformation};
use crate::perm::Permutation;

/// Why training controls are off while a matrix is shown (tooltip and status text).
pub const TRAINING_OFF: &str = "Training is off: an imported matrix has no stimuli and no learning rule. Open a preset or an experiment to train.";

/// At most this many cycles are listed in the selected-permutation table.
const MAX_CYCLES_LISTED: usize = 64;

/// The graph on screen, whichever source it comes from.
pub struct Shown {
    /// Identifies the weights to the heatmap (a publication id, or an import key).
    pub id: u64,
    /// Changes when the graph is replaced (a generation, or an import key).
    pub key: u64,
    /// The weights and, for a simulation, everything else it published.
    pub snapshot: Arc<Snapshot>,
    /// Detector labels (empty for an imported matrix).
    pub labels: Arc<Vec<NeuronLabel>>,
    /// The space (None for an imported matrix).
    pub space: Option<Space>,
    /// True transformations for scoring (empty for an imported matrix).
    pub ground_truth: Arc<Vec<(Transformation, Permutation)>>,
    /// The neurons consistency counts (`None`: all; the interior of an open line).
    pub scored: Option<Arc<Vec<bool>>>,
    /// Node names from a labels file.
    pub names: Option<Arc<Vec<String>>>,
}

impl Shown {
    /// Number of nodes.
    pub fn neurons(&self) -> usize {
        self.snapshot.weights.neurons()
    }
}

impl InvarianceApp {
    /// What the app shows: the simulation or an imported matrix.
    pub fn source(&self) -> &AppSource {
        &self.source
    }

    /// The imported matrix, when one is shown.
    pub fn imported(&self) -> Option<&ImportedSource> {
        match &self.source {
            AppSource::Imported(i) => Some(i),
            AppSource::Simulation => None,
        }
    }

    /// The graph every view reads: the imported matrix, or the newest snapshot.
    pub fn shown(&self) -> Option<Shown> {
        match &self.source {
            AppSource::Imported(i) => Some(Shown {
                id: i.key,
                key: i.key,
                snapshot: i.graph.snapshot.clone(),
                labels: Arc::new(Vec::new()),
                space: None,
                ground_truth: Arc::new(Vec::new()),
                scored: None,
                names: i.names.as_ref().map(|n| n.names.clone()),
            }),
            AppSource::Simulation => self.latest.as_ref().map(|p| Shown {
                id: p.id,
                key: p.model.generation,
                snapshot: p.snapshot.clone(),
                labels: p.model.labels.clone(),
                space: Some(p.model.config.space),
                ground_truth: p.model.ground_truth.clone(),
                scored: p.model.scored.clone(),
                names: None,
            }),
        }
    }

    /// While a matrix is shown, says why training is off and returns true.
    pub(crate) fn training_blocked(&mut self) -> bool {
        if matches!(self.source, AppSource::Imported(_)) {
            self.status.error(TRAINING_OFF);
            return true;
        }
        false
    }

    /// Shows a freshly loaded matrix in place of the simulation (which pauses behind it).
    pub(crate) fn on_imported(&mut self, graph: ImportedGraph) {
        self.worker.send(WorkerCommand::Pause);
        self.import_counter += 1;
        let key = IMPORTED_KEY_BIT | self.import_counter;
        let f = &graph.facts;
        self.status.info(format!(
            "Opened the matrix {} ({} × {}, {}). Search it from the panel on the right.",
            graph.path.display(),
            f.nodes,
            f.nodes,
            if f.symmetric { "symmetric" } else { "directed" }
        ));
        self.files.remember(&graph.path);
        self.files.current_path = None;
        self.search.clear();
        self.order_cache = None;
        self.heatmap.hovered = None;
        self.heatmap.selected = None;
        self.order_mode = MatrixOrder::Stored;
        self.source = AppSource::Imported(ImportedSource {
            graph: Arc::new(graph),
            names: None,
            key,
        });
        if let Some(labels) = self.pending_labels.take() {
            self.load_node_labels(labels);
        }
    }

    pub(crate) fn on_names_loaded(&mut self, names: NodeNames, key: u64) {
        match &mut self.source {
            AppSource::Imported(i) if i.key == key => {
                self.status.info(format!(
                    "Named the {} nodes from {}.",
                    names.names.len(),
                    names.path.display()
                ));
                i.names = Some(names);
            }
            _ => self
                .status
                .error("The labels arrived after their matrix was closed; load them again."),
        }
    }

    /// The left panel for an imported matrix: its facts instead of the parameters, and
    /// the selected permutation's cycles by node name.
    pub(crate) fn facts_panel_ui(&mut self, ui: &mut egui::Ui) {
        let Some(i) = self.imported().cloned() else {
            return;
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
            self.perform(crate::app::actions::AppAction::LoadNodeLabels);
        }
        ui.add_space(6.0);
        ui.label(RichText::new(TRAINING_OFF).small());
        ui.separator();
        self.cycles_ui(ui, &i);
    }

    fn cycles_ui(&self, ui: &mut egui::Ui, i: &ImportedSource) {
        let Some(pi) = self.selected_permutation() else {
            ui.label(
                RichText::new("Select a search result to list its cycles here by node name.")
                    .small(),
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
}
