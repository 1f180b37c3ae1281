#![cfg(feature = "gui")]
//! File → Export figure in the app (kittest, no screen): the heatmap and the learning
//! curve are written through the typed-path dialog as an SVG that parses and carries the
//! figure's parts, and as a PNG at 2×. One test per binary: it changes the working
//! directory, where the typed-path dialog proposes the file.

mod gui_common;
use gui_common::wait_for;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use invariance_lab::app::{InvarianceApp, StartOptions};

fn export(
    h: &mut Harness<'static, InvarianceApp>,
    kind: &str,
    format: &str,
    file: &std::path::Path,
) {
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Export figure").click();
    h.run_steps(2);
    h.get_by_label(kind).click();
    h.run_steps(2);
    h.get_by_label(format).click();
    h.run_steps(3);
    assert!(
        h.query_by_label("OK").is_some(),
        "no typed-path dialog after {kind} / {format}; status {:?}",
        h.state().status()
    );
    h.get_by_label("OK").click();
    let start = Instant::now();
    while !file.exists() && start.elapsed() < Duration::from_secs(60) {
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        file.exists(),
        "{} not written; status {:?}",
        file.display(),
        h.state().status()
    );
}

#[test]
fn file_export_figure_writes_svg_and_png() {
    let dir = tempfile::tempdir().unwrap();
    std::env::set_current_dir(dir.path()).unwrap();
    let options = StartOptions {
        preset: Some("ring-shift".into()),
        steps: Some(20),
        native_dialogs: false,
        ..StartOptions::default()
    };
    let mut h = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_eframe(move |cc| InvarianceApp::new(cc, options).expect("app starts"));
    wait_for(&mut h, "20 steps", |a| a.step_count() == Some(20));

    let svg = dir.path().join("heatmap.svg");
    export(&mut h, "heatmap", "Export as SVG…", &svg);
    let text = std::fs::read_to_string(&svg).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("XML");
    let title = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("title"))
        .and_then(|n| n.text())
        .unwrap_or_default()
        .to_string();
    assert_eq!(title, "Weight matrix W (stored order)");
    assert!(doc.descendants().any(|n| n.has_tag_name("image")));
    assert!(
        doc.descendants()
            .any(|n| n.attribute("class") == Some("colorbar"))
    );

    let png = dir.path().join("learning-curve.png");
    export(&mut h, "learning curve", "Export as PNG (2×)…", &png);
    let img = image::open(&png).unwrap();
    assert_eq!((img.width(), img.height()), (1280, 840));
}
