//! The campaign classes for outputs, sweeps, configurations and folders, run by hand
//! like the rest of the campaign:
//!
//! ```text
//! cargo test --no-default-features --release --test reliability_campaign_surfaces -- --ignored --nocapture
//! ```
//!
//! - **outputs**: every writer pointed at a FIFO, a socket, a folder, links to a FIFO and
//!   to a character device, a dangling link and a file of another kind; a replaced node
//!   counts as "replaced non-regular files";
//! - **sweeps**: edits between resumes, two concurrent sweeps into one file killed at
//!   random moments, two shards into one file at once; rows lost or mixed in count;
//! - **configurations**: every numeric field of every preset at 0, −1, 2³¹, 2³², 2⁶³,
//!   1e300 and NaN, through `--set` and through a config file (and one training step
//!   where the value is accepted);
//! - **folders**: corrupt, lying, sparse and huge WAV/PNG/JPEG files, symbolic-link loops,
//!   FIFOs, links to devices, 10,050 entries.
//!
//! Devices are reached only through symbolic links to `/dev/null` in the scratch folder;
//! the system's `/dev` entries are checked afterwards to be untouched.
#![cfg(target_os = "linux")]

mod campaign_common;
mod cli_common;

use std::os::unix::fs::FileTypeExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use campaign_common::{BIN, Campaign, Rng};
use cli_common::{fake_ffmpeg, mkfifo, wav_bytes};
use serde_json::Value;

/// What a node is, to tell whether a writer replaced it.
fn kind(path: &Path) -> String {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => format!("link {:?}", std::fs::read_link(path).ok()),
        Ok(m) if m.file_type().is_fifo() => "fifo".into(),
        Ok(m) if m.file_type().is_socket() => "socket".into(),
        Ok(m) if m.is_dir() => "dir".into(),
        Ok(m) => format!("file {}", m.len()),
        Err(_) => "missing".into(),
    }
}

fn outputs(c: &mut Campaign) {
    let d = c.dir.clone();
    let class = "outputs: writers into FIFOs, sockets, folders, device links, other files";
    let path = fake_ffmpeg(&d);
    let _socket = std::os::unix::net::UnixListener::bind(d.join("sock")).unwrap();
    mkfifo(&d.join("fifo"));
    std::fs::create_dir(d.join("folder")).unwrap();
    std::os::unix::fs::symlink("fifo", d.join("to-fifo")).unwrap();
    std::os::unix::fs::symlink("/dev/null", d.join("to-null")).unwrap();
    std::fs::write(
        d.join("sweep.toml"),
        "base = \"ring-shift\"\nseeds = [1]\ncheckpoints = [50]\n",
    )
    .unwrap();
    let writers: [&[&str]; 9] = [
        &[
            "train",
            "--preset",
            "ring-shift",
            "--steps",
            "1",
            "--out",
            "@",
        ],
        &[
            "train",
            "--resume",
            "good.json",
            "--steps",
            "1",
            "--out",
            "@",
        ],
        &["export", "good.json", "--weights", "@.npy"],
        &["export", "good.json", "--weights", "@.csv"],
        &["figure", "good.json", "--plot", "heatmap", "--out", "@.svg"],
        &[
            "figure",
            "good.json",
            "--plot",
            "learning",
            "--out",
            "@.png",
        ],
        &[
            "animate",
            "good.json",
            "--truth",
            "--frames",
            "2",
            "--mp4",
            "@.mp4",
            "--out",
            "anim",
        ],
        &[
            "animate",
            "good.json",
            "--truth",
            "--frames",
            "2",
            "--out",
            "@",
        ],
        &["sweep", "sweep.toml", "--out", "@.csv"],
    ];
    for target in ["fifo", "sock", "folder", "to-fifo", "to-null"] {
        for args in writers {
            let ext = args
                .iter()
                .find(|a| a.starts_with('@'))
                .unwrap()
                .trim_start_matches('@');
            let node = format!("{target}{ext}");
            let node_path = d.join(&node);
            if std::fs::symlink_metadata(&node_path).is_err() {
                match target {
                    "fifo" => mkfifo(&node_path),
                    "folder" => std::fs::create_dir(&node_path).unwrap(),
                    "sock" => std::mem::forget(
                        std::os::unix::net::UnixListener::bind(&node_path).unwrap(),
                    ),
                    "to-fifo" => std::os::unix::fs::symlink("fifo", &node_path).unwrap(),
                    _ => std::os::unix::fs::symlink("/dev/null", &node_path).unwrap(),
                }
            }
            let before = kind(&node_path);
            let argv: Vec<String> = args.iter().map(|a| a.replace('@', target)).collect();
            let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
            c.run_with(class, &argv, &[("PATH", &path)]);
            // `animate --out FOLDER` writes into the folder: that is what it is for.
            let allowed = target == "folder" && args[0] == "animate" && ext.is_empty();
            if kind(&node_path) != before && !allowed {
                eprintln!(
                    "[{class}] {argv:?} replaced {node}: {before} → {}",
                    kind(&node_path)
                );
                c.row(class).replaced += 1;
            }
        }
    }
    // Other kinds of file: an experiment as a sweep output (also with --restart).
    let good = std::fs::read(d.join("good.json")).unwrap();
    std::fs::write(d.join("other.json"), &good).unwrap();
    for extra in [&[][..], &["--restart"][..]] {
        c.run(
            class,
            &[&["sweep", "sweep.toml", "--out", "other.json"][..], extra].concat(),
        );
        if std::fs::read(d.join("other.json")).unwrap() != good {
            c.row(class).replaced += 1;
        }
    }
    // Dangling links are written through.
    std::os::unix::fs::symlink("made.json", d.join("dangling.json")).unwrap();
    c.run(
        class,
        &[
            "train",
            "--preset",
            "ring-shift",
            "--steps",
            "1",
            "--out",
            "dangling.json",
        ],
    );
    if !kind(&d.join("dangling.json")).starts_with("link") || !d.join("made.json").is_file() {
        c.row(class).replaced += 1;
    }
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
}

/// A sweep's CSV rows by line, for counting lost or mixed rows against the unbroken file.
fn row_loss(got: &[u8], want: &[u8]) -> usize {
    let got = String::from_utf8_lossy(got);
    let want = String::from_utf8_lossy(want);
    let have: std::collections::HashSet<&str> = got.lines().collect();
    let lost = want.lines().filter(|l| !have.contains(l)).count();
    let wanted: std::collections::HashSet<&str> = want.lines().collect();
    lost + got.lines().filter(|l| !wanted.contains(l)).count()
}

fn sweeps(c: &mut Campaign) {
    let d = c.dir.clone();
    let class = "sweeps: edits between resumes, concurrent sweeps and shards";
    let spec = "base = \"ring-shift\"\nseeds = [1, 2, 3, 4]\ncheckpoints = [500, 1000]\n[set]\nbatch = 50\n[parameters]\ndecay = [0.0, 0.001]\n";
    std::fs::write(d.join("sw.toml"), spec).unwrap();
    c.run(class, &["sweep", "sw.toml", "--out", "unbroken.csv"]);
    let unbroken = std::fs::read(d.join("unbroken.csv")).unwrap();
    let base = Command::new(BIN)
        .args(["config", "--preset", "ring-shift"])
        .output()
        .unwrap()
        .stdout;
    std::fs::write(d.join("base.json"), &base).unwrap();
    let mut edited: Value = serde_json::from_slice(&base).unwrap();
    edited["learning_rate"] = serde_json::json!(0.02);
    let edits = [
        spec.replace("batch = 50", "batch = 25"),
        spec.replace("ring-shift", "ring-random"),
        spec.replace("batch = 50", "batch = 50\nlearning_rate = 0.5"),
        spec.replace("batch = 50", "batch = 50\nk_winners = 8"),
        spec.replace("\"ring-shift\"", "\"base.json\""),
    ];
    for (i, edit) in edits.iter().enumerate() {
        let out = format!("e{i}.csv");
        std::fs::copy(d.join("unbroken.csv"), d.join(&out)).unwrap();
        std::fs::copy(
            d.join("unbroken.csv.spec.json"),
            d.join(format!("{out}.spec.json")),
        )
        .unwrap();
        if i == 4 {
            // The base config file's content changes between runs, not its name.
            std::fs::write(d.join("base.json"), &base).unwrap();
            std::fs::write(d.join("e.toml"), edit).unwrap();
            c.run(class, &["sweep", "e.toml", "--out", &out, "--restart"]);
            std::fs::write(d.join("base.json"), edited.to_string()).unwrap();
        }
        std::fs::write(d.join("e.toml"), edit).unwrap();
        let before = std::fs::read(d.join(&out)).unwrap();
        let o = c.run(class, &["sweep", "e.toml", "--out", &out]);
        if o.code == Some(0) {
            c.row(class).lost_rows +=
                row_loss(&std::fs::read(d.join(&out)).unwrap(), &before).max(1);
        }
    }
    // Two sweeps into one file, both killed at random moments, then resumed.
    let mut rng = Rng(0x5eed);
    for trial in 0..10 {
        let out = format!("both{trial}.csv");
        let spawn = || {
            Command::new(BIN)
                .current_dir(&d)
                .args(["sweep", "sw.toml", "--out", &out, "--threads", "1"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        };
        let (mut a, mut b) = (spawn(), spawn());
        std::thread::sleep(Duration::from_millis(100 + rng.below(900) as u64));
        let _ = a.kill();
        std::thread::sleep(Duration::from_millis(rng.below(300) as u64));
        let _ = b.kill();
        let _ = (a.wait(), b.wait());
        c.run(class, &["sweep", "sw.toml", "--out", &out]);
        let got = std::fs::read(d.join(&out)).unwrap_or_default();
        c.row(class).lost_rows += row_loss(&got, &unbroken);
    }
    // Two shards into one file at once: one is refused, the other's rows are whole.
    for trial in 0..5 {
        let out = format!("shards{trial}.csv");
        let spawn = |shard: &str| {
            Command::new(BIN)
                .current_dir(&d)
                .args([
                    "sweep",
                    "sw.toml",
                    "--out",
                    &out,
                    "--shard",
                    shard,
                    "--threads",
                    "1",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        };
        let (mut a, mut b) = (spawn("0/2"), spawn("1/2"));
        let (sa, sb) = (a.wait().unwrap(), b.wait().unwrap());
        c.row(class).tried += 1;
        if sa.success() && sb.success() {
            eprintln!("[{class}] both shards wrote {out}");
            c.row(class).lost_rows += 1;
        }
        // Whatever is in the file belongs to the unbroken sweep.
        let got = std::fs::read(d.join(&out)).unwrap_or_default();
        let want: std::collections::HashSet<&str> =
            std::str::from_utf8(&unbroken).unwrap().lines().collect();
        c.row(class).lost_rows += String::from_utf8_lossy(&got)
            .lines()
            .filter(|l| !want.contains(l))
            .count();
    }
}

fn leaves(v: &Value, prefix: &str, out: &mut Vec<String>) {
    match v {
        Value::Number(_) => out.push(prefix.to_string()),
        Value::Object(m) => m.iter().for_each(|(k, x)| {
            leaves(
                x,
                &if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                },
                out,
            )
        }),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, x)| leaves(x, &format!("{prefix}.{i}"), out)),
        _ => {}
    }
}

fn configurations(c: &mut Campaign) {
    let d = c.dir.clone();
    let class = "configurations: every numeric field at 0, -1, 2^31, 2^32, 2^63, 1e300, NaN";
    let names = Command::new(BIN).arg("presets").output().unwrap().stdout;
    let names: Vec<String> = String::from_utf8_lossy(&names)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(String::from))
        .collect();
    let values = [
        "0",
        "-1",
        "2147483648",
        "4294967296",
        "9223372036854775808",
        "1e300",
        "NaN",
    ];
    for name in &names {
        let text = Command::new(BIN)
            .args(["config", "--preset", name])
            .output()
            .unwrap()
            .stdout;
        let config: Value = serde_json::from_slice(&text).unwrap();
        let mut paths = Vec::new();
        leaves(&config, "", &mut paths);
        for path in &paths {
            for v in values {
                let set = format!("{path}={v}");
                let o = c.run(class, &["config", "--preset", name, "--set", &set]);
                if o.code == Some(0) {
                    c.run(
                        class,
                        &[
                            "train", "--preset", name, "--set", &set, "--steps", "1", "--out",
                            "cfg.json",
                        ],
                    );
                }
                // The same value in a config file (NaN is not JSON: written as a string).
                let mut edited = config.clone();
                let mut node = &mut edited;
                for part in path.split('.') {
                    node = match part.parse::<usize>() {
                        Ok(i) if node.is_array() => &mut node[i],
                        _ => &mut node[part],
                    };
                }
                *node = serde_json::from_str(v).unwrap_or(Value::String(v.into()));
                std::fs::write(d.join("cfg-file.json"), edited.to_string()).unwrap();
                c.run(class, &["config", "--config", "cfg-file.json"]);
            }
        }
    }
}

fn folders(c: &mut Campaign) {
    let d = c.dir.clone();
    let class = "folders: corrupt, lying, sparse, huge WAV/PNG/JPEG, loops, FIFOs, 10,050 entries";
    let tone: Vec<u8> = (0..16000)
        .map(|i| (128.0 + 60.0 * (i as f64 * 0.3).sin()) as u8)
        .collect();
    let mut rng = Rng(0xf01d);
    let folder = |name: &str| {
        let p = d.join(name);
        std::fs::create_dir_all(&p).unwrap();
        p
    };
    let audio = |c: &mut Campaign, dir: &str| {
        c.run(
            class,
            &[
                "train",
                "--preset",
                "audio-pitch",
                "--steps",
                "1",
                "--out",
                "f.json",
                "--audio-dir",
                dir,
            ],
        );
    };
    let photos = |c: &mut Campaign, dir: &str| {
        c.run(
            class,
            &[
                "train",
                "--preset",
                "image-rotate",
                "--steps",
                "1",
                "--out",
                "f.json",
                "--image-dir",
                dir,
            ],
        );
    };
    // Corrupt WAV files: random bytes, a good file with bytes flipped.
    for k in 0..20 {
        let p = folder(&format!("corrupt{k}"));
        let mut bytes = wav_bytes(8000, 8, tone.len() as u32, &tone);
        for _ in 0..=rng.below(16) {
            let i = rng.below(bytes.len().min(64));
            bytes[i] = rng.next() as u8;
        }
        std::fs::write(p.join("a.wav"), bytes).unwrap();
        audio(c, &format!("corrupt{k}"));
    }
    // Lying headers: 10^9 Hz, 4 GiB claimed, 0 Hz, zero length.
    for (k, (rate, declared)) in [
        (1_000_000_000u32, tone.len() as u32),
        (8000, u32::MAX - 1),
        (0, 100),
        (8000, 0),
    ]
    .into_iter()
    .enumerate()
    {
        let p = folder(&format!("lying{k}"));
        std::fs::write(p.join("a.wav"), wav_bytes(rate, 8, declared, &tone)).unwrap();
        audio(c, &format!("lying{k}"));
    }
    // Sparse and huge: 512 MiB of silence (a hole) at 44.1 kHz and at 10^9 Hz, silent files.
    for (k, rate) in [44_100u32, 1_000_000_000].into_iter().enumerate() {
        let p = folder(&format!("huge{k}"));
        let file = p.join("a.wav");
        std::fs::write(&file, wav_bytes(rate, 8, 512 << 20, &[])).unwrap();
        std::fs::OpenOptions::new()
            .write(true)
            .open(&file)
            .unwrap()
            .set_len(44 + (512 << 20))
            .unwrap();
        audio(c, &format!("huge{k}"));
        std::fs::remove_file(&file).unwrap();
    }
    let p = folder("silent");
    std::fs::write(p.join("a.wav"), wav_bytes(8000, 8, 16000, &[128; 16000])).unwrap();
    audio(c, "silent");
    // Entries that are not files, next to one good file.
    let p = folder("hostile");
    std::fs::write(
        p.join("good.wav"),
        wav_bytes(8000, 8, tone.len() as u32, &tone),
    )
    .unwrap();
    mkfifo(&p.join("fifo.wav"));
    std::os::unix::fs::symlink("loop.wav", p.join("loop.wav")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", p.join("zero.wav")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", p.join("zero.png")).unwrap();
    std::fs::create_dir(p.join("sub.wav")).unwrap();
    audio(c, "hostile");
    photos(c, "hostile");
    // 10,050 entries, the only good file last.
    let p = folder("many");
    for i in 0..10_049 {
        std::fs::write(p.join(format!("{i:05}.txt")), b"").unwrap();
    }
    std::fs::write(
        p.join("zzz.wav"),
        wav_bytes(8000, 8, tone.len() as u32, &tone),
    )
    .unwrap();
    audio(c, "many");
    // Photos: corrupt, lying (a decompression bomb's header), blank, sparse and huge.
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/image");
    let good_png = std::fs::read(corpus.join("ok-small.png")).unwrap();
    for k in 0..10 {
        let p = folder(&format!("png{k}"));
        let mut bytes = good_png.clone();
        for _ in 0..=rng.below(8) {
            let i = rng.below(bytes.len());
            bytes[i] = rng.next() as u8;
        }
        std::fs::write(p.join("a.png"), bytes).unwrap();
        std::fs::write(p.join("b.jpg"), &good_png[..good_png.len() / 2]).unwrap();
        photos(c, &format!("png{k}"));
    }
    let p = folder("bomb");
    std::fs::copy(
        corpus.join("bad-decompression-bomb.png"),
        p.join("bomb.png"),
    )
    .unwrap();
    photos(c, "bomb");
    let p = folder("blank");
    image::GrayImage::from_pixel(64, 64, image::Luma([7]))
        .save(p.join("a.png"))
        .unwrap();
    image::RgbImage::from_pixel(64, 64, image::Rgb([7, 7, 7]))
        .save(p.join("b.jpg"))
        .unwrap();
    photos(c, "blank");
    let p = folder("sparse-png");
    let file = p.join("a.png");
    std::fs::write(&file, &good_png[..33]).unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&file)
        .unwrap()
        .set_len(60 << 20)
        .unwrap();
    photos(c, "sparse-png");
}

#[test]
#[ignore = "minutes and a 512 MiB sparse file: run by hand (see the module docs)"]
fn outputs_sweeps_configurations_and_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let mut c = Campaign {
        dir: tmp.path().to_path_buf(),
        rows: Vec::new(),
    };
    let o = c.run(
        "setup",
        &[
            "train",
            "--preset",
            "ring-shift",
            "--steps",
            "3",
            "--out",
            "good.json",
        ],
    );
    assert_eq!(o.code, Some(0));
    outputs(&mut c);
    sweeps(&mut c);
    folders(&mut c);
    configurations(&mut c);
    c.finish();
}
