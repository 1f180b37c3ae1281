//! Hebbian throughput benchmark (not a test): stimuli per second of one learning update
//! for the `ring-shift` (M = 256) and `torus-translate` (M = 2048) presets at batch sizes
//! 1, 64 and 256, on activity matrices drawn from the presets' own stimuli and detectors.
//!
//! Run through `bench/run_hebbian.sh`, which also times the same update in NumPy on the
//! same matrices (written here as `.npy`) and prints the ratios. Alone:
//! `cargo bench --no-default-features --bench hebbian_throughput`.

use std::path::PathBuf;
use std::time::Instant;

use invariance_lab::io::save_npy;
use invariance_lab::model::detectors::Bank;
use invariance_lab::model::learning::{HebbianState, PathChoice, PathTaken, UpdateParams};
use invariance_lab::model::rng::{Purpose, derived_rng};
use invariance_lab::model::world::stimulus;
use invariance_lab::model::{LearningRule, presets};
use ndarray::{Array2, s};

/// Decay used by both implementations (small, so the weights stay meaningful, but non-zero
/// so the NumPy update pays for it exactly as the formula says).
const DECAY: f32 = 1e-4;
const LEARNING_RATE: f32 = 0.01;
const BATCHES: [usize; 3] = [1, 64, 256];
const REPEATS: usize = 5;
const MIN_REPEAT_SECS: f64 = 0.3;

fn activity_matrix(preset: &str, stimuli: usize) -> Array2<f32> {
    let config = presets::by_name(preset).expect("preset exists").config;
    let bank = Bank::build(&config.bank, config.space, config.seed).expect("bank builds");
    let mut s = Array2::<f32>::zeros((stimuli, config.space.pixels()));
    for i in 0..stimuli {
        let mut rng = derived_rng(config.seed, Purpose::Training, i as u64, 0);
        let x = stimulus::sample(&config.stimulus.kind, config.space, &mut rng).expect("sample");
        s.row_mut(i)
            .assign(&ndarray::ArrayView1::from(x.as_slice()));
    }
    bank.activities(
        s.view(),
        config.activation,
        config.threshold,
        config.k_winners,
    )
}

/// Median stimuli/s of `REPEATS` timed runs, each at least `MIN_REPEAT_SECS` long.
fn throughput(a: &Array2<f32>, batch: usize) -> (f64, PathTaken) {
    let m = a.ncols();
    let n = a.nrows();
    let params = UpdateParams {
        rule: LearningRule::Hebb,
        learning_rate: LEARNING_RATE,
        decay: DECAY,
    };
    let mut state = HebbianState::new(m);
    let mut rates = Vec::new();
    let mut last = PathTaken::Idle;
    let mut offset = 0;
    for _ in 0..REPEATS {
        let start = Instant::now();
        let mut done = 0usize;
        while done < 3 * batch || start.elapsed().as_secs_f64() < MIN_REPEAT_SECS {
            let rows = a.slice(s![offset..offset + batch, ..]);
            last = state.update(&params, rows, None, PathChoice::Auto);
            offset = (offset + batch) % n;
            done += batch;
        }
        rates.push(done as f64 / start.elapsed().as_secs_f64());
    }
    rates.sort_by(|x, y| x.total_cmp(y));
    (rates[REPEATS / 2], last)
}

fn main() {
    let dir = PathBuf::from(
        std::env::var("HEBB_BENCH_DIR").unwrap_or_else(|_| "target/hebb-bench".into()),
    );
    std::fs::create_dir_all(&dir).expect("create output directory");
    let mut results = Vec::new();
    for (preset, stimuli) in [("ring-shift", 4096usize), ("torus-translate", 1024)] {
        let a = activity_matrix(preset, stimuli);
        let density = a.iter().filter(|&&x| x != 0.0).count() as f64 / a.len() as f64;
        save_npy(dir.join(format!("{preset}.npy")), a.view()).expect("write activities");
        for batch in BATCHES {
            let (rate, path) = throughput(&a, batch);
            println!(
                "rust  {preset:<16} M={:<5} B={batch:<4} active={:.1}%  {rate:>12.0} stimuli/s  ({path:?} path)",
                a.ncols(),
                100.0 * density
            );
            results.push(serde_json::json!({
                "preset": preset, "neurons": a.ncols(), "batch": batch,
                "density": density, "stimuli_per_sec": rate, "path": format!("{path:?}"),
            }));
        }
    }
    let text = serde_json::to_string_pretty(&results).expect("json");
    std::fs::write(dir.join("rust.json"), text).expect("write results");
}
