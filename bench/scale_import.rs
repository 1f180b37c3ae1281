//! Times the file work of a large experiment for `bench/run_scale.sh` (which measures the
//! peak memory of each call with `/usr/bin/time -v`). Not a test.
//!
//! - `scale_import FILE.npy`: imports a weight matrix as the app and `invariance-lab
//!   search` do (streamed as float32, then validated as a weighted graph);
//! - `scale_import load FILE.json`: loads an experiment file, nothing else;
//! - `scale_import save FILE.json OUT.json`: loads it, then saves it to `OUT.json` (the
//!   two times are printed apart).

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["load", file] => load(file).map(|_| ()),
        ["save", file, out] => load(file).and_then(|sim| {
            let t = Instant::now();
            invariance_lab::io::experiment::save(out, &sim).map_err(|e| e.to_string())?;
            println!("saved {out} in {:.2} s", t.elapsed().as_secs_f64());
            Ok(())
        }),
        [file] => import(file),
        _ => Err("usage: scale_import FILE.npy | load FILE.json | save FILE.json OUT.json".into()),
    };
    if let Err(e) = result {
        eprintln!("{e}");
        std::process::exit(2);
    }
}

fn load(file: &str) -> Result<invariance_lab::model::Simulation, String> {
    let t = Instant::now();
    let sim = invariance_lab::io::experiment::load(file).map_err(|e| e.to_string())?;
    println!(
        "loaded {file} ({} neurons, step {}) in {:.2} s",
        sim.neurons(),
        sim.step_count(),
        t.elapsed().as_secs_f64()
    );
    Ok(sim)
}

fn import(file: &str) -> Result<(), String> {
    let t = Instant::now();
    let w = invariance_lab::io::load_matrix_f32(file).map_err(|e| e.to_string())?;
    let g = invariance_lab::graph::WeightedGraph::new(w, None).map_err(|e| e.to_string())?;
    println!(
        "imported {} × {} in {:.2} s",
        g.n(),
        g.n(),
        t.elapsed().as_secs_f64()
    );
    Ok(())
}
