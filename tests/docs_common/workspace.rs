//! A page's working directory: a copy of the folders its commands read, the binary under
//! test first on the `PATH`, and a private `HOME`.

use std::fmt::Write as _;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A command that runs longer than this has hung.
const TIMEOUT: Duration = Duration::from_secs(600);

/// A page's working directory.
pub struct Workspace {
    _dir: tempfile::TempDir,
    /// Where the commands run.
    pub cwd: PathBuf,
    /// Holds `invariance-lab`, first on the `PATH`.
    bin: PathBuf,
    /// `HOME` and the XDG folders, so nothing touches the user's settings.
    home: PathBuf,
    /// Captured output of the last command.
    out: PathBuf,
}

/// What a command did.
pub struct Outcome {
    /// Exit code; `None` on a signal or the time-out.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub secs: f64,
}

impl Workspace {
    /// A fresh directory with copies of `copied` (folders of `root`) and `binary` on the
    /// `PATH` as `invariance-lab`.
    pub fn new(root: &Path, copied: &[&str], binary: &str) -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        let [cwd, bin, home, out] = ["work", "bin", "home", "out"].map(|d| dir.path().join(d));
        for d in [&cwd, &bin, &home, &out] {
            std::fs::create_dir_all(d).unwrap();
        }
        std::os::unix::fs::symlink(binary, bin.join("invariance-lab")).unwrap();
        for folder in copied {
            copy_dir(&root.join(folder), &cwd.join(folder));
        }
        Workspace {
            _dir: dir,
            cwd,
            bin,
            home,
            out,
        }
    }

    /// Runs `line` through `bash -o pipefail` in the working directory.
    pub fn run(&self, line: &str) -> Outcome {
        let path = format!(
            "{}:{}",
            self.bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let [stdout, stderr] = ["stdout", "stderr"].map(|s| self.out.join(s));
        let start = Instant::now();
        let mut child = Command::new("bash")
            .args(["-o", "pipefail", "-c", line])
            .current_dir(&self.cwd)
            .env("PATH", path)
            .env("HOME", &self.home)
            .env("XDG_DATA_HOME", self.home.join("data"))
            .env("XDG_CONFIG_HOME", self.home.join("config"))
            .env("XDG_CACHE_HOME", self.home.join("cache"))
            .env("INVARIANCE_LAB_NO_DIALOGS", "1")
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&stdout).unwrap())
            .stderr(std::fs::File::create(&stderr).unwrap())
            // Its own process group, so a hung command is killed with its children.
            .process_group(0)
            .spawn()
            .expect("bash runs");
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break Some(status);
            }
            if start.elapsed() > TIMEOUT {
                let group = format!("-{}", child.id());
                let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let read = |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned();
        Outcome {
            code: status.and_then(|s| s.code()),
            stdout: read(&stdout),
            stderr: read(&stderr),
            secs: start.elapsed().as_secs_f64(),
        }
    }
}

impl Outcome {
    /// The last lines of both streams, for a failure message.
    pub fn tail(&self) -> String {
        let mut s = String::new();
        for (name, text) in [("stdout", &self.stdout), ("stderr", &self.stderr)] {
            let lines: Vec<&str> = text.lines().collect();
            if !lines.is_empty() {
                let _ = writeln!(s, "    --- {name} (last lines):");
                for l in &lines[lines.len().saturating_sub(12)..] {
                    let _ = writeln!(s, "    {l}");
                }
            }
        }
        s
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
