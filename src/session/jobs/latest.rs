//! A helper thread that works on the newest request only: a request queued while it is
//! busy replaces the one waiting, and only the newest result is kept (the heatmap's
//! renders, where a frame wants the newest picture and never a backlog).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, Weak};
use std::time::Duration;

use crate::session::Waker;

type Slot<T> = Arc<(Mutex<Option<T>>, Condvar)>;

/// A helper thread running `work` on the newest request; the newest result waits to be
/// taken.
pub struct Latest<J, R> {
    jobs: Slot<J>,
    done: Arc<Mutex<Option<R>>>,
    busy: Arc<AtomicBool>,
    _thread: Option<std::thread::JoinHandle<()>>,
}

impl<J: Send + 'static, R: Send + 'static> Latest<J, R> {
    /// Starts the helper thread `name` (at background priority,
    /// [`crate::session::background`]); it calls `repaint` after each result. Should the
    /// thread not start, requests stay queued and no result ever comes.
    pub fn spawn(
        name: &str,
        work: impl Fn(J) -> R + Send + 'static,
        repaint: Option<Waker>,
    ) -> Self {
        let jobs: Slot<J> = Arc::new((Mutex::new(None), Condvar::new()));
        let done = Arc::new(Mutex::new(None));
        let busy = Arc::new(AtomicBool::new(false));
        let thread = {
            let jobs = Arc::downgrade(&jobs);
            let done = done.clone();
            let busy = busy.clone();
            std::thread::Builder::new()
                .name(name.into())
                .spawn(move || work_loop(&jobs, &done, &busy, &work, repaint.as_ref()))
                .ok()
        };
        Self {
            jobs,
            done,
            busy,
            _thread: thread,
        }
    }

    /// Queues a request, replacing any queued one.
    pub fn submit(&self, job: J) {
        let (lock, cvar) = &*self.jobs;
        if let Ok(mut slot) = lock.lock() {
            *slot = Some(job);
        }
        cvar.notify_one();
    }

    /// Takes the newest finished result, if any.
    pub fn take(&self) -> Option<R> {
        self.done.lock().ok()?.take()
    }

    /// Whether a request is queued or being worked on.
    pub fn is_busy(&self) -> bool {
        let queued = self.jobs.0.lock().map(|s| s.is_some()).unwrap_or(false);
        queued || self.busy.load(Ordering::Acquire)
    }
}

impl<J, R> Drop for Latest<J, R> {
    fn drop(&mut self) {
        // The thread holds only a weak reference to the job slot: wake it so it sees it is gone.
        self.jobs.1.notify_all();
    }
}

fn work_loop<J, R>(
    jobs: &Weak<(Mutex<Option<J>>, Condvar)>,
    done: &Mutex<Option<R>>,
    busy: &AtomicBool,
    work: &impl Fn(J) -> R,
    repaint: Option<&Waker>,
) {
    crate::session::background::lower_current_thread_priority();
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
                match cvar.wait_timeout(slot, Duration::from_millis(200)) {
                    Ok((s, _)) => slot = s,
                    Err(_) => return,
                }
                if Arc::strong_count(&jobs) <= 1 {
                    return;
                }
            }
        };
        let result = work(job);
        if let Ok(mut slot) = done.lock() {
            *slot = Some(result);
        }
        busy.store(false, Ordering::Release);
        // Never wake the reader while holding a lock it also takes.
        if let Some(wake) = repaint {
            wake();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_result_arrives_and_wakes_the_reader() {
        let woken = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let count = woken.clone();
        let waker: Waker = Arc::new(move || {
            count.fetch_add(1, Ordering::SeqCst);
        });
        let latest = Latest::spawn("latest-test", |x: u32| x * 2, Some(waker));
        latest.submit(21);
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        let result = loop {
            if let Some(r) = latest.take() {
                break Some(r);
            }
            if std::time::Instant::now() > deadline {
                break None;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        assert_eq!(result, Some(42));
        assert!(woken.load(Ordering::SeqCst) >= 1);
        assert!(!latest.is_busy());
        assert_eq!(latest.take(), None, "a result is taken once");
    }
}
