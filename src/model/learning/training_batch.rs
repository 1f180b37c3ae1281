//! The stimuli of one training step, drawn reproducibly: row `b` of step `t` comes from
//! a generator seeded by `(seed, t, b)` only ([`crate::model::rng::derived_rng`]), so any
//! step can be replayed without replaying the ones before it — which is how a reloaded
//! run continues bit for bit and shows the stimulus it last saw.

use ndarray::Array2;

use crate::cancel::CancelToken;
use crate::model::config::{SimConfig, StimulusKind};
use crate::model::rng::{Purpose, derived_rng};
use crate::model::world::stimulus;

/// One batch of training data: current frames, previous frames (sequences only).
pub(super) struct Batch {
    /// The frames the rule learns from, `rows × pixels`.
    pub(super) stimuli: Array2<f32>,
    /// The frames before them (sequence configurations only), same shape.
    pub(super) previous: Option<Array2<f32>>,
}

impl Batch {
    /// The first `rows` rows of the batch of step `t` of `config` (all rows: `rows =
    /// batch`); `None` if `cancel` stopped it.
    pub(super) fn draw(
        config: &SimConfig,
        t: u64,
        rows: usize,
        cancel: Option<&CancelToken>,
    ) -> Option<Batch> {
        let space = config.space;
        let pixels = space.pixels();
        if let (StimulusKind::RotatedPhotos { scale, mirror }, None) =
            (&config.stimulus.kind, config.stimulus.sequence)
        {
            // The same draws as `stimulus::sample_config`, sampled as one sparse product.
            use crate::model::world::polar_stimulus::{PhotoSet, draw_view, sample_views};
            let data_dir = config.stimulus.data_dir.as_deref();
            let batch = PhotoSet::new(space, *scale, data_dir).and_then(|set| {
                let photos = set.photos()?;
                let views = (0..rows)
                    .map(|b| {
                        let mut rng = derived_rng(config.seed, Purpose::Training, t, b as u64);
                        draw_view(space, *scale, *mirror, &photos, &mut rng)
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                sample_views(space, &photos, &views)
            });
            if let Ok(stimuli) = batch
                && stimuli.dim() == (rows, pixels)
            {
                return Some(Batch {
                    stimuli,
                    previous: None,
                });
            }
        }
        let mut stimuli = Array2::<f32>::zeros((rows, pixels));
        let mut previous = config
            .stimulus
            .sequence
            .map(|_| Array2::<f32>::zeros((rows, pixels)));
        for b in 0..rows {
            if super::step_cancel::is_cancelled(cancel) {
                return None;
            }
            let mut rng = derived_rng(config.seed, Purpose::Training, t, b as u64);
            // `Simulation::new` checked that the generator works; a failure here leaves a
            // blank row.
            let Ok(base) = stimulus::sample_config(&config.stimulus, space, &mut rng) else {
                continue;
            };
            if base.len() != pixels {
                continue;
            }
            match (config.stimulus.sequence, previous.as_mut()) {
                (Some(g), Some(prev)) => {
                    let frames = stimulus::sequence(&base, space, g, 2);
                    if let [first, second] = frames.as_slice() {
                        prev.row_mut(b)
                            .assign(&ndarray::ArrayView1::from(first.as_slice()));
                        stimuli
                            .row_mut(b)
                            .assign(&ndarray::ArrayView1::from(second.as_slice()));
                    }
                }
                _ => stimuli
                    .row_mut(b)
                    .assign(&ndarray::ArrayView1::from(base.as_slice())),
            }
        }
        Some(Batch { stimuli, previous })
    }
}

/// `count` seeded held-out stimuli of `config` (independent of the training stream).
pub(super) fn test_stimuli(config: &SimConfig, count: usize) -> Vec<Vec<f32>> {
    let space = config.space;
    (0..count as u64)
        .map(|i| {
            let mut rng = derived_rng(config.seed, Purpose::Test, i, 0);
            stimulus::sample_config(&config.stimulus, space, &mut rng)
                .unwrap_or_else(|_| vec![0.0; space.pixels()])
        })
        .collect()
}
