#![cfg(feature = "gui")]
//! Bringing your own work into the app, driven headless by egui_kittest:
//! a matrix opened from `.npy`/`.csv` through the function File → Open uses, searched
//! for its planted symmetries, named by a labels file; a corrupt matrix leaving the
//! open experiment untouched; experiment files overlaid on the learning curves with
//! slopes checked against a fit computed here from the files' own histories.

mod gui_common;
use gui_common::wait_for;
use std::path::{Path, PathBuf};
use std::time::Duration;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use invariance_lab::app::views::heatmap::HeatmapContext;
use invariance_lab::app::{AppAction, InvarianceApp, StartOptions, View};
use invariance_lab::model::{Simulation, presets};
use invariance_lab::perm::Permutation;
use invariance_lab::session::state::source::AppSource;
use invariance_lab::session::state::status::StatusKind;
use ndarray::Array2;

fn harness(options: StartOptions) -> Harness<'static, InvarianceApp> {
    Harness::builder()
        .with_size(egui::vec2(1600.0, 1400.0))
        .build_eframe(move |cc| InvarianceApp::new(cc, options).expect("app starts"))
}

/// A ring of `n` nodes trained to step 3 (the "open experiment" the tests protect).
fn trained_ring_shift() -> Harness<'static, InvarianceApp> {
    let mut h = harness(StartOptions {
        preset: Some("ring-shift".to_owned()),
        steps: Some(3),
        ..StartOptions::default()
    });
    wait_for(&mut h, "training", |a| {
        a.step_count() == Some(3) && !a.is_running()
    });
    h
}

fn weights_bits(app: &InvarianceApp) -> Vec<u32> {
    let p = app.published().expect("published");
    p.snapshot
        .weights
        .full()
        .expect("a copy of W")
        .iter()
        .map(|w| w.to_bits())
        .collect()
}

/// A symmetric circulant on `n` nodes whose weights depend only on the ring distance
/// and differ for every distance, in a scrambled node order. Its automorphism group is
/// the dihedral group of order 2n (the distance-1 edges form the cycle C_n, whose only
/// automorphisms are rotations and reflections, and these preserve every distance).
fn planted_circulant(n: usize) -> (Array2<f32>, Permutation) {
    // A fixed scrambling (multiplication by 5 mod n, a bijection for n coprime to 5).
    let hidden =
        Permutation::from_images((0..n).map(|k| (5 * k + 3) % n).collect()).expect("a permutation");
    let mut w = Array2::<f32>::zeros((n, n));
    for a in 0..n {
        for b in 0..n {
            let d = (a + n - b) % n;
            let d = d.min(n - d);
            if d > 0 {
                w[[hidden.image(a), hidden.image(b)]] = 1.0 / (d as f32 + 0.5);
            }
        }
    }
    (w, hidden)
}

fn is_automorphism(w: &Array2<f32>, p: &Permutation) -> bool {
    let n = w.nrows();
    (0..n).all(|i| (0..n).all(|j| w[[p.image(i), p.image(j)]] == w[[i, j]]))
}

fn temp_path(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}

fn open_matrix(h: &mut Harness<'static, InvarianceApp>, path: &Path) {
    h.state_mut().open_path(path.to_path_buf());
    h.run_steps(2);
    // The trained run has unsaved changes: the app asks first.
    if h.query_by_label("Discard").is_some() {
        h.get_by_label("Discard").click();
    }
    wait_for(h, "the matrix to open", |a| a.imported().is_some());
}

#[test]
fn an_npy_matrix_opens_as_an_imported_graph_and_its_search_finds_the_planted_group() {
    let n = 12;
    let (w, _) = planted_circulant(n);
    let dir = tempfile::tempdir().expect("temp dir");
    let npy = temp_path(&dir, "planted.npy");
    invariance_lab::io::save_npy(&npy, w.view()).expect("write npy");
    let mut h = trained_ring_shift();
    let steps_before = h.state().step_count();

    open_matrix(&mut h, &npy);
    let imported = h.state().imported().expect("imported").clone();
    let facts = &imported.graph.facts;
    assert_eq!(facts.nodes, n);
    assert!(facts.symmetric);
    // Zeros: exactly the diagonal.
    assert!((facts.zero_fraction - 1.0 / n as f64).abs() < 1e-12);
    let shown: Vec<u32> = imported
        .graph
        .snapshot
        .weights
        .full()
        .expect("a copy of W")
        .iter()
        .map(|x| x.to_bits())
        .collect();
    let expected: Vec<u32> = w.iter().map(|x| x.to_bits()).collect();
    assert_eq!(shown, expected, "the app shows the file's values");
    // The heatmap renders the matrix, and the facts replace the parameter panel.
    wait_for(&mut h, "the heatmap", |a| {
        a.displayed_heatmap().is_some_and(|d| d.size == n) && a.heatmap_is_current()
    });
    h.run_steps(2);
    assert!(h.query_by_label("Imported matrix").is_some());
    assert!(h.query_by_label("symmetric (undirected)").is_some());

    // Training is off, with the reason said; the simulation behind is untouched.
    h.state_mut().perform(AppAction::Step);
    h.run_steps(3);
    let (message, kind) = h.state().status();
    assert_eq!(kind, StatusKind::Error);
    assert!(message.contains("Training is off"), "{message}");
    assert_eq!(h.state().step_count(), steps_before);

    // Search it: every result is an exact automorphism, the exact group is D_12.
    h.state_mut()
        .app_state_mut()
        .search
        .settings
        .time_limit_secs = 20.0;
    h.state_mut().perform(AppAction::StartSearch);
    wait_for(&mut h, "the search", |a| {
        !a.search_running() && !a.search_results().is_empty()
    });
    let outcome = h
        .state()
        .app_state()
        .search
        .outcome
        .clone()
        .expect("outcome");
    // Accepted results are exact automorphisms; the rejected candidates are not.
    let tolerance = outcome.group.summary.tolerance;
    let mut accepted = 0;
    for r in h.state().search_results() {
        assert_eq!(
            r.error <= tolerance,
            is_automorphism(&w, &r.permutation),
            "result {r:?}, tolerance {tolerance}"
        );
        accepted += usize::from(r.error <= tolerance);
    }
    assert!(accepted > 0);
    let approximate = outcome.group.summary.order.clone().expect("a group");
    assert_eq!(approximate.to_string(), (2 * n).to_string());
    let exact = outcome.exact.group.clone().expect("exact group");
    assert_eq!(exact.order.to_string(), (2 * n).to_string());
    for g in &exact.generators {
        assert!(is_automorphism(&w, g));
    }
    // The panel shows it.
    h.run_steps(3);
    assert!(
        h.query_all_by_label_contains(&format!("order {}", 2 * n))
            .next()
            .is_some(),
        "the group's order is on screen"
    );
    assert!(
        h.query_by_label_contains("The matrix planted.npy")
            .is_some()
    );
}

#[test]
fn a_csv_matrix_opens_with_the_same_values_as_its_npy() {
    let (w, _) = planted_circulant(7);
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = temp_path(&dir, "planted.csv");
    invariance_lab::io::save_csv(&csv, w.view()).expect("write csv");
    let mut h = harness(StartOptions {
        file: Some(csv.clone()),
        ..StartOptions::default()
    });
    wait_for(&mut h, "the matrix to open", |a| a.imported().is_some());
    let imported = h.state().imported().expect("imported").clone();
    assert_eq!(imported.graph.path, csv);
    let shown = imported.graph.snapshot.weights.full().unwrap().clone();
    assert_eq!(*shown, w, "CSV round trip of f32 values is exact");
    // Views that need a simulation explain themselves instead of failing.
    for view in [View::Stimulus, View::Transformation, View::Learning] {
        h.state_mut().app_state_mut().view = view;
        h.run_steps(2);
    }
    h.state_mut().app_state_mut().view = View::Stimulus;
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("exist only for a simulated network")
            .is_some()
    );
    // Every control of the imported-matrix panels has an accessible name.
    h.state_mut().app_state_mut().view = View::Weights;
    h.run_steps(3);
    let unnamed = h.unnamed_widgets();
    assert!(
        unnamed.is_empty(),
        "unnamed widgets:\n{}",
        unnamed.join("\n")
    );
}

#[test]
fn a_corrupt_matrix_shows_an_error_and_leaves_the_open_experiment_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = temp_path(&dir, "corrupt.npy");
    std::fs::write(&bad, b"\x93NUMPY\x01\x00garbage").expect("write");
    let ragged = temp_path(&dir, "ragged.csv");
    std::fs::write(&ragged, b"1,2\n3\n").expect("write");
    let mut h = trained_ring_shift();
    let before = weights_bits(h.state());
    let generation = h.state().generation();
    let config = h.state().published().expect("p").model.config.clone();

    for (path, name) in [(&bad, "corrupt.npy"), (&ragged, "ragged.csv")] {
        h.state_mut().app_state_mut().status.info("ready");
        h.state_mut().open_path(path.clone());
        h.run_steps(2);
        if h.query_by_label("Discard").is_some() {
            h.get_by_label("Discard").click();
        }
        wait_for(&mut h, "the error", |a| a.status().1 == StatusKind::Error);
        let (message, _) = h.state().status();
        assert!(
            message.contains(name),
            "the message names the file: {message}"
        );
        for _ in 0..10 {
            h.step();
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(matches!(h.state().source(), AppSource::Simulation));
        assert_eq!(h.state().generation(), generation);
        assert_eq!(h.state().step_count(), Some(3));
        assert_eq!(weights_bits(h.state()), before);
        assert_eq!(h.state().published().expect("p").model.config, config);
        assert!(
            h.query_by_label_contains(name).is_some(),
            "the error is on screen"
        );
    }
}

#[test]
fn node_labels_name_the_nodes_in_tooltips_and_the_cycle_table() {
    let n = 8;
    let (w, _) = planted_circulant(n);
    let dir = tempfile::tempdir().expect("temp dir");
    let npy = temp_path(&dir, "m.npy");
    invariance_lab::io::save_npy(&npy, w.view()).expect("write npy");
    let names: Vec<String> = (0..n).map(|k| format!("area{k}x")).collect();
    let labels = temp_path(&dir, "names.csv");
    let text = format!(
        "name,hemisphere\n{}\n",
        names
            .iter()
            .map(|s| format!("{s},L"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    std::fs::write(&labels, text).expect("write labels");
    let short = temp_path(&dir, "short.txt");
    std::fs::write(&short, "a\nb\n").expect("write");

    let mut h = harness(StartOptions {
        file: Some(npy),
        ..StartOptions::default()
    });
    wait_for(&mut h, "the matrix to open", |a| a.imported().is_some());

    // A labels file of the wrong length is refused with a reason and changes nothing.
    h.state_mut().load_node_labels(short);
    wait_for(&mut h, "the error", |a| a.status().1 == StatusKind::Error);
    assert!(
        h.state().status().0.contains("2 names"),
        "{:?}",
        h.state().status()
    );
    assert!(h.state().imported().expect("i").names.is_none());

    h.state_mut().load_node_labels(labels);
    wait_for(&mut h, "the names", |a| {
        a.imported().is_some_and(|i| i.names.is_some())
    });
    let imported = h.state().imported().expect("i").clone();
    for (k, name) in names.iter().enumerate() {
        assert_eq!(&imported.node_name(k), name);
    }
    // The heatmap tooltip names nodes through this context.
    let shown_names = imported.names.as_ref().expect("names").names.clone();
    let cx = HeatmapContext {
        labels: &[],
        space: None,
        names: Some(shown_names.as_slice()),
    };
    assert_eq!(cx.describe(3), "area3x");

    // After a search, the selected permutation's cycles are listed by name.
    h.state_mut().perform(AppAction::StartSearch);
    wait_for(&mut h, "the search", |a| {
        !a.search_running() && a.selected_permutation().is_some()
    });
    h.run_steps(3);
    let pi = h.state().selected_permutation().expect("selected").clone();
    let moved = (0..n)
        .find(|&i| pi.image(i) != i)
        .expect("not the identity");
    let arrow = format!("{} -> {}", names[moved], names[pi.image(moved)]);
    assert!(
        h.query_by_label_contains(&arrow).is_some(),
        "the cycle table shows `{arrow}`"
    );
}

/// Least squares of log10 e_g on log10 stimuli over the recorded points from ten times
/// the first positive stimuli count on (all positive points if fewer than three remain):
/// the rule the view states, computed here without the app's code.
fn expected_slope(sim: &Simulation) -> f64 {
    let pts: Vec<(f64, f64)> = sim
        .history()
        .iter()
        .filter(|r| r.stimuli > 0 && r.symmetry_error_true > 0.0)
        .map(|r| (r.stimuli as f64, r.symmetry_error_true))
        .collect();
    let first = pts[0].0;
    let late: Vec<(f64, f64)> = pts
        .iter()
        .copied()
        .filter(|p| p.0 >= 10.0 * first)
        .collect();
    let used = if late.len() >= 3 { late } else { pts };
    let (xs, ys): (Vec<f64>, Vec<f64>) = used.iter().map(|p| (p.0.log10(), p.1.log10())).unzip();
    let n = xs.len() as f64;
    let (sx, sy) = (xs.iter().sum::<f64>(), ys.iter().sum::<f64>());
    let sxx: f64 = xs.iter().map(|x| x * x).sum();
    let sxy: f64 = xs.iter().zip(&ys).map(|(x, y)| x * y).sum();
    (n * sxy - sx * sy) / (n * sxx - sx * sx)
}

#[test]
fn two_experiment_files_overlay_as_two_curves_with_their_slopes_and_can_be_removed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut files = Vec::new();
    let mut sims = Vec::new();
    for (name, decay) in [("plain.json", 0.0f32), ("decayed.json", 0.01)] {
        let mut config = presets::by_name("ring-shift").expect("preset").config;
        config.decay = decay;
        let mut sim = Simulation::new(config).expect("sim");
        sim.run_steps(200);
        let path = temp_path(&dir, name);
        invariance_lab::io::experiment::save(&path, &sim).expect("save");
        files.push(path);
        sims.push(sim);
    }
    let mut h = trained_ring_shift();
    h.state_mut().app_state_mut().view = View::Learning;
    for f in &files {
        h.state_mut().add_runs(f.clone());
    }
    wait_for(&mut h, "two overlays", |a| {
        a.panels().central.compare.overlays.len() == 2
    });
    let overlays = h.state().panels().central.compare.overlays.clone();
    // Loaded in the order added.
    for (o, (sim, path)) in overlays.iter().zip(sims.iter().zip(&files)) {
        assert_eq!(&o.run.path, path);
        assert_eq!(
            o.run.points.len(),
            sim.history().len(),
            "one point per record"
        );
        let fit = o.fit.expect("a slope");
        let expected = expected_slope(sim);
        assert!(
            (fit.slope - expected).abs() < 1e-9,
            "{}: slope {} vs {expected}",
            path.display(),
            fit.slope
        );
    }
    // Decay makes the error level off: the decayed run's slope is flatter.
    let (plain, decayed) = (overlays[0].fit.expect("f"), overlays[1].fit.expect("f"));
    assert!(decayed.slope > plain.slope, "{plain:?} vs {decayed:?}");
    assert_ne!(overlays[0].color, overlays[1].color);

    // The legend names each by what differs (the live run has decay 0 too).
    h.run_steps(3);
    assert!(h.query_all_by_label_contains("decay=0.01").next().is_some());
    let slope_text = invariance_lab::figure::learning_curves::slope_text(Some(&decayed));
    assert!(
        h.query_all_by_label_contains(&slope_text).next().is_some(),
        "{slope_text}"
    );

    // × removes one overlay (the buttons are in the order of the legend).
    let remove: Vec<_> = h.get_all_by_label("×").collect();
    assert_eq!(remove.len(), 2);
    remove[1].click();
    h.run_steps(2);
    let left = &h.state().panels().central.compare.overlays;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].run.path, files[0]);
}

#[test]
fn a_sweep_csv_adds_one_curve_per_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = temp_path(&dir, "sweep.csv");
    let mut text =
        String::from("learning.decay,seed,stimuli,e_g,baseline,weight_norm,mean_activity\n");
    for decay in ["0", "0.001"] {
        for seed in 1..=3 {
            for stimuli in [100u64, 1000, 10_000, 100_000] {
                let e = (seed as f64) / (stimuli as f64).sqrt();
                text.push_str(&format!("{decay},{seed},{stimuli},{e},1.2,3.0,0.05\n"));
            }
        }
    }
    std::fs::write(&csv, text).expect("write");
    let mut h = harness(StartOptions {
        preset: Some("ring-shift".to_owned()),
        view: Some(View::Learning),
        compare: vec![csv],
        ..StartOptions::default()
    });
    wait_for(&mut h, "six runs", |a| {
        a.panels().central.compare.overlays.len() == 6
    });
    for o in &h.state().panels().central.compare.overlays {
        assert_eq!(o.run.points.len(), 4);
        let fit = o.fit.expect("slope");
        assert!((fit.slope + 0.5).abs() < 1e-12, "{fit:?}");
    }
    h.run_steps(3);
    let unnamed = h.unnamed_widgets();
    assert!(
        unnamed.is_empty(),
        "unnamed widgets:\n{}",
        unnamed.join("\n")
    );
    assert!(
        h.query_all_by_label_contains("decay=0.001, seed=3")
            .next()
            .is_some()
    );
}
