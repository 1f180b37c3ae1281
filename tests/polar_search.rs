//! The polar retina end to end: the search finds the rotations without labels, and
//! `animate` writes round frames with the whole photo turned beside them.

mod cli_common;
use cli_common::ok;

use invariance_lab::graph::WeightedGraph;
use invariance_lab::model::{Simulation, Transformation, presets};
use invariance_lab::search::{SearchOptions, scoring, search};

#[test]
fn the_search_recovers_the_unit_sector_shift_and_the_whole_dihedral_group() {
    let preset = presets::by_name("polar-rotate").unwrap();
    let mut sim = Simulation::new(preset.config).unwrap();
    // The default training (e_g ≈ 0.041, baseline 0.71). After a quarter of it (e_g ≈ 0.08)
    // the search still found nothing within 300 s: the rotations stand out only once the
    // sampling noise is well below the differences between neighbouring detectors.
    for _ in 0..preset.default_steps {
        sim.step();
    }
    let graph = WeightedGraph::new(sim.weights(), Some(sim.node_weights())).unwrap();
    let options = SearchOptions {
        max_results: 128,
        time_limit_secs: 600.0,
        ..SearchOptions::default()
    };
    let report = search(&graph, &options, &Default::default(), &mut |_| {}).unwrap();
    let truths = sim.ground_truth_transformations();
    assert_eq!(truths.len(), 95);
    let unit = truths
        .iter()
        .find(|(t, _)| *t == Transformation::Shift { k: 1 })
        .unwrap();
    let best = report
        .results
        .iter()
        .map(|r| scoring::consistency(&r.permutation, &unit.1))
        .fold(0.0, f64::max);
    assert!(best >= 0.95, "unit sector shift matched at {best}");
    // Every element of D_48 (47 rotations, 48 reflections) among the group's elements
    // or the results, each at consistency ≥ 0.95.
    let named: Vec<(String, _)> = truths
        .iter()
        .map(|(t, p)| (t.to_string(), p.clone()))
        .collect();
    let (recovered, _) = invariance_lab::search::scoring::recovered_truths(&report, &named);
    assert_eq!(recovered, 95, "recovered {recovered} of 95");
}

#[test]
fn animate_turns_the_photo_on_the_round_retina_and_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(
        d,
        &[
            "train",
            "--preset",
            "polar-rotate",
            "--steps",
            "20",
            "--out",
            "p.json",
        ],
    );
    let stdout = ok(
        d,
        &[
            "animate", "p.json", "--truth", "--frames", "4", "--out", "anim",
        ],
    );
    assert!(stdout.contains("rotate 7.5°"), "{stdout}");
    assert!(
        stdout.contains("the found map is rotate 7.5°: applied to the whole photo"),
        "{stdout}"
    );
    // Three discs of 360 pixels (crisp, honest, the whole photo turned) with 8-pixel gaps.
    let frame = image::open(d.join("anim/frame_001.png")).unwrap().to_rgb8();
    assert_eq!((frame.width(), frame.height()), (3 * 360 + 2 * 8, 360));
    // Round: the corners are background, the centres are not all background.
    assert_eq!(frame.get_pixel(0, 0).0, [255, 255, 255]);
    let gif = std::fs::read(d.join("anim/orbit.gif")).unwrap();
    assert_eq!(&gif[..3], b"GIF");
    let npy: ndarray::Array2<f32> = ndarray_npy::read_npy(d.join("anim/orbit.npy")).unwrap();
    assert_eq!(npy.dim(), (4, 16 * 48));
    // Frame k is frame 0 turned by k sectors: sample (ring, j) moves to (ring, j + k).
    for k in 0..4 {
        for p in 0..16 * 48 {
            let (ring, j) = (p / 48, p % 48);
            assert_eq!(npy[[k, ring * 48 + (j + k) % 48]], npy[[0, p]], "frame {k}");
        }
    }
}
