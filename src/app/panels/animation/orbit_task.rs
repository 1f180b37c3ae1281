//! The orbit's background computation: one thread per request, its result polled each
//! frame; the UI never waits for it.

use std::sync::{Arc, Mutex};

use crate::transform::animation::{Animation, AnimationRequest};

/// Where the computing thread leaves its result.
type Slot = Arc<Mutex<Option<Result<Animation, String>>>>;

/// The latest computed animation, the one under way and the last failure, each with the
/// key of its request.
#[derive(Default)]
pub struct OrbitTask {
    computed: Option<(u64, Animation)>,
    pending: Option<(u64, Slot)>,
    failed: Option<(u64, String)>,
}

impl OrbitTask {
    /// True while an orbit is being computed.
    pub fn is_computing(&self) -> bool {
        self.pending.is_some()
    }

    /// The animation of `key`, once computed.
    pub fn computed(&self, key: u64) -> Option<&Animation> {
        self.computed
            .as_ref()
            .filter(|(k, _)| *k == key)
            .map(|(_, a)| a)
    }

    /// The last animation computed, whatever its key.
    pub fn latest(&self) -> Option<&Animation> {
        self.computed.as_ref().map(|(_, a)| a)
    }

    /// Why the animation of `key` could not be computed.
    pub fn failed(&self, key: u64) -> Option<&str> {
        self.failed
            .as_ref()
            .filter(|(k, _)| *k == key)
            .map(|(_, e)| e.as_str())
    }

    /// Collects a finished computation, then starts the one for `key` (built by
    /// `request`) unless it is done, under way, or another one still runs. Returns the
    /// number of frames of an animation that has just arrived.
    pub fn ensure(
        &mut self,
        ctx: &egui::Context,
        key: u64,
        request: impl FnOnce() -> AnimationRequest,
    ) -> Option<usize> {
        let mut arrived = None;
        if let Some((pending_key, slot)) = &self.pending {
            let finished = slot.lock().ok().and_then(|mut s| s.take());
            if let Some(result) = finished {
                let k = *pending_key;
                self.pending = None;
                match result {
                    Ok(a) => {
                        arrived = Some(a.orbit.len());
                        self.computed = Some((k, a));
                    }
                    Err(e) => self.failed = Some((k, e)),
                }
            } else {
                ctx.request_repaint_after(std::time::Duration::from_millis(50));
            }
        }
        let done = self.computed(key).is_some() || self.failed(key).is_some();
        let running = self.pending.as_ref().is_some_and(|(k, _)| *k == key);
        if done || running || self.pending.is_some() {
            if !done && !running {
                // Another computation is still running; ask again once it is done.
                ctx.request_repaint_after(std::time::Duration::from_millis(50));
            }
            return arrived;
        }
        let slot: Slot = Arc::default();
        let job = request();
        let out = slot.clone();
        let repaint = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("animation-orbit".into())
            .spawn(move || {
                let result = job.compute().map_err(|e| e.to_string());
                if let Ok(mut s) = out.lock() {
                    *s = Some(result);
                }
                repaint.request_repaint();
            });
        match spawned {
            Ok(_) => self.pending = Some((key, slot)),
            Err(e) => self.failed = Some((key, format!("cannot start a thread: {e}"))),
        }
        arrived
    }
}
