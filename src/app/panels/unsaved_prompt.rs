//! The "Unsaved changes" prompt shown while an action that would discard the
//! experiment waits on the user.

use crate::app::actions::AppAction;
use crate::app::context::PanelContext;

/// The prompt (its waiting action lives in [`crate::app::execute::Session`]).
#[derive(Default)]
pub struct UnsavedPrompt;

impl UnsavedPrompt {
    /// Shows the prompt while an action waits on it; returns the answer.
    pub fn ui(&mut self, ctx: &egui::Context, cx: &PanelContext<'_>) -> Vec<AppAction> {
        if !cx.prompt_open {
            return Vec::new();
        }
        let mut answer = Vec::new();
        egui::Modal::new(egui::Id::unique("unsaved-prompt")).show(ctx, |ui| {
            ui.heading("Unsaved changes");
            ui.label("The open experiment has changes that were not saved. Save them first?");
            ui.horizontal(|ui| {
                if ui.button("Save").clicked() {
                    answer.push(AppAction::SaveThenContinue);
                }
                if ui.button("Discard").clicked() {
                    answer.push(AppAction::DiscardAndContinue);
                }
                if ui.button("Cancel").clicked() {
                    answer.push(AppAction::CancelPrompt);
                }
            });
        });
        answer
    }
}
