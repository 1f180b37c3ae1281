//! The desktop app (eframe/egui): watch the graph learn, search for its symmetries,
//! save and load experiments.
//!
//! Shape: panels around one small state. The state, the simulation thread and the
//! background jobs are egui-free and live in the library ([`crate::session`]); here
//! each panel in [`panels`] draws itself from a read-only [`context::PanelContext`] and
//! returns [`AppAction`]s, and [`execute`] is the one place that carries them out.
//!
//! Threads: the UI thread only draws and sends commands; the simulation runs on the
//! `simulation` thread ([`crate::session::worker`]), big heatmaps are coloured on
//! `heatmap-render` ([`views::heatmap`]), searches and file work run as
//! [`crate::session::jobs`]. The UI never waits for any of them: each wakes it through
//! a [`crate::session::Waker`] ([`waker`]).

pub mod actions;
pub mod context;
pub mod dialogs;
pub mod execute;
pub mod invariance_app;
pub mod panels;
pub mod screenshot;
pub mod settings;

pub mod views;

pub use crate::figure::order::MatrixOrder;
pub use crate::session::{StartOptions, View};
pub use actions::AppAction;
pub use invariance_app::InvarianceApp;

/// An egui image as an RGBA buffer, for writing it as PNG
/// ([`crate::session::jobs::files::save_png`]).
pub fn rgba_image(image: &egui::ColorImage) -> anyhow::Result<image::RgbaImage> {
    let [w, h] = image.size;
    let rgba = image
        .pixels
        .iter()
        .flat_map(|c| c.to_srgba_unmultiplied())
        .collect();
    image::RgbaImage::from_raw(w as u32, h as u32, rgba)
        .ok_or_else(|| anyhow::anyhow!("image buffer has the wrong size"))
}

/// The waker of a background thread's results: asks egui to repaint `ctx`.
pub fn waker(ctx: &egui::Context) -> crate::session::Waker {
    let ctx = ctx.clone();
    std::sync::Arc::new(move || ctx.request_repaint())
}

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
