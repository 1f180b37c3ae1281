//! Click to inspect: a click on a heatmap cell pins `w_ij` — the simulation
//! records it on the metric schedule from then on ([`crate::model::learning::pins`]) — and this
//! window shows its history against stimuli seen with both neurons' receptive
//! fields; a click on a neuron in the activity plot shows its field and its row of `W`
//! in the heatmap's order. The plots draw the same data as the exported figures
//! ([`crate::figure::views::weight_history`], [`crate::figure::views::weight_row`]).

use egui::{RichText, TextureHandle};
use egui_plot::{Line, Plot, PlotPoints, Points};

use crate::app::actions::AppAction;
use crate::app::context::PanelContext;
use crate::app::panels::stimulus::field_picture_ui;
use crate::app::views::export_menu::with_export_menu;
use crate::app::views::theme::legible_line_color;
use crate::figure::axis::compact_count;
use crate::figure::views;
use crate::figure::{LinePlot, Style};
use crate::report::labels::describe_neuron;
use crate::session::figure_kind::FigureKind;
use crate::session::worker::Published;

/// What the inspector shows and the textures of its receptive fields.
#[derive(Default)]
pub struct InspectPanel {
    /// Whether the panel is shown (opened by a click, closed by its button).
    pub open: bool,
    /// The pinned cell whose history is shown (stored indices).
    pub pin: Option<(usize, usize)>,
    /// The neuron clicked in the activity plot (stored index).
    pub neuron: Option<usize>,
    /// The points of the neuron's row of `W` as last drawn (display position, `w`).
    pub shown_row: Option<Vec<[f64; 2]>>,
    field_i: Option<(usize, TextureHandle)>,
    field_j: Option<(usize, TextureHandle)>,
    field_neuron: Option<(usize, TextureHandle)>,
    /// The row plot and what it was shaped from (snapshot, neuron, order): `W` is
    /// materialised once per publication, not once per frame.
    row_cache: Option<((u64, usize, u64), LinePlot)>,
}

impl InspectPanel {
    /// An inspector with nothing chosen yet, shown at start when `open`.
    pub fn new(open: bool) -> Self {
        Self {
            open,
            ..Self::default()
        }
    }

    /// Forgets the selection (a new simulation has other neurons).
    pub fn clear(&mut self) {
        self.pin = None;
        self.neuron = None;
        self.shown_row = None;
        self.row_cache = None;
    }
}

/// Draws a figure's line plot with egui_plot (`id` unique in the window).
fn line_plot_ui(ui: &mut egui::Ui, id: &str, plot: &LinePlot, height: f32) {
    ui.label(RichText::new(&plot.title).strong());
    let dark = ui.visuals().dark_mode;
    Plot::new(id)
        .height(height)
        // Counts of stimuli run to 10⁵–10⁶: "100k" fits under the frame's last tick,
        // where "100000" was cut to a misleading "10000".
        .x_axis_formatter(|mark, _| compact_count(mark.value))
        .set_margin_fraction(egui::Vec2::new(0.08, 0.05))
        .x_axis_label(plot.x.label.clone())
        .y_axis_label(plot.y.label.clone())
        .allow_scroll(false)
        .show(ui, |p| {
            for s in &plot.series {
                let [r, g, b] = s.color;
                let color = legible_line_color(egui::Color32::from_rgb(r, g, b), dark);
                let points = PlotPoints::new(s.points.clone());
                match s.style {
                    Style::Markers { radius } => p.points(
                        Points::new(s.name.clone(), points)
                            .color(color)
                            .radius(radius as f32),
                    ),
                    Style::Line { width, .. } => p.line(
                        Line::new(s.name.clone(), points)
                            .color(color)
                            .width(width as f32),
                    ),
                }
            }
        });
}

impl InspectPanel {
    /// Shows the history of the pinned cell `(i, j)`.
    pub fn show_pin(&mut self, i: usize, j: usize) {
        self.pin = Some((i, j));
        self.open = true;
    }

    /// Shows neuron `n`'s field and its row of `W`.
    pub fn show_neuron(&mut self, n: usize) {
        self.neuron = Some(n);
        self.open = true;
    }

    /// The pinned cell whose history the inspector shows.
    pub fn inspected_pin(&self) -> Option<(usize, usize)> {
        self.pin
    }

    /// The neuron the inspector shows, and its row of `W` as drawn (display position,
    /// weight) in the heatmap's order.
    pub fn inspected_row(&self) -> Option<(usize, Vec<[f64; 2]>)> {
        Some((self.neuron?, self.shown_row.clone()?))
    }

    /// The inspector as a window over the right side (a side panel would squeeze the
    /// overview's plots), while it is open.
    pub fn window_ui(&mut self, ctx: &egui::Context, cx: &PanelContext<'_>) -> Vec<AppAction> {
        let mut actions = Vec::new();
        if !self.open {
            return actions;
        }
        let scale = cx.scale();
        let screen = ctx.content_rect();
        let width = 340.0 * scale;
        // Over the search panel, below its Start button, as tall as the window allows.
        let top = 300.0;
        let height = (screen.height() - top - 40.0).clamp(240.0, 680.0 * scale);
        egui::Window::new("Inspect")
            .collapsible(false)
            .resizable(true)
            .default_size([width, height])
            .default_pos(egui::pos2(screen.right() - width - 12.0, top))
            .show(ctx, |ui| self.inspect_ui(ui, cx, &mut actions));
        actions
    }

    /// The inspector: the selected pin's history and fields, the list of pins, and the
    /// neuron clicked in the activity plot.
    fn inspect_ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &PanelContext<'_>,
        actions: &mut Vec<AppAction>,
    ) {
        if ui
            .button("Close")
            .on_hover_text("Hide the inspector; pinned weights are still recorded.")
            .clicked()
        {
            self.open = false;
        }
        let Some(p) = cx.state.latest.clone().filter(|_| !cx.imported()) else {
            ui.label("Pinned weights exist only for a simulated network.");
            return;
        };
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .show(ui, |ui| {
                self.pin_ui(ui, &p, actions);
                ui.separator();
                self.pin_list_ui(ui, &p, actions);
                ui.separator();
                self.neuron_ui(ui, &p, cx, actions);
            });
    }

    /// The selected pin: `w_ij` against stimuli seen and both neurons' fields.
    fn pin_ui(&mut self, ui: &mut egui::Ui, p: &Published, actions: &mut Vec<AppAction>) {
        // Without a choice, the first pin (a start pin, unless unpinned).
        let first = p.snapshot.pins.cells().first().map(|c| (c.i, c.j));
        let Some((i, j)) = self.pin.or(first) else {
            ui.label("Click a cell of the weight matrix to pin it and follow its history.");
            return;
        };
        let Some(cell) = p.snapshot.pins.get(i, j) else {
            ui.label(format!("Pinning w_{i},{j}…"));
            return;
        };
        let height = (ui.available_width() * 0.55).clamp(120.0, 260.0);
        let plot = views::weight_history(i, j, cell.points());
        with_export_menu(ui, &[FigureKind::PinHistory], actions, |ui| {
            line_plot_ui(ui, "pin-history", &plot, height)
        });
        if let Some(last) = cell.history().last() {
            ui.label(format!(
                "w_{i},{j} = {:.4e} at step {} ({} samples since step {})",
                last.weight,
                last.step,
                cell.history().len(),
                cell.history().first().map_or(0, |s| s.step)
            ))
            .on_hover_text(
                "Recorded whenever the learning curves are, from the step it was pinned at.",
            );
        }
        let model = &p.model;
        let fields = p.snapshot.fields.as_deref().unwrap_or(&model.fields);
        let side = (ui.available_width() / 2.0 - 12.0).clamp(60.0, 160.0);
        ui.columns(2, |cols| {
            let slots = [
                (i, &mut self.field_i, "pin-field-i"),
                (j, &mut self.field_j, "pin-field-j"),
            ];
            for ((n, slot, id), col) in slots.into_iter().zip(cols.iter_mut()) {
                let name = model
                    .labels
                    .get(n)
                    .map(|l| describe_neuron(l, &model.config.space))
                    .unwrap_or_default();
                col.label(RichText::new(format!("Neuron {n}")).strong())
                    .on_hover_text(format!("Receptive field of neuron {n}: {name}"));
                col.label(RichText::new(name).small());
                if n < fields.nrows() {
                    let row = fields.row(n).to_vec();
                    field_picture_ui(col, slot, id, &model.config.space, &row, n, side);
                }
            }
        });
    }

    /// Every pin, to select or unpin.
    fn pin_list_ui(&mut self, ui: &mut egui::Ui, p: &Published, actions: &mut Vec<AppAction>) {
        let pins = &p.snapshot.pins;
        let first = pins.cells().first().map(|c| (c.i, c.j));
        ui.label(RichText::new(format!("Pinned weights ({})", pins.len())).strong())
            .on_hover_text("The weights whose history is recorded: a few chosen at start along the true transformation, and every cell you clicked. They are saved with the experiment.");
        let mut unpin = None;
        for c in pins.cells() {
            ui.horizontal(|ui| {
                let last = c.history().last().map_or(0.0, |s| s.weight);
                let selected = self.pin.or(first) == Some((c.i, c.j));
                if ui
                    .selectable_label(selected, format!("w_{},{} = {last:.3e}", c.i, c.j))
                    .on_hover_text("Show this weight's history.")
                    .clicked()
                {
                    self.pin = Some((c.i, c.j));
                }
                if ui
                    .small_button(format!("Unpin w_{},{}", c.i, c.j))
                    .on_hover_text("Stop recording this weight and forget its history.")
                    .clicked()
                {
                    unpin = Some((c.i, c.j));
                }
            });
        }
        if let Some((i, j)) = unpin {
            actions.push(AppAction::Unpin(i, j));
            if self.pin == Some((i, j)) {
                self.pin = None;
            }
        }
    }

    /// The neuron clicked in the activity plot: its field and its row of `W`.
    fn neuron_ui(
        &mut self,
        ui: &mut egui::Ui,
        p: &Published,
        cx: &PanelContext<'_>,
        actions: &mut Vec<AppAction>,
    ) {
        let model = &p.model;
        let Some(n) = self.neuron.filter(|&n| n < model.neurons) else {
            ui.label("Click a neuron in the activity plot to see its field and its row of W.");
            self.shown_row = None;
            return;
        };
        let (order_id, order) = cx.order.clone();
        let selected = cx.state.selected_permutation().is_some();
        let order_name = cx.state.order.effective(selected).axis_name();
        let name = model
            .labels
            .get(n)
            .map(|l| describe_neuron(l, &model.config.space))
            .unwrap_or_default();
        ui.label(RichText::new(format!("Neuron {n}: {name}")).strong());
        let fields = p.snapshot.fields.as_deref().unwrap_or(&model.fields);
        let side = (ui.available_width() * 0.5).clamp(60.0, 180.0);
        if n < fields.nrows() {
            let row = fields.row(n).to_vec();
            let slot = &mut self.field_neuron;
            field_picture_ui(ui, slot, "neuron-field", &model.config.space, &row, n, side);
        }
        let key = (p.id, n, order_id);
        let plot = match self.row_cache.take() {
            Some((k, plot)) if k == key => plot,
            _ => {
                // One row, read from the snapshot as it is: building the whole M × M
                // matrix on the UI thread for it cost a copy of W per publication.
                let w = &p.snapshot.weights;
                views::weight_row_of(w.neurons(), |j| w.value(n, j), n, &order, order_name)
            }
        };
        self.shown_row = plot.series.first().map(|s| s.points.clone());
        let height = (ui.available_width() * 0.5).clamp(120.0, 240.0);
        with_export_menu(ui, &[FigureKind::WeightRow], actions, |ui| {
            line_plot_ui(ui, "weight-row", &plot, height)
        });
        self.row_cache = Some((key, plot));
    }
}
