//! Independent pieces of work shared out between the calling thread and the rayon pool,
//! for a step of the dense Hebbian kernel that lasts only a few hundred microseconds.
//!
//! `par_iter` from a thread outside the pool (the simulation's own thread) hands the
//! whole step to the pool and puts the caller to sleep: two hand-offs per step, and the
//! second core joins only once its worker has woken up — on this virtual machine often
//! after the step is over. Here the caller starts on the pieces at once, helpers from
//! the pool take pieces from the same counter as soon as they run, and the caller never
//! waits for a helper that has not started: a helper that comes late finds the work
//! closed and leaves. Which thread computes which piece changes no result (each piece
//! writes its own cells), so the outcome is the same on any number of threads.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::Thread;
use std::time::{Duration, Instant};

/// Bit of [`Shared::inside`] set once the caller has finished: no helper enters after it.
const CLOSED: usize = 1 << (usize::BITS - 1);

/// How long the caller spins for a helper's last piece before it sleeps: about one strip
/// of a small step, much shorter than a wake-up from sleep on this machine.
const SPIN: Duration = Duration::from_micros(50);

/// What the caller and its helpers share.
struct Shared {
    /// The next piece to take.
    next: AtomicUsize,
    /// Helpers working now, plus [`CLOSED`].
    inside: AtomicUsize,
    /// The caller, woken by the last helper to leave after [`CLOSED`] was set.
    caller: Thread,
}

/// Leaves the work on drop (also when a piece panics), waking the caller if it waits.
struct Leave<'a>(&'a Shared);

impl Drop for Leave<'_> {
    fn drop(&mut self) {
        // Release: the helper's writes happen before the caller sees it gone.
        if self.0.inside.fetch_sub(1, Ordering::Release) == CLOSED + 1 {
            self.0.caller.unpark();
        }
    }
}

/// Closes the work and waits for the helpers inside, on drop — also when the caller's
/// own piece panics, so no helper outlives the borrowed data.
struct Close<'a>(&'a Shared);

impl Drop for Close<'_> {
    fn drop(&mut self) {
        let inside = &self.0.inside;
        let start = Instant::now();
        // Acquire: every helper's writes are visible once it has left.
        let mut state = inside.fetch_or(CLOSED, Ordering::Acquire) | CLOSED;
        while state != CLOSED {
            if start.elapsed() < SPIN {
                std::hint::spin_loop();
            } else {
                std::thread::park_timeout(Duration::from_millis(1));
            }
            state = inside.load(Ordering::Acquire);
        }
    }
}

/// Calls `work(scratch, i)` once for every `i` in `0..count`, on the calling thread and
/// on up to one fewer helpers than the pool has threads; returns when all are done.
/// Pieces are taken in order, so put the largest first. Each thread that takes part
/// makes its own scratch with `init`.
pub(super) fn share_out<S>(
    count: usize,
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, usize) + Sync,
) {
    if count == 0 {
        return;
    }
    let shared = Arc::new(Shared {
        next: AtomicUsize::new(0),
        inside: AtomicUsize::new(0),
        caller: std::thread::current(),
    });
    let run = |shared: &Shared| {
        let mut scratch = None;
        loop {
            let i = shared.next.fetch_add(1, Ordering::Relaxed);
            if i >= count {
                break;
            }
            work(scratch.get_or_insert_with(&init), i);
        }
    };
    let helpers = rayon::current_num_threads()
        .saturating_sub(1)
        .min(count - 1);
    let close = Close(&shared);
    if helpers > 0 {
        let run: &(dyn Fn(&Shared) + Sync) = &run;
        // SAFETY: only the lifetime is changed. A helper calls `run` only between
        // entering (which fails once CLOSED is set) and leaving; `close` sets CLOSED and
        // then waits until every helper that entered has left, before this function
        // returns or unwinds — so `run` and what it borrows outlive every call.
        let run: &'static (dyn Fn(&Shared) + Sync) = unsafe { std::mem::transmute(run) };
        for _ in 0..helpers {
            let shared = Arc::clone(&shared);
            rayon::spawn(move || {
                let entered = shared
                    .inside
                    .fetch_update(Ordering::Acquire, Ordering::Relaxed, |s| {
                        (s & CLOSED == 0).then_some(s + 1)
                    })
                    .is_ok();
                if entered {
                    let _leave = Leave(&shared);
                    run(&shared);
                }
            });
        }
    }
    run(&shared);
    drop(close);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_piece_runs_exactly_once_on_any_pool() {
        for threads in [1, 2, 4] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("pool");
            for count in [0, 1, 2, 7, 300] {
                let hits: Vec<AtomicUsize> = (0..count).map(|_| AtomicUsize::new(0)).collect();
                let inits = AtomicUsize::new(0);
                pool.install(|| {
                    share_out(
                        count,
                        || inits.fetch_add(1, Ordering::Relaxed),
                        |_, i| {
                            hits[i].fetch_add(1, Ordering::Relaxed);
                        },
                    )
                });
                assert!(hits.iter().all(|h| h.load(Ordering::Relaxed) == 1));
                assert!(inits.load(Ordering::Relaxed) <= threads.max(1));
            }
        }
    }
}
