//! Files: versioned experiment files, matrix import/export, atomic writes.

pub mod atomic;
pub mod experiment;
pub mod matrix;

pub use experiment::FileError;
pub use matrix::{MatrixError, load_matrix, save_csv, save_npy};
