//! Everything the transformation view shows about one permutation of neurons acting on
//! one pattern, computed together (off the UI thread in the app): the induced map, the
//! orbit rendered crisp and honest, and the equivariance error over stimuli of the
//! experiment's own generator; the pattern drawn from that generator; and the export of
//! the orbit as files, with an MP4 when `ffmpeg` is on the PATH.

use std::path::Path;

use ndarray::Array2;
use rand::SeedableRng;

use super::export::{self, ExportError, ExportOptions, ExportSummary, TurnedPhoto};
use super::polar_render::{identified_rotation, turned_photo};
use super::{Decoder, InducedMap, Orbit, TransformError, equivariance, orbit, video};
use crate::model::world::polar::PolarGrid;
use crate::model::world::stimulus;
use crate::model::{NeuronLabel, SimConfig, Space};
use crate::perm::Permutation;

/// Test stimuli the equivariance error of an [`Animation`] is measured over.
pub const EQUIVARIANCE_STIMULI: usize = 16;

/// What to animate: a permutation of a bank's neurons and the pattern it acts on.
#[derive(Clone, Debug)]
pub struct AnimationRequest {
    /// The experiment's configuration (space, non-linearity, threshold, generator, seed).
    pub config: SimConfig,
    /// Receptive fields, M × pixels, stored order.
    pub fields: Array2<f32>,
    /// Neuron labels, stored order.
    pub labels: Vec<NeuronLabel>,
    /// The permutation of neurons.
    pub pi: Permutation,
    /// The starting pattern.
    pub pattern: Vec<f32>,
    /// Frames of the orbit, the starting pattern included.
    pub frames: usize,
}

/// The computed animation and the numbers shown beside it.
#[derive(Clone, Debug)]
pub struct Animation {
    /// The retina.
    pub space: Space,
    /// The orbit, crisp and honest.
    pub orbit: Orbit,
    /// The map the permutation induces on pixels, positions and kernels.
    pub map: InducedMap,
    /// `‖enc(g·s) − π·enc(s)‖ / ‖enc(s)‖` over [`EQUIVARIANCE_STIMULI`] stimuli of the
    /// generator, `g` the induced pixel map (NaN when it cannot be measured).
    pub equivariance: f64,
}

impl AnimationRequest {
    /// Computes the induced map, the decoder, the orbit and the equivariance error.
    pub fn compute(&self) -> Result<Animation, TransformError> {
        let space = self.config.space;
        let map = InducedMap::new(space, &self.fields, &self.labels, &self.pi)?;
        let decoder = Decoder::for_space(space, &self.fields)?;
        let orbit = orbit::orbit(
            &self.config,
            &self.fields,
            &self.pi,
            &map,
            &decoder,
            &self.pattern,
            self.frames,
        )?;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(self.config.seed ^ 0x6571_7569);
        let stimuli: Vec<Vec<f32>> = (0..EQUIVARIANCE_STIMULI)
            .filter_map(|_| stimulus::sample_config(&self.config.stimulus, space, &mut rng).ok())
            .collect();
        let equivariance = equivariance::equivariance_error_with(
            &self.config,
            &self.fields,
            &self.pi,
            |s| map.apply(s),
            &stimuli,
        )
        .unwrap_or(f64::NAN);
        Ok(Animation {
            space,
            orbit,
            map,
            equivariance,
        })
    }
}

/// Sample number `sample` of the experiment's stimulus generator, seeded from the
/// experiment's seed (the same sample every time; `None` if the generator fails, e.g.
/// an empty data folder).
pub fn sample_pattern(config: &SimConfig, sample: u64) -> Option<Vec<f32>> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(config.seed ^ 0x616e_696d ^ sample);
    stimulus::sample_config(&config.stimulus, config.space, &mut rng).ok()
}

/// What became of the MP4 next to the exported files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VideoOutcome {
    /// `ffmpeg` is not on the PATH: only the GIF and the PNG frames exist.
    NoEncoder,
    /// `orbit.mp4` was written.
    Written,
    /// Rendering or encoding the video failed.
    Failed(String),
}

/// The files an [`Animation::export`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnimationExport {
    /// The PNG frames, GIF and `.npy`.
    pub files: ExportSummary,
    /// The MP4.
    pub video: VideoOutcome,
}

impl AnimationExport {
    /// One sentence for the status line: what was written to `dir`.
    pub fn message(&self, dir: &Path) -> String {
        let video = match &self.video {
            VideoOutcome::NoEncoder => {
                "; no MP4 (ffmpeg is not on the PATH: only GIF and PNG are available)".into()
            }
            VideoOutcome::Written => " and orbit.mp4".into(),
            VideoOutcome::Failed(e) => format!("; the MP4 failed: {e}"),
        };
        format!(
            "Exported {} frames, orbit.gif and orbit.npy to {}{video}",
            self.files.frames.len(),
            dir.display(),
        )
    }
}

impl Animation {
    /// The polar view's third panel: the full-resolution `photo` turned by the found
    /// rotation, when the retina is polar and the map is identified as an exact rotation.
    pub fn turned_photo(&self, photo: &image::GrayImage) -> Option<TurnedPhoto> {
        let grid = PolarGrid::of(self.space)?;
        let (_, steps) = identified_rotation(self.space, &self.map)?;
        Some(turned_photo(&grid, photo, steps))
    }

    /// Writes the PNG frames, `orbit.gif` and `orbit.npy` into `dir`, and `orbit.mp4`
    /// when `ffmpeg` is on the PATH (a failed video does not fail the export).
    pub fn export(
        &self,
        dir: &Path,
        options: &ExportOptions,
        turned: Option<&TurnedPhoto>,
    ) -> Result<AnimationExport, ExportError> {
        let files = export::write_orbit_with(dir, self.space, &self.orbit, options, turned)?;
        let video = if video::find_ffmpeg().is_none() {
            VideoOutcome::NoEncoder
        } else {
            let written = export::render_frames_with(self.space, &self.orbit, options, turned)
                .map_err(|e| e.to_string())
                .and_then(|frames| {
                    video::write_mp4(&dir.join("orbit.mp4"), &frames, options.frame_ms)
                        .map_err(|e| e.to_string())
                });
            match written {
                Ok(()) => VideoOutcome::Written,
                Err(e) => VideoOutcome::Failed(e),
            }
        };
        Ok(AnimationExport { files, video })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transform::induced_map::tests::ring_bank;
    use crate::transform::orbit::tests::ring_config;

    fn request(frames: usize) -> AnimationRequest {
        let n = 20;
        let (fields, labels, shift) = ring_bank(n, 4, 4);
        let config = ring_config(n);
        let pattern = sample_pattern(&config, 0).expect("bumps need no data folder");
        AnimationRequest {
            config,
            fields,
            labels,
            pi: shift,
            pattern,
            frames,
        }
    }

    #[test]
    fn a_planted_shift_is_animated_as_the_shift_with_no_equivariance_error() {
        let animation = request(4).compute().unwrap();
        assert_eq!(animation.orbit.len(), 4);
        assert_eq!(
            animation.map.description(animation.space),
            Some(
                animation
                    .space
                    .describe(crate::model::Transformation::Shift { k: 1 })
            )
        );
        assert!(
            animation.equivariance < 1e-3,
            "equivariance error {}",
            animation.equivariance
        );
        // A ring has no photo panel.
        assert!(
            animation
                .turned_photo(&image::GrayImage::new(8, 8))
                .is_none()
        );
    }

    #[test]
    fn samples_are_reproducible_and_differ_by_number() {
        let config = ring_config(20);
        assert_eq!(sample_pattern(&config, 3), sample_pattern(&config, 3));
        assert_ne!(sample_pattern(&config, 3), sample_pattern(&config, 4));
    }

    #[test]
    fn the_export_writes_every_frame_and_says_so() {
        let animation = request(3).compute().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let written = animation
            .export(dir.path(), &ExportOptions::default(), None)
            .unwrap();
        assert_eq!(written.files.frames.len(), 3);
        assert!(written.files.gif.is_file() && written.files.npy.is_file());
        let message = written.message(dir.path());
        assert!(message.starts_with("Exported 3 frames"), "{message}");
        match written.video {
            VideoOutcome::Written => assert!(dir.path().join("orbit.mp4").is_file()),
            VideoOutcome::NoEncoder => assert!(message.contains("no MP4")),
            VideoOutcome::Failed(_) => assert!(message.contains("the MP4 failed")),
        }
    }
}
