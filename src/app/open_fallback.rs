//! What the app shows when a file it was asked to open is refused (issue 23): the error
//! stays in the status bar, and the view stays usable — the experiment that was open
//! stays open; with nothing open yet (the file the app started on), the start preset is
//! loaded instead, so the app never waits for a model that will not come ("Starting the
//! simulation…") and a `--screenshot` run still saves and exits.

use super::actions::AppAction;
use super::app_state::InvarianceApp;
use super::imported::AppSource;

/// The preset the app falls back to when the file it started on is refused.
pub const FALLBACK_PRESET: &str = "ring-shift";

impl InvarianceApp {
    /// A file could not be opened: keep the error on screen, and give the view something
    /// to show if it has nothing yet.
    pub(super) fn on_open_failed(&mut self, message: String) {
        self.after_save = None;
        let nothing_shown = self.latest.is_none() && matches!(self.source, AppSource::Simulation);
        if nothing_shown && !self.fallback_started {
            self.fallback_started = true;
            let preset = self
                .fallback_preset
                .clone()
                .unwrap_or_else(|| FALLBACK_PRESET.to_owned());
            self.execute(AppAction::NewFromPreset(preset));
            // The preset's own message would hide the error: the error is what matters.
            self.status.error(format!(
                "{message} — showing the preset {} instead.",
                self.fallback_preset.as_deref().unwrap_or(FALLBACK_PRESET)
            ));
        } else {
            self.status.error(message);
        }
    }
}
