//! The status bar: the last message (errors stay until replaced) and live figures.

use egui::RichText;

use crate::session::state::status::{StatusKind, StatusLine};
use crate::session::worker::Published;

/// Draws the status line's message on the left and the live figures on the right: the
/// simulation's state and speed (`latest`), and the frame time.
pub fn status_bar_ui(
    ui: &mut egui::Ui,
    status: &StatusLine,
    latest: Option<&Published>,
    frame_ms: f64,
) {
    let right = match latest {
        Some(p) if p.running => format!(
            "running · {:.prec$} steps/s · frame {frame_ms:.1} ms",
            p.steps_per_second,
            // Large matrices take a few steps a second: one decimal there.
            prec = if p.steps_per_second < 10.0 { 1 } else { 0 }
        ),
        Some(_) => format!("paused · frame {frame_ms:.1} ms"),
        None => String::new(),
    };
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
