//! Hostile and interrupted experiment files, at the library level: every case
//! the fuzzing pass listed is refused when loading; whatever `save` writes, `load` reads
//! back equal; a diverged state is an error and is never written; a reader never sees a
//! half-written file while another process saves; one-step resumes equal one long run.

use std::path::Path;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use invariance_lab::io::experiment::{self, FileError};
use invariance_lab::model::learning::{HebbianState, PathChoice, UpdateParams};
use invariance_lab::model::{
    Activation, BankConfig, KernelFamily, LearningRule, SimConfig, Simulation, StimulusKind,
    presets,
};
use ndarray::Array2;
use serde_json::{Value, json};

/// A 16-pixel ring with 32 detectors: files of a few kilobytes, steps of microseconds.
fn small_config() -> SimConfig {
    let mut config = presets::by_name("ring-shift").unwrap().config;
    config.space = invariance_lab::model::Space::Ring { n: 16 };
    config.bank = BankConfig::Tiled {
        kernels: 2,
        size: 3,
        stride: 1,
        family: KernelFamily::Random,
    };
    config.batch = 8;
    config.decay = 0.25; // a non-trivial lazy scale
    config
}

fn trained(config: SimConfig, steps: u64) -> Simulation {
    let mut sim = Simulation::new(config).unwrap();
    sim.run_steps(steps);
    sim
}

fn as_value(sim: &Simulation) -> Value {
    serde_json::from_str(&experiment::to_json_string(sim).unwrap()).unwrap()
}

fn load_value(v: &Value) -> Result<Simulation, FileError> {
    experiment::from_json_str(&v.to_string())
}

/// Loading must fail with a one-line message that contains `needle`.
fn refused(v: &Value, needle: &str) {
    match load_value(v) {
        Ok(sim) => panic!(
            "accepted a hostile file (step {}), expected: {needle}",
            sim.step_count()
        ),
        Err(e) => {
            let msg = e.to_string();
            assert!(msg.contains(needle), "`{msg}` does not mention `{needle}`");
            assert!(!msg.contains('\n'), "multi-line message: {msg}");
        }
    }
}

#[test]
fn extreme_but_finite_values_from_the_fuzzing_pass_are_refused() {
    let good = as_value(&trained(small_config(), 5));
    assert!(load_value(&good).is_ok());
    for bits in [1u64, 1 << 31, 2.0f64.to_bits(), 1e-7f64.to_bits()] {
        let mut v = good.clone();
        v["weight_scale_bits"] = json!(bits);
        refused(&v, "decay scale");
    }
    let mut v = good.clone();
    v["config"]["stimulus"]["kind"]["amplitude"] = json!([0.5, 18446744073709551616.0f64]);
    refused(&v, "stimulus.amplitude");
    let mut v = good.clone();
    v["config"]["threshold"] = json!(-9223372036854775808.0f64);
    refused(&v, "threshold");
    let mut v = good.clone();
    v["config"]["learning_rate"] = json!(1e6);
    refused(&v, "learning_rate");
    let mut v = good.clone();
    v["config"]["decay"] = json!(0.99);
    refused(&v, "decay");
    // ±1e308 does not fit an f32 label; 1e30 fits but is not what the config regenerates.
    for (centre, needle) in [
        (1e308, "number out of range"),
        (-1e308, "number out of range"),
        (1e30, "labels"),
        (-3e38, "labels"),
    ] {
        let mut v = good.clone();
        v["labels"][0]["centre"] = json!([centre, 0.0]);
        refused(&v, needle);
    }
    let mut v = good.clone();
    v["mean_count"] = json!(u64::MAX);
    refused(&v, "mean_count");
    let mut v = good.clone();
    v["step"] = json!(u64::MAX);
    refused(&v, "step");
    let mut v = good.clone();
    v["history"][0]["weight_norm"] = Value::Null;
    refused(&v, "invalid type: null");
    // Finite but absurd weights: training from them would overflow.
    let mut v = good.clone();
    let mut bytes = BASE64
        .decode(v["weights"]["data"].as_str().unwrap())
        .unwrap();
    bytes[4..8].copy_from_slice(&1e30f32.to_le_bytes());
    v["weights"]["data"] = json!(BASE64.encode(bytes));
    refused(&v, "beyond");
    // Lists longer than any experiment are refused while parsing.
    let mut v = good.clone();
    let max = invariance_lab::model::detectors::MAX_NEURONS;
    v["hidden_order"] = json!(vec![0; max + 1]);
    refused(&v, &format!("more than {max}"));
    let mut v = good;
    v["weights"]["shape"] = json!(vec![1; 100]);
    refused(&v, "more than 8 dimensions");
}

/// Configurations at the edges of every documented range, and every rule.
fn edge_configs() -> Vec<SimConfig> {
    let mut out = Vec::new();
    for rule in [
        LearningRule::Hebb,
        LearningRule::Covariance,
        LearningRule::Oja,
    ] {
        for (threshold, learning_rate, decay) in
            [(-100.0, 100.0, 0.0), (100.0, 1e-9, 0.5), (0.0, 100.0, 0.5)]
        {
            let mut c = small_config();
            c.rule = rule;
            c.threshold = threshold;
            c.learning_rate = learning_rate;
            c.decay = decay;
            c.stimulus.kind = StimulusKind::Bumps {
                max_bumps: 64,
                width: (0.05, 16.0),
                amplitude: (100.0, 100.0),
            };
            out.push(c);
        }
    }
    for activation in [Activation::Binary, Activation::Sigmoid] {
        let mut c = small_config();
        c.activation = activation;
        c.k_winners = Some(1);
        out.push(c);
    }
    out
}

#[test]
fn whatever_save_writes_load_reads_back_equal() {
    let dir = tempfile::tempdir().unwrap();
    let (mut round_trips, mut diverged) = (0, 0);
    for (i, config) in edge_configs().into_iter().enumerate() {
        config.check().unwrap();
        let sim = trained(config, 30);
        let path = dir.path().join(format!("edge-{i}.json"));
        if let Some(d) = sim.divergence() {
            // Oja's rule at η = 100 is unstable: noticed, named, and never written.
            assert!(
                d.to_string().starts_with("training diverged at step"),
                "{d}"
            );
            assert!(matches!(
                experiment::save(&path, &sim),
                Err(FileError::Diverged(_))
            ));
            assert!(!path.exists());
            diverged += 1;
            continue;
        }
        experiment::save(&path, &sim).unwrap();
        let back = experiment::load(&path).unwrap_or_else(|e| panic!("config {i}: {e}"));
        assert_eq!(back.learning_state(), sim.learning_state(), "config {i}");
        assert_eq!(back.history(), sim.history(), "config {i}");
        assert_eq!(
            experiment::to_json_string(&back).unwrap(),
            experiment::to_json_string(&sim).unwrap(),
            "config {i}"
        );
        round_trips += 1;
    }
    assert!(
        round_trips >= 8,
        "only {round_trips} configurations round-tripped"
    );
    assert!(
        diverged >= 1,
        "no edge configuration exercised the divergence path"
    );
}

/// A state driven by activities no valid configuration produces.
fn overflowed_state(m: usize) -> HebbianState {
    let mut state = HebbianState::new(m);
    let params = UpdateParams {
        rule: LearningRule::Hebb,
        learning_rate: 1.0,
        decay: 0.0,
    };
    let huge = Array2::from_elem((2, m), 1e20f32);
    state.update(&params, huge.view(), None, PathChoice::Auto);
    state
}

#[test]
fn a_diverged_state_is_an_error_naming_the_step_and_is_never_written() {
    let config = small_config();
    let fresh = Simulation::new(config.clone()).unwrap();
    let m = fresh.neurons();
    let state = overflowed_state(m);
    let err = state.check_health().unwrap_err().to_string();
    assert!(err.contains("not finite or beyond"), "{err}");
    let mut sim = Simulation::restore(config, state, 7, Vec::new(), 0.0).unwrap();
    let err = sim.check_health().unwrap_err();
    assert_eq!(err.step, 7);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("diverged.json");
    assert!(matches!(
        experiment::save(&path, &sim),
        Err(FileError::Diverged(_))
    ));
    assert!(!path.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    // Training notices at once (node weights are checked every step) and then stops.
    sim.step();
    let d = sim.divergence().expect("divergence noticed").clone();
    assert_eq!(d.step, 8);
    assert!(d.to_string().starts_with("training diverged at step 8"));
    sim.step();
    assert_eq!(sim.step_count(), 8);
    assert!(sim.history().iter().all(|r| r.weight_norm.is_finite()));
}

/// Set in the environment of the reader child process of the concurrency test.
const READER_ENV: &str = "INVARIANCE_LAB_READER_PATH";

/// The reader child: reads and parses the file until a stop file appears; exits non-zero
/// on any read that is not one of the complete files. Does nothing in a normal run.
#[test]
fn reader_child() {
    let Ok(path) = std::env::var(READER_ENV) else {
        return;
    };
    let path = Path::new(&path);
    let stop = path.with_extension("stop");
    let (mut reads, mut steps_seen) = (0u64, std::collections::BTreeSet::new());
    let deadline = Instant::now() + Duration::from_secs(60);
    while !stop.exists() && Instant::now() < deadline {
        let sim = experiment::load(path).unwrap_or_else(|e| panic!("read {reads}: {e}"));
        steps_seen.insert(sim.step_count());
        reads += 1;
    }
    println!("READS {reads} STEPS {steps_seen:?}");
}

#[test]
fn a_reader_never_sees_a_partial_file_while_another_process_saves() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.json");
    let a = trained(small_config(), 3);
    let b = trained(small_config(), 5);
    experiment::save(&path, &a).unwrap();
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "reader_child", "--nocapture", "--test-threads=1"])
        .env(READER_ENV, &path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mut saves = 0;
    while saves < 400 || started.elapsed() < Duration::from_millis(500) {
        experiment::save(&path, if saves % 2 == 0 { &b } else { &a }).unwrap();
        saves += 1;
        if started.elapsed() > Duration::from_secs(20) {
            break;
        }
    }
    std::fs::write(path.with_extension("stop"), b"").unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the reader saw a broken file: {}{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = stdout
        .lines()
        .find(|l| l.contains("READS"))
        .unwrap_or_else(|| panic!("no report from the reader: {stdout}"));
    let report = &line[line.find("READS").unwrap()..];
    let reads: u64 = report.split_whitespace().nth(1).unwrap().parse().unwrap();
    println!("concurrent save/read: {saves} saves, reader: {report}");
    assert!(reads > 10, "too few reads to mean anything: {line}");
    assert!(
        line.contains("{3, 5}"),
        "the reader saw only one version: {line}"
    );
    // Only the target is left: no temporary file of any save.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}"); // shared.json and shared.stop
}

#[test]
fn resuming_one_step_at_a_time_equals_one_long_run_bit_for_bit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("soak.json");
    let steps = 40;
    experiment::save(&path, &Simulation::new(small_config()).unwrap()).unwrap();
    for _ in 0..steps {
        let mut sim = experiment::load(&path).unwrap();
        sim.run_steps(1);
        experiment::save(&path, &sim).unwrap();
    }
    let resumed = experiment::load(&path).unwrap();
    let long = trained(small_config(), steps);
    assert_eq!(resumed.step_count(), steps);
    let bits = |s: &Simulation| -> Vec<u32> { s.weights().iter().map(|w| w.to_bits()).collect() };
    assert_eq!(bits(&resumed), bits(&long));
    assert_eq!(resumed.learning_state(), long.learning_state());
    assert_eq!(
        resumed.learning_state().scale().to_bits(),
        long.learning_state().scale().to_bits()
    );
}
