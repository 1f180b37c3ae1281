//! The weight matrix as a texture: ordering, colouring, colour bar, zoom/pan and tooltip.
//!
//! The pure part — "matrix + order + colour map + range → RGBA
//! pixels" ([`render_heatmap`]) — is separate from the widget so tests can assert on
//! exactly the data behind the texture. Large matrices (M = 2048 is 4 M cells) are
//! rendered on a helper thread ([`HeatmapRenderer`]) so the UI thread only uploads.

use std::sync::Arc;

use egui::{Color32, Pos2, Rect, Sense, TextureHandle, TextureOptions, Vec2};

use crate::app::views::colormap::Colormap;

mod pointer;
mod render;
mod summary;
pub use crate::figure::colour_scale::{RangeMode, resolve_range};
pub use crate::figure::order::{MatrixOrder, ordered_values, recovered_order, truth_order};
use crate::model::SnapshotWeights;
use crate::model::learning::overview::WeightSummary;
pub use crate::report::labels::HeatmapContext;
use crate::session::jobs::latest::Latest;
pub use render::{
    HeatmapJob, HeatmapKey, MAX_TEXTURE_SIDE, RenderedHeatmap, render_heatmap, render_heatmap_at,
};
pub use summary::{DETAIL_SIDE, wanted_viewport};

/// Renders big heatmaps on a helper thread (`heatmap-render`); the newest job wins.
pub type HeatmapRenderer = Latest<HeatmapJob, Arc<RenderedHeatmap>>;

/// Matrices with at most this many cells are rendered on the UI thread (≈ 1 ms).
const INLINE_RENDER_CELLS: usize = 512 * 512;

/// A large matrix's summary (block means, at most 1024², and a window of exact cells)
/// with at most this many values is coloured on the UI thread (≈ 3 ms at 1024²): the
/// heatmap-render helper runs only on a core that would otherwise idle, and on a machine
/// busy with other work it would hold back every picture of a training run.
const INLINE_SUMMARY_VALUES: usize = 1 << 21;

/// Shortest time between two background renders that only bring new data (a render
/// must also have finished). Below the publication interval, so that frames arriving
/// every 33 ms do not round the refresh down to every third frame (10 Hz at best).
const MIN_RERENDER_SECONDS: f32 = 0.05;

/// The heatmap widget: texture, colour bar, zoom/pan, tooltip and settings.
pub struct HeatmapView {
    /// Colour map.
    pub colormap: Colormap,
    /// Colour range.
    pub range: RangeMode,
    /// Current render (the data behind the texture).
    pub displayed: Option<Arc<RenderedHeatmap>>,
    /// Neuron (stored index) under the pointer, if any.
    pub hovered: Option<usize>,
    /// Neuron (stored index) last clicked.
    pub selected: Option<usize>,
    /// Cell `(i, j)` (stored indices) clicked this frame, taken by the app to pin it.
    pub clicked_cell: Option<(usize, usize)>,
    texture: Option<TextureHandle>,
    /// Exact cells over the block means of a summary (zoomed in).
    detail_texture: Option<TextureHandle>,
    renderer: Option<HeatmapRenderer>,
    requested: Option<HeatmapKey>,
    last_submit: Option<std::time::Instant>,
    uv: Rect,
}

impl HeatmapView {
    /// A widget that renders large matrices on a helper thread (pass the egui context so
    /// the helper can request repaints).
    pub fn new(ctx: Option<egui::Context>) -> Self {
        Self {
            colormap: Colormap::default(),
            range: RangeMode::default(),
            displayed: None,
            hovered: None,
            selected: None,
            clicked_cell: None,
            texture: None,
            detail_texture: None,
            renderer: Some(Latest::spawn(
                "heatmap-render",
                |job| Arc::new(render_heatmap(&job)),
                ctx.as_ref().map(crate::app::waker),
            )),
            requested: None,
            last_submit: None,
            uv: Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)),
        }
    }

    /// Resets zoom and pan.
    pub fn reset_view(&mut self) {
        self.uv = Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0));
    }

    /// The window of exact cells to ask the simulation for, in display order (a matrix
    /// too large to copy, zoomed in far enough; see [`wanted_viewport`]).
    pub fn wanted_viewport(
        &self,
        n: usize,
    ) -> Option<(std::ops::Range<usize>, std::ops::Range<usize>)> {
        wanted_viewport(self.uv, n)
    }

    /// Makes sure the texture shows `weights` in `order` (rate-limited to ~10 Hz for big
    /// matrices, immediate for changed settings). Call every frame. For a matrix too large
    /// to copy, `summary` holds the simulation's block means and window of exact cells;
    /// one in another order than `order_id` is skipped (the simulation has not caught up).
    pub fn update(
        &mut self,
        ctx: &egui::Context,
        snapshot_id: u64,
        weights: &Arc<SnapshotWeights>,
        order_id: u64,
        order: &Arc<Vec<usize>>,
        summary: Option<&Arc<WeightSummary>>,
    ) {
        if summary.is_some_and(|s| s.order_id != order_id) {
            return;
        }
        let key = HeatmapKey {
            snapshot_id,
            order_id,
            colormap: self.colormap,
            range: self.range,
        };
        if let Some(done) = self.renderer.as_ref().and_then(HeatmapRenderer::take) {
            self.install(ctx, done);
        }
        let n = weights.neurons();
        if self.requested == Some(key) || order.len() != n || n == 0 {
            return;
        }
        let job = HeatmapJob {
            key,
            // A summary's picture keeps no copy of W alive (the snapshot's may be one).
            weights: match summary {
                Some(s) => Arc::new(SnapshotWeights::Summary(s.clone())),
                None => weights.clone(),
            },
            order: order.clone(),
            summary: summary.cloned(),
        };
        let cells = order.len() * order.len();
        let inline = match summary {
            Some(s) => {
                let window = s.viewport.as_ref().map_or(0, |v| v.values.len());
                s.means.len() + window <= INLINE_SUMMARY_VALUES
            }
            None => cells <= INLINE_RENDER_CELLS,
        };
        if inline || self.renderer.is_none() {
            self.requested = Some(key);
            let rendered = Arc::new(render_heatmap(&job));
            self.install(ctx, rendered);
            return;
        }
        let only_data_changed = self.requested.is_some_and(|r| {
            r.order_id == key.order_id && r.colormap == key.colormap && r.range == key.range
        });
        let too_soon = self
            .last_submit
            .is_some_and(|t| t.elapsed().as_secs_f32() < MIN_RERENDER_SECONDS);
        let busy = self.renderer.as_ref().is_some_and(HeatmapRenderer::is_busy);
        if only_data_changed && (too_soon || busy) {
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
            return;
        }
        if let Some(renderer) = &self.renderer {
            renderer.submit(job);
            self.requested = Some(key);
            self.last_submit = Some(std::time::Instant::now());
        }
    }

    /// Whether the displayed render answers the newest request.
    pub fn is_current(&self) -> bool {
        match (&self.displayed, self.requested) {
            (Some(d), Some(r)) => d.key == r,
            _ => false,
        }
    }

    fn install(&mut self, ctx: &egui::Context, rendered: Arc<RenderedHeatmap>) {
        let image = rendered.image.clone();
        match &mut self.texture {
            Some(tex) if tex.size() == rendered.image.size => {
                tex.set(image, TextureOptions::NEAREST);
            }
            _ => {
                self.texture =
                    Some(ctx.load_texture("weights-heatmap", image, TextureOptions::NEAREST));
                if self
                    .displayed
                    .as_ref()
                    .is_none_or(|d| d.size != rendered.size)
                {
                    self.reset_view();
                }
            }
        }
        match (&rendered.detail, &mut self.detail_texture) {
            (Some(d), Some(tex)) if tex.size() == d.image.size => {
                tex.set(d.image.clone(), TextureOptions::NEAREST);
            }
            (Some(d), _) => {
                self.detail_texture = Some(ctx.load_texture(
                    "weights-heatmap-detail",
                    d.image.clone(),
                    TextureOptions::NEAREST,
                ));
            }
            (None, _) => self.detail_texture = None,
        }
        self.displayed = Some(rendered);
    }

    /// Draws the heatmap and its colour bar into the available space.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &HeatmapContext<'_>) {
        let (Some(tex_id), Some(shown)) = (
            self.texture.as_ref().map(TextureHandle::id),
            self.displayed.clone(),
        ) else {
            ui.centered_and_justified(|ui| {
                ui.label("No weights yet — choose a preset from the Presets menu.")
            });
            return;
        };
        let bar_width = 90.0;
        let avail = ui.available_size();
        let side = (avail.x - bar_width - 8.0).min(avail.y).max(64.0);
        ui.horizontal(|ui| {
            let (rect, response) =
                ui.allocate_exact_size(Vec2::splat(side), Sense::click_and_drag());
            ui.painter().rect_filled(rect, 0.0, Color32::from_gray(40));
            ui.painter().image(tex_id, rect, self.uv, Color32::WHITE);
            if let (Some(d), Some(tex)) = (&shown.detail, &self.detail_texture) {
                // Exact cells over their block means, clipped to the matrix.
                let at = summary::detail_rect(rect, self.uv, shown.size, &d.rows, &d.cols);
                let full = Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0));
                ui.painter()
                    .with_clip_rect(rect)
                    .image(tex.id(), at, full, Color32::WHITE);
            }
            // Named, so assistive technology and tests can find the matrix.
            response.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Image, true, "Weight matrix")
            });
            self.pointer_ui(ui, rect, &response, &shown, cx);
            self.colour_bar_ui(ui, side, &shown);
        });
    }

    fn colour_bar_ui(&self, ui: &mut egui::Ui, height: f32, shown: &RenderedHeatmap) {
        let (rect, _) = ui.allocate_exact_size(Vec2::new(90.0, height), Sense::hover());
        let bar = Rect::from_min_size(
            rect.min + Vec2::new(4.0, 10.0),
            Vec2::new(22.0, height - 20.0),
        );
        let steps = 128;
        for k in 0..steps {
            let t = 1.0 - (k as f32 + 0.5) / steps as f32;
            let y0 = bar.min.y + bar.height() * k as f32 / steps as f32;
            let y1 = bar.min.y + bar.height() * (k + 1) as f32 / steps as f32;
            let r = Rect::from_min_max(Pos2::new(bar.min.x, y0), Pos2::new(bar.max.x, y1 + 0.5));
            ui.painter()
                .rect_filled(r, 0.0, shown.key.colormap.color(t));
        }
        let stroke = ui.visuals().widgets.noninteractive.fg_stroke;
        ui.painter()
            .rect_stroke(bar, 0.0, stroke, egui::StrokeKind::Outside);
        let (lo, hi) = shown.range;
        let font = egui::TextStyle::Small.resolve(ui.style());
        for k in 0..=4 {
            let t = k as f32 / 4.0;
            let y = bar.max.y - t * bar.height();
            let v = lo + t * (hi - lo);
            ui.painter().line_segment(
                [Pos2::new(bar.max.x, y), Pos2::new(bar.max.x + 4.0, y)],
                stroke,
            );
            ui.painter().text(
                Pos2::new(bar.max.x + 6.0, y),
                egui::Align2::LEFT_CENTER,
                format_tick(v),
                font.clone(),
                stroke.color,
            );
        }
    }

    /// The settings row: order, colour map, range. `has_truth` is false for an imported
    /// matrix (no ground-truth labels to sort by).
    pub fn settings_ui(
        &mut self,
        ui: &mut egui::Ui,
        order: &mut MatrixOrder,
        has_recovered: bool,
        has_truth: bool,
    ) {
        ui.horizontal_wrapped(|ui| {
            let l = ui.label("Order").on_hover_text("How rows and columns of W are arranged on screen.");
            egui::ComboBox::from_id_salt("matrix-order")
                .selected_text(order.name())
                .show_ui(ui, |ui| {
                    for &o in <MatrixOrder as clap::ValueEnum>::value_variants() {
                        let enabled = match o {
                            MatrixOrder::Stored => true,
                            MatrixOrder::Truth => has_truth,
                            MatrixOrder::Recovered => has_recovered,
                        };
                        let tip = match o {
                            MatrixOrder::Stored => "The hidden, scrambled order the search works on.",
                            MatrixOrder::Truth => "Sorted by kernel, rotation and position using the ground-truth labels.",
                            MatrixOrder::Recovered => "The selected search result's cycles laid out one after another.",
                        };
                        ui.add_enabled_ui(enabled, |ui| {
                            ui.selectable_value(order, o, o.name()).on_hover_text(tip);
                        });
                    }
                })
                .response
                .labelled_by(l.id);
            let l = ui.label("Colours").on_hover_text("Colour-blind-safe maps: viridis for weights ≥ 0, blue–white–red for signed weights.");
            egui::ComboBox::from_id_salt("matrix-colours")
                .selected_text(self.colormap.name())
                .show_ui(ui, |ui| {
                    for &c in <Colormap as clap::ValueEnum>::value_variants() {
                        ui.selectable_value(&mut self.colormap, c, c.name());
                    }
                })
                .response
                .labelled_by(l.id);
            let mut fixed = matches!(self.range, RangeMode::Fixed(..));
            if ui
                .checkbox(&mut fixed, "Fixed range")
                .on_hover_text("Keep the colour scale fixed instead of following the data.")
                .changed()
            {
                self.range = if fixed {
                    let (lo, hi) = self.displayed.as_ref().map_or((0.0, 1.0), |d| d.range);
                    RangeMode::Fixed(lo, hi)
                } else {
                    RangeMode::Auto
                };
            }
            if let RangeMode::Fixed(lo, hi) = &mut self.range {
                let speed = ((*hi - *lo).abs() * 0.01).max(1e-6);
                ui.add(egui::DragValue::new(lo).speed(speed).prefix("min "))
                    .on_hover_text("Lower end of the colour scale.");
                ui.add(egui::DragValue::new(hi).speed(speed).prefix("max "))
                    .on_hover_text("Upper end of the colour scale.");
            }
            if ui
                .button("Reset zoom")
                .on_hover_text("Scroll over the matrix to zoom, drag to pan, double-click to reset.")
                .clicked()
            {
                self.reset_view();
            }
        });
    }
}

fn format_tick(v: f32) -> String {
    let a = v.abs();
    if a == 0.0 {
        "0".to_owned()
    } else if (0.01..1000.0).contains(&a) {
        format!("{v:.3}")
    } else {
        format!("{v:.2e}")
    }
}
