//! The parameter panel: every setting of SPEC §2–5 with a one-sentence tooltip.
//!
//! Edits go into a draft; every setting changes the bank, the stimulus stream or the
//! learning rule, so applying it restarts the run at step 0 — the panel says so and
//! offers "Apply & reset". Validation is `SimConfig::check` via `Simulation::new` on
//! the worker; a rejected draft shows its error in the status bar.

mod bank_rows;
mod learned_rows;
mod polar_rows;
mod sound_rows;
mod space_rows;
mod stimulus_rows;
mod transformation_rows;
mod widgets;

use egui::{DragValue, Ui};

use crate::model::{Activation, LearningRule, SimConfig, Transformation};
use bank_rows::bank_rows;
use space_rows::space_rows;
use stimulus_rows::stimulus_rows;
use transformation_rows::transformation_rows;
use widgets::{combo, grid_row};

/// What the user asked for in the panel this frame.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamsAction {
    /// Build a new simulation from this configuration (restarts at step 0).
    Apply(Box<SimConfig>),
}

/// The parameter panel's state: a draft of the configuration.
#[derive(Default)]
pub struct ParamsPanel {
    /// The configuration being edited (None until a simulation exists).
    pub draft: Option<SimConfig>,
}

impl ParamsPanel {
    /// Shows the panel for the current configuration; returns an action if Apply was pressed.
    pub fn ui(&mut self, ui: &mut Ui, current: Option<&SimConfig>) -> Option<ParamsAction> {
        let Some(current) = current else {
            ui.label("No simulation yet.");
            return None;
        };
        let draft = self.draft.get_or_insert_with(|| current.clone());
        let mut action = None;
        ui.heading("Parameters");
        egui::ScrollArea::vertical().auto_shrink([false, true]).show(ui, |ui| {
            egui::CollapsingHeader::new("World").default_open(true).show(ui, |ui| {
                egui::Grid::new("world-grid").num_columns(2).striped(true).show(ui, |ui| {
                    space_rows(ui, &mut draft.space);
                    stimulus_rows(ui, &mut draft.stimulus.kind);
                    let mut sequence = draft.stimulus.sequence.is_some();
                    let l = ui.label("Sequences").on_hover_text(
                        "Show each base stimulus transformed step by step (needed by the temporal rule).",
                    );
                    ui.checkbox(&mut sequence, "").labelled_by(l.id);
                    ui.end_row();
                    match (&mut draft.stimulus.sequence, sequence) {
                        (s @ None, true) => *s = Some(Transformation::Shift { k: 1 }),
                        (s @ Some(_), false) => *s = None,
                        _ => {}
                    }
                    let polar = draft.space.is_polar();
                    if let Some(t) = &mut draft.stimulus.sequence {
                        transformation_rows(ui, "    sequence step", "The transformation applied between consecutive stimuli.", t, polar);
                    }
                });
            });
            egui::CollapsingHeader::new("Detectors").default_open(true).show(ui, |ui| {
                egui::Grid::new("detector-grid").num_columns(2).striped(true).show(ui, |ui| {
                    bank_rows(ui, &mut draft.bank);
                    combo(
                        ui,
                        "Non-linearity",
                        "φ in a = φ(<f, s> − θ).",
                        &mut draft.activation,
                        &[(Activation::Relu, "relu"), (Activation::Binary, "binary"), (Activation::Sigmoid, "sigmoid")],
                    );
                    grid_row(ui, "Threshold θ", "Subtracted from the filter response before the non-linearity.", &mut draft.threshold, -100.0..=100.0, 0.01);
                    let mut kwta = draft.k_winners.is_some();
                    let l = ui.label("k-winners-take-all").on_hover_text("Lateral inhibition: keep only the k largest activities per stimulus.");
                    ui.checkbox(&mut kwta, "").labelled_by(l.id);
                    ui.end_row();
                    match (&mut draft.k_winners, kwta) {
                        (k @ None, true) => *k = Some(16),
                        (k @ Some(_), false) => *k = None,
                        _ => {}
                    }
                    if let Some(k) = &mut draft.k_winners {
                        grid_row(ui, "    k", "How many detectors stay active per stimulus.", k, 1..=8192, 0.2);
                    }
                });
            });
            egui::CollapsingHeader::new("Learning").default_open(true).show(ui, |ui| {
                egui::Grid::new("learning-grid").num_columns(2).striped(true).show(ui, |ui| {
                    combo(
                        ui,
                        "Rule",
                        "How co-activity changes the recurrent weights (SPEC §5).",
                        &mut draft.rule,
                        &[
                            (LearningRule::Hebb, "Hebb (concurrence)"),
                            (LearningRule::Covariance, "covariance"),
                            (LearningRule::Oja, "Oja (normalised)"),
                            (LearningRule::Temporal, "temporal (sequences)"),
                        ],
                    );
                    grid_row(ui, "Learning rate η", "Size of each weight update.", &mut draft.learning_rate, 1e-9..=100.0, 0.001);
                    grid_row(ui, "Decay λ", "Fraction of every weight forgotten per step; W averages over ~1/λ recent steps.", &mut draft.decay, 0.0..=0.5, 0.0001);
                    grid_row(ui, "Batch B", "Stimuli presented per step.", &mut draft.batch, 1..=4096, 0.2);
                    let polar = draft.space.is_polar();
                    transformation_rows(ui, "True transformation", "The known symmetry g whose error e_g is plotted (display and scoring only).", &mut draft.true_transformation, polar);
                    let l = ui.label("Seed").on_hover_text("Master seed: bank, hidden neuron order and every stimulus; same seed, same run.");
                    ui.horizontal(|ui| {
                        ui.add(DragValue::new(&mut draft.seed).speed(1.0)).labelled_by(l.id);
                        if ui.button("New seed").on_hover_text("Pick a fresh random seed (takes effect on Apply).").clicked() {
                            draft.seed = fresh_seed();
                        }
                    });
                    ui.end_row();
                });
            });
        });
        ui.separator();
        let changed = draft != current;
        if changed {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "Changed settings take effect after a reset to step 0.",
            );
        }
        ui.horizontal(|ui| {
            if ui
                .add_enabled(changed, egui::Button::new("Apply & reset"))
                .on_hover_text("Build a new simulation from these settings, starting at step 0.")
                .clicked()
            {
                action = Some(ParamsAction::Apply(Box::new(draft.clone())));
            }
            if ui
                .add_enabled(changed, egui::Button::new("Revert"))
                .on_hover_text("Discard the edits.")
                .clicked()
            {
                *draft = current.clone();
            }
        });
        action
    }
}

/// A new seed drawn from the operating system's randomness (not reproducible by design:
/// the user asked for a new one), below 10⁹ so it stays short to read and type.
pub fn fresh_seed() -> u64 {
    rand::random_range(0..1_000_000_000)
}
