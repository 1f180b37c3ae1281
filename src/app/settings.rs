//! The remembered settings ([`crate::session::settings`]) and the window: eframe's
//! storage holds them, [`restore`] applies them at start, [`collect`] gathers them.

use crate::app::panels::{PanelWidths, Panels};
use crate::io::source::is_matrix_path;
use crate::session::settings::{KeyValueStore, LoadedSettings, Settings};
use crate::session::start_options::StartOptions;
use crate::session::state::AppState;

/// Settings are stored in eframe's storage (any of its implementations: the window's
/// file, a test's memory).
impl<S: eframe::Storage + ?Sized> KeyValueStore for S {
    fn read(&self, key: &str) -> Option<String> {
        self.get_string(key)
    }

    fn write(&mut self, key: &str, value: String) {
        self.set_string(key, value);
    }
}

/// Applies remembered settings to the state and the panels; the command line's choices
/// (`options`) win. Returns the zoom factor to set.
pub fn restore(
    loaded: LoadedSettings,
    options: &StartOptions,
    state: &mut AppState,
    panels: &mut Panels,
) -> f32 {
    let s = loaded.settings;
    state.notices.settings_note = loaded.note;
    state.look.theme = s.theme;
    panels.widths = PanelWidths {
        left: s.left_panel_width,
        right: s.right_panel_width,
    };
    if options.view.is_none() {
        state.view = s.view();
    }
    if let Some(map) = s.colormap() {
        panels.central.heatmap.colormap = map;
    }
    panels.central.heatmap.range = s.range();
    state.look.presentation = s.presentation;
    if s.search.check().is_ok() {
        state.search.settings = s.search.clone();
    }
    state.document.recent = s.recent_files.clone();
    let opens_something = options.file.is_some() || options.tour_step.is_some();
    state.notices.reopen_offer = s
        .recent_files
        .iter()
        .find(|p| !is_matrix_path(p))
        .filter(|p| !opens_something && p.is_file())
        .cloned();
    s.zoom
}

/// The settings as they are now (`zoom`: egui's zoom factor).
pub fn collect(state: &AppState, panels: &Panels, zoom: f32) -> Settings {
    Settings {
        theme: state.look.theme,
        zoom,
        left_panel_width: panels.widths.left,
        right_panel_width: panels.widths.right,
        view: state.view.key().to_owned(),
        colormap: panels.central.heatmap.colormap.name().to_owned(),
        color_range: Settings::stored_range(panels.central.heatmap.range),
        presentation: state.look.presentation,
        search: state.search.settings.clone(),
        recent_files: state.document.recent.clone(),
        ..Settings::default()
    }
}
