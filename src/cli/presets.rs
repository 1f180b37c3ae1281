//! `invariance-lab presets`: one line per preset.

use crate::model::config::presets;

/// Prints `name  default-steps  description` for every preset.
pub fn run() -> anyhow::Result<()> {
    for p in presets::all() {
        println!(
            "{:<16} {:>6} steps  {}",
            p.name,
            p.default_steps,
            p.description
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    Ok(())
}
