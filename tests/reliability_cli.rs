//! Hostile inputs and interrupted work through the command line: things that
//! are not regular files, unbounded counts, special save targets, stale temporaries,
//! Ctrl+C, and resume-by-one-step soak. Every refusal is exit code 2 with one line on
//! stderr, quickly.
#![cfg(target_os = "linux")]

mod cli_common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use cli_common::{ok, run};

/// A trained experiment file (ring-shift, 2 steps) in `dir`.
fn experiment(dir: &Path) -> PathBuf {
    ok(
        dir,
        &[
            "train",
            "--preset",
            "ring-shift",
            "--steps",
            "2",
            "--out",
            "run.json",
        ],
    );
    dir.join("run.json")
}

/// Asserts exit code 2 and a single stderr line containing every needle.
fn refused(out: &Output, needles: &[&str]) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "not one line: {err}");
    for needle in needles {
        assert!(err.contains(needle), "`{err}` lacks `{needle}`");
    }
}

/// Runs with a time limit: a refusal must come at once, not after reading a device.
fn run_quickly(dir: &Path, args: &[&str]) -> Output {
    let start = Instant::now();
    let out = run(dir, args);
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{args:?} took {:?}",
        start.elapsed()
    );
    out
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

#[test]
fn devices_fifos_and_directories_are_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let run_json = experiment(d);
    let run_json = run_json.to_str().unwrap();
    let fifo = d.join("pipe.json");
    mkfifo(&fifo);
    let fifo = fifo.to_str().unwrap();
    let folder = d.to_str().unwrap();
    for (args, kind) in [
        (vec!["info", "/dev/zero"], "a character device"),
        (vec!["info", "/dev/urandom"], "a character device"),
        (vec!["info", fifo], "a FIFO"),
        (vec!["info", folder], "a directory"),
        (
            vec!["export", "/dev/zero", "--weights", "w.npy"],
            "a character device",
        ),
        (vec!["search", "/dev/zero"], "a character device"),
    ] {
        refused(&run_quickly(d, &args), &[kind, "not a regular file"]);
    }
    for flag in ["--image", "--permutation"] {
        let out = run_quickly(
            d,
            &["animate", run_json, flag, "/dev/zero", "--out", "anim"],
        );
        refused(&out, &["/dev/zero", "a character device"]);
    }
}

#[test]
fn counts_and_cheap_arguments_are_checked_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // The experiment does not even exist: the count is refused first.
    let out = run_quickly(
        d,
        &[
            "animate",
            "missing.json",
            "--frames",
            "100000",
            "--out",
            "a",
        ],
    );
    refused(&out, &["--frames 100000", "1 to 256"]);
    for k in ["0", "99999"] {
        let out = run_quickly(d, &["animate", "missing.json", "--result", k, "--out", "a"]);
        refused(&out, &["--result", "at most 64"]);
    }
    let out = run_quickly(
        d,
        &["animate", "missing.json", "--frame-ms", "0", "--out", "a"],
    );
    refused(&out, &["--frame-ms"]);
    let steps = (1u64 << 41).to_string();
    let out = run_quickly(
        d,
        &[
            "train",
            "--preset",
            "ring-shift",
            "--steps",
            &steps,
            "--out",
            "x.json",
        ],
    );
    refused(&out, &["too many", "1099511627776"]);
    assert!(!d.join("x.json").exists());
}

#[test]
fn saving_refuses_special_files_and_writes_through_symbolic_links() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let fifo = d.join("out.fifo");
    mkfifo(&fifo);
    let train = |out: &str| {
        run_quickly(
            d,
            &[
                "train",
                "--preset",
                "ring-shift",
                "--steps",
                "1",
                "--out",
                out,
            ],
        )
    };
    refused(
        &train(fifo.to_str().unwrap()),
        &["a FIFO", "refusing to replace"],
    );
    std::fs::create_dir(d.join("folder.json")).unwrap();
    refused(&train("folder.json"), &["a directory"]);
    // A link is followed: the real file gets the run, the link stays a link.
    std::fs::write(d.join("real.json"), b"old").unwrap();
    std::os::unix::fs::symlink("real.json", d.join("link.json")).unwrap();
    assert!(train("link.json").status.success());
    assert!(
        std::fs::symlink_metadata(d.join("link.json"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    ok(d, &["info", "real.json"]);
    // Temporaries of a killed save (PID above Linux's maximum: surely dead) are removed by
    // the next save into the folder; a live process's (PID 1) is kept.
    let dead = d.join(".run.json.tmp-2147483632-0");
    let live = d.join(".run.json.tmp-1-0");
    std::fs::write(&dead, b"{\"format_version\":1, \"conf").unwrap();
    std::fs::write(&live, b"partial").unwrap();
    assert!(train("run.json").status.success());
    assert!(!dead.exists());
    assert!(live.exists());
}

/// Starts a long `train` whose stderr is plain progress lines, waits until it trains,
/// sends Ctrl+C (SIGINT) and returns its output.
fn interrupted_train(d: &Path, extra: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_invariance-lab"))
        .current_dir(d)
        .args([
            "train",
            "--preset",
            "ring-shift",
            "--steps",
            "100000000",
            "--out",
            "run.json",
        ])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    assert!(first.starts_with("training"), "{first}");
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGINT) }, 0);
    let start = Instant::now();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    let mut out = child.wait_with_output().unwrap();
    assert!(start.elapsed() < Duration::from_secs(20), "slow to stop");
    out.stderr = rest.into_bytes();
    out
}

#[test]
fn ctrl_c_stops_training_with_code_130_and_saves_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = interrupted_train(d, &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert!(
        err.contains("nothing saved") && err.contains("interrupted by Ctrl+C"),
        "{err}"
    );
    assert!(!d.join("run.json").exists());
    assert_eq!(
        std::fs::read_dir(d).unwrap().count(),
        0,
        "something was left behind"
    );

    let out = interrupted_train(d, &["--save-on-interrupt"]);
    assert_eq!(out.status.code(), Some(130));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("interrupted after"), "{stdout}");
    // The partial run is a complete file that resumes.
    let info = ok(d, &["info", "run.json", "--json"]);
    let steps = serde_json::from_str::<serde_json::Value>(&info).unwrap()["steps"]
        .as_u64()
        .unwrap();
    assert!(steps > 0);
    ok(
        d,
        &[
            "train",
            "--resume",
            "run.json",
            "--steps",
            "1",
            "--out",
            "more.json",
        ],
    );
}

#[test]
fn five_one_step_resumes_equal_one_five_step_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(
        d,
        &[
            "train",
            "--preset",
            "ring-shift",
            "--steps",
            "0",
            "--out",
            "a.json",
        ],
    );
    for _ in 0..5 {
        ok(
            d,
            &[
                "train", "--resume", "a.json", "--steps", "1", "--out", "a.json",
            ],
        );
    }
    ok(
        d,
        &[
            "train",
            "--preset",
            "ring-shift",
            "--steps",
            "5",
            "--out",
            "b.json",
        ],
    );
    ok(d, &["export", "a.json", "--weights", "a.npy"]);
    ok(d, &["export", "b.json", "--weights", "b.npy"]);
    assert_eq!(
        std::fs::read(d.join("a.npy")).unwrap(),
        std::fs::read(d.join("b.npy")).unwrap()
    );
}

/// `invariance-lab search F.json --json | head -c 100`: the reader closes the pipe
/// long before the output ends; the command ends quietly (SIGPIPE, as other Unix tools
/// do) instead of panicking in `println!`.
#[test]
fn a_reader_that_stops_early_ends_a_read_only_command_quietly() {
    use std::io::Read;
    use std::os::unix::process::ExitStatusExt;
    let d = tempfile::tempdir().unwrap();
    let file = experiment(d.path());
    let mut child = Command::new(env!("CARGO_BIN_EXE_invariance-lab"))
        .current_dir(d.path())
        .args(["search", file.to_str().unwrap(), "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 100];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The stdout handle is dropped here: the pipe is closed with most output unread
    // (the JSON of 64 results over 256 neurons is far beyond a pipe's buffer).
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "stderr: {err}");
    assert_eq!(out.status.signal(), Some(libc::SIGPIPE), "stderr: {err}");
    assert!(first.starts_with(b"{"));
}
