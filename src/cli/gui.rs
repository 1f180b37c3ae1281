//! `invariance-lab gui [FILE] [--preset NAME] [--steps N] [--search] [--order …]
//! [--compare RUN…] [--theme …] [--tour-step K] [--screenshot PNG] [--reset-settings]`:
//! opens the desktop app in a given state — FILE is an experiment, or a matrix (`.npy`,
//! `.csv`) shown as an imported graph; with `--screenshot` it waits until the requested
//! training, search, tour step and file work are done, saves the whole window as PNG
//! and exits. Screenshot runs neither read nor write the remembered settings, so what
//! they show depends on the command line alone.

use std::path::PathBuf;

use anyhow::Context as _;

use crate::app::{MatrixOrder, StartOptions, View};
use crate::model::config::presets;
use crate::session::state::look::ThemeChoice;

/// Options of the `gui` subcommand.
#[derive(clap::Args, Debug, Clone, Default)]
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
    /// Time limit of that search in seconds (default: the remembered one, else 20).
    #[arg(long, value_name = "SECS")]
    pub search_time: Option<f64>,
    /// Heatmap order: stored (scrambled), truth, or recovered (needs --search).
    #[arg(long, value_name = "ORDER", value_enum)]
    pub order: Option<MatrixOrder>,
    /// After the search, select the first result that recovers this true transformation
    /// (as the results table names it, e.g. "rotate 90°") instead of the best result.
    #[arg(long, value_name = "TRANSFORMATION", requires = "search")]
    pub select: Option<String>,
    /// Main view: overview, weights, learning, stimulus or transformation.
    #[arg(long, value_name = "VIEW", value_enum)]
    pub view: Option<View>,
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
    /// Theme: system (follow the desktop), light or dark (default: the remembered one).
    #[arg(long, value_name = "THEME", value_enum)]
    pub theme: Option<ThemeChoice>,
    /// Start the lecture tour at this step (1 = the first; Help → Lecture tour).
    #[arg(long, value_name = "K", conflicts_with_all = ["file", "preset", "steps", "search", "select", "order", "view"])]
    pub tour_step: Option<usize>,
    /// Forget the remembered settings (theme, window, panels, recent files) and start
    /// with the defaults.
    #[arg(long)]
    pub reset_settings: bool,
    /// Save a screenshot of the whole window here when done, then exit.
    #[arg(long, value_name = "PNG")]
    pub screenshot: Option<PathBuf>,
    /// Open the inspector of pinned weights (the start pins) at start.
    #[arg(long)]
    pub inspect: bool,
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
            if crate::io::source::is_matrix_path(file) {
                if self.steps.is_some() || self.preset.is_some() {
                    anyhow::bail!(
                        "{} is a matrix: it can be viewed and searched but not trained (drop --steps and --preset)",
                        file.display()
                    );
                }
                if self.order == Some(MatrixOrder::Truth) {
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
                .is_some_and(crate::io::source::is_matrix_path)
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
        if let Some(secs) = self.search_time
            && !(secs.is_finite() && secs > 0.0)
        {
            anyhow::bail!("--search-time must be a positive number of seconds, got {secs}");
        }
        let tour_step = match self.tour_step {
            Some(0) => anyhow::bail!("--tour-step counts from 1"),
            Some(k) if k > crate::session::state::tour::TOUR.len() => anyhow::bail!(
                "--tour-step {k}: the tour has {} steps",
                crate::session::state::tour::TOUR.len()
            ),
            Some(k) => Some(k - 1),
            None => None,
        };
        let order = self.order;
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
            search_time_secs: self.search_time,
            order,
            select_match: self.select.clone(),
            view: self.view,
            screenshot: self.screenshot.clone(),
            presentation: self.presentation,
            remember_settings: self.screenshot.is_none(),
            settings_were_reset: false,
            theme: self.theme,
            tour_step,
            compare: self.compare.clone(),
            labels: self.labels.clone(),
            inspect: self.inspect,
            native_dialogs: self.screenshot.is_none()
                && crate::app::dialogs::native_dialogs_plausible(),
        })
    }
}

/// Runs the subcommand (also what `invariance-lab` with no arguments does).
pub fn run(args: &GuiArgs) -> anyhow::Result<()> {
    let mut options = args.start_options()?;
    if args.reset_settings {
        if let Some(file) = crate::app::reset_settings()? {
            eprintln!("settings reset: deleted {}", file.display());
        }
        options.settings_were_reset = true;
    }
    crate::app::run_native(options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser as _;

    #[derive(clap::Parser)]
    struct Cli {
        #[command(flatten)]
        args: GuiArgs,
    }

    fn parse(args: &[&str]) -> Result<GuiArgs, clap::Error> {
        Cli::try_parse_from(std::iter::once("gui").chain(args.iter().copied())).map(|c| c.args)
    }

    #[test]
    fn tour_steps_count_from_one_and_stop_at_the_last() {
        let last = crate::session::state::tour::TOUR.len();
        let first = parse(&["--tour-step", "1"]).expect("parses");
        assert_eq!(first.start_options().expect("valid").tour_step, Some(0));
        let end = parse(&["--tour-step", &last.to_string()]).expect("parses");
        assert_eq!(
            end.start_options().expect("valid").tour_step,
            Some(last - 1)
        );
        for bad in ["0", &(last + 1).to_string()] {
            let args = parse(&["--tour-step", bad]).expect("parses");
            assert!(args.start_options().is_err(), "--tour-step {bad}");
        }
        assert!(parse(&["--tour-step", "2", "--preset", "ring-random"]).is_err());
    }

    #[test]
    fn screenshot_runs_leave_the_remembered_settings_alone() {
        let shot = parse(&["--screenshot", "x.png", "--theme", "light"]).expect("parses");
        let options = shot.start_options().expect("valid");
        assert!(!options.remember_settings);
        assert_eq!(options.theme, Some(ThemeChoice::Light));
        let plain = parse(&[]).expect("parses").start_options().expect("valid");
        assert!(plain.remember_settings);
        assert_eq!(plain.theme, None, "the remembered theme is used");
        assert_eq!(
            plain.search_time_secs, None,
            "the remembered time limit is used"
        );
    }
}
