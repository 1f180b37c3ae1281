//! Benchmark (not a test): simulation throughput with the app running versus headless,
//! and the UI's frame time, at M = 2048 (`torus-translate`).
//!
//! "With the app" drives the real `InvarianceApp` (worker thread, heatmap colouring on
//! its helper thread, plots, panels) through egui_kittest at ~30 frames per second; the
//! GPU upload of the texture is the only part of a real window not included.
//!
//! Run: `cargo bench --profile test --bench gui_throughput -- 6` (optional argument:
//! seconds per phase, default 10).

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use invariance_lab::app::{InvarianceApp, StartOptions};
use invariance_lab::model::{Simulation, presets};

const PRESET: &str = "torus-translate";

fn headless(seconds: f64) -> (u64, f64) {
    let config = presets::by_name(PRESET).expect("preset exists").config;
    let mut sim = Simulation::new(config).expect("valid preset");
    sim.step(); // warm-up
    let start = Instant::now();
    let mut steps = 0u64;
    while start.elapsed().as_secs_f64() < seconds {
        sim.step();
        steps += 1;
    }
    (steps, steps as f64 / start.elapsed().as_secs_f64())
}

struct WindowFigures {
    steps_per_second: f64,
    frame_ms_mean: f64,
    frame_ms_p95: f64,
    heatmap_updates_per_second: f64,
    frames_per_second: f64,
}

fn with_app(seconds: f64) -> WindowFigures {
    let options = StartOptions {
        preset: Some(PRESET.to_owned()),
        ..StartOptions::default()
    };
    let mut h: Harness<'static, InvarianceApp> = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .with_accessibility_check(false)
        .build_eframe(move |cc| InvarianceApp::new(cc, options).expect("app starts"));
    let ready = Instant::now();
    while h.state().step_count().is_none() && ready.elapsed() < Duration::from_secs(120) {
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    h.state_mut().perform(invariance_lab::app::AppAction::Run);
    h.step();
    // Warm-up: the first snapshot and heatmap.
    let warm = Instant::now();
    while warm.elapsed() < Duration::from_secs(2) {
        h.step();
        std::thread::sleep(Duration::from_millis(16));
    }
    let step0 = h.state().step_count().unwrap_or(0);
    let mut frame_ms = Vec::new();
    let mut last_key = None;
    let mut heatmap_updates = 0u32;
    let start = Instant::now();
    while start.elapsed().as_secs_f64() < seconds {
        let t = Instant::now();
        h.step();
        let ms = t.elapsed().as_secs_f64() * 1e3;
        frame_ms.push(ms);
        let key = h.state().displayed_heatmap().map(|d| d.key.snapshot_id);
        if key != last_key {
            heatmap_updates += 1;
            last_key = key;
        }
        // eframe repaints on request (10 Hz snapshots, finished renders, input); 30 frames
        // per second is a busy user moving the mouse over the heatmap.
        let frame = Duration::from_secs_f64(1.0 / 30.0);
        if let Some(rest) = frame.checked_sub(t.elapsed()) {
            std::thread::sleep(rest);
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    let steps = h.state().step_count().unwrap_or(0).saturating_sub(step0);
    frame_ms.sort_by(f64::total_cmp);
    let mean = frame_ms.iter().sum::<f64>() / frame_ms.len().max(1) as f64;
    let p95 = frame_ms
        .get(frame_ms.len() * 95 / 100)
        .copied()
        .unwrap_or(0.0);
    WindowFigures {
        steps_per_second: steps as f64 / elapsed,
        frame_ms_mean: mean,
        frame_ms_p95: p95,
        heatmap_updates_per_second: f64::from(heatmap_updates) / elapsed,
        frames_per_second: frame_ms.len() as f64 / elapsed,
    }
}

fn main() {
    let seconds: f64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10.0);
    let m = {
        let config = presets::by_name(PRESET).expect("preset exists").config;
        Simulation::new(config).expect("valid preset").neurons()
    };
    println!("gui_throughput: preset {PRESET}, M = {m}, {seconds} s per phase");
    // Headless before and after the app phase: on a shared machine the load drifts, and
    // the mean of the two brackets the app phase fairly.
    let (steps_a, rate_a) = headless(seconds);
    let w = with_app(seconds);
    let (steps_b, rate_b) = headless(seconds);
    let headless_rate = 0.5 * (rate_a + rate_b);
    println!(
        "headless:      {rate_a:.2} steps/s before, {rate_b:.2} after ({} steps); mean {headless_rate:.2}",
        steps_a + steps_b
    );
    {
        use invariance_lab::app::colormap::Colormap;
        use invariance_lab::app::heatmap::{HeatmapJob, HeatmapKey, RangeMode, render_heatmap};
        let config = presets::by_name(PRESET).expect("preset exists").config;
        let mut sim = Simulation::new(config).expect("valid preset");
        sim.run_steps(3);
        let snapshot = sim.snapshot();
        let recovered: Vec<usize> = (0..m).map(|i| (i * 7 + 3) % m).collect();
        for (name, order) in [
            ("stored", (0..m).collect::<Vec<_>>()),
            ("permuted", recovered),
        ] {
            let job = HeatmapJob {
                key: HeatmapKey {
                    snapshot_id: 0,
                    order_id: 0,
                    colormap: Colormap::Viridis,
                    range: RangeMode::Auto,
                },
                weights: snapshot.weights.clone(),
                order: std::sync::Arc::new(order),
            };
            let t = Instant::now();
            let reps = 5;
            for _ in 0..reps {
                std::hint::black_box(render_heatmap(&job));
            }
            println!(
                "heatmap colouring ({name} order, {m}×{m}): {:.1} ms",
                t.elapsed().as_secs_f64() * 1e3 / f64::from(reps)
            );
        }
        let t = Instant::now();
        for _ in 0..5 {
            std::hint::black_box(sim.snapshot());
        }
        println!(
            "snapshot (W copy + history): {:.1} ms",
            t.elapsed().as_secs_f64() * 1e3 / 5.0
        );
    }
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        println!("load average:  {}", load.trim());
    }
    println!(
        "with the app:  {:.2} steps/s ({:.1} % of headless, GUI cost {:.1} %)",
        w.steps_per_second,
        100.0 * w.steps_per_second / headless_rate,
        100.0 * (1.0 - w.steps_per_second / headless_rate)
    );
    println!(
        "UI frame time: mean {:.2} ms, p95 {:.2} ms ({:.1} frames/s driven); heatmap refreshed {:.1}×/s",
        w.frame_ms_mean, w.frame_ms_p95, w.frames_per_second, w.heatmap_updates_per_second
    );
}
