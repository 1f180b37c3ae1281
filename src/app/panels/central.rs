//! The central area: view tabs, the heatmap with its order, the learning curves with
//! overlaid runs, stimulus and transformation views — for the simulation or for an
//! imported matrix (where views that need a simulation explain why they are empty).

use egui::RichText;

use crate::app::actions::AppAction;
use crate::app::context::PanelContext;
use crate::app::panels::animation::{AnimationContext, AnimationPanel};
use crate::app::panels::compare::{CompareAction, ComparePanel, LiveRun};
use crate::app::panels::stimulus::{StimulusContext, StimulusPanel};
use crate::app::views::export_menu::with_export_menu;
use crate::app::views::heatmap::{HeatmapContext, HeatmapView};
use crate::app::views::plots;
use crate::session::figure_kind::FigureKind as Fig;
use crate::session::state::source::ImportedSource;
use crate::session::view::View;
use crate::session::worker::Published;
use crate::sweep::runs::flatten_config;

/// The central area's widgets and their state.
pub struct CentralPanel {
    /// The heatmap of `W`.
    pub heatmap: HeatmapView,
    /// Stimulus, activities, receptive fields and the field gallery.
    pub stimulus: StimulusPanel,
    /// The Transformation view.
    pub animation: AnimationPanel,
    /// The learning curves and the runs overlaid on them.
    pub compare: ComparePanel,
}

impl CentralPanel {
    /// The central area; `repaint` wakes the UI when the heatmap's render thread is done.
    pub fn new(repaint: Option<egui::Context>) -> Self {
        Self {
            heatmap: HeatmapView::new(repaint),
            stimulus: StimulusPanel::default(),
            animation: AnimationPanel::default(),
            compare: ComparePanel::default(),
        }
    }

    /// Forgets what belonged to the graph that was replaced (hover and selection).
    pub fn clear(&mut self) {
        self.heatmap.hovered = None;
        self.heatmap.selected = None;
    }

    /// Draws the view tabs and the chosen view; returns the actions asked for.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &PanelContext<'_>) -> Vec<AppAction> {
        let mut actions = Vec::new();
        let state = cx.state;
        ui.horizontal(|ui| {
            for &v in View::all() {
                let text = RichText::new(v.name()).size(17.0 * cx.scale());
                if ui.selectable_label(state.view == v, text).clicked() {
                    actions.push(AppAction::SetView(v));
                }
            }
        });
        ui.separator();
        if let Some(imported) = state.imported() {
            self.imported_ui(ui, cx, imported, &mut actions);
        } else if let Some(p) = state.latest.clone() {
            self.simulation_ui(ui, cx, &p, &mut actions);
        } else {
            ui.centered_and_justified(|ui| ui.label("Starting the simulation…"));
        }
        if let Some((i, j)) = self.heatmap.clicked_cell.take() {
            actions.push(AppAction::Pin(i, j));
        }
        actions
    }

    /// The views of a simulation.
    fn simulation_ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &PanelContext<'_>,
        p: &Published,
        actions: &mut Vec<AppAction>,
    ) {
        let state = cx.state;
        let model = p.model.clone();
        let order = cx.order.1.clone();
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
            axis: crate::model::world::audio::LogFreqAxis::of(
                &model.config.stimulus.kind,
                model.config.space.side(),
            ),
        };
        let hcx = HeatmapContext {
            labels: &model.labels,
            space: Some(&model.config.space),
            names: None,
        };
        let has_recovered = state.selected_permutation().is_some();
        match state.view {
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
                        order_settings_ui(ui, &mut self.heatmap, cx, has_recovered, true, actions);
                        with_export_menu(ui, &[Fig::Heatmap], actions, |ui| {
                            self.heatmap.ui(ui, &hcx)
                        });
                    });
                    ui.allocate_ui_with_layout(egui::vec2(right, avail.y), top_down, |ui| {
                        ui.set_width(right);
                        let h = ui.available_height();
                        with_export_menu(ui, &[Fig::LearningCurve], actions, |ui| {
                            plots::symmetry_error_ui(ui, &p.snapshot.history, (h * 0.45).max(150.0))
                        });
                        ui.add_space(6.0);
                        let rest = (ui.available_height() * 0.5 - 30.0).max(90.0);
                        with_export_menu(ui, &[Fig::Stimulus], actions, |ui| {
                            self.stimulus.stimulus_ui(ui, &scx, rest)
                        });
                        let clicked = with_export_menu(ui, &[Fig::Activities], actions, |ui| {
                            self.stimulus.activity_ui(ui, &scx, rest)
                        });
                        actions.extend(clicked.map(AppAction::InspectNeuron));
                    });
                });
            }
            View::Weights => {
                order_settings_ui(ui, &mut self.heatmap, cx, has_recovered, true, actions);
                with_export_menu(ui, &[Fig::Heatmap], actions, |ui| self.heatmap.ui(ui, &hcx));
            }
            View::Learning => self.learning_ui(ui, Some(p), actions),
            View::Stimulus => {
                // A learned bank's gallery is open below: the other panels make room
                // (more on 2-D retinas, whose gallery shows the learned kernels large).
                let parts = match (p.snapshot.fields.is_some(), model.config.space.is_2d()) {
                    (true, true) => 4.2,
                    (true, false) => 3.2,
                    (false, _) => 2.0,
                };
                let h = (ui.available_height() / parts - 40.0).max(90.0);
                ui.columns(2, |cols| {
                    let [left, right] = cols else { return };
                    with_export_menu(left, &[Fig::Stimulus], actions, |ui| {
                        self.stimulus.stimulus_ui(ui, &scx, h)
                    });
                    with_export_menu(right, &[Fig::ReceptiveField], actions, |ui| {
                        self.stimulus.field_ui(ui, &scx, h)
                    });
                });
                let clicked = with_export_menu(ui, &[Fig::Activities], actions, |ui| {
                    self.stimulus.activity_ui(ui, &scx, h)
                });
                actions.extend(clicked.map(AppAction::InspectNeuron));
                let gcx = crate::app::views::field_gallery::GalleryContext {
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
                let acx = AnimationContext {
                    config: &model.config,
                    fields: &model.fields,
                    labels: &model.labels,
                    permutation: state.selected_permutation(),
                    current_stimulus: Some(&p.snapshot.stimulus),
                };
                self.animation.ui(ui, &acx);
            }
        }
    }

    /// The central area for an imported matrix: the heatmap, the comparison of runs, and
    /// a short explanation where a view needs a simulation.
    fn imported_ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &PanelContext<'_>,
        imported: &ImportedSource,
        actions: &mut Vec<AppAction>,
    ) {
        let view = cx.state.view;
        let has_recovered = cx.state.selected_permutation().is_some();
        let names = imported.names.as_ref().map(|n| n.names.clone());
        let hcx = HeatmapContext {
            labels: &[],
            space: None,
            names: names.as_ref().map(|n| n.as_slice()),
        };
        match view {
            View::Overview | View::Weights => {
                order_settings_ui(ui, &mut self.heatmap, cx, has_recovered, false, actions);
                with_export_menu(ui, &[Fig::Heatmap], actions, |ui| self.heatmap.ui(ui, &hcx));
            }
            View::Learning => self.learning_ui(ui, None, actions),
            View::Stimulus | View::Transformation => {
                let what = if view == View::Stimulus {
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
    fn learning_ui(
        &mut self,
        ui: &mut egui::Ui,
        live: Option<&Published>,
        actions: &mut Vec<AppAction>,
    ) {
        let live_run = live.map(|p| LiveRun {
            history: &p.snapshot.history,
            params: flatten_config(&p.model.config),
        });
        let h = ui.available_height();
        if live.is_none() {
            ui.label(RichText::new("An imported matrix has no learning history; the curves below are the runs added for comparison.").small());
        }
        let plot_h = if live.is_some() { h * 0.45 } else { h * 0.6 }.max(160.0);
        let asked = with_export_menu(ui, &[Fig::LearningCurve], actions, |ui| {
            self.compare.ui(ui, live_run.as_ref(), plot_h)
        });
        for asked in asked {
            actions.push(match asked {
                CompareAction::AddRuns => AppAction::AddRuns,
                CompareAction::ExportFigure => AppAction::ExportFigure,
            });
        }
        if let Some(p) = live {
            ui.add_space(4.0);
            let small = (ui.available_height() - 40.0).max(100.0);
            let kinds = [Fig::WeightNorm, Fig::MeanActivity];
            with_export_menu(ui, &kinds, actions, |ui| {
                plots::metrics_row_ui(ui, &p.snapshot.history, small)
            });
        }
    }
}

/// The heatmap's order and colour settings; a changed order is asked for as an action.
fn order_settings_ui(
    ui: &mut egui::Ui,
    heatmap: &mut HeatmapView,
    cx: &PanelContext<'_>,
    has_recovered: bool,
    has_truth: bool,
    actions: &mut Vec<AppAction>,
) {
    let mut order = cx.state.order.mode;
    heatmap.settings_ui(ui, &mut order, has_recovered, has_truth);
    if order != cx.state.order.mode {
        actions.push(AppAction::SetOrder(order));
    }
}
