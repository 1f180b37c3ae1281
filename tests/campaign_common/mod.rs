//! The hostile-input campaign's harness (issues 11 and 23): runs the built binary under
//! `/usr/bin/time` with a time limit and tallies, per class of inputs, refusals with one
//! line, other outcomes, panics, aborts, timeouts, unreadable outputs, replaced
//! non-regular files, lost or mixed sweep rows, and peak memory.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_invariance-lab");

/// What one run did.
#[derive(Default)]
pub struct Outcome {
    pub code: Option<i32>,
    pub signal: Option<i32>,
    pub panicked: bool,
    pub timed_out: bool,
    pub one_line: bool,
    pub max_rss_kb: u64,
    pub seconds: f64,
}

/// Runs the binary in `dir` under `/usr/bin/time` with a time limit.
pub fn exec(dir: &Path, args: &[&str], limit: Duration) -> Outcome {
    exec_with(dir, args, limit, &[])
}

/// [`exec`] with extra environment variables.
pub fn exec_with(dir: &Path, args: &[&str], limit: Duration, env: &[(&str, &str)]) -> Outcome {
    let mut cmd = Command::new("/usr/bin/time");
    cmd.args(["-f", "MAXRSS %M SIGNAL %x"]).arg(BIN).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let mut out = Outcome::default();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            out.code = status.code();
            break;
        }
        if start.elapsed() > limit {
            out.timed_out = true;
            let _ = child.kill();
            let _ = child.wait();
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    out.seconds = start.elapsed().as_secs_f64();
    let err = reader.join().unwrap();
    let mut lines: Vec<&str> = err.lines().collect();
    for line in lines
        .iter()
        .filter(|l| l.starts_with("Command terminated by signal"))
    {
        out.signal = line.rsplit(' ').next().and_then(|s| s.parse().ok());
    }
    lines.retain(|l| {
        !l.starts_with("Command terminated by signal") && !l.starts_with("Command exited")
    });
    if let Some(last) = lines.pop()
        && let Some(rss) = last.strip_prefix("MAXRSS ")
    {
        out.max_rss_kb = rss
            .split(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
    }
    out.panicked = err.contains("panicked");
    out.one_line = lines.len() == 1;
    if out.signal.is_some() {
        out.code = None;
    }
    out
}

/// Tally of one class of inputs.
#[derive(Default)]
pub struct Row {
    /// Runs (or trials) tried.
    pub tried: usize,
    refused: usize,
    other_ok: usize,
    multi_line: usize,
    panics: usize,
    aborts: usize,
    timeouts: usize,
    unreadable: usize,
    /// Non-regular files (devices, FIFOs, links, folders) replaced by a writer.
    pub replaced: usize,
    /// Sweep rows lost or mixed in from another spec.
    pub lost_rows: usize,
    peak_kb: u64,
}

impl Row {
    fn add(&mut self, o: &Outcome) {
        self.tried += 1;
        match o.code {
            Some(2) if o.one_line => self.refused += 1,
            Some(2) => self.multi_line += 1,
            Some(0) | Some(130) => self.other_ok += 1,
            _ => {}
        }
        self.panics += usize::from(o.panicked);
        self.aborts += usize::from(o.signal.is_some());
        self.timeouts += usize::from(o.timed_out);
        self.peak_kb = self.peak_kb.max(o.max_rss_kb);
    }
}

pub struct Campaign {
    /// The scratch folder the runs happen in.
    pub dir: PathBuf,
    /// Tallies by class, in the order the classes first ran.
    pub rows: Vec<(String, Row)>,
}

impl Campaign {
    pub fn run(&mut self, class: &str, args: &[&str]) -> Outcome {
        self.run_with(class, args, &[])
    }

    /// [`Campaign::run`] with extra environment variables.
    pub fn run_with(&mut self, class: &str, args: &[&str], env: &[(&str, &str)]) -> Outcome {
        let o = exec_with(&self.dir, args, Duration::from_secs(60), env);
        if o.panicked || o.signal.is_some() || o.timed_out || (o.code == Some(2) && !o.one_line) {
            eprintln!(
                "[{class}] {args:?}: code {:?} signal {:?} timeout {} panic {}",
                o.code, o.signal, o.timed_out, o.panicked
            );
        }
        self.row(class).add(&o);
        o
    }

    /// The tally of `class` (created empty on first use).
    pub fn row(&mut self, class: &str) -> &mut Row {
        match self.rows.iter().position(|(c, _)| c == class) {
            Some(i) => &mut self.rows[i].1,
            None => {
                self.rows.push((class.to_string(), Row::default()));
                &mut self.rows.last_mut().unwrap().1
            }
        }
    }

    /// Prints the table and fails if any run panicked, aborted, timed out, gave a
    /// multi-line error, wrote an unreadable file, replaced a non-regular file or lost
    /// sweep rows.
    pub fn finish(&self) {
        let mut table = String::from(
            "| class | tried | exit 2, one line | exit 0/130 | multi-line | panics | aborts | timeouts | unreadable outputs | replaced non-regular files | lost or mixed rows | peak MB |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n",
        );
        let mut bad = 0;
        for (class, r) in &self.rows {
            writeln!(
                table,
                "| {class} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                r.tried,
                r.refused,
                r.other_ok,
                r.multi_line,
                r.panics,
                r.aborts,
                r.timeouts,
                r.unreadable,
                r.replaced,
                r.lost_rows,
                r.peak_kb / 1024
            )
            .unwrap();
            bad += r.panics
                + r.aborts
                + r.timeouts
                + r.unreadable
                + r.multi_line
                + r.replaced
                + r.lost_rows;
        }
        println!("{table}");
        assert_eq!(bad, 0, "see the table");
    }

    pub fn unreadable(&mut self, class: &str) {
        self.row(class).unreadable += 1;
    }

    pub fn write(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path.to_string_lossy().into_owned()
    }
}

/// Deterministic pseudo-random numbers (xorshift64*).
pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}
