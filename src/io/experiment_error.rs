//! Why an experiment file could not be written or read ([`FileError`]), and the decoding
//! of its arrays with the field's name put on any problem — shared by the file's reader
//! ([`super::experiment`]) and its optional parts (learned fields, pins).

use std::path::PathBuf;

use super::experiment_arrays::{DecodeError, EncodedArray, decode};
use super::read::ReadError;
use crate::model::ConfigError;
use crate::model::learning::training_record::Diverged;

/// Why an experiment file could not be written or read; every variant names the problem.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The file could not be opened, read or written.
    #[error("{}", super::atomic::write_failure("access", path, cause))]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error (part of the message, so not chained again).
        cause: std::io::Error,
    },
    /// The path is a device, FIFO, socket or directory.
    #[error("cannot read `{path}`: it is {kind}, not a regular file")]
    NotRegular {
        /// The path.
        path: PathBuf,
        /// What it is.
        kind: &'static str,
    },
    /// The file is larger than [`MAX_FILE_BYTES`].
    #[error("cannot read `{path}`: it has {bytes} bytes, more than the limit of {max}")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Size found.
        bytes: u64,
        /// The limit.
        max: u64,
    },
    /// The simulation's state is unusable (training diverged); nothing is written.
    #[error("not saved: {0}")]
    Diverged(Diverged),
    /// The text is not valid JSON (or ends too early).
    #[error("{}not valid JSON: {message}", if *.truncated { "truncated file, " } else { "" })]
    Json {
        /// True when the JSON ends prematurely (a truncated file).
        truncated: bool,
        /// Parser message with line and column.
        message: String,
    },
    /// No `format_version` field.
    #[error("not an experiment file: no `format_version` field")]
    MissingVersion,
    /// A version this build does not read.
    #[error("unsupported format_version {found} (this build reads version {supported})")]
    UnsupportedVersion {
        /// Version in the file.
        found: String,
        /// Version supported.
        supported: u64,
    },
    /// Valid JSON but a field is missing or has the wrong type.
    #[error("malformed experiment file: {0}")]
    Schema(String),
    /// The stored configuration is out of range.
    #[error("invalid configuration in file: {0}")]
    Config(ConfigError),
    /// An array has the wrong shape or size.
    #[error("`{field}` has shape {found:?}, expected {expected:?}")]
    Shape {
        /// Field name.
        field: &'static str,
        /// Expected shape.
        expected: Vec<usize>,
        /// Shape found.
        found: Vec<usize>,
    },
    /// A declared size is beyond what this program supports.
    #[error("`{field}` = {value} is too large (at most {max})")]
    Absurd {
        /// Field name.
        field: &'static str,
        /// Value found.
        value: u64,
        /// The limit.
        max: u64,
    },
    /// An array's encoding is broken.
    #[error("`{field}`: {reason}")]
    Encoding {
        /// Field name.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// An array or number holds NaN or infinity.
    #[error("`{field}` holds a non-finite value at flat index {index}")]
    NonFinite {
        /// Field name.
        field: &'static str,
        /// Row-major index of the first bad value.
        index: usize,
    },
    /// Stored values disagree with what the configuration regenerates.
    #[error("`{field}` does not match the configuration: {reason}")]
    Mismatch {
        /// Field name.
        field: &'static str,
        /// What differs.
        reason: String,
    },
}

impl FileError {
    /// Whether the message already names the file (so a front need not add it again).
    pub fn names_file(&self) -> bool {
        matches!(
            self,
            FileError::Io { .. } | FileError::NotRegular { .. } | FileError::TooLarge { .. }
        )
    }
}

// Not `#[from]`: that would also make the inner error the `source`, and fronts that print
// the chain would repeat its message.
impl From<ConfigError> for FileError {
    fn from(e: ConfigError) -> Self {
        FileError::Config(e)
    }
}

impl From<Diverged> for FileError {
    fn from(e: Diverged) -> Self {
        FileError::Diverged(e)
    }
}

impl From<ReadError> for FileError {
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::Io { path, cause } => FileError::Io { path, cause },
            ReadError::NotRegular { path, kind } => FileError::NotRegular { path, kind },
            ReadError::TooLarge { path, bytes, max } => FileError::TooLarge { path, bytes, max },
        }
    }
}

/// Puts the field name on a decoding problem.
fn decode_error(field: &'static str, expected: &[usize], e: DecodeError) -> FileError {
    match e {
        DecodeError::Dtype(found) => FileError::Encoding {
            field,
            reason: format!("unsupported dtype `{found}`"),
        },
        DecodeError::Shape(found) => FileError::Shape {
            field,
            expected: expected.to_vec(),
            found,
        },
        DecodeError::Encoding(reason) => FileError::Encoding { field, reason },
        DecodeError::NonFinite(index) => FileError::NonFinite { field, index },
    }
}

pub(super) fn decode_f32(
    field: &'static str,
    a: &EncodedArray,
    shape: &[usize],
) -> Result<Vec<f32>, FileError> {
    decode(a, "f32le", shape, f32::from_le_bytes, f32::is_finite)
        .map_err(|e| decode_error(field, shape, e))
}

pub(super) fn decode_f64(
    field: &'static str,
    a: &EncodedArray,
    shape: &[usize],
) -> Result<Vec<f64>, FileError> {
    decode(a, "f64le", shape, f64::from_le_bytes, f64::is_finite)
        .map_err(|e| decode_error(field, shape, e))
}
