//! The configuration room: the plain, serialisable parameters of a simulation (this
//! file — the vocabulary every other room of the model speaks), their validation
//! ([`validate`]), the presets ([`presets`]) and `--set key=value` patches ([`patch`]).
//!
//! Every front (GUI, CLI, file loading) validates through [`SimConfig::check`],
//! which returns a [`ConfigError`] naming the offending field.

pub mod patch;
pub mod presets;
mod presets_learned;
pub mod validate;

use serde::{Deserialize, Serialize};

/// The retina: which pixels exist and which pixel permutations are exact symmetries (SPEC §2).
///
/// Not `Eq`: the log-polar retina's radii are real numbers.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Space {
    /// `n` pixels on a circle; exact group: shifts (and reflections for symmetric stimuli).
    Ring {
        /// Number of pixels.
        n: usize,
    },
    /// `side × side` pixels with periodic boundary; exact group: translations, 90° rotations, reflections.
    Torus {
        /// Pixels per side.
        side: usize,
    },
    /// `side × side` pixels with open boundary; exact group: D4 about the centre.
    Square {
        /// Pixels per side.
        side: usize,
    },
    /// A foveated log-polar retina (`crate::model::world::polar`): pixel `(ring k, sector j)`
    /// samples the image at radius `r_min · q^k`, `q = (r_max/r_min)^(1/(rings−1))`, and
    /// angle `2πj/sectors` about the centre; index `k · sectors + j`. Exact group: sector
    /// shifts (rotations by `360°/sectors`) and, for mirror-symmetric stimuli, the
    /// reflection `θ ↦ −θ`; zoom by `q` (a shift along the rings) is only approximate.
    Polar {
        /// Number of rings (radii), at least 2.
        rings: usize,
        /// Number of sectors (angles), at least 3.
        sectors: usize,
        /// Radius of the innermost ring, in image units (photo pixels at scale 1).
        r_min: f32,
        /// Radius of the outermost ring, in the same units; larger than `r_min`.
        r_max: f32,
    },
    /// `n` samples of an open 1-D axis, e.g. a log-frequency axis (`crate::model::detectors::line_space`).
    /// No exact symmetry: a shift by `k` is a translation on the interior only. As a pixel
    /// permutation, `Shift { k }` is the cyclic shift `x ↦ x + k (mod n)`, which agrees
    /// with the translation everywhere except on the `|k|` samples that wrap around.
    Line {
        /// Number of samples (bins).
        n: usize,
    },
}

/// A named exact transformation of a space (a pixel permutation), used as ground truth.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Transformation {
    /// Identity.
    Identity,
    /// Ring: pixel `x ↦ x + k (mod n)`.
    Shift {
        /// Shift in pixels.
        k: i64,
    },
    /// Torus: `(x, y) ↦ (x + dx, y + dy)` periodically.
    Translate {
        /// Shift along x (columns).
        dx: i64,
        /// Shift along y (rows).
        dy: i64,
    },
    /// Torus or Square: rotation by `90° · quarter_turns` counter-clockwise about the centre.
    Rotate {
        /// Number of quarter turns, 0..4.
        quarter_turns: u8,
    },
    /// Reflection: Ring `x ↦ −x`; 2-D: mirror across the vertical axis (`x ↦ side−1−x`),
    /// composed with a rotation by `90° · quarter_turns` afterwards.
    Reflect {
        /// Quarter turns applied after the mirror, 0..4.
        quarter_turns: u8,
    },
    /// General element of a space's group: first the point map (mirror `x ↦ side−1−x`
    /// if `reflect`; then `quarter_turns` counter-clockwise quarter turns about the
    /// centre), then the periodic translation by `(dx, dy)`. On a ring: `x ↦ ±x + dx`
    /// (`dy = 0`, `quarter_turns = 0`). Used for the composites that the simple variants
    /// cannot name (e.g. a translation after a rotation on the torus).
    Rigid {
        /// Mirror first.
        reflect: bool,
        /// Quarter turns after the mirror, 0..4.
        quarter_turns: u8,
        /// Translation along x applied last.
        dx: i64,
        /// Translation along y applied last.
        dy: i64,
    },
}

/// One-dimensional and two-dimensional stimulus generators (SPEC §3).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StimulusKind {
    /// Ring: 1..=`max_bumps` Gaussian bumps, random centre, width in `width`, amplitude in `amplitude`.
    Bumps {
        /// Maximum number of bumps per stimulus (at least 1).
        max_bumps: usize,
        /// Range of the Gaussian standard deviation, in pixels.
        width: (f32, f32),
        /// Range of the amplitude.
        amplitude: (f32, f32),
    },
    /// Ring: binary runs of random length (`length` range) at random positions.
    Bars {
        /// Maximum number of runs per stimulus.
        max_bars: usize,
        /// Range of run lengths in pixels.
        length: (usize, usize),
    },
    /// Ring: white noise filtered by a periodic Gaussian of length `length` pixels, unit variance.
    SmoothNoise {
        /// Correlation length ℓ in pixels.
        length: f32,
    },
    /// Ring: `erf(gain·g)/Z` of a smooth unit-variance Gaussian field `g` (Ingrosso & Goldt 2022).
    NonGaussian {
        /// Correlation length of `g` in pixels.
        length: f32,
        /// Gain; large gain gives nearly binary, sharp-edged patterns.
        gain: f32,
    },
    /// 2-D: 1..=`max_blobs` anisotropic Gaussian blobs, random position and orientation.
    Blobs {
        /// Maximum number of blobs.
        max_blobs: usize,
        /// Range of the long-axis standard deviation, in pixels.
        width: (f32, f32),
        /// Ratio short/long axis, in (0, 1].
        aspect: f32,
    },
    /// 2-D: anti-aliased line segments, random position, orientation and length.
    Edges {
        /// Maximum number of segments.
        max_edges: usize,
        /// Range of segment lengths in pixels.
        length: (f32, f32),
        /// Line half-width in pixels.
        thickness: f32,
    },
    /// 2-D: patches of the bundled natural images with random 90° rotation and flip.
    ImagePatches,
    /// Polar retina: a disc of a bundled photo turned by a uniformly random continuous
    /// angle about the retina's centre and scaled by a log-uniform factor, then sampled
    /// (`crate::model::world::polar_stimulus`).
    RotatedPhotos {
        /// Range of the scale factor (photo pixels per retina unit); `(1, 1)` for none.
        /// The two ends must differ for the zoom to be an approximate invariance.
        scale: (f32, f32),
        /// Mirror the photo (`θ ↦ −θ`) with probability ½, making the distribution
        /// invariant under reflections as well as rotations.
        mirror: bool,
    },
    /// Line (log-frequency axis): log-frequency spectra of harmonic tones synthesised in
    /// the crate (`crate::model::world::audio`), or of excerpts of the user's WAV files when
    /// [`StimulusConfig::data_dir`] is set. Bin `k` is centred at
    /// `f_min · 2^(k / bins_per_octave)` Hz, so a pitch change is a shift along the line.
    Sound {
        /// Bins per octave (12 = semitones).
        bins_per_octave: usize,
        /// Centre frequency of bin 0, in Hz.
        f_min: f32,
        /// Largest number of harmonics of a tone; each tone has `1..=max_harmonics`.
        max_harmonics: usize,
        /// Level of the pink noise added to every tone, relative to its fundamental
        /// (0 = none). Pink noise has equal power per octave, so it is as invariant
        /// under a pitch shift as the tones are.
        noise: f32,
        /// Largest vibrato depth in cents (0 = none); each tone draws its depth in
        /// `[0, vibrato_cents]`.
        vibrato_cents: f32,
    },
}

/// Stimulus generator plus optional sequence wrapping.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StimulusConfig {
    /// The base generator.
    pub kind: StimulusKind,
    /// If set, stimuli come as sequences: each base stimulus is transformed step by step by
    /// this transformation (the `Sequence` wrapper); required by the `Temporal` rule.
    pub sequence: Option<Transformation>,
    /// A folder of the user's own files that replaces the built-in source: photos
    /// (PNG/JPEG) for `image_patches` and `rotated_photos`, WAV files for `sound`
    /// (`crate::model::world::data_dir`). Stored in experiment files, so a saved run reloads
    /// from the same folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<std::path::PathBuf>,
}

/// Receptive-field kernel families of a tiled bank.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KernelFamily {
    /// Seeded random kernels (zero-mean, unit-norm).
    Random,
    /// Gabor-like kernels at several orientations / phases.
    Gabor,
    /// Derivatives of Gaussians (first and second order).
    DerivativeOfGaussian,
}

/// Detector banks (SPEC §4).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BankConfig {
    /// `kernels` kernels of `size` pixels (side on 2-D) copied to every `stride`-th position;
    /// on 2-D spaces also to all four 90° rotations of each kernel.
    Tiled {
        /// Number of distinct base kernels.
        kernels: usize,
        /// Kernel length (1-D) or side (2-D) in pixels.
        size: usize,
        /// Distance between neighbouring positions in pixels.
        stride: usize,
        /// Kernel family.
        family: KernelFamily,
    },
    /// `count` random local fields of `size` pixels at random positions.
    Random {
        /// Number of detectors.
        count: usize,
        /// Field length (1-D) or side (2-D) in pixels.
        size: usize,
    },
    /// Fields learned from the stimuli by a Hebbian ICA rule during the first
    /// `field_steps` steps (`crate::model::detectors::learned_bank`); each of the `filters` learned
    /// filters is read out by an ON and an OFF detector (`M = 2 · filters`) or by one
    /// detector of a fixed orientation (`M = filters`). With `kernel_size`, the filters
    /// are kernels shared by every position (`crate::model::detectors::learned_conv`): `M` is then
    /// `positions · filters` (× 2 with ON and OFF).
    Learned {
        /// Number of learned filters; more than the whitened dimensions make an
        /// overcomplete tight frame.
        filters: usize,
        /// ON and OFF detector per filter; otherwise one, its sign chosen so the field
        /// rises from left to right.
        on_off: bool,
        /// Steps (batches) of the field phase; the recurrent graph learns afterwards.
        field_steps: u64,
        /// Initial learning rate `η₀` of the rule (decaying as `η₀ / (1 + 4t/field_steps)`).
        rate: f32,
        /// `None`: each filter is a field over the whole retina. `Some(p)`: weight
        /// sharing — each filter is a kernel of `p` taps (`p × p` pixels in 2-D), learned
        /// from windows of that size at random positions and copied to every position.
        #[serde(default)]
        kernel_size: Option<usize>,
    },
}

/// Pointwise non-linearity `φ` of a detector.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    /// `max(0, x)`.
    Relu,
    /// `1` if `x > 0`, else `0`.
    Binary,
    /// `1 / (1 + e^{−x})`.
    Sigmoid,
}

/// Hebbian learning rules (SPEC §5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LearningRule {
    /// `W ← (1−λ)W + (η/B)·AᵀA`.
    Hebb,
    /// Same with `A − μ` (μ running mean of activities).
    Covariance,
    /// `ΔW_ij = η·a_i(a_j − a_i W_ij)`, batch-averaged.
    Oja,
    /// `W ← (1−λ)W + (η/B)·A(t)ᵀA(t−1)` on sequences.
    Temporal,
}

/// Everything needed to build and run a simulation, serialised into experiment files.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimConfig {
    /// The retina.
    pub space: Space,
    /// The world.
    pub stimulus: StimulusConfig,
    /// The detectors.
    pub bank: BankConfig,
    /// Detector non-linearity.
    pub activation: Activation,
    /// Threshold `θ` subtracted before the non-linearity.
    pub threshold: f32,
    /// k-winners-take-all: keep only the `k` largest activities per stimulus.
    pub k_winners: Option<usize>,
    /// Learning rule.
    pub rule: LearningRule,
    /// Learning rate `η`.
    pub learning_rate: f32,
    /// Weight decay `λ` per step, in `[0, 1)`.
    pub decay: f32,
    /// Stimuli per step `B ≥ 1`.
    pub batch: usize,
    /// Master seed: bank, hidden order, and (with the step index) every stimulus.
    pub seed: u64,
    /// The true transformation whose symmetry error `e_g` is tracked.
    pub true_transformation: Transformation,
}

/// A parameter that is out of range or inconsistent; the message names the field.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConfigError {
    /// A single field is out of range.
    #[error("invalid `{field}`: {reason}")]
    Invalid {
        /// Field name as in the file / CLI.
        field: &'static str,
        /// Human-readable reason, including the allowed range.
        reason: String,
    },
    /// Two fields do not fit together.
    #[error("inconsistent parameters: {0}")]
    Inconsistent(String),
}

impl ConfigError {
    /// [`ConfigError::Invalid`] for `field`, with the reason it is out of range.
    pub fn invalid(field: &'static str, reason: String) -> Self {
        Self::Invalid { field, reason }
    }
}

/// Label of one detector, used only for scoring and display — never by the search.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct NeuronLabel {
    /// Receptive-field centre in pixel coordinates `(x, y)` (`y = 0` on a ring).
    pub centre: (f32, f32),
    /// Tiled: index of the anchor pixel; Random: nearest pixel to the centroid.
    pub position: usize,
    /// Tiled: base kernel index; Random: `None`.
    pub kernel: Option<usize>,
    /// Tiled 2-D: number of quarter turns applied to the base kernel; otherwise 0.
    pub rotation: u8,
}
