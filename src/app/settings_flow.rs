//! The settings flow: restoring the remembered settings at start, collecting them for
//! eframe's storage, the theme menu and the "Reopen last experiment" offer.

use std::path::PathBuf;

use egui::RichText;

use crate::app::actions::AppAction;
use crate::app::app_state::InvarianceApp;
use crate::app::imported::is_matrix_path;
use crate::app::settings::{LoadedSettings, Settings, StoredSearch};
use crate::app::start_options::StartOptions;
use crate::app::views::theme::{ThemeChoice, apply_theme};

/// Widths of the side panels as last laid out (None: not shown yet).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PanelWidths {
    /// The parameter panel.
    pub left: Option<f32>,
    /// The search panel.
    pub right: Option<f32>,
}

impl InvarianceApp {
    /// Applies remembered settings; the command line's choices (`options`) win.
    pub(crate) fn restore_settings(&mut self, loaded: LoadedSettings, options: &StartOptions) {
        let s = loaded.settings;
        self.settings_note = loaded.note;
        self.theme = s.theme;
        self.ctx.set_zoom_factor(s.zoom);
        self.panel_widths = PanelWidths {
            left: s.left_panel_width,
            right: s.right_panel_width,
        };
        if options.view.is_none() {
            self.view = s.view();
        }
        if let Some(map) = s.colormap() {
            self.heatmap.colormap = map;
        }
        self.heatmap.range = s.range();
        self.presentation = s.presentation;
        if let Ok(search) = s.search.to_settings() {
            self.search.settings = search;
        }
        self.files.recent = s.recent_files.clone();
        let opens_something = options.file.is_some() || options.tour_step.is_some();
        self.reopen_offer = s
            .recent_files
            .iter()
            .find(|p| !is_matrix_path(p))
            .filter(|p| !opens_something && p.is_file())
            .cloned();
    }

    /// The settings as they are now.
    pub fn current_settings(&self) -> Settings {
        Settings {
            theme: self.theme,
            zoom: self.ctx.zoom_factor(),
            left_panel_width: self.panel_widths.left,
            right_panel_width: self.panel_widths.right,
            view: self.view.key().to_owned(),
            colormap: self.heatmap.colormap.name().to_owned(),
            color_range: Settings::stored_range(self.heatmap.range),
            presentation: self.presentation,
            search: StoredSearch::from_settings(&self.search.settings),
            recent_files: self.files.recent.clone(),
            ..Settings::default()
        }
    }

    /// Writes the settings to `storage` unless this run does not remember them.
    pub(crate) fn save_settings(&self, storage: &mut dyn eframe::Storage) {
        if self.remember_settings {
            self.current_settings().save(storage);
        }
    }

    /// The theme the user chose (presentation mode may show light instead).
    pub fn theme_choice(&self) -> ThemeChoice {
        self.theme
    }

    /// Chooses a theme, as View → Theme does.
    pub fn set_theme_choice(&mut self, choice: ThemeChoice) {
        self.theme = choice;
        apply_theme(&self.ctx, self.theme, self.presentation);
    }

    /// The last experiment offered for reopening, if the offer stands.
    pub fn reopen_offer(&self) -> Option<&PathBuf> {
        self.reopen_offer.as_ref()
    }

    /// View → Theme.
    pub(crate) fn theme_menu_ui(&mut self, ui: &mut egui::Ui) {
        ui.menu_button("Theme", |ui| {
            for choice in ThemeChoice::ALL {
                if ui
                    .selectable_label(self.theme == choice, choice.label())
                    .clicked()
                {
                    self.set_theme_choice(choice);
                }
            }
            if self.presentation && self.theme == ThemeChoice::System {
                ui.label(RichText::new("Presentation mode shows the light theme.").small());
            }
        });
    }

    /// Notices under the toolbar until acted on: why remembered settings were ignored
    /// (the status bar's copy of it is replaced by the next message), and the offer to
    /// reopen the last experiment.
    pub(crate) fn notices_ui(&mut self, ui: &mut egui::Ui) {
        if let Some(note) = self.settings_note.clone() {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(ui.visuals().warn_fg_color, note);
                if ui.button("Dismiss").clicked() {
                    self.settings_note = None;
                }
            });
        }
        let Some(path) = self.reopen_offer.clone() else {
            return;
        };
        ui.horizontal(|ui| {
            let name = path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            ui.label(format!("Last time: {name}"))
                .on_hover_text(path.display().to_string());
            if ui.button("Reopen last experiment").clicked() {
                self.reopen_offer = None;
                self.queued.push(AppAction::OpenPath(path.clone()));
            }
            if ui.button("Dismiss").clicked() {
                self.reopen_offer = None;
            }
        });
    }

    /// Why the remembered settings were (partly) ignored at start, until dismissed.
    pub fn settings_note(&self) -> Option<&str> {
        self.settings_note.as_deref()
    }
}
