//! An exclusive lock on an output file, held while a process writes it (a sweep's CSV),
//! so a second writer is refused at start instead of mixing its rows in.
//!
//! The lock is `flock(LOCK_EX | LOCK_NB)` on a small lock file beside the output,
//! `.NAME.lock`. The output itself cannot carry the lock: it is replaced by rename, and a
//! lock belongs to the replaced file. The kernel releases an `flock` when its descriptor
//! closes, so the lock goes away on every exit — a panic, Ctrl+C, `kill -9`, a crash —
//! and a stale lock cannot exist. The lock file holds the owner's PID for the message a
//! second writer gets; it is left in place (deleting it would let a third process lock a
//! new file while the second still holds the old one). Other platforms than Linux take
//! no lock.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

/// Why a lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another process holds it.
    #[error("another process{} is writing `{output}` (it holds the lock `{lock}`); wait for it to finish or stop it", owner_note(*.owner))]
    Busy {
        /// The output being written.
        output: PathBuf,
        /// The lock file.
        lock: PathBuf,
        /// The owner's PID, if the lock file names one.
        owner: Option<u32>,
    },
    /// The lock file cannot be created or locked.
    #[error("cannot lock `{lock}`: {cause}")]
    Io {
        /// The lock file.
        lock: PathBuf,
        /// What failed.
        cause: io::Error,
    },
}

fn owner_note(owner: Option<u32>) -> String {
    owner.map_or(String::new(), |pid| format!(" (PID {pid})"))
}

/// A held lock; dropping it releases the lock.
#[derive(Debug)]
pub struct FileLock {
    _file: Option<File>,
    path: PathBuf,
}

impl FileLock {
    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The lock file of `output`: `.NAME.lock` in the same folder.
pub fn lock_path(output: &Path) -> PathBuf {
    let name = output
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    output.with_file_name(format!(".{name}.lock"))
}

/// Takes the exclusive lock of `output` (module docs), or says who holds it.
#[cfg(target_os = "linux")]
pub fn lock_exclusive(output: &Path) -> Result<FileLock, LockError> {
    use std::io::{Read, Seek, Write};
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::OpenOptionsExt;
    let path = lock_path(output);
    let io_err = |cause| LockError::Io {
        lock: path.clone(),
        cause,
    };
    // O_NOFOLLOW: a symbolic link planted as the lock file is refused, not followed;
    // O_NONBLOCK: a FIFO planted there cannot block the open.
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .mode(0o644)
        .open(&path)
        .map_err(io_err)?;
    let meta = file.metadata().map_err(io_err)?;
    if !meta.is_file() {
        return Err(io_err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "it is {}, not a regular file",
                super::read::describe(&meta.file_type())
            ),
        )));
    }
    // SAFETY: `flock` on a descriptor this function owns; no memory is involved.
    let locked = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if locked != 0 {
        let err = io::Error::last_os_error();
        if err.raw_os_error() == Some(libc::EWOULDBLOCK) {
            let mut text = String::new();
            let _ = (&file).take(32).read_to_string(&mut text);
            return Err(LockError::Busy {
                output: output.to_path_buf(),
                lock: path,
                owner: text.trim().parse().ok(),
            });
        }
        return Err(io_err(err));
    }
    // Ours now: note the PID for the message a second writer gets (best effort).
    let _ = file.set_len(0);
    let _ = file.rewind();
    let _ = writeln!(file, "{}", std::process::id());
    Ok(FileLock {
        _file: Some(file),
        path,
    })
}

/// Other platforms take no lock (module docs).
#[cfg(not(target_os = "linux"))]
pub fn lock_exclusive(output: &Path) -> Result<FileLock, LockError> {
    Ok(FileLock {
        _file: None,
        path: lock_path(output),
    })
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("sweep.csv");
        let first = lock_exclusive(&out).unwrap();
        assert_eq!(first.path(), dir.path().join(".sweep.csv.lock"));
        let e = lock_exclusive(&out).unwrap_err();
        let text = e.to_string();
        assert!(
            matches!(e, LockError::Busy { owner: Some(pid), .. } if pid == std::process::id()),
            "{text}"
        );
        assert!(text.contains("sweep.csv") && !text.contains('\n'), "{text}");
        drop(first);
        assert!(lock_exclusive(&out).is_ok());
    }

    #[test]
    fn a_planted_link_or_fifo_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("a.csv");
        std::os::unix::fs::symlink("elsewhere", lock_path(&out)).unwrap();
        assert!(matches!(lock_exclusive(&out), Err(LockError::Io { .. })));
        let out = dir.path().join("b.csv");
        let c = std::ffi::CString::new(lock_path(&out).to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(matches!(lock_exclusive(&out), Err(LockError::Io { .. })));
    }
}
