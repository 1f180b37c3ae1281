//! The eframe app's state: the worker handle, the panels and the file state, and how it
//! is built. Everything else lives in files of its own — the frame (`layout`), actions
//! (`execute`), start-up (`startup`), screenshots (`screenshot_plan`), polling (`poll`),
//! settings (`settings_flow`), the tour (`tour_flow`), the accessors tests and the CLI
//! use (`accessors`) — so this file only holds what they share.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::app::actions::AppAction;
use crate::app::panels::animation::AnimationPanel;
use crate::app::panels::compare::ComparePanel;
use crate::app::files::Files;
use crate::app::views::heatmap::{HeatmapView, MatrixOrder};
use crate::app::imported::AppSource;
use crate::app::panels::params::ParamsPanel;
use crate::app::views::presentation::apply_text_sizes;
use crate::app::screenshot::ScreenshotPlan;
use crate::app::panels::search::SearchPanel;
use crate::app::settings::{LoadedSettings, Settings};
use crate::app::settings_flow::PanelWidths;
use crate::app::start_options::StartOptions;
use crate::app::startup::Startup;
use crate::app::panels::status_bar::StatusLine;
use crate::app::panels::stimulus::StimulusPanel;
use crate::app::views::theme::{ThemeChoice, apply_theme};
use crate::app::tour::Tour;
use crate::app::view::View;
use crate::app::worker::{Published, WorkerHandle};

/// Generation, step and pinned cells of a saved state: the app is unsaved once the
/// published snapshot differs in any of them.
pub(crate) type SavedState = (u64, u64, Vec<(usize, usize)>);

/// How often the running worker publishes a snapshot. The worker stops stepping when one
/// is due, so the cadence is this plus at most one step (~9 ms at M = 2048): the heatmap
/// refreshes more than 10 times a second.
const PUBLISH_INTERVAL: Duration = Duration::from_millis(80);

/// The heatmap order last computed, and what it was computed for.
pub(crate) struct OrderCache {
    pub(crate) key: (u64, MatrixOrder, u64),
    pub(crate) id: u64,
    pub(crate) order: Arc<Vec<usize>>,
}

/// The application state.
pub struct InvarianceApp {
    pub(crate) ctx: egui::Context,
    pub(crate) worker: WorkerHandle,
    pub(crate) latest: Option<Arc<Published>>,
    /// What the views show: the simulation or an imported matrix.
    pub(crate) source: AppSource,
    pub(crate) import_counter: u64,
    /// Node labels to read once the matrix opens (`gui FILE.npy --labels NAMES`).
    pub(crate) pending_labels: Option<PathBuf>,
    /// Runs overlaid on the learning curves.
    pub compare: ComparePanel,
    pub(crate) generation_seen: u64,
    /// The last saved (or opened) state.
    pub(crate) clean: Option<SavedState>,
    /// The heatmap widget (its `displayed` field is the data behind the texture).
    pub heatmap: HeatmapView,
    /// Current heatmap order.
    pub order_mode: MatrixOrder,
    pub(crate) order_cache: Option<OrderCache>,
    pub(crate) order_counter: u64,
    /// Current central view.
    pub view: View,
    pub(crate) params: ParamsPanel,
    /// The search panel (settings, task, results).
    pub search: SearchPanel,
    /// File state.
    pub files: Files,
    /// Status bar.
    pub status: StatusLine,
    pub(crate) stimulus: StimulusPanel,
    pub(crate) animation: AnimationPanel,
    pub(crate) presentation: bool,
    pub(crate) show_help: bool,
    pub(crate) speed_steps_per_sec: f64,
    pub(crate) max_speed: bool,
    pub(crate) run_until: u64,
    pub(crate) prompt: Option<AppAction>,
    pub(crate) after_save: Option<AppAction>,
    pub(crate) allow_close: bool,
    pub(crate) startup: Startup,
    pub(crate) screenshot: Option<ScreenshotPlan>,
    pub(crate) frame_ms: f64,
    pub(crate) last_frame: Option<Instant>,
    pub(crate) queued: Vec<AppAction>,
    pub(crate) data_folder: crate::app::data_folder_flow::DataFolderTask,
    /// The theme the user chose (presentation mode may show light instead).
    pub(crate) theme: ThemeChoice,
    /// Whether [`eframe::App::save`] writes the settings (off for screenshots and tests).
    pub(crate) remember_settings: bool,
    /// Side panel widths as last laid out, remembered in the settings.
    pub(crate) panel_widths: PanelWidths,
    /// The last experiment, offered for reopening until the user acts on it.
    pub(crate) reopen_offer: Option<PathBuf>,
    /// The lecture tour, while it runs.
    pub(crate) tour: Option<Tour>,
    /// Why remembered settings were ignored, shown until dismissed.
    pub(crate) settings_note: Option<String>,
    /// The inspector of pinned weights and clicked neurons.
    pub(crate) inspect: crate::app::panels::inspect::InspectPanel,
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
            inspect: crate::app::panels::inspect::InspectPanel::new(options.inspect),
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
