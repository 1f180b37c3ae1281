//! The central area: view tabs, the heatmap with its order, the learning curves with
//! overlaid runs, stimulus and transformation views — for the simulation or for an
//! imported matrix (where views that need a simulation explain why they are empty).

use std::sync::Arc;

use egui::RichText;

use super::actions::AppAction;
use super::animation_panel::AnimationContext;
use super::app_state::{InvarianceApp, OrderCache};
use super::compare_panel::{CompareAction, LiveRun};
use super::compare_runs::flatten_config;
use super::export_menu::{FigureKind as Fig, with_export_menu};
use super::heatmap::{HeatmapContext, MAX_TEXTURE_SIDE, MatrixOrder, recovered_order, truth_order};
use super::imported::ImportedSource;
use super::plots_panel;
use super::stimulus_panel::StimulusContext;
use super::view::View;
use super::worker::{Published, WorkerCommand};
use crate::model::NeuronLabel;
use crate::model::overview::ViewRequest;

impl InvarianceApp {
    /// The central area; returns the neuron clicked in the activity plot, if any.
    pub(super) fn central_ui(&mut self, ui: &mut egui::Ui) -> Option<usize> {
        ui.horizontal(|ui| {
            for v in View::ALL {
                let text =
                    RichText::new(v.name()).size(17.0 * if self.presentation { 1.4 } else { 1.0 });
                if ui.selectable_label(self.view == v, text).clicked() {
                    self.view = v;
                }
            }
        });
        ui.separator();
        if let Some(imported) = self.imported().cloned() {
            self.imported_central_ui(ui, &imported);
            return None;
        }
        let Some(p) = self.latest.clone() else {
            ui.centered_and_justified(|ui| ui.label("Starting the simulation…"));
            return None;
        };
        let mut clicked = None;
        let model = p.model.clone();
        // The bank version is part of the key: a learned bank's labels change when its
        // field phase ends, within one generation.
        let order_key = model.generation ^ (model.bank_version << 40);
        let (_, order) = self.current_order(order_key, model.neurons, &model.labels);
        // Without a hovered or clicked neuron, show the most active one.
        let most_active = p.snapshot.most_active();
        let neuron = self
            .heatmap
            .hovered
            .or(self.heatmap.selected)
            .or(most_active);
        let scx = StimulusContext {
            space: &model.config.space,
            snapshot_id: p.id,
            stimulus: &p.snapshot.stimulus,
            activity: &p.snapshot.activity,
            order: &order,
            // A learned bank's fields change every step of its field phase.
            fields: p.snapshot.fields.as_deref().unwrap_or(&model.fields),
            labels: &model.labels,
            neuron,
            axis: crate::model::audio::LogFreqAxis::of(
                &model.config.stimulus.kind,
                model.config.space.side(),
            ),
        };
        let hcx = HeatmapContext {
            labels: &model.labels,
            space: Some(&model.config.space),
            names: None,
        };
        let has_recovered = self.selected_permutation().is_some();
        match self.view {
            View::Overview => {
                // The heatmap column is as wide as the height allows (a square matrix
                // plus its colour bar), up to 60 % of the width; the plots take the rest.
                let avail = ui.available_size();
                let spacing = ui.spacing().item_spacing.x;
                let left = (avail.y - 40.0 + 98.0)
                    .min(avail.x * 0.6)
                    .max(avail.x * 0.4);
                let right = (avail.x - left - spacing).max(100.0);
                let top_down = egui::Layout::top_down(egui::Align::Min);
                ui.horizontal_top(|ui| {
                    ui.allocate_ui_with_layout(egui::vec2(left, avail.y), top_down, |ui| {
                        ui.set_width(left);
                        self.heatmap
                            .settings_ui(ui, &mut self.order_mode, has_recovered, true);
                        with_export_menu(ui, &[Fig::Heatmap], &mut self.queued, |ui| {
                            self.heatmap.ui(ui, &hcx)
                        });
                    });
                    ui.allocate_ui_with_layout(egui::vec2(right, avail.y), top_down, |ui| {
                        ui.set_width(right);
                        let h = ui.available_height();
                        with_export_menu(ui, &[Fig::LearningCurve], &mut self.queued, |ui| {
                            plots_panel::symmetry_error_ui(
                                ui,
                                &p.snapshot.history,
                                (h * 0.45).max(150.0),
                            )
                        });
                        ui.add_space(6.0);
                        let rest = (ui.available_height() * 0.5 - 30.0).max(90.0);
                        with_export_menu(ui, &[Fig::Stimulus], &mut self.queued, |ui| {
                            self.stimulus.stimulus_ui(ui, &scx, rest)
                        });
                        clicked =
                            with_export_menu(ui, &[Fig::Activities], &mut self.queued, |ui| {
                                self.stimulus.activity_ui(ui, &scx, rest)
                            });
                    });
                });
            }
            View::Weights => {
                self.heatmap
                    .settings_ui(ui, &mut self.order_mode, has_recovered, true);
                with_export_menu(ui, &[Fig::Heatmap], &mut self.queued, |ui| {
                    self.heatmap.ui(ui, &hcx)
                });
            }
            View::Learning => self.learning_ui(ui, Some(&p)),
            View::Stimulus => {
                // A learned bank's gallery is open below: the other panels make room.
                let parts = if p.snapshot.fields.is_some() {
                    3.2
                } else {
                    2.0
                };
                let h = (ui.available_height() / parts - 40.0).max(90.0);
                ui.columns(2, |cols| {
                    let [left, right] = cols else { return };
                    with_export_menu(left, &[Fig::Stimulus], &mut self.queued, |ui| {
                        self.stimulus.stimulus_ui(ui, &scx, h)
                    });
                    with_export_menu(right, &[Fig::ReceptiveField], &mut self.queued, |ui| {
                        self.stimulus.field_ui(ui, &scx, h)
                    });
                });
                clicked = with_export_menu(ui, &[Fig::Activities], &mut self.queued, |ui| {
                    self.stimulus.activity_ui(ui, &scx, h)
                });
                let gcx = super::field_gallery::GalleryContext {
                    space: &model.config.space,
                    true_transformation: model.config.true_transformation,
                    fields: p.snapshot.fields.as_deref().unwrap_or(&model.fields),
                    order: &order,
                    phase: p.snapshot.phase,
                    version: (p.model.generation, p.snapshot.bank_version),
                };
                self.stimulus.gallery.ui(ui, &gcx);
            }
            View::Transformation => {
                let selected = self.selected_permutation().cloned();
                let acx = AnimationContext {
                    config: &model.config,
                    fields: &model.fields,
                    labels: &model.labels,
                    permutation: selected.as_ref(),
                    current_stimulus: Some(&p.snapshot.stimulus),
                };
                self.animation.ui(ui, &acx);
            }
        }
        clicked
    }

    pub(super) fn update_heatmap(&mut self) {
        let Some(p) = self.shown() else { return };
        let n = p.neurons();
        let visible = matches!(self.view, View::Overview | View::Weights);
        if !visible && n > 512 && self.screenshot.is_none() && self.heatmap.displayed.is_some() {
            return;
        }
        let (order_id, order) = self.current_order(p.key, n, &p.labels);
        let summary = p.snapshot.summary.clone();
        if summary.is_some() {
            // A matrix too large to copy: the simulation sums it for the heatmap in its
            // order, and copies the window of exact cells and the inspected row asked for.
            let view = ViewRequest {
                order: order.clone(),
                order_id,
                max_side: MAX_TEXTURE_SIDE,
                viewport: self.heatmap.wanted_viewport(n),
                row: self.inspect.neuron.filter(|&i| i < n),
            };
            if self.sent_view.as_ref() != Some(&view) {
                self.worker.send(WorkerCommand::SetView(Some(view.clone())));
                self.sent_view = Some(view);
            }
        }
        self.heatmap.update(
            &self.ctx,
            p.id,
            &p.snapshot.weights,
            order_id,
            &order,
            summary.as_ref(),
        );
    }

    /// The heatmap order of the graph `key` with `neurons` nodes (cached until the
    /// graph, the mode or the selection changes).
    pub(super) fn current_order(
        &mut self,
        key: u64,
        neurons: usize,
        labels: &[NeuronLabel],
    ) -> (u64, Arc<Vec<usize>>) {
        let mode =
            if self.order_mode == MatrixOrder::Recovered && self.selected_permutation().is_none() {
                MatrixOrder::Stored
            } else {
                self.order_mode
            };
        let serial = if mode == MatrixOrder::Recovered {
            self.search.serial
        } else {
            0
        };
        let key = (key, mode, serial);
        if let Some(c) = &self.order_cache
            && c.key == key
        {
            return (c.id, c.order.clone());
        }
        let order = match mode {
            MatrixOrder::Stored => (0..neurons).collect(),
            MatrixOrder::Truth if labels.len() == neurons => truth_order(labels),
            MatrixOrder::Truth => (0..neurons).collect(),
            MatrixOrder::Recovered => match self.selected_permutation() {
                Some(pi) if pi.len() == neurons => recovered_order(pi),
                _ => (0..neurons).collect(),
            },
        };
        self.order_counter += 1;
        let order = Arc::new(order);
        self.order_cache = Some(OrderCache {
            key,
            id: self.order_counter,
            order: order.clone(),
        });
        (self.order_counter, order)
    }

    /// The central area for an imported matrix: the heatmap, the comparison of runs, and
    /// a short explanation where a view needs a simulation.
    fn imported_central_ui(&mut self, ui: &mut egui::Ui, imported: &ImportedSource) {
        let has_recovered = self.selected_permutation().is_some();
        let names = imported.names.as_ref().map(|n| n.names.clone());
        let hcx = HeatmapContext {
            labels: &[],
            space: None,
            names: names.as_ref().map(|n| n.as_slice()),
        };
        match self.view {
            View::Overview | View::Weights => {
                self.heatmap
                    .settings_ui(ui, &mut self.order_mode, has_recovered, false);
                with_export_menu(ui, &[Fig::Heatmap], &mut self.queued, |ui| {
                    self.heatmap.ui(ui, &hcx)
                });
            }
            View::Learning => self.learning_ui(ui, None),
            View::Stimulus | View::Transformation => {
                let what = if self.view == View::Stimulus {
                    "Stimuli, activities and receptive fields"
                } else {
                    "The transformation acting on the input"
                };
                ui.add_space(40.0);
                ui.vertical_centered(|ui| {
                    ui.label(RichText::new(format!("{what} exist only for a simulated network.")).strong());
                    ui.label(format!(
                        "{} is an imported matrix: it has no retina and no stimuli. Its heatmap, reordered by the selected search result, is in the Weights view.",
                        imported.graph.file_name()
                    ));
                });
            }
        }
    }

    /// The learning curves with the overlaid runs; `live` is None for an imported
    /// matrix (only the overlays are drawn).
    fn learning_ui(&mut self, ui: &mut egui::Ui, live: Option<&Published>) {
        let live_run = live.map(|p| LiveRun {
            history: &p.snapshot.history,
            params: flatten_config(&p.model.config),
        });
        let h = ui.available_height();
        if live.is_none() {
            ui.label(RichText::new("An imported matrix has no learning history; the curves below are the runs added for comparison.").small());
        }
        let plot_h = if live.is_some() { h * 0.45 } else { h * 0.6 }.max(160.0);
        let actions = with_export_menu(ui, &[Fig::LearningCurve], &mut self.queued, |ui| {
            self.compare.ui(ui, live_run.as_ref(), plot_h)
        });
        for action in actions {
            self.queued.push(match action {
                CompareAction::AddRuns => AppAction::AddRuns,
                CompareAction::ExportFigure => AppAction::ExportFigure,
            });
        }
        if let Some(p) = live {
            ui.add_space(4.0);
            let small = (ui.available_height() - 40.0).max(100.0);
            let kinds = [Fig::WeightNorm, Fig::MeanActivity];
            with_export_menu(ui, &kinds, &mut self.queued, |ui| {
                plots_panel::metrics_row_ui(ui, &p.snapshot.history, small)
            });
        }
    }
}
