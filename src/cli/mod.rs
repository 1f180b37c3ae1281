//! The headless command-line front (clap). Every subcommand is a thin wrapper around
//! library calls; errors travel up as `anyhow` errors and `main` prints them with `{:#}`
//! and exits with code 2 (130 when Ctrl+C stopped the work, see [`interrupt`]). No GUI
//! types here.

use clap::{Parser, Subcommand};

pub mod animate;
pub mod config;
pub mod export;
pub mod figure;
#[cfg(feature = "gui")]
pub mod gui;
pub mod info;
pub mod interrupt;
pub mod presets;
pub mod search;
pub mod sweep;
pub mod train;

/// Invariance Lab: watch feature detectors learn a Hebbian graph whose symmetries are the
/// invariance transformations of their world.
#[derive(Debug, Parser)]
#[command(name = "invariance-lab", version, about, long_about = None)]
pub struct Cli {
    /// What to do (without one: the desktop app if built with it, otherwise this help).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the ready-made experiments, one per line.
    Presets,
    /// Print a preset's or a file's complete configuration as JSON (with `--set` overrides).
    Config(config::ConfigArgs),
    /// Train a preset (or continue a saved run) and save the experiment file.
    Train(train::TrainArgs),
    /// Show sizes, steps and metrics of an experiment file.
    Info(info::InfoArgs),
    /// Export the learned weight matrix as .npy or .csv.
    Export(export::ExportArgs),
    /// Find approximate automorphisms of an experiment's graph or a .npy/.csv matrix.
    Search(search::SearchArgs),
    /// Animate a found transformation on a pattern or photo: PNG frames, GIF and orbit.npy.
    Animate(animate::AnimateArgs),
    /// Write one of the app's plots as a figure: SVG (vector) or PNG (2× scale).
    Figure(figure::FigureArgs),
    /// Run a sweep file's grid (parameters × seeds) on all cores into one tidy CSV.
    Sweep(sweep::SweepArgs),
    /// Open the desktop app (optionally on a file or preset, trained, searched, screenshotted).
    #[cfg(feature = "gui")]
    Gui(gui::GuiArgs),
}

/// Loads an experiment file for a subcommand; the error names the file exactly once.
pub fn load_experiment(path: &std::path::Path) -> anyhow::Result<crate::model::Simulation> {
    crate::io::experiment::load(path).map_err(|e| {
        if e.names_file() {
            anyhow::Error::new(e)
        } else {
            anyhow::Error::new(e).context(format!("`{}`", path.display()))
        }
    })
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Some(Command::Presets) => presets::run(),
        Some(Command::Config(args)) => config::run(&args),
        Some(Command::Train(args)) => train::run(&args),
        Some(Command::Info(args)) => info::run(&args),
        Some(Command::Export(args)) => export::run(&args),
        Some(Command::Animate(args)) => animate::run(&args),
        Some(Command::Figure(args)) => figure::run(&args),
        Some(Command::Search(args)) => search::run(&args),
        Some(Command::Sweep(args)) => sweep::run(&args),
        #[cfg(feature = "gui")]
        Some(Command::Gui(args)) => gui::run(&args),
        #[cfg(feature = "gui")]
        None => gui::run(&gui::GuiArgs::default()),
        #[cfg(not(feature = "gui"))]
        None => {
            <Cli as clap::CommandFactory>::command().print_help()?;
            println!();
            Ok(())
        }
    }
}
