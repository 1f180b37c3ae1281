//! Asking the user for a path: the native dialog (`rfd`) on a helper thread when one
//! can plausibly be shown, else the typed-path dialog
//! ([`crate::app::panels::file_dialog`]). Neither blocks the UI.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::session::file_purpose::FilePurpose;
use crate::session::jobs::files::PickedPath;
use crate::session::jobs::{JobEvent, Jobs};

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

/// What asking for a path led to.
#[derive(Debug, PartialEq)]
pub enum Asked {
    /// The path, at once (macOS shows its dialog on the UI thread).
    Path(PathBuf),
    /// The native dialog is open; its answer arrives as [`JobEvent::Picked`].
    Native,
    /// No native dialog: type the path (purpose, suggested text).
    Typed(FilePurpose, String),
    /// Nothing (a dialog is already open, or it was cancelled).
    Nothing,
}

/// The dialogs' state: whether to try native dialogs, and whether one is open.
pub struct Dialogs {
    /// Whether to try native dialogs (false: always typed paths).
    pub native: bool,
    /// A native dialog is open on its helper thread.
    pub native_open: bool,
}

impl Dialogs {
    /// Dialogs that try native ones when `native`.
    pub fn new(native: bool) -> Self {
        Self {
            native,
            native_open: false,
        }
    }

    /// Asks for a path for `purpose`, starting in the folder of `current` if any.
    pub fn ask(&mut self, purpose: FilePurpose, current: Option<&Path>, jobs: &mut Jobs) -> Asked {
        if self.native {
            if self.native_open {
                return Asked::Nothing; // one dialog at a time
            }
            let directory = current.and_then(Path::parent).map(Path::to_path_buf);
            let show = move || show_native(purpose, directory);
            if cfg!(target_os = "macos") {
                let picked = show();
                if let Some(path) = picked.paths.into_iter().next() {
                    return Asked::Path(path);
                }
                if picked.open_for >= NO_DIALOG_SHOWN {
                    return Asked::Nothing;
                }
                self.native = false;
            } else {
                self.native_open = true;
                jobs.run("file-dialog", move || JobEvent::Picked(show()));
                return Asked::Native;
            }
        }
        let text = match (purpose, current) {
            (FilePurpose::Open | FilePurpose::SaveAs, Some(p)) => p.display().to_string(),
            _ => std::env::current_dir()
                .map(|d| d.join(purpose.default_name()).display().to_string())
                .unwrap_or_else(|_| purpose.default_name().to_owned()),
        };
        Asked::Typed(purpose, text)
    }

    /// The native dialog's answer: `(purpose, path)` for every path chosen (several only
    /// when adding runs). A dialog that "closed" faster than anyone could cancel it was
    /// never shown (no portal): native dialogs are switched off and `Err(purpose)` says
    /// to ask again (typed).
    pub fn answered(
        &mut self,
        picked: PickedPath,
    ) -> Result<Vec<(FilePurpose, PathBuf)>, FilePurpose> {
        self.native_open = false;
        if picked.paths.is_empty() && picked.open_for < NO_DIALOG_SHOWN {
            self.native = false;
            return Err(picked.purpose);
        }
        Ok(picked
            .paths
            .into_iter()
            .map(|p| (picked.purpose, p))
            .collect())
    }
}

/// Shows the native dialog for `purpose` (blocking its thread) and reports the answer.
fn show_native(purpose: FilePurpose, directory: Option<PathBuf>) -> PickedPath {
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
}
