//! Atomic file writes: write to a temporary file in the target's directory, flush and
//! `fsync` it, then rename it over the target. A crash or a failed write never leaves a
//! half-written file under the target name.
//!
//! Only regular files are ever replaced: a target that is a device, FIFO, socket or
//! directory is refused with a message naming it. A symbolic link is written *through*,
//! as editors do: its final target is replaced and the link stays a link. Temporary files
//! are named `.NAME.tmp-PID-N`; those that a killed process left behind (its PID no
//! longer runs) are removed by the next save into the same folder, never those of a live
//! process.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::read::describe;

/// Distinguishes temporary files of concurrent writers within one process.
static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Symbolic links followed before giving up (the kernel's own limit is 40).
const MAX_LINKS: usize = 40;

/// Writes `path` atomically: `write` fills a buffered temporary file next to the file
/// `path` resolves to, which is then flushed, synced to disk and renamed onto it. On any
/// error the temporary file is removed and the target is left untouched.
pub fn write_atomically<F>(path: impl AsRef<Path>, write: F) -> io::Result<()>
where
    F: FnOnce(&mut BufWriter<File>) -> io::Result<()>,
{
    write_atomically_via(path.as_ref(), |file, _| {
        let mut writer = BufWriter::new(file);
        write(&mut writer)?;
        writer.flush()?;
        writer.into_inner().map_err(|e| e.into_error())
    })
}

/// [`write_atomically`] for a writer that needs a path rather than a stream — an
/// external program such as `ffmpeg`: `produce` gets the temporary file (created empty,
/// already open) and its path, and must leave the complete content in that file. It is
/// then checked to be still a regular file, synced and renamed onto the target, exactly
/// as every other save.
pub fn write_atomically_from_path<F>(path: impl AsRef<Path>, produce: F) -> io::Result<()>
where
    F: FnOnce(&Path) -> io::Result<()>,
{
    write_atomically_via(path.as_ref(), |file, tmp| {
        drop(file);
        produce(tmp)?;
        // The program may have replaced the file: only a regular file is renamed into
        // place, never a link or a device it left there.
        let meta = fs::symlink_metadata(tmp)?;
        if !meta.is_file() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "the writer left {} instead of a file",
                    describe(&meta.file_type())
                ),
            ));
        }
        OpenOptions::new().read(true).open(tmp)
    })
}

/// The one write path: resolve and check the target, create the temporary file beside
/// it, let `fill` fill it (returning the file to sync), sync, rename, sync the folder.
fn write_atomically_via<F>(path: &Path, fill: F) -> io::Result<()>
where
    F: FnOnce(File, &Path) -> io::Result<File>,
{
    let target = resolve_target(path)?;
    remove_stale_temporaries(&target);
    let tmp = temporary_path(&target)?;
    let result = (|| {
        let file = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        // Keep the mode of the file being replaced (e.g. a file shared with a group).
        if let Ok(meta) = fs::metadata(&target) {
            let _ = file.set_permissions(meta.permissions());
        }
        let file = fill(file, &tmp)?;
        file.sync_all()?;
        drop(file);
        // Checked again just before the rename: a FIFO or device put in the target's
        // place while the content was written is not replaced either.
        resolve_target(&target)?;
        fs::rename(&tmp, &target)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
        return result;
    }
    // Make the rename itself durable where the platform allows it (best effort).
    if let Ok(d) = File::open(directory_of(&target)) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// The file a save to `path` replaces: `path` itself, or the end of its chain of
/// symbolic links. Anything but a regular file (or nothing yet, in an existing folder)
/// is refused, with a message that names the path and its kind. Every writer calls this
/// before any work, so an output that could never be written is refused at once.
pub fn resolve_target(path: &Path) -> io::Result<PathBuf> {
    let named =
        |e: io::Error, p: &Path| io::Error::new(e.kind(), format!("`{}`: {e}", p.display()));
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        let meta = match fs::symlink_metadata(&current) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                check_folder(&current)?;
                return Ok(current);
            }
            Err(e) => return Err(named(e, &current)),
            Ok(meta) => meta,
        };
        let kind = meta.file_type();
        if kind.is_symlink() {
            let link = fs::read_link(&current).map_err(|e| named(e, &current))?;
            current = if link.is_absolute() {
                link
            } else {
                directory_of(&current).join(link)
            };
        } else if kind.is_file() {
            return Ok(current);
        } else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "`{}` is {}, not a regular file; refusing to replace it",
                    current.display(),
                    describe(&kind)
                ),
            ));
        }
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "`{}`: more than {MAX_LINKS} symbolic links to follow",
            path.display()
        ),
    ))
}

/// The message of a failed write to `path`: `cannot write `PATH`: CAUSE`, or the cause
/// alone when it already names a file — the save path's own errors do (“`x` is a FIFO
/// (named pipe), not a regular file; …”), and the path must not be said twice.
pub fn write_failure(verb: &str, path: &Path, cause: &io::Error) -> String {
    let text = cause.to_string();
    if text.contains('`') {
        text
    } else {
        format!("cannot {verb} `{}`: {text}", path.display())
    }
}

/// The folder a new file `path` would be created in must exist and be a folder.
fn check_folder(path: &Path) -> io::Result<()> {
    let dir = directory_of(path);
    match fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(meta) => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "cannot create `{}`: `{}` is {}, not a folder",
                path.display(),
                dir.display(),
                describe(&meta.file_type())
            ),
        )),
        Err(e) => Err(io::Error::new(
            e.kind(),
            format!(
                "cannot create `{}`: the folder `{}`: {e}",
                path.display(),
                dir.display()
            ),
        )),
    }
}

/// The folder holding `path` (`.` for a bare file name).
fn directory_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// `dir/.name.tmp-PID-N` next to the target.
fn temporary_path(path: &Path) -> io::Result<PathBuf> {
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("`{}` does not name a file", path.display()),
        )
    })?;
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp_name = format!(
        ".{}.tmp-{}-{}",
        name.to_string_lossy(),
        std::process::id(),
        n
    );
    Ok(path.with_file_name(tmp_name))
}

/// The PID in a temporary file name `.NAME.tmp-PID-N`, if `name` is one.
fn temporary_owner(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?;
    let (_, tail) = rest.rsplit_once(".tmp-")?;
    let (pid, n) = tail.split_once('-')?;
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

/// Removes temporary files in the target's folder whose writing process no longer runs
/// (best effort). Only Linux can tell a live PID cheaply (`/proc/PID`); elsewhere
/// nothing is removed rather than risk a live writer's file.
fn remove_stale_temporaries(target: &Path) {
    if !cfg!(target_os = "linux") {
        return;
    }
    let Ok(entries) = fs::read_dir(directory_of(target)) else {
        return;
    };
    let own = std::process::id();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(temporary_owner) else {
            continue;
        };
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if pid != own && is_file && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_replaces_without_leaving_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.txt");
        write_atomically(&target, |w| w.write_all(b"first")).unwrap();
        write_atomically(&target, |w| w.write_all(b"second")).unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "second");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn failed_write_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.txt");
        write_atomically(&target, |w| w.write_all(b"old")).unwrap();
        let err = write_atomically(&target, |w| {
            w.write_all(b"partial")?;
            Err(io::Error::other("boom"))
        });
        assert!(err.is_err());
        assert_eq!(fs::read_to_string(&target).unwrap(), "old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn temporary_names_are_recognised_exactly() {
        assert_eq!(temporary_owner(".out.json.tmp-123-0"), Some(123));
        assert_eq!(temporary_owner(".a.tmp-b.tmp-7-12"), Some(7));
        assert_eq!(temporary_owner("out.json"), None);
        assert_eq!(temporary_owner(".out.json.tmp-123-"), None);
        assert_eq!(temporary_owner(".out.json.tmp-x-1"), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn stale_temporaries_of_dead_processes_are_removed_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        // PID 0x7fff_fff0 is above Linux's PID_MAX_LIMIT (2^22): never alive.
        let dead = dir.path().join(".out.json.tmp-2147483632-0");
        let live = dir
            .path()
            .join(format!(".out.json.tmp-{}-999999", std::process::id()));
        let init = dir.path().join(".other.tmp-1-0");
        for p in [&dead, &live, &init] {
            fs::write(p, b"partial").unwrap();
        }
        write_atomically(dir.path().join("out.json"), |w| w.write_all(b"x")).unwrap();
        assert!(!dead.exists());
        assert!(live.exists() && init.exists());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn symbolic_links_are_written_through_and_specials_refused() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        let link = dir.path().join("link.json");
        fs::write(&real, b"old").unwrap();
        std::os::unix::fs::symlink("real.json", &link).unwrap();
        write_atomically(&link, |w| w.write_all(b"new")).unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
        let err = write_atomically(dir.path(), |w| w.write_all(b"x")).unwrap_err();
        assert!(err.to_string().contains("a directory"), "{err}");
        // A FIFO of our own (never a device node: as root, a regression would replace it).
        let fifo = dir.path().join("fifo");
        let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
        let err = write_atomically(&fifo, |w| w.write_all(b"x")).unwrap_err();
        assert!(err.to_string().contains("a FIFO"), "{err}");
        assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    }
}
