//! The ready-made experiments of SPEC §8. Every preset uses decay λ = 0, so the
//! symmetry error of the true transformation keeps falling like `1/√stimuli`, and a
//! fixed seed, so its result is reproducible.

use crate::model::config::{
    Activation, BankConfig, KernelFamily, LearningRule, SimConfig, Space, StimulusConfig,
    StimulusKind, Transformation,
};

/// A named, ready-to-run configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct Preset {
    /// Short name used on the command line (`--preset NAME`).
    pub name: &'static str,
    /// One line: what the preset shows.
    pub description: &'static str,
    /// The configuration.
    pub config: SimConfig,
    /// Training length (steps) after which the true transformation is clearly an
    /// approximate automorphism of the learned graph.
    pub default_steps: u64,
}

fn ring_bumps() -> StimulusKind {
    StimulusKind::Bumps {
        max_bumps: 2,
        width: (1.5, 4.0),
        amplitude: (0.5, 1.5),
    }
}

fn ring_tiled() -> BankConfig {
    BankConfig::Tiled {
        kernels: 4,
        size: 9,
        stride: 1,
        family: KernelFamily::Random,
    }
}

fn base(space: Space, kind: StimulusKind, bank: BankConfig, t: Transformation) -> SimConfig {
    SimConfig {
        space,
        stimulus: StimulusConfig {
            kind,
            sequence: None,
            data_dir: None,
        },
        bank,
        activation: Activation::Relu,
        threshold: 0.0,
        k_winners: None,
        rule: LearningRule::Hebb,
        learning_rate: 0.01,
        decay: 0.0,
        batch: 50,
        seed: 1,
        true_transformation: t,
    }
}

/// All presets, in the order of SPEC §8.
pub fn all() -> Vec<Preset> {
    let ring = Space::Ring { n: 64 };
    let shift = Transformation::Shift { k: 1 };
    let quarter = Transformation::Rotate { quarter_turns: 1 };

    let ring_shift = base(ring, ring_bumps(), ring_tiled(), shift);

    let mut ring_random = base(
        ring,
        StimulusKind::SmoothNoise { length: 3.0 },
        BankConfig::Random {
            count: 256,
            size: 9,
        },
        shift,
    );
    ring_random.seed = 2;

    let mut torus = base(
        Space::Torus { side: 16 },
        StimulusKind::Blobs {
            max_blobs: 2,
            width: (1.5, 3.0),
            aspect: 0.5,
        },
        BankConfig::Tiled {
            kernels: 2,
            size: 5,
            stride: 1,
            family: KernelFamily::Gabor,
        },
        Transformation::Translate { dx: 1, dy: 0 },
    );
    torus.batch = 64;
    torus.seed = 3;

    let mut square = base(
        Space::Square { side: 16 },
        StimulusKind::Edges {
            max_edges: 2,
            length: (4.0, 12.0),
            thickness: 0.75,
        },
        BankConfig::Tiled {
            kernels: 2,
            size: 4,
            stride: 2,
            family: KernelFamily::DerivativeOfGaussian,
        },
        quarter,
    );
    square.batch = 100;
    square.seed = 4;

    let mut image = base(
        Space::Square { side: 24 },
        StimulusKind::ImagePatches,
        BankConfig::Tiled {
            kernels: 2,
            size: 6,
            stride: 3,
            family: KernelFamily::Gabor,
        },
        quarter,
    );
    image.batch = 100;
    image.seed = 5;

    let (polar_rotate, polar_zoom) = polar_presets();
    let ring_learned = ring_learned();

    let mut temporal = base(ring, ring_bumps(), ring_tiled(), shift);
    temporal.stimulus.sequence = Some(shift);
    temporal.rule = LearningRule::Temporal;
    temporal.seed = 6;

    vec![
        Preset {
            name: "ring-shift",
            description: "Ring 64, tiled bank (4 random kernels × 64 positions), Gaussian bumps: \
                          recovers all 64 shifts",
            config: ring_shift,
            default_steps: 100,
        },
        Preset {
            name: "ring-random",
            description: "Ring 64, 256 random local fields, smooth noise: the unit shift is only \
                          an approximate automorphism",
            config: ring_random,
            default_steps: 100,
        },
        Preset {
            name: "torus-translate",
            description: "Torus 16×16, 2 Gabor kernels × 4 rotations × 256 positions (M = 2048), \
                          oriented blobs: the two unit translations",
            config: torus,
            default_steps: 100,
        },
        Preset {
            name: "square-rotate",
            description: "Square 16×16, oriented edge detectors × 4 rotations, line segments: \
                          rotation by 90°",
            config: square,
            default_steps: 300,
        },
        Preset {
            name: "image-rotate",
            description: "Square 24×24, tiled Gabor bank, patches of natural images with random \
                          90° turns and flips: rotation by 90°",
            config: image,
            default_steps: 1500,
        },
        Preset {
            name: "ring-temporal",
            description: "Ring 64, tiled bank, bumps moving one pixel per frame, temporal rule: \
                          the shift and its direction",
            config: temporal,
            default_steps: 100,
        },
        Preset {
            name: "polar-rotate",
            description: "Log-polar retina 16 rings × 48 sectors, tiled Gabor bank (M = 1344), \
                          photos turned by random continuous angles and mirrored: rotation by \
                          7.5° (the unit sector shift) and the reflection",
            config: polar_rotate,
            default_steps: POLAR_ROTATE_STEPS,
        },
        Preset {
            name: "polar-zoom",
            description: "Log-polar retina 12 rings × 48 sectors, tiled bank (M = 864), photos at random \
                          angles and log-uniform scales: rotation by 7.5° and, approximately, \
                          the zoom by one ring",
            config: polar_zoom,
            default_steps: POLAR_ZOOM_STEPS,
        },
        Preset {
            name: "audio-pitch",
            description: "Log-frequency axis, 48 semitone bins from 110 Hz, tiled bank (M = 184), \
                          spectra of harmonic tones (or your WAV files): the one-bin pitch \
                          shift over the interior",
            config: crate::model::world::audio::preset::audio_pitch(),
            default_steps: crate::model::world::audio::preset::STEPS,
        },
        Preset {
            name: "ring-learned",
            description: "Ring 64, non-Gaussian fields, 64 filters learned by a Hebbian ICA rule \
                          (ON and OFF detectors, M = 128), then the graph: the unit shift, \
                          approximately",
            config: ring_learned,
            default_steps: RING_LEARNED_FIELD_STEPS + RING_LEARNED_GRAPH_STEPS,
        },
        Preset {
            name: "torus-learned",
            description: "Torus 16×16, photo patches at random positions; 8 kernels of 8×8 \
                          learned by the Hebbian ICA rule and shared by all 256 positions \
                          (M = 2048), then the graph: the two unit translations",
            config: super::presets_learned::torus_learned_config(),
            default_steps: super::presets_learned::FIELD_STEPS
                + super::presets_learned::GRAPH_STEPS,
        },
        Preset {
            name: "torus-large",
            description: "Torus 32×32, 4 Gabor kernels × 4 rotations × 1024 positions \
                          (M = 16,384, W is 1 GiB), oriented blobs: the two unit translations \
                          at brain-like scale",
            config: torus_large(),
            default_steps: TORUS_LARGE_STEPS,
        },
    ]
}

/// Default training of `torus-large` (steps of 64 stimuli): 38,400 stimuli, so that each
/// of the 1,024 positions sees about as many blobs as `torus-translate`'s 256 positions
/// see in 150 steps. After 150 steps the graph was too noisy for the search (`e_g` 0.103
/// against a random 1.233; its growths went wrong everywhere); after 600, `e_g` is 0.052
/// against 1.232, and the search finds translate (0, +1) exactly and its group C₃₂ (not yet
/// the other unit translation; docs/presets.md has the diagnosis).
const TORUS_LARGE_STEPS: u64 = 600;

/// `torus-large`: `torus-translate` at 16 times the neurons — a 32 × 32
/// retina, every position carrying 16 oriented Gabor detectors. A small threshold keeps
/// each stimulus's activity to the detectors near its blobs (about a tenth of the
/// layer), so most steps take the sparse path and the graph shows the local structure.
fn torus_large() -> SimConfig {
    let mut c = base(
        Space::Torus { side: 32 },
        StimulusKind::Blobs {
            max_blobs: 3,
            width: (1.5, 3.0),
            aspect: 0.5,
        },
        BankConfig::Tiled {
            kernels: 4,
            size: 7,
            stride: 1,
            family: KernelFamily::Gabor,
        },
        Transformation::Translate { dx: 1, dy: 0 },
    );
    c.threshold = 0.05;
    c.batch = 64;
    c.seed = 21;
    c
}

/// Default training of `polar-rotate` (steps of 100 stimuli).
const POLAR_ROTATE_STEPS: u64 = 400;

/// Default training of `polar-zoom` (steps of 100 stimuli).
const POLAR_ZOOM_STEPS: u64 = 400;

/// The two log-polar presets. The ring ratio `q` is close to `e^{2π/48}`,
/// so a sample cell is about as wide as it is deep and the kernels see the same
/// geometry at every ring. The innermost ring's samples are at least 0.65 photo pixels
/// apart: with `r_min = 2` they were 0.26 apart, the fovea saw one blurred photo pixel,
/// its detectors were interchangeable and the search scrambled them (consistency 0.79).
fn polar_presets() -> (SimConfig, SimConfig) {
    let unit_turn = Transformation::Shift { k: 1 };
    let mut rotate = base(
        Space::Polar {
            rings: 16,
            sectors: 48,
            r_min: 5.0,
            r_max: 35.7,
        },
        StimulusKind::RotatedPhotos {
            scale: (1.0, 1.0),
            mirror: true,
        },
        BankConfig::Tiled {
            kernels: 2,
            size: 4,
            stride: 2,
            family: KernelFamily::Gabor,
        },
        unit_turn,
    );
    rotate.batch = 100;
    rotate.seed = 7;
    let mut zoom = base(
        Space::Polar {
            rings: 12,
            sectors: 48,
            r_min: 5.0,
            r_max: 21.2,
        },
        StimulusKind::RotatedPhotos {
            scale: (1.0, 1.8),
            mirror: true,
        },
        // A random kernel: the odd Gabor's mirror image is its negative, so a bank of it
        // and its mirror copies also has the approximate contrast-inversion symmetry
        // `f ↔ −f`, which commutes with the rotations and hid the reflections (the search
        // found C_2 × C_48 instead of D_48).
        BankConfig::Tiled {
            kernels: 1,
            size: 4,
            stride: 1,
            family: KernelFamily::Random,
        },
        unit_turn,
    );
    zoom.batch = 100;
    zoom.seed = 8;
    (rotate, zoom)
}

/// Field-learning steps of `ring-learned` (batches of 50 stimuli).
const RING_LEARNED_FIELD_STEPS: u64 = 1_500;

/// Graph-learning steps of `ring-learned` after the field phase.
const RING_LEARNED_GRAPH_STEPS: u64 = 2_000;

/// `ring-learned`: the non-Gaussian world of Ingrosso & Goldt (2022), whose
/// sharp, sparse edges give the ICA rule localised edge detectors; 64 filters (one per
/// pixel) learned first, then the recurrent graph.
fn ring_learned() -> SimConfig {
    let mut c = base(
        Space::Ring { n: 64 },
        StimulusKind::NonGaussian {
            length: 3.0,
            gain: 3.0,
        },
        BankConfig::Learned {
            filters: 64,
            on_off: true,
            field_steps: RING_LEARNED_FIELD_STEPS,
            rate: 0.2,
            kernel_size: None,
        },
        Transformation::Shift { k: 1 },
    );
    // A small threshold silences the weak responses every detector's tails give to
    // every stimulus, so the graph records which edges occur together rather than a
    // near-uniform background: e_g / baseline is about the same (0.195 against 0.186 at
    // θ = 0), but at θ = 0 the search finds only half of the world's group D_64 × C_2
    // (order 128 instead of 256).
    c.threshold = 0.1;
    c.seed = 9;
    c
}

/// The preset called `name`, if any.
pub fn by_name(name: &str) -> Option<Preset> {
    all().into_iter().find(|p| p.name == name)
}

/// The names of all presets (for error messages and help texts).
pub fn names() -> Vec<&'static str> {
    all().iter().map(|p| p.name).collect()
}
