//! The desktop app (eframe/egui, issue 4): watch the graph learn, search for its
//! symmetries, save and load experiments.
//!
//! Threads: the UI thread only draws and sends commands; the simulation runs on the
//! `simulation` thread ([`worker`]), big heatmaps are coloured on `heatmap-render`
//! ([`heatmap`]), searches run on `search` ([`search_task`]) and file work on short-lived
//! helper threads ([`files`]). The UI never waits for any of them. The heatmap and
//! snapshot helpers run at a lower priority so they yield to the simulation
//! ([`background`]).

pub mod actions;
pub mod animation_panel;
pub mod animation_polar;
pub mod app_state;
pub mod background;
pub mod central_view;
pub mod colormap;
pub mod compare_panel;
pub mod compare_runs;
pub mod execute;
pub mod export_menu;
pub mod file_flow;
pub mod file_purpose;
pub mod files;
pub mod group_elements;
pub mod group_panel;
pub mod group_text;
pub mod heatmap;
pub mod import_flow;
pub mod imported;
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
pub mod shortcuts;
pub mod start_options;
pub mod startup;
pub mod status_bar;
pub mod stimulus_panel;
pub mod top_bar;
pub mod unsaved_prompt;
pub mod view;
pub mod worker;

pub use actions::AppAction;
pub use app_state::InvarianceApp;
pub use heatmap::MatrixOrder;
pub use start_options::StartOptions;
pub use view::View;

/// Opens the window and runs until it is closed. With a screenshot requested, returns
/// an error if it could not be written.
pub fn run_native(options: StartOptions) -> anyhow::Result<()> {
    let screenshot_requested = options.screenshot.is_some();
    let outcome: std::sync::Arc<std::sync::Mutex<Option<screenshot_plan::ScreenshotOutcome>>> =
        Default::default();
    let native = eframe::NativeOptions {
        renderer: eframe::Renderer::Glow,
        viewport: egui::ViewportBuilder::default()
            .with_title("Invariance Lab")
            // Matches `StartupWMClass` in assets/invariance-lab.desktop (menus, taskbar icon).
            .with_app_id("invariance-lab")
            .with_inner_size([1600.0, 1000.0])
            .with_min_inner_size([900.0, 600.0])
            .with_drag_and_drop(true),
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
