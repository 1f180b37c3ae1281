//! Everything the user can ask the app to do, whichever control or key they used.

use std::path::PathBuf;

/// One user request; menus, buttons and shortcuts all produce these.
#[derive(Debug, Clone, PartialEq)]
pub enum AppAction {
    /// Start running.
    Run,
    /// Pause.
    Pause,
    /// Run until the step counter reaches this value, then pause.
    RunUntil(u64),
    /// Run if paused, pause if running.
    ToggleRun,
    /// One step.
    Step,
    /// Back to step 0.
    Reset,
    /// Replace the experiment by a preset (asks about unsaved changes first).
    NewFromPreset(String),
    /// Open an experiment via a dialog (asks about unsaved changes first).
    Open,
    /// Open this experiment file (asks about unsaved changes first).
    OpenPath(PathBuf),
    /// Save to the current path (or ask for one).
    Save,
    /// Save under a new path.
    SaveAs,
    /// Export `W` as `.npy`.
    ExportNpy,
    /// Export `W` as `.csv`.
    ExportCsv,
    /// Export the heatmap as displayed, as `.png`.
    ExportPng,
    /// Export the metric history as `.csv`.
    ExportMetrics,
    /// Load names for the imported matrix's nodes via a dialog.
    LoadNodeLabels,
    /// Add experiment files or a sweep CSV to the learning-curve comparison via a dialog.
    AddRuns,
    /// Train the current world on a folder of the user's WAV files or photos, picked in
    /// a dialog (`crate::model::data_dir`).
    UseDataFolder,
    /// Export the learning-curve figure as `.png` via a dialog.
    ExportFigure,
    /// Export one plot as a figure file (SVG or PNG at 2×) via a dialog.
    ExportFigureAs(crate::app::views::export_menu::FigureKind, crate::figure::Format),
    /// Quit (asks about unsaved changes first).
    Quit,
    /// Start a search on the current weights.
    StartSearch,
    /// Cancel the running search.
    CancelSearch,
    /// Toggle presentation mode.
    TogglePresentation,
    /// Toggle full screen.
    ToggleFullscreen,
    /// Show or hide the shortcut overlay.
    ToggleHelp,
    /// Start the lecture tour at its first step (asks about unsaved changes first: the
    /// tour loads its own presets).
    StartTour,
    /// The tour's next step.
    TourNext,
    /// The tour's previous step.
    TourPrevious,
    /// Leave the tour; the app stays as it is.
    LeaveTour,
}

impl AppAction {
    /// Whether this action throws away the open experiment.
    pub fn discards_experiment(&self) -> bool {
        matches!(
            self,
            AppAction::NewFromPreset(_)
                | AppAction::Open
                | AppAction::OpenPath(_)
                | AppAction::Quit
                | AppAction::StartTour
        )
    }
}
