//! Parameter sweeps: many seeded runs of one base configuration over a grid of
//! parameter values, on all cores, into one tidy, resumable, shardable CSV.
//!
//! - [`spec`]: the sweep file and its validation (before any work starts).
//! - [`point`]: one run, deterministic from its config.
//! - [`table`]: the CSV format and resuming from an existing file.
//! - [`shard`]: one machine's share of the grid.
//!
//! - [`fingerprint`]: the resolved spec recorded beside the CSV (`F.csv.spec.json`).
//! - [`resume`]: reading an existing output, header first.
//!
//! [`run`] ties them together. It takes an exclusive lock on the output first
//! ([`crate::io::lock`]), so a second sweep into the same file is refused at start. Each finished run's rows are appended to the output at
//! once (one write), so an interrupted sweep keeps every finished run; at the end — and
//! when resuming — the file is rewritten atomically in grid order, so an interrupted and
//! continued sweep ends with exactly the bytes of an uninterrupted one.

pub mod fingerprint;
mod ordered;
pub mod point;
pub mod resume;
pub mod runs;
pub mod shard;
pub mod spec;
mod spec_checks;
pub mod spec_error;
pub mod table;

use std::collections::BTreeMap;
use std::fs::OpenOptions;
use std::io::{BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

pub use shard::Shard;
pub use spec::{Format, Sweep};
pub use spec_error::SpecError;

use crate::cancel::CancelToken;
use crate::io::atomic;
use crate::io::lock::{self, LockError};
use crate::io::read::{self, ReadError};
use fingerprint::{SidecarError, SpecRecord};
use resume::Existing;

/// Largest existing output read when resuming (the grid's row cap fits well below it).
pub const MAX_OUTPUT_BYTES: u64 = 4 << 30;

/// Why a sweep stopped with an error (finished runs are kept in the output).
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// The existing output cannot be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// Another process is writing the output.
    #[error(transparent)]
    Locked(#[from] LockError),
    /// The spec record beside the output cannot be read.
    #[error(transparent)]
    Sidecar(#[from] SidecarError),
    /// The output was written by a different spec.
    #[error(
        "`{path}` was written by another spec ({what}); resuming would mix their results: \
         use --restart to start it again, or another --out"
    )]
    SpecChanged {
        /// The output file.
        path: PathBuf,
        /// What changed.
        what: String,
    },
    /// The output has no spec record beside it, so its spec cannot be checked.
    #[error(
        "`{path}` has no spec record `{}` beside it, so which spec wrote it cannot be \
         checked: use --restart to start it again, or another --out",
        sidecar.display()
    )]
    NoRecord {
        /// The output file.
        path: PathBuf,
        /// The missing record.
        sidecar: PathBuf,
    },
    /// The existing output belongs to another sweep or shard.
    #[error("`{path}`: {cause}")]
    Foreign {
        /// The output file.
        path: PathBuf,
        /// What does not match.
        cause: table::TableError,
    },
    /// Writing the output failed.
    #[error("{}", atomic::write_failure("write", path, cause))]
    Write {
        /// The output file.
        path: PathBuf,
        /// The I/O error.
        cause: std::io::Error,
    },
    /// The thread pool could not be created.
    #[error("cannot start {threads} worker threads: {message}")]
    Threads {
        /// Threads asked for.
        threads: usize,
        /// The reason.
        message: String,
    },
    /// One run failed; the message names its parameters and seed.
    #[error("run {run} ({point}): {cause}")]
    Run {
        /// Grid index.
        run: usize,
        /// Its parameter values and seed.
        point: String,
        /// What failed.
        cause: point::PointError,
    },
}

/// How to run a sweep.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// The CSV file (resumed if it exists).
    pub out: PathBuf,
    /// Which share of the grid.
    pub shard: Shard,
    /// Worker threads; 0: one per core.
    pub threads: usize,
    /// Start again when the output holds another spec's sweep (never replaces a file
    /// that is not a sweep CSV).
    pub restart: bool,
}

/// What a sweep did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// Runs in this shard.
    pub runs: usize,
    /// Runs found complete in the existing output.
    pub resumed: usize,
    /// Runs whose partial rows were dropped to be computed again.
    pub redone: usize,
    /// Rows found twice in the existing output and kept once.
    pub duplicates: usize,
    /// True if the output held another spec's sweep and `restart` started it again.
    pub restarted: bool,
    /// Runs computed now.
    pub computed: usize,
    /// True if `cancel` stopped the sweep before every run was done.
    pub cancelled: bool,
}

/// The finished runs' rows and the open output they are appended to.
struct Sink {
    rows: BTreeMap<usize, String>,
    file: std::fs::File,
}

/// An output opened for a sweep: locked, its finished runs read, its spec recorded.
/// Nothing has been written to the CSV yet.
pub struct Opened {
    /// The file the CSV is (a symbolic link resolved).
    target: PathBuf,
    /// Held until the sweep ends.
    _lock: lock::FileLock,
    existing: Existing,
    restarted: bool,
}

impl Opened {
    /// Runs already complete in the output.
    pub fn resumed(&self) -> usize {
        self.existing.complete.len()
    }
}

/// Opens `options.out` for `sweep` (see [`Opened`]): the kind check, the lock, the
/// header and the spec record are checked before anything is written or computed, so a
/// refusal comes at once.
pub fn open(sweep: &Sweep, options: &RunOptions) -> Result<Opened, SweepError> {
    let write_err = |cause| SweepError::Write {
        path: options.out.clone(),
        cause,
    };
    // Kind check first: a device, FIFO or directory is refused before any work; a
    // symbolic link is written through (the lock and the record go beside its target).
    let target = atomic::resolve_target(&options.out).map_err(write_err)?;
    let lock = lock::lock_exclusive(&target)?;
    let range = options.shard.range(sweep.runs());
    let record = SpecRecord::of(sweep);
    let sidecar = fingerprint::sidecar_path(&target);
    let (existing, restarted) =
        open_existing(&target, &sidecar, sweep, range, &record, options.restart)?;
    // The record first: a CSV never exists without the spec that wrote it.
    if fingerprint::read_sidecar(&sidecar).ok().flatten().as_ref() != Some(&record) {
        fingerprint::write_sidecar(&sidecar, &record).map_err(|cause| SweepError::Write {
            path: sidecar.clone(),
            cause,
        })?;
    }
    Ok(Opened {
        target,
        _lock: lock,
        existing,
        restarted,
    })
}

/// Runs (the rest of) `sweep`'s shard into `options.out`: [`open`], then [`run_opened`].
pub fn run(
    sweep: &Sweep,
    options: &RunOptions,
    cancel: &CancelToken,
    on_progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Outcome, SweepError> {
    let opened = open(sweep, options)?;
    run_opened(sweep, options, opened, cancel, on_progress)
}

/// Runs the rest of `sweep`'s shard into the opened output. `on_progress(done, todo)` is
/// called once before the first run and after each run computed now. Cancelling stops
/// before the next run (and inside the running ones); the finished runs stay in the
/// file, in grid order.
pub fn run_opened(
    sweep: &Sweep,
    options: &RunOptions,
    opened: Opened,
    cancel: &CancelToken,
    on_progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Outcome, SweepError> {
    let write_err = |cause| SweepError::Write {
        path: options.out.clone(),
        cause,
    };
    let Opened {
        target,
        _lock,
        existing,
        restarted,
    } = opened;
    let out = &target;
    let range = options.shard.range(sweep.runs());
    let header = table::header(sweep);
    // Start from the canonical file: dropped partial runs must not stay behind the
    // rows appended next.
    write_canonical(out, &header, &existing.complete).map_err(write_err)?;
    let todo: Vec<usize> = range
        .clone()
        .filter(|r| !existing.complete.contains_key(r))
        .collect();
    let mut outcome = Outcome {
        runs: range.len(),
        resumed: existing.complete.len(),
        redone: existing.incomplete,
        duplicates: existing.duplicates,
        restarted,
        computed: 0,
        cancelled: false,
    };
    let file = OpenOptions::new()
        .append(true)
        .open(out)
        .map_err(write_err)?;
    let sink = Mutex::new(Sink {
        rows: existing.complete,
        file,
    });
    let done = AtomicUsize::new(0);
    on_progress(0, todo.len());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .thread_name(|i| format!("sweep-{i}"))
        .build()
        .map_err(|e| SweepError::Threads {
            threads: options.threads,
            message: e.to_string(),
        })?;
    let result = pool.install(|| {
        todo.par_iter()
            .with_max_len(1)
            .try_for_each(|&run| -> Result<(), SweepError> {
                if cancel.is_cancelled() {
                    return Ok(());
                }
                let Some(rows) = run_one(sweep, run, cancel)? else {
                    return Ok(());
                };
                let mut sink = sink.lock().unwrap_or_else(|p| p.into_inner());
                sink.file.write_all(rows.as_bytes()).map_err(write_err)?;
                sink.rows.insert(run, rows);
                drop(sink);
                on_progress(done.fetch_add(1, Ordering::SeqCst) + 1, todo.len());
                Ok(())
            })
    });
    let sink = sink.into_inner().unwrap_or_else(|p| p.into_inner());
    drop(sink.file);
    // Whatever happened, leave the finished runs in grid order.
    write_canonical(out, &header, &sink.rows).map_err(write_err)?;
    result?;
    outcome.computed = done.load(Ordering::SeqCst);
    outcome.cancelled = outcome.resumed + outcome.computed < outcome.runs;
    Ok(outcome)
}

/// The existing output's finished runs (none if it does not exist, is empty, or held
/// another spec's sweep and `restart` was given), and whether it was restarted. Only the
/// first line is read before the file is known to be this sweep's CSV.
fn open_existing(
    out: &Path,
    sidecar: &Path,
    sweep: &Sweep,
    runs: std::ops::Range<usize>,
    record: &SpecRecord,
    restart: bool,
) -> Result<(Existing, bool), SweepError> {
    if std::fs::symlink_metadata(out).is_err() {
        return Ok((Existing::default(), false));
    }
    let foreign = |cause| SweepError::Foreign {
        path: out.to_path_buf(),
        cause,
    };
    let io = |e: std::io::Error| {
        foreign(table::TableError::Io {
            message: e.to_string(),
        })
    };
    let (file, _) = read::open_regular(out, MAX_OUTPUT_BYTES)?;
    let mut reader = BufReader::new(file);
    let expected = table::header(sweep);
    let first = resume::read_line(&mut reader, resume::MAX_HEADER_BYTES).map_err(io)?;
    let Some(first) = first else {
        return Ok((Existing::default(), false));
    };
    let first = String::from_utf8(first).map_err(|_| foreign(table::TableError::NotSweep))?;
    if !first.ends_with('\n') {
        // A torn header of this sweep: nothing was recorded yet. Anything else without a
        // newline (an experiment file, say) is not ours to replace.
        if expected.starts_with(&first) {
            return Ok((Existing::default(), false));
        }
        return Err(foreign(table::TableError::NotSweep));
    }
    let restarted = Ok((Existing::default(), true));
    match resume::check_header(first.trim_end_matches('\n'), expected.trim_end()) {
        Ok(()) => {}
        Err(table::TableError::NotSweep) => return Err(foreign(table::TableError::NotSweep)),
        Err(_) if restart => return restarted,
        Err(e) => return Err(foreign(e)),
    }
    match fingerprint::read_sidecar(sidecar) {
        Ok(Some(old)) if old.fingerprint == record.fingerprint => {}
        _ if restart => return restarted,
        Ok(Some(old)) => {
            return Err(SweepError::SpecChanged {
                path: out.to_path_buf(),
                what: fingerprint::describe_change(&old.spec, &record.spec),
            });
        }
        Ok(None) => {
            return Err(SweepError::NoRecord {
                path: out.to_path_buf(),
                sidecar: sidecar.to_path_buf(),
            });
        }
        Err(e) => return Err(e.into()),
    }
    match resume::read_rows(&mut reader, sweep, runs) {
        Ok(existing) => Ok((existing, false)),
        Err(_) if restart => restarted,
        Err(e) => Err(foreign(e)),
    }
}

/// Trains run `run`; its CSV rows, or `None` if cancelled.
fn run_one(sweep: &Sweep, run: usize, cancel: &CancelToken) -> Result<Option<String>, SweepError> {
    let failed = |cause| {
        let (values, seed) = sweep.point(run);
        let mut point = sweep.describe(&values);
        if !point.is_empty() {
            point.push_str(", ");
        }
        SweepError::Run {
            run,
            point: format!("{point}seed={seed}"),
            cause,
        }
    };
    let config = sweep
        .config(run)
        .map_err(|e| failed(point::PointError::Patch(e)))?;
    let records = point::run(config, &sweep.checkpoints, sweep.search, cancel).map_err(failed)?;
    Ok(records.map(|r| table::run_rows(sweep, run, &r)))
}

/// Writes the header and `rows` in run order, atomically.
fn write_canonical(
    out: &Path,
    header: &str,
    rows: &BTreeMap<usize, String>,
) -> std::io::Result<()> {
    atomic::write_atomically(out, |w| {
        w.write_all(header.as_bytes())?;
        for r in rows.values() {
            w.write_all(r.as_bytes())?;
        }
        Ok(())
    })
}

/// The default output next to the sweep file: `NAME.csv`, or `NAME.shard-I-of-K.csv`.
pub fn default_output(spec: &Path, shard: Shard) -> PathBuf {
    if shard == Shard::ALL {
        spec.with_extension("csv")
    } else {
        spec.with_extension(format!("shard-{}-of-{}.csv", shard.index, shard.count))
    }
}
