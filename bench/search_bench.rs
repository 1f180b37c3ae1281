//! Benchmark (not a test) of the automorphism search on planted symmetries.
//!
//! For each family (symmetric circulant, directed circulant, random graph with
//! a planted involution) and size n, it generates the matrix, adds noise
//! (planted symmetry error ≈ 0.07), scrambles the labels, writes
//! `DIR/{family}_{n}.npy` and `DIR/{family}_{n}.json` (the scrambling σ and
//! the planted symmetry) for `bench/search_peers.py`, runs the engine
//! (`auto`, default options, `--max-results 1`) and writes
//! `DIR/engine.json`. Run it with `bench/run_search.sh`.
//!
//! Usage: `cargo bench --bench search_bench -- [DIR] [SIZES…]`.

#[path = "../tests/search_common/mod.rs"]
mod search_common;

use std::path::PathBuf;
use std::time::Instant;

use invariance_lab::cancel::CancelToken;
use invariance_lab::graph::WeightedGraph;
use invariance_lab::perm::Permutation;
use invariance_lab::search::{SearchOptions, search};
use ndarray::Array2;
use search_common::*;
use serde_json::json;

/// Families generated, in table order.
const FAMILIES: [&str; 3] = ["circulant", "directed", "planted"];

/// True if `p` (on scrambled labels) is a non-identity element of the planted group.
fn is_planted(
    family: &str,
    p: &Permutation,
    sigma: &Permutation,
    planted: Option<&Permutation>,
) -> bool {
    let n = p.len();
    if family == "planted" {
        return planted.is_some_and(|g| consistency(p, g) >= 0.95);
    }
    // Back to the original labels, where the group is shifts (and reflections).
    let q = sigma.then(p).then(&sigma.inverse());
    let need = (0.95 * n as f64).ceil() as usize;
    let mut shift = vec![0usize; n];
    let mut refl = vec![0usize; n];
    for i in 0..n {
        shift[(q.image(i) + n - i) % n] += 1;
        refl[(q.image(i) + i) % n] += 1;
    }
    let best_shift = (1..n).map(|k| shift[k]).max().unwrap_or(0);
    let best_refl = if family == "circulant" {
        refl.iter().copied().max().unwrap_or(0)
    } else {
        0
    };
    best_shift >= need || best_refl >= need
}

fn generate(family: &str, n: usize, seed: u64) -> (Array2<f32>, Option<Permutation>) {
    match family {
        "circulant" => (
            add_relative_noise(&noisy_circulant(n, 4.0, 0.0, seed), 0.05, seed + 1),
            None,
        ),
        "directed" => (
            add_relative_noise(&directed_circulant(n, 0.0, seed), 0.05, seed + 1),
            None,
        ),
        _ => {
            let (w, g) = planted_involution(n, 0.0, seed);
            (add_relative_noise(&w, 0.05, seed + 1), Some(g))
        }
    }
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let dir = PathBuf::from(args.first().cloned().unwrap_or_else(|| "bench/data".into()));
    let sizes: Vec<usize> = if args.len() > 1 {
        args[1..]
            .iter()
            .map(|s| s.parse())
            .collect::<Result<_, _>>()?
    } else {
        vec![128, 512, 1024, 2048]
    };
    std::fs::create_dir_all(&dir)?;
    let mut rows = Vec::new();
    println!(
        "{:<10} {:>5}  {:>9}  {:>9}  {:>8}",
        "family", "n", "recovered", "best r", "time s"
    );
    for family in FAMILIES {
        for &n in &sizes {
            let seed = 1000 + n as u64;
            let (w0, g0) = generate(family, n, seed);
            let (w, sigma) = scramble(&w0, seed + 7);
            let planted = g0.map(|g| conjugate(&g, &sigma));
            let stem = dir.join(format!("{family}_{n}"));
            ndarray_npy::write_npy(stem.with_extension("npy"), &w)?;
            let meta = json!({
                "family": family,
                "n": n,
                "sigma": sigma.images(),
                "planted": planted.as_ref().map(|g| g.images().to_vec()),
            });
            std::fs::write(stem.with_extension("json"), serde_json::to_string(&meta)?)?;
            let graph = WeightedGraph::new(w, None)?;
            let options = SearchOptions {
                max_results: 1,
                ..SearchOptions::default()
            };
            let t = Instant::now();
            let report = search(&graph, &options, &CancelToken::new(), &mut |_| {})?;
            let secs = t.elapsed().as_secs_f64();
            let best = report.results.first();
            let ok =
                best.is_some_and(|r| is_planted(family, &r.permutation, &sigma, planted.as_ref()));
            let err = best.map_or(f64::NAN, |r| r.relative_error);
            println!(
                "{family:<10} {n:>5}  {:>9}  {err:>9.4}  {secs:>8.3}",
                if ok { "yes" } else { "no" }
            );
            rows.push(json!({"family": family, "n": n, "recovered": ok, "best_error": err, "seconds": secs}));
        }
    }
    std::fs::write(
        dir.join("engine.json"),
        serde_json::to_string_pretty(&rows)?,
    )?;
    Ok(())
}
