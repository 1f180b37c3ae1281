//! The status bar: the last message (errors stay until replaced) and live figures.

use egui::RichText;

use crate::app::state::status::{StatusKind, StatusLine};

/// Draws the status line's message on the left and `right` (live figures) on the right.
pub fn status_bar_ui(ui: &mut egui::Ui, status: &StatusLine, right: &str) {
    ui.horizontal(|ui| {
        let text = match status.kind {
            StatusKind::Info => RichText::new(&status.text),
            StatusKind::Error => RichText::new(format!("Error: {}", status.text))
                .color(ui.visuals().error_fg_color)
                .strong(),
        };
        ui.label(text);
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.label(RichText::new(right).monospace());
        });
    });
}
