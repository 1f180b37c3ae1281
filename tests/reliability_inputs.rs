//! Sizes that overflow, configuration files without a bound, folders
//! that lie, and a step too long to wait for. Every refusal is one line with exit code 2,
//! quick, and small in memory (`prlimit --as` caps the address space where a regression
//! would allocate gigabytes); the first Ctrl+C ends a huge step within a second.
#![cfg(target_os = "linux")]

mod cli_common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use cli_common::{ok, run};

fn refused(out: &Output, needles: &[&str]) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "not one line: {err}");
    assert!(!err.contains("panicked"), "{err}");
    for n in needles {
        assert!(err.contains(n), "`{err}` lacks `{n}`");
    }
}

/// Runs the binary with its address space capped at 1 GiB (a regression that allocates
/// by a wrapped or claimed size aborts instead of passing).
fn capped(dir: &Path, args: &[&str]) -> Output {
    Command::new("prlimit")
        .arg(format!("--as={}", 1u64 << 30))
        .arg(env!("CARGO_BIN_EXE_invariance-lab"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn sizes_that_overflow_are_refused_from_every_front() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let cases = [
        ("torus-translate", "space.side=4294967296", "space.side"),
        ("square-rotate", "space.side=4294967296", "space.side"),
        ("polar-rotate", "space.rings=4294967296", "space.rings"),
        ("polar-rotate", "space.sectors=4294967296", "space.sectors"),
        ("ring-shift", "space.n=18446744073709551615", "space.n"),
        (
            "ring-shift",
            "bank.kernels=9223372036854775808",
            "bank.kernels",
        ),
        ("ring-random", "bank.count=4294967296", "bank.count"),
        ("ring-shift", "batch=4294967296", "batch"),
    ];
    for (preset, set, field) in cases {
        refused(
            &capped(d, &["config", "--preset", preset, "--set", set]),
            &[field],
        );
        // The same configuration as a config file, a sweep base and inside an experiment.
        let mut config: serde_json::Value =
            serde_json::from_str(&ok(d, &["config", "--preset", preset])).unwrap();
        let (key, value) = set.split_once('=').unwrap();
        let mut node = &mut config;
        for part in key.split('.') {
            node = &mut node[part];
        }
        *node = serde_json::from_str(value).unwrap();
        std::fs::write(d.join("c.json"), config.to_string()).unwrap();
        refused(&capped(d, &["config", "--config", "c.json"]), &[field]);
        refused(
            &capped(
                d,
                &[
                    "train", "--config", "c.json", "--steps", "1", "--out", "o.json",
                ],
            ),
            &[field],
        );
        std::fs::write(
            d.join("s.toml"),
            "base = \"c.json\"\nseeds = [1]\ncheckpoints = [10]\n",
        )
        .unwrap();
        refused(&capped(d, &["sweep", "s.toml"]), &[field]);
        ok(
            d,
            &[
                "train", "--preset", preset, "--steps", "1", "--out", "e.json",
            ],
        );
        let mut e: serde_json::Value =
            serde_json::from_slice(&std::fs::read(d.join("e.json")).unwrap()).unwrap();
        e["config"] = config.clone();
        std::fs::write(d.join("e.json"), e.to_string()).unwrap();
        for args in [
            vec!["info", "e.json"],
            vec!["export", "e.json", "--weights", "w.npy"],
            vec!["search", "e.json", "--time-limit", "1"],
            vec!["figure", "e.json", "--plot", "learning", "--out", "f.svg"],
            vec!["animate", "e.json", "--truth", "--out", "a"],
        ] {
            refused(&capped(d, &args), &[field]);
        }
    }
}

#[test]
fn configuration_files_are_read_within_a_bound() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // 8 MB configuration files: a JSON array, an object with a huge string, and an
    // experiment-shaped file whose config is a huge array.
    let array = format!("[{}0]", "0,".repeat(4 << 20));
    let object = format!("{{\"space\": \"{}\"}}", "x".repeat(8 << 20));
    let experiment = format!(
        "{{\"format_version\": 1, \"config\": [{}0]}}",
        "0,".repeat(4 << 20)
    );
    for (name, text) in [
        ("array.json", &array),
        ("object.json", &object),
        ("exp.json", &experiment),
    ] {
        std::fs::write(d.join(name), text).unwrap();
        let start = Instant::now();
        // 256 MiB of address space: a reader building the whole tree would abort.
        let out = Command::new("prlimit")
            .arg(format!("--as={}", 256u64 << 20))
            .arg(env!("CARGO_BIN_EXE_invariance-lab"))
            .args(["config", "--config", name])
            .current_dir(d)
            .output()
            .unwrap();
        refused(&out, &[name]);
        assert!(start.elapsed() < Duration::from_secs(30), "{name}");
        std::fs::write(
            d.join("s.toml"),
            format!("base = \"{name}\"\nseeds = [1]\ncheckpoints = [10]\n"),
        )
        .unwrap();
        refused(&run(d, &["sweep", "s.toml"]), &[name]);
    }
    // A big sweep file is refused by its size.
    std::fs::write(
        d.join("big.toml"),
        format!(
            "base = \"ring-shift\"\n# {}\nseeds = [1]\ncheckpoints = [1]\n",
            "x".repeat(2 << 20)
        ),
    )
    .unwrap();
    refused(&run(d, &["sweep", "big.toml"]), &["limit"]);
}

/// A mono 16-bit PCM WAV file of `samples`, declaring `rate` Hz and `declared` data bytes.
fn wav(path: &Path, rate: u32, samples: &[i16], declared: Option<u32>) {
    let data: Vec<u8> = samples.iter().flat_map(|s| s.to_le_bytes()).collect();
    let n = declared.unwrap_or(data.len() as u32);
    std::fs::write(path, cli_common::wav_bytes(rate, 16, n, &data)).unwrap();
}

fn tone(n: usize) -> Vec<i16> {
    (0..n)
        .map(|i| ((i as f64 * 0.3).sin() * 8000.0) as i16)
        .collect()
}

#[test]
fn folders_are_examined_whole_and_every_skipped_entry_named() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let w = d.join("wav");
    std::fs::create_dir(&w).unwrap();
    wav(&w.join("silent-1.wav"), 8000, &vec![0; 8000], None);
    wav(&w.join("silent-2.wav"), 8000, &vec![0; 8000], None);
    let train = [
        "train",
        "--preset",
        "audio-pitch",
        "--steps",
        "1",
        "--out",
        "a.json",
        "--audio-dir",
    ];
    // A world without signal is refused, not scored.
    refused(
        &capped(d, &[&train[..], &["wav"]].concat()),
        &["no signal", "silent"],
    );
    // Lying and hostile entries: named, skipped, never blocking or read.
    wav(&w.join("rate.wav"), 1_000_000_000, &tone(4000), None);
    wav(
        &w.join("claims-4gib.wav"),
        8000,
        &tone(8000),
        Some(u32::MAX - 65),
    );
    cli_common::mkfifo(&w.join("fifo.wav"));
    std::os::unix::fs::symlink("loop.wav", w.join("loop.wav")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", w.join("zero.wav")).unwrap();
    std::fs::create_dir(w.join("sub.wav")).unwrap();
    let out = capped(d, &[&train[..], &["wav"]].concat());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    for (file, why) in [
        ("rate.wav", "Hz"),
        ("fifo.wav", "FIFO"),
        ("loop.wav", "leads nowhere"),
        ("zero.wav", "character device"),
        ("sub.wav", "folder"),
        ("silent-1.wav", "silent"),
    ] {
        assert!(
            err.lines()
                .any(|l| l.starts_with("warning: skipped") && l.contains(file) && l.contains(why)),
            "{file} ({why}) not named: {err}"
        );
    }
    assert!(!err.contains("claims-4gib"), "its data is read: {err}");
    // 10,050 entries: the one WAV file after 10,049 others is found.
    let many = d.join("many");
    std::fs::create_dir(&many).unwrap();
    for i in 0..10_049 {
        std::fs::write(many.join(format!("{i:05}.txt")), b"").unwrap();
    }
    wav(&many.join("zzz.wav"), 8000, &tone(16000), None);
    let out = capped(d, &[&train[..], &["many"]].concat());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let warnings = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.starts_with("warning: skipped"))
        .count();
    assert_eq!(warnings, 10_049);
    // Photos: a blank folder is refused; a header claiming 100,000² pixels is refused
    // before decoding.
    let p = d.join("photos");
    std::fs::create_dir(&p).unwrap();
    image::GrayImage::from_pixel(64, 64, image::Luma([90]))
        .save(p.join("blank.png"))
        .unwrap();
    let photo = [
        "train",
        "--preset",
        "image-rotate",
        "--steps",
        "1",
        "--out",
        "p.json",
        "--image-dir",
        "photos",
    ];
    refused(&capped(d, &photo), &["no signal", "blank"]);
    let bomb = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/image/bad-decompression-bomb.png"),
    )
    .unwrap();
    std::fs::write(p.join("bomb.png"), bomb).unwrap();
    image::GrayImage::from_fn(64, 64, |x, y| image::Luma([(x * 3 + y * 2) as u8]))
        .save(p.join("ok.png"))
        .unwrap();
    let out = capped(d, &photo);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("bomb.png") && err.contains("declares"),
        "{err}"
    );
}

#[test]
fn the_first_ctrl_c_ends_a_huge_allowed_step_within_a_second() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // One step of 2048 stimuli through 2048 detectors on 2048 pixels: allowed (under the
    // ceiling), and many seconds long in a test build.
    let mut child = Command::new(env!("CARGO_BIN_EXE_invariance-lab"))
        .current_dir(d)
        .args([
            "train",
            "--preset",
            "ring-random",
            "--set",
            "space.n=2048",
            "--set",
            "bank.count=2048",
            "--set",
            "batch=2048",
            "--set",
            "k_winners=1",
            "--steps",
            "1",
            "--out",
            "h.json",
            "--save-on-interrupt",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    assert!(line.contains("training 1 steps"), "{line}");
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the step ended before Ctrl+C"
    );
    let pid = child.id() as i32;
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    let start = Instant::now();
    let status = child.wait().unwrap();
    let took = start.elapsed();
    println!("first Ctrl+C to exit: {took:?}");
    assert_eq!(status.code(), Some(130));
    // Saving 2048² weights takes its own time: the step itself ended at once.
    assert!(took < Duration::from_secs(5), "{took:?}");
    // The saved run is the last completed step (0), and it resumes.
    let info = ok(d, &["info", "h.json", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&info).unwrap();
    assert_eq!(v["steps"], 0);
}
