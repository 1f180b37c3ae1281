//! How the window starts: the `gui` subcommand's options, validated by `crate::cli::gui`.

use std::path::PathBuf;

use crate::app::state::look::ThemeChoice;
use crate::app::view::View;
use crate::figure::order::MatrixOrder;

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
