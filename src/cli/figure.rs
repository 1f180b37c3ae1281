//! `invariance-lab figure FILE.json --plot KIND [--order stored|truth|recovered]
//! [--neuron I] --out F.svg|F.png`: one of the app's plots as a figure for a paper or a
//! slide, written from the experiment's data by [`crate::figure`].
//!
//! The output's format comes from its extension, checked before the file is loaded.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};

use crate::figure::colour_scale::Colormap;
use crate::figure::order::MatrixOrder;
use crate::figure::{self, Figure, Format, Palette, order, views};
use crate::model::Simulation;
use crate::search::SearchOptions;

/// Which plot to draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PlotKind {
    /// Symmetry error of the true transformation and of a random permutation against
    /// stimuli seen, log–log, with the 1/√N guide.
    Learning,
    /// ‖W‖ against stimuli seen.
    WeightNorm,
    /// Mean activity against stimuli seen.
    MeanActivity,
    /// The last stimulus shown.
    Stimulus,
    /// The detectors' activities for the last stimulus, in the `--order`.
    Activities,
    /// The receptive field of `--neuron`.
    Fields,
    /// Row `--neuron` of W, in the `--order`.
    Row,
    /// The weight matrix in the `--order`, with its colour bar.
    Heatmap,
}

/// Arguments of `figure`.
#[derive(Debug, Args)]
pub struct FigureArgs {
    /// The experiment file.
    #[arg(value_name = "FILE.json")]
    pub file: PathBuf,
    /// Which plot.
    #[arg(long, value_enum)]
    pub plot: PlotKind,
    /// Order of the neurons (heatmap, activities, row).
    #[arg(long, value_enum, default_value_t = MatrixOrder::Stored)]
    pub order: MatrixOrder,
    /// The neuron of `fields` and `row` (stored index).
    #[arg(long, value_name = "I", default_value_t = 0)]
    pub neuron: usize,
    /// Colour map of the heatmap (default: diverging if any weight is negative).
    #[arg(long, value_enum)]
    pub colormap: Option<Colormap>,
    /// The permutation of `--order recovered` (a JSON list of images, or an object with a
    /// `permutation` field); without it the search runs with `--seed`.
    #[arg(long, value_name = "P.json")]
    pub permutation: Option<PathBuf>,
    /// Seed of the search for `--order recovered`.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Time limit of that search in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
    pub time_limit: f64,
    /// Output file: `.svg` (vector) or `.png` (2× scale).
    #[arg(long, value_name = "F.svg|F.png")]
    pub out: PathBuf,
}

/// Runs `figure`.
pub fn run(args: &FigureArgs) -> anyhow::Result<()> {
    Format::from_path(&args.out)?;
    // An output that could never be written is refused before the plot is computed.
    crate::io::atomic::resolve_target(&args.out).context("cannot write the figure")?;
    let sim = super::load_experiment(&args.file)?;
    let fig = build(&sim, args)?;
    figure::write(&args.out, &fig)?;
    println!("wrote {} to {}", fig.title(), args.out.display());
    Ok(())
}

/// The figure `args` ask for.
pub fn build(sim: &Simulation, args: &FigureArgs) -> anyhow::Result<Figure> {
    let neurons = sim.neurons();
    if matches!(args.plot, PlotKind::Fields | PlotKind::Row) && args.neuron >= neurons {
        bail!(
            "--neuron {} does not exist: the experiment has {neurons} neurons (0 to {})",
            args.neuron,
            neurons.saturating_sub(1)
        );
    }
    let needs_stimulus = matches!(args.plot, PlotKind::Stimulus | PlotKind::Activities);
    if needs_stimulus && sim.step_count() == 0 {
        bail!("the run has not seen a stimulus yet: train it first (`invariance-lab train`)");
    }
    Ok(match args.plot {
        PlotKind::Learning => views::learning_curve(sim.history()).into(),
        PlotKind::WeightNorm => {
            views::metric_curve(sim.history(), views::Metric::WeightNorm).into()
        }
        PlotKind::MeanActivity => {
            views::metric_curve(sim.history(), views::Metric::MeanActivity).into()
        }
        PlotKind::Stimulus => views::pattern(
            sim.config().space,
            &sim.snapshot().stimulus,
            &views::PatternKind::Stimulus,
        ),
        PlotKind::Fields => views::pattern(
            sim.config().space,
            &sim.fields().row(args.neuron).to_vec(),
            &views::PatternKind::Field {
                neuron: args.neuron,
                description: String::new(),
            },
        ),
        PlotKind::Activities => {
            let (ord, name) = display_order(sim, args)?;
            views::activities(&sim.snapshot().activity, &ord, name).into()
        }
        PlotKind::Row => {
            let (ord, name) = display_order(sim, args)?;
            views::weight_row(sim.weights().view(), args.neuron, &ord, name).into()
        }
        PlotKind::Heatmap => {
            let (ord, name) = display_order(sim, args)?;
            let w = sim.weights();
            let palette = match args.colormap {
                Some(colormap) => colormap.palette(),
                None if order::off_diagonal_range(w.view()).is_some_and(|(lo, _)| lo < 0.0) => {
                    Palette::Diverging
                }
                None => Palette::Viridis,
            };
            views::heatmap(w.view(), &ord, name, palette, None).into()
        }
    })
}

/// The display order `--order` names, and its name for axis labels.
fn display_order(
    sim: &Simulation,
    args: &FigureArgs,
) -> anyhow::Result<(Vec<usize>, &'static str)> {
    Ok(match args.order {
        MatrixOrder::Stored => ((0..sim.neurons()).collect(), args.order.axis_name()),
        MatrixOrder::Truth => (order::truth_order(sim.labels()), args.order.axis_name()),
        MatrixOrder::Recovered => {
            let pi = match &args.permutation {
                Some(path) => super::animate::read_permutation(path, sim.neurons())?,
                None => {
                    let options = SearchOptions {
                        seed: args.seed,
                        time_limit_secs: args.time_limit,
                        ..SearchOptions::default()
                    };
                    options
                        .check()
                        .map_err(|e| anyhow::anyhow!("invalid search options: {e}"))?;
                    super::animate::searched_permutation(sim, &options, 1)
                        .context("cannot find the recovered order")?
                }
            };
            (order::recovered_order(&pi), args.order.axis_name())
        }
    })
}
