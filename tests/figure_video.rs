//! `animate --mp4`: without ffmpeg on the PATH a one-line message says only GIF/PNG are
//! available (exit 2, nothing written); with ffmpeg on the machine the video is written.

mod cli_common;

use std::process::Command;

use cli_common::ok;

fn animate(dir: &std::path::Path, path_env: Option<&str>) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_invariance-lab"));
    cmd.current_dir(dir).args([
        "animate",
        "run.json",
        "--truth",
        "--frames",
        "4",
        "--frame-ms",
        "200",
        "--mp4",
        "orbit.mp4",
        "--out",
        "frames",
    ]);
    if let Some(p) = path_env {
        cmd.env("PATH", p);
    }
    cmd.output().unwrap()
}

/// Trains `ring-shift` for 20 steps into `dir/run.json`.
fn train(dir: &std::path::Path) {
    ok(
        dir,
        &[
            "train",
            "--preset",
            "ring-shift",
            "--steps",
            "20",
            "--out",
            "run.json",
        ],
    );
}

#[test]
fn without_ffmpeg_the_user_is_told_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    train(dir.path());
    let out = animate(dir.path(), Some(""));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("ffmpeg") && err.contains("GIF"), "{err}");
    assert!(!dir.path().join("orbit.mp4").exists());
    assert!(!dir.path().join("frames").exists());
}

#[test]
fn with_ffmpeg_the_video_is_written() {
    let Some(ffmpeg) = invariance_lab::transform::video::find_ffmpeg() else {
        println!("note: no ffmpeg on this machine's PATH; the MP4 half of this test is skipped");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    train(dir.path());
    let out = animate(dir.path(), None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(dir.path().join("orbit.mp4")).unwrap();
    assert_eq!(&bytes[4..8], b"ftyp", "an MP4 file starts with an ftyp box");
    // ffmpeg itself reads it back: 4 frames of 200 ms are 0.8 s.
    let probe = Command::new(ffmpeg.with_file_name("ffprobe"))
        .args([
            "-v",
            "error",
            "-show_entries",
            "format=duration",
            "-of",
            "csv=p=0",
        ])
        .arg(dir.path().join("orbit.mp4"))
        .output();
    if let Ok(probe) = probe
        && probe.status.success()
    {
        let secs: f64 = String::from_utf8_lossy(&probe.stdout)
            .trim()
            .parse()
            .unwrap();
        assert!((secs - 0.8).abs() < 0.1, "duration {secs} s");
    }
    assert!(dir.path().join("frames/orbit.gif").exists());
}
