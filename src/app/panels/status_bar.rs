//! The status bar: the last message (errors stay until replaced) and live figures.

use std::time::Instant;

use egui::RichText;

/// Kind of a status message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusKind {
    /// Neutral information.
    Info,
    /// Something failed; the message says what and why.
    Error,
}

/// The last message and when it was posted.
pub struct StatusLine {
    /// Message text.
    pub text: String,
    /// Its kind.
    pub kind: StatusKind,
    since: Instant,
}

impl Default for StatusLine {
    fn default() -> Self {
        Self {
            text: "Ready.".to_owned(),
            kind: StatusKind::Info,
            since: Instant::now(),
        }
    }
}

impl StatusLine {
    /// Posts an informational message.
    pub fn info(&mut self, text: impl Into<String>) {
        self.set(StatusKind::Info, text.into());
    }

    /// Posts an error message.
    pub fn error(&mut self, text: impl Into<String>) {
        self.set(StatusKind::Error, text.into());
    }

    fn set(&mut self, kind: StatusKind, text: String) {
        self.text = text;
        self.kind = kind;
        self.since = Instant::now();
    }

    /// Draws the message on the left and `right` (live figures) on the right.
    pub fn ui(&self, ui: &mut egui::Ui, right: &str) {
        ui.horizontal(|ui| {
            let text = match self.kind {
                StatusKind::Info => RichText::new(&self.text),
                StatusKind::Error => RichText::new(format!("Error: {}", self.text))
                    .color(ui.visuals().error_fg_color)
                    .strong(),
            };
            ui.label(text);
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.label(RichText::new(right).monospace());
            });
        });
    }
}
