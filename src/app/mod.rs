//! The desktop app (eframe/egui, issue 4): watch the graph learn, search for its
//! symmetries, save and load experiments.
//!
//! Threads: the UI thread only draws and sends commands; the simulation runs on the
//! `simulation` thread ([`worker`]), big heatmaps are coloured on `heatmap-render`
//! ([`heatmap`]), searches run on `search` ([`search_task`]) and file work on short-lived
//! helper threads ([`files`]). The UI never waits for any of them. The heatmap and
//! snapshot helpers run at a lower priority so they yield to the simulation
//! ([`background`]).

pub mod accessors;
pub mod actions;
pub mod animation_panel;
pub mod animation_polar;
pub mod app_state;
pub mod background;
pub mod central_view;
pub mod colormap;
pub mod compare_panel;
pub mod compare_runs;
pub mod data_folder_flow;
pub mod execute;
pub mod export_menu;
pub mod field_gallery;
mod field_measures_job;
pub mod file_flow;
pub mod file_purpose;
pub mod files;
pub mod group_elements;
pub mod group_panel;
pub mod group_text;
pub mod heatmap;
pub mod import_flow;
pub mod imported;
pub mod inspect_panel;
pub mod labels;
pub mod layout;
pub mod params_panel;
pub mod plots_panel;
pub mod polar_view;
pub mod poll;
pub mod presentation;
pub mod runs_loader;
pub mod screenshot_plan;
pub mod search_engine;
pub mod search_flow;
pub mod search_outcome;
pub mod search_panel;
pub mod search_task;
pub mod settings;
pub mod settings_flow;
pub mod shortcuts;
pub mod spectrum_view;
pub mod start_options;
pub mod startup;
pub mod status_bar;
pub mod stimulus_panel;
pub mod theme;
pub mod top_bar;
pub mod tour;
pub mod tour_flow;
pub mod unsaved_prompt;
pub mod view;
pub mod worker;

pub use actions::AppAction;
pub use app_state::InvarianceApp;
pub use heatmap::MatrixOrder;
pub use start_options::StartOptions;
pub use view::View;

/// The application id: names the settings folder (`$XDG_DATA_HOME/invariance-lab` on
/// Linux) and, on X11 and Wayland, the window's class for desktop entries.
pub const APP_ID: &str = "invariance-lab";

/// The file eframe keeps the remembered settings and window geometry in (None when the
/// platform has no place for it).
pub fn settings_file() -> Option<std::path::PathBuf> {
    eframe::storage_dir(APP_ID).map(|d| d.join("app.ron"))
}

/// Forgets the remembered settings (`gui --reset-settings`); returns the file deleted,
/// None if there was none.
pub fn reset_settings() -> anyhow::Result<Option<std::path::PathBuf>> {
    let Some(file) = settings_file() else {
        return Ok(None);
    };
    match std::fs::remove_file(&file) {
        Ok(()) => Ok(Some(file)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(anyhow::anyhow!(
            "could not delete the settings file {}: {e}",
            file.display()
        )),
    }
}

/// Opens the window and runs until it is closed. With a screenshot requested, returns
/// an error if it could not be written.
pub fn run_native(options: StartOptions) -> anyhow::Result<()> {
    let screenshot_requested = options.screenshot.is_some();
    let remember = options.remember_settings;
    let outcome: std::sync::Arc<std::sync::Mutex<Option<screenshot_plan::ScreenshotOutcome>>> =
        Default::default();
    let native = eframe::NativeOptions {
        renderer: eframe::Renderer::Glow,
        viewport: egui::ViewportBuilder::default()
            .with_title("Invariance Lab")
            .with_app_id(APP_ID)
            .with_inner_size([1600.0, 1000.0])
            .with_min_inner_size([900.0, 600.0])
            .with_drag_and_drop(true),
        persist_window: remember,
        // Runs that must not depend on the user's store (screenshots) get a store of
        // their own that is never written: nothing marks it dirty.
        persistence_path: (!remember).then(|| {
            std::env::temp_dir().join(format!(
                "invariance-lab-unremembered-{}/app.ron",
                std::process::id()
            ))
        }),
        ..Default::default()
    };
    let slot = outcome.clone();
    eframe::run_native(
        "Invariance Lab",
        native,
        Box::new(move |cc| {
            let app = InvarianceApp::new(cc, options)?;
            if let Ok(mut s) = slot.lock() {
                *s = app.screenshot_outcome();
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("could not open the window: {e}"))?;
    if screenshot_requested {
        let result = outcome
            .lock()
            .ok()
            .and_then(|o| o.clone())
            .and_then(|o| o.lock().ok().and_then(|r| r.clone()));
        match result {
            Some(Ok(path)) => eprintln!("screenshot saved to {}", path.display()),
            Some(Err(e)) => anyhow::bail!("could not save the screenshot: {e}"),
            None => anyhow::bail!("the window closed before the screenshot was taken"),
        }
    }
    Ok(())
}
