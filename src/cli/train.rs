//! `invariance-lab train`: train a preset, or continue a saved run, and save it.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Args;

use crate::io::experiment;
use crate::model::{MetricsRecord, Simulation, presets};

/// Arguments of `train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Preset to start from (see `invariance-lab presets`).
    #[arg(long, required_unless_present = "resume", conflicts_with = "resume")]
    pub preset: Option<String>,
    /// Continue this experiment file exactly where it stopped.
    #[arg(long, value_name = "FILE.json", requires = "steps")]
    pub resume: Option<PathBuf>,
    /// Steps to train (default: the preset's training length).
    #[arg(long)]
    pub steps: Option<u64>,
    /// Master seed (bank, hidden order, stimuli); default: the preset's.
    #[arg(long, conflicts_with = "resume")]
    pub seed: Option<u64>,
    /// Stimuli per step; default: the preset's.
    #[arg(long, conflicts_with = "resume")]
    pub batch: Option<usize>,
    /// Where to save the experiment file (written atomically).
    #[arg(long, value_name = "FILE.json")]
    pub out: PathBuf,
}

/// Runs `train`.
pub fn run(args: &TrainArgs) -> anyhow::Result<()> {
    let (mut sim, steps, origin) = if let Some(path) = &args.resume {
        let sim = experiment::load(path)
            .with_context(|| format!("cannot resume from `{}`", path.display()))?;
        let steps = args.steps.unwrap_or(0);
        (sim, steps, format!("resumed from {}", path.display()))
    } else {
        let Some(name) = &args.preset else {
            bail!("give --preset NAME or --resume FILE.json");
        };
        let preset = presets::by_name(name).with_context(|| {
            format!(
                "unknown preset `{name}`; available: {}",
                presets::names().join(", ")
            )
        })?;
        let mut config = preset.config;
        if let Some(seed) = args.seed {
            config.seed = seed;
        }
        if let Some(batch) = args.batch {
            config.batch = batch;
        }
        let sim =
            Simulation::new(config).with_context(|| format!("cannot build preset `{name}`"))?;
        (
            sim,
            args.steps.unwrap_or(preset.default_steps),
            format!("preset {name}"),
        )
    };
    train_with_progress(&mut sim, steps);
    experiment::save(&args.out, &sim)
        .with_context(|| format!("cannot save the experiment to `{}`", args.out.display()))?;
    println!("{origin}; saved to {}", args.out.display());
    print_metrics(&sim, &sim.metrics());
    Ok(())
}

/// Trains `steps` steps, with a progress bar on a terminal and a few plain progress
/// lines otherwise (both on stderr).
fn train_with_progress(sim: &mut Simulation, steps: u64) {
    let start = sim.step_count();
    if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(steps);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} steps  {per_sec}  eta {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        for _ in 0..steps {
            sim.step();
            bar.inc(1);
        }
        bar.finish_and_clear();
    } else {
        let every = (steps / 10).max(1);
        for i in 0..steps {
            sim.step();
            if (i + 1) % every == 0 || i + 1 == steps {
                eprintln!("step {}/{}", sim.step_count() - start, steps);
            }
        }
    }
    sim.record_metrics();
}

/// The final metrics, human-readable, on stdout.
pub fn print_metrics(sim: &Simulation, m: &MetricsRecord) {
    let c = sim.config();
    println!(
        "steps: {}  stimuli: {}  neurons: {}  pixels: {}  batch: {}  seed: {}",
        m.step,
        m.stimuli,
        sim.neurons(),
        c.space.pixels(),
        c.batch,
        c.seed
    );
    println!(
        "symmetry error of the true transformation ({}): {:.4}",
        c.true_transformation, m.symmetry_error_true
    );
    println!(
        "symmetry error of a random permutation (baseline): {:.4}",
        m.symmetry_error_random
    );
    println!(
        "weight norm: {:.4e}  max weight: {:.4e}  sparsity: {:.3}  mean activity: {:.4}",
        m.weight_norm, m.max_weight, m.sparsity, m.mean_activity
    );
}
