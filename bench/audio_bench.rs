//! The sound world's costs and results (not a test), for the `audio-pitch` preset:
//! - spectrum synthesis: tones per second drawn, rendered (8192 samples), FFT'd and
//!   filtered, and the same for excerpts of a WAV folder (a synthetic 60 s file);
//! - Hebbian throughput: stimuli per second of whole training steps (synthesis,
//!   detectors and the update) and of the update alone on the preset's activities;
//! - after the default training: `e_g` against its baseline, and the mean weight at each
//!   offset between detector positions (the heatmap's stripes) with its contrast at the
//!   harmonic intervals.
//!
//! Medians of 5 timed runs. Run: `bash bench/run_audio.sh` (or
//! `cargo bench --no-default-features --bench audio_bench`).

use std::time::Instant;

use invariance_lab::model::detectors::Bank;
use invariance_lab::model::learning::{HebbianState, PathChoice, UpdateParams};
use invariance_lab::model::rng::{Purpose, derived_rng};
use invariance_lab::model::world::audio::{self, harmonics, wav};
use invariance_lab::model::world::stimulus;
use invariance_lab::model::{LearningRule, Simulation, presets};
use ndarray::Array2;

const REPEATS: usize = 5;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Median per-second rate of `f` run `count` times per repeat.
fn rate(count: usize, mut f: impl FnMut(usize)) -> f64 {
    median(
        (0..REPEATS)
            .map(|r| {
                let start = Instant::now();
                for i in 0..count {
                    f(r * count + i);
                }
                count as f64 / start.elapsed().as_secs_f64()
            })
            .collect(),
    )
}

fn main() {
    let preset = presets::by_name("audio-pitch").expect("preset");
    let config = preset.config.clone();
    let space = config.space;

    let synth = rate(400, |i| {
        let mut rng = derived_rng(config.seed, Purpose::Training, i as u64, 0);
        std::hint::black_box(stimulus::sample_config(&config.stimulus, space, &mut rng).ok());
    });
    println!("spectrum synthesis (tones, 8192 samples, FFT, 48 filters): {synth:.0} stimuli/s");

    // A WAV folder: 60 s of a gliding tone at 44.1 kHz, read and resampled once.
    let dir = std::env::temp_dir().join(format!("audio-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("glide.wav");
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 44_100,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    if let Ok(mut w) = hound::WavWriter::create(&path, spec) {
        let mut phase = 0.0f64;
        for n in 0..60 * 44_100 {
            let f = 110.0 * (4.0 * n as f64 / (60.0 * 44_100.0)).exp2();
            phase += std::f64::consts::TAU * f / 44_100.0;
            let v = (0.3 * phase.sin() * 32767.0) as i16;
            let _ = w.write_sample(v);
            let _ = w.write_sample(v);
        }
        let _ = w.finalize();
    }
    let load = Instant::now();
    match wav::load_folder(&dir) {
        Ok(folder) => {
            println!(
                "WAV folder: 60 s stereo 44.1 kHz read, mixed down and resampled in {:.2} s",
                load.elapsed().as_secs_f64()
            );
            let mut wav_config = config.stimulus.clone();
            wav_config.data_dir = Some(dir.clone());
            let excerpts = rate(400, |i| {
                let mut rng = derived_rng(config.seed, Purpose::Training, i as u64, 0);
                std::hint::black_box(stimulus::sample_config(&wav_config, space, &mut rng).ok());
            });
            println!("spectrum of WAV excerpts: {excerpts:.0} stimuli/s");
            drop(folder);
        }
        Err(e) => println!("WAV folder: {e}"),
    }
    let _ = std::fs::remove_dir_all(&dir);

    // Whole training steps (synthesis + detectors + update), then the update alone.
    let mut sim = Simulation::new(config.clone()).expect("simulation");
    let steps = rate(20, |_| sim.step());
    println!(
        "training steps (batch {}): {:.0} stimuli/s",
        config.batch,
        steps * config.batch as f64
    );
    let bank = Bank::build(&config.bank, space, config.seed).expect("bank");
    let stimuli = 2000;
    let mut s = Array2::<f32>::zeros((stimuli, space.pixels()));
    for i in 0..stimuli {
        let mut rng = derived_rng(config.seed, Purpose::Training, i as u64, 0);
        if let Ok(x) = stimulus::sample_config(&config.stimulus, space, &mut rng) {
            s.row_mut(i)
                .assign(&ndarray::ArrayView1::from(x.as_slice()));
        }
    }
    let a = bank.activities(s.view(), config.activation, config.threshold, None);
    let params = UpdateParams {
        rule: LearningRule::Hebb,
        learning_rate: config.learning_rate,
        decay: 0.0,
    };
    let mut state = HebbianState::new(bank.len());
    let batch = config.batch;
    let updates = rate(stimuli / batch, |i| {
        let k = (i % (stimuli / batch)) * batch;
        let rows = a.slice(ndarray::s![k..k + batch, ..]);
        state.update(&params, rows, None, PathChoice::Auto);
    });
    println!(
        "Hebbian update alone (M = {}, batch {batch}): {:.0} stimuli/s",
        bank.len(),
        updates * batch as f64
    );

    // The default training, then what it learned.
    let mut sim = Simulation::new(config).expect("simulation");
    let start = Instant::now();
    sim.run_steps(preset.default_steps);
    println!(
        "default training ({} steps, {} tones): {:.1} s",
        preset.default_steps,
        sim.record().stimuli_seen(),
        start.elapsed().as_secs_f64()
    );
    let m = sim.metrics();
    println!(
        "e_g over the interior: {:.4} (random baseline {:.4})",
        m.symmetry_error_true, m.symmetry_error_random
    );
    let profile = harmonics::offset_profile(&sim);
    println!("mean weight by position offset d (contrast = vs mean of d±1):");
    for (d, v) in profile.iter().enumerate().take(37) {
        let c = harmonics::stripe_contrast(&profile, d);
        let note = match d {
            3 => " minor third (6:5)",
            4 => " major third (5:4)",
            5 => " fourth (4:3)",
            7 => " fifth (3:2)",
            12 => " octave (2:1)",
            19 => " twelfth (3:1)",
            24 => " two octaves (4:1)",
            28 => " 5:1",
            31 => " 6:1",
            _ => "",
        };
        println!("  d = {d:2}: {v:.4}  contrast {c:+.3}{note}");
    }
    let _ = audio::SAMPLE_RATE_HZ;
}
