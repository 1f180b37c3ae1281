//! `invariance-lab gui [FILE] [--preset NAME] [--steps N] [--search] [--order …]
//! [--compare RUN…] [--screenshot PNG]`: opens the desktop app in a given state — FILE
//! is an experiment, or a matrix (`.npy`, `.csv`) shown as an imported graph; with
//! `--screenshot` it waits until the requested training, search and file work are
//! done, saves the whole window as PNG and exits.

use std::path::PathBuf;

use anyhow::Context as _;

use crate::app::{MatrixOrder, StartOptions, View};
use crate::model::presets;

/// Options of the `gui` subcommand.
#[derive(clap::Args, Debug, Clone)]
pub struct GuiArgs {
    /// Experiment file to open (as saved by the app or by `invariance-lab train`), or a
    /// square matrix (.npy float32/float64, .csv) to view and search as an imported graph.
    pub file: Option<PathBuf>,
    /// Start from this preset instead (default: ring-shift).
    #[arg(long, value_name = "NAME")]
    pub preset: Option<String>,
    /// Train to this step at full speed right away.
    #[arg(long, value_name = "N")]
    pub steps: Option<u64>,
    /// Search for symmetries once the steps are done.
    #[arg(long)]
    pub search: bool,
    /// Time limit of that search in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 20.0)]
    pub search_time: f64,
    /// Heatmap order: stored (scrambled), truth, or recovered (needs --search).
    #[arg(long, value_name = "ORDER", value_parser = ["stored", "truth", "recovered"])]
    pub order: Option<String>,
    /// After the search, select the first result that recovers this true transformation
    /// (as the results table names it, e.g. "rotate 90°") instead of the best result.
    #[arg(long, value_name = "TRANSFORMATION", requires = "search")]
    pub select: Option<String>,
    /// Main view: overview, weights, learning, stimulus or transformation.
    #[arg(long, value_name = "VIEW", value_parser = ["overview", "weights", "learning", "stimulus", "transformation"])]
    pub view: Option<String>,
    /// Start in presentation mode (no parameter panel, bigger text).
    #[arg(long)]
    pub presentation: bool,
    /// Names for the nodes of a matrix FILE: one per line, or the first column of a CSV.
    #[arg(long, value_name = "NAMES", requires = "file")]
    pub labels: Option<PathBuf>,
    /// Overlay this run on the learning curves: an experiment file or a sweep CSV
    /// (repeatable).
    #[arg(long, value_name = "RUN")]
    pub compare: Vec<PathBuf>,
    /// Save a screenshot of the whole window here when done, then exit.
    #[arg(long, value_name = "PNG")]
    pub screenshot: Option<PathBuf>,
}

impl Default for GuiArgs {
    fn default() -> Self {
        Self {
            file: None,
            preset: None,
            steps: None,
            search: false,
            search_time: 20.0,
            order: None,
            select: None,
            view: None,
            presentation: false,
            labels: None,
            compare: Vec::new(),
            screenshot: None,
        }
    }
}

impl GuiArgs {
    /// Validated start options for the app.
    pub fn start_options(&self) -> anyhow::Result<StartOptions> {
        if let Some(name) = &self.preset
            && presets::by_name(name).is_none()
        {
            anyhow::bail!(
                "unknown preset '{name}'; choose one of: {}",
                presets::names().join(", ")
            );
        }
        if let Some(file) = &self.file {
            std::fs::metadata(file).with_context(|| format!("cannot open {}", file.display()))?;
            if crate::app::imported::is_matrix_path(file) {
                if self.steps.is_some() || self.preset.is_some() {
                    anyhow::bail!(
                        "{} is a matrix: it can be viewed and searched but not trained (drop --steps and --preset)",
                        file.display()
                    );
                }
                if self.order.as_deref() == Some("truth") {
                    anyhow::bail!(
                        "--order truth needs the ground-truth labels of a simulation; {} is a matrix",
                        file.display()
                    );
                }
            }
        }
        if let Some(labels) = &self.labels {
            if !self
                .file
                .as_deref()
                .is_some_and(crate::app::imported::is_matrix_path)
            {
                anyhow::bail!(
                    "--labels names the nodes of a matrix file (.npy, .csv); FILE is not one"
                );
            }
            std::fs::metadata(labels)
                .with_context(|| format!("cannot open {}", labels.display()))?;
        }
        for run in &self.compare {
            std::fs::metadata(run).with_context(|| format!("cannot open {}", run.display()))?;
        }
        if !(self.search_time.is_finite() && self.search_time > 0.0) {
            anyhow::bail!(
                "--search-time must be a positive number of seconds, got {}",
                self.search_time
            );
        }
        let order = self.order.as_deref().and_then(MatrixOrder::parse);
        if order == Some(MatrixOrder::Recovered) && !self.search {
            anyhow::bail!(
                "--order recovered needs --search (the order comes from a found permutation)"
            );
        }
        Ok(StartOptions {
            file: self.file.clone(),
            preset: self.preset.clone(),
            steps: self.steps,
            search: self.search,
            search_time_secs: Some(self.search_time),
            order,
            select_match: self.select.clone(),
            view: self.view.as_deref().and_then(View::parse),
            screenshot: self.screenshot.clone(),
            presentation: self.presentation,
            recent_files: crate::app::files::default_recent_store(),
            compare: self.compare.clone(),
            labels: self.labels.clone(),
            native_dialogs: self.screenshot.is_none()
                && crate::app::files::native_dialogs_plausible(),
        })
    }
}

/// Runs the subcommand (also what `invariance-lab` with no arguments does).
pub fn run(args: &GuiArgs) -> anyhow::Result<()> {
    let options = args.start_options()?;
    crate::app::run_native(options)
}
