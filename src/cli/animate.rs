//! `invariance-lab animate FILE.json [--result K] [--permutation P.json] [--image PNG]
//! [--frames F] [--mp4 F.mp4] --out DIR`: the orbit of a pattern under a found
//! transformation, written as `frame_000.png …`, `orbit.gif` and `orbit.npy` (SPEC §7),
//! and as an MP4 video when `ffmpeg` is on the PATH.
//!
//! Every count is bounded and checked before the experiment is loaded or searched.
//! Ctrl+C stops the search (or the work between steps) and nothing is written.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use serde::Deserialize;

use super::interrupt::{self, Interrupted};
use crate::graph::WeightedGraph;
use crate::io::read_limited;
use crate::model::world::image_patches;
use crate::model::{Simulation, StimulusKind};
use crate::perm::Permutation;
use crate::search::{SearchOptions, search};
use crate::transform::{self, Decoder, InducedMap, export, image_input, orbit};

/// Most frames an animation may have (each is a PNG and a GIF frame in memory).
pub const MAX_FRAMES: usize = 256;

/// Longest GIF frame delay in milliseconds.
pub const MAX_FRAME_MS: u32 = 60_000;

/// Largest permutation file read (4096 neurons as JSON take about 25 KB).
pub const MAX_PERMUTATION_FILE_BYTES: u64 = 1 << 20;

/// Arguments of `animate`.
#[derive(Debug, Args)]
pub struct AnimateArgs {
    /// The experiment file (trained weights are searched for the transformation).
    #[arg(value_name = "FILE.json")]
    pub file: PathBuf,
    /// Which search result to animate, numbered as in the `search` table: 1 is the best
    /// (lowest error), at most 64. The search runs with the default options and `--seed`.
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
    /// Frames including the starting pattern, 1..=256. Default: the permutation's order
    /// + 1 (back to the start), at most 25.
    #[arg(long, value_name = "F")]
    pub frames: Option<usize>,
    /// Seed of the search.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Time limit of the search in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
    pub time_limit: f64,
    /// Delay between GIF frames in milliseconds, 1..=60000.
    #[arg(long, value_name = "MS", default_value_t = 500)]
    pub frame_ms: u32,
    /// Also write the animation as an MP4 video here (needs `ffmpeg` on the PATH; it is
    /// never downloaded). Without ffmpeg the command stops before any work.
    #[arg(long, visible_alias = "video", value_name = "F.mp4")]
    pub mp4: Option<PathBuf>,
    /// Output directory (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// The search options of `animate` (the defaults with `--seed` and `--time-limit`).
fn search_options(args: &AnimateArgs) -> SearchOptions {
    SearchOptions {
        seed: args.seed,
        time_limit_secs: args.time_limit,
        ..SearchOptions::default()
    }
}

/// The cheap checks of the arguments, before anything is loaded or searched.
fn check_arguments(args: &AnimateArgs) -> anyhow::Result<()> {
    if let Some(frames) = args.frames
        && !(1..=MAX_FRAMES).contains(&frames)
    {
        bail!("--frames {frames} is out of range: give 1 to {MAX_FRAMES}");
    }
    if !(1..=MAX_FRAME_MS).contains(&args.frame_ms) {
        bail!(
            "--frame-ms {} is out of range: give 1 to {MAX_FRAME_MS}",
            args.frame_ms
        );
    }
    if let Some(video) = &args.mp4 {
        if transform::video::find_ffmpeg().is_none() {
            bail!(
                "cannot write {}: {}",
                video.display(),
                transform::video::VideoError::NoEncoder
            );
        }
        // The one save path's check, before anything is loaded or encoded: a device,
        // FIFO, socket or folder is refused; a symbolic link is written through.
        crate::io::atomic::resolve_target(video).context("cannot write the video")?;
    }
    export::check_orbit_dir(&args.out, args.frames.unwrap_or(MAX_FRAMES))?;
    if args.permutation.is_none() && !args.truth {
        let options = search_options(args);
        options
            .check()
            .map_err(|e| anyhow::anyhow!("invalid search options: {e}"))?;
        if !(1..=options.max_results).contains(&args.result) {
            bail!(
                "--result {} does not exist: the search returns at most {} results, numbered from 1",
                args.result,
                options.max_results
            );
        }
    }
    Ok(())
}

/// Runs `animate`.
pub fn run(args: &AnimateArgs) -> anyhow::Result<()> {
    check_arguments(args)?;
    if let Err(e) = interrupt::install() {
        eprintln!("warning: Ctrl+C will not stop the animation cleanly: {e}");
    }
    let sim = super::load_experiment(&args.file)?;
    // The input files are read before the (expensive) search, so a bad one fails fast.
    let (pattern, origin, photo) = pattern(&sim, args.image.as_deref())?;
    let pi = match &args.permutation {
        Some(path) => read_permutation(path, sim.neurons())?,
        None if args.truth => sim.true_permutation().clone(),
        None => searched_permutation(&sim, &search_options(args), args.result)?,
    };
    let stopped = || {
        anyhow::Error::new(Interrupted).context(format!(
            "animation stopped; nothing written to {}",
            args.out.display()
        ))
    };
    interrupt::check().map_err(|_| stopped())?;
    let config = sim.config();
    let frames = args
        .frames
        .unwrap_or_else(|| (pi.order().min(24) as usize) + 1);
    let map = InducedMap::new(config.space, sim.fields(), sim.labels(), &pi)
        .context("cannot induce a pixel map")?;
    let decoder =
        Decoder::for_space(config.space, sim.fields()).context("cannot invert the bank")?;
    let orbit = orbit::orbit(config, sim.fields(), &pi, &map, &decoder, &pattern, frames)
        .context("cannot compute the orbit")?;
    interrupt::check().map_err(|_| stopped())?;
    let options = export::ExportOptions {
        frame_ms: args.frame_ms,
        ..export::ExportOptions::default()
    };
    // On the polar retina, a map identified as an exact rotation is also applied to the
    // whole photo at full resolution (the third panel of every frame).
    let rotation = transform::polar_render::identified_rotation(config.space, &map);
    let turned = match (
        crate::model::world::polar::PolarGrid::of(config.space),
        rotation,
        &photo,
    ) {
        (Some(grid), Some((_, steps)), Some(photo)) => {
            Some(transform::polar_render::turned_photo(&grid, photo, steps))
        }
        _ => None,
    };
    let summary =
        export::write_orbit_with(&args.out, config.space, &orbit, &options, turned.as_ref())?;
    if let Some(video) = &args.mp4 {
        let frames = export::render_frames_with(config.space, &orbit, &options, turned.as_ref())?;
        transform::video::write_mp4(video, &frames, args.frame_ms)?;
        println!("wrote the video {}", video.display());
    }
    let equivariance = transform::equivariance_error(&sim, &pi, 32);
    println!("pattern: {origin}");
    println!(
        "permutation: order {}, {} fixed points, automorphism error {:.4}",
        pi.order(),
        pi.fixed_points(),
        crate::perm::relative_error(sim.weights().view(), &pi)
    );
    match (map.description(config.space), map.matched) {
        (Some(name), Some((_, fraction))) => println!(
            "induced pixel map: {name} on {:.1}% of covered pixels",
            100.0 * fraction
        ),
        _ => println!("induced pixel map: close to no exact symmetry of the retina"),
    }
    println!(
        "confidence: {:.3} of position votes agree; mean pixel score {:.3}{}",
        map.confidence,
        map.mean_pixel_score(),
        map.kernel_confidence
            .map_or(String::new(), |k| format!("; kernel votes agree {k:.3}"))
    );
    if let (Some((t, _)), true) = (rotation, turned.is_some()) {
        println!(
            "third panel: the found map is {}: applied to the whole photo",
            config.space.describe(t)
        );
    }
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

/// Runs the search on the learned graph and returns result `result` (numbered from 1).
pub(crate) fn searched_permutation(
    sim: &Simulation,
    options: &SearchOptions,
    result: usize,
) -> anyhow::Result<Permutation> {
    let graph = WeightedGraph::new(sim.weights(), Some(sim.node_weights()))
        .context("cannot search this graph")?;
    let cancel = interrupt::cancel_token();
    let report = search(&graph, options, &cancel, &mut |_| {}).context("the search failed")?;
    if cancel.is_cancelled() {
        return Err(anyhow::Error::new(Interrupted).context(format!(
            "search stopped after {} results; nothing written",
            report.results.len()
        )));
    }
    let count = report.results.len();
    let found = result
        .checked_sub(1)
        .and_then(|k| report.results.into_iter().nth(k));
    let Some(found) = found else {
        bail!(
            "the search found {count} results; --result {result} does not exist (results are numbered from 1)"
        );
    };
    eprintln!(
        "search: result {result} of {count}, error {:.4}",
        found.relative_error
    );
    Ok(found.permutation)
}

/// A permutation file: a bare list of images, or an object with a `permutation` list.
#[derive(Deserialize)]
#[serde(untagged)]
enum PermutationFile {
    List(Vec<usize>),
    Object { permutation: Vec<usize> },
}

/// Reads a permutation file (at most [`MAX_PERMUTATION_FILE_BYTES`]).
pub(crate) fn read_permutation(path: &Path, neurons: usize) -> anyhow::Result<Permutation> {
    let bytes = read_limited(path, MAX_PERMUTATION_FILE_BYTES)?;
    let images = match serde_json::from_slice::<PermutationFile>(&bytes) {
        Ok(
            PermutationFile::List(images)
            | PermutationFile::Object {
                permutation: images,
            },
        ) => images,
        Err(_) => bail!(
            "`{}` does not hold a permutation (a JSON list of distinct indices 0..n, or an \
             object with a `permutation` list)",
            path.display()
        ),
    };
    let pi = Permutation::from_images(images)
        .map_err(|e| anyhow::anyhow!("`{}` does not hold a permutation: {e}", path.display()))?;
    if pi.len() != neurons {
        bail!(
            "`{}` permutes {} elements but the experiment has {neurons} neurons",
            path.display(),
            pi.len()
        );
    }
    Ok(pi)
}

/// The pattern to animate, a description of where it came from, and the photo it was
/// taken from (if any, at full resolution).
fn pattern(
    sim: &Simulation,
    image: Option<&Path>,
) -> anyhow::Result<(Vec<f32>, String, Option<image::GrayImage>)> {
    let space = sim.config().space;
    if let Some(path) = image {
        let photo = image_input::open_grey(path)?;
        let p = image_input::pattern_from_image(&photo, space);
        return Ok((p, format!("image {}", path.display()), Some(photo)));
    }
    if matches!(
        sim.config().stimulus.kind,
        StimulusKind::ImagePatches | StimulusKind::RotatedPhotos { .. }
    ) && let Some(photo) = image_patches::photo("astronaut")
    {
        return Ok((
            image_input::pattern_from_image(photo, space),
            "the bundled astronaut photo".into(),
            Some(photo.clone()),
        ));
    }
    let stimulus = sim
        .test_stimuli(1)
        .into_iter()
        .next()
        .context("the experiment produced no test stimulus")?;
    Ok((stimulus, "held-out test stimulus 0".into(), None))
}
