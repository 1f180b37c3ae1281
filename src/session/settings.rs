//! What the app remembers between runs: a small, versioned serde struct kept apart from
//! the runtime state, stored as JSON under one key of a [`KeyValueStore`] (the app's is
//! eframe's storage; `app/settings.rs` applies the settings to the window).
//!
//! Loading never fails: a missing store gives the defaults; a damaged one, one written
//! by a newer version, or values out of range give the defaults (for the bad fields, or
//! for everything) and a note the app shows in the status bar.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::figure::colour_scale::{Colormap, RangeMode};
use crate::search::SearchOptions;
use crate::session::state::document::MAX_RECENT;
use crate::session::state::look::ThemeChoice;
use crate::session::view::View;

/// A store of text under keys, where the settings are kept (the app's is eframe's
/// storage).
pub trait KeyValueStore {
    /// The text stored under `key`, if any.
    fn read(&self, key: &str) -> Option<String>;
    /// Stores `value` under `key`.
    fn write(&mut self, key: &str, value: String);
}

/// The storage key of the settings (eframe keeps its own window and memory keys apart).
pub const SETTINGS_KEY: &str = "invariance-lab-settings";

/// Version written by this build. Older versions are read with defaults for what they
/// lack; newer ones are ignored (their meaning is unknown here).
pub const SETTINGS_VERSION: u32 = 1;

/// Zoom factors outside this range make the app unusable; such a stored zoom is reset.
const ZOOM_RANGE: std::ops::RangeInclusive<f32> = 0.5..=3.0;

/// Panel widths outside this range (in points) are reset to the layout's default.
const PANEL_WIDTH_RANGE: std::ops::RangeInclusive<f32> = 120.0..=2000.0;

/// The remembered settings. Every field has a default, so a store missing some of them
/// (an older version) still loads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Format version ([`SETTINGS_VERSION`] when written by this build).
    pub version: u32,
    /// The theme the user chose.
    pub theme: ThemeChoice,
    /// egui's zoom factor (Ctrl+plus / Ctrl+minus).
    pub zoom: f32,
    /// Width of the parameter panel in points (None: the layout's default).
    pub left_panel_width: Option<f32>,
    /// Width of the search panel in points (None: the layout's default).
    pub right_panel_width: Option<f32>,
    /// The central view, as `--view` spells it.
    pub view: String,
    /// The heatmap's colour map, by its name.
    pub colormap: String,
    /// The heatmap's colour range: None for automatic, else `[lo, hi]`.
    pub color_range: Option<[f32; 2]>,
    /// Presentation mode.
    pub presentation: bool,
    /// The search panel's settings.
    pub search: SearchOptions,
    /// Experiments and matrices opened or saved, most recent first.
    pub recent_files: Vec<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            version: SETTINGS_VERSION,
            theme: ThemeChoice::default(),
            zoom: 1.0,
            left_panel_width: None,
            right_panel_width: None,
            view: View::default().key().to_owned(),
            colormap: Colormap::default().name().to_owned(),
            color_range: None,
            presentation: false,
            search: SearchOptions::default(),
            recent_files: Vec::new(),
        }
    }
}

/// Settings read from a store, and what (if anything) the user should be told.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedSettings {
    /// Usable settings (defaults where the store was unusable).
    pub settings: Settings,
    /// Why some or all stored settings were ignored.
    pub note: Option<String>,
}

impl Settings {
    /// Reads the settings from `storage`; never fails (see the module doc).
    pub fn load<S: KeyValueStore + ?Sized>(storage: &S) -> LoadedSettings {
        match storage.read(SETTINGS_KEY) {
            None => LoadedSettings {
                settings: Settings::default(),
                note: None,
            },
            Some(text) => Self::from_json(&text),
        }
    }

    /// Parses stored text; never fails (see the module doc).
    pub fn from_json(text: &str) -> LoadedSettings {
        let parsed: Settings = match serde_json::from_str(text) {
            Ok(s) => s,
            Err(e) => {
                return LoadedSettings {
                    settings: Settings::default(),
                    note: Some(format!(
                        "The saved settings could not be read ({e}); using the defaults."
                    )),
                };
            }
        };
        if parsed.version > SETTINGS_VERSION {
            return LoadedSettings {
                settings: Settings::default(),
                note: Some(format!(
                    "The saved settings come from a newer version (format {}, this one reads {}); using the defaults.",
                    parsed.version, SETTINGS_VERSION
                )),
            };
        }
        let (settings, reset) = parsed.sanitized();
        let note = (!reset.is_empty()).then(|| {
            format!(
                "Some saved settings were out of range and were reset: {}.",
                reset.join(", ")
            )
        });
        LoadedSettings { settings, note }
    }

    /// Writes the settings to `storage` (eframe flushes it to disk).
    pub fn save<S: KeyValueStore + ?Sized>(&self, storage: &mut S) {
        // Serialising plain data cannot fail; should it ever, the old value stays.
        if let Ok(text) = serde_json::to_string(self) {
            storage.write(SETTINGS_KEY, text);
        }
    }

    /// The settings with every unusable field back at its default, and those fields' names.
    fn sanitized(mut self) -> (Self, Vec<String>) {
        let defaults = Settings::default();
        let mut reset = Vec::new();
        self.version = SETTINGS_VERSION;
        if !(self.zoom.is_finite() && ZOOM_RANGE.contains(&self.zoom)) {
            self.zoom = defaults.zoom;
            reset.push("zoom".to_owned());
        }
        for (width, name) in [
            (&mut self.left_panel_width, "parameter panel width"),
            (&mut self.right_panel_width, "search panel width"),
        ] {
            if width.is_some_and(|w| !(w.is_finite() && PANEL_WIDTH_RANGE.contains(&w))) {
                *width = None;
                reset.push(name.to_owned());
            }
        }
        if View::parse(&self.view).is_none() {
            self.view = defaults.view.clone();
            reset.push("view".to_owned());
        }
        if self.colormap().is_none() {
            self.colormap = defaults.colormap.clone();
            reset.push("colour map".to_owned());
        }
        if self
            .color_range
            .is_some_and(|[lo, hi]| !(lo.is_finite() && hi.is_finite() && lo < hi))
        {
            self.color_range = None;
            reset.push("colour range".to_owned());
        }
        if let Some((option, _)) = self.search.problem() {
            self.search = defaults.search.clone();
            reset.push(format!("search {option}"));
        }
        let mut seen = Vec::new();
        self.recent_files.retain(|p| {
            let fresh = !p.as_os_str().is_empty() && !seen.contains(p);
            seen.push(p.clone());
            fresh
        });
        self.recent_files.truncate(MAX_RECENT);
        (self, reset)
    }

    /// The stored view.
    pub fn view(&self) -> View {
        View::parse(&self.view).unwrap_or_default()
    }

    /// The stored colour map, if its name is known.
    pub fn colormap(&self) -> Option<Colormap> {
        Colormap::named(&self.colormap)
    }

    /// The stored colour range.
    pub fn range(&self) -> RangeMode {
        match self.color_range {
            Some([lo, hi]) => RangeMode::Fixed(lo, hi),
            None => RangeMode::Auto,
        }
    }

    /// The stored form of a colour range.
    pub fn stored_range(range: RangeMode) -> Option<[f32; 2]> {
        match range {
            RangeMode::Auto => None,
            RangeMode::Fixed(lo, hi) => Some([lo, hi]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Method;

    fn non_default() -> Settings {
        Settings {
            version: SETTINGS_VERSION,
            theme: ThemeChoice::Light,
            zoom: 1.25,
            left_panel_width: Some(300.0),
            right_panel_width: Some(480.0),
            view: "weights".to_owned(),
            colormap: Colormap::Diverging.name().to_owned(),
            color_range: Some([-0.5, 2.0]),
            presentation: true,
            search: SearchOptions {
                method: Method::Seeded,
                time_limit_secs: 7.5,
                penalty: 0.25,
                seed: 9,
                max_results: 16,
                ..SearchOptions::default()
            },
            recent_files: vec![PathBuf::from("/a/b.json"), PathBuf::from("/c.npy")],
        }
    }

    #[test]
    fn json_round_trip_keeps_every_field() {
        let s = non_default();
        let text = serde_json::to_string(&s).expect("serialise");
        let back = Settings::from_json(&text);
        assert_eq!(back.note, None);
        assert_eq!(back.settings, s);
        assert_eq!(back.settings.view(), View::Weights);
        assert_eq!(back.settings.colormap(), Some(Colormap::Diverging));
        assert_eq!(back.settings.range(), RangeMode::Fixed(-0.5, 2.0));
        let search = back.settings.search.clone();
        assert_eq!(search.method, Method::Seeded);
        assert_eq!(search.max_results, 16);
    }

    #[test]
    fn garbage_gives_defaults_and_a_note() {
        let loaded = Settings::from_json("{\"theme\": \"light\", \"zoom\": ");
        assert_eq!(loaded.settings, Settings::default());
        let note = loaded.note.expect("a note");
        assert!(note.contains("could not be read"), "{note}");
    }

    #[test]
    fn a_newer_version_is_ignored_with_a_note() {
        let mut s = non_default();
        s.version = SETTINGS_VERSION + 1;
        let loaded = Settings::from_json(&serde_json::to_string(&s).expect("serialise"));
        assert_eq!(loaded.settings, Settings::default());
        assert!(loaded.note.expect("a note").contains("newer version"));
    }

    #[test]
    fn an_older_store_missing_fields_loads_with_defaults_for_them() {
        let loaded = Settings::from_json(r#"{"version": 0, "theme": "dark", "zoom": 1.5}"#);
        assert_eq!(loaded.note, None);
        assert_eq!(loaded.settings.theme, ThemeChoice::Dark);
        assert_eq!(loaded.settings.zoom, 1.5);
        assert_eq!(loaded.settings.view, Settings::default().view);
        assert_eq!(loaded.settings.version, SETTINGS_VERSION);
    }

    #[test]
    fn out_of_range_values_are_reset_one_by_one_with_a_note() {
        let mut s = non_default();
        s.zoom = 40.0;
        s.right_panel_width = Some(-3.0);
        s.view = "spreadsheet".to_owned();
        s.search.time_limit_secs = 0.0;
        s.color_range = Some([2.0, 1.0]);
        let loaded = Settings::from_json(&serde_json::to_string(&s).expect("serialise"));
        let d = Settings::default();
        assert_eq!(loaded.settings.zoom, d.zoom);
        assert_eq!(loaded.settings.right_panel_width, None);
        assert_eq!(loaded.settings.view, d.view);
        assert_eq!(loaded.settings.search, d.search);
        assert_eq!(loaded.settings.color_range, None);
        // The good fields survive.
        assert_eq!(loaded.settings.theme, ThemeChoice::Light);
        assert_eq!(loaded.settings.left_panel_width, Some(300.0));
        let note = loaded.note.expect("a note");
        for field in [
            "zoom",
            "search panel width",
            "view",
            "search time limit",
            "colour range",
        ] {
            assert!(note.contains(field), "{field} missing from: {note}");
        }
    }

    #[test]
    fn a_wrong_type_in_one_field_is_a_damaged_store() {
        let loaded = Settings::from_json(r#"{"version": 1, "zoom": "big"}"#);
        assert_eq!(loaded.settings, Settings::default());
        assert!(loaded.note.is_some());
    }
}
