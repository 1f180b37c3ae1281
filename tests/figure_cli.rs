//! `invariance-lab figure`: each plot of a trained run is written as an SVG that parses
//! and as a PNG at 2× scale; bad input exits with code 2 and a one-line error.

mod cli_common;

use cli_common::{ok, run};

fn trained(dir: &std::path::Path) {
    ok(
        dir,
        &[
            "train",
            "--preset",
            "ring-shift",
            "--steps",
            "30",
            "--out",
            "run.json",
        ],
    );
}

#[test]
fn every_plot_is_written_as_svg_and_png() {
    let dir = tempfile::tempdir().unwrap();
    trained(dir.path());
    for plot in [
        "learning",
        "weight-norm",
        "mean-activity",
        "stimulus",
        "activities",
        "fields",
        "row",
        "heatmap",
    ] {
        let svg = format!("{plot}.svg");
        ok(
            dir.path(),
            &[
                "figure", "run.json", "--plot", plot, "--order", "truth", "--out", &svg,
            ],
        );
        let text = std::fs::read_to_string(dir.path().join(&svg)).unwrap();
        let doc =
            roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{plot}: not XML: {e}"));
        let classes: Vec<&str> = doc
            .descendants()
            .filter_map(|n| n.attribute("class"))
            .collect();
        for needed in ["title", "axis-label-x", "axis-label-y", "tick-x", "tick-y"] {
            assert!(classes.contains(&needed), "{plot}: no {needed}");
        }
        assert!(
            classes.contains(&"legend") || classes.contains(&"colorbar"),
            "{plot}: no legend or colour bar"
        );
        let png = format!("{plot}.png");
        ok(
            dir.path(),
            &["figure", "run.json", "--plot", plot, "--out", &png],
        );
        let img = image::open(dir.path().join(&png)).unwrap();
        let (w, h) = (
            doc.root_element()
                .attribute("width")
                .unwrap()
                .parse::<u32>()
                .unwrap(),
            doc.root_element()
                .attribute("height")
                .unwrap()
                .parse::<u32>()
                .unwrap(),
        );
        assert_eq!((img.width(), img.height()), (2 * w, 2 * h), "{plot}");
    }
}

#[test]
fn bad_input_exits_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    trained(dir.path());
    let cases: [&[&str]; 3] = [
        &["figure", "run.json", "--plot", "learning", "--out", "f.pdf"],
        &[
            "figure", "run.json", "--plot", "fields", "--neuron", "100000", "--out", "f.svg",
        ],
        &[
            "figure",
            "missing.json",
            "--plot",
            "learning",
            "--out",
            "f.svg",
        ],
    ];
    for args in cases {
        let out = run(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("error: "), "{err}");
        assert!(!dir.path().join("f.svg").exists());
    }
    let out = run(
        dir.path(),
        &["figure", "run.json", "--plot", "nonsense", "--out", "f.svg"],
    );
    assert_eq!(out.status.code(), Some(2));
}
