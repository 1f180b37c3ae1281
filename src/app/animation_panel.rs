//! The animation view (issue 5): the orbit `s, π·s, π²·s, …` of a pattern under a
//! permutation of neurons, crisp and honest side by side.

use ndarray::Array2;

use crate::model::{NeuronLabel, SimConfig};
use crate::perm::Permutation;

/// Everything the animation view needs from the rest of the app, borrowed for one frame.
pub struct AnimationContext<'a> {
    /// The configuration of the open experiment (space, activation, threshold, k-WTA).
    pub config: &'a SimConfig,
    /// Receptive fields, M × pixels, stored order.
    pub fields: &'a Array2<f32>,
    /// Neuron labels in stored order (receptive-field centres for the induced map).
    pub labels: &'a [NeuronLabel],
    /// The selected permutation of neurons (a search result), if any.
    pub permutation: Option<&'a Permutation>,
    /// The stimulus currently shown by the simulation, if any.
    pub current_stimulus: Option<&'a [f32]>,
}

/// State of the animation view (which pattern, which frame, playing or not).
#[derive(Default)]
pub struct AnimationPanel {
    frame: usize,
}

impl AnimationPanel {
    /// Draws the view.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &AnimationContext<'_>) {
        match cx.permutation {
            None => {
                ui.label("Select a search result to animate its transformation.");
            }
            Some(pi) => {
                ui.label(format!(
                    "Permutation of {} neurons; frame {}.",
                    pi.len(),
                    self.frame
                ));
            }
        }
    }
}
