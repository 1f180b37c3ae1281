//! Files: versioned experiment files, matrix import/export, atomic writes, bounded reads.

pub mod atomic;
pub mod config_file;
pub mod experiment;
mod experiment_fields;
mod experiment_format;
mod experiment_pins;
mod experiment_write;
pub mod matrix;
mod matrix_f32;
mod matrix_text;
mod npy_header;
pub mod read;

pub use experiment::FileError;
pub use matrix::{MatrixError, load_matrix, save_csv, save_npy};
pub use matrix_f32::{load_matrix_f32, save_npy_rows};
pub use read::{ReadError, read_limited};
