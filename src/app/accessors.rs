//! What tests, the CLI and the benchmark may ask the app: read-only views of its state,
//! plus queueing an action as a user would and sending the worker a command.

use std::sync::Arc;

use crate::app::actions::AppAction;
use crate::app::app_state::InvarianceApp;
use crate::app::views::heatmap::RenderedHeatmap;
use crate::app::imported::AppSource;
use crate::app::screenshot::{ScreenshotOutcome, ScreenshotPlan};
use crate::app::panels::status_bar::StatusKind;
use crate::app::worker::{Published, WorkerCommand};

impl InvarianceApp {
    /// The newest publication of the worker.
    pub fn published(&self) -> Option<Arc<Published>> {
        self.latest.clone()
    }

    /// Step counter as last published.
    pub fn step_count(&self) -> Option<u64> {
        self.latest.as_ref().map(|p| p.snapshot.step)
    }

    /// Whether the worker reported that it is stepping.
    pub fn is_running(&self) -> bool {
        self.latest.as_ref().is_some_and(|p| p.running)
    }

    /// Generation of the simulation shown.
    pub fn generation(&self) -> u64 {
        self.generation_seen
    }

    /// The data behind the heatmap texture.
    pub fn displayed_heatmap(&self) -> Option<Arc<RenderedHeatmap>> {
        self.heatmap.displayed.clone()
    }

    /// Whether the heatmap shows the newest snapshot in the chosen order.
    pub fn heatmap_is_current(&self) -> bool {
        self.heatmap.is_current()
    }

    /// The status message and its kind.
    pub fn status(&self) -> (&str, StatusKind) {
        (&self.status.text, self.status.kind)
    }

    /// Whether the open experiment has changes that were not saved.
    pub fn is_dirty(&self) -> bool {
        if matches!(self.source, AppSource::Imported(_)) {
            return false; // an imported matrix is never changed by the app
        }
        match &self.latest {
            Some(p) => self
                .clean
                .as_ref()
                .is_none_or(|(generation, step, pinned)| {
                    (*generation, *step) != (p.model.generation, p.snapshot.step)
                        || *pinned != p.snapshot.pins.cell_list()
                }),
            None => false,
        }
    }

    /// Whether file work (open, save, export) is still under way.
    pub fn file_work_pending(&self) -> bool {
        self.files.pending > 0
    }

    /// Queues an action, as a menu item or shortcut would (runs on the next frame).
    pub fn perform(&mut self, action: AppAction) {
        self.queued.push(action);
    }

    /// Where a requested screenshot ended up.
    pub fn screenshot_outcome(&self) -> Option<ScreenshotOutcome> {
        self.screenshot.as_ref().map(ScreenshotPlan::outcome)
    }

    /// Smoothed duration of a UI frame (CPU side) in milliseconds.
    pub fn frame_time_ms(&self) -> f64 {
        self.frame_ms
    }

    /// Sends a command to the worker directly.
    pub fn send(&self, command: WorkerCommand) -> bool {
        self.worker.send(command)
    }
}
