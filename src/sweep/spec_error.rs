//! What a sweep file may hold and why one is refused: the limits on its grid and
//! [`SpecError`], shared by the reader ([`super::spec`]) and its count and key-path
//! checks ([`super::spec_checks`]).

use std::path::PathBuf;

use crate::io::config_file::ConfigFileError;
use crate::io::read::ReadError;
use crate::model::config::patch::PatchError;

/// Most runs (parameter combinations × seeds) in one sweep.
pub const MAX_RUNS: usize = 100_000;
/// Most checkpoints per run.
pub const MAX_CHECKPOINTS: usize = 1_000;
/// Most rows (runs × checkpoints) in one sweep: about 1 GB of CSV.
pub const MAX_ROWS: usize = 5_000_000;
/// Why a sweep file cannot run; every message names the key at fault.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    /// The file cannot be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The extension is neither `.json` nor `.toml`.
    #[error("`{0}`: a sweep file ends in .toml or .json")]
    Extension(PathBuf),
    /// Not valid JSON / TOML, a missing or unknown top-level key, a wrong type.
    #[error("`{path}`: {message}")]
    Syntax {
        /// The sweep file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
    /// `base` is neither a preset nor a readable config file.
    #[error("base: {0}")]
    Base(String),
    /// The base config file is invalid.
    #[error("base: {0}")]
    BaseFile(#[from] ConfigFileError),
    /// A `set` entry is refused.
    #[error("set: {0}")]
    Set(PatchError),
    /// A parameter is refused (unknown key path, empty list, duplicate or bad value).
    #[error("parameters.{key}: {message}")]
    Parameter {
        /// The key path.
        key: String,
        /// What is wrong.
        message: String,
    },
    /// The seeds are empty or repeat.
    #[error("seeds: {0}")]
    Seeds(String),
    /// The checkpoints are empty, unordered, zero or beyond the step limit.
    #[error("checkpoints: {0}")]
    Checkpoints(String),
    /// Too many runs or rows.
    #[error("the grid is too large: {0}")]
    TooLarge(String),
}
