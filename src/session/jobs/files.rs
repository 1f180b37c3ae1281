//! The file work the app does off the UI thread: reading experiments, matrices, node
//! names, runs and data folders; writing exports and figures; and the work the
//! simulation thread does to save the simulation it runs. Parsing and writing go
//! through the library functions the CLI and the tests use ([`crate::io`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;

use super::{Done, JobEvent};
use crate::io::imported::{load_imported, load_node_names};
use crate::io::source::PathKind;
use crate::model::world::folders;
use crate::model::{MetricsRecord, SimConfig, Simulation, Snapshot};
use crate::session::file_purpose::FilePurpose;
use crate::session::worker::SimulationJob;
use crate::sweep::runs::load_runs;

/// A native dialog's answer, sent from its helper thread.
pub struct PickedPath {
    /// What the dialog was for.
    pub purpose: FilePurpose,
    /// The paths chosen (several only when adding runs; none when cancelled).
    pub paths: Vec<PathBuf>,
    /// How long the dialog was open.
    pub open_for: Duration,
}

/// Reads an experiment — or, for `.npy`/`.csv`/`.tsv`/`.txt`, a matrix. Nothing changes
/// in the app until its event arrives, so a file that fails to load leaves the open
/// experiment untouched.
pub fn open(path: PathBuf) -> JobEvent {
    match PathKind::of(&path) {
        PathKind::Matrix => match load_imported(&path) {
            Ok(graph) => JobEvent::Imported(Box::new(graph)),
            Err(e) => JobEvent::OpenFailed(format!("Could not open the matrix: {e}")),
        },
        PathKind::Experiment => match crate::io::experiment::load(&path) {
            Ok(sim) => JobEvent::Loaded {
                path,
                sim: Box::new(sim),
            },
            Err(e) => JobEvent::OpenFailed(format!("Could not open {}: {e:#}", path.display())),
        },
    }
}

/// Reads node names for the imported matrix `key` of `nodes` nodes.
pub fn read_names(path: PathBuf, nodes: usize, key: u64) -> JobEvent {
    match load_node_names(&path, nodes) {
        Ok(names) => JobEvent::NamesLoaded { names, key },
        Err(e) => JobEvent::Failed(format!("Could not use the labels: {e}")),
    }
}

/// Reads runs to compare: an experiment or a sweep CSV.
pub fn read_runs(path: PathBuf) -> JobEvent {
    match load_runs(&path) {
        Ok(runs) => JobEvent::RunsLoaded { path, runs },
        Err(e) => JobEvent::Failed(format!("Could not add runs: {e}")),
    }
}

/// Reads a folder of WAV files or photos for `config`'s world and returns the
/// configuration that trains on it, with the files it skipped.
pub fn read_data_folder(mut config: SimConfig, dir: PathBuf) -> JobEvent {
    let read = || -> Result<JobEvent, String> {
        let dir = std::fs::canonicalize(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        folders::forget(&dir);
        config.stimulus.data_dir = Some(dir);
        let skipped = folders::warnings(&config.stimulus).map_err(|e| e.to_string())?;
        config.check().map_err(|e| e.to_string())?;
        let skipped = skipped.iter().map(ToString::to_string).collect();
        Ok(JobEvent::DataFolder(config, skipped))
    };
    read().unwrap_or_else(JobEvent::Failed)
}

/// Work for the simulation thread: saves the simulation it runs on to `path`.
pub fn save(path: PathBuf, generation: u64, done: Done) -> SimulationJob {
    Box::new(move |sim: &Simulation| {
        let step = sim.step_count();
        let pinned = sim.pins().cell_list();
        done.send(match crate::io::experiment::save(&path, sim) {
            Ok(()) => JobEvent::Saved {
                path,
                generation,
                step,
                pinned,
            },
            Err(e) => JobEvent::Failed(format!("Could not save {}: {e:#}", path.display())),
        })
    })
}

/// Exports from a snapshot (or the displayed heatmap, or why it could not be had) for
/// `purpose`.
pub fn export(
    purpose: FilePurpose,
    path: PathBuf,
    snapshot: Arc<Snapshot>,
    heatmap: Option<anyhow::Result<image::RgbaImage>>,
) -> JobEvent {
    let written: anyhow::Result<()> = match purpose {
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
        FilePurpose::ExportPng => match heatmap {
            Some(img) => img.and_then(|img| save_png(&path, &img)),
            None => Err(anyhow::anyhow!("no heatmap to export yet")),
        },
        _ => Err(anyhow::anyhow!("not an export")),
    };
    exported(path, written)
}

/// The error of an export from a snapshot that holds no copy of a large `W`.
fn not_copied() -> anyhow::Error {
    anyhow::anyhow!(
        "the weights of a matrix this large are copied only on request; pause and try again \
         (or use `invariance-lab export` on the saved experiment)"
    )
}

/// Builds and writes a figure with `write` (the encoding, PNG rendering included).
pub fn export_figure(
    path: PathBuf,
    write: impl FnOnce(&Path) -> Result<(), crate::figure::FigureError>,
) -> JobEvent {
    exported(path.clone(), write(&path).map_err(anyhow::Error::from))
}

/// Writes a captured image (the learning-curve figure cropped from the window).
pub fn write_capture(path: PathBuf, image: anyhow::Result<image::RgbaImage>) -> JobEvent {
    let written = image.and_then(|img| save_png(&path, &img));
    exported(path, written)
}

/// The event of an export that wrote `path`, or why it failed.
fn exported(path: PathBuf, written: anyhow::Result<()>) -> JobEvent {
    match written {
        Ok(()) => JobEvent::Exported(path),
        Err(e) => JobEvent::Failed(format!("Export failed: {e:#}")),
    }
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
pub fn save_png(path: &Path, image: &image::RgbaImage) -> anyhow::Result<()> {
    crate::io::atomic::write_atomically(path, |out| {
        image
            .write_to(out, image::ImageFormat::Png)
            .map_err(|e| std::io::Error::other(e.to_string()))
    })
    .with_context(|| format!("could not write {}", path.display()))
}
