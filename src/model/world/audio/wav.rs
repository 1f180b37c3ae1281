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
use crate::model::world::data_dir::{self, Cache, DataDirError, Folder, Skipped};

/// Most samples kept from one folder, after resampling: 10 minutes at 8 kHz
/// (4.8 million samples, 19 MB). Files beyond it are left out (and named).
pub const MAX_TOTAL_SAMPLES: usize = 600 * SAMPLE_RATE_HZ as usize;

/// Most frames decoded from one folder before resampling: 2²⁵ (about 11.6 minutes at
/// 48 kHz; 128 MB as mono `f32`), whatever the headers claim. Together with
/// [`MAX_TOTAL_SAMPLES`] this bounds the memory a folder can take.
pub const MAX_TOTAL_INPUT_FRAMES: usize = 1 << 25;

/// Sample rates accepted, in Hz (a header claiming 10⁹ Hz is refused, not decoded).
pub const SAMPLE_RATE_RANGE_HZ: (u32, u32) = (1_000, 384_000);

/// Most channels a file may have.
pub const MAX_CHANNELS: u16 = 32;

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

/// The WAV folder `dir`, read on first use (see [`crate::model::world::data_dir`]).
pub fn sound_folder(dir: &Path) -> Result<std::sync::Arc<SoundFolder>, DataDirError> {
    SOUNDS.get(dir, load_folder)
}

/// Reads `dir` again on next use.
pub fn forget(dir: &Path) {
    SOUNDS.forget(dir);
}

/// Reads every `.wav` file of `dir` (others are skipped and named), up to
/// [`MAX_TOTAL_SAMPLES`] kept and [`MAX_TOTAL_INPUT_FRAMES`] decoded. Silent files are
/// skipped; a folder of silent files is refused ([`DataDirError::NoSignal`]).
pub fn load_folder(dir: &Path) -> Result<SoundFolder, DataDirError> {
    let listing = data_dir::list_files(dir)?;
    let mut items = Vec::new();
    let mut skipped = listing.skipped;
    let mut budget = MAX_TOTAL_SAMPLES;
    let mut input_budget = MAX_TOTAL_INPUT_FRAMES;
    let mut silent = 0;
    for path in listing.files {
        let skip = |reason: String| Skipped {
            path: path.clone(),
            reason,
        };
        if !data_dir::has_extension(&path, &["wav", "wave"]) {
            skipped.push(skip("not a .wav file".into()));
            continue;
        }
        if budget == 0 || input_budget == 0 {
            skipped.push(skip(format!(
                "the folder holds more than {} s of sound, the most kept",
                MAX_TOTAL_SAMPLES as f64 / SAMPLE_RATE_HZ
            )));
            continue;
        }
        match read_wav_within(&path, budget, input_budget) {
            Ok((sound, _)) if sound.is_empty() => skipped.push(skip("no samples".into())),
            Ok((sound, _)) if is_silent(&sound) => {
                silent += 1;
                skipped.push(skip(format!(
                    "silent (no sample above {SILENCE_RMS:e} RMS)"
                )));
            }
            Ok((sound, frames)) => {
                budget = budget.saturating_sub(sound.len());
                input_budget = input_budget.saturating_sub(frames);
                items.push((path, sound));
            }
            Err(reason) => skipped.push(skip(reason)),
        }
    }
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    if items.is_empty() {
        return Err(data_dir::nothing_usable(
            dir,
            "WAV",
            "silent",
            silent,
            skipped.len(),
        ));
    }
    Ok(Folder {
        path: dir.to_path_buf(),
        items,
        skipped,
    })
}

/// Whether a whole sound is below the silence level.
fn is_silent(sound: &[f32]) -> bool {
    let energy: f64 = sound.iter().map(|&x| f64::from(x).powi(2)).sum();
    (energy / sound.len().max(1) as f64).sqrt() <= SILENCE_RMS
}

/// One WAV file as mono samples at [`SAMPLE_RATE_HZ`], at most `max_samples` of them.
/// Integer samples are scaled to `[−1, 1)`; channels are averaged.
pub fn read_wav(path: &Path, max_samples: usize) -> Result<Sound, String> {
    read_wav_within(path, max_samples, MAX_TOTAL_INPUT_FRAMES).map(|(sound, _)| sound)
}

/// [`read_wav`] decoding at most `max_frames` frames; also returns the frames decoded.
/// What is decoded is bounded by the data actually in the file, by `max_frames` and by
/// what `max_samples` can use after resampling — never by what the header claims.
fn read_wav_within(
    path: &Path,
    max_samples: usize,
    max_frames: usize,
) -> Result<(Sound, usize), String> {
    // A regular file only: a FIFO would block, a device never end.
    let (file, file_len) =
        crate::bounded_read::open_regular(path, u64::MAX).map_err(|e| e.to_string())?;
    let mut reader =
        hound::WavReader::new(std::io::BufReader::new(file)).map_err(|e| e.to_string())?;
    let spec = reader.spec();
    let channels = usize::from(spec.channels);
    let (lo, hi) = SAMPLE_RATE_RANGE_HZ;
    if channels == 0 || spec.channels > MAX_CHANNELS {
        return Err(format!(
            "the header declares {channels} channels (1 to {MAX_CHANNELS} are read)"
        ));
    }
    if !(lo..=hi).contains(&spec.sample_rate) {
        return Err(format!(
            "the header declares {} Hz (sample rates {lo} to {hi} Hz are read)",
            spec.sample_rate
        ));
    }
    let rate = f64::from(spec.sample_rate);
    let bytes_per_sample = u64::from(spec.bits_per_sample.div_ceil(8).max(1));
    // Frames actually present: the header's count, but never more than the file holds.
    let declared = u64::from(reader.len()) / channels as u64;
    let present = declared.min(file_len / bytes_per_sample / channels as u64);
    // Only what the budget can use after resampling (plus the filter's reach).
    let usable = ((max_samples as f64 * rate / SAMPLE_RATE_HZ).ceil() as u64)
        .saturating_add(super::resample::reach(rate, SAMPLE_RATE_HZ) as u64);
    let frames = present.min(usable).min(max_frames as u64) as usize;
    let mut mono = Vec::with_capacity(frames);
    let values = frames * channels;
    // A header may claim more data than the file holds (a cut-off download): what is
    // there is kept, up to the first sample that cannot be read.
    let lying = declared > file_len / bytes_per_sample / channels as u64;
    let mut acc = 0.0f32;
    let mut push = |i: usize, sample: Result<f32, hound::Error>| -> Result<bool, String> {
        match sample {
            Ok(v) => {
                acc += v;
                if i % channels == channels - 1 {
                    mono.push(acc / channels as f32);
                    acc = 0.0;
                }
                Ok(true)
            }
            Err(_) if lying => Ok(false),
            Err(e) => Err(e.to_string()),
        }
    };
    match spec.sample_format {
        hound::SampleFormat::Float => {
            for (i, v) in reader.samples::<f32>().take(values).enumerate() {
                if !push(i, v)? {
                    break;
                }
            }
        }
        hound::SampleFormat::Int => {
            let bits = u32::from(spec.bits_per_sample.clamp(1, 32));
            let scale = 1.0 / (1u64 << (bits - 1)) as f64;
            for (i, v) in reader.samples::<i32>().take(values).enumerate() {
                if !push(i, v.map(|v| (f64::from(v) * scale) as f32))? {
                    break;
                }
            }
        }
    }
    if mono.iter().any(|v| !v.is_finite()) {
        return Err("a sample is not a finite number".into());
    }
    let decoded = mono.len();
    let mut out = resample(&mono, rate, SAMPLE_RATE_HZ);
    out.truncate(max_samples);
    Ok((out, decoded))
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
