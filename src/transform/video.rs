//! The orbit animation as an MP4 video for slides, encoded by an `ffmpeg` found on the
//! `PATH` (raw RGB frames piped to its standard input). Nothing is downloaded: without
//! `ffmpeg` the caller is told that only GIF and PNG frames are available.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use image::RgbImage;

/// Frame rate of the written video: every animation frame is repeated to reach it, so
/// players that dislike very low frame rates still show each frame for its full delay.
pub const OUTPUT_FPS: u32 = 25;

/// Why a video could not be written.
#[derive(Debug, thiserror::Error)]
pub enum VideoError {
    /// No `ffmpeg` on the `PATH`.
    #[error(
        "no video encoder: `ffmpeg` is not on the PATH, so only the GIF and PNG frames are available"
    )]
    NoEncoder,
    /// There are no frames, or they differ in size.
    #[error("nothing to encode: {0}")]
    BadFrames(String),
    /// Starting or feeding `ffmpeg`, or moving its output into place, failed.
    #[error("{}", crate::io::atomic::write_failure("write", path, cause))]
    Io {
        /// The video file.
        path: PathBuf,
        /// The underlying error.
        cause: std::io::Error,
    },
    /// `ffmpeg` ran and failed.
    #[error("ffmpeg could not encode {path}: {message}")]
    Encoder {
        /// The video file.
        path: PathBuf,
        /// The last line ffmpeg printed.
        message: String,
    },
}

/// The `ffmpeg` executable on the `PATH`, if there is one.
pub fn find_ffmpeg() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .filter(|dir| !dir.as_os_str().is_empty())
        .map(|dir| dir.join("ffmpeg"))
        .find(|candidate| is_executable(candidate))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.with_extension("exe").is_file() || path.is_file()
}

/// Writes `frames` as an H.264 MP4 (`yuv420p`, playable by browsers and presentation
/// software; MPEG-4 part 2 if this ffmpeg lacks an H.264 encoder), each frame shown for
/// `frame_ms` milliseconds. The file appears complete or not at all (written beside the
/// target, then renamed).
pub fn write_mp4(path: &Path, frames: &[RgbImage], frame_ms: u32) -> Result<(), VideoError> {
    let first = frames
        .first()
        .ok_or_else(|| VideoError::BadFrames("the animation has no frames".into()))?;
    let (w, h) = first.dimensions();
    if frames.iter().any(|f| f.dimensions() != (w, h)) {
        return Err(VideoError::BadFrames("frames differ in size".into()));
    }
    let ffmpeg = find_ffmpeg().ok_or(VideoError::NoEncoder)?;
    // ffmpeg writes a temporary file beside the target, which then goes through the one
    // save path of every output (`crate::io::atomic`): a device, FIFO, socket or folder
    // is refused before ffmpeg starts, a symbolic link is written through, and the file
    // is renamed into place only when complete.
    let mut failure = None;
    let written = crate::io::atomic::write_atomically_from_path(path, |tmp| {
        let mut last = None;
        for codec in ["libx264", "mpeg4"] {
            match encode(&ffmpeg, tmp, frames, (w, h), frame_ms, codec) {
                Ok(()) => return Ok(()),
                Err(message) => last = Some(message),
            }
        }
        failure = last;
        Err(std::io::Error::other("ffmpeg failed"))
    });
    match (written, failure) {
        (Ok(()), _) => Ok(()),
        (Err(_), Some(message)) => Err(VideoError::Encoder {
            path: path.to_path_buf(),
            message,
        }),
        (Err(cause), None) => Err(VideoError::Io {
            path: path.to_path_buf(),
            cause,
        }),
    }
}

/// One run of ffmpeg with `codec`; the error is ffmpeg's last line of output.
fn encode(
    ffmpeg: &Path,
    out: &Path,
    frames: &[RgbImage],
    (w, h): (u32, u32),
    frame_ms: u32,
    codec: &str,
) -> Result<(), String> {
    let input_rate = format!("{}/{}", 1000, frame_ms.max(1));
    let mut child = Command::new(ffmpeg)
        .args(["-hide_banner", "-loglevel", "error", "-nostdin", "-y"])
        .args(["-f", "rawvideo", "-pix_fmt", "rgb24"])
        .args([
            "-s",
            &format!("{w}x{h}"),
            "-framerate",
            &input_rate,
            "-i",
            "-",
        ])
        // yuv420p needs even sides: pad by one white pixel where needed.
        .args([
            "-vf",
            "pad=ceil(iw/2)*2:ceil(ih/2)*2:0:0:white",
            "-r",
            &OUTPUT_FPS.to_string(),
            "-c:v",
            codec,
            "-pix_fmt",
            "yuv420p",
            "-movflags",
            "+faststart",
            "-f",
            "mp4",
        ])
        .arg(out)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", ffmpeg.display()))?;
    // ffmpeg's messages are read on another thread so a full pipe cannot block it while
    // this thread is still writing frames.
    let stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut s) = stderr {
            let _ = s.read_to_string(&mut text);
        }
        text
    });
    let fed = match child.stdin.take() {
        Some(mut stdin) => frames
            .iter()
            .try_for_each(|f| stdin.write_all(f.as_raw()))
            .map_err(|e| e.to_string()),
        None => Err("no pipe to ffmpeg".into()),
    };
    let status = child.wait().map_err(|e| e.to_string())?;
    let messages = reader.join().unwrap_or_default();
    let last_line = messages
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .to_string();
    match (status.success(), fed) {
        (true, Ok(())) => Ok(()),
        (true, Err(e)) => Err(e),
        (false, _) => Err(if last_line.is_empty() {
            format!("ffmpeg exited with {status}")
        } else {
            last_line
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_frames_is_refused_before_looking_for_ffmpeg() {
        let err = write_mp4(Path::new("x.mp4"), &[], 100).unwrap_err();
        assert!(matches!(err, VideoError::BadFrames(_)), "{err}");
        let frames = [RgbImage::new(4, 4), RgbImage::new(4, 6)];
        let err = write_mp4(Path::new("x.mp4"), &frames, 100).unwrap_err();
        assert!(matches!(err, VideoError::BadFrames(_)), "{err}");
    }
}
