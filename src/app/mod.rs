//! The desktop app (eframe/egui): watch the graph learn, search for its symmetries,
//! save and load experiments.
//!
//! Shape: panels around one small state. [`state::AppState`] holds what every view
//! shares (no egui in it); each panel in [`panels`] draws itself from a read-only
//! [`context::PanelContext`] and returns [`AppAction`]s; [`execute`] is the one place
//! that carries them out; [`jobs`] is the one place background work starts from.
//!
//! Threads: the UI thread only draws and sends commands; the simulation runs on the
//! `simulation` thread ([`worker`]), big heatmaps are coloured on `heatmap-render`
//! ([`views::heatmap`]), searches and file work run as [`jobs`]. The UI never waits for
//! any of them. The heatmap and snapshot helpers run at a lower priority so they yield
//! to the simulation ([`background`]).

pub mod actions;
pub mod background;
pub mod context;
pub mod dialogs;
pub mod execute;
pub mod figure_kind;
pub mod file_purpose;
pub mod invariance_app;
pub mod jobs;
pub mod panels;
pub mod screenshot;
pub mod settings;
pub mod start_options;
pub mod state;

pub mod view;
pub mod views;
pub mod worker;

pub use actions::AppAction;
pub use invariance_app::InvarianceApp;
pub use start_options::StartOptions;
pub use view::View;

pub use crate::figure::order::MatrixOrder;

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
    let outcome: std::sync::Arc<std::sync::Mutex<Option<screenshot::ScreenshotOutcome>>> =
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
