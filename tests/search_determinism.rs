//! The same answer on every machine: every stage of the search is bounded by counted
//! work, never by the clock, so `invariance-lab search FILE --json` prints the same
//! results, groups, errors and work counters — byte for byte once the timing fields
//! (`elapsed_s`, `full_group_s`) are removed — for two very different time limits it
//! finishes within, on one core (`taskset -c 0`) and on two, with one rayon thread
//! and with two, and on a machine loaded by busy threads.
//!
//! The inputs cover the solver's paths: a noisy scrambled circulant (the generator
//! enumeration, polish, the measured group), a random matrix without symmetry (the
//! last-resort annealing and FAQ stages) and an exact graph with noise-free weights
//! (the exact group from Traces seeding the approximate group).

mod cli_common;
mod search_common;

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::Value;

/// One run's JSON without its timing fields (asserting the search was not stopped).
fn run(dir: &Path, file: &str, limit: &str, pin: bool, threads: Option<&str>) -> String {
    let bin = env!("CARGO_BIN_EXE_invariance-lab");
    let mut cmd = if pin {
        let mut c = Command::new("taskset");
        c.args(["-c", "0", bin]);
        c
    } else {
        Command::new(bin)
    };
    cmd.current_dir(dir)
        .args(["search", file, "--json", "--time-limit", limit]);
    if let Some(t) = threads {
        cmd.env("RAYON_NUM_THREADS", t);
    }
    let out = cmd.output().expect("the binary runs");
    assert!(
        out.status.success(),
        "{file}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["timed_out"], false, "{file} with limit {limit} timed out");
    assert_eq!(v["cancelled"], false);
    let o = v.as_object_mut().expect("an object");
    o.remove("elapsed_s");
    o.remove("full_group_s");
    serde_json::to_string(&v).expect("serialisable")
}

/// True if `taskset` can pin a process to core 0 here.
fn taskset_works() -> bool {
    Command::new("taskset")
        .args(["-c", "0", "true"])
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs `f` while two threads keep the machine's cores busy.
fn loaded<T>(f: impl FnOnce() -> T) -> T {
    let stop = Arc::new(AtomicBool::new(false));
    let hogs: Vec<_> = (0..2)
        .map(|_| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut x = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
                }
            })
        })
        .collect();
    let out = f();
    stop.store(true, Ordering::Relaxed);
    for h in hogs {
        h.join().expect("no panic");
    }
    out
}

#[test]
fn search_json_is_the_same_whatever_the_time_limit_threads_cores_and_load() {
    let dir = tempfile::tempdir().unwrap();
    let (circulant, _) =
        search_common::scramble(&search_common::noisy_circulant(192, 3.0, 0.02, 4), 5);
    let random = search_common::random_symmetric(96, 6);
    let (torus, _) = search_common::scramble(&search_common::torus(10, 1.5), 7);
    let cases = [
        ("circulant.npy", circulant),
        ("random.npy", random),
        ("torus.npy", torus),
    ];
    let pin = taskset_works();
    if !pin {
        eprintln!("taskset is not available here: the one-core run is skipped");
    }
    for (file, w) in &cases {
        ndarray_npy::write_npy(dir.path().join(file), w).unwrap();
        let reference = run(dir.path(), file, "600", false, None);
        let v: Value = serde_json::from_str(&reference).unwrap();
        assert!(v["work"]["growths"].as_u64().is_some(), "work counters");
        let variants = [
            ("time limit 20 s", run(dir.path(), file, "20", false, None)),
            (
                "1 rayon thread",
                run(dir.path(), file, "600", false, Some("1")),
            ),
            (
                "2 rayon threads",
                run(dir.path(), file, "600", false, Some("2")),
            ),
            (
                "loaded machine",
                loaded(|| run(dir.path(), file, "600", false, None)),
            ),
        ];
        for (what, out) in variants {
            assert_eq!(out, reference, "{file}: {what} changed the answer");
        }
        if pin {
            let one_core = run(dir.path(), file, "600", true, None);
            assert_eq!(one_core, reference, "{file}: one core changed the answer");
        }
    }
}

/// A time limit the search cannot finish within stops it, and the JSON says so.
#[test]
fn a_search_stopped_by_its_time_limit_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let w = search_common::random_symmetric(400, 8);
    ndarray_npy::write_npy(dir.path().join("w.npy"), &w).unwrap();
    let out = cli_common::ok(
        dir.path(),
        &["search", "w.npy", "--json", "--time-limit", "0.05"],
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["timed_out"], true);
}
