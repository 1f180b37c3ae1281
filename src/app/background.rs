//! Scheduling priority of the app's background helper threads.
//!
//! The simulation's step is bursty and, through its dense matrix product and the
//! metrics, runs on both cores of a small machine at once. A helper that colours the
//! heatmap or finishes a snapshot on the second core delays the simulation's other half
//! of the burst, so the whole step waits. At the lowest priority (nice 19 on Linux) the
//! helpers still get every idle moment — plenty for 10 refreshes a second, since the
//! simulation leaves about half a core idle — but yield to the simulation when both want
//! the core (`bench/gui_throughput.rs` measured a clearly larger cost at nice 10). The
//! UI thread keeps normal priority.

/// Nice value given to background helper threads (0 is normal, 19 the lowest).
pub const BACKGROUND_NICE: i32 = 19;

/// Lowers the calling thread's scheduling priority to [`BACKGROUND_NICE`]. Returns
/// whether it was applied (Linux only; elsewhere, or if the system refuses, nothing
/// changes and the thread simply competes at normal priority).
pub fn lower_current_thread_priority() -> bool {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: `gettid` has no preconditions; `setpriority` with `PRIO_PROCESS` and a
        // thread id changes only that thread's nice value on Linux (see setpriority(2),
        // "BUGS"), reads no memory of ours and reports failure through its return value.
        let status = unsafe {
            let tid = libc::gettid();
            libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, BACKGROUND_NICE)
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
        fn own_nice() -> i64 {
            let stat = std::fs::read_to_string("/proc/thread-self/stat").expect("procfs");
            let after_name = &stat[stat.rfind(')').expect("comm") + 2..];
            // Field 19 of stat is the nice value; `after_name` starts at field 3.
            after_name
                .split_whitespace()
                .nth(16)
                .expect("nice")
                .parse()
                .expect("number")
        }
        let before = own_nice();
        let helper = std::thread::spawn(|| (lower_current_thread_priority(), own_nice()))
            .join()
            .expect("helper thread");
        // An unprivileged process may lower its priority, not raise it: only a process
        // started below the background level can be checked.
        if before < i64::from(BACKGROUND_NICE) {
            assert!(helper.0, "setpriority was refused");
            assert_eq!(helper.1, i64::from(BACKGROUND_NICE));
        }
        assert_eq!(
            own_nice(),
            before,
            "the calling thread must keep its priority"
        );
    }
}
