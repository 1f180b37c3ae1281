//! Benchmark (not a test): simulation throughput with the app running versus headless,
//! and the UI's frame time, at M = 2048 (`torus-translate`, the default) or M = 16,384
//! (`torus-large`: argument `torus-large`), where the app publishes block means and a
//! window of exact cells instead of copies of the 1 GiB `W`.
//!
//! "With the app" drives the real `InvarianceApp` (worker thread publishing snapshots,
//! heatmap colouring on its helper thread, plots, panels) through egui_kittest at ~30
//! frames per second; the GPU upload of the texture is the only part of a real window
//! not included.
//!
//! Fairness on a noisy shared machine: one app and one headless `Simulation` of the same
//! preset and seed advance through the same steps in many short slices. In each slice
//! both take the very same `n` steps (same batches, same log-spaced metric evaluations),
//! one after the other while the other is idle, in ABBA order (odd slices app first,
//! even slices headless first). Load drifts over seconds, so each slice compares like
//! with like; the median over many slices is the figure.
//!
//! Run: `cargo bench --bench gui_throughput` (optimised like `--release`; optional
//! arguments: seconds per slice, default 1, and slices, default 60; a preset name,
//! default `torus-translate`; add `control` for the A/A run that replaces the app by a
//! second headless simulation on its own thread, or `pieces` for the timings of the
//! pieces of the work alone, without the app).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use invariance_lab::app::{AppAction, InvarianceApp, StartOptions};
use invariance_lab::model::{Simulation, presets};

/// The preset measured unless another is named.
const DEFAULT_PRESET: &str = "torus-translate";

/// Both run to this step before measuring (about two seconds in at M = 2048; fewer
/// steps for larger presets, whose steps are longer).
fn first_step(neurons: usize) -> u64 {
    if neurons >= 8192 { 20 } else { 200 }
}

/// One frame every 1/30 s: eframe repaints on request (new snapshots, finished renders,
/// input), so 30 frames per second is a busy user moving the mouse over the heatmap.
const FRAME: Duration = Duration::from_nanos(33_333_333);

/// CPU seconds used so far by each thread of this process, keyed `name#tid` (Linux
/// `/proc/self/task/*/stat`; empty elsewhere). Threads that ended are not counted.
fn thread_cpu_seconds() -> BTreeMap<String, f64> {
    let mut by_thread = BTreeMap::new();
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return by_thread;
    };
    for task in tasks.flatten() {
        let Ok(stat) = std::fs::read_to_string(task.path().join("stat")) else {
            continue;
        };
        // "pid (comm) state ppid ..." — comm may hold spaces; fields 14 and 15 are
        // utime and stime in clock ticks (100 per second on Linux).
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let tid = task.file_name().to_string_lossy().into_owned();
        let name = format!("{}#{tid}", &stat[open + 1..close]);
        let fields: Vec<&str> = stat[close + 2..].split_whitespace().collect();
        let ticks: f64 = fields
            .get(11..13)
            .map(|f| f.iter().filter_map(|v| v.parse::<f64>().ok()).sum())
            .unwrap_or(0.0);
        by_thread.insert(name, ticks / 100.0);
    }
    by_thread
}

/// CPU seconds used so far by the calling thread (Linux `/proc/thread-self/stat`; 0
/// elsewhere), in clock ticks of 10 ms.
fn own_cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/thread-self/stat") else {
        return 0.0;
    };
    let Some(close) = stat.rfind(')') else {
        return 0.0;
    };
    stat[close + 2..]
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|v| v.parse::<f64>().ok())
        .sum::<f64>()
        / 100.0
}

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

/// The app under test, driven one frame at a time.
struct App {
    h: Harness<'static, InvarianceApp>,
}

impl App {
    fn start(preset: &str) -> Self {
        let options = StartOptions {
            preset: Some(preset.to_owned()),
            ..StartOptions::default()
        };
        let h = Harness::builder()
            .with_size(egui::vec2(1600.0, 1000.0))
            .with_accessibility_check(false)
            .build_eframe(move |cc| InvarianceApp::new(cc, options).expect("app starts"));
        let mut app = Self { h };
        let ready = Instant::now();
        while app.step() < 1 && ready.elapsed() < Duration::from_secs(120) {
            app.frame();
            if app.h.state().step_count().is_some() && !app.h.state().is_running() {
                break;
            }
        }
        app
    }

    /// One frame, then sleep out the rest of 1/30 s. Returns the frame's CPU time in ms.
    fn frame(&mut self) -> f64 {
        let t = Instant::now();
        self.h.step();
        let ms = t.elapsed().as_secs_f64() * 1e3;
        if let Some(rest) = FRAME.checked_sub(t.elapsed()) {
            std::thread::sleep(rest);
        }
        ms
    }

    fn step(&self) -> u64 {
        self.h.state().step_count().unwrap_or(0)
    }

    fn heatmap_id(&self) -> Option<u64> {
        self.h
            .state()
            .displayed_heatmap()
            .map(|d| d.key.snapshot_id)
    }

    /// "Run to step" `target`; frames until the app shows it has arrived and stopped.
    /// The app's rate comes from the simulation thread's own clock: the steps and
    /// snapshot times of the first publication seen after the command and of the last,
    /// so neither the frame rate nor the command's trip to the worker biases it.
    fn run_to(&mut self, target: u64, slice: &mut Slice) {
        let before = self.h.state().published().map(|p| p.id);
        self.h.state_mut().perform(AppAction::RunUntil(target));
        let start = Instant::now();
        let cpu = own_cpu_seconds();
        let mut first: Option<(u64, Instant)> = None;
        let mut last_heatmap = self.heatmap_id();
        loop {
            slice.frame_ms.push(self.frame());
            let heatmap = self.heatmap_id();
            if heatmap != last_heatmap {
                slice.heatmap_refreshes += 1;
                last_heatmap = heatmap;
            }
            if let Some(p) = self.h.state().published() {
                // Previews of a step under way ([`Snapshot::partial`]) are not steps.
                if first.is_none() && Some(p.id) != before && p.snapshot.partial.is_none() {
                    first = Some((p.snapshot.step, p.taken_at));
                }
                if p.snapshot.step >= target && !p.running {
                    if let Some((s0, t0)) = first {
                        slice.app_steps = p.snapshot.step - s0;
                        slice.app_seconds = (p.taken_at - t0).as_secs_f64();
                    }
                    break;
                }
            }
            assert!(
                start.elapsed() < Duration::from_secs(600),
                "the app did not reach step {target}"
            );
        }
        slice.wall_seconds = start.elapsed().as_secs_f64();
        slice.ui_cpu_seconds = own_cpu_seconds() - cpu;
    }

    /// Frames until the heatmap shows the newest snapshot (the app is then idle).
    fn settle(&mut self) {
        let start = Instant::now();
        while !self.h.state().heatmap_is_current() && start.elapsed() < Duration::from_secs(5) {
            self.frame();
        }
        self.frame();
    }
}

/// What runs the "app" half of each slice.
enum Subject {
    /// The real app.
    App(Box<App>),
    /// Control run (`control` argument): a second headless simulation stepping on its own
    /// thread, as the app's worker does, with nothing else running. Its "GUI cost" is the
    /// benchmark's own noise and bias.
    Control(Option<Box<Simulation>>),
}

impl Subject {
    fn step(&self) -> u64 {
        match self {
            Subject::App(app) => app.step(),
            Subject::Control(sim) => sim.as_ref().map_or(0, |s| s.step_count()),
        }
    }

    fn run_to(&mut self, target: u64, slice: &mut Slice) {
        match self {
            Subject::App(app) => app.run_to(target, slice),
            Subject::Control(slot) => {
                let Some(mut sim) = slot.take() else { return };
                let s0 = sim.step_count();
                let thread = std::thread::Builder::new()
                    .name("simulation".into())
                    .spawn(move || {
                        let t = Instant::now();
                        while sim.step_count() < target {
                            sim.step();
                        }
                        (sim, t.elapsed().as_secs_f64())
                    })
                    .expect("thread starts");
                let (sim, seconds) = thread.join().expect("control thread");
                slice.app_steps = sim.step_count() - s0;
                slice.app_seconds = seconds;
                slice.wall_seconds = seconds;
                *slot = Some(sim);
            }
        }
    }

    fn settle(&mut self) {
        if let Subject::App(app) = self {
            app.settle();
        }
    }
}

/// Figures of one slice.
#[derive(Default)]
struct Slice {
    steps: u64,
    /// Steps the app took between its first and last publication of the slice.
    app_steps: u64,
    /// Simulation-thread time between those publications.
    app_seconds: f64,
    /// Wall time of the slice as the UI saw it.
    wall_seconds: f64,
    headless_seconds: f64,
    frame_ms: Vec<f64>,
    heatmap_refreshes: u32,
    /// CPU time of the UI thread (this one) while the app ran.
    ui_cpu_seconds: f64,
}

impl Slice {
    fn app_rate(&self) -> f64 {
        self.app_steps as f64 / self.app_seconds
    }

    fn headless_rate(&self) -> f64 {
        self.steps as f64 / self.headless_seconds
    }

    fn cost_percent(&self) -> f64 {
        100.0 * (1.0 - self.app_rate() / self.headless_rate())
    }
}

fn main() {
    let control = std::env::args().any(|a| a == "control");
    let mut numbers = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse::<f64>().ok());
    let slice_seconds = numbers.next().unwrap_or(1.0);
    let slices = numbers.next().map_or(60, |r| r.max(1.0) as usize);

    let preset = std::env::args()
        .skip(1)
        .find(|a| presets::by_name(a).is_some())
        .unwrap_or_else(|| DEFAULT_PRESET.to_owned());
    let preset = preset.as_str();
    let config = presets::by_name(preset).expect("preset exists").config;
    let mut headless = Simulation::new(config).expect("valid preset");
    let m = headless.neurons();
    let first = first_step(m);
    while headless.step_count() < first {
        headless.step();
    }
    if std::env::args().any(|a| a == "pieces") {
        pieces(&mut headless);
        return;
    }
    let mut app = if control {
        Subject::Control(Some(Box::new(headless.clone())))
    } else {
        Subject::App(Box::new(App::start(preset)))
    };
    let mut warm = Slice::default();
    app.run_to(first, &mut warm);
    app.settle();
    assert_eq!(
        app.step(),
        headless.step_count(),
        "both start at the same step"
    );

    // Steps per slice from a short headless measurement (on a copy, so the trajectory
    // of the measured simulation is untouched).
    let steps_per_slice = {
        let mut probe = headless.clone();
        let t = Instant::now();
        let mut n = 0u64;
        while t.elapsed().as_secs_f64() < 1.0 {
            probe.step();
            n += 1;
        }
        ((n as f64 * slice_seconds).round() as u64).max(1)
    };
    println!(
        "gui_throughput: preset {preset}, M = {m}; {slices} slices of {steps_per_slice} steps \
         (~{slice_seconds} s) from step {first}, run by the {} and headless in ABBA order",
        if control {
            "control (a headless simulation on its own thread)"
        } else {
            "app"
        }
    );

    let cpu_before = thread_cpu_seconds();
    let mut app_total = 0.0;
    let mut results = Vec::new();
    for k in 1..=slices {
        let mut slice = Slice {
            steps: steps_per_slice,
            ..Slice::default()
        };
        let target = app.step() + steps_per_slice;
        // ABBA order: odd slices run the app first, even ones the headless simulation,
        // so neither always follows the other (caches, frequency, drifting load).
        let mut run_headless = |slice: &mut Slice| {
            let t = Instant::now();
            while headless.step_count() < target {
                headless.step();
            }
            slice.headless_seconds = t.elapsed().as_secs_f64();
        };
        if k % 2 == 0 {
            run_headless(&mut slice);
        }
        app.run_to(target, &mut slice);
        app_total += slice.wall_seconds;
        app.settle();
        if k % 2 == 1 {
            run_headless(&mut slice);
        }
        assert_eq!(app.step(), headless.step_count());
        println!(
            "slice {k:2}: steps {}..{target}: headless {:.1} steps/s, app {:.1} steps/s → GUI cost {:5.1} %; \
             frame mean {:.2} ms; heatmap {:.1}×/s",
            target - slice.steps,
            slice.headless_rate(),
            slice.app_rate(),
            slice.cost_percent(),
            slice.frame_ms.iter().sum::<f64>() / slice.frame_ms.len().max(1) as f64,
            f64::from(slice.heatmap_refreshes) / slice.wall_seconds,
        );
        results.push(slice);
    }
    let cpu_after = thread_cpu_seconds();

    // Background threads of the app, as a share of a core while the app was running
    // (threads of the headless simulation and matrixmultiply's pool excluded).
    let helpers: Vec<String> = cpu_after
        .iter()
        .filter(|(name, _)| {
            ["simulation#", "heatmap-render#"]
                .iter()
                .any(|p| name.starts_with(p))
        })
        .map(|(name, t)| {
            let used = t - cpu_before.get(name).copied().unwrap_or(0.0);
            format!("{name} {:.2}", used / app_total)
        })
        .collect();

    // Pieces of the work, timed in isolation.
    pieces(&mut headless);
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        println!("load average: {}", load.trim());
    }
    let costs: Vec<f64> = results.iter().map(Slice::cost_percent).collect();
    let mut sorted = costs.clone();
    sorted.sort_by(f64::total_cmp);
    let app_rate_total = results.iter().map(|s| s.app_steps as f64).sum::<f64>()
        / results.iter().map(|s| s.app_seconds).sum::<f64>();
    let headless_rate_total = results.iter().map(|s| s.steps as f64).sum::<f64>()
        / results.iter().map(|s| s.headless_seconds).sum::<f64>();
    println!(
        "GUI cost: median {:.1} % over {slices} slices (sorted: {}); all slices together {:.1} %",
        median(&costs),
        sorted
            .iter()
            .map(|c| format!("{c:.1}"))
            .collect::<Vec<_>>()
            .join(", "),
        100.0 * (1.0 - app_rate_total / headless_rate_total)
    );
    let frames: Vec<f64> = results.iter().flat_map(|s| s.frame_ms.clone()).collect();
    let mut sorted_frames = frames.clone();
    sorted_frames.sort_by(f64::total_cmp);
    let p95 = sorted_frames
        .get(sorted_frames.len() * 95 / 100)
        .copied()
        .unwrap_or(f64::NAN);
    let refreshes: Vec<f64> = results
        .iter()
        .map(|s| f64::from(s.heatmap_refreshes) / s.wall_seconds)
        .collect();
    println!(
        "UI frame time: median {:.2} ms, p95 {p95:.2} ms, max {:.2} ms ({} frames at ≤ 30/s); \
         heatmap refreshed median {:.1}×/s (slowest slice {:.1}×/s)",
        median(&frames),
        sorted_frames.last().copied().unwrap_or(f64::NAN),
        frames.len(),
        median(&refreshes),
        refreshes.iter().copied().fold(f64::INFINITY, f64::min)
    );
    let ui_share = results.iter().map(|s| s.ui_cpu_seconds).sum::<f64>() / app_total;
    println!(
        "app threads while running (share of a core): UI {ui_share:.2}, {}",
        helpers.join(", ")
    );
}

/// The pieces of the work, each timed alone: at M = 16,384 those of a summary
/// ([`large_pieces`]), below it those of a copied `W` (colouring, snapshot).
fn pieces(headless: &mut Simulation) {
    let m = headless.neurons();
    if m >= invariance_lab::session::worker::LARGE_NEURONS {
        large_pieces(headless);
        return;
    }
    use invariance_lab::app::views::colormap::Colormap;
    use invariance_lab::app::views::heatmap::{HeatmapJob, HeatmapKey, RangeMode, render_heatmap};
    let snapshot = headless.snapshot();
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
            summary: None,
        };
        let times: Vec<f64> = (0..9)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(render_heatmap(&job));
                t.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        println!(
            "heatmap colouring ({name} order, {m}×{m}, helper thread): median {:.1} ms",
            median(&times)
        );
    }
    let full: Vec<f64> = (0..9)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(headless.snapshot().weights.full().cloned());
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    let mut buffer = std::sync::Arc::try_unwrap(snapshot.weights)
        .ok()
        .and_then(invariance_lab::model::SnapshotWeights::into_buffer);
    let (mut copy, mut materialise) = (Vec::new(), Vec::new());
    for _ in 0..9 {
        let t = Instant::now();
        let taken = headless.snapshot_into(buffer.take());
        copy.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        std::hint::black_box(taken.weights.full().cloned());
        materialise.push(t.elapsed().as_secs_f64() * 1e3);
        buffer = std::sync::Arc::try_unwrap(taken.weights)
            .ok()
            .and_then(invariance_lab::model::SnapshotWeights::into_buffer);
    }
    println!(
        "snapshot: {:.1} ms on the simulation thread (raw copy into a reused matrix); \
         materialising W, which only a search or an export asks for, {:.1} ms more; \
         a fresh snapshot with W at once {:.1} ms (medians)",
        median(&copy),
        median(&materialise),
        median(&full)
    );
}

/// At M = 16,384: what one publication costs the simulation thread (block means, a
/// 512 × 512 window of exact cells, a row), what keeping the block sums costs a step,
/// and what colouring the summary costs the helper thread.
fn large_pieces(headless: &mut Simulation) {
    use invariance_lab::app::views::colormap::Colormap;
    use invariance_lab::app::views::heatmap::{HeatmapJob, HeatmapKey, RangeMode, render_heatmap};
    use invariance_lab::model::learning::overview::ViewRequest;
    use std::sync::Arc;
    let m = headless.neurons();
    let order: Vec<usize> = (0..m).map(|i| (i * 7 + 3) % m).collect();
    let request = ViewRequest {
        order: Arc::new(order),
        order_id: 1,
        max_side: 1024,
        viewport: Some((4096..4608, 8192..8704)),
        row: Some(5),
    };
    let t = Instant::now();
    headless.set_view(Some(ViewRequest {
        viewport: None,
        row: None,
        ..request.clone()
    }));
    let first = t.elapsed().as_secs_f64() * 1e3;
    let publication = |headless: &mut Simulation| -> f64 {
        let times: Vec<f64> = (0..9)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(headless.summary_snapshot(None));
                t.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        median(&times)
    };
    let zoomed_out = publication(headless);
    headless.set_view(Some(request));
    let publish = publication(headless);
    let snapshot = headless.summary_snapshot(None);
    let summary = snapshot.summary.clone().expect("a summary");
    let job = HeatmapJob {
        key: HeatmapKey {
            snapshot_id: 0,
            order_id: 1,
            colormap: Colormap::Viridis,
            range: RangeMode::Auto,
        },
        weights: snapshot.weights.clone(),
        order: Arc::new((0..m).collect()),
        summary: Some(summary),
    };
    let colour: Vec<f64> = (0..9)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(render_heatmap(&job));
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    // A preview of the next step, as the simulation thread makes one while the step runs
    // aside: taking in all but the last of its stimuli, then one picture.
    let (advance, picture) = {
        use invariance_lab::model::learning::UpdateParams;
        let prepared = headless.prepare_step().expect("a step to preview");
        let overview = headless.take_overview().expect("block sums");
        headless.put_overview(overview.clone());
        let params = UpdateParams::of(headless.config());
        let preview = prepared
            .preview(
                overview,
                snapshot.summary.as_deref().expect("a summary"),
                &params,
            )
            .unwrap_or_else(|_| panic!("no preview of the step"));
        let mut advanced = preview.clone();
        let advance: Vec<f64> = (0..5)
            .map(|_| {
                advanced = preview.clone();
                let t = Instant::now();
                advanced.advance_to(preview.batch() - 1);
                t.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        let advance = median(&advance);
        let picture: Vec<f64> = (0..9)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(advanced.summary());
                t.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        (advance, median(&picture))
    };
    // A step with and without the block sums (same steps, on copies of one state).
    let mut with = headless.clone();
    let mut without = headless.clone();
    without.set_view(None);
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let t = Instant::now();
        with.step();
        a.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        without.step();
        b.push(t.elapsed().as_secs_f64() * 1e3);
    }
    println!(
        "summary of a {m} × {m} W: first summing {first:.0} ms (once per order); per publication \
         on the simulation thread {zoomed_out:.1} ms zoomed out (block means 1024²), \
         {publish:.1} ms zoomed in (the means, a 512² window of a scattered order, a row); \
         colouring {:.1} ms; a preview: taking in a step's stimuli \
         {advance:.1} ms, a picture {picture:.1} ms; a step {:.0} ms with the block sums kept, \
         {:.0} ms without (medians)",
        median(&colour),
        median(&a),
        median(&b)
    );
}
