//! The simulation thread. The UI sends [`WorkerCommand`]s; the worker publishes
//! immutable [`Published`] pictures (latest wins) and wakes the UI ([`Waker`]) — never
//! while holding the lock the UI reads. The UI never waits for the worker.
//!
//! Its parts: the commands (`command.rs`), the pictures (`published.rs`) and where they
//! go (`publisher.rs`); for a small simulation the recycled copies of `W`
//! (`weight_buffers.rs`); for a large one the copy of `W` taken on request
//! (`weights_copy.rs`) and the [`AsideStepper`] (`aside_stepper.rs`), which applies each
//! step on a helper thread while the preview of the step (`preview_feed.rs`) is shown,
//! at the pace of the steps so far (`step_pace.rs`).

mod aside_stepper;
mod command;
mod preview_feed;
mod published;
mod publisher;
mod step_pace;
mod weight_buffers;
mod weights_copy;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use self::aside_stepper::{AsideOutcome, AsideStepper};
pub use self::command::{SimulationJob, Speed, WorkerCommand};
pub use self::published::{ModelInfo, Published};
use self::publisher::Publisher;
use self::weight_buffers::BufferPool;
use self::weights_copy::WeightsCopy;
use super::Waker;
use crate::model::Simulation;
use crate::model::learning::overview::ViewRequest;

/// From this many neurons on (`W` of 256 MiB and more) the worker publishes no copy of
/// `W` while training: the snapshots carry the view's block means, window of exact
/// cells and row ([`crate::model::learning::overview`]), whose block sums follow each
/// step from its activities alone (worked out by the step's preview while the step runs
/// aside). A copy of `W` (for a search or an export) is taken only on request
/// ([`WorkerCommand::CopyWeights`]), and published until `W` changes.
pub const LARGE_NEURONS: usize = 8192;

/// Things the worker reports besides pictures.
#[derive(Debug, Clone, PartialEq)]
pub enum WorkerEvent {
    /// A configuration was rejected; the previous simulation keeps running.
    ConfigRejected(String),
    /// A cell could not be pinned (the message says why).
    PinRejected(String),
    /// A new simulation (configured or loaded) is in place.
    Replaced {
        /// Its generation number.
        generation: u64,
    },
}

/// The UI's handle on the worker.
pub struct WorkerHandle {
    commands: Sender<WorkerCommand>,
    events: Receiver<WorkerEvent>,
    latest: Arc<Mutex<Option<Arc<Published>>>>,
    /// Set when the UI has read the newest publication (the worker skips periodic
    /// snapshots — a 16 MB copy at M = 2048 — nobody would look at).
    seen: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl WorkerHandle {
    /// Starts the worker thread (empty until `Configure` or `Load`). `repaint` is called
    /// after each publication; `publish_interval` bounds how often
    /// snapshots are taken while running (the app's 80 ms, plus at most one step, gives
    /// the heatmap more than 10 refreshes a second).
    pub fn spawn(repaint: Option<Waker>, publish_interval: Duration) -> std::io::Result<Self> {
        Self::spawn_large_from(repaint, publish_interval, LARGE_NEURONS)
    }

    /// [`WorkerHandle::spawn`] treating simulations of `large_from` neurons and more as
    /// large (summaries instead of copies of `W`, steps aside with previews): tests use
    /// it on small matrices; the app uses [`LARGE_NEURONS`].
    pub fn spawn_large_from(
        repaint: Option<Waker>,
        publish_interval: Duration,
        large_from: usize,
    ) -> std::io::Result<Self> {
        let (tx, rx) = mpsc::channel();
        let (event_tx, event_rx) = mpsc::channel();
        let latest = Arc::new(Mutex::new(None));
        let slot = latest.clone();
        let seen = Arc::new(AtomicBool::new(true));
        let seen_by_ui = seen.clone();
        let thread = std::thread::Builder::new()
            .name("simulation".into())
            .spawn(move || {
                let mut worker = Worker {
                    sim: None,
                    model: None,
                    running: false,
                    target: None,
                    speed: Speed::Unlimited,
                    generation: 0,
                    publisher: Publisher::new(slot, seen_by_ui, repaint, publish_interval),
                    events: event_tx,
                    buffers: BufferPool::default(),
                    view: None,
                    weights_copy: WeightsCopy::default(),
                    aside: AsideStepper::default(),
                    large_from,
                };
                worker.run(&rx);
            })?;
        Ok(Self {
            commands: tx,
            events: event_rx,
            latest,
            seen,
            thread: Some(thread),
        })
    }

    /// Sends a command; returns `false` if the worker is gone. The worker is woken at
    /// once, also while it waits for a large step running aside.
    pub fn send(&self, command: WorkerCommand) -> bool {
        let sent = self.commands.send(command).is_ok();
        if let Some(t) = &self.thread {
            t.thread().unpark();
        }
        sent
    }

    /// The newest publication (cheap: clones an `Arc`).
    pub fn latest(&self) -> Option<Arc<Published>> {
        let guard = self.latest.lock().ok()?;
        // Under the lock, so a publication cannot slip in between reading and marking.
        self.seen.store(true, Ordering::Release);
        guard.clone()
    }

    /// Events since the last call.
    pub fn drain_events(&self) -> Vec<WorkerEvent> {
        self.events.try_iter().collect()
    }
}

impl Drop for WorkerHandle {
    fn drop(&mut self) {
        let _ = self.commands.send(WorkerCommand::Shutdown);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

struct Worker {
    sim: Option<Simulation>,
    model: Option<Arc<ModelInfo>>,
    running: bool,
    target: Option<u64>,
    speed: Speed,
    generation: u64,
    /// Where the pictures go, and when they are due.
    publisher: Publisher,
    events: Sender<WorkerEvent>,
    buffers: BufferPool,
    /// The view of a large matrix ([`WorkerCommand::SetView`]).
    view: Option<ViewRequest>,
    /// A large matrix's copy of `W` taken on request.
    weights_copy: WeightsCopy,
    /// Steps a large simulation on a helper thread, with previews.
    aside: AsideStepper,
    /// From this many neurons on a simulation is large ([`LARGE_NEURONS`]).
    large_from: usize,
}

/// Longest stretch of stepping between looks at the command queue.
const COMMAND_LATENCY: Duration = Duration::from_millis(15);

impl Worker {
    fn run(&mut self, rx: &Receiver<WorkerCommand>) {
        let mut next_step_due = Instant::now();
        loop {
            // 1. Commands: block when idle, poll while stepping (or while a large
            // simulation still owes the metrics of a cancelled step).
            let stepping = self.sim.is_some() && (self.running || self.target.is_some());
            let owes_metrics = self.sim.as_ref().is_some_and(Simulation::metrics_due);
            let active = stepping || owes_metrics;
            let first = if active {
                match self.speed {
                    Speed::Unlimited => rx.try_recv().ok(),
                    Speed::Limited(_) => {
                        let wait = next_step_due.saturating_duration_since(Instant::now());
                        match rx.recv_timeout(wait) {
                            Ok(c) => Some(c),
                            Err(RecvTimeoutError::Timeout) => None,
                            Err(RecvTimeoutError::Disconnected) => return,
                        }
                    }
                }
            } else {
                match rx.recv() {
                    Ok(c) => Some(c),
                    Err(_) => return,
                }
            };
            if let Some(cmd) = first {
                let mut pending = vec![cmd];
                pending.extend(rx.try_iter());
                for cmd in pending {
                    if !self.handle(cmd) {
                        return;
                    }
                }
                continue;
            }
            // 2. Stepping. A large simulation steps on a helper thread while this one
            // previews the step and stays responsive to commands.
            if self.is_large() {
                if !stepping {
                    let Some(mut sim) = self.sim.take() else {
                        continue;
                    };
                    let outcome = self
                        .aside
                        .complete_metrics(&mut sim, &mut self.publisher, rx);
                    self.sim = Some(sim);
                    if !self.after_aside(outcome) {
                        return;
                    }
                    continue;
                }
                if let Speed::Limited(per_second) = self.speed
                    && !step_due(&mut next_step_due, per_second)
                {
                    continue;
                }
                if !self.large_step(rx) {
                    return;
                }
                continue;
            }
            let Some(sim) = self.sim.as_mut() else {
                continue;
            };
            match self.speed {
                Speed::Limited(per_second) => {
                    if !step_due(&mut next_step_due, per_second) {
                        continue;
                    }
                    sim.step();
                    self.publisher.count_step();
                    let reached = self.target.is_some_and(|t| sim.step_count() >= t);
                    if reached {
                        self.target = None;
                        self.running = false;
                    }
                    // Slow runs show every step; fast ones at the publication rate.
                    if reached || per_second <= 20.0 || self.publisher.periodic_due() {
                        self.publish();
                    }
                }
                Speed::Unlimited => {
                    let start = Instant::now();
                    // Stop stepping as soon as a publication is due, so the heatmap's
                    // cadence is the publication interval plus at most one step.
                    let publication_at = self.publisher.periodic_at();
                    let mut reached = false;
                    loop {
                        if self.target.is_some_and(|t| sim.step_count() >= t) {
                            reached = true;
                            break;
                        }
                        sim.step();
                        self.publisher.count_step();
                        let now = Instant::now();
                        if now - start >= COMMAND_LATENCY || now >= publication_at {
                            break;
                        }
                    }
                    reached |= self.target.is_some_and(|t| sim.step_count() >= t);
                    if reached {
                        self.target = None;
                        self.running = false;
                    }
                    if reached || self.publisher.periodic_due() {
                        self.publish();
                    }
                }
            }
        }
    }

    /// Returns `false` on shutdown.
    fn handle(&mut self, cmd: WorkerCommand) -> bool {
        match cmd {
            WorkerCommand::Run => {
                self.running = self.sim.is_some();
                self.target = None;
            }
            WorkerCommand::Pause => {
                self.running = false;
                self.target = None;
            }
            WorkerCommand::Step(n) => {
                if let Some(sim) = &self.sim {
                    let base = self.target.unwrap_or_else(|| sim.step_count());
                    self.target = Some(base.saturating_add(n));
                    self.running = false;
                }
            }
            WorkerCommand::RunUntil(step) => {
                if let Some(sim) = &self.sim {
                    self.target = (step > sim.step_count()).then_some(step);
                    self.running = false;
                }
            }
            WorkerCommand::Reset => {
                if let Some(sim) = &mut self.sim {
                    sim.reset();
                }
                self.weights_copy.note_reset();
                self.running = false;
                self.target = None;
            }
            WorkerCommand::Configure(config) => match Simulation::new(*config) {
                Ok(sim) => self.replace(sim),
                Err(e) => {
                    let _ = self.events.send(WorkerEvent::ConfigRejected(e.to_string()));
                }
            },
            WorkerCommand::Load(sim) => self.replace(*sim),
            WorkerCommand::SetSpeed(speed) => self.speed = speed,
            WorkerCommand::Pin { i, j } => {
                if let Some(Err(e)) = self.sim.as_mut().map(|sim| sim.pin(i, j)) {
                    let _ = self.events.send(WorkerEvent::PinRejected(e.to_string()));
                }
            }
            WorkerCommand::Unpin { i, j } => {
                if let Some(sim) = &mut self.sim {
                    sim.unpin(i, j);
                }
            }
            WorkerCommand::SetView(view) => {
                if let Some(sim) = &mut self.sim {
                    sim.set_view(view.clone());
                }
                self.view = view;
            }
            WorkerCommand::CopyWeights => self.weights_copy.request(),
            WorkerCommand::With(job) => {
                if let Some(sim) = &mut self.sim {
                    // A save must hold the metrics of the step it saves.
                    sim.set_cancel(None);
                    sim.complete_metrics();
                    job(sim);
                }
                return true;
            }
            WorkerCommand::Shutdown => return false,
        }
        self.publish();
        true
    }

    fn replace(&mut self, mut sim: Simulation) {
        if sim.neurons() >= self.large_from {
            sim.set_view(self.view.clone());
        }
        self.weights_copy.forget();
        self.generation += 1;
        self.model = Some(Arc::new(ModelInfo::of(&sim, self.generation)));
        self.sim = Some(sim);
        self.running = false;
        self.target = None;
        let _ = self.events.send(WorkerEvent::Replaced {
            generation: self.generation,
        });
    }

    /// Takes a snapshot (one pass over the raw weights into a recycled buffer; nothing
    /// else is done to them here), stores the publication and wakes the UI.
    fn publish(&mut self) {
        // Fields that changed and have stopped changing (the end of a learned bank's
        // field phase, a reset, a load): the static facts follow, same generation.
        if let (Some(sim), Some(model)) = (&self.sim, &self.model)
            && sim.bank_version() != model.bank_version
            && sim.phase() == crate::model::Phase::Graph
        {
            self.model = Some(Arc::new(ModelInfo::of(sim, model.generation)));
        }
        let (Some(sim), Some(model)) = (&mut self.sim, &self.model) else {
            return;
        };
        let steps_per_second = self.publisher.steps_per_second();
        let taken_at = Instant::now();
        let snapshot = if model.neurons >= self.large_from {
            // No copy of W unless one was asked for; then one, reused while W stays.
            let copy = self.weights_copy.for_publication(sim, model.generation);
            sim.summary_snapshot(copy)
        } else {
            let snapshot = sim.snapshot_into(self.buffers.take_free(model.neurons));
            self.buffers.keep(snapshot.weights.clone());
            snapshot
        };
        let published = Arc::new(Published {
            id: self.publisher.next_id(),
            snapshot: Arc::new(snapshot),
            model: model.clone(),
            running: self.running || self.target.is_some(),
            target: self.target,
            steps_per_second,
            taken_at,
        });
        self.publisher.publish_complete(published);
    }

    /// Whether the simulation is large enough to step aside with previews
    /// ([`LARGE_NEURONS`]).
    fn is_large(&self) -> bool {
        self.model
            .as_ref()
            .is_some_and(|m| m.neurons >= self.large_from)
    }

    /// One step of a large simulation, applied on a helper thread while this one
    /// previews it and reads commands ([`AsideStepper`]); then the completed step is
    /// published. Returns `false` on shutdown.
    fn large_step(&mut self, rx: &Receiver<WorkerCommand>) -> bool {
        let Some(mut sim) = self.sim.take() else {
            return true;
        };
        let outcome = self
            .aside
            .step(&mut sim, &mut self.publisher, self.target, rx);
        self.sim = Some(sim);
        match outcome {
            Some(outcome) => self.after_aside(outcome),
            None => {
                // Training has stopped (diverged, or the step limit): nothing to step.
                self.running = false;
                self.target = None;
                self.publish();
                true
            }
        }
    }

    /// Follows up work done aside: the step counts, the target may be reached, the
    /// simulation's state is published, and the commands that arrived meanwhile are
    /// handled. Returns `false` on shutdown.
    fn after_aside(&mut self, outcome: AsideOutcome) -> bool {
        if outcome.stepped {
            self.publisher.count_step();
        }
        let reached = match (&self.sim, self.target) {
            (Some(sim), Some(t)) => sim.step_count() >= t,
            _ => false,
        };
        if reached {
            self.target = None;
            self.running = false;
        }
        if outcome.stepped || outcome.owed_metrics || !outcome.deferred.is_empty() {
            self.publish();
        }
        if outcome.disconnected {
            return false;
        }
        outcome.deferred.into_iter().all(|cmd| self.handle(cmd))
    }
}

/// Whether a step is due at a speed limited to `per_second` steps a second; if so, the
/// next one is due a period later (or now, when stepping has fallen behind).
fn step_due(next: &mut Instant, per_second: f64) -> bool {
    let now = Instant::now();
    if now < *next {
        return false;
    }
    let period = Duration::from_secs_f64(1.0 / per_second.clamp(0.01, 1e6));
    *next = (*next + period).max(now);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::learning::overview::Overview;

    fn assert_send<T: Send>() {}

    #[test]
    fn commands_and_publications_cross_threads() {
        assert_send::<WorkerCommand>();
        assert_send::<Arc<Published>>();
    }

    /// Reads publications until `done` says so (at most two minutes), keeping them all.
    fn watch(worker: &WorkerHandle, done: impl Fn(&Published) -> bool) -> Vec<Arc<Published>> {
        let start = Instant::now();
        let mut seen: Vec<Arc<Published>> = Vec::new();
        while start.elapsed() < Duration::from_secs(120) {
            if let Some(p) = worker.latest() {
                if seen.last().is_none_or(|q| q.id != p.id) {
                    seen.push(p.clone());
                }
                if done(&p) {
                    return seen;
                }
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        panic!("the worker did not get there");
    }

    /// A large simulation (here: from 1024 neurons on) steps on a helper thread while the
    /// worker previews the step, and is paused in the middle of a step or its metrics:
    /// it still learns exactly what a headless simulation learns, metric history
    /// included, and every preview is of a step under way.
    #[test]
    fn a_large_simulation_steps_aside_and_learns_what_headless_does() {
        steps_aside_as_headless(Duration::ZERO);
    }

    /// The same when pictures are seldom due: no previews, and each step's block sums
    /// are taken in at once while the step runs.
    #[test]
    fn without_previews_the_block_sums_still_follow_each_step() {
        steps_aside_as_headless(Duration::from_secs(3600));
    }

    /// Runs a large simulation aside with pictures at most every `interval`, pausing it
    /// on the way, and compares with a headless run: the same `W` and history, and block
    /// means of that `W` to rounding.
    fn steps_aside_as_headless(interval: Duration) {
        let config = crate::model::presets::by_name("torus-translate")
            .unwrap()
            .config;
        let worker = WorkerHandle::spawn_large_from(None, interval, 1024).unwrap();
        worker.send(WorkerCommand::Configure(Box::new(config.clone())));
        let first = watch(&worker, |_| true);
        let m = first[0].model.neurons;
        assert!(first[0].snapshot.summary.is_some(), "no copy of a large W");
        let view = ViewRequest {
            order: Arc::new((0..m).rev().collect()),
            order_id: 1,
            max_side: 64,
            viewport: Some((100..160, 900..1000)),
            row: Some(17),
        };
        worker.send(WorkerCommand::SetView(Some(view.clone())));
        worker.send(WorkerCommand::Run);
        watch(&worker, |p| p.snapshot.step >= 3);
        worker.send(WorkerCommand::Pause);
        let paused = watch(&worker, |p| !p.running);
        let at = paused.last().unwrap().snapshot.step;
        let target = at + 9;
        worker.send(WorkerCommand::RunUntil(target));
        let run = watch(&worker, |p| p.snapshot.step == target && !p.running);
        for p in run.iter().filter(|p| p.snapshot.partial.is_some()) {
            let partial = p.snapshot.partial.unwrap();
            assert!(partial.stimuli >= 1 && partial.stimuli <= partial.of);
            assert!(p.snapshot.step < target && p.running);
            let summary = p.snapshot.summary.as_ref().unwrap();
            assert_eq!((summary.order_id, summary.side), (1, 64));
            assert!(summary.viewport.is_some() && summary.row.is_some());
        }
        let (tx, rx) = mpsc::channel();
        worker.send(WorkerCommand::With(Box::new(move |sim| {
            let _ = tx.send((sim.weights(), sim.history().to_vec(), sim.metrics_due()));
        })));
        let (w, history, due) = rx.recv_timeout(Duration::from_secs(60)).unwrap();
        let mut headless = Simulation::new(config).unwrap();
        while headless.step_count() < target {
            headless.step();
        }
        assert!(!due);
        assert_eq!(history, headless.history());
        assert!(
            w.iter()
                .zip(&headless.weights())
                .all(|(a, b)| a.to_bits() == b.to_bits())
        );
        // The block sums the previews carried through the steps (and gave back after
        // each) are those of the learned W, to rounding.
        let shown = run.last().unwrap().snapshot.summary.clone().unwrap();
        let state = headless.learning_state();
        let exact = Overview::new(view, state).unwrap().summary(state);
        assert_eq!(shown.means.len(), exact.means.len());
        let largest = exact.means.iter().fold(0.0f32, |m, x| m.max(x.abs()));
        assert!(largest > 0.0);
        for (a, b) in shown.means.iter().zip(&exact.means) {
            assert!((a - b).abs() <= 1e-4 * largest, "{a} vs {b}");
        }
    }
}
