//! Parameter sweeps: many seeded runs of one base configuration over a grid of
//! parameter values, on all cores, into one tidy, resumable, shardable CSV.
//!
//! - [`spec`]: the sweep file and its validation (before any work starts).
//! - [`point`]: one run, deterministic from its config.
//! - [`table`]: the CSV format and resuming from an existing file.
//! - [`shard`]: one machine's share of the grid.
//!
//! [`run`] ties them together. Each finished run's rows are appended to the output at
//! once (one write), so an interrupted sweep keeps every finished run; at the end — and
//! when resuming — the file is rewritten atomically in grid order, so an interrupted and
//! continued sweep ends with exactly the bytes of an uninterrupted one.

mod ordered;
pub mod point;
pub mod runs;
pub mod shard;
pub mod spec;
pub mod table;

use std::collections::BTreeMap;
use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

pub use shard::Shard;
pub use spec::{Format, SpecError, Sweep};

use crate::cancel::CancelToken;
use crate::io::atomic;
use crate::io::read::{ReadError, read_limited};

/// Largest existing output read when resuming (the grid's row cap fits well below it).
pub const MAX_OUTPUT_BYTES: u64 = 4 << 30;

/// Why a sweep stopped with an error (finished runs are kept in the output).
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// The existing output cannot be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The existing output belongs to another sweep or shard.
    #[error("`{path}`: {source}")]
    Foreign {
        /// The output file.
        path: PathBuf,
        /// What does not match.
        source: table::TableError,
    },
    /// Writing the output failed.
    #[error("cannot write `{path}`: {source}")]
    Write {
        /// The output file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
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
    #[error("run {run} ({point}): {source}")]
    Run {
        /// Grid index.
        run: usize,
        /// Its parameter values and seed.
        point: String,
        /// What failed.
        source: point::PointError,
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

/// Runs (the rest of) `sweep`'s shard into `options.out`. `on_progress(done, todo)` is
/// called once before the first run and after each run computed now. Cancelling stops before the next run (and inside
/// the running ones); the finished runs stay in the file, in grid order.
pub fn run(
    sweep: &Sweep,
    options: &RunOptions,
    cancel: &CancelToken,
    on_progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Outcome, SweepError> {
    let out = &options.out;
    let write_err = |source| SweepError::Write {
        path: out.clone(),
        source,
    };
    let range = options.shard.range(sweep.runs());
    let existing = if out.exists() {
        let bytes = read_limited(out, MAX_OUTPUT_BYTES)?;
        let text = String::from_utf8_lossy(&bytes);
        table::read_existing(&text, sweep, range.clone()).map_err(|source| SweepError::Foreign {
            path: out.clone(),
            source,
        })?
    } else {
        table::Existing::default()
    };
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

/// Trains run `run`; its CSV rows, or `None` if cancelled.
fn run_one(sweep: &Sweep, run: usize, cancel: &CancelToken) -> Result<Option<String>, SweepError> {
    let failed = |source| {
        let (values, seed) = sweep.point(run);
        let mut point = sweep.describe(&values);
        if !point.is_empty() {
            point.push_str(", ");
        }
        SweepError::Run {
            run,
            point: format!("{point}seed={seed}"),
            source,
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
