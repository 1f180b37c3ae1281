//! The eframe app: owns the worker handle, the panels and the file state, turns user
//! input into [`AppAction`]s and lays out the window.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use egui::ViewportCommand;

use super::actions::AppAction;
use super::animation_panel::AnimationPanel;
use super::compare_panel::ComparePanel;
use super::files::{FilePurpose, Files};
use super::heatmap::{HeatmapView, MatrixOrder, RenderedHeatmap};
use super::import_flow::Shown;
use super::imported::{AppSource, is_matrix_path};
use super::params_panel::{ParamsAction, ParamsPanel};
use super::presentation::apply_text_sizes;
use super::search_panel::SearchPanel;
use super::shortcuts::{help_overlay_ui, read_shortcuts};
use super::status_bar::{StatusKind, StatusLine};
use super::stimulus_panel::StimulusPanel;
use super::worker::{Published, Speed, WorkerCommand, WorkerEvent, WorkerHandle};
use crate::model::presets;

/// How often the running worker publishes a snapshot. The worker stops stepping when one
/// is due, so the cadence is this plus at most one step (~9 ms at M = 2048): the heatmap
/// refreshes more than 10 times a second.
const PUBLISH_INTERVAL: Duration = Duration::from_millis(80);

/// The main views of the central area.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum View {
    /// Heatmap, error plot, stimulus and activities at once.
    #[default]
    Overview,
    /// The heatmap alone, as large as possible.
    Weights,
    /// The learning curves.
    Learning,
    /// Stimulus, activities and receptive field.
    Stimulus,
    /// The selected transformation acting on the input.
    Transformation,
}

impl View {
    /// All views, in tab order.
    pub const ALL: [View; 5] = [
        View::Overview,
        View::Weights,
        View::Learning,
        View::Stimulus,
        View::Transformation,
    ];

    /// Tab title.
    pub fn name(self) -> &'static str {
        match self {
            View::Overview => "Overview",
            View::Weights => "Weights",
            View::Learning => "Learning curves",
            View::Stimulus => "Stimulus & detectors",
            View::Transformation => "Transformation",
        }
    }

    /// Parses the CLI spelling (`overview|weights|learning|stimulus|transformation`).
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "overview" => Some(View::Overview),
            "weights" => Some(View::Weights),
            "learning" => Some(View::Learning),
            "stimulus" => Some(View::Stimulus),
            "transformation" => Some(View::Transformation),
            _ => None,
        }
    }
}

/// How the window starts (the `gui` subcommand's options).
#[derive(Clone, Debug, Default)]
pub struct StartOptions {
    /// Experiment file to open.
    pub file: Option<PathBuf>,
    /// Preset to start from (default: `ring-shift` when no file is given).
    pub preset: Option<String>,
    /// Run until this step at full speed.
    pub steps: Option<u64>,
    /// Start a search once the steps are done.
    pub search: bool,
    /// Time limit of the search panel (None: its default).
    pub search_time_secs: Option<f64>,
    /// Heatmap order to show (recovered: as soon as a search result exists).
    pub order: Option<MatrixOrder>,
    /// After the start-up search, select the first result recovering this true
    /// transformation (its display name, e.g. "rotate 90°") instead of the best one.
    pub select_match: Option<String>,
    /// Which view to show.
    pub view: Option<View>,
    /// Save a screenshot of the whole window here once everything is done, then exit.
    pub screenshot: Option<PathBuf>,
    /// Start in presentation mode.
    pub presentation: bool,
    /// Where to remember recent files (None: not remembered).
    pub recent_files: Option<PathBuf>,
    /// Try native file dialogs (false: always typed paths).
    pub native_dialogs: bool,
    /// Experiment files or sweep CSVs to overlay on the learning curves.
    pub compare: Vec<PathBuf>,
    /// Node labels for the matrix in `file`, read once it has opened.
    pub labels: Option<PathBuf>,
}

/// The heatmap order last computed, and what it was computed for.
pub(super) struct OrderCache {
    pub(super) key: (u64, MatrixOrder, u64),
    pub(super) id: u64,
    pub(super) order: Arc<Vec<usize>>,
}

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

/// What the command line asked for at start-up, and how far it got.
pub(super) struct Startup {
    steps: Option<u64>,
    search: bool,
    pub(super) order: Option<MatrixOrder>,
    pub(super) select_match: Option<String>,
    steps_sent: bool,
    search_started: bool,
    first_generation: Option<u64>,
    announce_trained: bool,
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
    params: ParamsPanel,
    /// The search panel (settings, task, results).
    pub search: SearchPanel,
    /// File state.
    pub files: Files,
    /// Status bar.
    pub status: StatusLine,
    pub(super) stimulus: StimulusPanel,
    pub(super) animation: AnimationPanel,
    pub(super) presentation: bool,
    show_help: bool,
    pub(super) speed_steps_per_sec: f64,
    pub(super) max_speed: bool,
    pub(super) run_until: u64,
    prompt: Option<AppAction>,
    pub(super) after_save: Option<AppAction>,
    allow_close: bool,
    pub(super) startup: Startup,
    pub(super) screenshot: Option<ScreenshotPlan>,
    frame_ms: f64,
    last_frame: Option<Instant>,
    pub(super) queued: Vec<AppAction>,
    pub(super) data_folder: super::data_folder_flow::DataFolderTask,
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
            pending_labels: options.labels,
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
            startup: Startup {
                steps: options.steps,
                search: options.search,
                order: options.order,
                select_match: options.select_match,
                steps_sent: false,
                search_started: false,
                first_generation: None,
                announce_trained: false,
            },
            screenshot: options.screenshot.map(|path| ScreenshotPlan {
                path,
                ready_frames: 0,
                requested: false,
                outcome: Arc::new(Mutex::new(None)),
                started: Instant::now(),
            }),
            frame_ms: 0.0,
            last_frame: None,
            queued: Vec::new(),
            data_folder: Default::default(),
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
        self.screenshot.as_ref().map(|s| s.outcome.clone())
    }

    /// Smoothed duration of a UI frame (CPU side) in milliseconds.
    pub fn frame_time_ms(&self) -> f64 {
        self.frame_ms
    }

    /// Sends a command to the worker directly.
    pub fn send(&self, command: WorkerCommand) -> bool {
        self.worker.send(command)
    }

    // ----- per-frame bookkeeping -----

    /// Dropped files: in the learning-curve view experiments and sweep CSVs are added
    /// to the comparison; anywhere else the first file is opened (an experiment, or a
    /// matrix as an imported graph).
    fn on_dropped(&mut self, dropped: Vec<PathBuf>) {
        if self.view == View::Learning {
            let (runs, others): (Vec<PathBuf>, Vec<PathBuf>) = dropped.into_iter().partition(|p| {
                !is_matrix_path(p) || p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"))
            });
            for path in runs {
                self.add_runs(path);
            }
            if let Some(path) = others.into_iter().next() {
                self.queued.push(AppAction::OpenPath(path));
            }
        } else if let Some(path) = dropped.into_iter().next() {
            self.queued.push(AppAction::OpenPath(path));
        }
    }

    fn poll(&mut self) {
        for event in self.worker.drain_events() {
            match event {
                WorkerEvent::ConfigRejected(msg) => {
                    self.status.error(format!("Settings rejected: {msg}"))
                }
                WorkerEvent::Replaced { .. } => {}
            }
        }
        if let Some(p) = self.worker.latest() {
            let new_generation = p.model.generation != self.generation_seen;
            self.latest = Some(p.clone());
            if new_generation {
                self.on_new_generation(&p);
            }
        }
        for event in self.files.drain() {
            self.on_file_event(event);
        }
        self.poll_search();
        self.startup_progress();
    }

    fn on_new_generation(&mut self, p: &Published) {
        // A preset or an experiment replaced whatever was shown, an imported matrix too.
        self.source = AppSource::Simulation;
        self.generation_seen = p.model.generation;
        self.clean = Some((p.model.generation, p.snapshot.step));
        self.search.clear();
        self.order_cache = None;
        self.params.draft = None;
        self.heatmap.hovered = None;
        self.heatmap.selected = None;
        if self.order_mode == MatrixOrder::Recovered {
            self.order_mode = MatrixOrder::Stored;
        }
        if self.startup.first_generation.is_none() {
            self.startup.first_generation = Some(p.model.generation);
        }
    }

    fn startup_progress(&mut self) {
        if matches!(self.source, AppSource::Imported(_)) {
            if self.startup.search && !self.startup.search_started {
                self.startup.search_started = true;
                self.start_search();
            }
            return;
        }
        let Some(p) = self.latest.clone() else { return };
        if self.startup.first_generation != Some(p.model.generation) {
            return;
        }
        if let Some(steps) = self.startup.steps
            && !self.startup.steps_sent
        {
            self.startup.steps_sent = true;
            self.worker.send(WorkerCommand::SetSpeed(Speed::Unlimited));
            self.worker.send(WorkerCommand::RunUntil(steps));
            self.status.info(format!("Training to step {steps}…"));
            self.startup.announce_trained = true;
            return;
        }
        let steps_done = self
            .startup
            .steps
            .is_none_or(|s| p.snapshot.step >= s && !p.running);
        if steps_done && self.startup.announce_trained {
            self.startup.announce_trained = false;
            if let Some(r) = p.snapshot.history.last() {
                self.status.info(format!(
                    "Trained to step {} ({} stimuli); e_g = {:.4}.",
                    p.snapshot.step, r.stimuli, r.symmetry_error_true
                ));
            }
        }
        if self.startup.search && !self.startup.search_started && steps_done {
            self.startup.search_started = true;
            self.start_search();
        }
    }

    pub(super) fn handle(&mut self, action: AppAction) {
        if action.discards_experiment() && self.is_dirty() && !self.allow_close {
            self.prompt = Some(action);
            return;
        }
        self.execute(action);
    }

    pub(super) fn execute(&mut self, action: AppAction) {
        let running = self.is_running();
        let trains = matches!(
            action,
            AppAction::Run
                | AppAction::Pause
                | AppAction::RunUntil(_)
                | AppAction::ToggleRun
                | AppAction::Step
                | AppAction::Reset
        );
        if trains && self.training_blocked() {
            return;
        }
        match action {
            AppAction::Run => {
                self.worker.send(WorkerCommand::Run);
            }
            AppAction::Pause => {
                self.worker.send(WorkerCommand::Pause);
            }
            AppAction::RunUntil(step) => {
                self.worker.send(WorkerCommand::RunUntil(step));
            }
            AppAction::ToggleRun => {
                self.worker.send(if running {
                    WorkerCommand::Pause
                } else {
                    WorkerCommand::Run
                });
            }
            AppAction::Step => {
                self.worker.send(WorkerCommand::Step(1));
            }
            AppAction::Reset => {
                self.worker.send(WorkerCommand::Reset);
            }
            AppAction::NewFromPreset(name) => match presets::by_name(&name) {
                Some(preset) => {
                    self.worker
                        .send(WorkerCommand::Configure(Box::new(preset.config)));
                    self.files.current_path = None;
                    self.run_until = preset.default_steps;
                    self.status.info(format!(
                        "Preset {}: {} Press Run (Space).",
                        preset.name, preset.description
                    ));
                }
                None => self.status.error(format!(
                    "Unknown preset '{name}'; choose one of: {}.",
                    presets::names().join(", ")
                )),
            },
            AppAction::Open => {
                if let Some(path) = self.files.ask_path(FilePurpose::Open) {
                    self.files.start_load(path);
                }
            }
            AppAction::OpenPath(path) => self.files.start_load(path),
            AppAction::Save => match self.files.current_path.clone() {
                Some(path) => self.save_to(path),
                None => self.execute(AppAction::SaveAs),
            },
            AppAction::SaveAs => {
                if let Some(path) = self.files.ask_path(FilePurpose::SaveAs) {
                    self.save_to(path);
                }
            }
            AppAction::ExportNpy => self.export(FilePurpose::ExportNpy),
            AppAction::ExportCsv => self.export(FilePurpose::ExportCsv),
            AppAction::ExportPng => self.export(FilePurpose::ExportPng),
            AppAction::ExportMetrics => self.export(FilePurpose::ExportMetrics),
            AppAction::ExportFigure => self.export(FilePurpose::ExportFigure),
            AppAction::LoadNodeLabels => {
                if self.imported().is_none() {
                    self.load_node_labels(PathBuf::new()); // says why not
                } else if let Some(path) = self.files.ask_path(FilePurpose::NodeLabels) {
                    self.load_node_labels(path);
                }
            }
            AppAction::UseDataFolder => {
                if let Some(path) = self.files.ask_path(FilePurpose::DataFolder) {
                    self.use_data_folder(path);
                }
            }
            AppAction::AddRuns => {
                if let Some(path) = self.files.ask_path(FilePurpose::AddRuns) {
                    self.add_runs(path);
                }
            }
            AppAction::Quit => {
                self.allow_close = true;
                self.ctx.send_viewport_cmd(ViewportCommand::Close);
            }
            AppAction::StartSearch => self.start_search(),
            AppAction::CancelSearch => {
                if let Some(t) = &mut self.search.task {
                    t.cancel();
                }
            }
            AppAction::TogglePresentation => {
                self.presentation = !self.presentation;
                apply_text_sizes(&self.ctx, self.presentation);
            }
            AppAction::ToggleFullscreen => {
                let full = self.ctx.input(|i| i.viewport().fullscreen.unwrap_or(false));
                self.ctx
                    .send_viewport_cmd(ViewportCommand::Fullscreen(!full));
            }
            AppAction::ToggleHelp => self.show_help = !self.show_help,
        }
    }

    fn unsaved_prompt_ui(&mut self) {
        let Some(action) = self.prompt.clone() else {
            return;
        };
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("unsaved-prompt")).show(&self.ctx, |ui| {
            ui.heading("Unsaved changes");
            ui.label("The open experiment has changes that were not saved. Save them first?");
            ui.horizontal(|ui| {
                if ui.button("Save").clicked() {
                    choice = Some(0);
                }
                if ui.button("Discard").clicked() {
                    choice = Some(1);
                }
                if ui.button("Cancel").clicked() {
                    choice = Some(2);
                }
            });
        });
        match choice {
            Some(0) => {
                self.prompt = None;
                self.after_save = Some(action);
                self.execute(AppAction::Save);
            }
            Some(1) => {
                self.prompt = None;
                self.execute(action);
            }
            Some(_) => self.prompt = None,
            None => {}
        }
    }

    fn screenshot_logic(&mut self) {
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
            (AppSource::Simulation, Some(p)) => self
                .startup
                .steps
                .is_none_or(|s| p.snapshot.step >= s && !p.running),
            (AppSource::Simulation, None) => {
                self.ctx.request_repaint_after(Duration::from_millis(50));
                return;
            }
        };
        let search_done =
            !self.startup.search || (self.startup.search_started && self.search.task.is_none());
        let heatmap_ready =
            !matches!(self.view, View::Overview | View::Weights) || self.heatmap.is_current();
        // The transformation view computes its orbit in the background: wait for it.
        let animation_ready = !self.animation.is_computing();
        let ready = (steps_done
            && search_done
            && heatmap_ready
            && animation_ready
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

impl eframe::App for InvarianceApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let now = Instant::now();
        let ctx = ui.ctx().clone();
        self.poll();
        self.queued.extend(read_shortcuts(&ctx));
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        self.on_dropped(dropped);
        if ctx.input(|i| i.viewport().close_requested()) && !self.allow_close && self.is_dirty() {
            ctx.send_viewport_cmd(ViewportCommand::CancelClose);
            self.prompt = Some(AppAction::Quit);
        }
        egui::Panel::top("menu-and-toolbar").show(ui, |ui| {
            self.menu_bar_ui(ui);
            self.toolbar_ui(ui);
        });
        egui::Panel::bottom("status-bar").show(ui, |ui| {
            let right = match &self.latest {
                Some(p) if p.running => format!(
                    "running · {:.0} steps/s · frame {:.1} ms",
                    p.steps_per_second, self.frame_ms
                ),
                Some(_) => format!("paused · frame {:.1} ms", self.frame_ms),
                None => String::new(),
            };
            self.status.ui(ui, &right);
        });
        if !self.presentation {
            let config = self.latest.as_ref().map(|p| p.model.config.clone());
            egui::Panel::left("parameters")
                .resizable(true)
                .default_size(360.0)
                .show(ui, |ui| {
                    if self.imported().is_some() {
                        self.facts_panel_ui(ui);
                    } else if let Some(ParamsAction::Apply(config)) =
                        self.params.ui(ui, config.as_ref())
                    {
                        self.worker.send(WorkerCommand::Configure(config));
                        self.status.info("Applying the new settings (step 0)…");
                    }
                });
        }
        egui::Panel::right("search")
            .resizable(true)
            .default_size(420.0)
            .max_size(560.0)
            .show(ui, |ui| {
                let shown = self.shown();
                let can_start = shown.is_some();
                let space = shown.as_ref().and_then(|s| s.space);
                let neurons = shown.as_ref().map(Shown::neurons);
                for action in self.search.ui(ui, can_start, space.as_ref(), neurons) {
                    self.handle_search(action);
                }
            });
        egui::CentralPanel::default().show(ui, |ui| self.central_ui(ui));

        self.unsaved_prompt_ui();
        let chosen = self.files.typed_dialog_ui(&ctx);
        for (purpose, path) in chosen.into_iter().chain(self.files.take_picked()) {
            self.on_path_chosen(purpose, path);
        }
        self.poll_data_folder();
        if let Some(shot) = self.compare.poll_export(&ctx) {
            shot.capture(&ctx, self.files.figure_saver());
        }
        help_overlay_ui(&ctx, &mut self.show_help);

        for action in std::mem::take(&mut self.queued) {
            self.handle(action);
        }
        // After the actions, so a changed order or colour map is requested in this frame.
        self.update_heatmap();
        self.screenshot_logic();
        if self.search.is_running() {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        if self.files.pending > 0 || self.files.native_dialog_open {
            ctx.request_repaint_after(Duration::from_millis(50));
        }
        let ms = now.elapsed().as_secs_f64() * 1e3;
        self.frame_ms = if self.last_frame.is_some() {
            0.9 * self.frame_ms + 0.1 * ms
        } else {
            ms
        };
        self.last_frame = Some(now);
    }
}
