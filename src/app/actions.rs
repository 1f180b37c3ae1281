//! Everything the user (or the tour, or the command line) can ask the app to do,
//! whichever control, key or script asked. Panels return these; only
//! [`crate::app::execute`] carries them out.

use std::path::PathBuf;

use crate::figure::order::MatrixOrder;
use crate::model::SimConfig;
use crate::perm::Permutation;
use crate::search::SearchOptions;
use crate::session::figure_kind::FigureKind;
use crate::session::file_purpose::FilePurpose;
use crate::session::state::look::ThemeChoice;
use crate::session::state::search::Pick;
use crate::session::state::training::TrainingControls;
use crate::session::view::View;

/// One request.
#[derive(Debug, Clone, PartialEq)]
pub enum AppAction {
    /// Start running.
    Run,
    /// Pause.
    Pause,
    /// Run until the step counter reaches this value, then pause.
    RunUntil(u64),
    /// Run at full speed until the step counter reaches this value, then pause (the
    /// command line's `--steps`, the tour).
    TrainTo(u64),
    /// Run if paused, pause if running.
    ToggleRun,
    /// One step.
    Step,
    /// Back to step 0.
    Reset,
    /// The training controls changed (speed, full speed, the "Run to step" target).
    SetTraining(TrainingControls),
    /// Replace the experiment by a preset (asks about unsaved changes first).
    NewFromPreset(String),
    /// Restart the simulation from step 0 with this configuration (the parameter
    /// panel's Apply).
    Configure(Box<SimConfig>),
    /// Open an experiment via a dialog (asks about unsaved changes first).
    Open,
    /// Open this experiment or matrix file (asks about unsaved changes first).
    OpenPath(PathBuf),
    /// Save to the current path (or ask for one).
    Save,
    /// Save under a new path.
    SaveAs,
    /// Save to this path (the function Save As uses after its dialog).
    SaveTo(PathBuf),
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
    /// Load names for the imported matrix's nodes from this file.
    LoadNodeLabelsFrom(PathBuf),
    /// Add experiment files or a sweep CSV to the learning-curve comparison via a dialog.
    AddRuns,
    /// Add the runs in this experiment file or sweep CSV to the comparison.
    AddRunsFrom(PathBuf),
    /// Train the current world on a folder of the user's WAV files or photos, picked in
    /// a dialog (`crate::model::world::data_dir`).
    UseDataFolder,
    /// Train the current world on this folder.
    UseDataFolderAt(PathBuf),
    /// Export the learning-curve figure as `.png` via a dialog.
    ExportFigure,
    /// Export one plot as a figure file (SVG or PNG at 2×) via a dialog.
    ExportFigureAs(FigureKind, crate::figure::Format),
    /// A path was chosen in a dialog for this purpose.
    PathChosen(FilePurpose, PathBuf),
    /// Use native file dialogs (or always typed paths).
    SetNativeDialogs(bool),
    /// Quit (asks about unsaved changes first).
    Quit,
    /// Start a search on the current weights with the panel's settings.
    StartSearch,
    /// Start a search with these settings (the tour's fixed ones).
    StartSearchWith(SearchOptions),
    /// Cancel the running search.
    CancelSearch,
    /// The search panel's settings changed.
    SetSearchOptions(SearchOptions),
    /// Select a search result, generator or element (its permutation given for
    /// elements, which only the panel's list knows).
    Select(Pick, Option<Permutation>),
    /// Show this central view.
    SetView(View),
    /// Lay out the heatmap in this order.
    SetOrder(MatrixOrder),
    /// Pin `w_ij`: record its history from now on, and show it in the inspector.
    Pin(usize, usize),
    /// Show neuron `n` (its field and its row of `W`) in the inspector.
    InspectNeuron(usize),
    /// Stop recording `w_ij`.
    Unpin(usize, usize),
    /// Choose a theme.
    SetTheme(ThemeChoice),
    /// Toggle presentation mode.
    TogglePresentation,
    /// Toggle full screen.
    ToggleFullscreen,
    /// Show or hide the shortcut overlay.
    ToggleHelp,
    /// Hide the note about ignored remembered settings.
    DismissSettingsNote,
    /// Withdraw the offer to reopen the last experiment.
    DismissReopenOffer,
    /// The unsaved-changes prompt's answer: save first, then go on.
    SaveThenContinue,
    /// The unsaved-changes prompt's answer: go on without saving.
    DiscardAndContinue,
    /// The unsaved-changes prompt's answer: do nothing.
    CancelPrompt,
    /// Start the lecture tour at its first step (asks about unsaved changes first: the
    /// tour loads its own presets).
    StartTour,
    /// Start the lecture tour at this step (0-based).
    StartTourAt(usize),
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

    /// Whether this action trains (refused while an imported matrix is shown).
    pub fn trains(&self) -> bool {
        matches!(
            self,
            AppAction::Run
                | AppAction::Pause
                | AppAction::RunUntil(_)
                | AppAction::TrainTo(_)
                | AppAction::ToggleRun
                | AppAction::Step
                | AppAction::Reset
        )
    }
}
