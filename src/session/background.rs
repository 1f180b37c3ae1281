//! Scheduling priority of the app's background helper threads.
//!
//! The simulation's step is bursty and, through its dense matrix product and the
//! metrics, runs on both cores of a small machine at once. A helper that colours the
//! heatmap on the second core delays the simulation's other half of the burst, so the
//! whole step waits. On Linux the helpers therefore run under `SCHED_IDLE` (only when a
//! core would otherwise idle; a waking normal thread preempts them at once), with nice
//! 19 as well in case that policy is refused. They still get plenty — the simulation
//! leaves about half a core idle, and 10 heatmap refreshes a second need 0.07 of one —
//! and `bench/gui_throughput.rs` measured a clearly larger cost at nice 10. The UI
//! thread keeps normal priority.

/// Nice value given to background helper threads (0 is normal, 19 the lowest).
pub const BACKGROUND_NICE: i32 = 19;

/// Lowers the calling thread's scheduling priority: the `SCHED_IDLE` policy and nice
/// [`BACKGROUND_NICE`]. Returns whether the idle policy was applied (Linux only;
/// elsewhere, or if the system refuses, the thread keeps competing at normal or nice
/// priority).
pub fn lower_current_thread_priority() -> bool {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: `gettid` has no preconditions; `setpriority` with `PRIO_PROCESS` and a
        // thread id changes only that thread's nice value on Linux (see setpriority(2),
        // "BUGS"); `sched_setscheduler` with pid 0 changes only the calling thread's
        // policy and reads just the `sched_param` we pass by reference. Both report
        // failure through their return values.
        let status = unsafe {
            let tid = libc::gettid();
            libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, BACKGROUND_NICE);
            let param = libc::sched_param { sched_priority: 0 };
            libc::sched_setscheduler(0, libc::SCHED_IDLE, &param)
        };
        status == 0
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn only_the_calling_thread_is_lowered() {
        /// (nice value, scheduling policy) of the calling thread.
        fn own_priority() -> (i64, i64) {
            let stat = std::fs::read_to_string("/proc/thread-self/stat").expect("procfs");
            let after_name = &stat[stat.rfind(')').expect("comm") + 2..];
            // `after_name` starts at field 3; field 19 is the nice value, 41 the policy.
            let fields: Vec<i64> = after_name
                .split_whitespace()
                .map(|f| f.parse().unwrap_or(-1))
                .collect();
            (fields[16], fields[38])
        }
        const SCHED_IDLE: i64 = 5;
        let before = own_priority();
        let (applied, helper) =
            std::thread::spawn(|| (lower_current_thread_priority(), own_priority()))
                .join()
                .expect("helper thread");
        if applied {
            assert_eq!(helper.1, SCHED_IDLE, "the helper runs under SCHED_IDLE");
        }
        // An unprivileged process may lower its priority, not raise it: only a process
        // started below the background level can be checked.
        if before.0 < i64::from(BACKGROUND_NICE) {
            assert_eq!(helper.0, i64::from(BACKGROUND_NICE));
        }
        assert_eq!(
            own_priority(),
            before,
            "the calling thread must keep its priority"
        );
    }
}
