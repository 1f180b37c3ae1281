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
        print_field_measures(&f, c.space);
    }
    Ok(())
}

/// The text form of the field measures.
fn print_field_measures(
    f: &crate::model::detectors::field_measures::FieldMeasures,
    space: crate::model::Space,
) {
    {
        let window = if space.is_2d() {
            format!("{0} × {0}", f.window)
        } else {
            format!("{}-pixel", f.window)
        };
        println!(
            "fields: energy in best {window} window {:.3} (min {:.3}), IPR {:.3} (≈ {:.1} pixels), \
             RMS width {:.2} px, spread {:.2} px²; tiling CV {:.3}; closure defect under the true transformation \
             {}",
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
        for c in f.closure_by.iter().skip(1) {
            println!(
                "  closure defect under {}: mean {:.3}, max {:.3}",
                c.transformation, c.mean, c.max
            );
        }
        if let Some(o) = &f.orientation {
            println!(
                "orientation ({}): selectivity {:.3} (mean), tuning half-width {:.1}° (median), \
                 {:.0}% of fields tuned within ±45°; preferred orientations \
                 0°/45°/90°/135°: {:?}",
                if space.is_periodic() {
                    "torus"
                } else {
                    "square"
                },
                o.selectivity_mean,
                o.hwhm_median_deg,
                100.0 * o.tuned_fraction,
                o.histogram
            );
        }
    }
}

/// Localisation, tiling, closure and (2-D) orientation of the bank's fields (issues 14
/// and 21): the closure under the tracked true transformation and, on the torus, under
/// both unit translations.
fn field_measures_of(
    sim: &crate::model::Simulation,
) -> crate::model::detectors::field_measures::FieldMeasures {
    use crate::model::detectors::field_measures;
    let c = sim.config();
    field_measures::measure_under(
        c.space,
        sim.fields(),
        sim.labels(),
        &field_measures::tracked_transformations(c.space, c.true_transformation),
        field_measures::DEFAULT_WINDOW,
    )
}
