//! Log-frequency spectra: a Hann-windowed excerpt of [`FRAME_LEN`] samples, its power
//! spectrum by a real FFT (the `realfft` crate), and one triangular filter per bin of the
//! [`LogFreqAxis`].
//!
//! Filter `k` weighs FFT bin `f` by `max(0, 1 − |bins_per_octave · log2(f / c_k)|)`:
//! triangles in log-frequency, each reaching from its neighbours' centres, so the filters
//! are copies of one shape shifted along the axis and a pitch change moves the spectrum
//! bin by bin. Each filter is normalised so that a unit-amplitude sinusoid at its centre
//! gives energy 1 (measured once, through the same FFT), which also undoes the filters'
//! growing width in hertz. The value shown to the detectors is `ln(1 + E_k / FLOOR)`,
//! a pointwise compression that keeps the shift structure; [`LEVEL_FLOOR`] sets the
//! quietest partial that still counts (−30 dB below a unit partial).

use std::sync::{Arc, Mutex};

use realfft::num_complex::Complex;
use realfft::{RealFftPlanner, RealToComplex};

use super::axis::{FRAME_LEN, LogFreqAxis, SAMPLE_RATE_HZ};
use crate::model::config::ConfigError;

/// Energy (relative to a unit partial) mapped to `ln 2` by the compression.
pub const LEVEL_FLOOR: f64 = 1e-3;

/// One filter: the first FFT bin it touches and its weights from there.
#[derive(Clone, Debug)]
struct Filter {
    start: usize,
    weights: Vec<f32>,
}

/// The FFT plan, the window and the filters of one axis; build once, share by `Arc`.
pub struct FilterBank {
    axis: LogFreqAxis,
    fft: Arc<dyn RealToComplex<f32>>,
    window: Vec<f32>,
    filters: Vec<Filter>,
    /// Response of each filter to a unit sinusoid at its centre.
    unit_response: Vec<f64>,
}

impl std::fmt::Debug for FilterBank {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FilterBank")
            .field("axis", &self.axis)
            .finish_non_exhaustive()
    }
}

/// Hertz per FFT bin.
pub fn fft_bin_hz() -> f64 {
    SAMPLE_RATE_HZ / FRAME_LEN as f64
}

impl FilterBank {
    /// Plans the FFT and builds and calibrates the filters of `axis` (checked first).
    pub fn new(axis: LogFreqAxis) -> Result<Self, ConfigError> {
        axis.check()?;
        let fft = RealFftPlanner::<f32>::new().plan_fft_forward(FRAME_LEN);
        let window: Vec<f32> = (0..FRAME_LEN)
            .map(|n| {
                let x = std::f64::consts::TAU * n as f64 / FRAME_LEN as f64;
                (0.5 - 0.5 * x.cos()) as f32
            })
            .collect();
        let bpo = axis.bins_per_octave as f64;
        let spectrum_len = FRAME_LEN / 2 + 1;
        let filters = (0..axis.bins)
            .map(|k| {
                let lo = axis.centre_hz(k as f64 - 1.0) / fft_bin_hz();
                let hi = axis.centre_hz(k as f64 + 1.0) / fft_bin_hz();
                let start = (lo.floor() as usize).max(1);
                let end = (hi.ceil() as usize).min(spectrum_len - 1);
                let weights = (start..=end)
                    .map(|j| {
                        let f = j as f64 * fft_bin_hz();
                        let d = (bpo * (f / axis.centre_hz(k as f64)).log2()).abs();
                        (1.0 - d).max(0.0) as f32
                    })
                    .collect();
                Filter { start, weights }
            })
            .collect();
        let mut bank = Self {
            axis,
            fft,
            window,
            filters,
            unit_response: vec![1.0; axis.bins],
        };
        let mut unit_response = Vec::with_capacity(axis.bins);
        for k in 0..axis.bins {
            let w = std::f64::consts::TAU * axis.centre_hz(k as f64) / SAMPLE_RATE_HZ;
            let tone: Vec<f32> = (0..FRAME_LEN)
                .map(|n| (w * n as f64).cos() as f32)
                .collect();
            let power = bank.power(&tone);
            let r = bank.filter_energy(&power, k);
            if !(r.is_finite() && r > 0.0) {
                return Err(ConfigError::Inconsistent(format!(
                    "the filter of bin {k} ({:.1} Hz) catches no energy",
                    axis.centre_hz(k as f64)
                )));
            }
            unit_response.push(r);
        }
        bank.unit_response = unit_response;
        Ok(bank)
    }

    /// The axis.
    pub fn axis(&self) -> LogFreqAxis {
        self.axis
    }

    /// The complex spectrum of a Hann-windowed excerpt (zero-padded or cut to
    /// [`FRAME_LEN`]); `FRAME_LEN / 2 + 1` values, bin `j` at `j · fs / FRAME_LEN` Hz.
    pub fn complex_spectrum(&self, samples: &[f32]) -> Vec<Complex<f32>> {
        let mut input = self.fft.make_input_vec();
        for ((o, &s), &w) in input.iter_mut().zip(samples).zip(&self.window) {
            *o = s * w;
        }
        let mut output = self.fft.make_output_vec();
        // The buffers come from the plan itself, so their lengths are right.
        if self.fft.process(&mut input, &mut output).is_err() {
            output.iter_mut().for_each(|c| *c = Complex::new(0.0, 0.0));
        }
        output
    }

    /// `|X_j|²` of [`FilterBank::complex_spectrum`].
    pub fn power(&self, samples: &[f32]) -> Vec<f32> {
        self.complex_spectrum(samples)
            .iter()
            .map(|c| c.norm_sqr())
            .collect()
    }

    fn filter_energy(&self, power: &[f32], k: usize) -> f64 {
        let f = &self.filters[k];
        f.weights
            .iter()
            .zip(power.iter().skip(f.start))
            .map(|(&w, &p)| f64::from(w) * f64::from(p))
            .sum()
    }

    /// Energy per bin relative to a unit partial at the bin's centre, from a power
    /// spectrum as [`FilterBank::power`] returns it.
    pub fn bin_energies(&self, power: &[f32]) -> Vec<f64> {
        (0..self.axis.bins)
            .map(|k| self.filter_energy(power, k) / self.unit_response[k])
            .collect()
    }

    /// The compressed log-frequency spectrum `ln(1 + E_k / LEVEL_FLOOR)` of a power
    /// spectrum.
    pub fn compress(&self, power: &[f32]) -> Vec<f32> {
        self.bin_energies(power)
            .into_iter()
            .map(|e| (e.max(0.0) / LEVEL_FLOOR).ln_1p() as f32)
            .collect()
    }

    /// The log-frequency spectrum of an excerpt (module docs).
    pub fn spectrum(&self, samples: &[f32]) -> Vec<f32> {
        self.compress(&self.power(samples))
    }
}

/// A cached bank: `(f_min bits, bins, bins per octave)` and the bank.
type CachedBank = (u64, usize, usize, Arc<FilterBank>);

/// Filter banks built so far, one per axis (a handful at most in one process).
static BANKS: Mutex<Vec<CachedBank>> = Mutex::new(Vec::new());

/// Most filter banks kept at once; the oldest is dropped beyond this.
const MAX_CACHED_BANKS: usize = 4;

/// The filter bank of `axis`, built on first use and shared afterwards (building one
/// calibrates every filter with an FFT, a few milliseconds).
pub fn filter_bank(axis: LogFreqAxis) -> Result<Arc<FilterBank>, ConfigError> {
    let key = (axis.f_min.to_bits(), axis.bins, axis.bins_per_octave);
    let lookup = |banks: &Vec<CachedBank>| {
        banks
            .iter()
            .find(|(f, n, b, _)| (*f, *n, *b) == key)
            .map(|e| e.3.clone())
    };
    if let Some(bank) = BANKS.lock().ok().and_then(|b| lookup(&b)) {
        return Ok(bank);
    }
    let bank = Arc::new(FilterBank::new(axis)?);
    if let Ok(mut banks) = BANKS.lock() {
        if let Some(existing) = lookup(&banks) {
            return Ok(existing);
        }
        if banks.len() >= MAX_CACHED_BANKS {
            banks.remove(0);
        }
        banks.push((key.0, key.1, key.2, bank.clone()));
    }
    Ok(bank)
}
