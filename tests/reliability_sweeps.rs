//! A sweep file knows its spec, concurrent writers are safe,
//! and a sweep's sizes are bounded like `train`'s. Edits between resumes are refused with
//! one line naming what changed (or started again with `--restart`); a second sweep, or a
//! second shard, into a file being written is refused at start; a file holding runs twice
//! is repaired to the bytes of an unbroken sweep; a sweep killed at random moments
//! resumes to the same bytes.
#![cfg(target_os = "linux")]

mod cli_common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use cli_common::{ok, run};

const SPEC: &str = "base = \"ring-shift\"\nseeds = [1, 2, 3]\ncheckpoints = [100, 200]\n\
                    [set]\nbatch = 50\n[parameters]\ndecay = [0.0, 0.001]\n";

fn refused(out: &Output, needles: &[&str]) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "not one line: {err}");
    for n in needles {
        assert!(err.contains(n), "`{err}` lacks `{n}`");
    }
}

fn sweep(d: &Path, spec: &str, extra: &[&str]) -> Output {
    std::fs::write(d.join("s.toml"), spec).unwrap();
    run(
        d,
        &[
            &["sweep", "s.toml", "--out", "s.csv", "--threads", "1"][..],
            extra,
        ]
        .concat(),
    )
}

#[test]
fn edits_between_resumes_are_refused_with_what_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    assert!(sweep(d, SPEC, &[]).status.success());
    let good = std::fs::read(d.join("s.csv")).unwrap();
    assert!(d.join("s.csv.spec.json").is_file());
    std::fs::write(
        d.join("base.json"),
        ok(d, &["config", "--preset", "ring-shift"]),
    )
    .unwrap();
    let edits = [
        (
            SPEC.replace("batch = 50", "batch = 25"),
            "base config: batch 50 → 25",
        ),
        (SPEC.replace("ring-shift", "ring-random"), "base config:"),
        (
            SPEC.replace("batch = 50", "batch = 50\nlearning_rate = 0.5"),
            "learning_rate",
        ),
        (
            SPEC.replace("batch = 50", "batch = 50\nk_winners = 8"),
            "k_winners null → 8",
        ),
        (SPEC.replace("[1, 2, 3]", "[1, 2, 4]"), "seeds"),
        (SPEC.replace("[100, 200]", "[100, 300]"), "checkpoints"),
    ];
    for (spec, change) in &edits {
        refused(&sweep(d, spec, &[]), &["another spec", change, "--restart"]);
        assert_eq!(std::fs::read(d.join("s.csv")).unwrap(), good, "{change}");
    }
    // A base config file: its content counts, not its name.
    let base_spec = SPEC.replace("\"ring-shift\"", "\"base.json\"");
    assert!(sweep(d, &base_spec, &["--restart"]).status.success());
    let text = std::fs::read_to_string(d.join("base.json")).unwrap();
    let mut edited: serde_json::Value = serde_json::from_str(&text).unwrap();
    edited["learning_rate"] = serde_json::json!(0.25);
    std::fs::write(d.join("base.json"), edited.to_string()).unwrap();
    refused(
        &sweep(d, &base_spec, &[]),
        &["another spec", "learning_rate"],
    );
    std::fs::write(d.join("base.json"), &text).unwrap();
    assert!(
        sweep(d, &base_spec, &[]).status.success(),
        "the same content resumes"
    );
    // --restart starts again and gives the unbroken file.
    assert!(sweep(d, SPEC, &["--restart"]).status.success());
    assert_eq!(std::fs::read(d.join("s.csv")).unwrap(), good);
    // Without its record the file cannot be checked.
    std::fs::remove_file(d.join("s.csv.spec.json")).unwrap();
    refused(&sweep(d, SPEC, &[]), &["no spec record"]);
}

#[test]
fn duplicated_runs_are_repaired_and_concurrent_writers_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    assert!(sweep(d, SPEC, &[]).status.success());
    let good = std::fs::read_to_string(d.join("s.csv")).unwrap();
    // Every run written twice, interleaved (as two unlocked sweeps once wrote).
    let mut lines = good.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    let mut doubled = format!("{header}\n");
    for pair in rows.chunks(2) {
        doubled.push_str(&(pair.join("\n") + "\n"));
    }
    for row in rows.iter().rev() {
        doubled.push_str(&format!("{row}\n"));
    }
    std::fs::write(d.join("s.csv"), doubled).unwrap();
    let out = sweep(d, SPEC, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(d.join("s.csv")).unwrap(), good);

    // A long sweep holds the lock; a second sweep and a second shard are refused.
    let long = "base = \"ring-shift\"\nseeds = [1, 2, 3, 4]\ncheckpoints = [200000]\n";
    std::fs::write(d.join("long.toml"), long).unwrap();
    let mut first = Command::new(env!("CARGO_BIN_EXE_invariance-lab"))
        .current_dir(d)
        .args(["sweep", "long.toml", "--out", "l.csv", "--threads", "1"])
        .stderr(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !d.join("l.csv").exists() && start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(20));
    }
    refused(
        &run(d, &["sweep", "long.toml", "--out", "l.csv"]),
        &["another process", "PID"],
    );
    refused(
        &run(
            d,
            &["sweep", "long.toml", "--out", "l.csv", "--shard", "1/2"],
        ),
        &["another process"],
    );
    first.kill().unwrap();
    first.wait().unwrap();
    // kill -9 released the lock: a shard into another shard's file is still refused,
    // by its rows (shards never share a file).
    let out = run(
        d,
        &[
            "sweep",
            "long.toml",
            "--out",
            "l.csv",
            "--shard",
            "1/2",
            "--threads",
            "1",
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("another process"), "{err}");
}

#[test]
fn a_sweep_killed_at_random_moments_resumes_to_the_unbroken_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let spec = "base = \"ring-shift\"\nseeds = [1, 2, 3, 4, 5, 6]\ncheckpoints = [500, 1000]\n";
    std::fs::write(d.join("k.toml"), spec).unwrap();
    ok(d, &["sweep", "k.toml", "--out", "unbroken.csv"]);
    let unbroken = std::fs::read(d.join("unbroken.csv")).unwrap();
    for (trial, delay_ms) in [150u64, 400, 700].into_iter().enumerate() {
        let out = format!("k{trial}.csv");
        let mut child = Command::new(env!("CARGO_BIN_EXE_invariance-lab"))
            .current_dir(d)
            .args(["sweep", "k.toml", "--out", &out])
            .stderr(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().unwrap();
        child.wait().unwrap();
        ok(d, &["sweep", "k.toml", "--out", &out]);
        assert_eq!(
            std::fs::read(d.join(&out)).unwrap(),
            unbroken,
            "trial {trial}"
        );
    }
}

#[test]
fn sweep_sizes_obey_the_bounds_of_train_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let values: Vec<String> = (0..130_000).map(|i| format!("{i}")).collect();
    let cases = [
        (format!("base = \"ring-shift\"\nseeds = [{}]\ncheckpoints = [10]\n", values.join(",")), "130000 runs"),
        ("base = \"ring-shift\"\nseeds = [1]\ncheckpoints = [72057594037927936]\n".to_string(), "steps"),
        ("base = \"ring-shift\"\nseeds = [1]\ncheckpoints = [10]\n[set]\nk_winners = inf\n".to_string(), "not a finite number"),
        ("base = \"ring-shift\"\nseeds = [1]\ncheckpoints = [10]\n[parameters]\nk_winners = [nan]\n".to_string(), "not a finite number"),
        ("base = \"ring-shift\"\nseeds = [1]\ncheckpoints = [10]\n[parameters]\nbank.size = [3]\n\"bank.size\" = [5]\n".to_string(), "swept twice"),
        ("base = \"torus-translate\"\nseeds = [1]\ncheckpoints = [10]\n[parameters]\n\"space.side\" = [4294967296]\n".to_string(), "pixels"),
        ("base = \"ring-random\"\nseeds = [1]\ncheckpoints = [10]\n[set]\n\"space.n\" = 4096\n\"bank.count\" = 4096\nbatch = 65536\n".to_string(), "lower `batch`"),
    ];
    for (spec, needle) in &cases {
        let start = Instant::now();
        refused(&sweep(d, spec, &[]), &[needle]);
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{needle}: {:?}",
            start.elapsed()
        );
        assert!(!d.join("s.csv").exists(), "{needle}: a CSV was written");
    }
}
