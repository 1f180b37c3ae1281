//! The user's WAV files (read with the `hound` crate): mixed down to mono, resampled to
//! [`SAMPLE_RATE_HZ`], and cut into random excerpts whose log-frequency spectra replace
//! the synthesised tones.
//!
//! Excerpts: a start uniform over all the sound kept (so longer files give more
//! excerpts), [`FRAME_LEN`] samples from there (zero-padded past a file's end), scaled to
//! a fixed RMS so loudness does not vary between recordings; near-silent excerpts are
//! drawn again (a few times at most).

use std::path::Path;

use rand::Rng;

use super::axis::{FRAME_LEN, SAMPLE_RATE_HZ};
use super::resample::resample;
use super::spectrum::FilterBank;
use crate::model::data_dir::{self, Cache, DataDirError, Folder, Skipped};

/// Most samples kept from one folder, after resampling: 10 minutes at 8 kHz
/// (4.8 million samples, 19 MB). Files beyond it are left out (and named).
pub const MAX_TOTAL_SAMPLES: usize = 600 * SAMPLE_RATE_HZ as usize;

/// RMS every excerpt is scaled to: that of a unit-amplitude partial halved.
const EXCERPT_RMS: f64 = 0.5 * std::f64::consts::FRAC_1_SQRT_2;

/// Below this RMS an excerpt counts as silence and is drawn again.
const SILENCE_RMS: f64 = 1e-4;

/// How often a silent excerpt is drawn again before it is used as it is.
const REDRAWS: usize = 8;

/// One file's sound: mono, at [`SAMPLE_RATE_HZ`].
pub type Sound = Vec<f32>;

/// A loaded folder of WAV files.
pub type SoundFolder = Folder<Sound>;

static SOUNDS: Cache<Sound> = Cache::new();

/// The WAV folder `dir`, read on first use (see [`crate::model::data_dir`]).
pub fn sound_folder(dir: &Path) -> Result<std::sync::Arc<SoundFolder>, DataDirError> {
    SOUNDS.get(dir, load_folder)
}

/// Reads `dir` again on next use.
pub fn forget(dir: &Path) {
    SOUNDS.forget(dir);
}

/// Reads every `.wav` file of `dir` (others are skipped and named), up to
/// [`MAX_TOTAL_SAMPLES`].
pub fn load_folder(dir: &Path) -> Result<SoundFolder, DataDirError> {
    let mut items = Vec::new();
    let mut skipped = Vec::new();
    let mut budget = MAX_TOTAL_SAMPLES;
    for path in data_dir::list_files(dir)? {
        let skip = |reason: String| Skipped {
            path: path.clone(),
            reason,
        };
        if !data_dir::has_extension(&path, &["wav", "wave"]) {
            skipped.push(skip("not a .wav file".into()));
            continue;
        }
        if budget == 0 {
            skipped.push(skip(format!(
                "the folder holds more than {} s of sound, the most kept",
                MAX_TOTAL_SAMPLES as f64 / SAMPLE_RATE_HZ
            )));
            continue;
        }
        match read_wav(&path, budget) {
            Ok(sound) if sound.is_empty() => skipped.push(skip("no samples".into())),
            Ok(sound) => {
                budget = budget.saturating_sub(sound.len());
                items.push((path, sound));
            }
            Err(reason) => skipped.push(skip(reason)),
        }
    }
    if items.is_empty() {
        return Err(DataDirError::Empty {
            path: dir.to_path_buf(),
            what: "WAV",
            skipped: skipped.len(),
        });
    }
    Ok(Folder {
        path: dir.to_path_buf(),
        items,
        skipped,
    })
}

/// One WAV file as mono samples at [`SAMPLE_RATE_HZ`], at most `max_samples` of them.
/// Integer samples are scaled to `[−1, 1)`; channels are averaged.
pub fn read_wav(path: &Path, max_samples: usize) -> Result<Sound, String> {
    let mut reader = hound::WavReader::open(path).map_err(|e| e.to_string())?;
    let spec = reader.spec();
    let channels = usize::from(spec.channels);
    if channels == 0 || spec.sample_rate == 0 {
        return Err("the header declares no channels or a zero sample rate".into());
    }
    let rate = f64::from(spec.sample_rate);
    // Read only what the budget can use after resampling (plus the filter's reach).
    let max_frames = ((max_samples as f64 * rate / SAMPLE_RATE_HZ).ceil() as usize)
        .saturating_add(super::resample::reach(rate, SAMPLE_RATE_HZ));
    let max_values = max_frames.saturating_mul(channels);
    let values: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader
            .samples::<f32>()
            .take(max_values)
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?,
        hound::SampleFormat::Int => {
            let bits = u32::from(spec.bits_per_sample.clamp(1, 32));
            let scale = 1.0 / (1u64 << (bits - 1)) as f64;
            reader
                .samples::<i32>()
                .take(max_values)
                .map(|s| s.map(|v| (f64::from(v) * scale) as f32))
                .collect::<Result<_, _>>()
                .map_err(|e| e.to_string())?
        }
    };
    let mono = mix_down(&values, channels);
    if mono.iter().any(|v| !v.is_finite()) {
        return Err("a sample is not a finite number".into());
    }
    let mut out = resample(&mono, rate, SAMPLE_RATE_HZ);
    out.truncate(max_samples);
    Ok(out)
}

/// The mean of the channels of interleaved frames (an incomplete last frame is dropped).
pub fn mix_down(interleaved: &[f32], channels: usize) -> Vec<f32> {
    if channels <= 1 {
        return interleaved.to_vec();
    }
    interleaved
        .chunks_exact(channels)
        .map(|frame| frame.iter().sum::<f32>() / channels as f32)
        .collect()
}

/// One random excerpt of the folder's sound, scaled to a fixed RMS (module docs).
pub fn excerpt(folder: &SoundFolder, rng: &mut impl Rng) -> Vec<f32> {
    let total: usize = folder.items.iter().map(|(_, s)| s.len()).sum();
    let mut chosen = vec![0.0f32; FRAME_LEN];
    for _ in 0..=REDRAWS {
        if total == 0 {
            break;
        }
        let mut start = rng.random_range(0..total);
        let Some(sound) = folder.items.iter().map(|(_, s)| s).find(|s| {
            if start < s.len() {
                true
            } else {
                start -= s.len();
                false
            }
        }) else {
            break;
        };
        // Start so that a whole excerpt fits when the file is long enough.
        let start = start.min(sound.len().saturating_sub(FRAME_LEN));
        chosen.iter_mut().for_each(|x| *x = 0.0);
        for (o, &v) in chosen.iter_mut().zip(&sound[start..]) {
            *o = v;
        }
        let rms =
            (chosen.iter().map(|&x| f64::from(x).powi(2)).sum::<f64>() / FRAME_LEN as f64).sqrt();
        if rms > SILENCE_RMS {
            let gain = (EXCERPT_RMS / rms) as f32;
            chosen.iter_mut().for_each(|x| *x *= gain);
            break;
        }
    }
    chosen
}

/// One stimulus: the log-frequency spectrum of a random excerpt of the folder.
pub fn excerpt_spectrum(bank: &FilterBank, folder: &SoundFolder, rng: &mut impl Rng) -> Vec<f32> {
    bank.spectrum(&excerpt(folder, rng))
}
