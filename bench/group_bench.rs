//! Benchmark (not a test) of `exact_group` on the graph zoo, against bliss.
//!
//! It builds the zoo (`tests/group_zoo`) and the two dense timing-only matrices,
//! scrambles each with the tests' seed, writes `DIR/{name}.npy` (and
//! `DIR/{name}.d.npy` for node weights) and `DIR/manifest.json` (name, n, expected
//! order and its source) for `bench/bliss_groups.py`, times `exact_group` (median of
//! `REPEATS` runs) and writes `DIR/ours.json`. Run it with `bench/run_groups.sh`,
//! which joins both tables.
//!
//! Usage: `cargo bench --bench group_bench -- [DIR] [--write-only]`.

#[path = "../tests/group_zoo/mod.rs"]
mod group_zoo;

use std::path::PathBuf;
use std::time::Instant;

use group_zoo::Entry;
use invariance_lab::cancel::CancelToken;
use invariance_lab::group::{ExactOptions, exact_group};
use ndarray::Array1;
use serde_json::json;

/// Runs per graph; the median is reported.
const REPEATS: usize = 5;
/// The tests' relabelling seed, so the bench sees the tests' inputs.
const SCRAMBLE_SEED: u64 = 0x5eed;

/// The expected order and where it comes from: the entry's literature value, or
/// brute force for the small weighted and directed variants.
fn expected(entry: &Entry) -> (Option<String>, String) {
    match &entry.known {
        Some(k) => (Some(k.clone()), entry.source.to_string()),
        None => match entry.brute_force_order() {
            Some(o) => (Some(o.to_string()), "brute force".into()),
            None => (None, "unknown".into()),
        },
    }
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let write_only = args.iter().any(|a| a == "--write-only");
    let dir = PathBuf::from(
        args.iter()
            .find(|a| !a.starts_with("--"))
            .cloned()
            .unwrap_or_else(|| "target/bench-groups".into()),
    );
    std::fs::create_dir_all(&dir)?;
    let entries: Vec<Entry> = group_zoo::catalogue()
        .into_iter()
        .chain(group_zoo::timing_catalogue())
        .collect();

    let mut manifest = Vec::new();
    let mut inputs = Vec::new();
    for e in &entries {
        let (w, sigma) = group_zoo::scramble(&e.w, SCRAMBLE_SEED);
        let d =
            e.d.as_ref()
                .map(|d| Array1::from(sigma.apply_to_vector(&d.to_vec())));
        ndarray_npy::write_npy(dir.join(format!("{}.npy", e.name)), &w)?;
        if let Some(d) = &d {
            ndarray_npy::write_npy(dir.join(format!("{}.d.npy", e.name)), d)?;
        }
        let (order, source) = expected(e);
        manifest.push(json!({
            "name": e.name, "n": w.nrows(), "expected": order, "source": source,
            "node_weights": d.is_some(),
        }));
        inputs.push((w, d));
    }
    std::fs::write(
        dir.join("manifest.json"),
        serde_json::to_string_pretty(&manifest)?,
    )?;
    if write_only {
        println!("wrote {} graphs to {}", entries.len(), dir.display());
        return Ok(());
    }

    println!(
        "{:<16} {:>5}  {:>26}  {:>10}  {:>10}",
        "graph", "n", "our order", "our s", "nodes"
    );
    let mut rows = Vec::new();
    for (e, (w, d)) in entries.iter().zip(&inputs) {
        let mut times = Vec::with_capacity(REPEATS);
        let mut outcome = None;
        for _ in 0..REPEATS {
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
        let secs = median(times);
        let (order, nodes) = match outcome {
            Some(Ok(g)) => (g.order.decimal(), g.nodes.to_string()),
            Some(Err(err)) => (format!("error: {err}"), "-".into()),
            None => ("not run".into(), "-".into()),
        };
        println!(
            "{:<16} {:>5}  {order:>26}  {secs:>10.5}  {nodes:>10}",
            e.name,
            w.nrows()
        );
        rows.push(json!({"name": e.name, "order": order, "seconds": secs, "nodes": nodes}));
    }
    std::fs::write(dir.join("ours.json"), serde_json::to_string_pretty(&rows)?)?;
    Ok(())
}
