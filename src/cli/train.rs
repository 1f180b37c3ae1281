//! `invariance-lab train`: train a preset or a config file (with `--set` overrides), or
//! continue a saved run, and save it.
//!
//! Ctrl+C stops training at the end of the current step; nothing is saved unless
//! `--save-on-interrupt` asks for the run as it stands (a consistent state that
//! `--resume` continues exactly). Training that diverges is an error naming the step, and
//! nothing is saved.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Args;

use super::interrupt::{self, Interrupted};
use crate::io::{atomic, experiment};
use crate::model::learning::training_record::MAX_STEPS;
use crate::model::{MetricsRecord, Simulation};

/// Arguments of `train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Preset to start from (see `invariance-lab presets`).
    #[arg(long, required_unless_present_any = ["resume", "config"], conflicts_with_all = ["resume", "config"])]
    pub preset: Option<String>,
    /// Config file to start from (as `invariance-lab config` prints it; an experiment
    /// file's config is taken too). Needs `--steps`.
    #[arg(
        long,
        value_name = "FILE.json",
        conflicts_with = "resume",
        requires = "steps"
    )]
    pub config: Option<PathBuf>,
    /// Override one field of the preset or config, e.g. `--set decay=0.001` (repeatable;
    /// keys as `invariance-lab config` prints them).
    #[arg(long = "set", value_name = "KEY.PATH=VALUE", conflicts_with = "resume")]
    pub set: Vec<String>,
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
    /// A folder of WAV files whose excerpts replace the synthesised tones (sound worlds,
    /// e.g. `audio-pitch`). Stored in the experiment file.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["resume", "image_dir"])]
    pub audio_dir: Option<PathBuf>,
    /// A folder of PNG/JPEG photos that replaces the bundled ones (image worlds, e.g.
    /// `image-rotate`, `polar-rotate`). Stored in the experiment file.
    #[arg(long, value_name = "DIR", conflicts_with = "resume")]
    pub image_dir: Option<PathBuf>,
    /// Where to save the experiment file (written atomically).
    #[arg(long, value_name = "FILE.json")]
    pub out: PathBuf,
    /// On Ctrl+C, save the run at the last completed step instead of nothing.
    #[arg(long)]
    pub save_on_interrupt: bool,
}

/// How the training loop ended.
enum Ended {
    /// All steps done.
    Done,
    /// Ctrl+C stopped it after this many of the requested steps.
    Interrupted(u64),
}

/// Runs `train`.
pub fn run(args: &TrainArgs) -> anyhow::Result<()> {
    if let Err(e) = interrupt::install() {
        eprintln!("warning: Ctrl+C will not stop training cleanly: {e}");
    }
    // Cheap checks first: an output we could never write is refused before training.
    atomic::resolve_target(&args.out).context("cannot save the experiment")?;
    let (mut sim, steps, origin) = if let Some(path) = &args.resume {
        let sim = super::load_experiment(path).context("cannot resume")?;
        let steps = args.steps.unwrap_or(0);
        (sim, steps, format!("resumed from {}", path.display()))
    } else {
        let (mut config, default_steps) =
            super::config::resolve(args.preset.as_deref(), args.config.as_deref(), &args.set)?;
        if let Some(seed) = args.seed {
            config.seed = seed;
        }
        if let Some(batch) = args.batch {
            config.batch = batch;
        }
        let skipped = use_data_dir(
            &mut config,
            args.audio_dir.as_deref(),
            args.image_dir.as_deref(),
        )?;
        let origin = match (&args.preset, &args.config) {
            (Some(name), _) => format!("preset {name}"),
            (None, Some(path)) => format!("config {}", path.display()),
            (None, None) => bail!("give --preset NAME, --config FILE.json or --resume FILE.json"),
        };
        let sim = Simulation::new(config).with_context(|| format!("cannot build {origin}"))?;
        // Only once the run can start: a refusal stays the command's one line.
        for s in skipped {
            eprintln!("warning: {s}");
        }
        let Some(steps) = args.steps.or(default_steps) else {
            bail!("give --steps N with --config");
        };
        (sim, steps, origin)
    };
    let room = MAX_STEPS - sim.step_count().min(MAX_STEPS);
    if steps > room {
        bail!(
            "--steps {steps} is too many: the run is at step {} and at most {MAX_STEPS} steps \
             are supported (at most {room} more)",
            sim.step_count()
        );
    }
    // The first Ctrl+C also stops a step in progress (a cancelled step changes nothing).
    sim.set_cancel(Some(interrupt::cancel_token()));
    let ended = train_with_progress(&mut sim, steps);
    if let Some(d) = sim.divergence() {
        bail!("{d}; nothing saved");
    }
    if let Ended::Interrupted(done) = ended
        && !args.save_on_interrupt
    {
        return Err(anyhow::Error::new(Interrupted).context(format!(
            "training stopped after {done} of {steps} steps (at step {}); nothing saved \
             (--save-on-interrupt keeps the run)",
            sim.step_count()
        )));
    }
    experiment::save(&args.out, &sim)
        .with_context(|| format!("cannot save the experiment to `{}`", args.out.display()))?;
    match ended {
        Ended::Done => println!("{origin}; saved to {}", args.out.display()),
        Ended::Interrupted(done) => println!(
            "{origin}; interrupted after {done} of {steps} steps; saved step {} to {}",
            sim.step_count(),
            args.out.display()
        ),
    }
    print_metrics(&sim, &sim.metrics());
    Ok(())
}

/// Puts `--audio-dir` or `--image-dir` into the config (as an absolute path, so the saved
/// experiment reloads from anywhere), refusing a folder the world cannot use; returns the
/// entries it left out, each printed as one warning line once the run starts. A folder
/// without a usable file is an error.
fn use_data_dir(
    config: &mut crate::model::SimConfig,
    audio: Option<&std::path::Path>,
    image: Option<&std::path::Path>,
) -> anyhow::Result<Vec<crate::model::world::data_dir::Skipped>> {
    use crate::model::StimulusKind;
    let (dir, flag) = match (audio, image) {
        (Some(dir), _) => (dir, "--audio-dir"),
        (None, Some(dir)) => (dir, "--image-dir"),
        (None, None) => return Ok(Vec::new()),
    };
    let kind = &config.stimulus.kind;
    let fits = match flag {
        "--audio-dir" => matches!(kind, StimulusKind::Sound { .. }),
        _ => matches!(
            kind,
            StimulusKind::ImagePatches | StimulusKind::RotatedPhotos { .. }
        ),
    };
    if !fits {
        bail!(
            "{flag} does not fit {} stimuli: --audio-dir is for sound worlds (audio-pitch), \
             --image-dir for photo worlds (image-rotate, polar-rotate, polar-zoom)",
            crate::model::world::stimulus::kind_name(kind)
        );
    }
    if !dir.is_dir() {
        bail!("{flag}: {} is not a folder", dir.display());
    }
    let absolute = std::fs::canonicalize(dir)
        .with_context(|| format!("{flag}: cannot resolve {}", dir.display()))?;
    config.stimulus.data_dir = Some(absolute);
    crate::model::world::folders::warnings(&config.stimulus)
        .map_err(|e| anyhow::anyhow!("{flag}: {e}"))
}

/// Trains `steps` steps, with a progress bar on a terminal and a few plain progress
/// lines otherwise (both on stderr). Stops early on Ctrl+C or divergence.
fn train_with_progress(sim: &mut Simulation, steps: u64) -> Ended {
    let start = sim.step_count();
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(steps);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} steps  {per_sec}  eta {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    if bar.is_none() {
        eprintln!("training {steps} steps from step {start}");
    }
    let every = (steps / 10).max(1);
    let mut ended = Ended::Done;
    for i in 0..steps {
        if interrupt::interrupted() {
            ended = Ended::Interrupted(sim.step_count() - start);
            break;
        }
        sim.step();
        if interrupt::interrupted() {
            // The step may have been cancelled half-way (then it changed nothing).
            ended = Ended::Interrupted(sim.step_count() - start);
            break;
        }
        if sim.divergence().is_some() {
            break;
        }
        match &bar {
            Some(bar) => bar.inc(1),
            None if (i + 1) % every == 0 || i + 1 == steps => {
                eprintln!("step {}/{}", sim.step_count() - start, steps);
            }
            None => {}
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    sim.record_metrics();
    ended
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
        c.space.describe(c.true_transformation),
        m.symmetry_error_true
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
