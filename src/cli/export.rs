//! `invariance-lab export`: the learned weights as `.npy` or `.csv` for analysis elsewhere.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Args;

use crate::io::{save_csv, save_npy_rows};

/// Arguments of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The experiment file.
    #[arg(value_name = "FILE.json")]
    pub file: PathBuf,
    /// Output for the M × M weight matrix `W` (stored order); `.npy` (float32) or `.csv`.
    #[arg(long, value_name = "OUT.npy|OUT.csv")]
    pub weights: PathBuf,
}

/// Runs `export`.
pub fn run(args: &ExportArgs) -> anyhow::Result<()> {
    let ext = args
        .weights
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if ext != "npy" && ext != "csv" {
        bail!(
            "`{}`: the output must end in .npy or .csv",
            args.weights.display()
        );
    }
    crate::io::atomic::resolve_target(&args.weights).context("cannot write the weights")?;
    let sim = super::load_experiment(&args.file)?;
    let m = sim.neurons();
    if ext == "npy" {
        // Streamed from the learning state: no copy of a 1 GiB W.
        save_npy_rows(&args.weights, m, m, |give| {
            sim.for_each_weight_row_block(give)
        })?;
    } else {
        save_csv(&args.weights, sim.weights().view())?;
    }
    println!("wrote {m} × {m} weights to {}", args.weights.display());
    Ok(())
}
