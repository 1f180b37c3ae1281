//! `--screenshot`: wait until the requested training, search and file work are done,
//! then save the whole window as PNG and close.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use egui::ViewportCommand;

use super::app_state::InvarianceApp;
use super::imported::AppSource;
use super::view::View;

/// Shared result of a screenshot request: `Some(Ok)` once saved.
pub type ScreenshotOutcome = Arc<Mutex<Option<Result<PathBuf, String>>>>;

pub(super) struct ScreenshotPlan {
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
    pub(super) fn new(path: PathBuf) -> Self {
        Self {
            path,
            ready_frames: 0,
            requested: false,
            outcome: Arc::new(Mutex::new(None)),
            started: Instant::now(),
        }
    }

    /// Where the saved screenshot ended up, shared with `run_native`.
    pub(super) fn outcome(&self) -> ScreenshotOutcome {
        self.outcome.clone()
    }
}

impl InvarianceApp {
    /// Counts frames in which everything asked for is done and requests the screenshot
    /// after a few of them (so the last layout has settled); closes once it is saved.
    pub(super) fn screenshot_logic(&mut self) {
        let Some(plan) = &mut self.screenshot else {
            return;
        };
        if plan.requested {
            let done = plan.outcome.lock().map(|o| o.is_some()).unwrap_or(true);
            if done {
                self.ctx.send_viewport_cmd(ViewportCommand::Close);
            } else {
                self.ctx.request_repaint_after(Duration::from_millis(30));
            }
            return;
        }
        let steps_done = match (&self.source, &self.latest) {
            (AppSource::Imported(_), _) => true,
            (AppSource::Simulation, Some(p)) => self.startup.steps_reached(p),
            (AppSource::Simulation, None) => {
                self.ctx.request_repaint_after(Duration::from_millis(50));
                return;
            }
        };
        let search_done = self.startup.search_finished(self.search.task.is_some());
        let heatmap_ready =
            !matches!(self.view, View::Overview | View::Weights) || self.heatmap.is_current();
        // The transformation view computes its orbit in the background: wait for it.
        let animation_ready = !self.animation.is_computing();
        // So does the field gallery's measures.
        let gallery_ready = self.view != View::Stimulus || !self.stimulus.gallery.is_computing();
        let tour_ready = self.tour.as_ref().is_none_or(|t| t.reached());
        let ready = (steps_done
            && search_done
            && heatmap_ready
            && animation_ready
            && gallery_ready
            && tour_ready
            && !self.compare.export_pending()
            && self.files.pending == 0)
            || plan.started.elapsed() > SCREENSHOT_PATIENCE;
        if ready {
            plan.ready_frames += 1;
        }
        if plan.ready_frames >= 4 {
            plan.requested = true;
            let path = plan.path.clone();
            let outcome = plan.outcome.clone();
            let ctx = self.ctx.clone();
            self.ctx.request_screenshot(move |image| {
                let result = super::files::save_png(&path, &image)
                    .map(|()| path.clone())
                    .map_err(|e| format!("{e:#}"));
                if let Ok(mut o) = outcome.lock() {
                    *o = Some(result);
                }
                ctx.request_repaint();
            });
        }
        self.ctx.request_repaint_after(Duration::from_millis(30));
    }
}
