//! Running the built `invariance-lab` binary as a user would, shared by the CLI tests.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs the binary with `args` in `dir`.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_invariance-lab"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

/// Runs the binary, asserts success and returns its standard output.
pub fn ok(dir: &Path, args: &[&str]) -> String {
    let out = run(dir, args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A FIFO of our own at `path` (never a device node).
#[cfg(target_os = "linux")]
pub fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

/// A stand-in for ffmpeg in `dir/bin` that swallows the frames and writes a small file to
/// its last argument, as ffmpeg writes its output; returns a `PATH` that finds it first.
#[cfg(unix)]
pub fn fake_ffmpeg(dir: &Path) -> String {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = bin.join("ffmpeg");
    std::fs::write(
        &script,
        "#!/bin/sh\nfor a in \"$@\"; do last=\"$a\"; done\ncat > /dev/null\nprintf 'mp4' > \"$last\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// A mono PCM WAV file: the header declares `rate` Hz, `bits` per sample and `declared`
/// data bytes (which may be a lie), followed by `data`.
pub fn wav_bytes(rate: u32, bits: u16, declared: u32, data: &[u8]) -> Vec<u8> {
    let block = bits.div_ceil(8);
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&36u32.saturating_add(declared).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&rate.wrapping_mul(u32::from(block)).to_le_bytes());
    out.extend_from_slice(&block.to_le_bytes());
    out.extend_from_slice(&bits.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&declared.to_le_bytes());
    out.extend_from_slice(data);
    out
}
