//! The pointer on the weight matrix: zoom and pan, the hover tooltip naming the cell,
//! and the click that selects its row neuron and hands the cell to the app to pin.

use egui::{Pos2, Rect, Vec2};

use super::{HeatmapContext, HeatmapView, RenderedHeatmap};

impl HeatmapView {
    /// Handles the pointer over the matrix drawn in `rect`.
    pub(crate) fn pointer_ui(
        &mut self,
        ui: &egui::Ui,
        rect: Rect,
        response: &egui::Response,
        shown: &RenderedHeatmap,
        cx: &HeatmapContext<'_>,
    ) {
        self.zoom_and_pan(ui, rect, response);
        self.hovered = None;
        if let Some(pos) = response.hover_pos() {
            let (r, c) = self.cell_at(rect, pos, shown.size);
            let i = shown.order[r];
            let j = shown.order[c];
            self.hovered = Some(i);
            let (w, exact) = shown.value(r, c);
            let value = if exact {
                format!("w_ij = {w:.4e}")
            } else {
                format!(
                    "block mean ≈ {w:.4e} ({0} × {0} cells; zoom in for exact values)",
                    shown.block
                )
            };
            let text = format!(
                "row {r}, column {c}\ni = {i}: {}\nj = {j}: {}\n{value}\n\
                 Click to pin this weight and follow its history.",
                cx.describe(i),
                cx.describe(j)
            );
            response.clone().on_hover_text_at_pointer(text);
            if response.clicked() {
                self.selected = Some(i);
                self.clicked_cell = Some((i, j));
            }
        }
    }

    fn cell_at(&self, rect: Rect, pos: Pos2, n: usize) -> (usize, usize) {
        let fx = (pos.x - rect.min.x) / rect.width();
        let fy = (pos.y - rect.min.y) / rect.height();
        let u = self.uv.min.x + fx * self.uv.width();
        let v = self.uv.min.y + fy * self.uv.height();
        let to_cell = |t: f32| ((t * n as f32).floor().max(0.0) as usize).min(n.saturating_sub(1));
        (to_cell(v), to_cell(u))
    }

    fn zoom_and_pan(&mut self, ui: &egui::Ui, rect: Rect, response: &egui::Response) {
        if response.double_clicked() {
            self.reset_view();
            return;
        }
        if response.dragged() {
            let d = response.drag_delta();
            let shift = Vec2::new(
                -d.x / rect.width() * self.uv.width(),
                -d.y / rect.height() * self.uv.height(),
            );
            self.uv = self.uv.translate(shift);
        }
        if let Some(pos) = response.hover_pos() {
            let scroll = ui.input(|i| i.smooth_scroll_delta.y);
            if scroll != 0.0 {
                let factor = (-scroll * 0.003).exp();
                let fx = (pos.x - rect.min.x) / rect.width();
                let fy = (pos.y - rect.min.y) / rect.height();
                let anchor = Pos2::new(
                    self.uv.min.x + fx * self.uv.width(),
                    self.uv.min.y + fy * self.uv.height(),
                );
                let size = (self.uv.size() * factor).clamp(Vec2::splat(0.01), Vec2::splat(1.0));
                let min = Pos2::new(anchor.x - fx * size.x, anchor.y - fy * size.y);
                self.uv = Rect::from_min_size(min, size);
            }
        }
        // Keep the view inside the matrix.
        let size = self.uv.size().min(Vec2::splat(1.0));
        let min = Pos2::new(
            self.uv.min.x.clamp(0.0, 1.0 - size.x),
            self.uv.min.y.clamp(0.0, 1.0 - size.y),
        );
        self.uv = Rect::from_min_size(min, size);
    }
}
