//! The typed-path dialog, used when no native file dialog can be shown (e.g. under Xvfb
//! without a desktop portal).

use std::path::PathBuf;

use crate::app::actions::AppAction;
use crate::session::file_purpose::FilePurpose;

/// The dialog while it is open: what the path is for and the text being edited.
#[derive(Default)]
pub struct FileDialog {
    open: Option<(FilePurpose, String)>,
}

impl FileDialog {
    /// Opens the dialog for `purpose` with `text` suggested.
    pub fn open(&mut self, purpose: FilePurpose, text: String) {
        self.open = Some((purpose, text));
    }

    /// Whether the dialog is open.
    pub fn is_open(&self) -> bool {
        self.open.is_some()
    }

    /// Shows the dialog if open; returns [`AppAction::PathChosen`] on OK.
    pub fn ui(&mut self, ctx: &egui::Context) -> Vec<AppAction> {
        let mut chosen = Vec::new();
        let mut close = false;
        if let Some((purpose, text)) = &mut self.open {
            egui::Modal::new(egui::Id::unique("typed-path-dialog")).show(ctx, |ui| {
                ui.heading(purpose.title());
                ui.label("No native file dialog is available here; type the path of the file.");
                let l = ui.label("Path");
                let edit = ui
                    .add(egui::TextEdit::singleline(text).desired_width(520.0))
                    .labelled_by(l.id);
                let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.horizontal(|ui| {
                    if ui.button("OK").clicked() || enter {
                        if !text.trim().is_empty() {
                            chosen
                                .push(AppAction::PathChosen(*purpose, PathBuf::from(text.trim())));
                        }
                        close = true;
                    }
                    if ui.button("Cancel").clicked()
                        || ui.input(|i| i.key_pressed(egui::Key::Escape))
                    {
                        close = true;
                    }
                });
            });
        }
        if close {
            self.open = None;
        }
        chosen
    }
}
