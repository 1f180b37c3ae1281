//! `invariance-lab search INPUT [--method …] [--max-results K] [--time-limit S]
//! [--seed S] [--penalty C] [--json]`: approximate automorphisms of a weight
//! matrix (`.npy`, `.csv`) or of a saved experiment's learned graph.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde_json::{Value, json};

use crate::perm::Permutation;
use crate::search::scoring::{self, Match};
use crate::search::{CancelToken, Method, SearchOptions, SearchReport, WeightedGraph, search};

/// Options of the `search` subcommand.
#[derive(clap::Args, Debug, Clone)]
pub struct SearchArgs {
    /// Experiment file, or a square matrix as `.npy` (float32/float64) or `.csv`.
    pub input: PathBuf,
    /// Solver: auto (default), seeded, spectral, faq or anneal.
    #[arg(long, default_value = "auto", value_parser = ["auto", "seeded", "spectral", "faq", "anneal"])]
    pub method: String,
    /// Most results to return (also stops the enumeration once that many good ones exist).
    #[arg(long, value_name = "K", default_value_t = 64)]
    pub max_results: usize,
    /// Wall-clock limit in seconds; the best results so far are printed.
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
    pub time_limit: f64,
    /// Seed for every random choice.
    #[arg(long, value_name = "S", default_value_t = 0)]
    pub seed: u64,
    /// Fixed-point penalty c in J = r² + c·fix/n.
    #[arg(long, value_name = "C", default_value_t = 0.5)]
    pub penalty: f64,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Input or options that cannot be searched.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(String);

/// What was loaded: the graph and, for experiments, the true transformations.
struct Loaded {
    graph: WeightedGraph,
    truths: Vec<(String, Permutation)>,
    /// The experiment, when the input was one (for the equivariance error).
    sim: Option<crate::model::Simulation>,
}

/// Held-out stimuli per result for the equivariance error of SPEC §7.
const EQUIVARIANCE_TEST_STIMULI: usize = 32;

/// Runs the subcommand (`main` prints an error and exits with code 2).
pub fn run(args: &SearchArgs) -> anyhow::Result<()> {
    execute(args)
}

fn execute(args: &SearchArgs) -> anyhow::Result<()> {
    let method: Method = args.method.parse().map_err(|e| BadInput(format!("{e}")))?;
    let options = SearchOptions {
        method,
        max_results: args.max_results,
        time_limit_secs: args.time_limit,
        seed: args.seed,
        penalty: args.penalty,
        ..SearchOptions::default()
    };
    options.check().map_err(|e| BadInput(e.to_string()))?;
    let loaded = load(&args.input)?;
    let n = loaded.graph.n();
    let progress_bar = (!args.json).then(|| {
        let bar = indicatif::ProgressBar::new(1000);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "searching {bar:40} {percent:>3}% best r = {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let mut on_progress = |p: crate::search::Progress| {
        if let Some(bar) = &progress_bar {
            bar.set_position((p.fraction * 1000.0) as u64);
            bar.set_message(p.best_error.map_or("–".to_string(), |e| format!("{e:.4}")));
        }
    };
    let report = search(
        &loaded.graph,
        &options,
        &CancelToken::new(),
        &mut on_progress,
    )
    .map_err(|e| BadInput(e.to_string()))?;
    if let Some(bar) = progress_bar {
        bar.finish_and_clear();
    }
    let matches: Vec<Option<Match>> = report
        .results
        .iter()
        .map(|r| scoring::best_match(&r.permutation, &loaded.truths))
        .collect();
    let mut out = std::io::stdout().lock();
    if args.json {
        let equivariance: Vec<Option<f64>> = report
            .results
            .iter()
            .map(|r| {
                loaded.sim.as_ref().and_then(|sim| {
                    let e = crate::transform::equivariance_error(
                        sim,
                        &r.permutation,
                        EQUIVARIANCE_TEST_STIMULI,
                    );
                    e.is_finite().then_some(e)
                })
            })
            .collect();
        let value = to_json(&report, &matches, &equivariance);
        writeln!(out, "{}", serde_json::to_string(&value)?)?;
    } else {
        write_table(&mut out, n, &report, &matches, &loaded.truths)?;
    }
    Ok(())
}

/// The JSON object documented in the README (`search` section). `equivariance[k]` is the
/// equivariance error of result `k` (`None` for a bare matrix, written as `null`).
pub fn to_json(
    report: &SearchReport,
    matches: &[Option<Match>],
    equivariance: &[Option<f64>],
) -> Value {
    let results: Vec<Value> = report
        .results
        .iter()
        .zip(matches)
        .zip(equivariance.iter().copied().chain(std::iter::repeat(None)))
        .map(|((r, m), eq)| {
            json!({
                "permutation": r.permutation.images(),
                "relative_error": r.relative_error,
                "node_weight_error": r.node_weight_error,
                "fixed_points": r.fixed_points,
                "order": r.order,
                "cycle_type": r.cycle_type.iter().map(|&(l, c)| [l, c]).collect::<Vec<_>>(),
                "exact": r.exact,
                "net_flow": r.net_flow,
                "match": m.as_ref().map(|m| json!({"transformation": m.transformation, "consistency": m.consistency})),
                "equivariance_error": eq,
            })
        })
        .collect();
    json!({
        "n": report.n,
        "method": report.method.name(),
        "elapsed_s": report.elapsed_s,
        "results": results,
        "group": {
            "order": report.group.order,
            "generators": report.group.generators.iter().map(|g| g.images().to_vec()).collect::<Vec<_>>(),
        },
    })
}

fn write_table(
    out: &mut impl std::io::Write,
    n: usize,
    report: &SearchReport,
    matches: &[Option<Match>],
    truths: &[(String, Permutation)],
) -> anyhow::Result<()> {
    writeln!(
        out,
        "n = {n}, method = {}, {:.2} s{}{}",
        report.method,
        report.elapsed_s,
        if report.timed_out {
            " (time limit reached)"
        } else {
            ""
        },
        if report.cancelled { " (cancelled)" } else { "" }
    )?;
    writeln!(
        out,
        "{:>4}  {:>10}  {:>5}  {:>5}  {:>6}  {:>6}  {:<24}  best match (consistency)",
        "#", "rel.error", "exact", "fixed", "order", "flow", "cycle type"
    )?;
    for (k, (r, m)) in report.results.iter().zip(matches).enumerate() {
        let ct: Vec<String> = r
            .cycle_type
            .iter()
            .map(|&(l, c)| format!("{l}^{c}"))
            .collect();
        let mut ct = ct.join(" ");
        if ct.chars().count() > 24 {
            ct = ct.chars().take(23).collect::<String>() + "…";
        }
        let m = m.as_ref().map_or("–".to_string(), |m| {
            format!(
                "{} ({:.3}){}",
                m.transformation,
                m.consistency,
                if m.recovered() { " ✓" } else { "" }
            )
        });
        writeln!(
            out,
            "{:>4}  {:>10.3e}  {:>5}  {:>5}  {:>6}  {:>+6.2}  {:<24}  {}",
            k + 1,
            r.relative_error,
            if r.exact { "yes" } else { "no" },
            r.fixed_points,
            r.order,
            r.net_flow,
            ct,
            m
        )?;
    }
    if report.results.is_empty() {
        writeln!(out, "(no non-identity permutation found)")?;
    }
    match report.group.order {
        Some(o) => writeln!(
            out,
            "group generated by results with r ≤ {:.1e}: order {o}, {} generator(s)",
            report.group.tolerance,
            report.group.generators.len()
        )?,
        None if report.group.generators.is_empty() => writeln!(
            out,
            "no results within the group tolerance {:.1e}",
            report.group.tolerance
        )?,
        None => writeln!(
            out,
            "group closure did not complete ({} generator(s))",
            report.group.generators.len()
        )?,
    }
    if !truths.is_empty() {
        let found: Vec<Permutation> = report
            .results
            .iter()
            .map(|r| r.permutation.clone())
            .collect();
        let rec = scoring::recovered(&found, truths);
        writeln!(
            out,
            "recovered {} of {} true transformations",
            rec.len(),
            truths.len()
        )?;
    }
    Ok(())
}

/// Loads a matrix file or an experiment file.
fn load(path: &Path) -> anyhow::Result<Loaded> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if matches!(ext.as_str(), "npy" | "csv" | "txt" | "tsv") {
        let m = crate::io::matrix::load_matrix(path).map_err(|e| BadInput(e.to_string()))?;
        let graph = WeightedGraph::from_f64(m.view())
            .map_err(|e| BadInput(format!("{}: {e}", path.display())))?;
        return Ok(Loaded {
            graph,
            truths: Vec::new(),
            sim: None,
        });
    }
    load_experiment(path)
        .with_context(|| format!("cannot read experiment file `{}`", path.display()))
}

/// Experiment files: the learned weights, node weights and true transformations.
fn load_experiment(path: &Path) -> anyhow::Result<Loaded> {
    let sim = crate::io::experiment::load(path).map_err(|e| BadInput(e.to_string()))?;
    let graph = WeightedGraph::new(sim.weights(), Some(sim.node_weights()))
        .map_err(|e| BadInput(e.to_string()))?;
    let truths = sim
        .ground_truth_transformations()
        .into_iter()
        .map(|(t, p)| (t.to_string(), p))
        .collect();
    Ok(Loaded {
        graph,
        truths,
        sim: Some(sim),
    })
}
