//! Band-limited resampling by a windowed sinc, for bringing the user's WAV files to the
//! internal rate.
//!
//! Output sample `m` sits at input time `t = m · r_in / r_out` and is
//! `Σ_i x_i · 2f_c · sinc(2f_c (t − i)) · hann((t − i) / reach)`, with the cut-off `f_c`
//! (in cycles per input sample) at 95 % of the lower of the two Nyquist frequencies, so
//! downsampling does not alias. The kernel is tabulated ([`TABLE_PER_ZERO`] points per
//! zero crossing, linear interpolation), which keeps ten minutes of 44.1 kHz audio to
//! about a second.

/// Zero crossings of the sinc on each side of the centre.
const ZEROS: usize = 12;

/// Table points per zero crossing.
const TABLE_PER_ZERO: usize = 256;

/// Fraction of the lower Nyquist frequency kept.
const PASSBAND: f64 = 0.95;

/// The windowed sinc `sinc(u) · hann(u / ZEROS)` for `u = k / TABLE_PER_ZERO`.
fn kernel_table() -> Vec<f32> {
    (0..=ZEROS * TABLE_PER_ZERO + 1)
        .map(|k| {
            let u = k as f64 / TABLE_PER_ZERO as f64;
            if u >= ZEROS as f64 {
                return 0.0;
            }
            let sinc = if u == 0.0 {
                1.0
            } else {
                (std::f64::consts::PI * u).sin() / (std::f64::consts::PI * u)
            };
            let w = 0.5 + 0.5 * (std::f64::consts::PI * u / ZEROS as f64).cos();
            (sinc * w) as f32
        })
        .collect()
}

/// Cut-off in cycles per input sample.
fn cutoff(rate_in: f64, rate_out: f64) -> f64 {
    0.5 * PASSBAND * (rate_out / rate_in).min(1.0)
}

/// How many input samples the filter reaches on each side of an output sample.
pub fn reach(rate_in: f64, rate_out: f64) -> usize {
    if rate_in <= 0.0 || rate_out <= 0.0 {
        return 0;
    }
    (ZEROS as f64 / (2.0 * cutoff(rate_in, rate_out))).ceil() as usize
}

/// `x` (at `rate_in` Hz) resampled to `rate_out` Hz (module docs). Equal rates return
/// the input unchanged; invalid rates return an empty signal.
pub fn resample(x: &[f32], rate_in: f64, rate_out: f64) -> Vec<f32> {
    if !(rate_in.is_finite() && rate_out.is_finite() && rate_in > 0.0 && rate_out > 0.0) {
        return Vec::new();
    }
    if rate_in == rate_out {
        return x.to_vec();
    }
    let table = kernel_table();
    let fc = cutoff(rate_in, rate_out);
    let reach = reach(rate_in, rate_out) as i64;
    let step = rate_in / rate_out;
    let out_len = ((x.len() as f64) / step).floor() as usize;
    let scale = (2.0 * fc) as f32;
    // Kernel argument per input sample of distance, in table points.
    let per_sample = 2.0 * fc * TABLE_PER_ZERO as f64;
    let last = table.len() - 2;
    (0..out_len)
        .map(|m| {
            let t = m as f64 * step;
            let centre = t.floor() as i64;
            let lo = (centre - reach + 1).max(0);
            let hi = (centre + reach).min(x.len() as i64 - 1);
            let mut sum = 0.0f32;
            for i in lo..=hi {
                let pos = (t - i as f64).abs() * per_sample;
                let k = pos as usize;
                if k > last {
                    continue;
                }
                let frac = (pos - k as f64) as f32;
                let w = table[k] + (table[k + 1] - table[k]) * frac;
                sum += x[i as usize] * w;
            }
            sum * scale
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(freq: f64, rate: f64, len: usize) -> Vec<f32> {
        (0..len)
            .map(|n| (std::f64::consts::TAU * freq * n as f64 / rate).sin() as f32)
            .collect()
    }

    #[test]
    fn a_tone_keeps_its_frequency_and_level() {
        let x = tone(440.0, 44_100.0, 44_100);
        let y = resample(&x, 44_100.0, 8000.0);
        assert_eq!(y.len(), 8000);
        let expected = tone(440.0, 8000.0, 8000);
        // Away from the ends, where the filter sees the whole window.
        let err = y[200..7800]
            .iter()
            .zip(&expected[200..7800])
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        assert!(err < 0.01, "max error {err}");
    }

    #[test]
    fn what_lies_above_the_new_nyquist_is_removed() {
        // 6 kHz cannot exist at 8 kHz: it must not alias to 2 kHz.
        let x = tone(6000.0, 44_100.0, 44_100);
        let y = resample(&x, 44_100.0, 8000.0);
        let rms = (y[200..7800].iter().map(|v| v * v).sum::<f32>() / 7600.0).sqrt();
        assert!(rms < 0.01, "rms {rms}");
    }
}
