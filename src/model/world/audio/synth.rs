//! Synthesised harmonic tones (SPEC §3, sound world).
//!
//! One tone: a fundamental `f0` drawn log-uniformly over every pitch that can put a
//! partial on the axis (from `max_harmonics` times below its bottom to half an octave
//! above its top), `1..=max_harmonics` harmonics at `h · f0`, amplitudes
//! `g · h^(−tilt) · u_h` with a spectral tilt in `[0.5, 1.5]`, a jitter `u_h` in
//! `[0.5, 1]` and a loudness `g` log-uniform over 12 dB. The envelope depends on the
//! harmonic number `h` only, so it moves with the fundamental: multiplying `f0` by
//! `2^(1/bins_per_octave)` moves the whole tone one bin up, and because `log f0` is uniform
//! over a range wider than what the axis sees, the spectra on the axis are as likely
//! before such a shift as after it — pitch shifts are invariances, up to the ends of the
//! axis and the FFT's finite resolution.
//!
//! Vibrato: `f0(t) = f0 · 2^((d/1200) · sin(2π r t + φ))` with depth `d` cents (uniform up to
//! `vibrato_cents`), rate `r` in 4–7 Hz and a random phase; depth in cents is itself
//! pitch-invariant. Noise: pink (power ∝ 1/f, equal power per octave, hence as
//! pitch-invariant as the tones), added in the frequency domain to the windowed excerpt,
//! at `noise` times the level of the fundamental.

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;
use realfft::num_complex::Complex;

use super::axis::{FRAME_LEN, LogFreqAxis, SAMPLE_RATE_HZ};
use super::spectrum::{FilterBank, fft_bin_hz};
use crate::model::config::ConfigError;

/// Largest number of harmonics accepted.
pub const MAX_HARMONICS: usize = 32;

/// Largest vibrato depth accepted, in cents (an octave).
pub const MAX_VIBRATO_CENTS: f32 = 1200.0;

/// Largest noise level accepted (relative to the fundamental).
pub const MAX_NOISE: f32 = 10.0;

/// The parameters of the tone generator (the fields of `StimulusKind::Sound`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ToneParams {
    /// Largest number of harmonics.
    pub max_harmonics: usize,
    /// Pink-noise level relative to the fundamental.
    pub noise: f32,
    /// Largest vibrato depth, in cents.
    pub vibrato_cents: f32,
}

impl ToneParams {
    /// Checks the ranges: `1..=32` harmonics, noise in `[0, 10]`, vibrato in `[0, 1200]` cents.
    pub fn check(&self) -> Result<(), ConfigError> {
        if !(1..=MAX_HARMONICS).contains(&self.max_harmonics) {
            return Err(ConfigError::Invalid {
                field: "stimulus.max_harmonics",
                reason: format!("must be in 1..={MAX_HARMONICS}, got {}", self.max_harmonics),
            });
        }
        if !(self.noise.is_finite() && (0.0..=MAX_NOISE).contains(&self.noise)) {
            return Err(ConfigError::Invalid {
                field: "stimulus.noise",
                reason: format!("must be in [0, {MAX_NOISE}], got {}", self.noise),
            });
        }
        if !(self.vibrato_cents.is_finite()
            && (0.0..=MAX_VIBRATO_CENTS).contains(&self.vibrato_cents))
        {
            return Err(ConfigError::Invalid {
                field: "stimulus.vibrato_cents",
                reason: format!(
                    "must be in [0, {MAX_VIBRATO_CENTS}], got {}",
                    self.vibrato_cents
                ),
            });
        }
        Ok(())
    }
}

/// One drawn tone, before rendering.
#[derive(Clone, Debug, PartialEq)]
pub struct Tone {
    /// Fundamental frequency, in Hz.
    pub f0_hz: f64,
    /// Amplitude of harmonic `h` at index `h − 1`.
    pub amplitudes: Vec<f64>,
    /// Starting phase of each harmonic, in radians.
    pub phases: Vec<f64>,
    /// Vibrato depth in cents.
    pub vibrato_cents: f64,
    /// Vibrato rate in Hz.
    pub vibrato_rate_hz: f64,
    /// Vibrato phase at the start, in radians.
    pub vibrato_phase: f64,
}

/// The range of fundamentals, in Hz, that can put a partial on `axis` (module docs).
pub fn fundamental_range(axis: &LogFreqAxis, max_harmonics: usize) -> (f64, f64) {
    let lo = axis.centre_hz(-1.0) / max_harmonics as f64;
    let hi = axis.centre_hz(axis.bins as f64 + axis.bins_per_octave as f64 / 2.0);
    (lo, hi)
}

/// Draws a tone (module docs).
pub fn draw(params: &ToneParams, axis: &LogFreqAxis, rng: &mut impl Rng) -> Tone {
    let (lo, hi) = fundamental_range(axis, params.max_harmonics);
    let f0_hz = rng.random_range(lo.ln()..hi.ln()).exp();
    let count = rng.random_range(1..=params.max_harmonics.max(1));
    let tilt = rng.random_range(0.5..1.5);
    let gain = 10f64.powf(rng.random_range(-0.6..0.0));
    let amplitudes = (1..=count)
        .map(|h| gain * (h as f64).powf(-tilt) * rng.random_range(0.5..1.0))
        .collect();
    let phases = (0..count)
        .map(|_| rng.random_range(0.0..std::f64::consts::TAU))
        .collect();
    let depth = if params.vibrato_cents > 0.0 {
        rng.random_range(0.0..f64::from(params.vibrato_cents))
    } else {
        0.0
    };
    Tone {
        f0_hz,
        amplitudes,
        phases,
        vibrato_cents: depth,
        vibrato_rate_hz: rng.random_range(4.0..7.0),
        vibrato_phase: rng.random_range(0.0..std::f64::consts::TAU),
    }
}

/// The tone's waveform: [`FRAME_LEN`] samples at [`SAMPLE_RATE_HZ`]. Harmonics at or
/// above 95 % of the Nyquist frequency (at the top of the vibrato) are left out rather
/// than aliased; the axis ends well below it (`LogFreqAxis::check`).
///
/// Synthesis dominated the sound world's training time (0.76 of 0.87 ms per stimulus),
/// so the two per-sample passes that do not depend on each other's samples — the
/// vibrato's pitch ratio and the harmonic sum at a known phase — run in parallel chunks;
/// only the phase accumulation between them is sequential. Every sample is computed by
/// the same operations in the same order as one sequential loop would, so the waveform
/// is bit for bit that loop's (`tests/audio.rs` compares them).
pub fn render(tone: &Tone) -> Vec<f32> {
    let nyquist = SAMPLE_RATE_HZ / 2.0;
    let top = tone.f0_hz * (tone.vibrato_cents / 1200.0).exp2();
    let audible = tone
        .amplitudes
        .iter()
        .enumerate()
        .take_while(|(i, _)| (*i as f64 + 1.0) * top < 0.95 * nyquist)
        .count();
    // Each harmonic as a complex phasor a_h·e^{iθ_h}; sample n is Re Σ_h c_h z^h with
    // z = e^{iφ(n)}, the powers by repeated multiplication.
    let coeffs: Vec<Complex<f64>> = tone.amplitudes[..audible]
        .iter()
        .zip(&tone.phases)
        .map(|(&a, &p)| Complex::from_polar(a, p))
        .collect();
    let dt = 1.0 / SAMPLE_RATE_HZ;
    // The vibrato's pitch ratio at each sample.
    let mut ratio = vec![0.0f64; FRAME_LEN];
    ratio
        .par_chunks_mut(RENDER_CHUNK)
        .enumerate()
        .for_each(|(c, chunk)| {
            for (k, r) in chunk.iter_mut().enumerate() {
                let t = (c * RENDER_CHUNK + k) as f64 * dt;
                *r = (tone.vibrato_cents / 1200.0
                    * (std::f64::consts::TAU * tone.vibrato_rate_hz * t + tone.vibrato_phase)
                        .sin())
                .exp2();
            }
        });
    // The instantaneous phase: φ(0) = 0, φ(n+1) = φ(n) + 2π f0 ratio(n) dt, kept in [0, 2π).
    let mut phase = vec![0.0f64; FRAME_LEN];
    let mut current = 0.0f64;
    for (p, &r) in phase.iter_mut().zip(&ratio) {
        *p = current;
        current = wrap_turn(current + std::f64::consts::TAU * tone.f0_hz * r * dt);
    }
    let mut out = vec![0.0f32; FRAME_LEN];
    out.par_chunks_mut(RENDER_CHUNK)
        .zip(phase.par_chunks(RENDER_CHUNK))
        .for_each(|(samples, phases)| {
            for (o, &p) in samples.iter_mut().zip(phases) {
                let (s, c) = p.sin_cos();
                let z = Complex::new(c, s);
                let mut zh = z;
                let mut sum = 0.0;
                for coeff in &coeffs {
                    sum += (coeff * zh).re;
                    zh *= z;
                }
                *o = sum as f32;
            }
        });
    out
}

/// Samples per parallel chunk of [`render`]: large enough that the scheduling is
/// negligible, small enough that both cores get work (8 chunks per frame).
const RENDER_CHUNK: usize = 1024;

/// `x.rem_euclid(2π)`, exactly, without the division in the common cases: for
/// `0 ≤ x < 2π` it is `x`, and for `2π ≤ x < 4π` the subtraction `x − 2π` is exact
/// (Sterbenz), as the remainder is.
fn wrap_turn(x: f64) -> f64 {
    const TAU: f64 = std::f64::consts::TAU;
    if (0.0..TAU).contains(&x) {
        x
    } else if (TAU..2.0 * TAU).contains(&x) {
        x - TAU
    } else {
        x.rem_euclid(TAU)
    }
}

/// Adds pink noise to a complex spectrum (`FilterBank::complex_spectrum` of the windowed
/// tone): `E|N_j|² ∝ 1/f_j`, scaled so that one filter of the axis catches `level²` times
/// the energy a unit partial gives it.
pub fn add_pink_noise(
    spectrum: &mut [Complex<f32>],
    level: f64,
    axis: &LogFreqAxis,
    rng: &mut impl Rng,
) {
    if level <= 0.0 {
        return;
    }
    // A unit partial puts Σ|X|² = 3N²/32 on the one-sided spectrum (Hann window);
    // a triangular filter of the axis spans ln 2 / bins_per_octave in ln f.
    let n = FRAME_LEN as f64;
    let unit = 3.0 * n * n / 32.0;
    let area = std::f64::consts::LN_2 / axis.bins_per_octave as f64;
    let density = level * level * unit * fft_bin_hz() / area;
    for (j, x) in spectrum.iter_mut().enumerate().skip(1) {
        let f = j as f64 * fft_bin_hz();
        let sd = (density / f / 2.0).sqrt();
        let re: f64 = StandardNormal.sample(rng);
        let im: f64 = StandardNormal.sample(rng);
        *x += Complex::new((sd * re) as f32, (sd * im) as f32);
    }
}

/// One stimulus: a drawn tone's compressed log-frequency spectrum (module docs).
pub fn tone_spectrum(bank: &FilterBank, params: &ToneParams, rng: &mut impl Rng) -> Vec<f32> {
    let axis = bank.axis();
    let tone = draw(params, &axis, rng);
    let wave = render(&tone);
    let mut spectrum = bank.complex_spectrum(&wave);
    let level = tone.amplitudes.first().copied().unwrap_or(0.0) * f64::from(params.noise);
    add_pink_noise(&mut spectrum, level, &axis, rng);
    let power: Vec<f32> = spectrum.iter().map(|c| c.norm_sqr()).collect();
    bank.compress(&power)
}
