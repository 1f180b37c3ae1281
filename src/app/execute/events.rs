//! What arrives between frames: the simulation thread's publications and events,
//! finished background jobs, files dropped on the window.

use std::path::PathBuf;
use std::sync::Arc;

use super::Executor;
use crate::app::actions::AppAction;
use crate::figure::order::MatrixOrder;
use crate::io::imported::{ImportedGraph, NodeNames};
use crate::io::source::is_matrix_path;
use crate::report::group_text::screen_name;
use crate::report::outcome::SearchOutcome;
use crate::session::jobs::{JobEvent, files, spawn_named};
use crate::session::state::source::{AppSource, IMPORTED_KEY_BIT, ImportedSource};
use crate::session::view::View;
use crate::session::worker::{Published, WorkerCommand, WorkerEvent};

/// The preset the app falls back to when the file it started on is refused.
pub const FALLBACK_PRESET: &str = "ring-shift";

impl Executor<'_> {
    /// Takes in everything that arrived since the last frame.
    pub fn poll(&mut self) {
        for event in self.worker.drain_events() {
            match event {
                WorkerEvent::ConfigRejected(msg) => {
                    self.state.status.error(format!("Settings rejected: {msg}"))
                }
                WorkerEvent::PinRejected(msg) => {
                    self.state.status.error(format!("Not pinned: {msg}"))
                }
                WorkerEvent::Replaced { .. } => {}
            }
        }
        if let Some(p) = self.worker.latest() {
            let new_generation = p.model.generation != self.state.document.generation;
            self.state.latest = Some(p.clone());
            if new_generation {
                self.state.search.pending = None;
                self.session.pending_export = None;
                self.on_new_generation(&p);
            }
            // The copy a waiting search asked for has arrived.
            if self.state.search.pending.is_some()
                && p.snapshot.weights.summary().is_none()
                && let Some(settings) = self.state.search.pending.take()
            {
                self.start_search(settings);
            }
            if p.snapshot.weights.summary().is_none()
                && let Some((purpose, path)) = self.session.pending_export.take()
            {
                self.export_to(purpose, path);
            }
        }
        for event in self.jobs.drain() {
            self.on_job_event(event);
        }
        if let Some(shot) = self.panels.central.compare.poll_export(self.ctx) {
            let done = self.jobs.sender();
            shot.capture(self.ctx, move |path, image| {
                // The write must not hold up the frame that delivered the screenshot.
                let _ = spawn_named("export-figure", move || {
                    let image = image
                        .map_err(anyhow::Error::msg)
                        .and_then(|image| crate::app::rgba_image(&image));
                    done.send(files::write_capture(path, image))
                });
            });
        }
    }

    /// Files dropped on the window: in the learning-curve view experiments and sweep
    /// CSVs are added to the comparison; anywhere else the first file is opened (an
    /// experiment, or a matrix as an imported graph).
    pub fn dropped(&mut self, dropped: Vec<PathBuf>) -> Vec<AppAction> {
        if self.state.view == View::Learning {
            let (runs, others): (Vec<PathBuf>, Vec<PathBuf>) = dropped.into_iter().partition(|p| {
                !is_matrix_path(p) || p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"))
            });
            let mut actions: Vec<AppAction> =
                runs.into_iter().map(AppAction::AddRunsFrom).collect();
            actions.extend(others.into_iter().next().map(AppAction::OpenPath));
            actions
        } else {
            dropped
                .into_iter()
                .take(1)
                .map(AppAction::OpenPath)
                .collect()
        }
    }

    /// A preset or an experiment replaced whatever was shown, an imported matrix too.
    fn on_new_generation(&mut self, p: &Published) {
        self.state.source = AppSource::Simulation;
        self.state.document.generation = p.model.generation;
        self.state.document.clean = Some((
            p.model.generation,
            p.snapshot.step,
            p.snapshot.pins.cell_list(),
        ));
        self.forget_graph();
        if self.state.order.mode == MatrixOrder::Recovered {
            self.state.order.mode = MatrixOrder::Stored;
        }
        self.session.startup.note_generation(p.model.generation);
    }

    /// Forgets everything that belonged to the graph that was replaced: the search, the
    /// order, hover and selection, the parameter draft, the inspector.
    fn forget_graph(&mut self) {
        if let Some(t) = &mut self.jobs.search {
            t.cancel();
        }
        self.jobs.search = None;
        self.state.search.clear();
        self.state.order.invalidate();
        self.panels.central.clear();
        self.panels.params.draft = None;
        self.panels.inspect.clear();
    }

    fn on_job_event(&mut self, event: JobEvent) {
        match event {
            JobEvent::Saved {
                path,
                generation,
                step,
                pinned,
            } => {
                self.state
                    .status
                    .info(format!("Saved {} (step {step}).", path.display()));
                self.state.document.remember(&path);
                self.state.document.current_path = Some(path);
                if generation == self.state.document.generation {
                    self.state.document.clean = Some((generation, step, pinned));
                }
                if let Some(next) = self.session.after_save.take() {
                    self.execute(next);
                }
            }
            JobEvent::Loaded { path, sim } => {
                self.state.status.info(format!(
                    "Opened {} (step {}).",
                    path.display(),
                    sim.step_count()
                ));
                self.state.document.remember(&path);
                self.state.document.current_path = Some(path);
                self.worker.send(WorkerCommand::Load(sim));
            }
            JobEvent::Imported(graph) => self.on_imported(*graph),
            JobEvent::NamesLoaded { names, key } => self.on_names_loaded(names, key),
            JobEvent::RunsLoaded { path, runs } => {
                let n = runs.len();
                self.panels.central.compare.add(runs);
                self.state.status.info(format!(
                    "Added {n} run{} from {} to the learning curves.",
                    if n == 1 { "" } else { "s" },
                    path.display()
                ));
            }
            JobEvent::Exported(path) => self
                .state
                .status
                .info(format!("Exported {}.", path.display())),
            JobEvent::DataFolder(config, skipped) => {
                let dir = config
                    .stimulus
                    .data_dir
                    .as_ref()
                    .map(|d| d.display().to_string())
                    .unwrap_or_default();
                self.worker.send(WorkerCommand::Configure(Box::new(config)));
                self.state.document.current_path = None;
                let note = match skipped.len() {
                    0 => String::new(),
                    n => format!(" {n} file(s) skipped: {}.", skipped.join("; ")),
                };
                self.state.status.info(format!(
                    "Training on {dir} from step 0.{note} Press Run (Space)."
                ));
            }
            JobEvent::Picked(picked) => match self.dialogs.answered(picked) {
                Ok(chosen) => {
                    for (purpose, path) in chosen {
                        self.execute(AppAction::PathChosen(purpose, path));
                    }
                }
                Err(purpose) => self.ask_path(purpose),
            },
            JobEvent::Searched(outcome) => {
                self.jobs.search = None;
                match *outcome {
                    Ok(outcome) => self.on_search_outcome(outcome),
                    Err(e) => self.state.status.error(format!("Search failed: {e}")),
                }
            }
            JobEvent::Failed(msg) => {
                self.session.after_save = None;
                self.state.status.error(msg);
            }
            JobEvent::OpenFailed(msg) => self.on_open_failed(msg),
        }
    }

    /// A file could not be opened: the error stays on screen and the view stays usable —
    /// the experiment that was open stays open; with nothing open yet (the file the app
    /// started on), the start preset is loaded instead, so the app never waits for a
    /// model that will not come ("Starting the simulation…") and a `--screenshot` run
    /// still saves and exits.
    fn on_open_failed(&mut self, message: String) {
        self.session.after_save = None;
        let nothing_shown =
            self.state.latest.is_none() && matches!(self.state.source, AppSource::Simulation);
        let startup = &mut self.session.startup;
        if !nothing_shown || startup.fallback_started {
            self.state.status.error(message);
            return;
        }
        startup.fallback_started = true;
        let preset = startup
            .fallback_preset
            .clone()
            .unwrap_or_else(|| FALLBACK_PRESET.to_owned());
        self.execute(AppAction::NewFromPreset(preset.clone()));
        // The preset's own message would hide the error: the error is what matters.
        self.state
            .status
            .error(format!("{message} — showing the preset {preset} instead."));
    }

    /// Shows a freshly loaded matrix in place of the simulation (which pauses behind it).
    fn on_imported(&mut self, graph: ImportedGraph) {
        self.worker.send(WorkerCommand::Pause);
        self.session.imports += 1;
        let key = IMPORTED_KEY_BIT | self.session.imports;
        let f = &graph.facts;
        self.state.status.info(format!(
            "Opened the matrix {} ({} × {}, {}). Search it from the panel on the right.",
            graph.path.display(),
            f.nodes,
            f.nodes,
            if f.symmetric { "symmetric" } else { "directed" }
        ));
        self.state.document.remember(&graph.path);
        self.state.document.current_path = None;
        self.forget_graph();
        self.state.order.mode = MatrixOrder::Stored;
        self.state.source = AppSource::Imported(ImportedSource {
            graph: Arc::new(graph),
            names: None,
            key,
        });
        if let Some(labels) = self.session.startup.labels.take() {
            self.execute(AppAction::LoadNodeLabelsFrom(labels));
        }
    }

    fn on_names_loaded(&mut self, names: NodeNames, key: u64) {
        match &mut self.state.source {
            AppSource::Imported(i) if i.key == key => {
                self.state.status.info(format!(
                    "Named the {} nodes from {}.",
                    names.names.len(),
                    names.path.display()
                ));
                i.names = Some(names);
            }
            _ => self
                .state
                .status
                .error("The labels arrived after their matrix was closed; load them again."),
        }
    }

    /// Shows a finished search (as it arrives from the search thread, or computed
    /// elsewhere).
    pub fn on_search_outcome(&mut self, outcome: SearchOutcome) {
        let n = outcome.results.len();
        let best = outcome.results.first().map(|r| r.error);
        let group = outcome
            .group
            .summary
            .name
            .clone()
            .filter(|_| !outcome.group.generators.is_empty());
        self.state.search.set_outcome(outcome);
        match (group, best) {
            (Some(name), _) => self.state.status.info(format!(
                "Search found the group {} ({n} candidate permutations).",
                screen_name(&name)
            )),
            (None, Some(b)) => self.state.status.info(format!(
                "Search found {n} permutations but no symmetry; best error {b:.4}."
            )),
            (None, None) => self.state.status.info("Search found no permutation."),
        }
        let startup = &mut self.session.startup;
        if self.state.search.selected().is_some() && startup.order == Some(MatrixOrder::Recovered) {
            self.state.order.mode = MatrixOrder::Recovered;
        }
        if let Some(name) = startup.select_match.take() {
            let space = self.state.shown().and_then(|s| s.space);
            match self.state.search.pick_recovering(&name, space.as_ref()) {
                Some(pick) => self.execute(AppAction::Select(pick, None)),
                None => self
                    .state
                    .status
                    .error(format!("No search result recovers \"{name}\".")),
            }
        }
    }
}
