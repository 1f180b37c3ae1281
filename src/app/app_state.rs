//! The eframe app: owns the worker handle, the panels and the file state, turns user
//! input into [`AppAction`]s and lays out the window.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use egui::{RichText, ViewportCommand};

use super::actions::AppAction;
use super::animation_panel::{AnimationContext, AnimationPanel};
use super::files::{FileEvent, FilePurpose, Files};
use super::heatmap::{
    HeatmapContext, HeatmapView, MatrixOrder, RenderedHeatmap, recovered_order, truth_order,
};
use super::params_panel::{ParamsAction, ParamsPanel};
use super::plots_panel;
use super::presentation::apply_text_sizes;
use super::search_panel::SearchPanel;
use super::shortcuts::{help_overlay_ui, read_shortcuts};
use super::status_bar::{StatusKind, StatusLine};
use super::stimulus_panel::{StimulusContext, StimulusPanel};
use super::worker::{ModelInfo, Published, Speed, WorkerCommand, WorkerEvent, WorkerHandle};
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
}

struct OrderCache {
    key: (u64, MatrixOrder, u64),
    id: u64,
    order: Arc<Vec<usize>>,
}

/// Shared result of a screenshot request: `Some(Ok)` once saved.
pub type ScreenshotOutcome = Arc<Mutex<Option<Result<PathBuf, String>>>>;

struct ScreenshotPlan {
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
    worker: WorkerHandle,
    pub(super) latest: Option<Arc<Published>>,
    generation_seen: u64,
    clean: Option<(u64, u64)>,
    /// The heatmap widget (its `displayed` field is the data behind the texture).
    pub heatmap: HeatmapView,
    /// Current heatmap order.
    pub order_mode: MatrixOrder,
    order_cache: Option<OrderCache>,
    order_counter: u64,
    /// Current central view.
    pub view: View,
    params: ParamsPanel,
    /// The search panel (settings, task, results).
    pub search: SearchPanel,
    /// File state.
    pub files: Files,
    /// Status bar.
    pub status: StatusLine,
    stimulus: StimulusPanel,
    animation: AnimationPanel,
    presentation: bool,
    show_help: bool,
    speed_steps_per_sec: f64,
    max_speed: bool,
    run_until: u64,
    prompt: Option<AppAction>,
    after_save: Option<AppAction>,
    allow_close: bool,
    pub(super) startup: Startup,
    screenshot: Option<ScreenshotPlan>,
    frame_ms: f64,
    last_frame: Option<Instant>,
    queued: Vec<AppAction>,
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
        };
        if let Some(secs) = options.search_time_secs {
            app.search.settings.time_limit_secs = secs;
        }
        if let Some(order) = options.order
            && order != MatrixOrder::Recovered
        {
            app.order_mode = order;
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

    /// Saves the experiment to `path` (the function Save As uses after its dialog).
    pub fn save_to(&mut self, path: PathBuf) {
        let Some(p) = &self.latest else {
            self.status.error("Nothing to save yet.");
            return;
        };
        let job = self.files.save_job(path, p.model.generation);
        if !self.worker.send(WorkerCommand::With(job)) {
            self.files.pending = self.files.pending.saturating_sub(1);
            self.status
                .error("The simulation thread has stopped; cannot save.");
        }
    }

    /// Opens an experiment file (the function Open uses after its dialog); asks about
    /// unsaved changes first.
    pub fn open_path(&mut self, path: PathBuf) {
        self.handle(AppAction::OpenPath(path));
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

    fn on_file_event(&mut self, event: FileEvent) {
        match event {
            FileEvent::Saved {
                path,
                generation,
                step,
            } => {
                self.status
                    .info(format!("Saved {} (step {step}).", path.display()));
                self.files.remember(&path);
                self.files.current_path = Some(path);
                if generation == self.generation_seen {
                    self.clean = Some((generation, step));
                }
                if let Some(next) = self.after_save.take() {
                    self.execute(next);
                }
            }
            FileEvent::Loaded { path, sim } => {
                self.status.info(format!(
                    "Opened {} (step {}).",
                    path.display(),
                    sim.step_count()
                ));
                self.files.remember(&path);
                self.files.current_path = Some(path);
                self.worker.send(WorkerCommand::Load(sim));
            }
            FileEvent::Exported { path } => {
                self.status.info(format!("Exported {}.", path.display()))
            }
            FileEvent::Failed(msg) => {
                self.after_save = None;
                self.status.error(msg);
            }
        }
    }

    // ----- actions -----

    fn handle(&mut self, action: AppAction) {
        if action.discards_experiment() && self.is_dirty() && !self.allow_close {
            self.prompt = Some(action);
            return;
        }
        self.execute(action);
    }

    pub(super) fn execute(&mut self, action: AppAction) {
        let running = self.is_running();
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

    fn export(&mut self, purpose: FilePurpose) {
        if let Some(path) = self.files.ask_path(purpose) {
            self.export_to(purpose, path);
        }
    }

    fn export_to(&mut self, purpose: FilePurpose, path: PathBuf) {
        let Some(p) = &self.latest else {
            self.status.error("Nothing to export yet.");
            return;
        };
        let image = (purpose == FilePurpose::ExportPng)
            .then(|| {
                self.heatmap
                    .displayed
                    .as_ref()
                    .map(|d| d.full_resolution_image())
            })
            .flatten();
        self.files
            .start_export(purpose, path, p.snapshot.clone(), image);
    }

    fn current_order(&mut self, model: &ModelInfo) -> (u64, Arc<Vec<usize>>) {
        let mode =
            if self.order_mode == MatrixOrder::Recovered && self.selected_permutation().is_none() {
                MatrixOrder::Stored
            } else {
                self.order_mode
            };
        let serial = if mode == MatrixOrder::Recovered {
            self.search.serial
        } else {
            0
        };
        let key = (model.generation, mode, serial);
        if let Some(c) = &self.order_cache
            && c.key == key
        {
            return (c.id, c.order.clone());
        }
        let order = match mode {
            MatrixOrder::Stored => (0..model.neurons).collect(),
            MatrixOrder::Truth => truth_order(&model.labels),
            MatrixOrder::Recovered => match self.selected_permutation() {
                Some(pi) if pi.len() == model.neurons => recovered_order(pi),
                _ => (0..model.neurons).collect(),
            },
        };
        self.order_counter += 1;
        let order = Arc::new(order);
        self.order_cache = Some(OrderCache {
            key,
            id: self.order_counter,
            order: order.clone(),
        });
        (self.order_counter, order)
    }

    // ----- layout -----

    fn menu_bar_ui(&mut self, ui: &mut egui::Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                ui.menu_button("New from preset", |ui| {
                    for p in presets::all() {
                        if ui.button(p.name).on_hover_text(p.description).clicked() {
                            self.queued
                                .push(AppAction::NewFromPreset(p.name.to_owned()));
                        }
                    }
                });
                if ui.button("Open…  (Ctrl+O)").clicked() {
                    self.queued.push(AppAction::Open);
                }
                ui.menu_button("Open recent", |ui| {
                    if self.files.recent.is_empty() {
                        ui.label("No recent files.");
                    }
                    for path in self.files.recent.clone() {
                        if ui.button(path.display().to_string()).clicked() {
                            self.queued.push(AppAction::OpenPath(path));
                        }
                    }
                });
                if ui.button("Save  (Ctrl+S)").clicked() {
                    self.queued.push(AppAction::Save);
                }
                if ui.button("Save As…  (Ctrl+Shift+S)").clicked() {
                    self.queued.push(AppAction::SaveAs);
                }
                ui.separator();
                if ui.button("Export weights (.npy)…").clicked() {
                    self.queued.push(AppAction::ExportNpy);
                }
                if ui.button("Export weights (.csv)…").clicked() {
                    self.queued.push(AppAction::ExportCsv);
                }
                if ui.button("Export heatmap (.png)…").clicked() {
                    self.queued.push(AppAction::ExportPng);
                }
                if ui.button("Export metrics (.csv)…").clicked() {
                    self.queued.push(AppAction::ExportMetrics);
                }
                ui.separator();
                let mut typed = !self.files.native_dialogs;
                ui.checkbox(&mut typed, "Type paths instead of native dialogs")
                    .on_hover_text(
                        "Use when the system file dialog cannot be shown (e.g. no desktop portal).",
                    );
                self.files.native_dialogs = !typed;
                ui.separator();
                if ui.button("Quit").clicked() {
                    self.queued.push(AppAction::Quit);
                }
            });
            ui.menu_button("Presets", |ui| {
                for p in presets::all() {
                    if ui.button(p.name).on_hover_text(p.description).clicked() {
                        self.queued
                            .push(AppAction::NewFromPreset(p.name.to_owned()));
                    }
                }
            });
            ui.menu_button("View", |ui| {
                for v in View::ALL {
                    if ui.selectable_label(self.view == v, v.name()).clicked() {
                        self.view = v;
                    }
                }
                ui.separator();
                if ui
                    .selectable_label(self.presentation, "Presentation mode  (F5)")
                    .clicked()
                {
                    self.queued.push(AppAction::TogglePresentation);
                }
                if ui.button("Full screen  (F11)").clicked() {
                    self.queued.push(AppAction::ToggleFullscreen);
                }
                egui::gui_zoom::zoom_menu_buttons(ui);
            });
            ui.menu_button("Help", |ui| {
                if ui.button("Keyboard shortcuts  (?)").clicked() {
                    self.queued.push(AppAction::ToggleHelp);
                }
                ui.label("Invariance Lab: Hebbian concurrence graphs and their symmetries.");
            });
        });
    }

    fn toolbar_ui(&mut self, ui: &mut egui::Ui) {
        let running = self.is_running();
        ui.horizontal_wrapped(|ui| {
            let run_label = if running { "Pause" } else { "Run" };
            if ui
                .button(RichText::new(run_label).strong())
                .on_hover_text("Run or pause the learning (Space).")
                .clicked()
            {
                self.queued.push(if running {
                    AppAction::Pause
                } else {
                    AppAction::Run
                });
            }
            if ui
                .button("Step")
                .on_hover_text("Present one batch of stimuli (Right arrow).")
                .clicked()
            {
                self.queued.push(AppAction::Step);
            }
            if ui
                .button("Reset")
                .on_hover_text("Back to step 0 with the initial weights (R).")
                .clicked()
            {
                self.queued.push(AppAction::Reset);
            }
            ui.separator();
            let l = ui
                .label("Speed")
                .on_hover_text("Steps per second; 'max' runs as fast as the machine allows.");
            let slider = ui
                .add_enabled(
                    !self.max_speed,
                    egui::Slider::new(&mut self.speed_steps_per_sec, 1.0..=2000.0)
                        .logarithmic(true)
                        .suffix(" steps/s"),
                )
                .labelled_by(l.id);
            let max = ui.checkbox(&mut self.max_speed, "max");
            if slider.changed() || max.changed() {
                let speed = if self.max_speed {
                    Speed::Unlimited
                } else {
                    Speed::Limited(self.speed_steps_per_sec)
                };
                self.worker.send(WorkerCommand::SetSpeed(speed));
            }
            ui.separator();
            let l = ui
                .label("Run to step")
                .on_hover_text("Run until the step counter reaches this value, then pause.");
            ui.add(egui::DragValue::new(&mut self.run_until).speed(10.0))
                .labelled_by(l.id);
            if ui
                .button("Go")
                .on_hover_text("Run until that step.")
                .clicked()
            {
                self.perform(AppAction::RunUntil(self.run_until));
            }
            ui.separator();
            if let Some(p) = &self.latest {
                let stimuli = p.snapshot.history.last().map_or(0, |r| r.stimuli);
                ui.label(
                    RichText::new(format!("step {}", p.snapshot.step))
                        .strong()
                        .monospace(),
                );
                ui.label(format!("· {stimuli} stimuli"));
                if let Some(r) = p.snapshot.history.last() {
                    ui.label(format!("· e_g = {:.4}", r.symmetry_error_true))
                        .on_hover_text("Current symmetry error of the true transformation.");
                }
                ui.label(format!("· {} neurons", p.model.neurons));
            }
        });
    }

    fn central_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            for v in View::ALL {
                let text =
                    RichText::new(v.name()).size(17.0 * if self.presentation { 1.4 } else { 1.0 });
                if ui.selectable_label(self.view == v, text).clicked() {
                    self.view = v;
                }
            }
        });
        ui.separator();
        let Some(p) = self.latest.clone() else {
            ui.centered_and_justified(|ui| ui.label("Starting the simulation…"));
            return;
        };
        let model = p.model.clone();
        let (_, order) = self.current_order(&model);
        // Without a hovered or clicked neuron, show the most active one.
        let most_active = p
            .snapshot
            .activity
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(i, _)| i);
        let neuron = self
            .heatmap
            .hovered
            .or(self.heatmap.selected)
            .or(most_active);
        let scx = StimulusContext {
            space: &model.config.space,
            snapshot_id: p.id,
            stimulus: &p.snapshot.stimulus,
            activity: &p.snapshot.activity,
            order: &order,
            fields: &model.fields,
            labels: &model.labels,
            neuron,
        };
        let hcx = HeatmapContext {
            labels: &model.labels,
            space: &model.config.space,
        };
        let has_recovered = self.selected_permutation().is_some();
        match self.view {
            View::Overview => {
                // The heatmap column is as wide as the height allows (a square matrix
                // plus its colour bar), up to 60 % of the width; the plots take the rest.
                let avail = ui.available_size();
                let spacing = ui.spacing().item_spacing.x;
                let left = (avail.y - 40.0 + 98.0)
                    .min(avail.x * 0.6)
                    .max(avail.x * 0.4);
                let right = (avail.x - left - spacing).max(100.0);
                let top_down = egui::Layout::top_down(egui::Align::Min);
                ui.horizontal_top(|ui| {
                    ui.allocate_ui_with_layout(egui::vec2(left, avail.y), top_down, |ui| {
                        ui.set_width(left);
                        self.heatmap
                            .settings_ui(ui, &mut self.order_mode, has_recovered);
                        self.heatmap.ui(ui, &hcx);
                    });
                    ui.allocate_ui_with_layout(egui::vec2(right, avail.y), top_down, |ui| {
                        ui.set_width(right);
                        let h = ui.available_height();
                        plots_panel::symmetry_error_ui(
                            ui,
                            &p.snapshot.history,
                            (h * 0.45).max(150.0),
                        );
                        ui.add_space(6.0);
                        let rest = (ui.available_height() * 0.5 - 30.0).max(90.0);
                        self.stimulus.stimulus_ui(ui, &scx, rest);
                        self.stimulus.activity_ui(ui, &scx, rest);
                    });
                });
            }
            View::Weights => {
                self.heatmap
                    .settings_ui(ui, &mut self.order_mode, has_recovered);
                self.heatmap.ui(ui, &hcx);
            }
            View::Learning => plots_panel::plots_ui(ui, &p.snapshot.history),
            View::Stimulus => {
                let h = (ui.available_height() / 2.0 - 40.0).max(120.0);
                ui.columns(2, |cols| {
                    self.stimulus.stimulus_ui(&mut cols[0], &scx, h);
                    self.stimulus.field_ui(&mut cols[1], &scx, h);
                });
                self.stimulus.activity_ui(ui, &scx, h);
            }
            View::Transformation => {
                let selected = self.selected_permutation().cloned();
                let acx = AnimationContext {
                    config: &model.config,
                    fields: &model.fields,
                    labels: &model.labels,
                    permutation: selected.as_ref(),
                    current_stimulus: Some(&p.snapshot.stimulus),
                };
                self.animation.ui(ui, &acx);
            }
        }
    }

    fn update_heatmap(&mut self) {
        let Some(p) = self.latest.clone() else { return };
        let n = p.model.neurons;
        let visible = matches!(self.view, View::Overview | View::Weights);
        if !visible && n > 512 && self.screenshot.is_none() && self.heatmap.displayed.is_some() {
            return;
        }
        let (order_id, order) = self.current_order(&p.model);
        self.heatmap
            .update(&self.ctx, p.id, &p.snapshot.weights, order_id, &order);
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
        let Some(p) = &self.latest else {
            self.ctx.request_repaint_after(Duration::from_millis(50));
            return;
        };
        let steps_done = self
            .startup
            .steps
            .is_none_or(|s| p.snapshot.step >= s && !p.running);
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
        if let Some(path) = dropped.into_iter().next() {
            self.queued.push(AppAction::OpenPath(path));
        }
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
                    if let Some(ParamsAction::Apply(config)) = self.params.ui(ui, config.as_ref()) {
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
                let can_start = self.latest.is_some();
                let space = self.latest.as_ref().map(|p| p.model.config.space);
                let neurons = self.latest.as_ref().map(|p| p.model.neurons);
                for action in self.search.ui(ui, can_start, space.as_ref(), neurons) {
                    self.handle_search(action);
                }
            });
        egui::CentralPanel::default().show(ui, |ui| self.central_ui(ui));

        self.unsaved_prompt_ui();
        let chosen = self.files.typed_dialog_ui(&ctx);
        if let Some((purpose, path)) = chosen.or_else(|| self.files.take_picked()) {
            match purpose {
                FilePurpose::Open => self.files.start_load(path),
                FilePurpose::SaveAs => self.save_to(path),
                other => self.export_to(other, path),
            }
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
