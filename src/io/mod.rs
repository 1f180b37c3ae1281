//! Files: versioned experiment files, matrix import/export, atomic writes, bounded reads.

pub mod atomic;
pub mod config_file;
pub mod csv_cells;
pub mod experiment;
mod experiment_arrays;
pub mod experiment_config;
mod experiment_error;
mod experiment_fields;
mod experiment_format;
mod experiment_pins;
mod experiment_write;
pub mod imported;
pub mod lock;
pub mod matrix;
mod matrix_error;
mod matrix_f32;
mod matrix_text;
mod npy_header;
/// Reading input files within a bound: lives at the bottom of the crate
/// (`crate::bounded_read`), so `model/` can read data folders without importing `io/`.
pub use crate::bounded_read as read;
pub mod source;

pub use experiment::FileError;
pub use matrix::{MatrixError, load_matrix, save_csv, save_npy};
pub use matrix_f32::{load_matrix_f32, save_npy_rows};
pub use read::{ReadError, read_limited};
