//! Hebbian throughput benchmark (not a test): one learning update per step on activity
//! matrices drawn from the presets' own stimuli and detectors, at M = 256 (`ring-shift`),
//! 2,048 (`torus-translate`), 8,192 and 16,384 (`torus-large` with 2 and 4 kernels), and
//! batch sizes 1, 64 and 256 — against the straightforward NumPy update
//! `W = (1 − λ)W + (η/B)·AᵀA` on the very same matrices, and against this machine's
//! float32 matrix-product peak, all measured in one run.
//!
//! Fairness on a noisy shared machine: NumPy runs in a helper process
//! (`bench/numpy_hebb.py`, started once) and the two are timed alternately, case by case,
//! in every round; each figure is the median over the rounds. The peak is measured in
//! every round too: a 2048³ float32 product by OpenBLAS (NumPy) and by the `gemm` crate
//! through the kernel's own tiling; the larger median is "the peak".
//!
//! Each timing starts after [`SETTLE`] of rest: OpenBLAS's worker threads spin for about
//! 0.1 s after a product (and rayon's briefly), and on 2 cores a spinning peer thread
//! takes a core from whichever side is timed next.
//!
//! Useful work of the dense path: the upper triangle of `AᵀA` over the `u` detectors
//! active in the batch, `B·u·(u+1)` flops (NumPy computes all `2·B·M²`).
//!
//! Run through `bench/run_hebbian.sh` (makes the Python venv). Alone:
//! `cargo bench --no-default-features --bench hebbian_throughput -- [ROUNDS] [CASE…]`
//! with `HEBB_PYTHON` naming a Python that has NumPy; naming cases (e.g. `ring-shift`)
//! runs only those — a quick comparison in a quiet minute of a shared machine.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Instant;

use invariance_lab::io::save_npy;
use invariance_lab::model::detectors::Bank;
use invariance_lab::model::learning::hebb_kernel::{Packed, accumulate_dense};
use invariance_lab::model::learning::{HebbianState, PathChoice, PathTaken, UpdateParams};
use invariance_lab::model::rng::{Purpose, derived_rng};
use invariance_lab::model::world::stimulus;
use invariance_lab::model::{BankConfig, LearningRule, presets};
use ndarray::{Array2, s};

/// Decay used by both implementations (small, so the weights stay meaningful, but non-zero
/// so the NumPy update pays for it exactly as the formula says).
const DECAY: f32 = 1e-4;
const LEARNING_RATE: f32 = 0.01;
const BATCHES: [usize; 3] = [1, 64, 256];
/// Each timed run lasts at least this long and at least three steps.
const MIN_RUN_SECS: f64 = 0.3;
/// Rest before each timing, so the other side's idle threads have stopped spinning.
const SETTLE: std::time::Duration = std::time::Duration::from_millis(250);
/// Side of the peak-measuring product.
const PEAK_N: usize = 2048;

/// One benchmark case: a preset (with the number of kernels changed for the 8,192 row).
struct Case {
    label: &'static str,
    preset: &'static str,
    kernels: Option<usize>,
    stimuli: usize,
}

const CASES: [Case; 4] = [
    Case {
        label: "ring-shift",
        preset: "ring-shift",
        kernels: None,
        stimuli: 4096,
    },
    Case {
        label: "torus-translate",
        preset: "torus-translate",
        kernels: None,
        stimuli: 1024,
    },
    Case {
        label: "torus-large-8k",
        preset: "torus-large",
        kernels: Some(2),
        stimuli: 768,
    },
    Case {
        label: "torus-large",
        preset: "torus-large",
        kernels: None,
        stimuli: 768,
    },
];

fn activity_matrix(case: &Case) -> Array2<f32> {
    let mut config = presets::by_name(case.preset).expect("preset exists").config;
    if let (Some(k), BankConfig::Tiled { kernels, .. }) = (case.kernels, &mut config.bank) {
        *kernels = k;
    }
    let bank = Bank::build(&config.bank, config.space, config.seed).expect("bank builds");
    let mut s = Array2::<f32>::zeros((case.stimuli, config.space.pixels()));
    for i in 0..case.stimuli {
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

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => 0.5 * (v[n / 2 - 1] + v[n / 2]),
    }
}

fn params() -> UpdateParams {
    UpdateParams {
        rule: LearningRule::Hebb,
        learning_rate: LEARNING_RATE,
        decay: DECAY,
    }
}

/// Steps of `batch` rows through `state` for at least [`MIN_RUN_SECS`] and three steps:
/// `(stimuli/s, useful GFLOP/s of the dense steps, last path)`. Only the updates are
/// timed (not the bench's count of active detectors), after one untimed step: a fresh
/// state's `W` is mapped page by page on its first write, which a run pays once, not
/// every step (the NumPy peer gets the same untimed first step).
fn timed(
    state: &mut HebbianState,
    a: &Array2<f32>,
    batch: usize,
    path: PathChoice,
    offset: &mut usize,
) -> (f64, f64, PathTaken) {
    let n = a.nrows();
    let next = |offset: &mut usize| {
        let rows = a.slice(s![*offset..*offset + batch, ..]);
        *offset = (*offset + batch) % (n - batch + 1);
        rows
    };
    state.update(&params(), next(offset), None, path);
    std::thread::sleep(SETTLE);
    let mut last = PathTaken::Idle;
    let mut done = 0usize;
    let mut flops = 0.0f64;
    let mut secs = 0.0f64;
    let start = Instant::now();
    while done < 3 * batch || start.elapsed().as_secs_f64() < MIN_RUN_SECS {
        let rows = next(offset);
        let u = (0..a.ncols())
            .filter(|&j| rows.column(j).iter().any(|&x| x != 0.0))
            .count() as f64;
        let step = Instant::now();
        last = state.update(&params(), rows, None, path);
        secs += step.elapsed().as_secs_f64();
        if last == PathTaken::Dense {
            flops += batch as f64 * u * (u + 1.0);
        }
        done += batch;
    }
    (done as f64 / secs, flops / secs / 1e9, last)
}

/// GFLOP/s of one `PEAK_N`³ float32 product through the kernel's tiling (the `gemm`
/// crate, tiles shared over the rayon pool): `W += AᵀA` with every column active.
fn gemm_peak(a: &Array2<f32>, w: &mut [f32]) -> f64 {
    let cols: Vec<usize> = (0..PEAK_N).collect();
    let packed = Packed::new(a.view(), &cols);
    let mut d = vec![0.0f32; PEAK_N];
    let start = Instant::now();
    accumulate_dense(w, &mut d, 1e-6, &packed, &packed, &cols, &cols, false);
    2.0 * (PEAK_N as f64).powi(3) / start.elapsed().as_secs_f64() / 1e9
}

/// The NumPy helper process: one request per line, one number per answer line.
struct NumPy {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
}

impl NumPy {
    fn start(dir: &Path) -> Option<Self> {
        let python = std::env::var("HEBB_PYTHON").unwrap_or_else(|_| "python3".into());
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/numpy_hebb.py");
        let mut child = Command::new(python)
            .arg(script)
            .arg(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .ok()?;
        let input = child.stdin.take()?;
        let output = BufReader::new(child.stdout.take()?);
        let mut numpy = Self {
            child,
            input,
            output,
        };
        let version = numpy.ask("version")?;
        println!("numpy {version}");
        Some(numpy)
    }

    fn ask(&mut self, request: &str) -> Option<String> {
        writeln!(self.input, "{request}").ok()?;
        self.input.flush().ok()?;
        let mut line = String::new();
        self.output.read_line(&mut line).ok()?;
        Some(line.trim().to_owned())
    }

    fn number(&mut self, request: &str) -> f64 {
        self.ask(request)
            .and_then(|l| l.parse().ok())
            .unwrap_or(f64::NAN)
    }
}

impl Drop for NumPy {
    fn drop(&mut self) {
        let _ = writeln!(self.input, "quit");
        let _ = self.child.wait();
    }
}

/// Figures of one (case, batch) row over the rounds.
#[derive(Default)]
struct Row {
    rust: Vec<f64>,
    numpy: Vec<f64>,
    dense_gflops: Vec<f64>,
    path: Option<PathTaken>,
}

fn main() {
    let rounds: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(5)
        .max(1);
    // Other arguments name the cases to run (all when none is named); flags such as the
    // `--bench` that `cargo bench` passes are not case names.
    let named: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a.parse::<usize>().is_err() && !a.starts_with('-'))
        .collect();
    let cases: Vec<&Case> = CASES
        .iter()
        .filter(|c| named.is_empty() || named.iter().any(|n| n == c.label))
        .collect();
    if cases.is_empty() {
        let known: Vec<&str> = CASES.iter().map(|c| c.label).collect();
        eprintln!("no case named {named:?}; the cases are {known:?}");
        std::process::exit(2);
    }
    let dir = PathBuf::from(
        std::env::var("HEBB_BENCH_DIR").unwrap_or_else(|_| "target/hebb-bench".into()),
    );
    std::fs::create_dir_all(&dir).expect("create output directory");
    println!(
        "hebbian_throughput: {rounds} rounds; Rust and NumPy alternate within each round; \
         medians over rounds; threads: {}",
        rayon::current_num_threads()
    );
    let mut data = Vec::new();
    for &case in &cases {
        let a = activity_matrix(case);
        let density = a.iter().filter(|&&x| x != 0.0).count() as f64 / a.len() as f64;
        save_npy(dir.join(format!("{}.npy", case.label)), a.view()).expect("write activities");
        data.push((a, density));
    }
    let peak_input = Array2::from_shape_fn((PEAK_N, PEAK_N), |(i, j)| {
        ((i * 7919 + j * 104_729) % 1000) as f32 / 1000.0
    });
    let mut peak_w = vec![0.0f32; PEAK_N * PEAK_N];
    let mut numpy = NumPy::start(&dir);
    if numpy.is_none() {
        println!("(NumPy helper not available: set HEBB_PYTHON; NumPy columns stay empty)");
    }
    let mut rows: Vec<Vec<Row>> = cases
        .iter()
        .map(|_| BATCHES.iter().map(|_| Row::default()).collect())
        .collect();
    let (mut peak_gemm, mut peak_blas) = (Vec::new(), Vec::new());
    for round in 1..=rounds {
        std::thread::sleep(SETTLE);
        peak_gemm.push(gemm_peak(&peak_input, &mut peak_w));
        if let Some(np) = numpy.as_mut() {
            std::thread::sleep(SETTLE);
            peak_blas.push(np.number(&format!("peak {PEAK_N}")));
        }
        for ((case, (a, _)), case_rows) in cases.iter().zip(&data).zip(&mut rows) {
            let m = a.ncols();
            for (&batch, row) in BATCHES.iter().zip(case_rows.iter_mut()) {
                let mut offset = 0;
                let mut state = HebbianState::new(m);
                let (rate, _, path) = timed(&mut state, a, batch, PathChoice::Auto, &mut offset);
                row.rust.push(rate);
                row.path = Some(path);
                if batch > 1 {
                    let mut state = HebbianState::new(m);
                    let (_, gflops, _) =
                        timed(&mut state, a, batch, PathChoice::Dense, &mut offset);
                    row.dense_gflops.push(gflops);
                }
                if let Some(np) = numpy.as_mut() {
                    std::thread::sleep(SETTLE);
                    row.numpy
                        .push(np.number(&format!("hebb {} {batch}", case.label)));
                }
            }
        }
        eprintln!("round {round}/{rounds} done");
    }
    drop(numpy);
    let peak_gemm = median(&peak_gemm);
    let peak_blas = median(&peak_blas);
    let peak = peak_gemm.max(if peak_blas.is_nan() { 0.0 } else { peak_blas });
    println!(
        "float32 peak ({PEAK_N}³ product, medians): OpenBLAS via NumPy {peak_blas:.0} GFLOP/s, \
         gemm crate through the kernel's tiling {peak_gemm:.0} GFLOP/s → peak {peak:.0} GFLOP/s"
    );
    println!(
        "{:<34} {:>6} {:>12} {:>12} {:>7} {:>14} {:>8}",
        "case", "path", "rust stim/s", "numpy stim/s", "ratio", "dense GFLOP/s", "of peak"
    );
    let mut json = Vec::new();
    for ((case, (a, density)), case_rows) in cases.iter().zip(&data).zip(&rows) {
        for (&batch, row) in BATCHES.iter().zip(case_rows) {
            let rust = median(&row.rust);
            let np = median(&row.numpy);
            let gflops = median(&row.dense_gflops);
            let name = format!(
                "{} M={} B={batch} ({:.1}% active)",
                case.label,
                a.ncols(),
                100.0 * density
            );
            let path = format!("{:?}", row.path.unwrap_or(PathTaken::Idle));
            let dense = if gflops.is_nan() {
                format!("{:>14} {:>8}", "-", "-")
            } else {
                format!("{gflops:>14.0} {:>7.0}%", 100.0 * gflops / peak)
            };
            println!(
                "{name:<34} {path:>6} {rust:>12.0} {np:>12.0} {:>6.1}x {dense}",
                rust / np
            );
            json.push(serde_json::json!({
                "case": case.label, "neurons": a.ncols(), "batch": batch, "density": density,
                "path": path, "rust_stimuli_per_sec": rust, "numpy_stimuli_per_sec": np,
                "dense_useful_gflops": gflops, "peak_gflops": peak,
                "peak_openblas_gflops": peak_blas, "peak_gemm_gflops": peak_gemm,
            }));
        }
    }
    let text = serde_json::to_string_pretty(&json).expect("json");
    std::fs::write(dir.join("results.json"), text).expect("write results");
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        println!("load average: {}", load.trim());
    }
}
