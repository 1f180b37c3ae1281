//! File actions: opening and saving experiments, opening matrices, node names, runs to
//! compare and data folders, exports and figures. The work itself runs as background
//! jobs ([`crate::session::jobs::files`]); its outcome arrives in [`super::events`].

use std::path::PathBuf;

use super::Executor;
use crate::app::actions::AppAction;
use crate::model::StimulusKind;
use crate::session::file_purpose::FilePurpose;
use crate::session::jobs::files;
use crate::session::worker::WorkerCommand;

impl Executor<'_> {
    /// Carries out a file action (every action [`Executor::execute`] does not match
    /// itself).
    pub(super) fn execute_file(&mut self, action: AppAction) {
        match action {
            AppAction::Open => self.ask_path(FilePurpose::Open),
            AppAction::OpenPath(path) => self.jobs.run("open-file", move || files::open(path)),
            AppAction::Save => match self.state.document.current_path.clone() {
                Some(path) => self.save_to(path),
                None => self.ask_path(FilePurpose::SaveAs),
            },
            AppAction::SaveAs => self.ask_path(FilePurpose::SaveAs),
            AppAction::SaveTo(path) => self.save_to(path),
            AppAction::ExportNpy => self.export(FilePurpose::ExportNpy),
            AppAction::ExportCsv => self.export(FilePurpose::ExportCsv),
            AppAction::ExportPng => self.export(FilePurpose::ExportPng),
            AppAction::ExportMetrics => self.export(FilePurpose::ExportMetrics),
            AppAction::ExportFigure => self.export(FilePurpose::ExportFigure),
            AppAction::ExportFigureAs(kind, format) => {
                if kind.needs_simulation() && self.state.imported().is_some() {
                    self.state.status.error(format!(
                        "An imported matrix has no {}: only its heatmap exports as a figure.",
                        kind.name()
                    ));
                } else {
                    self.ask_path(FilePurpose::Figure(kind, format));
                }
            }
            AppAction::LoadNodeLabels => {
                if self.state.imported().is_none() {
                    self.load_node_labels(PathBuf::new()); // says why not
                } else {
                    self.ask_path(FilePurpose::NodeLabels);
                }
            }
            AppAction::LoadNodeLabelsFrom(path) => self.load_node_labels(path),
            AppAction::AddRuns => self.ask_path(FilePurpose::AddRuns),
            AppAction::AddRunsFrom(path) => self.jobs.load_runs(path),
            AppAction::UseDataFolder => self.ask_path(FilePurpose::DataFolder),
            AppAction::UseDataFolderAt(dir) => self.use_data_folder(dir),
            AppAction::PathChosen(purpose, path) => self.on_path_chosen(purpose, path),
            AppAction::SetNativeDialogs(native) => self.dialogs.native = native,
            other => unreachable!("not a file action: {other:?}"),
        }
    }

    /// Acts on a path chosen in a dialog (native or typed).
    fn on_path_chosen(&mut self, purpose: FilePurpose, path: PathBuf) {
        match purpose {
            FilePurpose::Open => self.jobs.run("open-file", move || files::open(path)),
            FilePurpose::SaveAs => self.save_to(path),
            FilePurpose::NodeLabels => self.load_node_labels(path),
            FilePurpose::AddRuns => self.jobs.load_runs(path),
            FilePurpose::DataFolder => self.use_data_folder(path),
            FilePurpose::ExportFigure => self.panels.central.compare.request_export(path),
            FilePurpose::Figure(kind, _) => self.export_figure_to(kind, path),
            other => self.export_to(other, path),
        }
    }

    /// Saves the experiment to `path` on the simulation thread (it owns the simulation).
    fn save_to(&mut self, path: PathBuf) {
        if self.state.imported().is_some() {
            self.state.status.error(
                "An imported matrix is not an experiment: use File → Export weights to save it.",
            );
            return;
        }
        let Some(p) = &self.state.latest else {
            self.state.status.error("Nothing to save yet.");
            return;
        };
        let job = files::save(path, p.model.generation, self.jobs.sender());
        if !self.worker.send(WorkerCommand::With(job)) {
            self.state
                .status
                .error("The simulation thread has stopped; cannot save.");
        }
    }

    /// Reads node names for the imported matrix from `path`.
    fn load_node_labels(&mut self, path: PathBuf) {
        let Some(i) = self.state.imported() else {
            self.state
                .status
                .error("Node labels name the nodes of an imported matrix; open a matrix first.");
            return;
        };
        let (nodes, key) = (i.graph.facts.nodes, i.key);
        self.jobs
            .run("open-labels", move || files::read_names(path, nodes, key));
    }

    /// Starts reading `dir` for the current world: the current configuration trained on
    /// the user's WAV files or photos, from step 0 once the folder has been read.
    fn use_data_folder(&mut self, dir: PathBuf) {
        let Some(config) = self.state.latest.as_ref().map(|p| p.model.config.clone()) else {
            self.state.status.error("No experiment is running yet.");
            return;
        };
        let what = match &config.stimulus.kind {
            StimulusKind::Sound { .. } => "WAV files",
            StimulusKind::ImagePatches | StimulusKind::RotatedPhotos { .. } => "photos",
            _ => {
                self.state.status.error(
                    "This world takes no folder: choose audio-pitch (WAV files) or an image \
                     world such as image-rotate or polar-rotate (photos) first.",
                );
                return;
            }
        };
        self.jobs
            .run("data-folder", move || files::read_data_folder(config, dir));
        self.state.status.info(format!("Reading the {what}…"));
    }

    /// Asks where to export for `purpose`.
    fn export(&mut self, purpose: FilePurpose) {
        if purpose == FilePurpose::ExportMetrics && self.state.imported().is_some() {
            self.state
                .status
                .error("An imported matrix has no learning history to export.");
            return;
        }
        self.ask_path(purpose);
    }

    /// Exports the shown weights, heatmap or metrics to `path`.
    pub(super) fn export_to(&mut self, purpose: FilePurpose, path: PathBuf) {
        let Some(shown) = self.state.shown() else {
            self.state.status.error("Nothing to export yet.");
            return;
        };
        if matches!(purpose, FilePurpose::ExportNpy | FilePurpose::ExportCsv)
            && shown.snapshot.weights.summary().is_some()
        {
            // A matrix too large to copy while it trains: ask for one copy, and export
            // when it arrives (`poll`).
            self.worker.send(WorkerCommand::CopyWeights);
            self.state.status.info(format!(
                "Copying the {0} × {0} weights for the export…",
                shown.neurons()
            ));
            self.session.pending_export = Some((purpose, path));
            return;
        }
        let heatmap = (purpose == FilePurpose::ExportPng)
            .then(|| {
                let displayed = self.panels.central.heatmap.displayed.as_ref();
                displayed.map(|d| d.full_resolution_image())
            })
            .flatten();
        let snapshot = shown.snapshot;
        self.jobs.run("export", move || {
            let heatmap = heatmap.map(|image| crate::app::rgba_image(&image));
            files::export(purpose, path, snapshot, heatmap)
        });
    }
}
