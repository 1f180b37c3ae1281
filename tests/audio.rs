//! The sound world against ground truth: spectra of pure tones, the shift that a pitch
//! change makes, synthesis reproducibility, and the `audio-pitch` preset's targets.

use invariance_lab::cancel::CancelToken;
use invariance_lab::graph::WeightedGraph;
use invariance_lab::model::config::{Space, StimulusKind, Transformation};
use invariance_lab::model::world::audio::synth::{self, Tone, ToneParams};
use invariance_lab::model::world::audio::{
    FRAME_LEN, LogFreqAxis, SAMPLE_RATE_HZ, filter_bank, harmonics,
};
use invariance_lab::model::world::stimulus;
use invariance_lab::model::{Simulation, presets};
use invariance_lab::search::{SearchOptions, scoring, search};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn axis() -> LogFreqAxis {
    LogFreqAxis {
        bins: 48,
        bins_per_octave: 12,
        f_min: 110.0,
    }
}

fn cosine(f_hz: f64) -> Vec<f32> {
    (0..FRAME_LEN)
        .map(|n| (std::f64::consts::TAU * f_hz * n as f64 / SAMPLE_RATE_HZ).cos() as f32)
        .collect()
}

#[test]
fn a_pure_tone_peaks_at_its_bin_with_unit_energy() {
    let bank = filter_bank(axis()).unwrap();
    for k in [0usize, 5, 12, 24, 33, 47] {
        let f = axis().centre_hz(k as f64);
        let e = bank.bin_energies(&bank.power(&cosine(f)));
        let peak = (0..e.len()).max_by(|&a, &b| e[a].total_cmp(&e[b])).unwrap();
        assert_eq!(peak, k, "{f:.1} Hz peaks at bin {peak}");
        assert!((e[k] - 1.0).abs() < 1e-3, "energy {} at its own bin", e[k]);
        // Two bins away, the triangle is zero: only the window's leakage remains.
        for j in [k.wrapping_sub(2), k + 2] {
            if j < e.len() {
                assert!(e[j] < 0.02, "bin {j} catches {} of a tone at bin {k}", e[j]);
            }
        }
    }
    // Halfway between two centres, both filters see the tone equally.
    let f = axis().centre_hz(20.5);
    let e = bank.bin_energies(&bank.power(&cosine(f)));
    assert!(
        (e[20] - e[21]).abs() < 0.02 * e[20],
        "{} vs {}",
        e[20],
        e[21]
    );
}

/// The largest difference between the spectrum of a tone one bin higher and the spectrum
/// of the tone moved by one bin, over bins `from..47`.
fn shift_error(tone: &Tone, from: usize) -> f64 {
    let bank = filter_bank(axis()).unwrap();
    let step = (1.0f64 / 12.0).exp2();
    let higher = Tone {
        f0_hz: tone.f0_hz * step,
        ..tone.clone()
    };
    let low = bank.spectrum(&synth::render(tone));
    let high = bank.spectrum(&synth::render(&higher));
    (from..47)
        .map(|k| f64::from((high[k + 1] - low[k]).abs()))
        .fold(0.0, f64::max)
}

#[test]
fn a_tone_one_bin_higher_is_the_spectrum_moved_by_one_bin() {
    // A harmonic tone with 6 partials, no vibrato: 110·2^(3.3/12) Hz, partials up to
    // about 800 Hz. Values are ln(1 + E/0.001), up to about 7.
    let tone = Tone {
        f0_hz: 110.0 * (3.3f64 / 12.0).exp2(),
        amplitudes: vec![1.0, 0.6, 0.4, 0.3, 0.25, 0.2],
        phases: vec![0.0, 1.0, 2.0, 0.5, 1.5, 2.5],
        vibrato_cents: 0.0,
        vibrato_rate_hz: 5.0,
        vibrato_phase: 0.0,
    };
    // The FFT's resolution (0.98 Hz) is a larger part of a bin at the bottom of the axis
    // (a bin is 6.5 Hz wide at 110 Hz, 104 Hz at 1760 Hz), so the tolerance is looser there.
    let low = shift_error(&tone, 0);
    let high = shift_error(&tone, 12);
    assert!(low < 0.35, "max difference from bin 0: {low}");
    assert!(high < 0.1, "max difference from bin 12: {high}");
    // A shift by two bins is not the same spectrum: the test can fail.
    let bank = filter_bank(axis()).unwrap();
    let a = bank.spectrum(&synth::render(&tone));
    let far = (12..46)
        .map(|k| (a[k + 2] - a[k]).abs())
        .fold(0.0f32, f32::max);
    assert!(far > 1.0, "a two-bin shift differs by only {far}");
}

#[test]
fn sound_stimuli_are_reproducible_and_sit_on_a_line() {
    let preset = presets::by_name("audio-pitch").unwrap();
    let cfg = preset.config;
    let draw = |seed| {
        stimulus::sample_config(
            &cfg.stimulus,
            cfg.space,
            &mut ChaCha8Rng::seed_from_u64(seed),
        )
        .unwrap()
    };
    assert_eq!(draw(3), draw(3));
    assert_ne!(draw(3), draw(4));
    assert_eq!(draw(3).len(), 48);
    assert!(draw(5).iter().all(|v| v.is_finite() && *v >= 0.0));
    // Sound needs a line, and a line takes nothing else.
    assert!(stimulus::validate(&cfg.stimulus.kind, Space::Ring { n: 48 }).is_err());
    let bumps = StimulusKind::Bumps {
        max_bumps: 1,
        width: (1.0, 2.0),
        amplitude: (1.0, 1.0),
    };
    assert!(stimulus::validate(&bumps, Space::Line { n: 48 }).is_err());
    // The axis must stay below the Nyquist frequency of the 8 kHz analysis.
    assert!(stimulus::validate(&cfg.stimulus.kind, Space::Line { n: 72 }).is_err());
}

/// The straightforward sequential synthesis `synth::render` replaced (one loop: the
/// harmonic sum at the current phase, then the vibrato ratio and the phase step).
fn render_reference(tone: &Tone) -> Vec<f32> {
    use realfft::num_complex::Complex;
    let nyquist = SAMPLE_RATE_HZ / 2.0;
    let top = tone.f0_hz * (tone.vibrato_cents / 1200.0).exp2();
    let audible = tone
        .amplitudes
        .iter()
        .enumerate()
        .take_while(|(i, _)| (*i as f64 + 1.0) * top < 0.95 * nyquist)
        .count();
    let coeffs: Vec<Complex<f64>> = tone.amplitudes[..audible]
        .iter()
        .zip(&tone.phases)
        .map(|(&a, &p)| Complex::from_polar(a, p))
        .collect();
    let dt = 1.0 / SAMPLE_RATE_HZ;
    let mut phase = 0.0f64;
    let mut out = Vec::with_capacity(FRAME_LEN);
    for n in 0..FRAME_LEN {
        let t = n as f64 * dt;
        let (s, c) = phase.sin_cos();
        let z = Complex::new(c, s);
        let mut zh = z;
        let mut sum = 0.0;
        for coeff in &coeffs {
            sum += (coeff * zh).re;
            zh *= z;
        }
        out.push(sum as f32);
        let ratio = (tone.vibrato_cents / 1200.0
            * (std::f64::consts::TAU * tone.vibrato_rate_hz * t + tone.vibrato_phase).sin())
        .exp2();
        phase = (phase + std::f64::consts::TAU * tone.f0_hz * ratio * dt)
            .rem_euclid(std::f64::consts::TAU);
    }
    out
}

/// The chunked, parallel synthesis gives bit for bit the sequential loop's waveform, for
/// tones with and without vibrato, up to 32 harmonics and fundamentals over the whole
/// range (high ones wrap the phase every sample or two).
#[test]
fn parallel_synthesis_is_bit_identical_to_the_sequential_loop() {
    let mut rng = ChaCha8Rng::seed_from_u64(14);
    for (k, vibrato) in [0.0f32, 20.0, 1200.0]
        .into_iter()
        .cycle()
        .take(24)
        .enumerate()
    {
        let params = ToneParams {
            max_harmonics: 1 + (k * 7) % 32,
            noise: 0.0,
            vibrato_cents: vibrato,
        };
        let tone = synth::draw(&params, &axis(), &mut rng);
        let bits = |v: Vec<f32>| v.into_iter().map(f32::to_bits).collect::<Vec<_>>();
        assert_eq!(
            bits(synth::render(&tone)),
            bits(render_reference(&tone)),
            "tone {k}: {tone:?}"
        );
    }
}

#[test]
fn fundamentals_are_log_uniform_over_the_range_that_reaches_the_axis() {
    let params = ToneParams {
        max_harmonics: 8,
        noise: 0.0,
        vibrato_cents: 0.0,
    };
    let (lo, hi) = synth::fundamental_range(&axis(), 8);
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let n = 20_000;
    let logs: Vec<f64> = (0..n)
        .map(|_| synth::draw(&params, &axis(), &mut rng).f0_hz.ln())
        .collect();
    assert!(logs.iter().all(|&l| l >= lo.ln() && l < hi.ln()));
    // Each half of the log range holds half the tones (binomial sd 0.35 %).
    let mid = 0.5 * (lo.ln() + hi.ln());
    let below = logs.iter().filter(|&&l| l < mid).count() as f64 / n as f64;
    assert!((below - 0.5).abs() < 0.015, "{below}");
}

/// Trains `audio-pitch` for its default length and searches the learned graph.
#[test]
fn audio_pitch_recovers_the_one_bin_shift_on_the_interior() {
    let preset = presets::by_name("audio-pitch").unwrap();
    let mut sim = Simulation::new(preset.config).unwrap();
    sim.run_steps(preset.default_steps);
    let m = sim.metrics();
    assert!(
        m.symmetry_error_true < 0.5 * m.symmetry_error_random,
        "e_g {} vs baseline {}",
        m.symmetry_error_true,
        m.symmetry_error_random
    );
    let truths = sim.ground_truth_transformations();
    let names: Vec<Transformation> = truths.iter().map(|t| t.0).collect();
    assert_eq!(
        names,
        [
            Transformation::Shift { k: 1 },
            Transformation::Shift { k: -1 }
        ]
    );
    let scored = sim.scored_neurons().unwrap();
    // 4 kernels × 46 positions; the first and last positions are not interior.
    assert_eq!(scored.len(), 184);
    assert_eq!(scored.iter().filter(|&&x| x).count(), 176);

    let graph = WeightedGraph::new(sim.weights(), Some(sim.node_weights())).unwrap();
    let options = SearchOptions {
        max_results: 8,
        time_limit_secs: 60.0,
        ..SearchOptions::default()
    };
    let report = search(&graph, &options, &CancelToken::new(), &mut |_| {}).unwrap();
    let best =
        scoring::best_match_within(&report.results[0].permutation, &truths, Some(scored)).unwrap();
    assert!(best.consistency >= 0.9, "best result: {best:?}");

    // The harmonic stripes: local maxima of the mean weight at the octave (12 bins) and
    // the fifth (7 bins), troughs a semitone off them.
    let profile = harmonics::offset_profile(&sim);
    for d in [7, 12, 19, 24] {
        let c = harmonics::stripe_contrast(&profile, d);
        assert!(
            c > 0.05,
            "no stripe at {d} bins: contrast {c}, profile {profile:?}"
        );
    }
    for d in [6, 11, 13] {
        let c = harmonics::stripe_contrast(&profile, d);
        assert!(c < 0.0, "a stripe at {d} bins: contrast {c}");
    }
}
