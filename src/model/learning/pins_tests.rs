use super::*;
use crate::model::{LearningRule, Simulation, presets};

fn ring_shift(decay: f32, rule: LearningRule) -> Simulation {
    let mut config = presets::by_name("ring-shift").expect("preset").config;
    config.batch = 8;
    config.decay = decay;
    config.rule = rule;
    if rule == LearningRule::Temporal {
        // The temporal rule learns from pairs of frames (s, g·s): an asymmetric W.
        config.stimulus.sequence = Some(config.true_transformation);
    }
    Simulation::new(config).expect("simulation")
}

fn sample(step: u64, weight: f32) -> PinSample {
    PinSample {
        step,
        stimuli: step * 10,
        weight,
    }
}

#[test]
fn start_cells_follow_the_true_transformation() {
    // A shift by one on 8 neurons: a = 0, g·a = 1, g²·a = 2, half the cycle = 4.
    let shift = Permutation::from_images((0..8).map(|i| (i + 1) % 8).collect()).unwrap();
    assert_eq!(start_cells(&shift), vec![(0, 1), (1, 2), (0, 4)]);
    // The first moved neuron is the start; an involution gives a weight and its transpose.
    let swap = Permutation::from_images(vec![0, 1, 3, 2]).unwrap();
    assert_eq!(start_cells(&swap), vec![(2, 3), (3, 2)]);
    assert!(start_cells(&Permutation::identity(5)).is_empty());
}

#[test]
fn history_holds_the_weights_at_the_metric_steps_bit_for_bit() {
    // Decay makes the lazy scale non-trivial; the temporal rule makes W asymmetric.
    for (decay, rule) in [
        (0.0, LearningRule::Hebb),
        (0.1, LearningRule::Hebb),
        (0.05, LearningRule::Temporal),
    ] {
        let mut sim = ring_shift(decay, rule);
        let cells = start_cells(sim.true_permutation());
        assert_eq!(
            cells.len(),
            3,
            "ring-shift moves every neuron along a long cycle"
        );
        let pinned: Vec<(usize, usize)> = sim.pins().cells().iter().map(|c| (c.i, c.j)).collect();
        assert_eq!(pinned, cells);
        // Ground truth: the materialised W at every step that added a metric record.
        let mut expected: Vec<Vec<PinSample>> = vec![vec![sample(0, 0.0)]; 3];
        for c in &mut expected {
            c[0].stimuli = 0;
        }
        for _ in 0..60 {
            let records = sim.history().len();
            sim.step();
            if sim.history().len() > records {
                let w = sim.weights();
                let r = sim.history()[records];
                for (k, &(i, j)) in cells.iter().enumerate() {
                    expected[k].push(PinSample {
                        step: r.step,
                        stimuli: r.stimuli,
                        weight: w[[i, j]],
                    });
                }
            }
        }
        assert!(sim.history().len() > 20, "records on the schedule");
        for (k, c) in sim.pins().cells().iter().enumerate() {
            let got: Vec<(u64, u64, u32)> = c
                .history()
                .iter()
                .map(|s| (s.step, s.stimuli, s.weight.to_bits()))
                .collect();
            let want: Vec<(u64, u64, u32)> = expected[k]
                .iter()
                .map(|s| (s.step, s.stimuli, s.weight.to_bits()))
                .collect();
            assert_eq!(got, want, "decay {decay}, {rule:?}, pin {k}");
        }
        // The neighbour along g learned something; the weights are not all zero.
        assert!(sim.pins().cells()[0].history().last().unwrap().weight != 0.0);
    }
}

#[test]
fn a_new_pin_starts_at_the_current_step_with_its_current_value() {
    let mut sim = ring_shift(0.0, LearningRule::Hebb);
    sim.run_steps(7);
    let (i, j) = (3, 11);
    sim.pin(i, j).unwrap();
    let w = sim.weights()[[i, j]];
    let first = sim.pins().get(i, j).unwrap().history().to_vec();
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].step, 7);
    assert_eq!(first[0].stimuli, sim.record().graph_stimuli());
    assert_eq!(first[0].weight.to_bits(), w.to_bits());
    // Pinning it again keeps its history; a metric record of the same step adds nothing.
    sim.pin(i, j).unwrap();
    sim.record_metrics();
    assert_eq!(sim.pins().get(i, j).unwrap().history(), first.as_slice());
    sim.run_steps(3);
    let h = sim.pins().get(i, j).unwrap().history();
    assert_eq!(h.last().unwrap().step, 10);
    assert_eq!(
        h.last().unwrap().weight.to_bits(),
        sim.weights()[[i, j]].to_bits()
    );
    assert!(sim.unpin(i, j));
    assert!(!sim.unpin(i, j));
    assert!(sim.pins().get(i, j).is_none());
}

#[test]
fn pins_are_capped_and_checked() {
    let mut sim = ring_shift(0.0, LearningRule::Hebb);
    let m = sim.neurons();
    assert_eq!(
        sim.pin(m, 0),
        Err(PinError::OutOfRange {
            i: m,
            j: 0,
            neurons: m
        })
    );
    let mut k = 0;
    while sim.pins().len() < MAX_PINS {
        sim.pin(k / m, k % m).unwrap();
        k += 1;
    }
    let next = (0..m * m)
        .map(|k| (k / m, k % m))
        .find(|&(i, j)| sim.pins().get(i, j).is_none())
        .unwrap();
    assert_eq!(sim.pin(next.0, next.1), Err(PinError::TooMany));
    assert_eq!(sim.pins().len(), MAX_PINS);
}

#[test]
fn reset_keeps_the_cells_and_restarts_their_histories() {
    let mut sim = ring_shift(0.0, LearningRule::Hebb);
    sim.pin(2, 5).unwrap();
    sim.run_steps(15);
    assert!(sim.pins().cells().iter().all(|c| c.history().len() > 10));
    sim.reset();
    let mut fresh = ring_shift(0.0, LearningRule::Hebb);
    fresh.pin(2, 5).unwrap();
    assert_eq!(sim.pins(), fresh.pins());
    // And it records again exactly as a fresh run does.
    sim.run_steps(4);
    fresh.run_steps(4);
    assert_eq!(sim.pins(), fresh.pins());
}

#[test]
fn a_full_history_keeps_every_other_sample_and_the_newest() {
    let mut pins = Pins::default();
    pins.pin(0, 1, 2, sample(0, 0.0)).unwrap();
    for step in 1..=MAX_PIN_HISTORY as u64 {
        pins.record(step, step * 10, |_, _| step as f32);
    }
    let h = pins.cells()[0].history();
    assert!(h.len() <= MAX_PIN_HISTORY);
    assert_eq!(h.first().unwrap().step, 0);
    assert_eq!(h.last().unwrap().step, MAX_PIN_HISTORY as u64);
    assert!(h.windows(2).all(|w| w[0].step < w[1].step));
}

#[test]
fn saved_pins_are_checked_against_the_graph_and_the_step() {
    let ok = |i, j, history: Vec<PinSample>| PinnedCell::new(i, j, history);
    let good = vec![ok(0, 1, vec![sample(0, 0.0), sample(5, 0.5)])];
    assert!(Pins::from_cells(good.clone(), 4, 5).is_ok());
    assert!(matches!(
        Pins::from_cells(good.clone(), 4, 4),
        Err(PinError::History { .. })
    ));
    assert!(matches!(
        Pins::from_cells(vec![ok(0, 4, vec![])], 4, 5),
        Err(PinError::OutOfRange { .. })
    ));
    assert!(matches!(
        Pins::from_cells(vec![ok(0, 1, vec![]), ok(0, 1, vec![])], 4, 5),
        Err(PinError::Duplicate { i: 0, j: 1 })
    ));
    assert!(matches!(
        Pins::from_cells(vec![ok(0, 1, vec![sample(1, f32::NAN)])], 4, 5),
        Err(PinError::History { .. })
    ));
    assert!(matches!(
        Pins::from_cells(vec![ok(0, 1, vec![sample(3, 0.0), sample(3, 1.0)])], 4, 5),
        Err(PinError::History { .. })
    ));
    let many: Vec<PinnedCell> = (0..=MAX_PINS).map(|k| ok(k / 9, k % 9, vec![])).collect();
    assert_eq!(Pins::from_cells(many, 9, 5), Err(PinError::TooMany));
}
