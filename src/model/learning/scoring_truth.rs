//! What a simulation's learned graph is scored against — never what the search sees: the
//! true transformation as a neuron permutation, the seeded random permutation of the
//! baseline, and every (exact or nearly exact) symmetry of the space the bank carries.

use rand::seq::SliceRandom;

use crate::model::config::{BankConfig, ConfigError, SimConfig, StimulusKind, Transformation};
use crate::model::detectors::Bank;
use crate::model::rng::{Purpose, derived_rng};
use crate::perm::Permutation;

/// The true transformation as a neuron permutation of `bank` (best overlap when the
/// bank is not closed under it).
pub(super) fn true_permutation_of(
    config: &SimConfig,
    bank: &Bank,
) -> Result<Permutation, ConfigError> {
    let pixel_perm = config
        .space
        .pixel_permutation(config.true_transformation)
        .ok_or_else(|| ConfigError::Invalid {
            field: "true_transformation",
            reason: format!(
                "{} is not an exact transformation of this space",
                config.true_transformation
            ),
        })?;
    match config.true_transformation {
        Transformation::Shift { k } if config.space.is_line() => {
            crate::model::detectors::line_space::shift_permutation(bank, config.space, k)
        }
        _ => bank.best_neuron_permutation(&pixel_perm),
    }
    .ok_or_else(|| {
        ConfigError::Inconsistent(format!(
            "no neuron permutation corresponds to {}",
            config.true_transformation
        ))
    })
}

/// The fixed random permutation of `m` neurons the symmetry errors use as a baseline,
/// seeded by the configuration's seed.
pub(super) fn random_permutation(config: &SimConfig, m: usize) -> Result<Permutation, ConfigError> {
    let mut images: Vec<usize> = (0..m).collect();
    images.shuffle(&mut derived_rng(config.seed, Purpose::RandomBaseline, 0, 0));
    Permutation::from_images(images)
        .map_err(|e| ConfigError::Inconsistent(format!("random baseline permutation: {e}")))
}

/// Every exact symmetry of the space that `bank` is closed under, as a permutation of
/// neurons in stored order (identity excluded); see
/// [`super::Simulation::ground_truth_transformations`]. `graph_phase`: a learned bank's
/// fields are fixed (its field phase is over).
pub(super) fn ground_truth_transformations(
    config: &SimConfig,
    bank: &Bank,
    graph_phase: bool,
) -> Vec<(Transformation, Permutation)> {
    let space = config.space;
    if space.is_line() {
        return crate::model::detectors::line_space::ground_truth(
            bank,
            space,
            config.true_transformation,
        );
    }
    let mut truths = bank.ground_truth(space);
    // A learned bank is closed under few transformations exactly, the rest only
    // nearly (its closure defect): once its fields are learned, the space's other
    // exact symmetries count by their best-overlap permutations, as the tracked true
    // transformation does (`crate::model::detectors::learned_truth`). Not during the field phase,
    // whose fields change every step.
    if matches!(config.bank, BankConfig::Learned { .. }) && graph_phase {
        truths = crate::model::detectors::learned_truth::best_overlap_truths(space, bank, truths);
    }
    let zooms = match config.stimulus.kind {
        StimulusKind::RotatedPhotos { scale, .. } if scale.0 < scale.1 => {
            crate::model::world::polar_space::approximate_transformations(space)
        }
        _ => Vec::new(),
    };
    for t in zooms {
        if let Some(p) = crate::model::world::polar_space::approximate_map(space, t)
            .and_then(|map| bank.best_overlap_permutation(&map))
        {
            truths.push((t, p));
        }
    }
    truths
}
