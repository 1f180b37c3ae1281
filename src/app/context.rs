//! What every panel may read while it draws: the app's state, the graph on screen and
//! its heatmap order (computed once per frame), and the progress of background work.
//! Panels never change the state; they return [`crate::app::AppAction`]s.

use std::sync::Arc;

use crate::session::jobs::search::SearchTask;
use crate::session::state::AppState;
use crate::session::state::source::Shown;

/// The read-only context of one frame.
pub struct PanelContext<'a> {
    /// The app's state.
    pub state: &'a AppState,
    /// The graph on screen (None before the first snapshot).
    pub shown: Option<Shown>,
    /// The heatmap order of the graph on screen and its id (empty before the first
    /// snapshot).
    pub order: (u64, Arc<Vec<usize>>),
    /// The running search, for its progress.
    pub search: Option<&'a SearchTask>,
    /// File work started and not finished.
    pub files_pending: usize,
    /// Whether native file dialogs are tried.
    pub native_dialogs: bool,
    /// Whether an action waits on the unsaved-changes prompt.
    pub prompt_open: bool,
    /// Smoothed UI frame time in milliseconds (for the status bar).
    pub frame_ms: f64,
}

impl PanelContext<'_> {
    /// Text scale: presentation mode shows everything 40 % larger.
    pub fn scale(&self) -> f32 {
        if self.state.look.presentation {
            1.4
        } else {
            1.0
        }
    }

    /// Whether an imported matrix (not a simulation) is shown.
    pub fn imported(&self) -> bool {
        self.state.imported().is_some()
    }
}
