//! Every command shown in `README.md` and in the user guide (`docs/**/*.md`) is run here,
//! so the guide cannot rot.
//!
//! Each page gets a fresh temporary directory holding a copy of `assets/` and `examples/`
//! (as if the commands were typed at the repository root) and a `bin/` whose
//! `invariance-lab` is the binary this test was built with. Its blocks are taken in order:
//!
//! - ` ```sh ` / ` ```bash ` — every line (a trailing `\` continues it) runs through
//!   `bash` with that `bin/` first on the `PATH` and must exit with 0; `cargo run --release
//!   -- ARGS` runs as `invariance-lab ARGS`. `invariance-lab gui …` lines are checked by
//!   clap (`--help` appended: every flag and value must parse) without opening a window.
//!   `bench/…` and `scripts/…` lines are checked to exist and parse (`bash -n`, Python's
//!   `ast`), not run. [`SKIPPED`] lists the few other lines that are recognised and not
//!   run, each with its reason and the check made instead.
//! - ` ```console ` — commands after `$ `; the lines under each must appear in its output
//!   in order, `…` standing for anything (a line of `…` alone for any number of lines).
//!   ` ```console exit=2 ` expects exit code 2 from every command of the block.
//! - a block tagged `file=NAME` is written to `NAME` (a shell file is checked with
//!   `bash -n`); ` ```text ` blocks are synopses, whose `invariance-lab` lines must hold a
//!   placeholder (`FILE`, `[…]`).
//!
//! In prose, an inline `invariance-lab …` command without placeholders is checked by clap
//! (`--help` appended), every relative link and `#anchor` must resolve, every page must be
//! linked from `docs/README.md`, and no internal issue number or reference to the
//! (unpublished) specification's sections may appear.
#![cfg(unix)]

mod docs_common;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use docs_common::check::{Checker, Instead, Plan, Report, Skipped, missing_code_path};
use docs_common::markdown::{
    Item, anchors, code_spans, fence, has_placeholder, line_matches, link_targets, logical_lines,
    normalise, output_matches, pages, slug, strip_comment,
};
use docs_common::workspace::Workspace;

/// The binary under test.
const BIN: &str = env!("CARGO_BIN_EXE_invariance-lab");
/// The repository root.
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// Folders copied into every page's working directory (read by the commands shown).
const COPIED: &[&str] = &["assets", "examples"];
/// Fewer commands than this means the extraction broke, not that the guide is short.
const MIN_COMMANDS_RUN: usize = 40;

/// Lines recognised and not run: the pattern (ending in `…`: the start of a line;
/// otherwise the whole line, comments removed), the check made instead, and why. Keep
/// this list short: everything else runs.
const SKIPPED: &Skipped = &[
    (
        "cargo run --release",
        Instead::Nothing,
        "opens the window (needs a display); `cargo run --release -- …` lines do run",
    ),
    (
        "cargo test…",
        Instead::TestFile,
        "the test suite itself, which this test is part of",
    ),
    (
        "cargo install --path .",
        Instead::Nothing,
        "installs into ~/.cargo/bin the binary tested here",
    ),
    (
        "cargo bench --bench…",
        Instead::Bench,
        "a benchmark: minutes of work that prints figures",
    ),
    (
        "cd fuzz && cargo fuzz…",
        Instead::FuzzTarget,
        "needs cargo-fuzz and runs until stopped",
    ),
    (
        "xvfb-run…",
        Instead::Args,
        "needs an X server (scripts/screenshots.sh renders the window)",
    ),
    (
        "sbatch…",
        Instead::Script,
        "needs a Slurm cluster (the page runs one task by hand)",
    ),
    (
        "seq 0 7 | parallel --sshloginfile…",
        Instead::Syntax,
        "needs GNU parallel and ssh hosts",
    ),
    (
        "invariance-lab sweep examples/sweep_decay.toml --out sweep_decay.csv",
        Instead::Args,
        "the full worked example: 26 minutes on 2 cores (the resuming line before it runs, \
         and tests/sweep.rs runs a small version)",
    ),
];

#[test]
fn every_command_in_the_guide_runs() {
    let root = Path::new(ROOT);
    let pages = pages(root);
    let anchors: BTreeMap<PathBuf, BTreeSet<String>> =
        pages.iter().map(|p| (p.rel.clone(), anchors(p))).collect();
    let start = Instant::now();
    // Pages are independent (each has its own directory): as many at a time as cores, at
    // most two (the commands themselves use threads).
    let next = AtomicUsize::new(0);
    let reports = Mutex::new(BTreeMap::<usize, Report>::new());
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(2));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(page) = pages.get(i) else { break };
                    let ws = Workspace::new(root, COPIED, BIN);
                    let report = Checker {
                        ws,
                        page,
                        anchors: &anchors,
                        skipped: SKIPPED,
                        root,
                        report: Report::default(),
                    }
                    .check();
                    reports.lock().unwrap().insert(i, report);
                }
            });
        }
    });

    let mut summary = String::new();
    let mut failures = Vec::new();
    let (mut run, mut checked) = (0, 0);
    for (i, r) in reports.into_inner().unwrap() {
        let name = pages[i].rel.display().to_string();
        let skipped = r.skipped.len();
        let _ = writeln!(
            summary,
            "{name:<34} {:>3} run {:>3} checked {skipped:>2} skipped {:>6.1} s",
            r.run, r.checked, r.secs
        );
        for (line, reason) in &r.skipped {
            let _ = writeln!(summary, "    line {line} not run: {reason}");
        }
        run += r.run;
        checked += r.checked;
        failures.extend(r.failures);
    }
    let _ = writeln!(
        summary,
        "{run} commands run, {checked} checked, in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    eprintln!("{summary}");
    assert!(
        failures.is_empty(),
        "{} problem(s) in the guide:\n\n{}\n\n{summary}",
        failures.len(),
        failures.join("\n\n")
    );
    assert!(
        run >= MIN_COMMANDS_RUN,
        "only {run} commands ran (at least {MIN_COMMANDS_RUN} expected): is the extraction broken?\n{summary}"
    );
}

#[test]
fn every_guide_page_is_in_the_index_and_the_index_in_the_readme() {
    let pages = pages(Path::new(ROOT));
    let linked = |rel: &str| -> BTreeSet<PathBuf> {
        let page = pages
            .iter()
            .find(|p| p.rel == Path::new(rel))
            .expect("page exists");
        let dir = page.rel.parent().unwrap();
        let prose = page.items.iter().filter_map(|i| match i {
            Item::Prose { text, .. } => Some(link_targets(&code_spans(text).1)),
            _ => None,
        });
        let targets = prose
            .flatten()
            .map(|t| t.split('#').next().unwrap().to_string());
        targets
            .filter(|t| t.ends_with(".md"))
            .map(|t| normalise(&dir.join(t)))
            .collect()
    };
    let index = linked("docs/README.md");
    for page in &pages {
        if page.rel.starts_with("docs") && page.rel != Path::new("docs/README.md") {
            assert!(
                index.contains(&page.rel),
                "{} is not linked from docs/README.md",
                page.rel.display()
            );
        }
    }
    assert!(
        linked("README.md").contains(Path::new("docs/README.md")),
        "README.md links the guide"
    );
}

#[test]
fn the_skip_list_is_short_and_says_why() {
    assert!(SKIPPED.len() <= 10, "keep the skip list short");
    for (pattern, _, reason) in SKIPPED {
        assert!(
            !pattern.is_empty() && reason.len() > 20,
            "{pattern}: say why"
        );
    }
}

#[test]
fn lines_are_planned_as_documented() {
    let plan = |line: &str| docs_common::check::plan(line, SKIPPED);
    let run = |s: &str| Plan::Run(s.to_string());
    let instead = |line: &str| match plan(line) {
        Plan::Skip(_, instead, _) => Some(instead),
        _ => None,
    };
    assert_eq!(
        plan("invariance-lab presets"),
        run("invariance-lab presets")
    );
    assert_eq!(
        plan("cargo run --release -- train --preset ring-shift --out ring.json"),
        run("invariance-lab train --preset ring-shift --out ring.json")
    );
    assert_eq!(instead("cargo run --release"), Some(Instead::Nothing));
    assert_eq!(
        instead("cargo test --test cli resume"),
        Some(Instead::TestFile)
    );
    assert_eq!(
        instead(r#"xvfb-run -a -s "-screen 0 1x1x24" invariance-lab gui --steps 4"#),
        Some(Instead::Args)
    );
    assert_eq!(
        instead("cd fuzz && cargo fuzz run -s none experiment_file"),
        Some(Instead::FuzzTarget)
    );
    assert!(matches!(
        plan("invariance-lab gui ring.json --search"),
        Plan::Args(_)
    ));
    assert!(matches!(
        plan("PROFILE=random bench/run_scaling.sh 1024 2048"),
        Plan::RepoFiles(_)
    ));
    assert!(matches!(
        plan(". bench/venv.sh && ensure_venv matplotlib"),
        Plan::RepoFiles(_)
    ));
    assert_eq!(
        plan("head -n 1 a.csv > b.csv"),
        run("head -n 1 a.csv > b.csv")
    );
    assert_eq!(plan("X=1 bash job.sh"), run("X=1 bash job.sh"));
}

#[test]
fn shell_lines_are_joined_and_comments_stripped() {
    let block: Vec<(usize, String)> = [
        "# a comment",
        "invariance-lab sweep a.toml --shard 1/2 \\",
        "  --out \"a  b.csv\"   # the output",
        "",
        "echo '#not a comment' # but this is",
    ]
    .iter()
    .enumerate()
    .map(|(i, l)| (i + 1, l.to_string()))
    .collect();
    let lines = logical_lines(&block);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0].0, 2);
    assert_eq!(
        strip_comment(&lines[0].1),
        "invariance-lab sweep a.toml --shard 1/2 --out \"a  b.csv\""
    );
    assert_eq!(strip_comment(&lines[1].1), "echo '#not a comment'");
}

#[test]
fn expected_output_with_ellipses_matches() {
    let actual = [
        "n = 256, method = auto, 4.96 s",
        "   1    3.4e-2  shift -1 (1.000) ✓",
        "x",
        "end",
    ];
    let exp = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert!(output_matches(
        &exp(&["n = 256, method = auto, … s"]),
        &actual
    ));
    assert!(output_matches(
        &exp(&["…", "   1 … shift … ✓", "…", "end"]),
        &actual
    ));
    assert!(output_matches(&exp(&["   1 … shift … ✓", "x"]), &actual));
    assert!(!output_matches(&exp(&["   1 … shift … ✓", "end"]), &actual));
    assert!(!output_matches(&exp(&["end", "x"]), &actual));
    assert!(!line_matches("shift +1", "shift -1"));
    assert!(line_matches("a…b…c", "aXbYc"));
    assert!(!line_matches("ab…ba", "aba"));
}

#[test]
fn placeholders_anchors_and_spans_follow_the_conventions() {
    assert!(has_placeholder("invariance-lab info FILE.json"));
    assert!(has_placeholder("invariance-lab search W.npy"));
    assert!(has_placeholder("invariance-lab info ring.json [--json]"));
    assert!(!has_placeholder("invariance-lab info ring.json --json"));
    assert!(!has_placeholder(
        "invariance-lab gui --select \"rotate 90°\""
    ));
    assert_eq!(
        slug("Worked example: the 1/√N law and the plateaus of decay"),
        "worked-example-the-1n-law-and-the-plateaus-of-decay"
    );
    assert_eq!(
        slug("The app's cost at M = 2048"),
        "the-apps-cost-at-m--2048"
    );
    assert_eq!(slug("Changing a field: --set"), "changing-a-field---set");
    let (spans, rest) = code_spans("run `invariance-lab presets` or ```` ```sh ```` [x](a.md#b)");
    assert_eq!(spans, ["invariance-lab presets", "```sh"]);
    assert_eq!(link_targets(&rest), ["a.md#b"]);
    assert!(fence("```sh file=a.sh").is_some());
    assert!(fence("```` ```sh ```` is inline").is_none());
    assert!(fence("    ```sh").is_none());
    let root = Path::new(ROOT);
    assert_eq!(missing_code_path(root, "tests/sweep.rs"), None);
    assert_eq!(missing_code_path(root, "perm.rs"), None);
    assert!(missing_code_path(root, "model/no_such_file.rs").is_some());
    assert!(missing_code_path(root, "no_such_file.rs").is_some());
    assert_eq!(missing_code_path(root, "orbit.gif"), None);
}
