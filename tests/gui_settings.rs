#![cfg(feature = "gui")]
//! Themes and remembered settings, driven by egui_kittest through eframe's own storage
//! interface: a small in-memory `eframe::Storage` stands in for the file eframe keeps,
//! so a "restart" is a second app built on the store the first one saved into.

mod gui_common;
use gui_common::wait_for;
use std::collections::HashMap;
use std::path::PathBuf;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use invariance_lab::app::{InvarianceApp, StartOptions, View};
use invariance_lab::session::settings::{SETTINGS_KEY, Settings};
use invariance_lab::session::state::look::ThemeChoice;
use invariance_lab::session::state::status::StatusKind;

/// eframe's key–value store, in memory.
#[derive(Default, Clone)]
struct MemoryStorage(HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

fn remembering() -> StartOptions {
    StartOptions {
        preset: Some("ring-shift".to_owned()),
        remember_settings: true,
        ..StartOptions::default()
    }
}

/// Starts the app as eframe would, with `storage` as the store it finds at start.
fn start(options: StartOptions, storage: Option<MemoryStorage>) -> Harness<'static, InvarianceApp> {
    // The harness borrows the store for its whole life, as eframe's integration does.
    let storage: Option<&'static MemoryStorage> = storage.map(|s| &*Box::leak(Box::new(s)));
    let mut h = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_eframe(move |cc| {
            cc.storage = storage.map(|s| s as &dyn eframe::Storage);
            InvarianceApp::new(cc, options).expect("app starts")
        });
    wait_for(&mut h, "the first snapshot", |a| a.step_count() == Some(0));
    h
}

/// What eframe does at exit: the app writes into the store.
fn saved(h: &mut Harness<'static, InvarianceApp>) -> MemoryStorage {
    let mut store = MemoryStorage::default();
    eframe::App::save(h.state_mut(), &mut store);
    store
}

#[test]
fn the_theme_menu_changes_the_visuals_and_a_restart_restores_the_choice() {
    let mut h = start(remembering(), None);
    assert_eq!(h.state().theme_choice(), ThemeChoice::System);
    // The harness's "system" says nothing, so the app falls back to dark.
    let before = h.ctx.global_style().visuals.clone();
    assert!(before.dark_mode);

    h.get_by_label("View").click();
    h.run_steps(2);
    h.get_by_label("Theme").click();
    h.run_steps(2);
    h.get_by_label("Light").click();
    h.run_steps(2);
    assert_eq!(h.state().theme_choice(), ThemeChoice::Light);
    let after = h.ctx.global_style().visuals.clone();
    assert!(!after.dark_mode, "the light theme is in use");
    assert_ne!(before.panel_fill, after.panel_fill);
    assert_ne!(before.text_color(), after.text_color());

    let store = saved(&mut h);
    drop(h);
    let mut again = start(remembering(), Some(store.clone()));
    again.run_steps(2);
    assert_eq!(again.state().theme_choice(), ThemeChoice::Light);
    assert!(!again.ctx.global_style().visuals.dark_mode);

    // A run that does not remember settings (screenshots, tests) ignores the store.
    let mut fresh = start(
        StartOptions {
            remember_settings: false,
            ..remembering()
        },
        Some(store),
    );
    fresh.run_steps(2);
    assert_eq!(fresh.state().theme_choice(), ThemeChoice::System);
    assert!(fresh.ctx.global_style().visuals.dark_mode);
}

#[test]
fn presentation_mode_is_light_unless_a_theme_was_chosen() {
    let mut h = start(remembering(), None);
    h.state_mut()
        .perform(invariance_lab::app::AppAction::TogglePresentation);
    h.run_steps(2);
    assert!(!h.ctx.global_style().visuals.dark_mode);
    h.state_mut().set_theme_choice(ThemeChoice::Dark);
    h.run_steps(2);
    assert!(
        h.ctx.global_style().visuals.dark_mode,
        "an explicit choice wins"
    );
}

#[test]
fn every_remembered_setting_survives_a_restart() {
    let mut h = start(remembering(), None);
    {
        let app = h.state_mut();
        app.set_theme_choice(ThemeChoice::Dark);
        app.app_state_mut().view = View::Learning;
        app.panels_mut().central.heatmap.colormap =
            invariance_lab::app::views::colormap::Colormap::Diverging;
        app.panels_mut().central.heatmap.range =
            invariance_lab::app::views::heatmap::RangeMode::Fixed(-0.25, 0.75);
        app.app_state_mut().search.settings.seed = 17;
        app.app_state_mut().search.settings.time_limit_secs = 12.5;
        app.app_state_mut().search.settings.method = invariance_lab::search::Method::Seeded;
        app.app_state_mut().document.recent = vec![
            PathBuf::from("/nowhere/a.json"),
            PathBuf::from("/nowhere/b.npy"),
        ];
        app.perform(invariance_lab::app::AppAction::TogglePresentation);
    }
    h.ctx.set_zoom_factor(1.25);
    h.run_steps(3);
    let before = h.state().current_settings();
    assert_eq!(before.zoom, 1.25);
    assert!(before.presentation);
    assert!(
        before.right_panel_width.is_some(),
        "the layout reported its width"
    );

    let store = saved(&mut h);
    drop(h);
    let mut again = start(remembering(), Some(store));
    again.run_steps(3);
    let after = again.state().current_settings();
    assert_eq!(after, before);
    assert_eq!(again.state().app_state().view, View::Learning);
    assert_eq!(again.ctx.zoom_factor(), 1.25);
    // The files do not exist, so nothing is offered for reopening.
    assert_eq!(again.state().reopen_offer(), None);
}

#[test]
fn the_command_line_wins_over_remembered_settings() {
    let mut h = start(remembering(), None);
    h.state_mut().app_state_mut().view = View::Learning;
    h.state_mut().set_theme_choice(ThemeChoice::Dark);
    let store = saved(&mut h);
    drop(h);
    let again = start(
        StartOptions {
            view: Some(View::Weights),
            theme: Some(ThemeChoice::Light),
            ..remembering()
        },
        Some(store),
    );
    assert_eq!(again.state().app_state().view, View::Weights);
    assert_eq!(again.state().theme_choice(), ThemeChoice::Light);
}

#[test]
fn a_corrupt_store_is_ignored_with_a_note_in_the_status_bar() {
    let mut store = MemoryStorage::default();
    eframe::Storage::set_string(
        &mut store,
        SETTINGS_KEY,
        "{\"theme\": \"light\", \"zo".to_owned(),
    );
    let mut h = start(remembering(), Some(store));
    let (text, kind) = h.state().status();
    let text = text.to_owned();
    assert_eq!(kind, StatusKind::Error);
    assert!(text.contains("could not be read"), "{text}");
    assert_eq!(h.state().settings_note(), Some(text.as_str()));
    assert_eq!(
        h.state().current_settings().theme,
        Settings::default().theme
    );
    // And the app works: one step.
    h.get_by_label("Step").click();
    wait_for(&mut h, "one step", |a| a.step_count() == Some(1));
}

#[test]
fn the_last_experiment_is_offered_and_reopens_on_request() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("last.json");
    let config = invariance_lab::model::config::presets::by_name("ring-random")
        .expect("preset")
        .config;
    let sim = invariance_lab::model::Simulation::new(config.clone()).expect("simulation");
    invariance_lab::io::experiment::save(&path, &sim).expect("saved");
    let settings = Settings {
        recent_files: vec![dir.path().join("matrix.npy"), path.clone()],
        ..Settings::default()
    };
    let mut store = MemoryStorage::default();
    settings.save(&mut store);

    let mut h = start(remembering(), Some(store));
    // Offered, not opened: ring-shift (the default start) is what runs.
    assert_eq!(h.state().reopen_offer(), Some(&path));
    assert_ne!(
        h.state().published().expect("published").model.config,
        config
    );
    let generation = h.state().generation();
    h.get_by_label("Reopen last experiment").click();
    wait_for(&mut h, "the experiment to open", |a| {
        a.generation() > generation
    });
    assert_eq!(
        h.state().published().expect("published").model.config,
        config
    );
    assert_eq!(
        h.state().app_state().document.current_path.as_ref(),
        Some(&path)
    );
    assert_eq!(h.state().reopen_offer(), None);
}
