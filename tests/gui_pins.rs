#![cfg(feature = "gui")]
//! Click to inspect: real clicks on the heatmap and the activity plot of the
//! real app (egui_kittest, real worker thread), checked against the simulation's weights.

mod gui_common;
use gui_common::wait_for;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use invariance_lab::app::{InvarianceApp, StartOptions};
use invariance_lab::model::{Pins, Simulation, presets};
use invariance_lab::session::worker::WorkerCommand;

fn harness() -> Harness<'static, InvarianceApp> {
    let options = StartOptions {
        preset: Some("ring-shift".into()),
        ..StartOptions::default()
    };
    Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_eframe(move |cc| InvarianceApp::new(cc, options).expect("app starts"))
}

/// A primary click at `pos`, as a mouse makes it.
fn click_at(h: &mut Harness<'static, InvarianceApp>, pos: egui::Pos2) {
    h.event(egui::Event::PointerMoved(pos));
    h.step();
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::default(),
        });
    }
    h.run_steps(2);
}

fn published_pins(app: &InvarianceApp) -> Pins {
    let p = app.published().expect("published");
    (*p.snapshot.pins).clone()
}

/// Clicks the heatmap cell at display row `r`, column `c`; returns its stored `(i, j)`.
fn click_cell(h: &mut Harness<'static, InvarianceApp>, r: usize, c: usize) -> (usize, usize) {
    wait_for(h, "the heatmap", |a| a.heatmap_is_current());
    let shown = h.state().displayed_heatmap().expect("heatmap");
    let n = shown.size as f32;
    let rect = h.get_by_label("Weight matrix").rect();
    let pos = egui::pos2(
        rect.min.x + (c as f32 + 0.5) / n * rect.width(),
        rect.min.y + (r as f32 + 0.5) / n * rect.height(),
    );
    click_at(h, pos);
    (shown.order[r], shown.order[c])
}

#[test]
fn clicking_a_cell_pins_it_and_stepping_records_the_true_weights() {
    let mut h = harness();
    wait_for(&mut h, "the first snapshot", |a| a.step_count() == Some(0));
    let start_pins = published_pins(h.state());
    assert_eq!(start_pins.len(), 3, "the start pins are published");

    let (i, j) = click_cell(&mut h, 5, 17);
    assert_eq!(h.state().inspected_pin(), Some((i, j)));
    wait_for(&mut h, "the pin", |a| published_pins(a).get(i, j).is_some());
    h.state_mut().send(WorkerCommand::Step(30));
    wait_for(&mut h, "30 steps", |a| {
        a.step_count() == Some(30) && !a.is_running()
    });

    // Ground truth: the same run, pinned at step 0, stepped as the worker steps.
    let mut sim = Simulation::new(presets::by_name("ring-shift").expect("preset").config)
        .expect("simulation");
    sim.pin(i, j).expect("pin");
    for _ in 0..30 {
        sim.step();
    }
    let pins = published_pins(h.state());
    let got = pins.get(i, j).expect("still pinned");
    assert_eq!(got, sim.pins().get(i, j).expect("pinned"));
    let snapshot = h.state().published().expect("published").snapshot.clone();
    // On the metric schedule: step 0 (when pinned), then every recorded metric step.
    let steps: Vec<u64> = got.history().iter().map(|s| s.step).collect();
    let metric_steps: Vec<u64> = snapshot.history.iter().map(|r| r.step).collect();
    assert_eq!(steps[0], 0);
    assert_eq!(steps[1..], metric_steps[..]);
    let last = got.history().last().expect("samples");
    assert_eq!(last.step, 30);
    assert_eq!(
        last.weight.to_bits(),
        snapshot.weights.value(i, j).to_bits()
    );
    assert!(last.weight != 0.0, "the weight was learned");
    // The start pins went on recording too.
    assert_eq!(pins.len(), 4);

    // The inspector's list (scrolled into view, as a user would) unpins it.
    let unpin = format!("Unpin w_{i},{j}");
    h.get_by_label(&unpin).scroll_to_me();
    h.run_steps(3);
    h.get_by_label(&unpin).click();
    wait_for(&mut h, "the unpin", |a| {
        published_pins(a).get(i, j).is_none()
    });
    assert_eq!(h.state().inspected_pin(), None);
}

#[test]
fn pins_survive_saving_and_reopening_exactly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("pinned.json");
    let mut h = harness();
    wait_for(&mut h, "the first snapshot", |a| a.step_count() == Some(0));
    h.state_mut().send(WorkerCommand::Step(12));
    wait_for(&mut h, "12 steps", |a| {
        a.step_count() == Some(12) && !a.is_running()
    });
    let (i, j) = click_cell(&mut h, 9, 2);
    wait_for(&mut h, "the pin", |a| published_pins(a).get(i, j).is_some());
    h.state_mut().send(WorkerCommand::Step(8));
    wait_for(&mut h, "8 more steps", |a| {
        a.step_count() == Some(20) && !a.is_running()
    });
    let before = published_pins(h.state());
    assert_eq!(before.get(i, j).expect("pinned").history()[0].step, 12);

    h.state_mut().save_to(path.clone());
    wait_for(&mut h, "the save", |a| !a.file_work_pending());
    let generation = h.state().generation();
    h.state_mut().open_path(path.clone());
    wait_for(&mut h, "the file to open", |a| a.generation() > generation);
    assert_eq!(published_pins(h.state()), before);
    // What the CLI and the library read is the same.
    let loaded = invariance_lab::io::experiment::load(&path).expect("loads");
    assert_eq!(loaded.pins(), &before);
    // A new pin changes what a save would write: the experiment is unsaved again.
    assert!(!h.state().is_dirty(), "just opened");
    let (k, l) = click_cell(&mut h, 3, 14);
    wait_for(&mut h, "the second pin", |a| {
        published_pins(a).get(k, l).is_some()
    });
    assert!(h.state().is_dirty(), "a pin is an unsaved change");
}

#[test]
fn clicking_a_neuron_in_the_activity_plot_shows_its_row_of_w() {
    let mut h = harness();
    wait_for(&mut h, "the first snapshot", |a| a.step_count() == Some(0));
    h.state_mut().send(WorkerCommand::Step(10));
    wait_for(&mut h, "10 steps", |a| {
        a.step_count() == Some(10) && !a.is_running()
    });
    h.run_steps(2);
    let rect = h.get_by_label("Detector activities plot").rect();
    click_at(&mut h, rect.center());
    wait_for(&mut h, "the row", |a| a.inspected_row().is_some());
    let (n, row) = h.state().inspected_row().expect("row");
    let p = h.state().published().expect("published");
    let m = p.model.neurons;
    let order = h
        .state()
        .displayed_heatmap()
        .expect("heatmap")
        .order
        .clone();
    // The click was in the middle of the plot: a neuron near the middle of the order.
    let position = order.iter().position(|&k| k == n).expect("in the order");
    assert!(
        position.abs_diff(m / 2) <= m / 8,
        "clicked the middle, got position {position} of {m}"
    );
    // Every other neuron once, in the heatmap's order, with the true weight w_nj.
    assert_eq!(row.len(), m - 1);
    for [x, w] in row {
        let j = order[x as usize];
        assert_ne!(j, n);
        assert_eq!(w as f32, p.snapshot.weights.value(n, j), "w_{n},{j}");
    }
}
