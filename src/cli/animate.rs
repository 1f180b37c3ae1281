//! `invariance-lab animate FILE.json [--result K] [--permutation P.json] [--image PNG]
//! [--frames F] --out DIR`: the orbit of a pattern under a found transformation, written as
//! `frame_000.png …`, `orbit.gif` and `orbit.npy` (SPEC §7, issue 5).

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;

use crate::io::experiment;
use crate::model::{Simulation, StimulusKind, image_patches};
use crate::perm::Permutation;
use crate::search::{CancelToken, SearchOptions, WeightedGraph, search};
use crate::transform::{self, Decoder, InducedMap, export, image_input, orbit};

/// Arguments of `animate`.
#[derive(Debug, Args)]
pub struct AnimateArgs {
    /// The experiment file (trained weights are searched for the transformation).
    #[arg(value_name = "FILE.json")]
    pub file: PathBuf,
    /// Which search result to animate, numbered as in the `search` table: 1 is the best
    /// (lowest error). The search runs with the default options and `--seed`.
    #[arg(long, value_name = "K", default_value_t = 1, conflicts_with_all = ["permutation", "truth"])]
    pub result: usize,
    /// Animate this permutation of neurons instead of searching: a JSON list of images
    /// (`[π(0), π(1), …]`) or an object with a `permutation` field.
    #[arg(long, value_name = "P.json", conflicts_with = "truth")]
    pub permutation: Option<PathBuf>,
    /// Animate the ground-truth permutation of the configured true transformation (for
    /// comparison; uses the labels, unlike the search).
    #[arg(long)]
    pub truth: bool,
    /// A PNG or JPEG to animate (grey, centre square, resized to the retina). Default: the
    /// bundled astronaut photo for image presets, otherwise a held-out test stimulus.
    #[arg(long, value_name = "PNG")]
    pub image: Option<PathBuf>,
    /// Frames including the starting pattern. Default: the permutation's order + 1
    /// (back to the start), at most 25.
    #[arg(long, value_name = "F")]
    pub frames: Option<usize>,
    /// Seed of the search.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Time limit of the search in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
    pub time_limit: f64,
    /// Delay between GIF frames in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 500)]
    pub frame_ms: u32,
    /// Output directory (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// Runs `animate`.
pub fn run(args: &AnimateArgs) -> anyhow::Result<()> {
    if args.frames == Some(0) {
        bail!("--frames must be at least 1");
    }
    let sim = experiment::load(&args.file)
        .with_context(|| format!("cannot read `{}`", args.file.display()))?;
    let pi = match &args.permutation {
        Some(path) => read_permutation(path, sim.neurons())?,
        None if args.truth => sim.true_permutation().clone(),
        None => searched_permutation(&sim, args)?,
    };
    let config = sim.config();
    let (pattern, origin) = pattern(&sim, args.image.as_deref())?;
    let frames = args
        .frames
        .unwrap_or_else(|| (pi.order().min(24) as usize) + 1);
    let map = InducedMap::new(config.space, sim.fields(), sim.labels(), &pi)
        .context("cannot induce a pixel map")?;
    let decoder =
        Decoder::for_space(config.space, sim.fields()).context("cannot invert the bank")?;
    let orbit = orbit::orbit(config, sim.fields(), &pi, &map, &decoder, &pattern, frames)
        .context("cannot compute the orbit")?;
    let options = export::ExportOptions {
        frame_ms: args.frame_ms,
        ..export::ExportOptions::default()
    };
    let summary = export::write_orbit(&args.out, config.space, &orbit, &options)?;
    let equivariance = transform::equivariance_error(&sim, &pi, 32);
    println!("pattern: {origin}");
    println!(
        "permutation: order {}, {} fixed points, automorphism error {:.4}",
        pi.order(),
        pi.fixed_points(),
        crate::perm::relative_error(sim.weights().view(), &pi)
    );
    match map.matched {
        Some((t, fraction)) => println!(
            "induced pixel map: {} on {:.1}% of covered pixels",
            config.space.describe(t),
            100.0 * fraction
        ),
        None => println!("induced pixel map: close to no exact symmetry of the retina"),
    }
    println!(
        "confidence: {:.3} of position votes agree; mean pixel score {:.3}{}",
        map.confidence,
        map.mean_pixel_score(),
        map.kernel_confidence
            .map_or(String::new(), |k| format!("; kernel votes agree {k:.3}"))
    );
    println!("equivariance error (32 test stimuli): {equivariance:.4}");
    let mean_agreement = orbit.agreement.iter().sum::<f64>() / orbit.len() as f64;
    println!(
        "honest vs crisp correlation: mean {mean_agreement:.3} over {} frames",
        orbit.len()
    );
    println!(
        "wrote {} frames, {} and {} to {}",
        summary.frames.len(),
        file_name(&summary.gif),
        file_name(&summary.npy),
        args.out.display()
    );
    Ok(())
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// Runs the search on the learned graph and returns result `args.result`.
fn searched_permutation(sim: &Simulation, args: &AnimateArgs) -> anyhow::Result<Permutation> {
    let graph = WeightedGraph::new(sim.weights(), Some(sim.node_weights()))
        .context("cannot search this graph")?;
    let options = SearchOptions {
        seed: args.seed,
        time_limit_secs: args.time_limit,
        ..SearchOptions::default()
    };
    let report =
        search(&graph, &options, &CancelToken::new(), &mut |_| {}).context("the search failed")?;
    let count = report.results.len();
    let found = args
        .result
        .checked_sub(1)
        .and_then(|k| report.results.into_iter().nth(k));
    let Some(found) = found else {
        bail!(
            "the search found {count} results; --result {} does not exist (results are numbered from 1)",
            args.result
        );
    };
    eprintln!(
        "search: result {} of {count}, error {:.4}",
        args.result, found.relative_error
    );
    Ok(found.permutation)
}

/// Reads a permutation file: a JSON array, or an object with a `permutation` array.
fn read_permutation(path: &Path, neurons: usize) -> anyhow::Result<Permutation> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read `{}`", path.display()))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("`{}` is not JSON", path.display()))?;
    let list = value.get("permutation").cloned().unwrap_or(value);
    let pi: Permutation = serde_json::from_value(list).with_context(|| {
        format!(
            "`{}` does not hold a permutation (a list of distinct indices)",
            path.display()
        )
    })?;
    if pi.len() != neurons {
        bail!(
            "`{}` permutes {} elements but the experiment has {neurons} neurons",
            path.display(),
            pi.len()
        );
    }
    Ok(pi)
}

/// The pattern to animate and a description of where it came from.
fn pattern(sim: &Simulation, image: Option<&Path>) -> anyhow::Result<(Vec<f32>, String)> {
    let space = sim.config().space;
    if let Some(path) = image {
        let p = image_input::open_pattern(path, space)?;
        return Ok((p, format!("image {}", path.display())));
    }
    if matches!(sim.config().stimulus.kind, StimulusKind::ImagePatches)
        && let Some(photo) = image_patches::photo("astronaut")
    {
        return Ok((
            image_input::pattern_from_image(photo, space),
            "the bundled astronaut photo".into(),
        ));
    }
    let stimulus = sim
        .test_stimuli(1)
        .into_iter()
        .next()
        .context("the experiment produced no test stimulus")?;
    Ok((stimulus, "held-out test stimulus 0".into()))
}
