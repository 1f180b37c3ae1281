//! The user's own folders: WAV files for the sound world, photos for the image worlds —
//! mono mix-down, resampling, broken files skipped by name, empty folders refused, and the
//! folder stored in (and required by) a saved experiment.

use std::path::{Path, PathBuf};
use std::process::Command;

use invariance_lab::model::config::Space;
use invariance_lab::model::world::audio::wav::{self, read_wav};
use invariance_lab::model::world::audio::{LogFreqAxis, filter_bank};
use invariance_lab::model::world::data_dir::DataDirError;
use invariance_lab::model::world::photo_dir;
use invariance_lab::model::world::stimulus;
use invariance_lab::model::{StimulusConfig, StimulusKind};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn write_wav(path: &Path, rate: u32, channels: u16, frames: &[Vec<f32>]) {
    let spec = hound::WavSpec {
        channels,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for frame in frames {
        for &v in frame {
            w.write_sample((v * 32767.0).round() as i16).unwrap();
        }
    }
    w.finalize().unwrap();
}

fn sine(f: f64, rate: u32, secs: f64) -> Vec<Vec<f32>> {
    (0..(secs * f64::from(rate)) as usize)
        .map(|n| {
            vec![(0.5 * (std::f64::consts::TAU * f * n as f64 / f64::from(rate)).sin()) as f32]
        })
        .collect()
}

#[test]
fn stereo_is_mixed_down_to_the_mean_of_the_channels() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stereo.wav");
    let frames: Vec<Vec<f32>> = (0..800).map(|_| vec![0.6, 0.2]).collect();
    write_wav(&path, 8000, 2, &frames);
    let mono = read_wav(&path, usize::MAX).unwrap();
    assert_eq!(mono.len(), 800);
    assert!(
        mono.iter().all(|&v| (v - 0.4).abs() < 1e-3),
        "{:?}",
        &mono[..4]
    );
}

#[test]
fn a_file_at_another_rate_is_resampled_and_keeps_its_pitch() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a4.wav");
    write_wav(&path, 44_100, 1, &sine(440.0, 44_100, 1.5));
    let sound = read_wav(&path, usize::MAX).unwrap();
    assert_eq!(sound.len(), 12_000, "1.5 s at 8 kHz");
    let axis = LogFreqAxis {
        bins: 48,
        bins_per_octave: 12,
        f_min: 110.0,
    };
    let bank = filter_bank(axis).unwrap();
    let e = bank.bin_energies(&bank.power(&sound));
    let peak = (0..48).max_by(|&a, &b| e[a].total_cmp(&e[b])).unwrap();
    // A4 = 110 Hz · 2^(24/12).
    assert_eq!(peak, 24);
}

#[test]
fn broken_and_foreign_files_are_skipped_by_name_and_an_empty_folder_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write_wav(
        &dir.path().join("good.wav"),
        16_000,
        1,
        &sine(220.0, 16_000, 0.5),
    );
    std::fs::write(dir.path().join("broken.wav"), b"RIFF....not a wave file").unwrap();
    std::fs::write(dir.path().join("notes.txt"), b"hello").unwrap();
    let folder = wav::load_folder(dir.path()).unwrap();
    assert_eq!(folder.items.len(), 1);
    assert!(folder.items[0].0.ends_with("good.wav"));
    let names: Vec<String> = folder.skipped.iter().map(|s| s.to_string()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names[0].contains("broken.wav"), "{names:?}");
    assert!(names[1].contains("notes.txt") && names[1].contains("not a .wav"));

    let empty = tempfile::tempdir().unwrap();
    assert!(matches!(
        wav::load_folder(empty.path()),
        Err(DataDirError::Empty { skipped: 0, .. })
    ));
    let gone = empty.path().join("nowhere");
    assert!(matches!(
        wav::load_folder(&gone),
        Err(DataDirError::Missing(_))
    ));
}

#[test]
fn excerpts_of_a_folder_are_reproducible_spectra() {
    let dir = tempfile::tempdir().unwrap();
    write_wav(&dir.path().join("a.wav"), 8000, 1, &sine(330.0, 8000, 3.0));
    let config = StimulusConfig {
        kind: StimulusKind::Sound {
            bins_per_octave: 12,
            f_min: 110.0,
            max_harmonics: 8,
            noise: 0.0,
            vibrato_cents: 0.0,
        },
        sequence: None,
        data_dir: Some(dir.path().to_path_buf()),
    };
    let space = Space::Line { n: 48 };
    let draw = |seed| {
        stimulus::sample_config(&config, space, &mut ChaCha8Rng::seed_from_u64(seed)).unwrap()
    };
    let s = draw(1);
    assert_eq!(s, draw(1));
    // 330 Hz = 110 · 3 lies 19.02 bins up.
    let peak = (0..48).max_by(|&a, &b| s[a].total_cmp(&s[b])).unwrap();
    assert_eq!(peak, 19);
    // A folder is refused by kinds that take no files.
    let bumps = StimulusConfig {
        kind: StimulusKind::Bumps {
            max_bumps: 1,
            width: (1.0, 2.0),
            amplitude: (1.0, 1.0),
        },
        ..config.clone()
    };
    assert!(stimulus::validate_config(&bumps, Space::Ring { n: 32 }).is_err());
}

fn write_photo(path: &Path, w: u32, h: u32) {
    let img = image::GrayImage::from_fn(w, h, |x, y| image::Luma([((x * 7 + y * 3) % 256) as u8]));
    img.save(path).unwrap();
}

#[test]
fn photo_folders_skip_broken_files_and_feed_the_image_world() {
    let dir = tempfile::tempdir().unwrap();
    write_photo(&dir.path().join("a.png"), 80, 60);
    write_photo(&dir.path().join("b.jpg"), 50, 40);
    write_photo(&dir.path().join("tiny.png"), 10, 10);
    std::fs::write(dir.path().join("broken.jpeg"), b"\xff\xd8 not really").unwrap();
    let folder = photo_dir::load_folder(dir.path()).unwrap();
    assert_eq!(folder.items.len(), 3);
    assert_eq!(folder.skipped.len(), 1);
    assert!(folder.skipped[0].to_string().contains("broken.jpeg"));

    let config = StimulusConfig {
        kind: StimulusKind::ImagePatches,
        sequence: None,
        data_dir: Some(dir.path().to_path_buf()),
    };
    let space = Space::Square { side: 24 };
    let patch = stimulus::sample_config(&config, space, &mut ChaCha8Rng::seed_from_u64(2)).unwrap();
    assert_eq!(patch.len(), 576);
    let mean = patch.iter().sum::<f32>() / 576.0;
    assert!(mean.abs() < 1e-4);
    // No photo is 100 pixels on its short side.
    let big = Space::Square { side: 100 };
    assert!(stimulus::sample_config(&config, big, &mut ChaCha8Rng::seed_from_u64(2)).is_err());
    let empty = tempfile::tempdir().unwrap();
    assert!(photo_dir::load_folder(empty.path()).is_err());
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_invariance-lab")
}

fn run(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = Command::new(bin())
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn train_takes_a_wav_folder_stores_it_and_needs_it_to_reload() {
    let work = tempfile::tempdir().unwrap();
    let sounds: PathBuf = work.path().join("sounds");
    std::fs::create_dir(&sounds).unwrap();
    write_wav(&sounds.join("tone.wav"), 22_050, 2, &{
        sine(261.63, 22_050, 2.0)
            .into_iter()
            .map(|f| vec![f[0], f[0]])
            .collect::<Vec<_>>()
    });
    std::fs::write(sounds.join("broken.wav"), b"garbage").unwrap();
    let (code, _, err) = run(
        &[
            "train",
            "--preset",
            "audio-pitch",
            "--audio-dir",
            "sounds",
            "--steps",
            "2",
            "--out",
            "run.json",
        ],
        work.path(),
    );
    assert_eq!(code, 0, "{err}");
    let warnings: Vec<&str> = err.lines().filter(|l| l.starts_with("warning:")).collect();
    assert_eq!(warnings.len(), 1, "{err}");
    assert!(warnings[0].contains("broken.wav"), "{err}");
    let saved = std::fs::read_to_string(work.path().join("run.json")).unwrap();
    assert!(saved.contains("data_dir") && saved.contains("sounds"));

    // It reloads (and continues) while the folder is there …
    let (code, _, err) = run(
        &[
            "train",
            "--resume",
            "run.json",
            "--steps",
            "1",
            "--out",
            "run2.json",
        ],
        work.path(),
    );
    assert_eq!(code, 0, "{err}");
    // … and says which folder is missing once it is gone.
    std::fs::remove_dir_all(&sounds).unwrap();
    let (code, _, err) = run(
        &[
            "train",
            "--resume",
            "run.json",
            "--steps",
            "1",
            "--out",
            "run3.json",
        ],
        work.path(),
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("sounds") && err.contains("does not exist"),
        "{err}"
    );
}

#[test]
fn an_empty_or_mismatched_folder_is_an_error_with_exit_code_2() {
    let work = tempfile::tempdir().unwrap();
    std::fs::create_dir(work.path().join("empty")).unwrap();
    let (code, _, err) = run(
        &[
            "train",
            "--preset",
            "audio-pitch",
            "--audio-dir",
            "empty",
            "--steps",
            "1",
            "--out",
            "x.json",
        ],
        work.path(),
    );
    assert_eq!(code, 2);
    assert!(err.contains("no readable WAV file"), "{err}");
    let (code, _, err) = run(
        &[
            "train",
            "--preset",
            "image-rotate",
            "--image-dir",
            "empty",
            "--steps",
            "1",
            "--out",
            "x.json",
        ],
        work.path(),
    );
    assert_eq!(code, 2);
    assert!(err.contains("no readable PNG or JPEG file"), "{err}");
    let (code, _, err) = run(
        &[
            "train",
            "--preset",
            "ring-shift",
            "--audio-dir",
            "empty",
            "--steps",
            "1",
            "--out",
            "x.json",
        ],
        work.path(),
    );
    assert_eq!(code, 2);
    assert!(err.contains("does not fit"), "{err}");
}
