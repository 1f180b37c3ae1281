//! The status line's state: the last message (errors stay until replaced). Drawn by
//! `app/panels/status_bar.rs`.

use std::time::Instant;

/// Kind of a status message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusKind {
    /// Neutral information.
    Info,
    /// Something failed; the message says what and why.
    Error,
}

/// The last message and when it was posted.
pub struct StatusLine {
    /// Message text.
    pub text: String,
    /// Its kind.
    pub kind: StatusKind,
    since: Instant,
}

impl Default for StatusLine {
    fn default() -> Self {
        Self {
            text: "Ready.".to_owned(),
            kind: StatusKind::Info,
            since: Instant::now(),
        }
    }
}

impl StatusLine {
    /// Posts an informational message.
    pub fn info(&mut self, text: impl Into<String>) {
        self.set(StatusKind::Info, text.into());
    }

    /// Posts an error message.
    pub fn error(&mut self, text: impl Into<String>) {
        self.set(StatusKind::Error, text.into());
    }

    fn set(&mut self, kind: StatusKind, text: String) {
        self.text = text;
        self.kind = kind;
        self.since = Instant::now();
    }
}
