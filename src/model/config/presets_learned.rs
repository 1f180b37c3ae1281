//! `torus-learned`: detectors learned from natural photos on a 2-D retina,
//! then the recurrent graph — the whole loop from pixels to the translation group.

use crate::model::config::{Activation, Transformation};
use crate::model::config::{
    BankConfig, LearningRule, SimConfig, Space, StimulusConfig, StimulusKind,
};

/// Field-learning steps of `torus-learned`.
pub const FIELD_STEPS: u64 = 1_000;

/// Graph-learning steps of `torus-learned` after the field phase.
pub const GRAPH_STEPS: u64 = 1_000;

/// The preset's configuration (its name, description and steps are in `presets.rs`,
/// which lists it).
pub fn torus_learned_config() -> SimConfig {
    SimConfig {
        space: Space::Torus { side: 16 },
        stimulus: StimulusConfig {
            kind: StimulusKind::ImagePatches,
            sequence: None,
            data_dir: None,
        },
        bank: BankConfig::Learned {
            filters: 8,
            on_off: false,
            field_steps: FIELD_STEPS,
            rate: 0.2,
            kernel_size: Some(8),
        },
        activation: Activation::Relu,
        threshold: 0.0,
        k_winners: None,
        rule: LearningRule::Hebb,
        learning_rate: 0.01,
        decay: 0.0,
        batch: 64,
        seed: 10,
        true_transformation: Transformation::Translate { dx: 1, dy: 0 },
    }
}
