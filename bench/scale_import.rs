//! Imports a weight matrix file as the app and `invariance-lab search` do (streamed as
//! float32, then validated as a weighted graph), for `bench/run_scale.sh` to time and to
//! measure its peak memory. Not a test. Usage: `scale_import FILE.npy`.

use std::time::Instant;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: scale_import FILE.npy");
        std::process::exit(2);
    };
    let t = Instant::now();
    match invariance_lab::io::load_matrix_f32(&path)
        .map_err(|e| e.to_string())
        .and_then(|w| invariance_lab::graph::WeightedGraph::new(w, None).map_err(|e| e.to_string()))
    {
        Ok(g) => println!(
            "imported {} × {} in {:.2} s",
            g.n(),
            g.n(),
            t.elapsed().as_secs_f64()
        ),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    }
}
