//! Benchmark (not a test): time to the full approximate group.
//!
//! Cases: noisy symmetric circulants (planted group `D_n`, order `2n`; noise gives the
//! planted symmetries a relative error of about 0.07), scrambled; the
//! `torus-translate` preset after its default training (bank closed under
//! 256 translations × D4 = 2 048 elements); and the same world on a 14 × 14 torus
//! (1 568 neurons). For each: the group order the search reports, its name, the
//! largest measured error, how many true transformations are elements of the found
//! group, and the median wall time of the whole `search` call over `REPEATS` runs.
//! Last, the cost-growth exponent `k` of `time ∝ n^k` fitted over the circulants.
//!
//! Usage: `cargo bench --no-default-features --bench group_scaling -- [REPEATS] [SIZES…]`
//! (defaults: 3 repeats; 1024 2048 4096 8192).

#[path = "../tests/search_common/mod.rs"]
mod search_common;

use std::time::Instant;

use invariance_lab::model::{Simulation, Space, presets};
use invariance_lab::perm::Permutation;
use invariance_lab::search::scoring::recovered_flags;
use invariance_lab::search::{CancelToken, SearchOptions, SearchReport, WeightedGraph, search};
use search_common::*;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Runs the search `repeats` times; returns the last report and the median time.
fn timed(graph: &WeightedGraph, repeats: usize) -> anyhow::Result<(SearchReport, f64)> {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..repeats {
        let t = Instant::now();
        let report = search(graph, &SearchOptions::default(), &CancelToken::new(), &mut |_| {})?;
        times.push(t.elapsed().as_secs_f64());
        last = Some(report);
    }
    Ok((last.expect("at least one repeat"), median(times)))
}

/// Every element of the found group when it can be listed (else its results).
fn elements(report: &SearchReport) -> Vec<Permutation> {
    let chain = report.group.chain(report.n);
    if chain.order().to_u64().is_some_and(|o| o <= 100_000) {
        chain.elements().collect()
    } else {
        report.results.iter().map(|r| r.permutation.clone()).collect()
    }
}

fn row(case: &str, n: usize, expected: u64, report: &SearchReport, truths: usize, recovered: usize, secs: f64) {
    let g = &report.group;
    println!(
        "{case:<22} {n:>5}  {:>8}  {expected:>8}  {:<26} {:>8.4} {:>6}{}  {:>5}/{:<5} {secs:>8.2}",
        g.order.as_ref().map_or("–".into(), |o| o.decimal()),
        g.name.as_deref().unwrap_or("–"),
        g.max_error.unwrap_or(f64::NAN),
        g.checked_elements,
        if g.all_checked { " all" } else { " smp" },
        recovered,
        truths,
    );
}

/// The planted dihedral group on the scrambled labels: shifts and reflections.
fn dihedral_truths(n: usize, sigma: &Permutation) -> Vec<(String, Permutation)> {
    let mut t = Vec::new();
    for k in 1..n {
        t.push((format!("shift {k}"), conjugate(&shift(n, k), sigma)));
    }
    for k in 0..n {
        let refl = Permutation::from_images((0..n).map(|i| (k + n - i) % n).collect())
            .expect("a reflection is a permutation");
        t.push((format!("reflect {k}"), conjugate(&refl, sigma)));
    }
    t
}

fn preset_case(name: &str, side: Option<usize>, repeats: usize) -> anyhow::Result<()> {
    let preset = presets::by_name("torus-translate").expect("preset exists");
    let mut config = preset.config;
    if let Some(side) = side {
        config.space = Space::Torus { side };
    }
    let mut sim = Simulation::new(config)?;
    sim.run_steps(preset.default_steps);
    let graph = WeightedGraph::new(sim.weights(), Some(sim.node_weights()))?;
    let truths = sim.ground_truth_transformations();
    let (report, secs) = timed(&graph, repeats)?;
    let flags = recovered_flags(&elements(&report), &truths);
    let recovered = flags.iter().filter(|&&f| f).count();
    row(name, sim.neurons(), truths.len() as u64 + 1, &report, truths.len(), recovered, secs);
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let repeats: usize = args.first().map(|s| s.parse()).transpose()?.unwrap_or(3);
    let sizes: Vec<usize> = if args.len() > 1 {
        args[1..].iter().map(|s| s.parse()).collect::<Result<_, _>>()?
    } else {
        vec![1024, 2048, 4096, 8192]
    };
    println!(
        "{:<22} {:>5}  {:>8}  {:>8}  {:<26} {:>8} {:>10}  {:>11} {:>8}",
        "case", "n", "order", "expected", "name", "max err", "checked", "recovered", "median s"
    );
    let mut points = Vec::new();
    for &n in &sizes {
        let seed = 4000 + n as u64;
        let w0 = add_relative_noise(&noisy_circulant(n, 4.0, 0.0, seed), 0.05, seed + 1);
        let (w, sigma) = scramble(&w0, seed + 7);
        let graph = WeightedGraph::new(w, None)?;
        let (report, secs) = timed(&graph, repeats)?;
        let truths = dihedral_truths(n, &sigma);
        let flags = recovered_flags(&elements(&report), &truths);
        let recovered = flags.iter().filter(|&&f| f).count();
        row("noisy circulant", n, 2 * n as u64, &report, truths.len(), recovered, secs);
        points.push(((n as f64).ln(), secs.ln()));
    }
    preset_case("torus-translate", None, repeats)?;
    preset_case("torus 14×14 (learned)", Some(14), repeats)?;
    if points.len() >= 2 {
        let m = points.len() as f64;
        let (sx, sy) = points.iter().fold((0.0, 0.0), |a, p| (a.0 + p.0, a.1 + p.1));
        let (mx, my) = (sx / m, sy / m);
        let (num, den) = points.iter().fold((0.0, 0.0), |a, p| {
            (a.0 + (p.0 - mx) * (p.1 - my), a.1 + (p.0 - mx) * (p.0 - mx))
        });
        println!("cost growth over the circulants: time ∝ n^{:.2} (least squares on log–log)", num / den);
    }
    Ok(())
}
