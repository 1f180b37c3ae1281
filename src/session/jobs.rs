//! Background work, in one place. Every job runs on a named helper thread and hands one
//! result back; the UI polls each frame and never waits. The shapes:
//!
//! - [`Jobs`]: the app's queue of finished work ([`JobEvent`]s: files read and written,
//!   a data folder read, a dialog's answer, a search's outcome), drained once a frame by
//!   the app's `execute`;
//! - [`Job`]: one result a panel waits for itself (the animation's orbit);
//! - [`field_measures::MeasuresJob`]: the field gallery's measures, newest fields wins;
//! - [`latest::Latest`]: a helper thread on the newest request only (the heatmap's
//!   renders).
//!
//! The running search ([`search::SearchTask`]) adds a cancel flag and live progress.

pub mod field_measures;
pub mod files;
pub mod latest;
pub mod search;

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};

use super::Waker;
use crate::io::imported::{ImportedGraph, NodeNames};
use crate::model::{SimConfig, Simulation};
use crate::report::outcome::SearchOutcome;
use crate::sweep::runs::RunCurve;

/// What a finished job reports.
pub enum JobEvent {
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
    /// An experiment was read and is ready to hand to the simulation thread.
    Loaded {
        /// From where.
        path: PathBuf,
        /// The simulation.
        sim: Box<Simulation>,
    },
    /// A matrix was read and validated; the app shows it as an imported graph.
    Imported(Box<ImportedGraph>),
    /// Node names were read for the imported matrix with this key.
    NamesLoaded {
        /// The names.
        names: NodeNames,
        /// [`crate::session::state::source::ImportedSource::key`] of the matrix.
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
    Exported(PathBuf),
    /// A data folder was read: the configuration that uses it and the skipped files.
    DataFolder(SimConfig, Vec<String>),
    /// A native file dialog closed.
    Picked(files::PickedPath),
    /// The search finished (or failed). Boxed: an outcome (report, rows, work counters)
    /// is far larger than every other event.
    Searched(Box<Result<SearchOutcome, String>>),
    /// Something failed; the message names the file and the reason.
    Failed(String),
    /// Opening an experiment or a matrix failed (the app falls back to a usable state if
    /// it has nothing to show yet).
    OpenFailed(String),
}

/// Starts `work` on a helper thread called `name`; `Err` says why no thread could start.
pub fn spawn_named(name: &str, work: impl FnOnce() + Send + 'static) -> Result<(), String> {
    std::thread::Builder::new()
        .name(name.into())
        .spawn(work)
        .map(drop)
        .map_err(|e| format!("cannot start a thread: {e}"))
}

/// The queue of finished work and how much is still running.
pub struct Jobs {
    tx: Sender<JobEvent>,
    rx: Receiver<JobEvent>,
    pending: usize,
    repaint: Option<Waker>,
    runs: Option<Sender<PathBuf>>,
    /// The running search, if any.
    pub search: Option<search::SearchTask>,
}

impl Jobs {
    /// An empty queue; `repaint` is woken whenever a job finishes.
    pub fn new(repaint: Option<Waker>) -> Self {
        let (tx, rx) = mpsc::channel();
        Self {
            tx,
            rx,
            pending: 0,
            repaint,
            runs: None,
            search: None,
        }
    }

    /// Runs `work` on a helper thread called `name`; its event arrives through
    /// [`Jobs::drain`].
    pub fn run(&mut self, name: &str, work: impl FnOnce() -> JobEvent + Send + 'static) {
        let done = self.sender();
        if let Err(e) = spawn_named(name, move || done.send(work())) {
            // The closure (and its `Done`) never ran: count it finished and say why.
            self.pending -= 1;
            let _ = self.tx.send(JobEvent::Failed(format!("{name}: {e}")));
        }
    }

    /// A way to deliver one event from work started elsewhere (the simulation thread's
    /// save); counted as running until it is used or dropped unused.
    pub fn sender(&mut self) -> Done {
        self.pending += 1;
        Done {
            tx: self.tx.clone(),
            repaint: self.repaint.clone(),
        }
    }

    /// Queues `path` for reading as runs to compare. Runs are read on one thread in the
    /// order they were asked for, so overlays appear — and take their colours — in that
    /// order whatever the files' sizes.
    pub fn load_runs(&mut self, path: PathBuf) {
        if self.runs.is_none() {
            let (tx, rx) = mpsc::channel::<PathBuf>();
            let events = self.tx.clone();
            let repaint = self.repaint.clone();
            let started = spawn_named("open-runs", move || {
                for path in rx {
                    if events.send(files::read_runs(path)).is_err() {
                        return;
                    }
                    if let Some(wake) = &repaint {
                        wake();
                    }
                }
            });
            if started.is_ok() {
                self.runs = Some(tx);
            }
        }
        self.pending += 1;
        let queued = self
            .runs
            .as_ref()
            .is_some_and(|tx| tx.send(path.clone()).is_ok());
        if !queued {
            self.pending -= 1;
            let _ = self.tx.send(JobEvent::Failed(format!(
                "Could not read {}: no thread",
                path.display()
            )));
        }
    }

    /// The waker called when work finishes (None in tests without a window).
    pub fn repaint(&self) -> Option<Waker> {
        self.repaint.clone()
    }

    /// Events since the last call.
    pub fn drain(&mut self) -> Vec<JobEvent> {
        let events: Vec<JobEvent> = self.rx.try_iter().collect();
        self.pending = self.pending.saturating_sub(events.len());
        events
    }

    /// Jobs started and not finished (a search included).
    pub fn pending(&self) -> usize {
        self.pending
    }
}

/// Delivers one job's event to [`Jobs`] and wakes the UI.
pub struct Done {
    tx: Sender<JobEvent>,
    repaint: Option<Waker>,
}

impl Done {
    /// Delivers `event`.
    pub fn send(self, event: JobEvent) {
        let _ = self.tx.send(event);
        if let Some(wake) = &self.repaint {
            wake();
        }
    }
}

/// One result a panel waits for: filled by a helper thread, polled each frame.
pub struct Job<T> {
    slot: Arc<Mutex<Option<T>>>,
}

impl<T: Send + 'static> Job<T> {
    /// Runs `work` on a helper thread called `name`, calling `repaint` when it is done.
    pub fn spawn(
        name: &str,
        repaint: Waker,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<Self, String> {
        let slot = Arc::new(Mutex::new(None));
        let out = slot.clone();
        spawn_named(name, move || {
            let result = work();
            if let Ok(mut s) = out.lock() {
                *s = Some(result);
            }
            repaint();
        })?;
        Ok(Self { slot })
    }

    /// The result, once there (taken: later calls return `None`).
    pub fn take(&self) -> Option<T> {
        self.slot.lock().ok()?.take()
    }
}
