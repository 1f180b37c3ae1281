//! Reads runs for the comparison on one helper thread, in the order they were asked
//! for: overlays then appear — and take their colours — in that order whatever the
//! files' sizes, so the same files added the same way always give the same figure.

use std::path::PathBuf;
use std::sync::mpsc::{self, Sender};

use crate::sweep::runs::load_runs;
use crate::app::files::FileEvent;

/// The loader thread's inbox (started on first use).
#[derive(Default)]
pub struct RunsLoader {
    inbox: Option<Sender<PathBuf>>,
}

impl RunsLoader {
    /// Queues `path`; its [`FileEvent`] goes to `events` after those of earlier paths.
    /// Returns false when no thread could be started (nothing will arrive).
    pub fn load(&mut self, path: PathBuf, events: &Sender<FileEvent>) -> bool {
        if self.inbox.is_none() {
            let (tx, rx) = mpsc::channel::<PathBuf>();
            let events = events.clone();
            let spawned = std::thread::Builder::new()
                .name("open-runs".into())
                .spawn(move || {
                    for path in rx {
                        let event = match load_runs(&path) {
                            Ok(runs) => FileEvent::RunsLoaded { path, runs },
                            Err(e) => FileEvent::Failed(format!("Could not add runs: {e}")),
                        };
                        if events.send(event).is_err() {
                            return;
                        }
                    }
                });
            if spawned.is_err() {
                return false;
            }
            self.inbox = Some(tx);
        }
        self.inbox.as_ref().is_some_and(|tx| tx.send(path).is_ok())
    }
}
