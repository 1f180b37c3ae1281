//! File → Use my own sounds or photos: the current world trained on a folder of the
//! user's WAV files or photos. The folder is read on a helper thread (it may hold
//! minutes of audio to resample), then the new configuration goes to the worker, which
//! starts again from step 0; skipped files are named in the status line.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, TryRecvError};

use crate::app::app_state::InvarianceApp;
use crate::app::worker::WorkerCommand;
use crate::model::{SimConfig, StimulusKind, data_dir};

/// What the helper thread sends back: the configuration to apply and the skipped files,
/// or why the folder cannot be used.
type Outcome = Result<(SimConfig, Vec<String>), String>;

/// A folder being read, if any.
#[derive(Default)]
pub struct DataFolderTask {
    pending: Option<Receiver<Outcome>>,
}

/// Whether `kind` takes a folder, and of what.
fn folder_kind(kind: &StimulusKind) -> Option<&'static str> {
    match kind {
        StimulusKind::Sound { .. } => Some("WAV files"),
        StimulusKind::ImagePatches | StimulusKind::RotatedPhotos { .. } => Some("photos"),
        _ => None,
    }
}

impl InvarianceApp {
    /// Starts reading `dir` for the current world (see the module docs).
    pub fn use_data_folder(&mut self, dir: PathBuf) {
        let Some(config) = self.latest.as_ref().map(|p| p.model.config.clone()) else {
            self.status.error("No experiment is running yet.");
            return;
        };
        let Some(what) = folder_kind(&config.stimulus.kind) else {
            self.status.error(
                "This world takes no folder: choose audio-pitch (WAV files) or an image \
                 world such as image-rotate or polar-rotate (photos) first.",
            );
            return;
        };
        let (tx, rx) = mpsc::channel();
        let ctx = self.ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("data-folder".into())
            .spawn(move || {
                let _ = tx.send(read_folder(config, dir));
                ctx.request_repaint();
            });
        match spawned {
            Ok(_) => {
                self.data_folder.pending = Some(rx);
                self.status.info(format!("Reading the {what}…"));
            }
            Err(e) => self.status.error(format!("Cannot read the folder: {e}")),
        }
    }

    /// Applies a folder once it has been read (called every frame).
    pub(crate) fn poll_data_folder(&mut self) {
        let Some(rx) = &self.data_folder.pending else {
            return;
        };
        let outcome = match rx.try_recv() {
            Ok(outcome) => outcome,
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => Err("the folder reader stopped".into()),
        };
        self.data_folder.pending = None;
        match outcome {
            Ok((config, skipped)) => {
                let dir = config
                    .stimulus
                    .data_dir
                    .as_ref()
                    .map(|d| d.display().to_string())
                    .unwrap_or_default();
                self.worker.send(WorkerCommand::Configure(Box::new(config)));
                self.files.current_path = None;
                let note = match skipped.len() {
                    0 => String::new(),
                    n => format!(" {n} file(s) skipped: {}.", skipped.join("; ")),
                };
                self.status.info(format!(
                    "Training on {dir} from step 0.{note} Press Run (Space)."
                ));
            }
            Err(e) => self.status.error(e),
        }
    }
}

/// Reads the folder (off the UI thread) and returns the configuration that uses it.
fn read_folder(mut config: SimConfig, dir: PathBuf) -> Outcome {
    let dir = std::fs::canonicalize(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    data_dir::forget(&dir);
    config.stimulus.data_dir = Some(dir);
    let skipped = data_dir::warnings(&config.stimulus).map_err(|e| e.to_string())?;
    config.check().map_err(|e| e.to_string())?;
    Ok((config, skipped.iter().map(ToString::to_string).collect()))
}
