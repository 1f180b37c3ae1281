//! Every file the program writes goes through one path. Each writer —
//! `train --out`, `export --weights` (.npy, .csv), `figure --out` (.svg, .png), `animate
//! --out` (frames, GIF, .npy) and `--mp4`, `sweep --out` — pointed at a FIFO, a folder, a
//! link to a character device, a link to a FIFO, a file of another kind, is refused with
//! one line and exit code 2 before any work, and the node is left as it was; a link to a
//! regular file is written through. The character device is reached only through a
//! symbolic link to `/dev/null` in a temporary folder and only by writers whose kind
//! check runs before any open (a regression would fail the kind assertions first);
//! nothing here opens a system device for writing.
#![cfg(target_os = "linux")]

mod cli_common;

use std::os::unix::fs::FileTypeExt;
use std::process::Output;

use cli_common::{fake_ffmpeg, mkfifo, ok, run};

fn refused(out: &Output, what: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{what}: {err}");
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "{what}: not one line: {err}"
    );
}

#[test]
fn every_writer_refuses_special_targets_and_writes_links_through() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    ok(
        d,
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
    std::fs::write(
        d.join("sweep.toml"),
        "base = \"ring-shift\"\nseeds = [1]\ncheckpoints = [50]\n",
    )
    .unwrap();
    let fifo = d.join("fifo");
    mkfifo(&fifo);
    std::os::unix::fs::symlink("fifo", d.join("to-fifo")).unwrap();
    std::os::unix::fs::symlink("/dev/null", d.join("to-null")).unwrap();
    std::fs::create_dir(d.join("folder")).unwrap();
    let path = fake_ffmpeg(d);
    let writers: Vec<(&str, Vec<&str>)> = vec![
        (
            "train",
            vec![
                "train",
                "--preset",
                "ring-shift",
                "--steps",
                "1",
                "--out",
                "@",
            ],
        ),
        (
            "export npy",
            vec!["export", "run.json", "--weights", "@.npy"],
        ),
        (
            "export csv",
            vec!["export", "run.json", "--weights", "@.csv"],
        ),
        (
            "figure svg",
            vec!["figure", "run.json", "--plot", "heatmap", "--out", "@.svg"],
        ),
        (
            "figure png",
            vec!["figure", "run.json", "--plot", "learning", "--out", "@.png"],
        ),
        (
            "animate mp4",
            vec![
                "animate", "run.json", "--truth", "--frames", "2", "--mp4", "@.mp4", "--out",
                "anim",
            ],
        ),
        ("sweep", vec!["sweep", "sweep.toml", "--out", "@.csv"]),
    ];
    // Targets by kind: a FIFO, a folder, links to a FIFO and to a character device.
    for (kind, target) in [
        ("fifo", "fifo"),
        ("folder", "folder"),
        ("link to a FIFO", "to-fifo"),
        ("link to a device", "to-null"),
    ] {
        for (name, args) in &writers {
            // Extensions are part of some writers' checks; the node is the bare name
            // for the others, and for those a same-kind node with the extension.
            let ext = args
                .iter()
                .find(|a| a.starts_with('@'))
                .unwrap()
                .trim_start_matches('@');
            let node = format!("{target}{ext}");
            if !ext.is_empty()
                && !d.join(&node).exists()
                && std::fs::symlink_metadata(d.join(&node)).is_err()
            {
                match kind {
                    "fifo" => mkfifo(&d.join(&node)),
                    "folder" => std::fs::create_dir(d.join(&node)).unwrap(),
                    "link to a FIFO" => std::os::unix::fs::symlink("fifo", d.join(&node)).unwrap(),
                    _ => std::os::unix::fs::symlink("/dev/null", d.join(&node)).unwrap(),
                }
            }
            let argv: Vec<String> = args.iter().map(|a| a.replace('@', target)).collect();
            let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_invariance-lab"))
                .current_dir(d)
                .env("PATH", &path)
                .args(&argv)
                .output()
                .unwrap();
            refused(&out, &format!("{name} into a {kind}"));
        }
    }
    // Nothing was replaced.
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
    for node in [
        "fifo", "fifo.npy", "fifo.csv", "fifo.svg", "fifo.png", "fifo.mp4",
    ] {
        assert!(
            std::fs::symlink_metadata(d.join(node))
                .unwrap()
                .file_type()
                .is_fifo(),
            "{node}"
        );
    }
    for node in ["to-null", "to-null.npy", "to-fifo.csv", "to-null.mp4"] {
        assert!(
            std::fs::symlink_metadata(d.join(node))
                .unwrap()
                .file_type()
                .is_symlink(),
            "{node}"
        );
    }
    assert!(d.join("folder").is_dir() && d.join("folder.csv").is_dir());

    // `animate --out` naming a FIFO or a file, or a folder holding a FIFO frame.
    let anim = ["animate", "run.json", "--truth", "--frames", "2", "--out"];
    refused(
        &run(d, &[&anim[..], &["fifo"]].concat()),
        "animate --out a FIFO",
    );
    refused(
        &run(d, &[&anim[..], &["run.json"]].concat()),
        "animate --out a file",
    );
    std::fs::create_dir(d.join("frames")).unwrap();
    mkfifo(&d.join("frames/frame_001.png"));
    refused(
        &run(d, &[&anim[..], &["frames"]].concat()),
        "animate into a FIFO frame",
    );
    assert!(
        std::fs::symlink_metadata(d.join("frames/frame_001.png"))
            .unwrap()
            .file_type()
            .is_fifo()
    );

    // Another kind of file: a sweep into an experiment file is refused, the file kept.
    let before = std::fs::read(d.join("run.json")).unwrap();
    refused(
        &run(d, &["sweep", "sweep.toml", "--out", "run.json"]),
        "sweep into an experiment",
    );
    refused(
        &run(
            d,
            &["sweep", "sweep.toml", "--out", "run.json", "--restart"],
        ),
        "--restart into an experiment",
    );
    assert_eq!(std::fs::read(d.join("run.json")).unwrap(), before);

    // Links to regular files are written through; the links stay links.
    for (name, file) in [
        ("model.json", "m"),
        ("video.mp4", "v"),
        ("w.npy", "w"),
        ("fig.svg", "f"),
    ] {
        std::fs::write(d.join(file), b"old").unwrap();
        std::os::unix::fs::symlink(file, d.join(name)).unwrap();
    }
    ok(
        d,
        &[
            "train",
            "--preset",
            "ring-shift",
            "--steps",
            "1",
            "--out",
            "model.json",
        ],
    );
    ok(d, &["export", "run.json", "--weights", "w.npy"]);
    ok(
        d,
        &[
            "figure", "run.json", "--plot", "heatmap", "--out", "fig.svg",
        ],
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_invariance-lab"))
        .current_dir(d)
        .env("PATH", &path)
        .args([
            "animate",
            "run.json",
            "--truth",
            "--frames",
            "2",
            "--mp4",
            "video.mp4",
            "--out",
            "anim",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (name, file) in [
        ("model.json", "m"),
        ("video.mp4", "v"),
        ("w.npy", "w"),
        ("fig.svg", "f"),
    ] {
        assert!(
            std::fs::symlink_metadata(d.join(name))
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_ne!(
            std::fs::read(d.join(file)).unwrap(),
            b"old",
            "{name} not written through"
        );
    }
    assert_eq!(std::fs::read(d.join("v")).unwrap(), b"mp4");
    // No temporary file is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
