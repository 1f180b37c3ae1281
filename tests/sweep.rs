//! `invariance-lab sweep`, run as a user would: determinism, resume (after a truncated
//! file and after Ctrl+C), shards concatenating to the single-machine file, bad sweep
//! files, the search columns against the ring's known group, and a small version of
//! the README's worked example.

mod cli_common;
use cli_common::{ok, run};

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// 3 decays × 3 seeds on ring-shift with batch 10: 9 short runs.
const SMALL: &str = r#"
base = "ring-shift"
seeds = [1, 2, 3]
checkpoints = [20, 100, 300]
[set]
batch = 10
[parameters]
decay = [0.0, 1e-4, 1e-3]
"#;

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

/// Column `name` of a CSV as floats.
fn column(csv: &str, name: &str) -> Vec<f64> {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let i = header.iter().position(|h| *h == name).unwrap();
    lines
        .map(|l| l.split(',').nth(i).unwrap().parse().unwrap())
        .collect()
}

#[test]
fn same_sweep_same_bytes_whatever_the_threads() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "s.toml", SMALL);
    ok(d, &["sweep", "s.toml", "--out", "a.csv"]);
    ok(d, &["sweep", "s.toml", "--out", "b.csv", "--threads", "1"]);
    let a = read(d, "a.csv");
    assert_eq!(a, read(d, "b.csv"));
    // Default output next to the spec; a finished sweep run again computes nothing.
    ok(d, &["sweep", "s.toml"]);
    assert_eq!(a, read(d, "s.csv"));
    let out = run(d, &["sweep", "s.toml"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("9 resumed"));
    assert_eq!(a, read(d, "s.csv"));

    let lines: Vec<&str> = a.lines().collect();
    assert_eq!(lines.len(), 1 + 9 * 3);
    assert_eq!(
        lines[0],
        "run,decay,seed,checkpoint,step,stimuli,e_g,e_random,weight_norm,mean_activity,\
         diverged_at_step"
    );
    // Grid order: decay slowest, seeds fastest, checkpoints within a run.
    assert!(lines[1].starts_with("0,0.0,1,20,2,20,"), "{}", lines[1]);
    assert!(lines[4].starts_with("1,0.0,2,20,"), "{}", lines[4]);
    assert!(
        lines[27].starts_with("8,0.001,3,300,30,300,"),
        "{}",
        lines[27]
    );
    // Real measurements: e_g well below the random baseline and falling with stimuli.
    let (e_g, e_random) = (column(&a, "e_g"), column(&a, "e_random"));
    for run in 0..9 {
        let e = &e_g[3 * run..3 * run + 3];
        assert!(e[0] > e[1] && e[1] > e[2], "run {run}: {e:?}");
        assert!(e[2] < 0.25 * e_random[3 * run + 2], "run {run}");
    }
}

#[test]
fn a_truncated_or_shuffled_file_resumes_to_the_same_bytes_without_recomputing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "s.toml", SMALL);
    ok(d, &["sweep", "s.toml", "--out", "full.csv"]);
    let full = read(d, "full.csv");
    let lines: Vec<&str> = full.lines().collect();

    // Cut in the middle of run 4's second row: runs 0–3 are kept, run 4 is redone.
    let cut = lines[..14].join("\n") + "\n" + &lines[14][..10];
    // Tamper with a kept run's mean activity: it must survive (the run is not recomputed).
    let mut cells: Vec<&str> = lines[2].split(',').collect();
    assert_eq!(cells.len(), 11);
    cells[9] = "123.0";
    let tampered_row = cells.join(",");
    let tampered = cut.replacen(lines[2], &tampered_row, 1);
    write(d, "part.csv", &tampered);
    // The spec record travels with the CSV: a CSV without it is refused.
    let record = read(d, "full.csv.spec.json");
    for name in ["part.csv", "shuffled.csv"] {
        write(d, &format!("{name}.spec.json"), &record);
    }
    let out = run(d, &["sweep", "s.toml", "--out", "part.csv"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("4 resumed, 1 partial runs redone, 5 computed"),
        "{err}"
    );
    let resumed = read(d, "part.csv");
    assert_eq!(
        resumed.lines().nth(2).unwrap(),
        tampered_row,
        "kept rows are not recomputed"
    );
    assert_eq!(resumed.replacen(&tampered_row, lines[2], 1), full);
    write(d, "part.csv", &cut);
    ok(d, &["sweep", "s.toml", "--out", "part.csv"]);
    assert_eq!(read(d, "part.csv"), full);

    // Rows in completion order (as appended by parallel workers) end canonical.
    let mut runs: Vec<String> = lines[1..].chunks(3).map(|c| c.join("\n") + "\n").collect();
    runs.reverse();
    runs.truncate(5);
    write(
        d,
        "shuffled.csv",
        &(lines[0].to_string() + "\n" + &runs.concat()),
    );
    ok(d, &["sweep", "s.toml", "--out", "shuffled.csv"]);
    assert_eq!(read(d, "shuffled.csv"), full);
}

#[test]
fn shards_concatenate_to_the_single_machine_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "s.toml", SMALL);
    ok(d, &["sweep", "s.toml", "--out", "full.csv"]);
    let mut joined = String::new();
    for i in 0..3 {
        let shard = format!("{i}/3");
        ok(d, &["sweep", "s.toml", "--shard", &shard]);
        let part = read(d, &format!("s.shard-{i}-of-3.csv"));
        let (header, rows) = part.split_once('\n').unwrap();
        if i == 0 {
            joined.push_str(header);
            joined.push('\n');
        }
        assert_eq!(rows.lines().count(), 9, "shard {i}: 3 runs × 3 checkpoints");
        joined.push_str(rows);
    }
    assert_eq!(joined, read(d, "full.csv"));
    // A shard's file does not resume another shard.
    let out = run(
        d,
        &[
            "sweep",
            "s.toml",
            "--shard",
            "1/3",
            "--out",
            "s.shard-0-of-3.csv",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not among this shard's runs"));
}

#[test]
fn ctrl_c_keeps_finished_runs_and_the_sweep_continues_to_the_same_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Longer runs, so that Ctrl+C arrives while some are still training.
    let slow = SMALL
        .replace("[20, 100, 300]", "[20, 100, 20000]")
        .replace("seeds = [1, 2, 3]", "seeds = [1, 2, 3, 4]");
    write(d, "s.toml", &slow);
    let child = Command::new(env!("CARGO_BIN_EXE_invariance-lab"))
        .current_dir(d)
        .args(["sweep", "s.toml", "--out", "cut.csv", "--threads", "2"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let begin = Instant::now();
    // Wait for the first finished run (header + 3 rows), then interrupt.
    while std::fs::read_to_string(d.join("cut.csv")).map_or(0, |t| t.lines().count()) < 4 {
        assert!(
            begin.elapsed() < Duration::from_secs(300),
            "no run finished"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let cut = read(d, "cut.csv");
    let kept = (cut.lines().count() - 1) / 3;
    // 12 runs of 2,000 steps: the interrupt arrives after the first finished one.
    assert!(
        kept < 12,
        "the sweep finished before Ctrl+C; make the runs longer"
    );
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert!(err.contains("run the same command to continue"), "{err}");
    assert!(kept >= 1 && (cut.lines().count() - 1) % 3 == 0, "{cut}");
    ok(d, &["sweep", "s.toml", "--out", "cut.csv"]);
    ok(d, &["sweep", "s.toml", "--out", "whole.csv"]);
    assert_eq!(read(d, "cut.csv"), read(d, "whole.csv"));
}

#[test]
fn bad_sweep_files_are_named_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let seeds: Vec<u32> = (0..1000).collect();
    let cases = [
        (
            SMALL.replace("decay =", "decya ="),
            "parameters.decya: unknown key",
        ),
        (
            SMALL.replace("[0.0, 1e-4, 1e-3]", "[]"),
            "parameters.decay: the list of values is empty",
        ),
        (
            SMALL.replace("1e-3]", "\"high\"]"),
            "parameters.decay: `decay` must be a number",
        ),
        (SMALL.replace("1e-3]", "0.9]"), "[0, 0.5]"),
        (
            SMALL.replace("300]", "18446744073709551615]"),
            "checkpoints:",
        ),
        (
            SMALL.replace("[20, 100, 300]", "[100, 20]"),
            "strictly increasing",
        ),
        (SMALL.replace("seeds = [1, 2, 3]", "seeds = []"), "seeds:"),
        (
            SMALL.replace("[1, 2, 3]", &format!("{seeds:?}")).replace(
                "[0.0, 1e-4, 1e-3]",
                &format!(
                    "{:?}",
                    (0..200).map(|i| f64::from(i) * 1e-4).collect::<Vec<_>>()
                ),
            ),
            "too large: 200000 runs",
        ),
        (
            SMALL.replace("ring-shift", "nope"),
            "base: `nope` is neither a preset",
        ),
        (SMALL.replace("[set]", "[sets]"), "unknown field `sets`"),
        ("base = [".to_string(), "s.toml"),
    ];
    for (text, expected) in cases {
        write(d, "s.toml", &text);
        let out = run(d, &["sweep", "s.toml"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{text}\n{err}");
        assert!(err.contains(expected), "`{expected}` missing in: {err}");
        assert!(
            !d.join("s.csv").exists(),
            "no output before validation passes"
        );
    }
    write(d, "s.yaml", SMALL);
    let out = run(d, &["sweep", "s.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    for shard in ["3/3", "x"] {
        write(d, "s.toml", SMALL);
        let out = run(d, &["sweep", "s.toml", "--shard", shard]);
        assert_eq!(out.status.code(), Some(2), "--shard {shard}");
    }
    // An output from another sweep is not overwritten.
    write(d, "other.csv", "run,lambda,seed\n0,1,2\n");
    let out = run(d, &["sweep", "s.toml", "--out", "other.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a sweep CSV"));
    assert_eq!(read(d, "other.csv"), "run,lambda,seed\n0,1,2\n");
}

#[test]
fn search_columns_recover_the_cyclic_group_of_a_small_ring() {
    // Ring of 16 pixels, 2 random kernels of 5 pixels at every position (M = 32): the
    // bank is closed under the 16 shifts only, so the learned graph's approximate group
    // is C_16 and all 15 non-trivial shifts are recovered.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let spec = r#"{
        "base": "ring-shift",
        "seeds": [1, 2],
        "checkpoints": [5, 20000],
        "search": true,
        "set": {"space.n": 16, "bank.size": 5, "bank.kernels": 2,
                "stimulus.kind.width": [1.0, 2.0]}
    }"#;
    write(d, "s.json", spec);
    ok(d, &["sweep", "s.json", "--out", "a.csv"]);
    ok(d, &["sweep", "s.json", "--out", "b.csv", "--threads", "1"]);
    let csv = read(d, "a.csv");
    assert_eq!(csv, read(d, "b.csv"), "the search is deterministic");
    let order = column(&csv, "group_order");
    let recovered = column(&csv, "recovered_fraction");
    let best = column(&csv, "best_error");
    let e_g = column(&csv, "e_g");
    for seed in 0..2 {
        let last = 2 * seed + 1;
        assert_eq!(order[last], 16.0, "{csv}");
        assert_eq!(recovered[last], 1.0, "{csv}");
        assert!(
            best[last] <= e_g[last] + 1e-9,
            "the best is at most the true shift's"
        );
    }
}

#[test]
fn the_readme_example_runs_in_small() {
    // The worked example's file, with 2 seeds and its first 8 checkpoints (up to 10⁴
    // stimuli): λ = 0 follows the 1/√N law, λ = 10⁻³ (memory ≈ B/λ = 5·10⁴ stimuli)
    // has barely started to level off.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sweep_decay.toml"),
    )
    .unwrap();
    let small = example
        .replace("seeds = [1, 2, 3, 4, 5, 6, 7, 8]", "seeds = [1, 2]")
        .replace(
            "[50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000,\n               200000, 500000, 1000000, 2000000]",
            "[50, 100, 200, 500, 1000, 2000, 5000, 10000]",
        );
    assert!(
        small.contains("seeds = [1, 2]") && !small.contains("2000000"),
        "{small}"
    );
    write(d, "s.toml", &small);
    ok(d, &["sweep", "s.toml"]);
    let csv = read(d, "s.csv");
    assert_eq!(csv.lines().count(), 1 + 3 * 2 * 8);
    let (stimuli, e_g) = (column(&csv, "stimuli"), column(&csv, "e_g"));
    // Least-squares slope of log e_g against log stimuli, λ = 0, both seeds.
    let points: Vec<(f64, f64)> = (0..16).map(|i| (stimuli[i].ln(), e_g[i].ln())).collect();
    let n = points.len() as f64;
    let (mx, my) = points
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x / n, b + y / n));
    let sxy: f64 = points.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    let sxx: f64 = points.iter().map(|(x, _)| (x - mx) * (x - mx)).sum();
    let slope = sxy / sxx;
    assert!((-0.6..=-0.4).contains(&slope), "slope {slope}");
}
