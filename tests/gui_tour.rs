#![cfg(feature = "gui")]
//! The lecture tour, driven by egui_kittest: each step reaches its state (preset, step
//! count, view, search result, order), the same state whichever way the tour got there.

mod gui_common;
use gui_common::wait_within as wait_for;
use std::time::Duration;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use invariance_lab::app::{InvarianceApp, MatrixOrder, StartOptions, View};
use invariance_lab::model::config::presets;
use invariance_lab::report::rows::best_truth_match;
use invariance_lab::session::state::tour::{TOUR, TourPhase};

fn harness(options: StartOptions) -> Harness<'static, InvarianceApp> {
    Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_eframe(move |cc| InvarianceApp::new(cc, options).expect("app starts"))
}

fn reached(step: usize) -> impl Fn(&InvarianceApp) -> bool {
    move |a| a.tour().is_some_and(|t| t.step == step && t.reached())
}

const PATIENCE: Duration = Duration::from_secs(300);

/// Index of the step with this title.
fn step_titled(title: &str) -> usize {
    TOUR.iter()
        .position(|s| s.title == title)
        .unwrap_or_else(|| panic!("no step {title}"))
}

/// The true transformation the selected permutation realises, and how consistently.
fn selected_truth(app: &InvarianceApp) -> (String, f64) {
    let p = app.published().expect("published");
    let selected = app
        .selected_permutation()
        .expect("a permutation is selected");
    let truth = best_truth_match(selected, &p.model.ground_truth).expect("ground truth");
    (truth.transformation.to_string(), truth.consistency)
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

#[test]
fn the_tour_starts_from_the_help_menu_and_walks_through_learning_with_the_arrow_keys() {
    let mut h = harness(StartOptions {
        preset: Some("ring-random".to_owned()),
        ..StartOptions::default()
    });
    wait_for(&mut h, "the first snapshot", PATIENCE, |a| {
        a.step_count() == Some(0)
    });
    h.get_by_label("Help").click();
    h.run_steps(2);
    h.get_by_label("Lecture tour").click();
    wait_for(&mut h, "step 1", PATIENCE, reached(0));
    let ring_shift = presets::by_name("ring-shift").expect("preset").config;
    let first = TOUR[0].target;
    assert_eq!(
        h.state().published().expect("published").model.config,
        ring_shift
    );
    assert_eq!(h.state().step_count(), Some(first.steps));
    assert_eq!(h.state().app_state().view, first.view);
    // The caption is on screen.
    h.get_by_label_contains(TOUR[0].title);

    h.key_press(egui::Key::ArrowRight);
    wait_for(&mut h, "step 2", PATIENCE, reached(1));
    let learning = TOUR[1].target;
    assert_eq!(learning.view, View::Learning);
    assert_eq!(h.state().app_state().view, View::Learning);
    // Trained to exactly the step's count (the arrow key did not also step the model).
    assert_eq!(h.state().step_count(), Some(learning.steps));
    assert!(!h.state().is_running());
    assert!(h.state().search_results().is_empty());
    let history = &h.state().published().expect("published").snapshot.history;
    let trained: Vec<f64> = history
        .iter()
        .filter(|r| r.stimuli > 0 && r.symmetry_error_true.is_finite())
        .map(|r| r.symmetry_error_true)
        .collect();
    let (first_e, last_e) = (trained[0], trained[trained.len() - 1]);
    assert!(
        last_e < first_e / 5.0,
        "e_g fell from {first_e} to {last_e}"
    );

    // Left goes back: a fresh, untrained model again.
    h.key_press(egui::Key::ArrowLeft);
    wait_for(&mut h, "step 1 again", PATIENCE, reached(0));
    assert_eq!(h.state().step_count(), Some(0));

    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    assert!(h.state().tour().is_none(), "Esc leaves the tour");
}

#[test]
fn the_shift_step_selects_the_unit_shift_in_recovered_order_and_neighbours_reuse_it() {
    let k = step_titled("The shift, recovered");
    let target = TOUR[k].target;
    let mut h = harness(StartOptions {
        tour_step: Some(k),
        ..StartOptions::default()
    });
    wait_for(&mut h, "the shift step", PATIENCE, reached(k));
    let app = h.state();
    assert_eq!(
        app.published().expect("published").model.config,
        presets::by_name(target.preset).expect("preset").config
    );
    assert_eq!(app.step_count(), Some(target.steps));
    assert_eq!(app.app_state().view, View::Weights);
    assert_eq!(app.app_state().order.mode, MatrixOrder::Recovered);
    let (name, consistency) = selected_truth(app);
    assert_eq!(name, "shift +1");
    assert!(consistency >= 0.95, "consistency {consistency}");
    assert!(app.tour().expect("tour").problem.is_none());
    wait_for(
        &mut h,
        "the heatmap",
        PATIENCE,
        InvarianceApp::heatmap_is_current,
    );
    let shown = h.state().displayed_heatmap().expect("heatmap");
    let identity: Vec<usize> = (0..shown.order.len()).collect();
    assert_ne!(
        *shown.order, identity,
        "the heatmap is in the recovered order"
    );

    // Next: the same model and search, shown in the Transformation view.
    let generation = h.state().generation();
    let results = h.state().search_results().to_vec();
    h.get_by_label("Next >").click();
    wait_for(&mut h, "the sliding pattern", PATIENCE, reached(k + 1));
    assert_eq!(h.state().app_state().view, View::Transformation);
    assert_eq!(h.state().generation(), generation, "no retraining");
    assert_eq!(
        h.state().search_results(),
        results.as_slice(),
        "no new search"
    );
    assert_eq!(selected_truth(h.state()).0, "shift +1");

    // Back two: the search step shows the results with nothing selected, stored order.
    h.key_press(egui::Key::ArrowLeft);
    h.key_press(egui::Key::ArrowLeft);
    wait_for(&mut h, "the search step", PATIENCE, reached(k - 1));
    assert_eq!(h.state().app_state().search.selected(), None);
    assert_eq!(h.state().app_state().order.mode, MatrixOrder::Stored);
    assert_eq!(h.state().app_state().view, View::Overview);
    assert_eq!(h.state().search_results(), results.as_slice());
}

#[test]
fn a_step_reached_directly_and_by_walking_is_the_same_state() {
    let k = step_titled("The shift, recovered");
    let mut direct = harness(StartOptions {
        tour_step: Some(k),
        ..StartOptions::default()
    });
    wait_for(&mut direct, "the shift step", PATIENCE, reached(k));
    let mut walked = harness(StartOptions {
        tour_step: Some(k - 2),
        ..StartOptions::default()
    });
    wait_for(&mut walked, "the learning step", PATIENCE, reached(k - 2));
    walked.key_press(egui::Key::ArrowRight);
    walked.key_press(egui::Key::ArrowRight);
    wait_for(&mut walked, "the shift step", PATIENCE, reached(k));
    assert_eq!(weights_bits(direct.state()), weights_bits(walked.state()));
    assert_eq!(
        direct.state().selected_permutation(),
        walked.state().selected_permutation()
    );
    assert_eq!(
        direct.state().app_state().search.selected(),
        walked.state().app_state().search.selected()
    );
    assert_eq!(
        walked.state().tour().map(|t| t.phase),
        Some(TourPhase::Reached)
    );
}
