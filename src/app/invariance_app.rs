//! The eframe app: it owns the state, the panels, the background jobs and the handle on
//! the simulation thread, and coordinates one frame — take in what arrived, lay the
//! panels out around the central view (each reads the state and returns actions),
//! carry the actions out ([`crate::app::execute`]), refresh the heatmap, take a
//! requested screenshot. Tests, the CLI and the benchmark read it through the
//! accessors at the end.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::ViewportCommand;

use crate::app::actions::AppAction;
use crate::app::context::PanelContext;
use crate::app::dialogs::Dialogs;
use crate::app::execute::{Executor, Session};
use crate::app::panels::Panels;
use crate::app::panels::params::ParamsAction;
use crate::app::panels::shortcuts::{help_overlay_ui, read_shortcuts};
use crate::app::panels::status_bar::status_bar_ui;
use crate::app::screenshot::{ScreenshotOutcome, ScreenshotPlan};
use crate::app::settings;
use crate::app::views::heatmap::{MAX_TEXTURE_SIDE, RenderedHeatmap};
use crate::app::views::presentation::apply_text_sizes;
use crate::app::views::theme::apply_theme;
use crate::model::learning::overview::ViewRequest;
use crate::perm::Permutation;
use crate::report::outcome::SearchOutcome;
use crate::report::rows::FoundPermutation;
use crate::session::jobs::Jobs;
use crate::session::settings::{LoadedSettings, Settings};
use crate::session::start_options::StartOptions;
use crate::session::start_options::Startup;
use crate::session::state::AppState;
use crate::session::state::look::ThemeChoice;
use crate::session::state::search::Pick;
use crate::session::state::source::{AppSource, ImportedSource, Shown};
use crate::session::state::status::StatusKind;
use crate::session::state::tour::Tour;
use crate::session::view::View;
use crate::session::worker::{Published, WorkerCommand, WorkerHandle};

/// How often the running worker publishes a snapshot. The worker stops stepping when one
/// is due, so the cadence is this plus at most one step (~9 ms at M = 2048): the heatmap
/// refreshes more than 10 times a second.
const PUBLISH_INTERVAL: Duration = Duration::from_millis(80);

/// The application.
pub struct InvarianceApp {
    ctx: egui::Context,
    state: AppState,
    panels: Panels,
    jobs: Jobs,
    dialogs: Dialogs,
    worker: WorkerHandle,
    session: Session,
    screenshot: Option<ScreenshotPlan>,
    /// Whether [`eframe::App::save`] writes the settings (off for screenshots and tests).
    remember_settings: bool,
    /// Actions asked for outside a frame (tests, the CLI), carried out in the next one.
    queued: Vec<AppAction>,
    frame_ms: f64,
    last_frame: Option<Instant>,
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
        let worker = WorkerHandle::spawn(Some(crate::app::waker(&ctx)), PUBLISH_INTERVAL)
            .map_err(|e| anyhow::anyhow!("could not start the simulation thread: {e}"))?;
        let mut app = Self {
            ctx: ctx.clone(),
            state: AppState::default(),
            panels: Panels::new(Some(ctx.clone()), options.inspect),
            jobs: Jobs::new(Some(crate::app::waker(&ctx))),
            dialogs: Dialogs::new(options.native_dialogs),
            worker,
            session: Session {
                startup: Startup::new(&options),
                allow_close: options.screenshot.is_some(),
                imports: 0,
                prompt: None,
                after_save: None,
                sent_view: None,
                pending_export: None,
            },
            screenshot: options.screenshot.clone().map(ScreenshotPlan::new),
            remember_settings: options.remember_settings,
            queued: Vec::new(),
            frame_ms: 0.0,
            last_frame: None,
        };
        app.state.view = options.view.unwrap_or_default();
        if let Some(loaded) = stored {
            let zoom = settings::restore(loaded, &options, &mut app.state, &mut app.panels);
            ctx.set_zoom_factor(zoom);
        }
        let look = &mut app.state.look;
        if let Some(theme) = options.theme {
            look.theme = theme;
        }
        look.presentation |= options.presentation;
        apply_text_sizes(&ctx, look.presentation);
        apply_theme(&ctx, look.theme, look.presentation);
        if let Some(secs) = options.search_time_secs {
            app.state.search.settings.time_limit_secs = secs;
        }
        if let Some(order) = options.order
            && order != crate::figure::order::MatrixOrder::Recovered
        {
            app.state.order.mode = order;
        }
        let mut start: Vec<AppAction> = options
            .compare
            .into_iter()
            .map(AppAction::AddRunsFrom)
            .collect();
        start.push(if let Some(step) = options.tour_step {
            AppAction::StartTourAt(step)
        } else if let Some(file) = options.file {
            AppAction::OpenPath(file)
        } else {
            AppAction::NewFromPreset(options.preset.unwrap_or_else(|| "ring-shift".to_owned()))
        });
        for action in start {
            app.executor().execute(action);
        }
        // Last, so the start's own messages (the preset's description) do not hide them.
        if let Some(note) = app.state.notices.settings_note.clone() {
            app.state.status.error(note);
        } else if options.settings_were_reset {
            app.state.status.info("Settings reset to the defaults.");
        }
        Ok(app)
    }

    /// The executor over this app's parts.
    fn executor(&mut self) -> Executor<'_> {
        Executor {
            state: &mut self.state,
            panels: &mut self.panels,
            jobs: &mut self.jobs,
            dialogs: &mut self.dialogs,
            worker: &self.worker,
            session: &mut self.session,
            ctx: &self.ctx,
        }
    }

    /// Lays out the panels around the central view; returns the actions they asked for.
    fn panels_ui(&mut self, ui: &mut egui::Ui) -> Vec<AppAction> {
        let ctx = ui.ctx().clone();
        let order = match self.state.shown() {
            Some(s) => self.state.current_order(s.key, s.neurons(), &s.labels),
            None => (0, Arc::new(Vec::new())),
        };
        let Self {
            state,
            panels,
            jobs,
            dialogs,
            session,
            ..
        } = self;
        let cx = PanelContext {
            state,
            shown: state.shown(),
            order,
            search: jobs.search.as_ref(),
            files_pending: jobs.pending(),
            native_dialogs: dialogs.native,
            prompt_open: session.prompt.is_some(),
            frame_ms: self.frame_ms,
        };
        let mut actions = Vec::new();
        egui::Panel::top("menu-and-toolbar").show(ui, |ui| {
            actions.extend(panels.top_bar.ui(ui, &cx));
            actions.extend(panels.notices.ui(ui, &cx));
        });
        egui::Panel::bottom("status-bar").show(ui, |ui| {
            status_bar_ui(ui, &state.status, state.latest.as_deref(), cx.frame_ms)
        });
        if state.tour.is_some() {
            egui::Panel::bottom("tour-caption").show(ui, |ui| {
                actions.extend(panels.tour.ui(ui, &cx));
            });
        }
        if !state.look.presentation {
            let config = state.latest.as_ref().map(|p| p.model.config.clone());
            let shown = egui::Panel::left("parameters")
                .resizable(true)
                .default_size(panels.widths.left.unwrap_or(360.0))
                .show(ui, |ui| {
                    if cx.imported() {
                        actions.extend(panels.facts.ui(ui, &cx));
                    } else if let Some(ParamsAction::Apply(config)) =
                        panels.params.ui(ui, config.as_ref())
                    {
                        actions.push(AppAction::Configure(config));
                    }
                });
            panels.widths.left = Some(shown.response.rect.width());
        }
        let shown = egui::Panel::right("search")
            .resizable(true)
            .default_size(panels.widths.right.unwrap_or(420.0))
            // Presentation text is 40 % larger; so may the panel be, or its widest
            // lines are cut off at the left.
            .max_size(560.0 * cx.scale())
            .show(ui, |ui| actions.extend(panels.search.ui(ui, &cx)));
        panels.widths.right = Some(shown.response.rect.width());
        egui::CentralPanel::default().show(ui, |ui| actions.extend(panels.central.ui(ui, &cx)));
        actions.extend(panels.inspect.window_ui(&ctx, &cx));
        actions.extend(panels.unsaved.ui(&ctx, &cx));
        actions.extend(panels.file_dialog.ui(&ctx));
        help_overlay_ui(&ctx, &mut panels.help_open);
        actions
    }

    /// Refreshes the heatmap's texture for the graph on screen in the current order
    /// (only when visible, for large graphs, unless a screenshot waits for it).
    fn update_heatmap(&mut self) {
        let Some(p) = self.state.shown() else { return };
        let n = p.neurons();
        let heatmap = &mut self.panels.central.heatmap;
        let visible = matches!(self.state.view, View::Overview | View::Weights);
        if !visible && n > 512 && self.screenshot.is_none() && heatmap.displayed.is_some() {
            return;
        }
        let (order_id, order) = self.state.current_order(p.key, n, &p.labels);
        let summary = p.snapshot.summary.clone();
        if summary.is_some() {
            // A matrix too large to copy: the simulation sums it for the heatmap in its
            // order, and copies the window of exact cells and the inspected row asked for.
            let view = ViewRequest {
                order: order.clone(),
                order_id,
                max_side: MAX_TEXTURE_SIDE,
                viewport: self.panels.central.heatmap.wanted_viewport(n),
                row: self.panels.inspect.neuron.filter(|&i| i < n),
            };
            if self.session.sent_view.as_ref() != Some(&view) {
                self.worker.send(WorkerCommand::SetView(Some(view.clone())));
                self.session.sent_view = Some(view);
            }
        }
        self.panels.central.heatmap.update(
            &self.ctx,
            p.id,
            &p.snapshot.weights,
            order_id,
            &order,
            summary.as_ref(),
        );
    }

    /// Whether everything a requested screenshot waits for is done (None while nothing
    /// is shown yet).
    fn ready_for_screenshot(&self) -> Option<bool> {
        let steps_done = match (&self.state.source, &self.state.latest) {
            (AppSource::Imported(_), _) => true,
            (AppSource::Simulation, Some(p)) => self.session.startup.steps_reached(p),
            (AppSource::Simulation, None) => return None,
        };
        let central = &self.panels.central;
        let heatmap_ready = !matches!(self.state.view, View::Overview | View::Weights)
            || central.heatmap.is_current();
        Some(
            steps_done
                // A search (or an export) waiting for a copy of a large W is under way too.
                && self.session.startup.search_finished(
                    self.jobs.search.is_some() || self.state.search.pending.is_some(),
                )
                && self.session.pending_export.is_none()
                && heatmap_ready
                // The transformation view computes its orbit in the background.
                && !central.animation.is_computing()
                // So do the field gallery's measures.
                && (self.state.view != View::Stimulus || !central.stimulus.gallery.is_computing())
                && self.state.tour.as_ref().is_none_or(Tour::reached)
                && !central.compare.export_pending()
                && self.jobs.pending() == 0,
        )
    }
}

impl eframe::App for InvarianceApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let now = Instant::now();
        let ctx = ui.ctx().clone();
        let look = self.state.look;
        apply_theme(&ctx, look.theme, look.presentation);
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        let mut actions = std::mem::take(&mut self.queued);
        {
            let mut x = self.executor();
            x.poll();
            x.drive();
            actions.extend(x.dropped(dropped));
        }
        actions.extend(read_shortcuts(&ctx, self.state.tour.is_some()));
        let closing = ctx.input(|i| i.viewport().close_requested());
        if closing && !self.session.allow_close && self.state.is_dirty() {
            ctx.send_viewport_cmd(ViewportCommand::CancelClose);
            self.session.prompt = Some(AppAction::Quit);
        }
        actions.extend(self.panels_ui(ui));
        let mut x = self.executor();
        for action in actions {
            x.handle(action);
        }
        // After the actions, so a changed order or colour map is requested in this frame.
        self.update_heatmap();
        if self.screenshot.is_some() {
            let ready = self.ready_for_screenshot();
            if let Some(plan) = &mut self.screenshot {
                plan.tick(&ctx, ready);
            }
        }
        if self.jobs.search.is_some() {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        if self.jobs.pending() > 0 || self.dialogs.native_open {
            ctx.request_repaint_after(Duration::from_millis(50));
        }
        let ms = now.elapsed().as_secs_f64() * 1e3;
        self.frame_ms = match self.last_frame {
            Some(_) => 0.9 * self.frame_ms + 0.1 * ms,
            None => ms,
        };
        self.last_frame = Some(now);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if self.remember_settings {
            self.current_settings().save(storage);
        }
    }

    /// The settings hold everything worth keeping; egui's memory (open menus, scroll
    /// positions) would only make a start depend on the last session's leftovers.
    fn persist_egui_memory(&self) -> bool {
        false
    }
}

/// What tests, the CLI and the benchmark may ask the app: read-only views of its state,
/// and acting as a user would.
impl InvarianceApp {
    /// The app's state.
    pub fn app_state(&self) -> &AppState {
        &self.state
    }

    /// The app's state, to change it as a test would (a user changes it through
    /// actions).
    pub fn app_state_mut(&mut self) -> &mut AppState {
        &mut self.state
    }

    /// The panels' own state.
    pub fn panels(&self) -> &Panels {
        &self.panels
    }

    /// The panels' own state, to change it as a test would.
    pub fn panels_mut(&mut self) -> &mut Panels {
        &mut self.panels
    }

    /// The newest publication of the worker.
    pub fn published(&self) -> Option<Arc<Published>> {
        self.state.latest.clone()
    }

    /// Step counter as last published.
    pub fn step_count(&self) -> Option<u64> {
        self.state.step_count()
    }

    /// Whether the worker reported that it is stepping.
    pub fn is_running(&self) -> bool {
        self.state.is_running()
    }

    /// Generation of the simulation shown.
    pub fn generation(&self) -> u64 {
        self.state.document.generation
    }

    /// The data behind the heatmap texture.
    pub fn displayed_heatmap(&self) -> Option<Arc<RenderedHeatmap>> {
        self.panels.central.heatmap.displayed.clone()
    }

    /// Whether the heatmap shows the newest snapshot in the chosen order.
    pub fn heatmap_is_current(&self) -> bool {
        self.panels.central.heatmap.is_current()
    }

    /// The status message and its kind.
    pub fn status(&self) -> (&str, StatusKind) {
        (&self.state.status.text, self.state.status.kind)
    }

    /// Whether the open experiment has changes that were not saved.
    pub fn is_dirty(&self) -> bool {
        self.state.is_dirty()
    }

    /// Whether file work (open, save, export) is still under way.
    pub fn file_work_pending(&self) -> bool {
        self.jobs.pending() > 0
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

    /// What the app shows: the simulation or an imported matrix.
    pub fn source(&self) -> &AppSource {
        &self.state.source
    }

    /// The imported matrix, when one is shown.
    pub fn imported(&self) -> Option<&ImportedSource> {
        self.state.imported()
    }

    /// The graph every view reads: the imported matrix, or the newest snapshot.
    pub fn shown(&self) -> Option<Shown> {
        self.state.shown()
    }

    /// Rows of the results table.
    pub fn search_results(&self) -> &[FoundPermutation] {
        self.state
            .search
            .outcome
            .as_ref()
            .map_or(&[], |o| o.results.as_slice())
    }

    /// Whether a search is running.
    pub fn search_running(&self) -> bool {
        // A search waiting for a copy of a large `W` counts as running.
        self.jobs.search.is_some() || self.state.search.pending.is_some()
    }

    /// Selects a result row (as clicking it does): the heatmap switches to the recovered order.
    pub fn select_result(&mut self, row: usize) {
        self.select(Pick::Result(row));
    }

    /// Selects anything the panel offers (a generator link, an element, a row), as
    /// clicking it does.
    pub fn select(&mut self, pick: Pick) {
        let permutation = match pick {
            Pick::Element(k) => self
                .panels
                .search
                .elements
                .elements()
                .get(k)
                .map(|e| e.permutation.clone()),
            _ => None,
        };
        self.executor()
            .execute(AppAction::Select(pick, permutation));
    }

    /// The selected permutation: what the heatmap is ordered by and the Transformation
    /// view animates.
    pub fn selected_permutation(&self) -> Option<&Permutation> {
        self.state.selected_permutation()
    }

    /// Shows a finished search as if it had just arrived from the search thread (for
    /// outcomes computed elsewhere, and for tests of the panel).
    pub fn show_search_outcome(&mut self, outcome: SearchOutcome, step: u64) {
        self.state.search.outcome_step = step;
        self.executor().on_search_outcome(outcome);
    }

    /// Saves the experiment to `path` (the function Save As uses after its dialog).
    pub fn save_to(&mut self, path: PathBuf) {
        self.executor().execute(AppAction::SaveTo(path));
    }

    /// Opens an experiment file, or a matrix (`.npy`, `.csv`, `.tsv`, `.txt`) as an
    /// imported graph; asks about unsaved changes first.
    pub fn open_path(&mut self, path: PathBuf) {
        self.executor().handle(AppAction::OpenPath(path));
    }

    /// Reads node names for the imported matrix from `path`.
    pub fn load_node_labels(&mut self, path: PathBuf) {
        self.executor().execute(AppAction::LoadNodeLabelsFrom(path));
    }

    /// Adds the runs in `path` (an experiment file or a sweep CSV) to the comparison.
    pub fn add_runs(&mut self, path: PathBuf) {
        self.executor().execute(AppAction::AddRunsFrom(path));
    }

    /// Trains the current world on the WAV files or photos in `dir`.
    pub fn use_data_folder(&mut self, dir: PathBuf) {
        self.executor().execute(AppAction::UseDataFolderAt(dir));
    }

    /// Starts the tour at `step` (0-based, clamped to the last step).
    pub fn start_tour(&mut self, step: usize) {
        self.executor().execute(AppAction::StartTourAt(step));
    }

    /// The running tour, if any.
    pub fn tour(&self) -> Option<&Tour> {
        self.state.tour.as_ref()
    }

    /// The settings as they are now.
    pub fn current_settings(&self) -> Settings {
        settings::collect(&self.state, &self.panels, self.ctx.zoom_factor())
    }

    /// The theme the user chose (presentation mode may show light instead).
    pub fn theme_choice(&self) -> ThemeChoice {
        self.state.look.theme
    }

    /// Chooses a theme, as View → Theme does.
    pub fn set_theme_choice(&mut self, choice: ThemeChoice) {
        self.executor().execute(AppAction::SetTheme(choice));
    }

    /// The last experiment offered for reopening, if the offer stands.
    pub fn reopen_offer(&self) -> Option<&PathBuf> {
        self.state.notices.reopen_offer.as_ref()
    }

    /// Why the remembered settings were (partly) ignored at start, until dismissed.
    pub fn settings_note(&self) -> Option<&str> {
        self.state.notices.settings_note.as_deref()
    }

    /// The pinned cell whose history the inspector shows.
    pub fn inspected_pin(&self) -> Option<(usize, usize)> {
        self.panels.inspect.inspected_pin()
    }

    /// The neuron the inspector shows, and its row of `W` as drawn (display position,
    /// weight) in the heatmap's order.
    pub fn inspected_row(&self) -> Option<(usize, Vec<[f64; 2]>)> {
        self.panels.inspect.inspected_row()
    }
}
