//! The "Unsaved changes" prompt shown before an action would discard the experiment.

use crate::app::actions::AppAction;
use crate::app::app_state::InvarianceApp;

impl InvarianceApp {
    /// Shows the prompt while an action waits on it; Save runs the action after saving.
    pub(crate) fn unsaved_prompt_ui(&mut self) {
        let Some(action) = self.prompt.clone() else {
            return;
        };
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("unsaved-prompt")).show(&self.ctx, |ui| {
            ui.heading("Unsaved changes");
            ui.label("The open experiment has changes that were not saved. Save them first?");
            ui.horizontal(|ui| {
                if ui.button("Save").clicked() {
                    choice = Some(0);
                }
                if ui.button("Discard").clicked() {
                    choice = Some(1);
                }
                if ui.button("Cancel").clicked() {
                    choice = Some(2);
                }
            });
        });
        match choice {
            Some(0) => {
                self.prompt = None;
                self.after_save = Some(action);
                self.execute(AppAction::Save);
            }
            Some(1) => {
                self.prompt = None;
                self.execute(action);
            }
            Some(_) => self.prompt = None,
            None => {}
        }
    }
}
