//! Notices under the toolbar until acted on: why remembered settings were ignored (the
//! status bar's copy of it is replaced by the next message), and the offer to reopen
//! the last experiment.

use crate::app::actions::AppAction;
use crate::app::context::PanelContext;

/// The notices (no state of their own: they live in [`crate::session::state::Notices`]).
#[derive(Default)]
pub struct Notices;

impl Notices {
    /// Draws the notices; returns the actions asked for.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &PanelContext<'_>) -> Vec<AppAction> {
        let mut actions = Vec::new();
        let notices = &cx.state.notices;
        if let Some(note) = &notices.settings_note {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(ui.visuals().warn_fg_color, note);
                if ui.button("Dismiss").clicked() {
                    actions.push(AppAction::DismissSettingsNote);
                }
            });
        }
        if let Some(path) = &notices.reopen_offer {
            ui.horizontal(|ui| {
                let name = path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                ui.label(format!("Last time: {name}"))
                    .on_hover_text(path.display().to_string());
                if ui.button("Reopen last experiment").clicked() {
                    actions.push(AppAction::DismissReopenOffer);
                    actions.push(AppAction::OpenPath(path.clone()));
                }
                if ui.button("Dismiss").clicked() {
                    actions.push(AppAction::DismissReopenOffer);
                }
            });
        }
        actions
    }
}
