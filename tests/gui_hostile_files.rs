//! The app on files it refuses: started on each hostile file of the corpus (and
//! on a directory and a FIFO), it keeps the error in the status bar and falls back to the
//! start preset — never an endless "Starting the simulation…" — and a file refused later
//! leaves the open experiment as it was.

mod gui_common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use gui_common::wait_within;
use invariance_lab::app::{InvarianceApp, StartOptions};
use invariance_lab::session::state::status::StatusKind;

fn harness(options: StartOptions) -> Harness<'static, InvarianceApp> {
    Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_eframe(move |cc| InvarianceApp::new(cc, options).expect("app starts"))
}

/// Every hostile (`bad-*`) file of the corpus folders the app opens.
fn hostile_files() -> Vec<PathBuf> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files = Vec::new();
    for folder in ["experiment", "matrix"] {
        for entry in std::fs::read_dir(corpus.join(folder)).expect("corpus") {
            let path = entry.expect("entry").path();
            if path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("bad-"))
            {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Starts the app on `file` and waits until it shows the fallback preset with the error.
fn falls_back(file: &Path) {
    let mut h = harness(StartOptions {
        file: Some(file.to_path_buf()),
        ..StartOptions::default()
    });
    wait_within(
        &mut h,
        &format!("a usable state after {}", file.display()),
        Duration::from_secs(60),
        |a| a.step_count().is_some(),
    );
    let (message, kind) = h.state().status();
    assert_eq!(kind, StatusKind::Error, "{}: {message}", file.display());
    assert!(
        message.contains("ring-shift") && !message.contains('\n'),
        "{}: {message}",
        file.display()
    );
    h.run_steps(3);
    assert!(
        h.query_by_label_contains("Starting the simulation")
            .is_none(),
        "{} left the view waiting",
        file.display()
    );
    // The error stays on screen.
    assert_eq!(h.state().status().1, StatusKind::Error);
}

#[test]
fn every_hostile_corpus_file_leaves_a_usable_app_with_the_error_shown() {
    let files = hostile_files();
    assert!(files.len() >= 20, "{} corpus files", files.len());
    for file in &files {
        falls_back(file);
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_directory_or_a_fifo_at_start_falls_back_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    falls_back(dir.path());
    let fifo = dir.path().join("pipe.json");
    let c = std::ffi::CString::new(fifo.to_str().expect("utf-8")).expect("c string");
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    falls_back(&fifo);
}
