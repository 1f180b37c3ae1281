//! The file flow of the app: saving and opening experiments, opening matrices, node
//! names and runs to compare, exports — and what the app does when the work finishes on
//! its helper thread. Kept apart from `app_state` so file handling can grow without
//! growing the app's coordination code.

use std::path::PathBuf;

use super::actions::AppAction;
use super::app_state::InvarianceApp;
use super::files::{FileEvent, FilePurpose};
use super::imported::AppSource;
use super::worker::WorkerCommand;

impl InvarianceApp {
    /// Saves the experiment to `path` (the function Save As uses after its dialog).
    pub fn save_to(&mut self, path: PathBuf) {
        if matches!(self.source, AppSource::Imported(_)) {
            self.status.error(
                "An imported matrix is not an experiment: use File → Export weights to save it.",
            );
            return;
        }
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

    /// Opens an experiment file, or a matrix (`.npy`, `.csv`, `.tsv`, `.txt`) as an
    /// imported graph — the function Open, drag-and-drop and `gui FILE` use; asks about
    /// unsaved changes first.
    pub fn open_path(&mut self, path: PathBuf) {
        self.handle(AppAction::OpenPath(path));
    }

    /// Reads node names for the imported matrix from `path` (the function File → Load
    /// node labels uses after its dialog).
    pub fn load_node_labels(&mut self, path: PathBuf) {
        match &self.source {
            AppSource::Imported(i) => {
                let (nodes, key) = (i.graph.facts.nodes, i.key);
                self.files.start_names_load(path, nodes, key);
            }
            AppSource::Simulation => self
                .status
                .error("Node labels name the nodes of an imported matrix; open a matrix first."),
        }
    }

    /// Adds the runs in `path` (an experiment file or a sweep CSV) to the learning-curve
    /// comparison (the function the view's Add runs button uses after its dialog).
    pub fn add_runs(&mut self, path: PathBuf) {
        self.files.start_runs_load(path);
    }

    /// Acts on a path chosen in a dialog (native or typed).
    pub(super) fn on_path_chosen(&mut self, purpose: FilePurpose, path: PathBuf) {
        match purpose {
            FilePurpose::Open => self.files.start_load(path),
            FilePurpose::SaveAs => self.save_to(path),
            FilePurpose::NodeLabels => self.load_node_labels(path),
            FilePurpose::AddRuns => self.add_runs(path),
            FilePurpose::DataFolder => self.use_data_folder(path),
            FilePurpose::ExportFigure => self.compare.request_export(path),
            FilePurpose::Figure(kind, _) => self.export_figure_to(kind, path),
            other => self.export_to(other, path),
        }
    }

    pub(super) fn on_file_event(&mut self, event: FileEvent) {
        match event {
            FileEvent::Saved {
                path,
                generation,
                step,
                pinned,
            } => {
                self.status
                    .info(format!("Saved {} (step {step}).", path.display()));
                self.files.remember(&path);
                self.files.current_path = Some(path);
                if generation == self.generation_seen {
                    self.clean = Some((generation, step, pinned));
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
            FileEvent::Imported { graph } => self.on_imported(*graph),
            FileEvent::NamesLoaded { names, key } => self.on_names_loaded(names, key),
            FileEvent::RunsLoaded { path, runs } => {
                let n = runs.len();
                self.compare.add(runs);
                self.status.info(format!(
                    "Added {n} run{} from {} to the learning curves.",
                    if n == 1 { "" } else { "s" },
                    path.display()
                ));
            }
            FileEvent::Exported { path } => {
                self.status.info(format!("Exported {}.", path.display()))
            }
            FileEvent::Failed(msg) => {
                self.after_save = None;
                self.status.error(msg);
            }
            FileEvent::OpenFailed(msg) => self.on_open_failed(msg),
        }
    }

    pub(super) fn export(&mut self, purpose: FilePurpose) {
        if purpose == FilePurpose::ExportMetrics && matches!(self.source, AppSource::Imported(_)) {
            self.status
                .error("An imported matrix has no learning history to export.");
            return;
        }
        if let Some(path) = self.files.ask_path(purpose) {
            self.on_path_chosen(purpose, path);
        }
    }

    fn export_to(&mut self, purpose: FilePurpose, path: PathBuf) {
        let Some(shown) = self.shown() else {
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
            .start_export(purpose, path, shown.snapshot, image);
    }
}
