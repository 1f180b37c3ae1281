//! The simulation thread. The UI sends [`WorkerCommand`]s; the worker publishes
//! immutable [`Published`] pictures (latest wins) and wakes the UI ([`Waker`]) — never
//! while holding the lock the UI reads. The UI never waits for the worker.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use ndarray::Array2;

use super::Waker;
use crate::cancel::CancelToken;
use crate::model::learning::overview::ViewRequest;
use crate::model::learning::snapshot::PartialStep;
use crate::model::learning::step_preview::StepPreview;
use crate::model::learning::{PreparedStep, UpdateParams};
use crate::model::{NeuronLabel, SimConfig, Simulation, Snapshot, SnapshotWeights, Transformation};

/// From this many neurons on (`W` of 256 MiB and more) the worker publishes no copy of
/// `W` while training: the snapshots carry the view's block means, window of exact
/// cells and row ([`crate::model::learning::overview`]), kept up to date by the simulation at a
/// small fraction of a step. A copy of `W` (for a search or an export) is taken only on
/// request ([`WorkerCommand::CopyWeights`]), and published until `W` changes.
pub const LARGE_NEURONS: usize = 8192;
use crate::perm::Permutation;

/// How fast the worker steps while running.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Speed {
    /// At most this many steps per second (e.g. 1 to watch single stimuli).
    Limited(f64),
    /// As fast as the machine allows.
    Unlimited,
}

/// A job run on the worker thread with read access to the simulation (save, export).
pub type SimulationJob = Box<dyn FnOnce(&Simulation) + Send>;

/// What the UI asks the simulation thread to do.
pub enum WorkerCommand {
    /// Start stepping continuously at the current speed.
    Run,
    /// Stop stepping; the current step completes first.
    Pause,
    /// Take this many steps (at the current speed), then pause.
    Step(u64),
    /// Run until the step counter reaches this value, then pause.
    RunUntil(u64),
    /// Back to step 0 with the initial weights (same bank and hidden order).
    Reset,
    /// Replace the simulation by a new one built from this configuration.
    Configure(Box<SimConfig>),
    /// Replace the simulation by one loaded from a file.
    Load(Box<Simulation>),
    /// Change the stepping speed.
    SetSpeed(Speed),
    /// Pin `w_ij` (stored indices): its history is recorded from now on and published
    /// with every snapshot.
    Pin {
        /// Row.
        i: usize,
        /// Column.
        j: usize,
    },
    /// Stop recording `w_ij` and forget its history.
    Unpin {
        /// Row.
        i: usize,
        /// Column.
        j: usize,
    },
    /// What the heatmap of a large matrix shows (order, window of exact cells, inspected
    /// row): from now on the worker keeps its block sums and publishes them, instead of a
    /// copy of `W`, while training (see [`LARGE_NEURONS`]).
    SetView(Option<ViewRequest>),
    /// Publish a copy of a large `W` (for a search or an export): taken once, and
    /// published again until the weights change.
    CopyWeights,
    /// Run a closure with read access to the simulation on the worker thread.
    With(SimulationJob),
    /// End the thread.
    Shutdown,
}

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

/// Per-simulation facts that do not change while it runs.
pub struct ModelInfo {
    /// Increments whenever the simulation is replaced.
    pub generation: u64,
    /// Its configuration.
    pub config: SimConfig,
    /// Number of detectors.
    pub neurons: usize,
    /// Labels in stored order (display and scoring only).
    pub labels: Arc<Vec<NeuronLabel>>,
    /// Receptive fields, M × pixels.
    pub fields: Arc<Array2<f32>>,
    /// The tracked true transformation as a neuron permutation.
    pub true_permutation: Permutation,
    /// Every exact symmetry the bank is closed under (scoring only).
    pub ground_truth: Arc<Vec<(Transformation, Permutation)>>,
    /// The neurons consistency counts (`None`: all); on an open line its interior, as
    /// [`Simulation::scored_neurons`] says and the CLI's JSON counts.
    pub scored: Option<Arc<Vec<bool>>>,
    /// The simulation's bank version these facts describe (a learned bank's fields,
    /// labels and true permutation are refreshed once its field phase ends).
    pub bank_version: u64,
}

/// The static facts of `sim` for generation `generation`.
fn model_info(sim: &Simulation, generation: u64) -> ModelInfo {
    ModelInfo {
        generation,
        config: sim.config().clone(),
        neurons: sim.neurons(),
        labels: Arc::new(sim.labels().to_vec()),
        fields: Arc::new(sim.fields().clone()),
        true_permutation: sim.true_permutation().clone(),
        ground_truth: Arc::new(sim.ground_truth_transformations()),
        scored: sim.scored_neurons().map(|m| Arc::new(m.to_vec())),
        bank_version: sim.bank_version(),
    }
}

/// One published picture of the worker's state.
pub struct Published {
    /// Increments with every publication (identifies the snapshot for the heatmap).
    pub id: u64,
    /// The simulation's snapshot.
    pub snapshot: Arc<Snapshot>,
    /// Static facts about the simulation.
    pub model: Arc<ModelInfo>,
    /// Whether the worker is stepping.
    pub running: bool,
    /// Step at which the worker will pause by itself, if any.
    pub target: Option<u64>,
    /// Measured steps per second over the last publication interval.
    pub steps_per_second: f64,
    /// When the simulation thread took the snapshot.
    pub taken_at: Instant,
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
                    publications: 0,
                    slot,
                    seen: seen_by_ui,
                    repaint,
                    events: event_tx,
                    buffers: BufferPool::default(),
                    publish_interval,
                    last_publish: Instant::now(),
                    steps_since_publish: 0,
                    view: None,
                    resets: 0,
                    paused_copy: None,
                    copy_requested: false,
                    pace: Pace::default(),
                    last_complete: None,
                    last_picture: Instant::now(),
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

    /// Sends a command; returns `false` if the worker is gone.
    pub fn send(&self, command: WorkerCommand) -> bool {
        self.commands.send(command).is_ok()
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
    publications: u64,
    /// Where the newest publication goes (the UI reads it from here).
    slot: Arc<Mutex<Option<Arc<Published>>>>,
    seen: Arc<AtomicBool>,
    /// Wakes the UI after each publication.
    repaint: Option<Waker>,
    events: Sender<WorkerEvent>,
    buffers: BufferPool,
    publish_interval: Duration,
    last_publish: Instant,
    steps_since_publish: u64,
    /// The view of a large matrix ([`WorkerCommand::SetView`]).
    view: Option<ViewRequest>,
    /// Counts resets (with the generation and the step it identifies a state of `W`).
    resets: u64,
    /// A large matrix's copy of `W` taken on request, and the state it shows.
    paused_copy: Option<((u64, u64, u64), Arc<SnapshotWeights>)>,
    /// A copy of a large `W` was asked for and not yet published.
    copy_requested: bool,
    /// How long a large simulation's steps take (the pace of the previews).
    pace: Pace,
    /// The newest publication of a completed step (what previews are built on).
    last_complete: Option<Arc<Published>>,
    /// When the newest picture (a completed step's or a preview) was published.
    last_picture: Instant,
    /// From this many neurons on a simulation is large ([`LARGE_NEURONS`]).
    large_from: usize,
}

/// Recent durations of a large simulation's steps, with and without metrics: a preview
/// takes in the batch's stimuli at the pace the step is expected to take.
#[derive(Default)]
struct Pace {
    plain_secs: Option<f64>,
    with_metrics_secs: Option<f64>,
}

impl Pace {
    /// The expected duration of a step (with its metrics, if `metrics`), once one was
    /// measured: a little more than the recent ones, so the preview seldom waits for the
    /// step at its end.
    fn expected(&self, metrics: bool) -> Option<f64> {
        let plain = self.plain_secs?;
        let secs = if metrics {
            self.with_metrics_secs.unwrap_or(plain)
        } else {
            plain
        };
        Some(1.05 * secs)
    }

    /// Remembers that a step took `secs` (a moving average over a few steps).
    fn observe(&mut self, metrics: bool, secs: f64) {
        let slot = if metrics {
            &mut self.with_metrics_secs
        } else {
            &mut self.plain_secs
        };
        *slot = Some(slot.map_or(secs, |old| 0.5 * old + 0.5 * secs));
        if self.plain_secs.is_none() {
            self.plain_secs = Some(secs);
        }
    }
}

/// The preview of a large step under way ([`Worker::publish_preview`]).
enum Preview {
    /// To be built from the step's batch when the first picture is due.
    Due(PreparedStep),
    /// Built, and advanced through the stimuli shown so far.
    Built(Box<StepPreview>),
    /// None to be had (no picture of the view's order yet, a rule without block sums).
    None,
}

/// What a large simulation does on the helper thread ([`Worker::run_aside`]).
enum AsideWork {
    /// Apply a prepared step (and its scheduled metrics).
    Step(PreparedStep),
    /// Compute metrics a cancelled step left due.
    Metrics,
}

impl AsideWork {
    fn perform(self, sim: &mut Simulation) {
        match self {
            AsideWork::Step(prepared) => sim.apply_step(prepared),
            AsideWork::Metrics => {
                sim.complete_metrics();
            }
        }
    }
}

/// Commands that stop the work under way on the helper thread (it is undone, or its
/// metrics left due): the rest wait for it.
fn interrupts(cmd: &WorkerCommand) -> bool {
    matches!(
        cmd,
        WorkerCommand::Pause
            | WorkerCommand::Reset
            | WorkerCommand::Configure(_)
            | WorkerCommand::Load(_)
            | WorkerCommand::Shutdown
    )
}

/// How often the worker looks at the command queue and the helper thread while a large
/// step runs aside.
const ASIDE_POLL: Duration = Duration::from_millis(5);

/// How many recent weight matrices are kept for reuse (the UI holds at most the newest
/// publication, the displayed heatmap's matrix and a running search's copy).
const WEIGHT_BUFFERS: usize = 4;

/// Weight matrices of recent publications: one nobody else holds any more is overwritten
/// by the next snapshot instead of allocating (and page-faulting) 16 MB anew.
#[derive(Default)]
struct BufferPool {
    recent: Vec<Arc<SnapshotWeights>>,
}

impl BufferPool {
    /// A weight buffer of shape `m × m` that no publication uses any more, if any.
    fn take_free(&mut self, m: usize) -> Option<Array2<f32>> {
        let k = self
            .recent
            .iter()
            .position(|w| Arc::strong_count(w) == 1 && w.neurons() == m)?;
        Arc::try_unwrap(self.recent.remove(k))
            .ok()
            .and_then(SnapshotWeights::into_buffer)
    }

    /// Remembers the weights of a new publication.
    fn keep(&mut self, weights: Arc<SnapshotWeights>) {
        self.recent.push(weights);
        if self.recent.len() > WEIGHT_BUFFERS {
            self.recent.remove(0);
        }
    }
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
                    if !self.run_aside(rx, AsideWork::Metrics, None, false) {
                        return;
                    }
                    continue;
                }
                if let Speed::Limited(per_second) = self.speed {
                    let now = Instant::now();
                    if now < next_step_due {
                        continue;
                    }
                    let period = Duration::from_secs_f64(1.0 / per_second.clamp(0.01, 1e6));
                    next_step_due = (next_step_due + period).max(now);
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
                    let now = Instant::now();
                    if now < next_step_due {
                        continue;
                    }
                    sim.step();
                    self.steps_since_publish += 1;
                    let period = Duration::from_secs_f64(1.0 / per_second.clamp(0.01, 1e6));
                    next_step_due = (next_step_due + period).max(now);
                    let reached = self.target.is_some_and(|t| sim.step_count() >= t);
                    if reached {
                        self.target = None;
                        self.running = false;
                    }
                    // Slow runs show every step; fast ones at the publication rate.
                    if reached || per_second <= 20.0 || self.periodic_publication_due() {
                        self.publish();
                    }
                }
                Speed::Unlimited => {
                    let start = Instant::now();
                    // Stop stepping as soon as a publication is due, so the heatmap's
                    // cadence is the publication interval plus at most one step.
                    let publication_at = self.last_publish + self.publish_interval;
                    let mut reached = false;
                    loop {
                        if self.target.is_some_and(|t| sim.step_count() >= t) {
                            reached = true;
                            break;
                        }
                        sim.step();
                        self.steps_since_publish += 1;
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
                    if reached || self.periodic_publication_due() {
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
                self.resets += 1;
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
            WorkerCommand::CopyWeights => self.copy_requested = true,
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
        self.paused_copy = None;
        self.generation += 1;
        self.model = Some(Arc::new(model_info(&sim, self.generation)));
        self.sim = Some(sim);
        self.running = false;
        self.target = None;
        let _ = self.events.send(WorkerEvent::Replaced {
            generation: self.generation,
        });
    }

    /// A periodic snapshot is due: the interval has passed and the UI has read the
    /// previous one.
    fn periodic_publication_due(&self) -> bool {
        self.last_publish.elapsed() >= self.publish_interval && self.seen.load(Ordering::Acquire)
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
            self.model = Some(Arc::new(model_info(sim, model.generation)));
        }
        let (Some(sim), Some(model)) = (&mut self.sim, &self.model) else {
            return;
        };
        let elapsed = self.last_publish.elapsed().as_secs_f64();
        let steps_per_second = if elapsed > 0.0 {
            self.steps_since_publish as f64 / elapsed
        } else {
            0.0
        };
        self.publications += 1;
        let taken_at = Instant::now();
        let snapshot = if model.neurons >= self.large_from {
            // No copy of W unless one was asked for; then one, reused while W stays.
            let state = (model.generation, sim.step_count(), self.resets);
            let copy = match self.paused_copy.take() {
                Some((s, copy)) if s == state => Some(copy),
                _ if self.copy_requested => {
                    Some(Arc::new(SnapshotWeights::from_full(sim.weights())))
                }
                _ => None,
            };
            self.copy_requested = false;
            self.paused_copy = copy.clone().map(|c| (state, c));
            sim.summary_snapshot(copy)
        } else {
            let snapshot = sim.snapshot_into(self.buffers.take_free(model.neurons));
            self.buffers.keep(snapshot.weights.clone());
            snapshot
        };
        let published = Arc::new(Published {
            id: self.publications,
            snapshot: Arc::new(snapshot),
            model: model.clone(),
            running: self.running || self.target.is_some(),
            target: self.target,
            steps_per_second,
            taken_at,
        });
        self.last_complete = Some(published.clone());
        self.store(published);
        self.last_publish = Instant::now();
        self.steps_since_publish = 0;
    }

    /// Stores a publication (the UI reads it from the slot) and wakes the UI.
    fn store(&mut self, published: Arc<Published>) {
        if let Ok(mut slot) = self.slot.lock() {
            *slot = Some(published);
            self.seen.store(false, Ordering::Release);
        }
        self.last_picture = Instant::now();
        // The lock is released here, before waking the UI.
        if let Some(wake) = &self.repaint {
            wake();
        }
    }

    /// Whether the simulation is large enough to step aside with previews
    /// ([`LARGE_NEURONS`]).
    fn is_large(&self) -> bool {
        self.model
            .as_ref()
            .is_some_and(|m| m.neurons >= self.large_from)
    }

    /// One step of a large simulation: its batch is drawn and encoded here, learned from
    /// on a helper thread ([`Worker::run_aside`]) while this thread previews it; then
    /// the completed step is published. Returns `false` on shutdown.
    fn large_step(&mut self, rx: &Receiver<WorkerCommand>) -> bool {
        let Some(sim) = self.sim.as_mut() else {
            return true;
        };
        sim.set_cancel(None);
        let Some(prepared) = sim.prepare_step() else {
            // Training has stopped (diverged, or the step limit): nothing to step.
            self.running = false;
            self.target = None;
            self.publish();
            return true;
        };
        let metrics = sim.metrics_ahead(&prepared);
        // The preview is built once the first picture is due, from the newest published
        // picture and the batch's activities (shared, not copied).
        let preview = self.view.is_some().then(|| Preview::Due(prepared.clone()));
        self.run_aside(rx, AsideWork::Step(prepared), preview, metrics)
    }

    /// Runs `work` on a helper thread, holding the simulation, while this thread
    /// publishes `preview` as it takes in the step's stimuli (at the pace the step is
    /// expected to take, at most once per publication interval and only once the UI
    /// has read the previous picture) and reads commands: those that [`interrupts`]
    /// cancel the work, all are handled once it has finished. Then the simulation's
    /// state is published. Returns `false` on shutdown.
    fn run_aside(
        &mut self,
        rx: &Receiver<WorkerCommand>,
        work: AsideWork,
        mut preview: Option<Preview>,
        metrics: bool,
    ) -> bool {
        let Some(mut sim) = self.sim.take() else {
            return true;
        };
        let token = CancelToken::new();
        sim.set_cancel(Some(token.clone()));
        let before = (sim.step_count(), sim.metrics_due());
        let stepping = matches!(work, AsideWork::Step(_));
        let expected = if stepping {
            self.pace.expected(metrics)
        } else {
            None
        };
        let started = Instant::now();
        let mut deferred = Vec::new();
        let mut disconnected = false;
        let spawned = std::thread::scope(|scope| {
            let job = std::thread::Builder::new()
                .name("simulation-step".into())
                .spawn_scoped(scope, || work.perform(&mut sim));
            let Ok(job) = job else {
                return false;
            };
            while !job.is_finished() {
                match rx.recv_timeout(ASIDE_POLL) {
                    Ok(cmd) => {
                        if interrupts(&cmd) {
                            token.cancel();
                        }
                        deferred.push(cmd);
                    }
                    Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => {
                        token.cancel();
                        disconnected = true;
                    }
                }
                if let (Some(preview), Some(expected)) = (preview.as_mut(), expected) {
                    self.publish_preview(preview, started.elapsed().as_secs_f64() / expected);
                }
            }
            let _ = job.join();
            true
        });
        if !spawned {
            // No thread to be had: the step here, without previews (the same bits).
            sim.step();
        }
        sim.set_cancel(None);
        let stepped = sim.step_count() > before.0;
        if stepped && !token.is_cancelled() {
            self.pace.observe(metrics, started.elapsed().as_secs_f64());
        }
        if stepped {
            self.steps_since_publish += 1;
        }
        let reached = self.target.is_some_and(|t| sim.step_count() >= t);
        self.sim = Some(sim);
        if reached {
            self.target = None;
            self.running = false;
        }
        if stepped || before.1 || !deferred.is_empty() {
            self.publish();
        }
        if disconnected {
            return false;
        }
        deferred.into_iter().all(|cmd| self.handle(cmd))
    }

    /// Publishes `preview` after the share `progress` of its step's stimuli (at most all
    /// but the last), built on the newest completed step's publication, if a picture is
    /// due and shows something new.
    fn publish_preview(&mut self, preview: &mut Preview, progress: f64) {
        // A little more often than completed steps: the UI reads a picture at its next
        // frame, so the interval alone would round 10 a second down.
        let due = self.last_picture.elapsed() >= self.publish_interval * 3 / 4
            && self.seen.load(Ordering::Acquire);
        let Some(base) = self.last_complete.clone() else {
            return;
        };
        if !due {
            return;
        }
        if let Preview::Due(prepared) = preview {
            let built = match (&base.snapshot.summary, &self.view) {
                (Some(start), Some(view)) => {
                    let config = &base.model.config;
                    let params = UpdateParams {
                        rule: config.rule,
                        learning_rate: config.learning_rate,
                        decay: config.decay,
                    };
                    prepared.preview(start, view, &params)
                }
                _ => None,
            };
            *preview = built.map_or(Preview::None, |p| Preview::Built(Box::new(p)));
        }
        let Preview::Built(preview) = preview else {
            return;
        };
        let batch = preview.batch();
        let k = ((progress * batch as f64) as usize).min(batch.saturating_sub(1));
        if k <= preview.taken() {
            return;
        }
        preview.advance_to(k);
        let summary = Arc::new(preview.summary());
        let mut snapshot = (*base.snapshot).clone();
        snapshot.weights = Arc::new(SnapshotWeights::Summary(summary.clone()));
        snapshot.summary = Some(summary);
        snapshot.partial = Some(PartialStep {
            stimuli: k,
            of: batch,
        });
        // The stimulus and activities stay those of the completed step: panels that
        // follow them (the most active neuron's field and row) would otherwise redo their
        // work at every preview, on the UI thread.
        self.publications += 1;
        let published = Arc::new(Published {
            id: self.publications,
            snapshot: Arc::new(snapshot),
            model: base.model.clone(),
            running: true,
            target: self.target,
            steps_per_second: base.steps_per_second,
            taken_at: Instant::now(),
        });
        self.store(published);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let config = crate::model::presets::by_name("torus-translate")
            .unwrap()
            .config;
        let worker = WorkerHandle::spawn_large_from(None, Duration::ZERO, 1024).unwrap();
        worker.send(WorkerCommand::Configure(Box::new(config.clone())));
        let first = watch(&worker, |_| true);
        let m = first[0].model.neurons;
        assert!(first[0].snapshot.summary.is_some(), "no copy of a large W");
        worker.send(WorkerCommand::SetView(Some(ViewRequest {
            order: Arc::new((0..m).rev().collect()),
            order_id: 1,
            max_side: 64,
            viewport: Some((100..160, 900..1000)),
            row: Some(17),
        })));
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
            assert!(partial.stimuli >= 1 && partial.stimuli < partial.of);
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
    }
}
