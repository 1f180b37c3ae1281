//! How the window starts: the `gui` subcommand's options, validated by `crate::cli::gui`,
//! and how far the app got with the start-up work they ask for.

use std::path::PathBuf;

use crate::figure::order::MatrixOrder;
use crate::session::state::look::ThemeChoice;
use crate::session::view::View;
use crate::session::worker::Published;

/// How the window starts (the `gui` subcommand's options).
#[derive(Clone, Debug, Default)]
pub struct StartOptions {
    /// Experiment file to open.
    pub file: Option<PathBuf>,
    /// Preset to start from (default: `ring-shift` when no file is given).
    pub preset: Option<String>,
    /// Run until this step at full speed.
    pub steps: Option<u64>,
    /// Start a search once the steps are done.
    pub search: bool,
    /// Time limit of the search panel (None: the remembered one, or the default).
    pub search_time_secs: Option<f64>,
    /// Heatmap order to show (recovered: as soon as a search result exists).
    pub order: Option<MatrixOrder>,
    /// After the start-up search, select the first result recovering this true
    /// transformation (its display name, e.g. "rotate 90°") instead of the best one.
    pub select_match: Option<String>,
    /// Which view to show.
    pub view: Option<View>,
    /// Save a screenshot of the whole window here once everything is done, then exit.
    pub screenshot: Option<PathBuf>,
    /// Start in presentation mode.
    pub presentation: bool,
    /// Read the remembered settings at start and write them back (eframe's storage).
    /// Off for screenshots and tests, so what they show does not depend on the user's
    /// store.
    pub remember_settings: bool,
    /// The remembered settings were just deleted (`--reset-settings`): say so.
    pub settings_were_reset: bool,
    /// Theme to use instead of the remembered one.
    pub theme: Option<ThemeChoice>,
    /// Start the lecture tour at this step (0-based).
    pub tour_step: Option<usize>,
    /// Try native file dialogs (false: always typed paths).
    pub native_dialogs: bool,
    /// Experiment files or sweep CSVs to overlay on the learning curves.
    pub compare: Vec<PathBuf>,
    /// Node labels for the matrix in `file`, read once it has opened.
    pub labels: Option<PathBuf>,
    /// Open the inspector of pinned weights at start.
    pub inspect: bool,
}

/// What the command line asked for at start-up, and how far it got.
#[derive(Default)]
pub struct Startup {
    /// Train to this step once the first model is there.
    pub steps: Option<u64>,
    /// Search once the steps are done.
    pub search: bool,
    /// The heatmap order asked for (recovered: as soon as a search result exists).
    pub order: Option<MatrixOrder>,
    /// After the start-up search, select the first result recovering this true
    /// transformation.
    pub select_match: Option<String>,
    /// Node labels for the matrix opened at start-up, read once it has opened.
    pub labels: Option<PathBuf>,
    /// The preset to show if the file the app starts on is refused (`--preset`).
    pub fallback_preset: Option<String>,
    /// Whether a refused file already made the app load the fallback preset.
    pub fallback_started: bool,
    /// The steps were asked of the simulation.
    pub steps_sent: bool,
    /// The search was started.
    pub search_started: bool,
    /// The first model's generation (the steps apply to it only).
    pub first_generation: Option<u64>,
    /// Say so in the status line once the steps are done.
    pub announce_trained: bool,
}

impl Startup {
    /// The start-up work `options` asks for, none of it begun.
    pub fn new(options: &StartOptions) -> Self {
        Self {
            steps: options.steps,
            search: options.search,
            order: options.order,
            select_match: options.select_match.clone(),
            labels: options.labels.clone(),
            fallback_preset: options.preset.clone(),
            ..Self::default()
        }
    }

    /// Remembers the first model's generation: the start-up steps apply to it only.
    pub fn note_generation(&mut self, generation: u64) {
        if self.first_generation.is_none() {
            self.first_generation = Some(generation);
        }
    }

    /// Whether the requested start-up steps (if any) are done in `p`.
    pub fn steps_reached(&self, p: &Published) -> bool {
        self.steps
            .is_none_or(|s| p.snapshot.step >= s && !p.running)
    }

    /// Whether the requested start-up search (if any) has run; `task_alive`: a search
    /// is still running.
    pub fn search_finished(&self, task_alive: bool) -> bool {
        !self.search || (self.search_started && !task_alive)
    }
}
