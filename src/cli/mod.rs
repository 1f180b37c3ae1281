//! The headless command-line front (clap). Every subcommand is a thin wrapper around
//! library calls; errors travel up as `anyhow` errors and `main` prints them with `{:#}`
//! and exits with code 2. No GUI types here.

use clap::{CommandFactory, Parser, Subcommand};

pub mod export;
pub mod info;
pub mod presets;
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
    /// Train a preset (or continue a saved run) and save the experiment file.
    Train(train::TrainArgs),
    /// Show sizes, steps and metrics of an experiment file.
    Info(info::InfoArgs),
    /// Export the learned weight matrix as .npy or .csv.
    Export(export::ExportArgs),
    // GUI: the desktop-app subcommand goes here, behind `#[cfg(feature = "gui")]`.
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Some(Command::Presets) => presets::run(),
        Some(Command::Train(args)) => train::run(&args),
        Some(Command::Info(args)) => info::run(&args),
        Some(Command::Export(args)) => export::run(&args),
        // GUI: with the `gui` feature, "no subcommand" opens the app instead.
        None => {
            Cli::command().print_help()?;
            println!();
            Ok(())
        }
    }
}
