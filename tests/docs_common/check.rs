//! Checking one page: what each command line is (run, argument check, repository file,
//! skipped), running it in the page's workspace, and checking the page's prose.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::markdown::{
    Block, Item, Page, code_spans, has_placeholder, link_targets, logical_lines, normalise,
    output_matches, strip_comment,
};
use super::workspace::Workspace;

/// The lines recognised and not run: pattern, the check made instead, and why.
pub type Skipped = [(&'static str, Instead, &'static str)];

/// What is checked instead of running a skipped line.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Instead {
    /// Nothing: the line runs what this test already is or already built.
    Nothing,
    /// `cargo test … --test NAME`: `tests/NAME.rs` exists.
    TestFile,
    /// `cargo bench --bench NAME`: Cargo.toml declares the bench.
    Bench,
    /// `cargo fuzz run … TARGET`: `fuzz/fuzz_targets/TARGET.rs` exists.
    FuzzTarget,
    /// The `invariance-lab …` part parses (`--help` appended).
    Args,
    /// The script it submits was written by an earlier block and passes `bash -n`.
    Script,
    /// The line itself passes `bash -n`.
    Syntax,
}

/// What is done with one command line.
#[derive(Debug, PartialEq)]
pub enum Plan {
    /// Run it through bash; the string is what runs.
    Run(String),
    /// `invariance-lab gui …`: check the arguments with `--help` appended.
    Args(String),
    /// A `bench/…` or `scripts/…` line: the files it names must exist and parse.
    RepoFiles(String),
    /// On the skip list: the reason, the check made instead, and the line.
    Skip(&'static str, Instead, String),
}

/// Decides what to do with a command line (comments already removed).
pub fn plan(line: &str, skipped: &Skipped) -> Plan {
    let line = match line.strip_prefix("cargo run --release -- ") {
        Some(args) => format!("invariance-lab {args}"),
        None => line.to_string(),
    };
    for &(pattern, instead, reason) in skipped {
        let hit = match pattern.strip_suffix('…') {
            Some(prefix) => line.starts_with(prefix),
            None => line == pattern,
        };
        if hit {
            return Plan::Skip(reason, instead, line);
        }
    }
    // Leading `NAME=value` assignments do not change what kind of line it is.
    let is_assignment = |w: &&str| {
        w.split_once('=').is_some_and(|(k, _)| {
            !k.is_empty() && k.chars().all(|c| c.is_ascii_uppercase() || c == '_')
        })
    };
    let mut words = line.split_whitespace().skip_while(is_assignment);
    let first = words.next().unwrap_or("");
    if first == "invariance-lab" && words.next() == Some("gui") {
        Plan::Args(line)
    } else if first.starts_with("bench/") || first.starts_with("scripts/") || first == "." {
        Plan::RepoFiles(line)
    } else {
        Plan::Run(line)
    }
}

/// What checking one page found.
#[derive(Default)]
pub struct Report {
    /// Commands run for real.
    pub run: usize,
    /// Lines checked without running them (arguments, scripts, files).
    pub checked: usize,
    /// Lines skipped: line number and reason.
    pub skipped: Vec<(usize, &'static str)>,
    /// Everything wrong, one message each.
    pub failures: Vec<String>,
    /// Seconds spent running commands.
    pub secs: f64,
}

/// Checks one page in its own workspace.
pub struct Checker<'a> {
    /// The page's working directory.
    pub ws: Workspace,
    /// The page checked.
    pub page: &'a Page,
    /// Every page's heading anchors, for links.
    pub anchors: &'a BTreeMap<PathBuf, BTreeSet<String>>,
    /// The lines recognised and not run.
    pub skipped: &'a Skipped,
    /// The repository root.
    pub root: &'a Path,
    /// What was found so far.
    pub report: Report,
}

impl Checker<'_> {
    fn at(&self, line: usize) -> String {
        format!("{}:{line}", self.page.rel.display())
    }

    fn fail(&mut self, line: usize, what: String) {
        let at = self.at(line);
        self.report.failures.push(format!("{at}: {what}"));
    }

    /// Runs and checks the whole page.
    pub fn check(mut self) -> Report {
        for item in &self.page.items {
            match item {
                Item::Heading(_) => {}
                Item::Prose { line, text } => self.prose(*line, text),
                Item::Block(block) => self.block(block),
            }
        }
        self.report
    }

    fn block(&mut self, block: &Block) {
        let code = block
            .attrs
            .get("exit")
            .map_or(0, |v| v.parse().expect("exit=N takes a number"));
        if let Some(name) = block.attrs.get("file") {
            let content: String = block.lines.iter().map(|(_, l)| format!("{l}\n")).collect();
            std::fs::write(self.ws.cwd.join(name), content).unwrap();
            if matches!(block.lang.as_str(), "sh" | "bash") {
                self.bash_n(block.line, name);
            }
            return;
        }
        match block.lang.as_str() {
            "sh" | "bash" | "shell" => {
                for (no, line) in logical_lines(&block.lines) {
                    self.line(no, strip_comment(&line), code, &[]);
                }
            }
            "console" => {
                let mut cmds: Vec<(usize, String, Vec<String>)> = Vec::new();
                for (no, line) in &block.lines {
                    match (line.strip_prefix("$ "), cmds.last_mut()) {
                        (Some(cmd), _) => cmds.push((*no, cmd.to_string(), Vec::new())),
                        (None, Some(last)) => last.2.push(line.clone()),
                        (None, None) => {
                            self.fail(*no, "a console block starts with a `$ ` command".into())
                        }
                    }
                }
                for (no, cmd, expected) in cmds {
                    self.line(no, strip_comment(&cmd), code, &expected);
                }
            }
            "text" | "" => {
                for (no, line) in &block.lines {
                    let l = line.trim();
                    if (l.starts_with("invariance-lab ") || l.starts_with("$ "))
                        && !has_placeholder(l)
                    {
                        self.fail(
                            *no,
                            format!("`{l}` looks like a command to type: put it in a ```sh block (a synopsis needs a placeholder such as FILE or [--option])"),
                        );
                    }
                }
            }
            _ => {}
        }
    }

    /// Plans and performs one command line, expecting exit `code` and, if any, the
    /// `expected` output lines.
    fn line(&mut self, no: usize, line: &str, code: i32, expected: &[String]) {
        match plan(line, self.skipped) {
            Plan::Run(cmd) => {
                let o = self.ws.run(&cmd);
                self.report.run += 1;
                self.report.secs += o.secs;
                let all = format!("{}{}", o.stdout, o.stderr);
                if o.code != Some(code) {
                    let got = o
                        .code
                        .map_or("a signal or the time-out".into(), |c| c.to_string());
                    self.fail(
                        no,
                        format!("`{cmd}` exited with {got}, expected {code}\n{}", o.tail()),
                    );
                } else if !output_matches(expected, &all.lines().collect::<Vec<_>>()) {
                    let shown = expected.join("\n    ");
                    self.fail(
                        no,
                        format!(
                            "the output of `{cmd}` lacks the lines shown:\n    {shown}\n{}",
                            o.tail()
                        ),
                    );
                }
            }
            Plan::Args(cmd) => self.args(no, &cmd),
            Plan::RepoFiles(cmd) => self.repo_files(no, &cmd),
            Plan::Skip(reason, instead, line) => {
                self.report.skipped.push((no, reason));
                self.instead(no, instead, &line);
            }
        }
    }

    /// The check made instead of running a skipped line.
    fn instead(&mut self, no: usize, instead: Instead, line: &str) {
        let words: Vec<&str> = line.split_whitespace().collect();
        let after = |flag: &str| {
            words
                .iter()
                .position(|w| *w == flag)
                .and_then(|i| words.get(i + 1))
        };
        let root = self.root;
        match instead {
            Instead::Nothing => {}
            Instead::TestFile => {
                if let Some(name) = after("--test") {
                    self.report.checked += 1;
                    if !root.join(format!("tests/{name}.rs")).is_file() {
                        self.fail(no, format!("`tests/{name}.rs` does not exist"));
                    }
                }
            }
            Instead::Bench => {
                let name = after("--bench").expect("a bench name");
                let toml = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
                self.report.checked += 1;
                if !toml.contains(&format!("name = \"{name}\"")) {
                    self.fail(no, format!("Cargo.toml declares no bench `{name}`"));
                }
            }
            Instead::FuzzTarget => {
                let target = words.last().expect("a fuzz target");
                self.report.checked += 1;
                if !root
                    .join(format!("fuzz/fuzz_targets/{target}.rs"))
                    .is_file()
                {
                    self.fail(no, format!("no fuzz target `{target}`"));
                }
            }
            Instead::Args => {
                let i = line
                    .find("invariance-lab ")
                    .expect("an invariance-lab command");
                self.args(no, &line[i..]);
            }
            Instead::Script => self.bash_n(no, words.get(1).expect("a script")),
            Instead::Syntax => self.bash_n(no, &format!("<<'EOF'\n{line}\nEOF")),
        }
    }

    /// `bash -n ARG` must succeed (ARG a file, or a here-document).
    fn bash_n(&mut self, no: usize, arg: &str) {
        let o = self.ws.run(&format!("bash -n {arg}"));
        self.report.checked += 1;
        if o.code != Some(0) {
            self.fail(
                no,
                format!("`{arg}` is missing or does not parse\n{}", o.tail()),
            );
        }
    }

    /// An `invariance-lab …` command's arguments must parse: with `--help` appended, clap
    /// prints the help only if every flag and value before it is valid.
    fn args(&mut self, no: usize, cmd: &str) {
        let gui = cmd.split_whitespace().nth(1) == Some("gui");
        if gui && self.ws.run("invariance-lab gui --help").code != Some(0) {
            return; // Built without the `gui` feature: nothing to check against.
        }
        let o = self.ws.run(&format!("{cmd} --help"));
        self.report.checked += 1;
        if o.code != Some(0) {
            self.fail(
                no,
                format!("the arguments of `{cmd}` do not parse:\n{}", o.tail()),
            );
        }
    }

    /// A `bench/…` or `scripts/…` line: every repository file it names exists and parses.
    fn repo_files(&mut self, no: usize, line: &str) {
        let is_repo_file = |w: &&str| {
            (w.starts_with("bench/") || w.starts_with("scripts/")) && !w.starts_with("bench/.venv/")
        };
        let files: Vec<&str> = line.split_whitespace().filter(is_repo_file).collect();
        if files.is_empty() {
            self.fail(no, format!("`{line}` names no bench/ or scripts/ file"));
        }
        for file in files {
            let path = self.root.join(file);
            self.report.checked += 1;
            if !path.is_file() {
                self.fail(no, format!("`{file}` does not exist"));
                continue;
            }
            let check = if file.ends_with(".py") {
                if self.ws.run("command -v python3").code != Some(0) {
                    continue; // No Python here: existence is all that can be checked.
                }
                format!(
                    "python3 -c 'import ast, sys; ast.parse(open(sys.argv[1]).read())' {}",
                    path.display()
                )
            } else {
                format!("bash -n {}", path.display())
            };
            let o = self.ws.run(&check);
            if o.code != Some(0) {
                self.fail(no, format!("`{file}` does not parse:\n{}", o.tail()));
            }
        }
    }

    /// Prose: inline commands, words that must not appear, links.
    fn prose(&mut self, line: usize, text: &str) {
        let (spans, prose) = code_spans(text);
        for span in &spans {
            let cmd = match span.strip_prefix("cargo run --release -- ") {
                Some(args) => format!("invariance-lab {args}"),
                None => span.clone(),
            };
            if cmd.starts_with("invariance-lab ") && !has_placeholder(&cmd) {
                self.args(line, &cmd);
            }
            if let Some(missing) = missing_code_path(self.root, span) {
                self.fail(line, format!("`{span}`: {missing} (moved or renamed?)"));
            }
        }
        let lower = text.to_lowercase();
        for (i, _) in lower.match_indices("issue") {
            if lower[i + 5..]
                .trim_start_matches(['s', ' ', '#'])
                .starts_with(|c: char| c.is_ascii_digit())
            {
                self.fail(line, "an internal issue number in user-facing text".into());
            }
        }
        if text.contains("SPEC §") || text.contains("SPEC.md") {
            self.fail(
                line,
                "refers to the specification, which readers of the guide do not have".into(),
            );
        }
        for target in link_targets(&prose) {
            self.link(line, &target);
        }
    }

    /// A relative link must name an existing file, and its `#anchor` a heading there.
    fn link(&mut self, line: usize, target: &str) {
        if target.contains("://") || target.starts_with("mailto:") {
            return;
        }
        let (path, anchor) = target.split_once('#').unwrap_or((target, ""));
        let resolved = match path {
            "" => self.page.rel.clone(),
            path => normalise(&self.page.rel.parent().unwrap_or(Path::new("")).join(path)),
        };
        if !self.root.join(&resolved).exists() {
            self.fail(
                line,
                format!("link `{target}`: `{}` does not exist", resolved.display()),
            );
        } else if !anchor.is_empty()
            && !self
                .anchors
                .get(&resolved)
                .is_some_and(|a| a.contains(anchor))
        {
            self.fail(
                line,
                format!(
                    "link `{target}`: no heading `#{anchor}` in {}",
                    resolved.display()
                ),
            );
        }
    }
}

/// Folders of the repository that inline paths may start with.
const REPO_FOLDERS: &[&str] = &[
    "src/",
    "tests/",
    "bench/",
    "scripts/",
    "assets/",
    "examples/",
    "screenshots/",
    "fuzz/",
    "docs/",
    ".ci/",
];
/// The library's top-level modules: `model/metrics.rs` means `src/model/metrics.rs`.
const SRC_FOLDERS: &[&str] = &[
    "model/",
    "io/",
    "group/",
    "search/",
    "transform/",
    "figure/",
    "sweep/",
    "app/",
    "session/",
    "cli/",
    "report/",
];

/// An inline code span that names a file or folder of the repository must name one that
/// exists: `tests/sweep.rs`, `model/metrics.rs` (under `src/`), or a bare `metrics.rs`
/// anywhere under `src/`, `tests/`, `bench/` or `fuzz/`. Returns what is missing.
pub fn missing_code_path(root: &Path, span: &str) -> Option<String> {
    if span.contains([' ', '{', '*', '$', '~', '…']) || span.starts_with("bench/.venv") {
        return None;
    }
    if REPO_FOLDERS.iter().any(|f| span.starts_with(f)) {
        return (!root.join(span).exists()).then(|| format!("`{span}` does not exist"));
    }
    if SRC_FOLDERS.iter().any(|f| span.starts_with(f)) {
        return (!root.join("src").join(span).exists())
            .then(|| format!("`src/{span}` does not exist"));
    }
    let bare = span.ends_with(".rs") && !span.contains('/');
    let found = || {
        ["src", "tests", "bench", "fuzz"]
            .iter()
            .any(|d| contains_file(&root.join(d), span))
    };
    (bare && !found()).then(|| format!("no file `{span}` under src/, tests/, bench/ or fuzz/"))
}

/// Is there a file called `name` anywhere under `dir`?
fn contains_file(dir: &Path, name: &str) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|e| {
        let path = e.path();
        if path.is_dir() {
            contains_file(&path, name)
        } else {
            e.file_name() == name
        }
    })
}
