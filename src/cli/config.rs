//! `invariance-lab config --preset NAME | --config FILE [--set KEY.PATH=VALUE]…`: prints
//! the complete configuration as pretty JSON — the `SimConfig` an experiment file holds —
//! so any run can be written down, edited and trained headless (`train --config`).
//!
//! The same resolution (a preset or a file, then the overrides, then `SimConfig::check`)
//! serves `train`, so what `config` prints is exactly what `train` would run.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;

use crate::io::config_file;
use crate::model::config::patch::{self as config_patch, PatchError};
use crate::model::{SimConfig, presets};

/// Arguments of `config`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Preset to print (see `invariance-lab presets`).
    #[arg(long, required_unless_present = "config", conflicts_with = "config")]
    pub preset: Option<String>,
    /// Config file (as printed by this command) or experiment file to print.
    #[arg(long, value_name = "FILE.json")]
    pub config: Option<PathBuf>,
    /// Override one field, e.g. `--set decay=0.001 --set bank.kernels=8` (repeatable;
    /// the keys are the JSON field names this command prints).
    #[arg(long = "set", value_name = "KEY.PATH=VALUE")]
    pub set: Vec<String>,
}

/// Runs `config`.
pub fn run(args: &ConfigArgs) -> anyhow::Result<()> {
    let (config, _) = resolve(args.preset.as_deref(), args.config.as_deref(), &args.set)?;
    println!("{}", serde_json::to_string_pretty(&config)?);
    Ok(())
}

/// A preset (with its default training length) or a config file, with `--set`
/// overrides applied and the result validated.
pub fn resolve(
    preset: Option<&str>,
    file: Option<&Path>,
    sets: &[String],
) -> anyhow::Result<(SimConfig, Option<u64>)> {
    let (base, default_steps) = match (preset, file) {
        (Some(name), _) => {
            let preset = presets::by_name(name).with_context(|| {
                format!(
                    "unknown preset `{name}`; available: {}",
                    presets::names().join(", ")
                )
            })?;
            (preset.config, Some(preset.default_steps))
        }
        (None, Some(path)) => (config_file::load_config(path)?, None),
        (None, None) => anyhow::bail!("give --preset NAME or --config FILE.json"),
    };
    let assignments = sets
        .iter()
        .map(|s| config_patch::parse_assignment(s))
        .collect::<Result<Vec<_>, PatchError>>()
        .context("--set")?;
    let config = config_patch::apply(&base, &assignments).context("--set")?;
    Ok((config, default_steps))
}
