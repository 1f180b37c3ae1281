//! The open experiment as a document: which simulation generation is shown, whether it
//! changed since it was last saved or opened, where it lives, and the recent files.

use std::path::{Path, PathBuf};

/// How many recent files the File menu lists (and the settings keep).
pub const MAX_RECENT: usize = 8;

/// Generation, step and pinned cells of a saved state: the experiment is unsaved once
/// the published snapshot differs in any of them.
pub type SavedState = (u64, u64, Vec<(usize, usize)>);

/// The document's state.
#[derive(Default)]
pub struct Document {
    /// Generation of the simulation shown (changes when a preset or file replaces it).
    pub generation: u64,
    /// The last saved (or opened) state.
    pub clean: Option<SavedState>,
    /// Path of the open experiment, if it was loaded or saved (None for an imported
    /// matrix: it is exported, never saved as an experiment).
    pub current_path: Option<PathBuf>,
    /// Experiments and matrices opened or saved, most recent first.
    pub recent: Vec<PathBuf>,
}

impl Document {
    /// Remembers a path at the top of the recent list.
    pub fn remember(&mut self, path: &Path) {
        self.recent.retain(|p| p != path);
        self.recent.insert(0, path.to_path_buf());
        self.recent.truncate(MAX_RECENT);
    }

    /// Whether `(generation, step, pinned)` differs from the last saved state.
    pub fn differs(&self, generation: u64, step: u64, pinned: &[(usize, usize)]) -> bool {
        self.clean
            .as_ref()
            .is_none_or(|(g, s, p)| (*g, *s) != (generation, step) || p.as_slice() != pinned)
    }
}
