//! Benchmark (not a test) of `exact_group` on the graph zoo and the hard families,
//! against bliss; driven by `bench/run_groups.sh` (through `bench/bliss_groups.py`).
//!
//! Two modes:
//! - `write DIR`: builds the zoo (`tests/group_zoo`: the classic graphs, the hard
//!   families of the exact-automorphism benchmarks and two dense timing-only
//!   matrices), scrambles each with the tests' seed, writes `DIR/{name}.npy` (and
//!   `DIR/{name}.d.npy` for node weights) and `DIR/manifest.json` (name, n, expected
//!   order and its source);
//! - `run DIR NAME`: loads one graph, runs `exact_group` until at least 5 runs and
//!   0.2 s (at most 51 runs), and prints one JSON line: the order (exact, decimal),
//!   whether it is complete, the engine, Traces' nodes, the median seconds per run,
//!   and the process's peak resident memory (`VmHWM`, input matrix included) and its
//!   resident memory before the first run (`VmRSS`: the input).
//!
//! One process per graph, so every peak belongs to its graph.

#[path = "../tests/group_zoo/mod.rs"]
mod group_zoo;

use std::path::{Path, PathBuf};
use std::time::Instant;

use group_zoo::Entry;
use invariance_lab::cancel::CancelToken;
use invariance_lab::group::{ExactGroupError, ExactOptions, exact_group};
use ndarray::{Array1, Array2};
use serde_json::json;

/// Fewest runs per graph and the least total time they take.
const MIN_RUNS: usize = 5;
const MIN_TOTAL_SECS: f64 = 0.2;
const MAX_RUNS: usize = 51;
/// The tests' relabelling seed, so the bench sees the tests' inputs.
const SCRAMBLE_SEED: u64 = 0x5eed;

/// The expected order and where it comes from: the entry's literature value, brute
/// force for the small weighted and directed variants, or nothing (bliss decides).
fn expected(entry: &Entry) -> (Option<String>, String) {
    match &entry.known {
        Some(k) => (Some(k.clone()), entry.source.to_string()),
        None if entry.brute_force => match entry.brute_force_order() {
            Some(o) => (Some(o.to_string()), "brute force".into()),
            None => (None, "unknown".into()),
        },
        None => (None, entry.source.to_string()),
    }
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// A `kB` field of `/proc/self/status` in MiB (`None` off Linux).
fn status_mib(field: &str) -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with(field))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn write(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    let entries: Vec<Entry> = group_zoo::catalogue()
        .into_iter()
        .chain(group_zoo::hard_catalogue())
        .chain(group_zoo::timing_catalogue())
        .collect();
    let mut manifest = Vec::new();
    for e in &entries {
        let (w, sigma) = group_zoo::scramble(&e.w, SCRAMBLE_SEED);
        ndarray_npy::write_npy(dir.join(format!("{}.npy", e.name)), &w)?;
        if let Some(d) = &e.d {
            let d = Array1::from(sigma.apply_to_vector(&d.to_vec()));
            ndarray_npy::write_npy(dir.join(format!("{}.d.npy", e.name)), &d)?;
        }
        let (order, source) = expected(e);
        manifest.push(json!({
            "name": e.name, "n": w.nrows(), "expected": order, "source": source,
            "node_weights": e.d.is_some(),
        }));
    }
    std::fs::write(
        dir.join("manifest.json"),
        serde_json::to_string_pretty(&manifest)?,
    )?;
    println!("wrote {} graphs to {}", entries.len(), dir.display());
    Ok(())
}

fn run(dir: &Path, name: &str) -> anyhow::Result<()> {
    let w: Array2<f32> = ndarray_npy::read_npy(dir.join(format!("{name}.npy")))?;
    let d_path = dir.join(format!("{name}.d.npy"));
    let d: Option<Array1<f32>> = if d_path.exists() {
        Some(ndarray_npy::read_npy(d_path)?)
    } else {
        None
    };
    let input_mib = status_mib("VmRSS:");
    let mut times = Vec::new();
    let mut outcome = None;
    let begin = Instant::now();
    while times.len() < MIN_RUNS
        || (begin.elapsed().as_secs_f64() < MIN_TOTAL_SECS && times.len() < MAX_RUNS)
    {
        let t = Instant::now();
        let r = exact_group(
            w.view(),
            d.as_ref().map(|d| d.view()),
            &ExactOptions::default(),
            &CancelToken::new(),
        );
        times.push(t.elapsed().as_secs_f64());
        outcome = Some(r);
    }
    let (order, complete, engine, nodes) = match outcome {
        Some(Ok(g)) => (g.order.decimal(), true, g.engine.name(), g.nodes),
        Some(Err(ExactGroupError::Incomplete(g))) => {
            (g.order.decimal(), false, g.engine.name(), g.nodes)
        }
        Some(Err(e)) => (format!("error: {e}"), false, "-", 0),
        None => ("not run".into(), false, "-", 0),
    };
    println!(
        "{}",
        json!({
            "name": name, "n": w.nrows(), "order": order, "complete": complete,
            "engine": engine, "nodes": nodes, "seconds": median(times),
            "peak_mib": status_mib("VmHWM:"), "input_mib": input_mib,
        })
    );
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["write", dir] => write(&PathBuf::from(dir)),
        ["run", dir, name] => run(&PathBuf::from(dir), name),
        _ => anyhow::bail!("usage: group_bench write DIR | group_bench run DIR NAME"),
    }
}
