//! Renders big heatmaps on a helper thread, so the UI thread only uploads the texture.

use std::sync::{Arc, Condvar, Mutex};

use super::render::{HeatmapJob, RenderedHeatmap, render_heatmap};

type Slot<T> = Arc<(Mutex<Option<T>>, Condvar)>;

/// Renders big heatmaps on a helper thread; the newest job wins.
pub struct HeatmapRenderer {
    jobs: Slot<HeatmapJob>,
    done: Arc<Mutex<Option<Arc<RenderedHeatmap>>>>,
    busy: Arc<std::sync::atomic::AtomicBool>,
    _thread: Option<std::thread::JoinHandle<()>>,
}

impl HeatmapRenderer {
    /// Starts the helper thread; it calls `ctx.request_repaint()` after each render.
    pub fn new(ctx: Option<egui::Context>) -> Self {
        let jobs: Slot<HeatmapJob> = Arc::new((Mutex::new(None), Condvar::new()));
        let done = Arc::new(Mutex::new(None));
        let busy = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let thread = {
            let jobs = Arc::downgrade(&jobs);
            let done = done.clone();
            let busy = busy.clone();
            std::thread::Builder::new()
                .name("heatmap-render".into())
                .spawn(move || render_loop(&jobs, &done, &busy, ctx.as_ref()))
                .ok()
        };
        Self {
            jobs,
            done,
            busy,
            _thread: thread,
        }
    }

    /// Queues a job, replacing any queued one.
    pub fn submit(&self, job: HeatmapJob) {
        let (lock, cvar) = &*self.jobs;
        if let Ok(mut slot) = lock.lock() {
            *slot = Some(job);
        }
        cvar.notify_one();
    }

    /// Takes the newest finished render, if any.
    pub fn take(&self) -> Option<Arc<RenderedHeatmap>> {
        self.done.lock().ok()?.take()
    }

    /// Whether a job is queued or running.
    pub fn is_busy(&self) -> bool {
        let queued = self.jobs.0.lock().map(|s| s.is_some()).unwrap_or(false);
        queued || self.busy.load(std::sync::atomic::Ordering::Acquire)
    }
}

impl Drop for HeatmapRenderer {
    fn drop(&mut self) {
        // The thread holds only a weak reference to the job slot: wake it so it sees it is gone.
        self.jobs.1.notify_all();
    }
}

fn render_loop(
    jobs: &std::sync::Weak<(Mutex<Option<HeatmapJob>>, Condvar)>,
    done: &Mutex<Option<Arc<RenderedHeatmap>>>,
    busy: &std::sync::atomic::AtomicBool,
    ctx: Option<&egui::Context>,
) {
    use std::sync::atomic::Ordering;
    crate::app::background::lower_current_thread_priority();
    loop {
        let job = {
            let Some(jobs) = jobs.upgrade() else { return };
            let (lock, cvar) = &*jobs;
            let Ok(mut slot) = lock.lock() else { return };
            loop {
                if let Some(job) = slot.take() {
                    busy.store(true, Ordering::Release);
                    break job;
                }
                match cvar.wait_timeout(slot, std::time::Duration::from_millis(200)) {
                    Ok((s, _)) => slot = s,
                    Err(_) => return,
                }
                if std::sync::Arc::strong_count(&jobs) <= 1 {
                    return;
                }
            }
        };
        let rendered = Arc::new(render_heatmap(&job));
        if let Ok(mut slot) = done.lock() {
            *slot = Some(rendered);
        }
        busy.store(false, Ordering::Release);
        // Never request a repaint while holding a lock the UI also takes.
        if let Some(ctx) = ctx {
            ctx.request_repaint();
        }
    }
}
