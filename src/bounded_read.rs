//! Reading input files: the one way every loader reads a file (re-exported as
//! `crate::io::read`; it sits at the bottom of the crate so every layer may use it).
//!
//! A path that names a device, FIFO, socket or directory is refused before it is opened
//! (`/dev/zero` would be read until memory runs out, a FIFO without a writer would block
//! forever), and no file is read past a limit the caller states. The file is opened with
//! `O_NONBLOCK` on Linux, so even a FIFO swapped in after the check cannot block the open,
//! and the opened handle is checked again.

use std::fs::{self, File, FileType, OpenOptions};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Why an input file could not be read; the message names the file and the reason.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file is missing, unreadable, or reading it failed.
    #[error("cannot read `{path}`: {cause}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error (part of the message, so not chained again).
        cause: io::Error,
    },
    /// The path names something other than a regular file.
    #[error("cannot read `{path}`: it is {kind}, not a regular file")]
    NotRegular {
        /// The path.
        path: PathBuf,
        /// What it is ("a directory", "a FIFO", …).
        kind: &'static str,
    },
    /// The file is larger than the caller's limit.
    #[error("cannot read `{path}`: it has {bytes} bytes, more than the limit of {max}")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size (or a lower bound when it grew while being read).
        bytes: u64,
        /// The limit.
        max: u64,
    },
}

/// A short name for what a non-regular file is.
pub fn describe(file_type: &FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() {
        "a directory"
    } else if file_type.is_symlink() {
        "a symbolic link"
    } else if file_type.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

/// Reads the whole of `path`, a regular file of at most `max_bytes` bytes.
///
/// The buffer is allocated once at the file's size, so the peak memory is the file size
/// (plus one byte), not the doubling of a growing buffer.
pub fn read_limited(path: impl AsRef<Path>, max_bytes: u64) -> Result<Vec<u8>, ReadError> {
    let path = path.as_ref();
    let io_err = |cause| ReadError::Io {
        path: path.to_path_buf(),
        cause,
    };
    let (file, len) = open_regular(path, max_bytes)?;
    let capacity = usize::try_from(len).unwrap_or(usize::MAX).saturating_add(1);
    let mut bytes = Vec::new();
    bytes.try_reserve_exact(capacity).map_err(|_| {
        io_err(io::Error::new(
            io::ErrorKind::OutOfMemory,
            format!("cannot allocate {len} bytes"),
        ))
    })?;
    // Read one byte past the limit to notice a file that grows while being read.
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io_err)?;
    if bytes.len() as u64 > max_bytes {
        return Err(ReadError::TooLarge {
            path: path.to_path_buf(),
            bytes: bytes.len() as u64,
            max: max_bytes,
        });
    }
    Ok(bytes)
}

/// Opens `path` for reading if it is a regular file of at most `max_bytes` bytes (the
/// kind and the size are checked before the open and again on the opened handle);
/// returns the file and its size. For readers that stream a file instead of reading it
/// whole (a sweep CSV's header, an experiment file's config).
pub fn open_regular(path: &Path, max_bytes: u64) -> Result<(File, u64), ReadError> {
    let io_err = |cause| ReadError::Io {
        path: path.to_path_buf(),
        cause,
    };
    let check = |meta: &fs::Metadata| -> Result<u64, ReadError> {
        if !meta.is_file() {
            return Err(ReadError::NotRegular {
                path: path.to_path_buf(),
                kind: describe(&meta.file_type()),
            });
        }
        if meta.len() > max_bytes {
            return Err(ReadError::TooLarge {
                path: path.to_path_buf(),
                bytes: meta.len(),
                max: max_bytes,
            });
        }
        Ok(meta.len())
    };
    check(&fs::metadata(path).map_err(io_err)?)?;
    let file = open_nonblocking(path).map_err(io_err)?;
    // The path may have been replaced between the check and the open: check the handle.
    let len = check(&file.metadata().map_err(io_err)?)?;
    Ok((file, len))
}

/// Opens for reading without blocking on FIFOs (regular files ignore `O_NONBLOCK`).
fn open_nonblocking(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_small_file_and_refuses_a_larger_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        fs::write(&path, b"hello").unwrap();
        assert_eq!(read_limited(&path, 5).unwrap(), b"hello");
        let err = read_limited(&path, 4).unwrap_err();
        assert!(
            matches!(
                err,
                ReadError::TooLarge {
                    bytes: 5,
                    max: 4,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn refuses_directories_and_devices_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_limited(dir.path(), 1 << 20).unwrap_err();
        assert!(err.to_string().contains("a directory"), "{err}");
        #[cfg(unix)]
        {
            let err = read_limited("/dev/zero", 1 << 20).unwrap_err();
            assert!(err.to_string().contains("a character device"), "{err}");
        }
        let err = read_limited(dir.path().join("missing"), 10).unwrap_err();
        assert!(matches!(err, ReadError::Io { .. }), "{err}");
    }
}
