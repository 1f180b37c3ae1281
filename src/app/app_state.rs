//! The eframe app's state: the worker handle, the panels and the file state. The frame
//! layout, the action execution, start-up, screenshots and polling live in files of
//! their own (`layout`, `execute`, `startup`, `screenshot_plan`, `poll`); this file only
//! holds what they share and the accessors tests and the CLI use.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::actions::AppAction;
use super::animation_panel::AnimationPanel;
use super::compare_panel::ComparePanel;
use super::files::Files;
use super::heatmap::{HeatmapView, MatrixOrder, RenderedHeatmap};
use super::imported::AppSource;
use super::params_panel::ParamsPanel;
use super::presentation::apply_text_sizes;
use super::screenshot_plan::{ScreenshotOutcome, ScreenshotPlan};
use super::search_panel::SearchPanel;
use super::start_options::StartOptions;
use super::startup::Startup;
use super::status_bar::{StatusKind, StatusLine};
use super::stimulus_panel::StimulusPanel;
use super::view::View;
use super::worker::{Published, WorkerCommand, WorkerHandle};

/// How often the running worker publishes a snapshot. The worker stops stepping when one
/// is due, so the cadence is this plus at most one step (~9 ms at M = 2048): the heatmap
/// refreshes more than 10 times a second.
const PUBLISH_INTERVAL: Duration = Duration::from_millis(80);

/// The heatmap order last computed, and what it was computed for.
pub(super) struct OrderCache {
    pub(super) key: (u64, MatrixOrder, u64),
    pub(super) id: u64,
    pub(super) order: Arc<Vec<usize>>,
}

/// The application state.
pub struct InvarianceApp {
    pub(super) ctx: egui::Context,
    pub(super) worker: WorkerHandle,
    pub(super) latest: Option<Arc<Published>>,
    /// What the views show: the simulation or an imported matrix.
    pub(super) source: AppSource,
    pub(super) import_counter: u64,
    /// Node labels to read once the matrix opens (`gui FILE.npy --labels NAMES`).
    pub(super) pending_labels: Option<PathBuf>,
    /// Runs overlaid on the learning curves.
    pub compare: ComparePanel,
    pub(super) generation_seen: u64,
    pub(super) clean: Option<(u64, u64)>,
    /// The heatmap widget (its `displayed` field is the data behind the texture).
    pub heatmap: HeatmapView,
    /// Current heatmap order.
    pub order_mode: MatrixOrder,
    pub(super) order_cache: Option<OrderCache>,
    pub(super) order_counter: u64,
    /// Current central view.
    pub view: View,
    pub(super) params: ParamsPanel,
    /// The search panel (settings, task, results).
    pub search: SearchPanel,
    /// File state.
    pub files: Files,
    /// Status bar.
    pub status: StatusLine,
    pub(super) stimulus: StimulusPanel,
    pub(super) animation: AnimationPanel,
    pub(super) presentation: bool,
    pub(super) show_help: bool,
    pub(super) speed_steps_per_sec: f64,
    pub(super) max_speed: bool,
    pub(super) run_until: u64,
    pub(super) prompt: Option<AppAction>,
    pub(super) after_save: Option<AppAction>,
    pub(super) allow_close: bool,
    pub(super) startup: Startup,
    pub(super) screenshot: Option<ScreenshotPlan>,
    pub(super) frame_ms: f64,
    pub(super) last_frame: Option<Instant>,
    pub(super) queued: Vec<AppAction>,
}

impl InvarianceApp {
    /// Creates the app (starts the worker, loads the file or preset).
    pub fn new(cc: &eframe::CreationContext<'_>, options: StartOptions) -> anyhow::Result<Self> {
        Self::with_context(cc.egui_ctx.clone(), options)
    }

    /// Creates the app on an existing egui context.
    pub fn with_context(ctx: egui::Context, options: StartOptions) -> anyhow::Result<Self> {
        apply_text_sizes(&ctx, options.presentation);
        let status = StatusLine::default();
        let worker = WorkerHandle::spawn(Some(ctx.clone()), PUBLISH_INTERVAL)
            .map_err(|e| anyhow::anyhow!("could not start the simulation thread: {e}"))?;
        let mut app = Self {
            ctx: ctx.clone(),
            worker,
            latest: None,
            source: AppSource::Simulation,
            import_counter: 0,
            pending_labels: options.labels.clone(),
            compare: ComparePanel::default(),
            generation_seen: 0,
            clean: None,
            heatmap: HeatmapView::new(Some(ctx.clone())),
            order_mode: MatrixOrder::Stored,
            order_cache: None,
            order_counter: 0,
            view: options.view.unwrap_or_default(),
            params: ParamsPanel::default(),
            search: SearchPanel::default(),
            files: Files::new(options.recent_files.clone(), options.native_dialogs),
            status,
            stimulus: StimulusPanel::default(),
            animation: AnimationPanel::default(),
            presentation: options.presentation,
            show_help: false,
            speed_steps_per_sec: 50.0,
            max_speed: true,
            run_until: 0,
            prompt: None,
            after_save: None,
            allow_close: options.screenshot.is_some(),
            startup: Startup::new(&options),
            screenshot: options.screenshot.clone().map(ScreenshotPlan::new),
            frame_ms: 0.0,
            last_frame: None,
            queued: Vec::new(),
        };
        if let Some(secs) = options.search_time_secs {
            app.search.settings.time_limit_secs = secs;
        }
        if let Some(order) = options.order
            && order != MatrixOrder::Recovered
        {
            app.order_mode = order;
        }
        for run in options.compare {
            app.add_runs(run);
        }
        if let Some(file) = options.file {
            app.files.start_load(file);
        } else {
            let name = options.preset.unwrap_or_else(|| "ring-shift".to_owned());
            app.handle(AppAction::NewFromPreset(name));
        }
        Ok(app)
    }

    // ----- accessors used by tests, the CLI and the benchmark -----

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
            Some(p) => self.clean != Some((p.model.generation, p.snapshot.step)),
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
