//! How a large simulation steps ([`super::LARGE_NEURONS`]): each step's batch is drawn
//! and encoded on the simulation thread, then learned from on a helper thread while the
//! simulation thread previews it ([`PreviewFeed`]) and keeps reading commands — those
//! that interrupt cancel the step, the rest wait for it. A step takes long enough at
//! that size (a tenth of a second, seconds with metrics) that a UI waiting for it would
//! feel it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

use super::command::WorkerCommand;
use super::preview_feed::PreviewFeed;
use super::publisher::Publisher;
use super::step_pace::Pace;
use crate::cancel::CancelToken;
use crate::model::Simulation;
use crate::model::learning::PreparedStep;

/// The longest the simulation thread sleeps while a large step runs aside before it looks
/// at the command queue and takes in the previewed stimuli (the end of the step and a
/// new command wake it at once).
const ASIDE_POLL: Duration = Duration::from_millis(5);

/// What a large simulation does on the helper thread.
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

/// What happened while work ran aside, for the worker to follow up.
pub(super) struct AsideOutcome {
    /// A step was taken.
    pub stepped: bool,
    /// Metrics were due before (a publication shows they are no longer).
    pub owed_metrics: bool,
    /// Commands that arrived meanwhile, in order, to be handled now.
    pub deferred: Vec<WorkerCommand>,
    /// The command channel closed (the UI is gone).
    pub disconnected: bool,
}

/// Steps a large simulation aside, at the pace its steps have taken so far.
#[derive(Default)]
pub(super) struct AsideStepper {
    /// How long steps take (the pace of the previews).
    pace: Pace,
}

impl AsideStepper {
    /// One step of `sim` aside, previewed on `publisher` (the worker's `target` goes
    /// into the previews); `None` when training has stopped (diverged, or the step
    /// limit) and there is nothing to step.
    pub(super) fn step(
        &mut self,
        sim: &mut Simulation,
        publisher: &mut Publisher,
        target: Option<u64>,
        rx: &Receiver<WorkerCommand>,
    ) -> Option<AsideOutcome> {
        sim.set_cancel(None);
        let prepared = sim.prepare_step()?;
        let metrics = sim.metrics_ahead(&prepared);
        let feed = PreviewFeed::start(sim, &prepared, publisher.last_complete());
        let work = AsideWork::Step(prepared);
        Some(self.run(sim, work, feed, metrics, publisher, target, rx))
    }

    /// Computes the metrics a cancelled step left due, aside.
    pub(super) fn complete_metrics(
        &mut self,
        sim: &mut Simulation,
        publisher: &mut Publisher,
        rx: &Receiver<WorkerCommand>,
    ) -> AsideOutcome {
        self.run(sim, AsideWork::Metrics, None, false, publisher, None, rx)
    }

    /// Runs `work` on a helper thread, holding the simulation, while this thread lets
    /// `feed` follow the step (at the pace it is expected to take; previews when a
    /// picture is due) and reads commands.
    #[allow(clippy::too_many_arguments)]
    fn run(
        &mut self,
        sim: &mut Simulation,
        work: AsideWork,
        mut feed: Option<PreviewFeed>,
        metrics: bool,
        publisher: &mut Publisher,
        target: Option<u64>,
        rx: &Receiver<WorkerCommand>,
    ) -> AsideOutcome {
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
        // The helper sets `done` and wakes this thread when the work ends; the UI wakes
        // it when it sends a command ([`super::WorkerHandle::send`]). A wait on the
        // command channel alone would notice the end of a step only at its next timeout,
        // on average half of it later, and the next step would start that much late.
        let done = AtomicBool::new(false);
        let spawned = std::thread::scope(|scope| {
            let (waker, finished, held) = (std::thread::current(), &done, &mut *sim);
            let job = std::thread::Builder::new()
                .name("simulation-step".into())
                .spawn_scoped(scope, move || {
                    work.perform(held);
                    finished.store(true, Ordering::Release);
                    waker.unpark();
                });
            let Ok(job) = job else {
                return false;
            };
            // (`is_finished` too, should the work panic before it sets `done`.)
            while !done.load(Ordering::Acquire) && !job.is_finished() {
                std::thread::park_timeout(ASIDE_POLL);
                loop {
                    match rx.try_recv() {
                        Ok(cmd) => {
                            if cmd.interrupts_aside_work() {
                                token.cancel();
                            }
                            deferred.push(cmd);
                        }
                        Err(TryRecvError::Empty) => break,
                        Err(TryRecvError::Disconnected) => {
                            token.cancel();
                            disconnected = true;
                            break;
                        }
                    }
                }
                if let (Some(feed), Some(expected)) = (feed.as_mut(), expected) {
                    let elapsed = started.elapsed().as_secs_f64();
                    let left = Duration::from_secs_f64((expected - elapsed).max(0.0));
                    feed.follow(elapsed / expected, left, publisher, target);
                }
            }
            let _ = job.join();
            true
        });
        if !spawned {
            // No thread to be had: the work here, without previews (the same bits).
            if stepping {
                sim.step();
            } else {
                sim.complete_metrics();
            }
        }
        let took = started.elapsed().as_secs_f64();
        sim.set_cancel(None);
        let stepped = sim.step_count() > before.0;
        if stepped && !token.is_cancelled() {
            self.pace.observe(metrics, took);
        }
        if let Some(feed) = feed {
            feed.finish(sim, stepped);
        }
        AsideOutcome {
            stepped,
            owed_metrics: before.1,
            deferred,
            disconnected,
        }
    }
}
