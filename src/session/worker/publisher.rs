//! Where the simulation thread's pictures go: the slot the UI reads the newest from,
//! and the cadence of publications (periodic ones and previews only once the UI has
//! read the previous picture).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::published::Published;
use crate::session::Waker;

/// The slot of the newest publication, the UI's "read it" flag, and when pictures were
/// last published.
pub(super) struct Publisher {
    /// Where the newest publication goes (the UI reads it from here).
    slot: Arc<Mutex<Option<Arc<Published>>>>,
    /// Set by the UI when it has read the newest publication.
    seen: Arc<AtomicBool>,
    /// Wakes the UI after each publication.
    repaint: Option<Waker>,
    /// Bounds how often periodic pictures are published while running.
    interval: Duration,
    /// Publications so far (the next one's id follows).
    count: u64,
    /// When the newest picture of a completed step (or of an idle simulation) was
    /// published, and the steps taken since.
    last_complete_at: Instant,
    steps_since: u64,
    /// The newest publication of a completed step (what previews are built on).
    last_complete: Option<Arc<Published>>,
    /// When the newest picture (a completed step's or a preview) was published.
    last_picture: Instant,
}

impl Publisher {
    /// Publishes into `slot`, with `seen` set by the UI when it has read the newest
    /// picture; wakes the UI with `repaint`; periodic pictures at most every `interval`.
    pub(super) fn new(
        slot: Arc<Mutex<Option<Arc<Published>>>>,
        seen: Arc<AtomicBool>,
        repaint: Option<Waker>,
        interval: Duration,
    ) -> Self {
        Self {
            slot,
            seen,
            repaint,
            interval,
            count: 0,
            last_complete_at: Instant::now(),
            steps_since: 0,
            last_complete: None,
            last_picture: Instant::now(),
        }
    }

    /// The id of the next publication.
    pub(super) fn next_id(&mut self) -> u64 {
        self.count += 1;
        self.count
    }

    /// Counts a step taken since the last picture of a completed step.
    pub(super) fn count_step(&mut self) {
        self.steps_since += 1;
    }

    /// Steps per second since the last picture of a completed step.
    pub(super) fn steps_per_second(&self) -> f64 {
        let elapsed = self.last_complete_at.elapsed().as_secs_f64();
        if elapsed > 0.0 {
            self.steps_since as f64 / elapsed
        } else {
            0.0
        }
    }

    /// When the next periodic picture is due (a run of quick steps stops there).
    pub(super) fn periodic_at(&self) -> Instant {
        self.last_complete_at + self.interval
    }

    /// A periodic picture is due: the interval has passed and the UI has read the
    /// previous one.
    pub(super) fn periodic_due(&self) -> bool {
        self.last_complete_at.elapsed() >= self.interval && self.seen.load(Ordering::Acquire)
    }

    /// A preview of a step under way is due: three quarters of the interval have passed
    /// since the last picture (the UI reads a picture at its next frame, and a busy
    /// machine is late, so the interval alone would give fewer than 10 a second), the UI
    /// has read that picture, and the step is not expected to end within half an
    /// interval (`left`: its expected remaining time; its own picture comes then, and a
    /// preview just before it is work nobody sees — so steps shorter than the interval
    /// have no previews).
    pub(super) fn preview_due(&self, left: Duration) -> bool {
        let ends_soon = !left.is_zero() && left < self.interval / 2;
        !ends_soon
            && self.last_picture.elapsed() >= self.preview_interval()
            && self.seen.load(Ordering::Acquire)
    }

    /// The least time between a picture and a preview after it.
    fn preview_interval(&self) -> Duration {
        self.interval * 3 / 4
    }

    /// Whether a preview may still be due before a step expected to take `left` more
    /// ends (see [`Publisher::preview_due`]).
    pub(super) fn preview_possible(&self, left: Duration) -> bool {
        let wait = self
            .preview_interval()
            .saturating_sub(self.last_picture.elapsed());
        left >= wait + self.interval / 2
    }

    /// The newest publication of a completed step.
    pub(super) fn last_complete(&self) -> Option<&Arc<Published>> {
        self.last_complete.as_ref()
    }

    /// Publishes the picture of a completed step (or of an idle simulation).
    pub(super) fn publish_complete(&mut self, published: Arc<Published>) {
        self.last_complete = Some(published.clone());
        self.store(published);
        self.last_complete_at = Instant::now();
        self.steps_since = 0;
    }

    /// Publishes a preview of a step under way.
    pub(super) fn publish_preview(&mut self, published: Arc<Published>) {
        self.store(published);
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
}
