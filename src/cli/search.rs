//! `invariance-lab search INPUT [--method …] [--max-results K] [--time-limit S]
//! [--max-nodes N] [--seed S] [--penalty C] [--json]`: approximate automorphisms of a weight
//! matrix (`.npy`, `.csv`) or of a saved experiment's learned graph.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::graph::WeightedGraph;
use crate::io::imported::load_matrix_graph;
use crate::io::source::PathKind;
use crate::perm::Permutation;
use crate::search::scoring::{self, Match};
use crate::search::{SearchOptions, SearchReport, search_owned};
use crate::transform::{EquivarianceProbe, InducedMap};

/// Options of the `search` subcommand: the input, the search's own options (their
/// flags, defaults and help come from [`SearchOptions`]) and the output format.
#[derive(clap::Args, Debug, Clone)]
pub struct SearchArgs {
    /// Experiment file, or a square matrix as `.npy` (float32/float64) or `.csv`.
    pub input: PathBuf,
    /// What the search does.
    #[command(flatten)]
    pub options: SearchOptions,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Input or options that cannot be searched.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(String);

/// What was loaded: the graph (the search takes it), the true transformations as
/// `u32` image lists (half the memory while the search runs: on `torus-large`, 8,191
/// permutations of 16,384 neurons are 1 GiB as `usize`), and the rest.
struct Loaded {
    graph: WeightedGraph,
    truths: Vec<(String, Vec<u32>)>,
    sim: Option<Experiment>,
}

/// For experiments, the true transformations and what the report reads of the
/// experiment (after the search).
struct Parts {
    truths: Vec<(String, Permutation)>,
    sim: Option<Experiment>,
}

/// The parts of an experiment the report reads after the search (induced pixel maps,
/// the equivariance error, the tracked truths): the configuration, the receptive fields
/// and labels, and the held-out stimuli. The `Simulation` itself — its `W`, 1 GiB at
/// 16,384 neurons, and what it keeps besides — is dropped before the search, which
/// takes the graph's copy of `W` as its own: one matrix in memory during the search
/// instead of three.
struct Experiment {
    config: crate::model::config::SimConfig,
    fields: ndarray::Array2<f32>,
    labels: Vec<crate::model::config::NeuronLabel>,
    scored: Option<Vec<bool>>,
    test_stimuli: Vec<Vec<f32>>,
}

impl Experiment {
    fn of(sim: &crate::model::Simulation) -> Self {
        Self {
            config: sim.config().clone(),
            fields: sim.fields().clone(),
            labels: sim.labels().to_vec(),
            scored: sim.scored_neurons().map(<[bool]>::to_vec),
            test_stimuli: sim.test_stimuli(EQUIVARIANCE_TEST_STIMULI),
        }
    }

    fn config(&self) -> &crate::model::config::SimConfig {
        &self.config
    }
}

impl Parts {
    /// The neurons consistency counts (`None`: all); the interior on an open line.
    fn scored(&self) -> Option<&[bool]> {
        self.sim.as_ref().and_then(|s| s.scored.as_deref())
    }
}

/// Held-out stimuli per result for the equivariance error of SPEC §7.
const EQUIVARIANCE_TEST_STIMULI: usize = 32;

/// Runs the subcommand (`main` prints an error and exits with code 2).
pub fn run(args: &SearchArgs) -> anyhow::Result<()> {
    execute(args)
}

fn execute(args: &SearchArgs) -> anyhow::Result<()> {
    let options = &args.options;
    options.check().map_err(|e| BadInput(e.to_string()))?;
    let Loaded { graph, truths, sim } = load(&args.input)?;
    let n = graph.n();
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
    // The first Ctrl+C cancels like the app's Cancel button (the best results so far
    // are printed and `main` exits with 130); a second one exits at once.
    let _ = super::interrupt::install();
    let cancel = super::interrupt::cancel_token();
    let report = search_owned(graph, options, &cancel, &mut on_progress)
        .map_err(|e| BadInput(e.to_string()))?;
    let truths = truths
        .into_iter()
        .map(|(name, images)| {
            let images = images.into_iter().map(|x| x as usize).collect();
            Ok((name, Permutation::from_images(images)?))
        })
        .collect::<anyhow::Result<_>>()?;
    let loaded = Parts { truths, sim };
    if cancel.is_cancelled() {
        eprintln!("interrupted: the best results so far");
    }
    if let Some(bar) = progress_bar {
        bar.finish_and_clear();
    }
    let matches: Vec<Option<Match>> = report
        .results
        .iter()
        .map(|r| scoring::best_match_within(&r.permutation, &loaded.truths, loaded.scored()))
        .collect();
    let mut out = std::io::stdout().lock();
    if args.json {
        // Each result's induced pixel map is computed once, for its equivariance error
        // and its JSON entry; the held-out stimuli are encoded once; the results are
        // independent of each other, so they are measured on all cores.
        let maps: Vec<Option<InducedMap>> = match &loaded.sim {
            Some(sim) => report
                .results
                .par_iter()
                .map(|r| {
                    InducedMap::new(sim.config.space, &sim.fields, &sim.labels, &r.permutation).ok()
                })
                .collect(),
            None => vec![None; report.results.len()],
        };
        let probe = loaded.sim.as_ref().and_then(|sim| {
            EquivarianceProbe::new(&sim.config, &sim.fields, sim.test_stimuli.clone()).ok()
        });
        let equivariance: Vec<Option<f64>> = report
            .results
            .par_iter()
            .zip(&maps)
            .map(|(r, map)| {
                let (probe, map) = (probe.as_ref()?, map.as_ref()?);
                let e = probe.error_of_map(&r.permutation, map);
                e.is_finite().then_some(e)
            })
            .collect();
        let recovered = (!loaded.truths.is_empty()).then(|| match loaded.scored() {
            None => {
                let (k, how) = scoring::recovered_truths(&report, &loaded.truths);
                json!({"recovered": k, "total": loaded.truths.len(), "how": how})
            }
            Some(mask) => {
                let found: Vec<&Permutation> =
                    report.results.iter().map(|r| &r.permutation).collect();
                let k = scoring::recovered_within(&found, &loaded.truths, Some(mask));
                json!({"recovered": k, "total": loaded.truths.len(),
                       "how": "among the results, over the interior neurons"})
            }
        });
        let mut value = to_json(&report, &matches, &equivariance);
        value["recovered_truths"] = recovered.unwrap_or(Value::Null);
        // (On an open line consistency counts the interior only; not reported there.)
        if let (Some(sim), None) = (&loaded.sim, loaded.scored()) {
            value["tracked_truths"] = tracked_truths(sim, &report, &loaded.truths);
        }
        // On an open line, consistency counts the interior neurons only.
        if let Some(mask) = loaded.scored() {
            value["scored_neurons"] = json!({
                "count": mask.iter().filter(|&&x| x).count(),
                "of": mask.len(),
                "which": "interior of the line (fields that stay on it when shifted)",
            });
        }
        if let (Some(sim), Some(results)) = (&loaded.sim, value["results"].as_array_mut()) {
            for (map, out) in maps.iter().zip(results.iter_mut()) {
                out["induced_map"] = induced_map_json(sim, map.as_ref());
            }
        }
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
        "method": report.method.to_string(),
        "elapsed_s": report.elapsed_s,
        // Whether the search stopped early: results of a search that reached its time
        // limit depend on the machine's speed, and a script must be able to tell.
        "timed_out": report.timed_out,
        "cancelled": report.cancelled,
        "full_group_s": report.full_group_s,
        // What bounded each stage (counts, never seconds): why the search took as
        // long as it did.
        "work": report.work,
        "results": results,
        "group": group_json(&report.group),
        "exact_group": exact_group_json(report),
        "certificate": report.certificate,
    })
}

/// The pixel map a result induces (SPEC §7): the exact symmetry of the retina it agrees
/// with best and on what fraction of the covered pixels — for banks without exact
/// ground truth (random, learned) the measure of what the search recovered.
fn induced_map_json(sim: &Experiment, map: Option<&InducedMap>) -> Value {
    let space = sim.config().space;
    match map {
        Some(map) => json!({
            "transformation": map.description(space),
            "inverts_contrast": map.inverted,
            "agreement": map.matched.map(|(_, f)| f),
            "position_confidence": map.confidence,
            "mean_pixel_score": map.mean_pixel_score(),
        }),
        None => Value::Null,
    }
}

/// The approximate group block of the JSON output.
fn group_json(g: &crate::search::GroupSummary) -> Value {
    json!({
        "order": g.order.as_ref().map(|o| o.decimal()),
        "order_log10": g.order.as_ref().map(|o| o.log10()),
        "name": g.name,
        "generators": g.generators.iter().map(|p| p.images().to_vec()).collect::<Vec<_>>(),
        "generator_errors": g.generator_errors,
        "max_error": g.max_error,
        "checked_elements": g.checked_elements,
        "all_checked": g.all_checked,
        "tolerance": g.tolerance,
    })
}

/// The exact group block: present for every input; `order` is null (with `error`)
/// only when the group was not proved (cancelled, or beyond the work bound).
fn exact_group_json(report: &SearchReport) -> Value {
    match &report.exact_group {
        Ok(e) => json!({
            "order": e.order.decimal(),
            "order_log10": e.order.log10(),
            // False when the search was stopped: `order` is then a proved lower bound
            // (the order of the group the generators found so far generate).
            "complete": e.complete,
            "engine": e.engine,
            "nodes": e.nodes,
            "generators": e.generators.iter().map(|p| p.images().to_vec()).collect::<Vec<_>>(),
            "orbits": e.orbits,
            "tolerance": e.tolerance,
            "edge_colours": e.edge_colours,
        }),
        Err(msg) => json!({
            "order": null,
            "order_log10": null,
            "generators": [],
            "orbits": [],
            "error": msg,
        }),
    }
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
    write_group_block(out, report, truths)
}

/// The group lines under the table: the exact group (proved), the approximate group
/// (Schreier–Sims order of measured generators) and the ground-truth recovery.
fn write_group_block(
    out: &mut impl std::io::Write,
    report: &SearchReport,
    truths: &[(String, Permutation)],
) -> anyhow::Result<()> {
    match &report.exact_group {
        Ok(e) if !e.complete => writeln!(
            out,
            "exact group (weights equal within {} · max|w|): order at least {} (proved lower bound: {} stopped before the end), {} generator(s)",
            e.tolerance,
            e.order,
            e.engine.name(),
            e.generators.len()
        )?,
        Ok(e) => {
            let moved = e.generators.iter().filter(|g| g.fixed_points() > 0).count();
            writeln!(
                out,
                "exact group (weights equal within {} · max|w|, {}): order {}{}, {} generator(s){}, proved",
                e.tolerance,
                e.engine.name(),
                e.order,
                if e.order.to_u64() == Some(1) {
                    " (trivial)"
                } else {
                    ""
                },
                e.generators.len(),
                if moved > 0 {
                    format!(", {moved} fixing points")
                } else {
                    String::new()
                }
            )?;
        }
        Err(msg) => writeln!(out, "exact group: not proved ({msg})")?,
    }
    let g = &report.group;
    match &g.order {
        Some(order) => {
            let names: Vec<String> = g
                .generators
                .iter()
                .zip(&g.generator_errors)
                .enumerate()
                .map(|(k, (p, r))| {
                    let name = scoring::best_match(p, truths)
                        .filter(|m| m.recovered())
                        .map_or(format!("g{}", k + 1), |m| m.transformation);
                    format!("{name} (r = {r:.3})")
                })
                .collect();
            writeln!(
                out,
                "approximate group: {}, order {order} — generated by {}",
                g.name.as_deref().unwrap_or("?"),
                names.join(", ")
            )?;
            writeln!(
                out,
                "  elements with r ≤ {:.3} accepted; max error {:.4} over {} {} non-identity element(s)",
                g.tolerance,
                g.max_error.unwrap_or(0.0),
                if g.all_checked {
                    "all"
                } else {
                    "a random sample of"
                },
                g.checked_elements,
            )?;
        }
        None => writeln!(
            out,
            "approximate group: none (no result within the acceptance level {:.1e})",
            g.tolerance
        )?,
    }
    if !truths.is_empty() {
        let (recovered, how) = scoring::recovered_truths(report, truths);
        writeln!(
            out,
            "recovered {recovered} of {} true transformations ({how}, consistency ≥ 0.95)",
            truths.len()
        )?;
    }
    Ok(())
}

/// The best consistency the search reached with the tracked true transformation and, on
/// the torus, the other unit translation: `[{"transformation", "consistency"}]`.
fn tracked_truths(
    sim: &Experiment,
    report: &SearchReport,
    truths: &[(String, Permutation)],
) -> Value {
    let space = sim.config().space;
    let tracked = crate::model::detectors::field_measures::tracked_transformations(
        space,
        sim.config().true_transformation,
    );
    let rows: Vec<Value> = tracked
        .into_iter()
        .filter_map(|t| {
            let name = space.describe(t);
            let (_, truth) = truths.iter().find(|(n, _)| *n == name)?;
            Some(json!({
                "transformation": name,
                "consistency": scoring::best_consistency(report, truth),
            }))
        })
        .collect();
    Value::Array(rows)
}

/// Loads a matrix file or an experiment file ([`PathKind`] decides, as in the app).
fn load(path: &Path) -> anyhow::Result<Loaded> {
    if PathKind::of(path) == PathKind::Matrix {
        let graph = load_matrix_graph(path).map_err(|e| BadInput(e.to_string()))?;
        return Ok(Loaded {
            graph,
            truths: Vec::new(),
            sim: None,
        });
    }
    load_experiment(path)
}

/// Experiment files: the learned weights, node weights and true transformations.
fn load_experiment(path: &Path) -> anyhow::Result<Loaded> {
    let sim = super::load_experiment(path)?;
    // The truths before `W` is materialised, so that the two are never held at once as
    // `usize` lists next to the Simulation.
    let space = sim.config().space;
    let truths = sim
        .ground_truth_transformations()
        .into_iter()
        .map(|(t, p)| {
            let images = p.images().iter().map(|&x| x as u32).collect();
            (space.describe(t), images)
        })
        .collect();
    let graph = WeightedGraph::new(sim.weights(), Some(sim.node_weights()))
        .map_err(|e| BadInput(e.to_string()))?;
    let experiment = Experiment::of(&sim);
    drop(sim);
    Ok(Loaded {
        graph,
        truths,
        sim: Some(experiment),
    })
}
