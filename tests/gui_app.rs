#![cfg(feature = "gui")]
//! The desktop app driven by egui_kittest (no screen needed): the real app state,
//! the real worker thread, clicks on the real buttons.

mod gui_common;
use gui_common::wait_within as wait_for;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use invariance_lab::app::{InvarianceApp, MatrixOrder, StartOptions};
use invariance_lab::model::config::presets;
use invariance_lab::session::state::search::Pick;
use invariance_lab::session::state::status::StatusKind;

fn harness(options: StartOptions) -> Harness<'static, InvarianceApp> {
    Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_eframe(move |cc| InvarianceApp::new(cc, options).expect("app starts"))
}

fn preset(name: &str) -> StartOptions {
    StartOptions {
        preset: Some(name.to_owned()),
        ..StartOptions::default()
    }
}

const PATIENCE: Duration = Duration::from_secs(60);

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

#[test]
fn every_control_has_an_accessible_name() {
    let mut h = harness(preset("ring-shift"));
    wait_for(&mut h, "the first snapshot", PATIENCE, |a| {
        a.step_count() == Some(0)
    });
    h.run_steps(3);
    let unnamed = h.unnamed_widgets();
    assert!(
        unnamed.is_empty(),
        "unnamed widgets:\n{}",
        unnamed.join("\n")
    );
}

#[test]
fn choosing_a_preset_and_pressing_step_advances_the_counter_by_one() {
    let mut h = harness(preset("ring-random"));
    wait_for(&mut h, "the first snapshot", PATIENCE, |a| {
        a.step_count() == Some(0)
    });
    let first_generation = h.state().generation();
    // Pick ring-shift from the Presets menu, as a user would.
    h.get_by_label("Presets").click();
    h.run_steps(2);
    h.get_by_label("ring-shift").click();
    wait_for(&mut h, "the preset to load", PATIENCE, |a| {
        a.generation() > first_generation
    });
    let p = h.state().published().expect("published");
    let expected = presets::by_name("ring-shift").expect("preset").config;
    assert_eq!(
        p.model.config, expected,
        "the preset's configuration is the one running"
    );
    assert_eq!(h.state().step_count(), Some(0));

    h.get_by_label("Step").click();
    wait_for(&mut h, "one step", PATIENCE, |a| a.step_count() == Some(1));
    // It stops there: no more steps arrive.
    for _ in 0..20 {
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(h.state().step_count(), Some(1));
    assert!(!h.state().is_running());
}

#[test]
fn run_then_pause_stops_advancing() {
    let mut h = harness(preset("ring-shift"));
    wait_for(&mut h, "the first snapshot", PATIENCE, |a| {
        a.step_count() == Some(0)
    });
    h.get_by_label("Run").click();
    wait_for(&mut h, "steps while running", PATIENCE, |a| {
        a.is_running() && a.step_count().unwrap_or(0) >= 3
    });
    h.get_by_label("Pause").click();
    wait_for(&mut h, "the pause", PATIENCE, |a| !a.is_running());
    let paused_at = h.state().step_count();
    for _ in 0..30 {
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(
        h.state().step_count(),
        paused_at,
        "the counter moved after Pause"
    );
    assert!(paused_at.unwrap_or(0) >= 3);
}

#[test]
fn reset_restores_the_initial_weights_bit_for_bit() {
    let mut h = harness(preset("ring-shift"));
    wait_for(&mut h, "the first snapshot", PATIENCE, |a| {
        a.step_count() == Some(0)
    });
    let initial = weights_bits(h.state());
    h.state_mut()
        .send(invariance_lab::session::worker::WorkerCommand::Step(5));
    wait_for(&mut h, "five steps", PATIENCE, |a| {
        a.step_count() == Some(5) && !a.is_running()
    });
    assert_ne!(
        weights_bits(h.state()),
        initial,
        "learning changed the weights"
    );
    h.get_by_label("Reset").click();
    wait_for(&mut h, "the reset", PATIENCE, |a| a.step_count() == Some(0));
    assert_eq!(weights_bits(h.state()), initial);
}

/// `‖V − shift(V)‖ / ‖V‖` summed over the equal-length blocks of a matrix laid out by
/// cycles, where `shift` moves one step along both cycles (0 for a block-circulant matrix).
fn circulant_deviation(values: &[f32], n: usize, cycle_lengths: &[usize]) -> f64 {
    let mut starts = Vec::new();
    let mut s = 0;
    for &l in cycle_lengths {
        starts.push(s);
        s += l;
    }
    assert_eq!(s, n);
    let (mut diff, mut norm) = (0.0f64, 0.0f64);
    for (a, &la) in cycle_lengths.iter().enumerate() {
        for (b, &lb) in cycle_lengths.iter().enumerate() {
            if la != lb || la < 2 {
                continue;
            }
            for r in 0..la {
                for c in 0..lb {
                    let v = f64::from(values[(starts[a] + r) * n + starts[b] + c]);
                    let w = f64::from(
                        values[(starts[a] + (r + 1) % la) * n + starts[b] + (c + 1) % lb],
                    );
                    diff += (v - w) * (v - w);
                    norm += v * v;
                }
            }
        }
    }
    (diff / norm.max(f64::MIN_POSITIVE)).sqrt()
}

#[test]
fn a_search_on_trained_ring_shift_makes_the_displayed_matrix_block_circulant() {
    let steps = presets::by_name("ring-shift")
        .expect("preset")
        .default_steps;
    let mut h = harness(StartOptions {
        steps: Some(steps),
        ..preset("ring-shift")
    });
    wait_for(&mut h, "training", Duration::from_secs(120), |a| {
        a.step_count() == Some(steps) && !a.is_running()
    });
    h.state_mut()
        .app_state_mut()
        .search
        .settings
        .time_limit_secs = 20.0;
    h.get_by_label("Start search").click();
    wait_for(&mut h, "search results", Duration::from_secs(90), |a| {
        !a.search_running() && !a.search_results().is_empty()
    });
    let results = h.state().search_results().to_vec();
    let best = &results[0];
    let truth = best.truth.as_ref().expect("ring-shift has ground truth");
    assert!(
        truth.consistency >= 0.95,
        "best result is not a true symmetry: {truth:?}"
    );

    // Before selecting: the stored order is scrambled, far from block-circulant.
    wait_for(
        &mut h,
        "the heatmap",
        PATIENCE,
        InvarianceApp::heatmap_is_current,
    );
    let n = h.state().published().expect("published").model.neurons;
    let cycle_lengths: Vec<usize> = {
        let mut c: Vec<usize> = best.permutation.cycles().iter().map(Vec::len).collect();
        c.sort_by(|a, b| b.cmp(a));
        c
    };
    let stored = h.state().displayed_heatmap().expect("heatmap");
    let scrambled = circulant_deviation(&stored.ordered_values(), n, &cycle_lengths);

    // The full results table is collapsed under the group block.
    h.get_by_label_contains("All search results").click();
    h.run_steps(2);
    h.get_by_label("#1").click();
    wait_for(&mut h, "the recovered order", PATIENCE, |a| {
        a.app_state().order.mode == MatrixOrder::Recovered && a.heatmap_is_current()
    });
    let shown = h.state().displayed_heatmap().expect("heatmap");
    // The texture's pixels are exactly the colours of the ordered values.
    assert_eq!(shown.image.pixels.len(), n * n);
    let recovered = circulant_deviation(&shown.ordered_values(), n, &cycle_lengths);
    eprintln!("circulant deviation: recovered order {recovered:.3}, stored order {scrambled:.3}");
    assert!(
        recovered < 0.25 && recovered < scrambled / 3.0,
        "recovered order deviation {recovered:.3} vs scrambled {scrambled:.3}"
    );
    // The texture's pixels are the colour map applied to the published W in that order.
    let w = h
        .state()
        .published()
        .expect("published")
        .snapshot
        .weights
        .full()
        .expect("a copy of W")
        .clone();
    let order = &shown.order;
    let (lo, hi) = shown.range;
    for &(r, c) in &[(0usize, 1usize), (5, 17), (n - 1, 3)] {
        let v = w[[order[r], order[c]]];
        assert_eq!(shown.value(r, c), (v, true));
        let expected = invariance_lab::app::views::colormap::Colormap::Viridis.lut()
            [((v - lo) * (255.0 / (hi - lo))).clamp(0.0, 255.0) as usize];
        assert_eq!(shown.image.pixels[r * n + c], expected);
    }
}

fn temp_file(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}

#[test]
fn saving_and_opening_round_trip_exactly_through_the_library_functions() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = temp_file(&dir, "exp.json");
    let mut h = harness(StartOptions {
        steps: Some(7),
        ..preset("ring-shift")
    });
    wait_for(&mut h, "training", PATIENCE, |a| {
        a.step_count() == Some(7) && !a.is_running()
    });
    let saved_weights = weights_bits(h.state());
    h.state_mut().save_to(path.clone());
    wait_for(&mut h, "the save", PATIENCE, |a| !a.file_work_pending());
    assert_eq!(
        h.state().status().1,
        StatusKind::Info,
        "{:?}",
        h.state().status()
    );
    assert!(!h.state().is_dirty(), "a saved experiment is clean");

    // The file is what the CLI reads.
    let loaded = invariance_lab::io::experiment::load(&path).expect("loads");
    assert_eq!(loaded.step_count(), 7);
    let bits: Vec<u32> = loaded.weights().iter().map(|w| w.to_bits()).collect();
    assert_eq!(bits, saved_weights);

    // Move on, then open the file again: the unsaved-changes prompt appears first.
    h.get_by_label("Step").click();
    wait_for(&mut h, "one more step", PATIENCE, |a| {
        a.step_count() == Some(8)
    });
    let generation = h.state().generation();
    h.state_mut().open_path(path.clone());
    h.run_steps(2);
    h.get_by_label("Discard").click();
    wait_for(&mut h, "the file to open", PATIENCE, |a| {
        a.generation() > generation
    });
    assert_eq!(h.state().step_count(), Some(7));
    assert_eq!(weights_bits(h.state()), saved_weights);
    assert_eq!(
        h.state().app_state().document.current_path.as_deref(),
        Some(path.as_path())
    );

    // Continuing from the file equals continuing the unbroken run.
    h.get_by_label("Step").click();
    wait_for(&mut h, "a step after opening", PATIENCE, |a| {
        a.step_count() == Some(8)
    });
    let mut unbroken =
        invariance_lab::model::Simulation::new(presets::by_name("ring-shift").expect("p").config)
            .expect("sim");
    unbroken.run_steps(8);
    let expected: Vec<u32> = unbroken.weights().iter().map(|w| w.to_bits()).collect();
    assert_eq!(weights_bits(h.state()), expected);
}

#[test]
fn a_corrupt_file_shows_an_error_and_leaves_the_open_experiment_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = temp_file(&dir, "corrupt.json");
    std::fs::write(&bad, b"{ this is not an experiment").expect("write");
    let mut h = harness(StartOptions {
        steps: Some(3),
        ..preset("ring-shift")
    });
    wait_for(&mut h, "training", PATIENCE, |a| {
        a.step_count() == Some(3) && !a.is_running()
    });
    let before = weights_bits(h.state());
    let generation = h.state().generation();
    let config = h.state().published().expect("p").model.config.clone();

    h.state_mut().open_path(bad.clone());
    h.run_steps(2);
    if h.query_by_label("Discard").is_some() {
        h.get_by_label("Discard").click();
    }
    wait_for(&mut h, "the error", PATIENCE, |a| {
        a.status().1 == StatusKind::Error
    });
    let (message, _) = h.state().status();
    assert!(
        message.contains("corrupt.json"),
        "the message names the file: {message}"
    );
    for _ in 0..10 {
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(h.state().generation(), generation);
    assert_eq!(h.state().step_count(), Some(3));
    assert_eq!(weights_bits(h.state()), before);
    assert_eq!(h.state().published().expect("p").model.config, config);
    // The error is on screen.
    assert!(h.query_by_label_contains("corrupt.json").is_some());
}

#[test]
fn cancel_stops_a_running_search_within_half_a_second() {
    let mut h = harness(StartOptions {
        steps: Some(20),
        ..preset("ring-random")
    });
    wait_for(&mut h, "training", PATIENCE, |a| {
        a.step_count() == Some(20) && !a.is_running()
    });
    // Seeded enumeration of every candidate image with a long limit runs for seconds.
    h.state_mut().app_state_mut().search.settings.method = invariance_lab::search::Method::Seeded;
    h.state_mut()
        .app_state_mut()
        .search
        .settings
        .time_limit_secs = 60.0;
    h.state_mut().app_state_mut().search.settings.max_results = 100_000;
    h.get_by_label("Start search").click();
    wait_for(
        &mut h,
        "the search to start",
        PATIENCE,
        InvarianceApp::search_running,
    );
    h.step(); // draw the panel with its Cancel button
    h.get_by_label("Cancel").click();
    let cancelled_at = Instant::now();
    wait_for(&mut h, "the search to stop", Duration::from_secs(5), |a| {
        !a.search_running()
    });
    let took = cancelled_at.elapsed();
    assert!(
        took < Duration::from_millis(500) + Duration::from_millis(200),
        "cancel took {took:?}"
    );
    let outcome = h
        .state()
        .app_state()
        .search
        .outcome
        .as_ref()
        .expect("partial results are kept");
    assert!(outcome.cancelled);
}

#[test]
fn start_up_select_picks_the_requested_true_transformation() {
    let steps = presets::by_name("ring-shift")
        .expect("preset")
        .default_steps;
    let mut h = harness(StartOptions {
        steps: Some(steps),
        search: true,
        search_time_secs: Some(20.0),
        select_match: Some("shift +3".to_owned()),
        ..preset("ring-shift")
    });
    wait_for(&mut h, "search results", Duration::from_secs(180), |a| {
        !a.search_running() && !a.search_results().is_empty()
    });
    let pick = h
        .state()
        .app_state()
        .search
        .selected()
        .expect("something is selected");
    let selected = h
        .state()
        .selected_permutation()
        .expect("a permutation is selected")
        .clone();
    let ground_truth = h
        .state()
        .published()
        .expect("published")
        .model
        .ground_truth
        .clone();
    let truth = invariance_lab::report::rows::best_truth_match(&selected, &ground_truth)
        .expect("ground truth");
    assert_eq!(truth.transformation.to_string(), "shift +3");
    assert!(truth.consistency >= 0.95, "{truth:?}");
    // The default selection (first generator, or best result) is a unit shift, so the
    // selection really moved.
    assert!(
        !matches!(pick, Pick::Generator(0) | Pick::Result(0)),
        "{pick:?}"
    );
}
