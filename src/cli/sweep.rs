//! `invariance-lab sweep SPEC [--out F.csv] [--shard i/k] [--threads N]`: run a sweep
//! file's grid on all cores into one tidy CSV (see [`crate::sweep`] and the README's
//! "Sweeps" section).
//!
//! The whole file is validated before any work starts. Progress (runs done / total,
//! elapsed, time left) goes to stderr. Ctrl+C stops at the end of the running steps:
//! finished runs stay in the file, which is left in grid order, and the command exits
//! with 130; running it again continues where it stopped.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::Args;

use super::interrupt::{self, Interrupted};
use crate::sweep::{self, RunOptions, Shard, Sweep};

/// Arguments of `sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Sweep file (.toml or .json).
    pub spec: PathBuf,
    /// CSV to write; resumed if it exists (default: next to SPEC, `NAME.csv`, or
    /// `NAME.shard-I-of-K.csv` with --shard).
    #[arg(long, value_name = "F.csv")]
    pub out: Option<PathBuf>,
    /// Run only shard i of k: the i-th of k contiguous blocks of the grid (0-based).
    #[arg(long, value_name = "i/k")]
    pub shard: Option<Shard>,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
    /// Start again when the output holds a sweep of another spec (its rows are
    /// discarded). A file that is not a sweep CSV is never replaced.
    #[arg(long)]
    pub restart: bool,
}

/// Runs `sweep`.
pub fn run(args: &SweepArgs) -> anyhow::Result<()> {
    let sweep = Sweep::from_file(&args.spec)?;
    let shard = args.shard.unwrap_or(Shard::ALL);
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| sweep::default_output(&args.spec, shard));
    // Refused by kind before any work (the sweep checks again when it takes the lock).
    crate::io::atomic::resolve_target(&out).context("cannot write the sweep CSV")?;
    if let Err(e) = interrupt::install() {
        eprintln!("warning: Ctrl+C will not stop the sweep cleanly: {e}");
    }
    let options = RunOptions {
        out: out.clone(),
        shard,
        threads: args.threads.map_or(0, usize::from),
        restart: args.restart,
    };
    // Lock, header and spec record first: a refusal is the command's only line.
    let opened = sweep::open(&sweep, &options)?;
    let range = shard.range(sweep.runs());
    eprintln!(
        "sweep: {} runs × {} checkpoints{}; runs {}..{}{} → {}",
        sweep.runs(),
        sweep.checkpoints.len(),
        if sweep.search { ", with search" } else { "" },
        range.start,
        range.end,
        if shard == Shard::ALL {
            String::new()
        } else {
            format!(" (shard {shard})")
        },
        out.display()
    );
    let cancel = interrupt::cancel_token();
    let progress = Progress::new();
    let outcome = sweep::run_opened(&sweep, &options, opened, &cancel, &|done, todo| {
        progress.update(done, todo);
    });
    progress.finish();
    let outcome = outcome?;
    if outcome.restarted {
        eprintln!(
            "`{}` held a sweep of another spec: started again (--restart)",
            out.display()
        );
    }
    if outcome.duplicates > 0 {
        eprintln!(
            "`{}` held {} duplicated rows (an earlier concurrent run): kept once",
            out.display(),
            outcome.duplicates
        );
    }
    eprintln!(
        "{} of {} runs done ({} resumed{}, {} computed in {:.1} s)",
        outcome.resumed + outcome.computed,
        outcome.runs,
        outcome.resumed,
        if outcome.redone > 0 {
            format!(", {} partial runs redone", outcome.redone)
        } else {
            String::new()
        },
        outcome.computed,
        progress.start.elapsed().as_secs_f64()
    );
    if outcome.cancelled {
        return Err(anyhow::Error::new(Interrupted).context(format!(
            "sweep stopped; the finished runs are in `{}` (run the same command to continue)",
            out.display()
        )));
    }
    println!("{}", out.display());
    Ok(())
}

/// Runs done / total, elapsed and time left: a bar on a terminal, otherwise a line
/// about every tenth of the runs.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    start: Instant,
}

impl Progress {
    fn new() -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:40} {pos}/{len} runs  elapsed {elapsed}  left {eta}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        });
        Self {
            bar,
            start: Instant::now(),
        }
    }

    fn update(&self, done: usize, todo: usize) {
        match &self.bar {
            Some(bar) => {
                bar.set_length(todo as u64);
                bar.set_position(done as u64);
            }
            None if done % (todo / 10).max(1) == 0 || done == todo => {
                let elapsed = self.start.elapsed().as_secs_f64();
                if done == 0 {
                    eprintln!("0/{todo} runs");
                } else {
                    let left = elapsed / done as f64 * (todo - done.min(todo)) as f64;
                    eprintln!("{done}/{todo} runs  elapsed {elapsed:.0} s  left {left:.0} s");
                }
            }
            None => {}
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
