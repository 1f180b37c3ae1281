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
            "phase": sim.phase(),
            "field_steps": sim.field_steps(),
            "fields": field_measures_of(&sim),
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
        let f = field_measures_of(&sim);
        println!(
            "fields: energy in best {}-pixel window {:.3} (min {:.3}), IPR {:.3} (≈ {:.1} pixels), \
             RMS width {:.2} px, spread {:.2} px²; tiling CV {:.3}; closure defect under the true transformation \
             {}",
            f.window,
            f.window_share_mean,
            f.window_share_min,
            f.ipr_mean,
            f.participation,
            f.rms_width_mean,
            f.spread_mean,
            f.tiling_cv,
            match (f.closure_mean, f.closure_max) {
                (Some(mean), Some(max)) => format!("mean {mean:.3}, max {max:.3}"),
                _ => "–".into(),
            }
        );
    }
    Ok(())
}

/// Localisation, tiling and closure of the bank's fields (issue 14), the closure under the
/// tracked true transformation.
fn field_measures_of(
    sim: &crate::model::Simulation,
) -> crate::model::field_measures::FieldMeasures {
    let c = sim.config();
    let pixel_perm = c.space.pixel_permutation(c.true_transformation);
    crate::model::field_measures::measure(
        c.space,
        sim.fields(),
        sim.labels(),
        pixel_perm.as_ref(),
        crate::model::field_measures::DEFAULT_WINDOW,
    )
}
