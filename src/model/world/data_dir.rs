//! The user's own data: a folder of WAV files for the sound world, or of PNG/JPEG photos
//! for the image worlds, in place of the synthesised tones or the bundled photos
//! (`StimulusConfig::data_dir`).
//!
//! A folder is read once per process and kept (the last [`MAX_CACHED`] folders of each
//! kind), so drawing a stimulus costs no file access and every stimulus of a run comes
//! from the same data. Files are read in name order, so the same folder gives the same
//! stimuli. A file that cannot be read is skipped and named in
//! [`Folder::skipped`]; a folder with no usable file is an error. Memory is bounded by a
//! cap on what is kept (`MAX_TOTAL_SAMPLES` of the WAV reader,
//! `MAX_TOTAL_PIXELS` of the photo reader); what lies beyond it is left out and
//! reported the same way.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::model::config::ConfigError;

/// Most folders of one kind kept in memory at once.
pub const MAX_CACHED: usize = 2;

/// Most entries a data folder may hold: a folder with more is refused (with an error, not
/// read in part), since listing and sorting it would be the first cost of every run.
pub const MAX_ENTRIES: usize = 100_000;

/// A file that was left out, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The file.
    pub path: PathBuf,
    /// Why it was left out.
    pub reason: String,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "skipped {}: {}", self.path.display(), self.reason)
    }
}

/// What went wrong with a whole folder.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DataDirError {
    /// The folder does not exist (e.g. a saved experiment's folder was moved).
    #[error("the folder {0} does not exist")]
    Missing(PathBuf),
    /// The path is not a folder, or cannot be listed.
    #[error("cannot read the folder {path}: {reason}")]
    Unreadable {
        /// The folder.
        path: PathBuf,
        /// The operating system's reason.
        reason: String,
    },
    /// The folder holds more than [`MAX_ENTRIES`] entries.
    #[error(
        "the folder {0} holds more than {MAX_ENTRIES} entries; use a folder of the data files alone"
    )]
    TooManyEntries(PathBuf),
    /// Files were readable, but none holds a signal (all silent, all blank): a world
    /// without signal cannot be learned, and its symmetry error would be a meaningless 0.
    #[error(
        "the folder {path} holds no signal: every readable {what} file is {blank} ({skipped} files skipped)"
    )]
    NoSignal {
        /// The folder.
        path: PathBuf,
        /// What was looked for ("WAV", "PNG or JPEG").
        what: &'static str,
        /// "silent", "blank".
        blank: &'static str,
        /// How many files were skipped.
        skipped: usize,
    },
    /// No file in the folder could be used.
    #[error("the folder {path} has no readable {what} file{}", skipped_note(*.skipped))]
    Empty {
        /// The folder.
        path: PathBuf,
        /// What was looked for ("WAV", "PNG or JPEG").
        what: &'static str,
        /// How many files were skipped.
        skipped: usize,
    },
}

fn skipped_note(skipped: usize) -> String {
    match skipped {
        0 => String::new(),
        1 => " (1 file skipped)".into(),
        n => format!(" ({n} files skipped)"),
    }
}

impl From<DataDirError> for ConfigError {
    fn from(e: DataDirError) -> Self {
        ConfigError::Invalid {
            field: "stimulus.data_dir",
            reason: e.to_string(),
        }
    }
}

/// The loaded contents of one folder.
#[derive(Debug)]
pub struct Folder<T> {
    /// The folder.
    pub path: PathBuf,
    /// The usable files' contents, in file-name order, with their paths.
    pub items: Vec<(PathBuf, T)>,
    /// Files left out, in file-name order.
    pub skipped: Vec<Skipped>,
}

/// A folder's entries: the regular files (or links to one) to read, in name order, and
/// everything else, each named with why it is left out.
#[derive(Debug, Default)]
pub struct Listing {
    /// Regular files, in name order.
    pub files: Vec<PathBuf>,
    /// Entries left out: hidden files, folders, FIFOs, devices, sockets, links that lead
    /// nowhere or in a loop — in name order.
    pub skipped: Vec<Skipped>,
}

/// Every entry of `dir` (at most [`MAX_ENTRIES`], else an error): regular files to read,
/// and the rest named in [`Listing::skipped`]. Nothing is opened, so a FIFO cannot block
/// and a device cannot be read.
pub fn list_files(dir: &Path) -> Result<Listing, DataDirError> {
    if !dir.exists() {
        return Err(DataDirError::Missing(dir.to_path_buf()));
    }
    let unreadable = |e: std::io::Error| DataDirError::Unreadable {
        path: dir.to_path_buf(),
        reason: e.to_string(),
    };
    let mut listing = Listing::default();
    for (count, entry) in std::fs::read_dir(dir).map_err(unreadable)?.enumerate() {
        if count >= MAX_ENTRIES {
            return Err(DataDirError::TooManyEntries(dir.to_path_buf()));
        }
        let entry = entry.map_err(unreadable)?;
        let path = entry.path();
        let skip = |reason: String| Skipped {
            path: path.clone(),
            reason,
        };
        if entry.file_name().to_string_lossy().starts_with('.') {
            listing.skipped.push(skip("a hidden file".into()));
            continue;
        }
        let kind = entry.file_type().map_err(unreadable)?;
        let reason = if kind.is_file() {
            None
        } else if kind.is_symlink() {
            match std::fs::metadata(&path) {
                Ok(meta) if meta.is_file() => None,
                Ok(meta) => Some(format!(
                    "a link to {}, not to a regular file",
                    crate::bounded_read::describe(&meta.file_type())
                )),
                Err(e) => Some(format!("a link that leads nowhere ({e})")),
            }
        } else if kind.is_dir() {
            Some("a folder (subfolders are not read)".into())
        } else {
            Some(format!(
                "{}, not a regular file",
                crate::bounded_read::describe(&kind)
            ))
        };
        match reason {
            None => listing.files.push(path),
            Some(reason) => listing.skipped.push(skip(reason)),
        }
    }
    listing.files.sort();
    listing.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(listing)
}

/// The error for a folder with no usable file: [`DataDirError::NoSignal`] when files
/// were read but every one was without signal (`blank` of them), else
/// [`DataDirError::Empty`].
pub fn nothing_usable(
    dir: &Path,
    what: &'static str,
    blank_word: &'static str,
    blank: usize,
    skipped: usize,
) -> DataDirError {
    if blank > 0 {
        DataDirError::NoSignal {
            path: dir.to_path_buf(),
            what,
            blank: blank_word,
            skipped,
        }
    } else {
        DataDirError::Empty {
            path: dir.to_path_buf(),
            what,
            skipped,
        }
    }
}

/// True if `path` ends in one of `extensions` (case-insensitive).
pub fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// A small per-kind cache of loaded folders (module docs).
pub struct Cache<T> {
    entries: Mutex<Vec<(PathBuf, Arc<Folder<T>>)>>,
}

impl<T> Cache<T> {
    /// An empty cache (usable in a `static`).
    pub const fn new() -> Self {
        Self {
            entries: Mutex::new(Vec::new()),
        }
    }

    /// The folder `dir`, loaded by `load` on first use.
    pub fn get(
        &self,
        dir: &Path,
        load: impl FnOnce(&Path) -> Result<Folder<T>, DataDirError>,
    ) -> Result<Arc<Folder<T>>, DataDirError> {
        let find = |entries: &Vec<(PathBuf, Arc<Folder<T>>)>| {
            entries
                .iter()
                .find(|(p, _)| p == dir)
                .map(|(_, f)| f.clone())
        };
        if let Some(found) = self.entries.lock().ok().and_then(|e| find(&e)) {
            return Ok(found);
        }
        let folder = Arc::new(load(dir)?);
        if let Ok(mut entries) = self.entries.lock() {
            if let Some(found) = find(&entries) {
                return Ok(found);
            }
            if entries.len() >= MAX_CACHED {
                entries.remove(0);
            }
            entries.push((dir.to_path_buf(), folder.clone()));
        }
        Ok(folder)
    }

    /// Drops `dir` from the cache, so the next use reads it again (after the user
    /// picked it anew, say).
    pub fn forget(&self, dir: &Path) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|(p, _)| p != dir);
        }
    }
}

impl<T> Default for Cache<T> {
    fn default() -> Self {
        Self::new()
    }
}
