//! `--screenshot`: wait until the requested training, search and file work are done,
//! then save the whole window as PNG and close.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use egui::ViewportCommand;

use crate::session::jobs::files::save_png;

/// Shared result of a screenshot request: `Some(Ok)` once saved.
pub type ScreenshotOutcome = Arc<Mutex<Option<Result<PathBuf, String>>>>;

/// A screenshot waiting for the app to be ready.
pub struct ScreenshotPlan {
    path: PathBuf,
    ready_frames: u32,
    requested: bool,
    outcome: ScreenshotOutcome,
    started: Instant,
}

/// Give up waiting for steps/search after this long and take the screenshot anyway.
const SCREENSHOT_PATIENCE: Duration = Duration::from_secs(900);

impl ScreenshotPlan {
    /// A plan to save the window to `path` once the app is ready.
    pub fn new(path: PathBuf) -> Self {
        Self {
            path,
            ready_frames: 0,
            requested: false,
            outcome: Arc::new(Mutex::new(None)),
            started: Instant::now(),
        }
    }

    /// Where the saved screenshot ended up, shared with `run_native`.
    pub fn outcome(&self) -> ScreenshotOutcome {
        self.outcome.clone()
    }
}

impl ScreenshotPlan {
    /// Counts frames in which everything asked for is done (`ready`; None while there
    /// is nothing to show yet) and requests the screenshot after a few of them (so the
    /// last layout has settled); closes the window once it is saved.
    pub fn tick(&mut self, ctx: &egui::Context, ready: Option<bool>) {
        if self.requested {
            let done = self.outcome.lock().map(|o| o.is_some()).unwrap_or(true);
            if done {
                ctx.send_viewport_cmd(ViewportCommand::Close);
            } else {
                ctx.request_repaint_after(Duration::from_millis(30));
            }
            return;
        }
        let Some(ready) = ready else {
            ctx.request_repaint_after(Duration::from_millis(50));
            return;
        };
        if ready || self.started.elapsed() > SCREENSHOT_PATIENCE {
            self.ready_frames += 1;
        }
        if self.ready_frames >= 4 {
            self.requested = true;
            let path = self.path.clone();
            let outcome = self.outcome.clone();
            let repaint = ctx.clone();
            ctx.request_screenshot(move |image| {
                let result = crate::app::rgba_image(&image)
                    .and_then(|image| save_png(&path, &image))
                    .map(|()| path.clone())
                    .map_err(|e| format!("{e:#}"));
                if let Ok(mut o) = outcome.lock() {
                    *o = Some(result);
                }
                repaint.request_repaint();
            });
        }
        ctx.request_repaint_after(Duration::from_millis(30));
    }
}
