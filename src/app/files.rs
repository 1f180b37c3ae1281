//! File actions: open/save experiments, exports, recent files, dialogs.
//!
//! Parsing and writing go through the library functions the tests call
//! (`crate::io::experiment`, `crate::io::matrix`, `crate::io::atomic`); this module only
//! decides *where* (native dialog, or a typed path when no dialog can be shown — e.g.
//! under Xvfb without a desktop portal) and runs the work off the UI thread.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use egui::ColorImage;

use super::compare_runs::RunCurve;
use super::imported::{ImportedGraph, NodeNames, is_matrix_path, load_imported, load_node_names};
use super::runs_loader::RunsLoader;

pub use super::file_purpose::FilePurpose;
use crate::model::{MetricsRecord, Simulation, Snapshot};

/// File-name extension of experiment files.
pub const EXPERIMENT_EXTENSION: &str = "json";

/// Reads an experiment file ([`crate::io::experiment::load`], as the CLI does).
pub fn load_experiment(path: &Path) -> anyhow::Result<Simulation> {
    Ok(crate::io::experiment::load(path)?)
}

/// Writes an experiment file atomically ([`crate::io::experiment::save`], as the CLI does).
pub fn save_experiment(path: &Path, sim: &Simulation) -> anyhow::Result<()> {
    Ok(crate::io::experiment::save(path, sim)?)
}

/// Writes the metric history as CSV (one row per record), atomically.
pub fn save_metrics_csv(path: &Path, history: &[MetricsRecord]) -> anyhow::Result<()> {
    crate::io::atomic::write_atomically(path, |w| {
        use std::io::Write as _;
        writeln!(
            w,
            "step,stimuli,weight_norm,sparsity,max_weight,mean_activity,symmetry_error_true,symmetry_error_random"
        )?;
        for r in history {
            writeln!(
                w,
                "{},{},{},{},{},{},{},{}",
                r.step,
                r.stimuli,
                r.weight_norm,
                r.sparsity,
                r.max_weight,
                r.mean_activity,
                r.symmetry_error_true,
                r.symmetry_error_random
            )?;
        }
        Ok(())
    })
    .with_context(|| format!("could not write metrics to {}", path.display()))
}

/// Writes an image as PNG, atomically.
pub fn save_png(path: &Path, image: &ColorImage) -> anyhow::Result<()> {
    let [w, h] = image.size;
    let rgba: Vec<u8> = image
        .pixels
        .iter()
        .flat_map(|c| c.to_srgba_unmultiplied())
        .collect();
    let buffer = image::RgbaImage::from_raw(w as u32, h as u32, rgba)
        .context("image buffer has the wrong size")?;
    crate::io::atomic::write_atomically(path, |out| {
        buffer
            .write_to(out, image::ImageFormat::Png)
            .map_err(|e| std::io::Error::other(e.to_string()))
    })
    .with_context(|| format!("could not write {}", path.display()))
}

/// Results of background file work, drained by the UI every frame.
pub enum FileEvent {
    /// An experiment was written.
    Saved {
        /// Where.
        path: PathBuf,
        /// Generation of the simulation that was saved.
        generation: u64,
        /// Its step count.
        step: u64,
        /// Its pinned cells (pinning or unpinning changes what a save writes).
        pinned: Vec<(usize, usize)>,
    },
    /// An experiment was read and is ready to hand to the worker.
    Loaded {
        /// From where.
        path: PathBuf,
        /// The simulation.
        sim: Box<Simulation>,
    },
    /// A matrix was read and validated; the app shows it as an imported graph.
    Imported {
        /// The matrix.
        graph: Box<ImportedGraph>,
    },
    /// Node names were read for the imported matrix with this key.
    NamesLoaded {
        /// The names.
        names: NodeNames,
        /// [`super::imported::ImportedSource::key`] of the matrix they were read for.
        key: u64,
    },
    /// Runs were read for the comparison.
    RunsLoaded {
        /// From where.
        path: PathBuf,
        /// The runs (one for an experiment, one per row group for a sweep CSV).
        runs: Vec<RunCurve>,
    },
    /// An export finished.
    Exported {
        /// Where.
        path: PathBuf,
    },
    /// Something failed; the message names the file and the reason.
    Failed(String),
}

/// A typed-path dialog (used when no native dialog can be shown).
pub struct TypedPathDialog {
    /// What the path is for.
    pub purpose: FilePurpose,
    /// The text being edited.
    pub text: String,
}

/// File state: current path, recent files, pending work.
pub struct Files {
    /// Path of the open experiment, if it was loaded or saved (None for an imported
    /// matrix: it is exported, never saved as an experiment).
    pub current_path: Option<PathBuf>,
    /// Most recent first.
    pub recent: Vec<PathBuf>,
    /// Whether to try native dialogs.
    pub native_dialogs: bool,
    /// The typed-path dialog, when open.
    pub typed: Option<TypedPathDialog>,
    /// Operations started and not finished.
    pub pending: usize,
    tx: Sender<FileEvent>,
    rx: Receiver<FileEvent>,
    /// A native dialog is open on its helper thread (its answer comes through `picked`).
    pub native_dialog_open: bool,
    picked_tx: Sender<PickedPath>,
    picked_rx: Receiver<PickedPath>,
    runs: RunsLoader,
}

/// Runs `job` on a named helper thread and sends its event; counts it as pending.
fn spawn_job(
    files: &mut Files,
    name: &str,
    job: impl FnOnce() -> FileEvent + Send + 'static,
    on_no_thread: String,
) {
    let tx = files.tx.clone();
    files.pending += 1;
    let spawned = std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            let _ = tx.send(job());
        });
    if spawned.is_err() {
        let _ = files.tx.send(FileEvent::Failed(on_no_thread));
    }
}

/// A native dialog's answer, sent from its helper thread.
struct PickedPath {
    purpose: FilePurpose,
    paths: Vec<PathBuf>,
    /// How long the dialog was open.
    open_for: Duration,
}

/// How many recent files the File menu lists (and the settings keep).
pub const MAX_RECENT: usize = 8;

/// Nobody cancels a dialog this fast: a native dialog that returns sooner was not shown.
const NO_DIALOG_SHOWN: Duration = Duration::from_millis(150);

/// Whether a native file dialog can plausibly be shown: on Linux the portal needs a
/// D-Bus session; `INVARIANCE_LAB_NO_DIALOGS=1` forces typed paths.
pub fn native_dialogs_plausible() -> bool {
    if std::env::var_os("INVARIANCE_LAB_NO_DIALOGS").is_some_and(|v| v != "0") {
        return false;
    }
    if cfg!(target_os = "linux") {
        return std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some();
    }
    true
}

impl Files {
    /// New state with no recent files (the remembered ones come from the app's
    /// settings, [`super::settings::Settings::recent_files`]).
    pub fn new(native_dialogs: bool) -> Self {
        let (tx, rx) = mpsc::channel();
        let (picked_tx, picked_rx) = mpsc::channel();
        Self {
            current_path: None,
            recent: Vec::new(),
            native_dialogs,
            typed: None,
            pending: 0,
            tx,
            rx,
            native_dialog_open: false,
            picked_tx,
            picked_rx,
            runs: RunsLoader::default(),
        }
    }

    /// Events since the last call.
    pub fn drain(&mut self) -> Vec<FileEvent> {
        let events: Vec<FileEvent> = self.rx.try_iter().collect();
        self.pending = self.pending.saturating_sub(events.len());
        events
    }

    /// Remembers a path at the top of the recent list.
    pub fn remember(&mut self, path: &Path) {
        self.recent.retain(|p| p != path);
        self.recent.insert(0, path.to_path_buf());
        self.recent.truncate(MAX_RECENT);
    }

    /// Reads an experiment — or, for `.npy`/`.csv`/`.tsv`/`.txt`, a matrix — on a helper
    /// thread; the result arrives as a [`FileEvent`]. Nothing changes in the app until
    /// it does, so a file that fails to load leaves the open experiment untouched.
    pub fn start_load(&mut self, path: PathBuf) {
        let failed = format!("Could not open {}: no thread", path.display());
        if is_matrix_path(&path) {
            spawn_job(
                self,
                "open-matrix",
                move || match load_imported(&path) {
                    Ok(graph) => FileEvent::Imported {
                        graph: Box::new(graph),
                    },
                    Err(e) => FileEvent::Failed(format!("Could not open the matrix: {e}")),
                },
                failed,
            );
            return;
        }
        spawn_job(
            self,
            "open-file",
            move || match load_experiment(&path) {
                Ok(sim) => FileEvent::Loaded {
                    path,
                    sim: Box::new(sim),
                },
                Err(e) => FileEvent::Failed(format!("Could not open {}: {e:#}", path.display())),
            },
            failed,
        );
    }

    /// Reads node names for the imported matrix `key` of `nodes` nodes, off the UI thread.
    pub fn start_names_load(&mut self, path: PathBuf, nodes: usize, key: u64) {
        let failed = format!("Could not read {}: no thread", path.display());
        spawn_job(
            self,
            "open-labels",
            move || match load_node_names(&path, nodes) {
                Ok(names) => FileEvent::NamesLoaded { names, key },
                Err(e) => FileEvent::Failed(format!("Could not use the labels: {e}")),
            },
            failed,
        );
    }

    /// Reads runs to compare (an experiment or a sweep CSV) off the UI thread; runs
    /// arrive in the order they were asked for ([`super::runs_loader`]).
    pub fn start_runs_load(&mut self, path: PathBuf) {
        self.pending += 1;
        let failed = format!("Could not read {}: no thread", path.display());
        if !self.runs.load(path, &self.tx) {
            let _ = self.tx.send(FileEvent::Failed(failed));
        }
    }

    /// Writes an image (the exported figure) on a helper thread; the screenshot
    /// callback calls this, so it returns at once.
    pub fn figure_saver(
        &mut self,
    ) -> impl FnOnce(PathBuf, Result<ColorImage, String>) + Send + 'static {
        let tx = self.tx.clone();
        self.pending += 1;
        move |path: PathBuf, image: Result<ColorImage, String>| {
            let fallback = tx.clone();
            let job = move || {
                let written = image
                    .map_err(anyhow::Error::msg)
                    .and_then(|img| save_png(&path, &img));
                let _ = tx.send(match written {
                    Ok(()) => FileEvent::Exported { path },
                    Err(e) => FileEvent::Failed(format!("Export failed: {e:#}")),
                });
            };
            // The write must not hold up the frame that delivered the screenshot.
            let spawned = std::thread::Builder::new()
                .name("export-figure".into())
                .spawn(job);
            if spawned.is_err() {
                let _ = fallback.send(FileEvent::Failed("Export failed: no thread".into()));
            }
        }
    }

    /// Builds and writes a figure on a helper thread (`write` gets the path; the
    /// encoding, PNG rendering included, never runs on the UI thread).
    pub fn start_figure_export(
        &mut self,
        path: PathBuf,
        write: impl FnOnce(&Path) -> Result<(), crate::figure::FigureError> + Send + 'static,
    ) {
        spawn_job(
            self,
            "export-figure",
            move || match write(&path) {
                Ok(()) => FileEvent::Exported { path },
                Err(e) => FileEvent::Failed(format!("Export failed: {e}")),
            },
            "Export failed: no thread".into(),
        );
    }

    /// A job for the worker thread that saves the simulation it runs on.
    pub fn save_job(&mut self, path: PathBuf, generation: u64) -> super::worker::SimulationJob {
        let tx = self.tx.clone();
        self.pending += 1;
        Box::new(move |sim: &Simulation| {
            let step = sim.step_count();
            let pinned = sim.pins().cell_list();
            let event = match save_experiment(&path, sim) {
                Ok(()) => FileEvent::Saved {
                    path,
                    generation,
                    step,
                    pinned,
                },
                Err(e) => FileEvent::Failed(format!("Could not save {}: {e:#}", path.display())),
            };
            let _ = tx.send(event);
        })
    }

    /// Exports from a snapshot (or the displayed heatmap) on a helper thread (the app
    /// asks the worker for a copy of a large `W` first, see [`not_copied`]).
    pub fn start_export(
        &mut self,
        purpose: FilePurpose,
        path: PathBuf,
        snapshot: Arc<Snapshot>,
        heatmap: Option<Arc<ColorImage>>,
    ) {
        let tx = self.tx.clone();
        self.pending += 1;
        let spawned = std::thread::Builder::new().name("export".into()).spawn({
            let path = path.clone();
            move || {
                let result: anyhow::Result<()> = match purpose {
                    FilePurpose::ExportNpy => match snapshot.weights.full() {
                        Some(w) => crate::io::matrix::save_npy(&path, w.view())
                            .with_context(|| format!("could not write {}", path.display())),
                        None => Err(not_copied()),
                    },
                    FilePurpose::ExportCsv => match snapshot.weights.full() {
                        Some(w) => crate::io::matrix::save_csv(&path, w.view())
                            .with_context(|| format!("could not write {}", path.display())),
                        None => Err(not_copied()),
                    },
                    FilePurpose::ExportMetrics => save_metrics_csv(&path, &snapshot.history),
                    FilePurpose::ExportPng => match &heatmap {
                        Some(img) => save_png(&path, img),
                        None => Err(anyhow::anyhow!("no heatmap to export yet")),
                    },
                    _ => Err(anyhow::anyhow!("not an export")),
                };
                let event = match result {
                    Ok(()) => FileEvent::Exported { path },
                    Err(e) => FileEvent::Failed(format!("Export failed: {e:#}")),
                };
                let _ = tx.send(event);
            }
        });
        if spawned.is_err() {
            let _ = self
                .tx
                .send(FileEvent::Failed("Export failed: no thread".into()));
        }
    }

    /// Asks for a path: the native dialog if plausible, else the typed-path dialog.
    /// Neither blocks the UI: the native dialog runs on a helper thread and its answer
    /// arrives through [`Files::take_picked`], the typed one through
    /// [`Files::typed_dialog_ui`]. Returns a path at once only where the platform needs
    /// the dialog on the UI thread (macOS).
    pub fn ask_path(&mut self, purpose: FilePurpose) -> Option<PathBuf> {
        if self.native_dialogs {
            if self.native_dialog_open {
                return None; // one dialog at a time
            }
            let directory = self
                .current_path
                .as_deref()
                .and_then(Path::parent)
                .map(Path::to_path_buf);
            let show = move || {
                let started = Instant::now();
                let mut dialog = rfd::FileDialog::new().set_title(purpose.title());
                let exts = purpose.extensions();
                if !exts.is_empty() {
                    dialog = dialog.add_filter(exts.join(", "), exts);
                }
                if let Some(dir) = directory {
                    dialog = dialog.set_directory(dir);
                }
                let paths = match purpose {
                    FilePurpose::AddRuns => dialog.pick_files().unwrap_or_default(),
                    FilePurpose::DataFolder => dialog.pick_folder().into_iter().collect(),
                    p if p.picks() => dialog.pick_file().into_iter().collect(),
                    _ => dialog
                        .set_file_name(purpose.default_name())
                        .save_file()
                        .into_iter()
                        .collect(),
                };
                PickedPath {
                    purpose,
                    paths,
                    open_for: started.elapsed(),
                }
            };
            if cfg!(target_os = "macos") {
                let picked = show();
                if !picked.paths.is_empty() {
                    return picked.paths.into_iter().next();
                }
                if picked.open_for >= NO_DIALOG_SHOWN {
                    return None;
                }
                self.native_dialogs = false;
            } else {
                let tx = self.picked_tx.clone();
                let spawned = std::thread::Builder::new()
                    .name("file-dialog".into())
                    .spawn(move || {
                        let _ = tx.send(show());
                    });
                if spawned.is_ok() {
                    self.native_dialog_open = true;
                    return None;
                }
                self.native_dialogs = false;
            }
        }
        let text = match (purpose, &self.current_path) {
            (FilePurpose::Open | FilePurpose::SaveAs, Some(p)) => p.display().to_string(),
            _ => std::env::current_dir()
                .map(|d| d.join(purpose.default_name()).display().to_string())
                .unwrap_or_else(|_| purpose.default_name().to_owned()),
        };
        self.typed = Some(TypedPathDialog { purpose, text });
        None
    }

    /// The native dialog's answer, once it has closed: `(purpose, path)` for every path
    /// chosen (several only when adding runs). A dialog that "closed" faster than anyone
    /// could cancel it was never shown (no portal): native dialogs are switched off and
    /// the typed-path dialog opens.
    pub fn take_picked(&mut self) -> Vec<(FilePurpose, PathBuf)> {
        let Ok(picked) = self.picked_rx.try_recv() else {
            return Vec::new();
        };
        self.native_dialog_open = false;
        if picked.paths.is_empty() && picked.open_for < NO_DIALOG_SHOWN {
            self.native_dialogs = false;
            self.ask_path(picked.purpose);
        }
        picked
            .paths
            .into_iter()
            .map(|p| (picked.purpose, p))
            .collect()
    }

    /// Shows the typed-path dialog if open; returns `(purpose, path)` on OK.
    pub fn typed_dialog_ui(&mut self, ctx: &egui::Context) -> Option<(FilePurpose, PathBuf)> {
        let mut result = None;
        let mut close = false;
        if let Some(dialog) = &mut self.typed {
            egui::Modal::new(egui::Id::unique("typed-path-dialog")).show(ctx, |ui| {
                ui.heading(dialog.purpose.title());
                ui.label("No native file dialog is available here; type the path of the file.");
                let l = ui.label("Path");
                let edit = ui
                    .add(egui::TextEdit::singleline(&mut dialog.text).desired_width(520.0))
                    .labelled_by(l.id);
                let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.horizontal(|ui| {
                    if ui.button("OK").clicked() || enter {
                        let path = PathBuf::from(dialog.text.trim());
                        if !dialog.text.trim().is_empty() {
                            result = Some((dialog.purpose, path));
                        }
                        close = true;
                    }
                    if ui.button("Cancel").clicked()
                        || ui.input(|i| i.key_pressed(egui::Key::Escape))
                    {
                        close = true;
                    }
                });
            });
        }
        if close {
            self.typed = None;
        }
        result
    }
}

/// The error of an export from a snapshot that holds no copy of a large `W`.
fn not_copied() -> anyhow::Error {
    anyhow::anyhow!(
        "the weights of a matrix this large are copied only on request; pause and try again \
         (or use `invariance-lab export` on the saved experiment)"
    )
}
