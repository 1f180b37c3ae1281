//! What a file dialog is for: its title, the file types it offers and the name it
//! suggests.

/// File-name extension of experiment files.
pub const EXPERIMENT_EXTENSION: &str = "json";

/// What a file dialog is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilePurpose {
    /// Open an experiment, or a matrix (`.npy`, `.csv`) to show as an imported graph.
    Open,
    /// Load names for the nodes of the imported matrix.
    NodeLabels,
    /// Add experiment files or a sweep CSV to the learning-curve comparison.
    AddRuns,
    /// Export the learning-curve figure as `.png`.
    ExportFigure,
    /// Save the experiment under a new name.
    SaveAs,
    /// Export `W` as `.npy`.
    ExportNpy,
    /// Export `W` as `.csv`.
    ExportCsv,
    /// Export the heatmap as it is displayed, as `.png`.
    ExportPng,
    /// Export the metric history as `.csv`.
    ExportMetrics,
    /// Pick a folder of WAV files or photos to train on.
    DataFolder,
    /// Export one plot as a figure (`.svg`, or `.png` at 2×).
    Figure(
        crate::session::figure_kind::FigureKind,
        crate::figure::Format,
    ),
}

impl FilePurpose {
    /// Title of the dialog.
    pub fn title(self) -> &'static str {
        match self {
            FilePurpose::Open => "Open experiment or matrix",
            FilePurpose::NodeLabels => "Load node labels",
            FilePurpose::AddRuns => "Add runs to compare",
            FilePurpose::ExportFigure => "Export figure (.png)",
            FilePurpose::SaveAs => "Save experiment as",
            FilePurpose::ExportNpy => "Export weights (.npy)",
            FilePurpose::ExportCsv => "Export weights (.csv)",
            FilePurpose::ExportPng => "Export heatmap (.png)",
            FilePurpose::ExportMetrics => "Export metrics (.csv)",
            FilePurpose::DataFolder => "Folder of WAV files or photos",
            FilePurpose::Figure(_, crate::figure::Format::Svg) => "Export figure (.svg)",
            FilePurpose::Figure(_, crate::figure::Format::Png) => "Export figure (.png)",
        }
    }

    /// The file types the dialog filters on (an Open that shows only `.json` would
    /// hide the matrices it can open).
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FilePurpose::Open => &[EXPERIMENT_EXTENSION, "npy", "csv", "tsv", "txt"],
            FilePurpose::SaveAs => &[EXPERIMENT_EXTENSION],
            FilePurpose::NodeLabels => &["txt", "csv"],
            FilePurpose::AddRuns => &[EXPERIMENT_EXTENSION, "csv"],
            FilePurpose::ExportNpy => &["npy"],
            FilePurpose::ExportCsv | FilePurpose::ExportMetrics => &["csv"],
            FilePurpose::ExportPng | FilePurpose::ExportFigure => &["png"],
            FilePurpose::DataFolder => &[],
            FilePurpose::Figure(_, crate::figure::Format::Svg) => &["svg"],
            FilePurpose::Figure(_, crate::figure::Format::Png) => &["png"],
        }
    }

    /// Whether the dialog picks existing files (rather than naming a new one).
    pub fn picks(self) -> bool {
        matches!(
            self,
            FilePurpose::Open
                | FilePurpose::NodeLabels
                | FilePurpose::AddRuns
                | FilePurpose::DataFolder
        )
    }

    /// The name a save dialog (or a typed path) suggests.
    pub fn default_name(self) -> &'static str {
        match self {
            FilePurpose::Open | FilePurpose::SaveAs => "experiment.json",
            FilePurpose::NodeLabels => "labels.txt",
            FilePurpose::AddRuns => "sweep.csv",
            FilePurpose::ExportFigure => "learning-curves.png",
            FilePurpose::ExportNpy => "weights.npy",
            FilePurpose::ExportCsv => "weights.csv",
            FilePurpose::ExportPng => "heatmap.png",
            FilePurpose::ExportMetrics => "metrics.csv",
            FilePurpose::DataFolder => "my-sounds",
            FilePurpose::Figure(kind, format) => kind.file_name(format),
        }
    }
}
