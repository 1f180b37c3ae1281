//! The eframe app's state: the worker handle, the panels and the file state, and how it
//! is built. Everything else lives in files of its own — the frame (`layout`), actions
//! (`execute`), start-up (`startup`), screenshots (`screenshot_plan`), polling (`poll`),
//! settings (`settings_flow`), the tour (`tour_flow`), the accessors tests and the CLI
//! use (`accessors`) — so this file only holds what they share.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::actions::AppAction;
use super::animation_panel::AnimationPanel;
use super::compare_panel::ComparePanel;
use super::files::Files;
use super::heatmap::{HeatmapView, MatrixOrder};
use super::imported::AppSource;
use super::params_panel::ParamsPanel;
use super::presentation::apply_text_sizes;
use super::screenshot_plan::ScreenshotPlan;
use super::search_panel::SearchPanel;
use super::settings::{LoadedSettings, Settings};
use super::settings_flow::PanelWidths;
use super::start_options::StartOptions;
use super::startup::Startup;
use super::status_bar::StatusLine;
use super::stimulus_panel::StimulusPanel;
use super::theme::{ThemeChoice, apply_theme};
use super::tour::Tour;
use super::view::View;
use super::worker::{Published, WorkerHandle};

/// Generation, step and pinned cells of a saved state: the app is unsaved once the
/// published snapshot differs in any of them.
pub(super) type SavedState = (u64, u64, Vec<(usize, usize)>);

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
    /// The last saved (or opened) state.
    pub(super) clean: Option<SavedState>,
    /// The heatmap widget (its `displayed` field is the data behind the texture).
    pub heatmap: HeatmapView,
    /// Current heatmap order.
    pub order_mode: MatrixOrder,
    pub(super) order_cache: Option<OrderCache>,
    pub(super) order_counter: u64,
    /// The view last asked of the worker for a matrix too large to copy.
    pub(super) sent_view: Option<crate::model::overview::ViewRequest>,
    /// A search waiting for the worker's copy of a matrix too large to copy while it
    /// trains.
    pub(super) pending_search: Option<super::search_task::SearchSettings>,
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
    pub(super) data_folder: super::data_folder_flow::DataFolderTask,
    /// The theme the user chose (presentation mode may show light instead).
    pub(super) theme: ThemeChoice,
    /// Whether [`eframe::App::save`] writes the settings (off for screenshots and tests).
    pub(super) remember_settings: bool,
    /// Side panel widths as last laid out, remembered in the settings.
    pub(super) panel_widths: PanelWidths,
    /// The last experiment, offered for reopening until the user acts on it.
    pub(super) reopen_offer: Option<PathBuf>,
    /// The lecture tour, while it runs.
    pub(super) tour: Option<Tour>,
    /// Why remembered settings were ignored, shown until dismissed.
    pub(super) settings_note: Option<String>,
    /// The inspector of pinned weights and clicked neurons.
    pub(super) inspect: super::inspect_panel::InspectPanel,
}

impl InvarianceApp {
    /// Creates the app (starts the worker, loads the file or preset). With
    /// `options.remember_settings` the settings come from eframe's storage.
    pub fn new(cc: &eframe::CreationContext<'_>, options: StartOptions) -> anyhow::Result<Self> {
        let stored = cc
            .storage
            .filter(|_| options.remember_settings)
            .map(Settings::load);
        Self::with_settings(cc.egui_ctx.clone(), options, stored)
    }

    /// Creates the app on an existing egui context, with the default settings.
    pub fn with_context(ctx: egui::Context, options: StartOptions) -> anyhow::Result<Self> {
        Self::with_settings(ctx, options, None)
    }

    /// Creates the app on an existing egui context; `stored` are the remembered settings
    /// (the command line's options win over them).
    pub fn with_settings(
        ctx: egui::Context,
        options: StartOptions,
        stored: Option<LoadedSettings>,
    ) -> anyhow::Result<Self> {
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
            sent_view: None,
            pending_search: None,
            view: options.view.unwrap_or_default(),
            params: ParamsPanel::default(),
            search: SearchPanel::default(),
            files: Files::new(options.native_dialogs),
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
            data_folder: Default::default(),
            theme: ThemeChoice::default(),
            remember_settings: options.remember_settings,
            panel_widths: PanelWidths::default(),
            reopen_offer: None,
            tour: None,
            settings_note: None,
            inspect: super::inspect_panel::InspectPanel::new(options.inspect),
        };
        if let Some(loaded) = stored {
            app.restore_settings(loaded, &options);
        }
        if let Some(theme) = options.theme {
            app.theme = theme;
        }
        app.presentation |= options.presentation;
        apply_text_sizes(&ctx, app.presentation);
        apply_theme(&ctx, app.theme, app.presentation);
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
        if let Some(step) = options.tour_step {
            app.start_tour(step);
        } else if let Some(file) = options.file {
            app.files.start_load(file);
        } else {
            let name = options.preset.unwrap_or_else(|| "ring-shift".to_owned());
            app.handle(AppAction::NewFromPreset(name));
        }
        // Last, so the start's own messages (the preset's description) do not hide them.
        if let Some(note) = app.settings_note.clone() {
            app.status.error(note);
        } else if options.settings_were_reset {
            app.status.info("Settings reset to the defaults.");
        }
        Ok(app)
    }
}
