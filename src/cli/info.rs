//! `invariance-lab info`: sizes, steps and metrics of an experiment file.

use std::path::PathBuf;

use clap::Args;

/// Arguments of `info`.
#[derive(Debug, Args)]
pub struct InfoArgs {
    /// The experiment file.
    #[arg(value_name = "FILE.json")]
    pub file: PathBuf,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs `info`.
pub fn run(args: &InfoArgs) -> anyhow::Result<()> {
    let sim = super::load_experiment(&args.file)?;
    let m = sim.metrics();
    let c = sim.config();
    if args.json {
        let value = serde_json::json!({
            "file": args.file.display().to_string(),
            "steps": m.step,
            "stimuli": m.stimuli,
            "neurons": sim.neurons(),
            "pixels": c.space.pixels(),
            "batch": c.batch,
            "seed": c.seed,
            "rule": c.rule,
            "space": c.space,
            "true_transformation": c.space.describe(c.true_transformation),
            "symmetry_error_true": m.symmetry_error_true,
            "symmetry_error_random": m.symmetry_error_random,
            "equivariance_error_true": crate::transform::equivariance_error_of_true_transformation(&sim, 32),
            "weight_norm": m.weight_norm,
            "max_weight": m.max_weight,
            "sparsity": m.sparsity,
            "mean_activity": m.mean_activity,
            "history_points": sim.history().len(),
        });
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        println!("file: {}", args.file.display());
        println!(
            "space: {:?}  bank: {:?}  rule: {:?}  learning rate: {}  decay: {}",
            c.space, c.bank, c.rule, c.learning_rate, c.decay
        );
        println!("recorded metric points: {}", sim.history().len());
        super::train::print_metrics(&sim, &m);
        if let Some(e) = crate::transform::equivariance_error_of_true_transformation(&sim, 32) {
            println!("equivariance error of the true transformation (32 test stimuli): {e:.4}");
        }
    }
    Ok(())
}
