//! What a matrix file may be and why one is refused: the size limits and
//! [`MatrixError`], shared by the `.npy` reader ([`super::matrix`]), the text reader
//! ([`super::matrix_text`]) and the streamed `float32` reader ([`super::matrix_f32`]).

use std::io;
use std::path::PathBuf;

use super::read::ReadError;
use crate::model::detectors::MAX_NEURONS;

/// The largest matrix accepted on load (`rows · cols`), to refuse absurd files before
/// allocating: the weights of the largest simulation ([`MAX_NEURONS`]², 16,384 × 16,384).
pub const MAX_MATRIX_ELEMENTS: usize = MAX_NEURONS * MAX_NEURONS;

/// The largest matrix file read: a [`MAX_MATRIX_ELEMENTS`] `float64` `.npy` (2 GiB) with
/// the longest header accepted. Text files share the limit (a text matrix that large
/// would hold about 150 million entries; use `.npy` beyond).
pub const MAX_MATRIX_FILE_BYTES: u64 =
    8 * MAX_MATRIX_ELEMENTS as u64 + 12 + super::npy_header::MAX_HEADER_BYTES as u64;

/// Why a matrix file could not be read or written; every variant names the problem.
#[derive(Debug, thiserror::Error)]
pub enum MatrixError {
    /// The file could not be read: missing, not a regular file, or too large.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// A problem with the contents of a file, and the file.
    #[error("`{path}`: {problem}")]
    InFile {
        /// The file.
        path: PathBuf,
        /// What is wrong, and where.
        problem: Box<MatrixError>,
    },
    /// The file could not be written.
    #[error("{}", super::atomic::write_failure("write", path, cause))]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error (part of the message, so not chained again).
        cause: io::Error,
    },
    /// The extension is neither `.npy` nor a text format.
    #[error("`{0}`: unsupported file type (use .npy or .csv)")]
    UnsupportedFormat(PathBuf),
    /// The `.npy` file is malformed.
    #[error("not a valid .npy file: {0}")]
    InvalidNpy(String),
    /// The `.npy` element type is not float32/float64.
    #[error("unsupported .npy element type {0} (need float32 or float64)")]
    UnsupportedType(String),
    /// The array does not have two dimensions.
    #[error("not a matrix: the array has {0} dimension(s), need 2")]
    NotAMatrix(usize),
    /// The matrix has no entries.
    #[error("the matrix is empty ({rows} × {cols})")]
    Empty {
        /// Rows found.
        rows: usize,
        /// Columns found.
        cols: usize,
    },
    /// The matrix is larger than [`MAX_MATRIX_ELEMENTS`].
    #[error("the matrix is too large ({rows} × {cols}); at most {max} entries are accepted")]
    TooLarge {
        /// Rows declared.
        rows: usize,
        /// Columns declared.
        cols: usize,
        /// The limit.
        max: usize,
    },
    /// An entry is NaN or infinite.
    #[error("entry ({row}, {col}) is not finite ({value})")]
    NonFinite {
        /// Row index (0-based).
        row: usize,
        /// Column index (0-based).
        col: usize,
        /// The value found.
        value: f64,
    },
    /// A text row has a different number of entries than the first row.
    #[error("ragged rows: row {row} (line {line}) has {found} entries, expected {expected}")]
    Ragged {
        /// Row index (0-based, after the header).
        row: usize,
        /// Line number in the file (1-based).
        line: usize,
        /// Entries in this row.
        found: usize,
        /// Entries in the first row.
        expected: usize,
    },
    /// A text entry is not a number.
    #[error("line {line}, column {col}: `{text}` is not a number")]
    NotANumber {
        /// Line number in the file (1-based).
        line: usize,
        /// Column index (0-based).
        col: usize,
        /// The offending text (at most 40 characters of it).
        text: String,
    },
    /// A text line is not valid UTF-8.
    #[error("line {line} is not UTF-8 text (byte {byte} of the line)")]
    NotUtf8 {
        /// Line number in the file (1-based).
        line: usize,
        /// Offset of the first invalid byte within the line (0-based).
        byte: usize,
    },
}

pub(super) fn check_size(rows: usize, cols: usize) -> Result<(), MatrixError> {
    if rows == 0 || cols == 0 {
        return Err(MatrixError::Empty { rows, cols });
    }
    match rows.checked_mul(cols) {
        Some(n) if n <= MAX_MATRIX_ELEMENTS => Ok(()),
        _ => Err(MatrixError::TooLarge {
            rows,
            cols,
            max: MAX_MATRIX_ELEMENTS,
        }),
    }
}
