//! Loading weighted graphs from `.npy` / `.csv` files and exporting weight matrices.
//!
//! Loading accepts `.npy` files holding a 2-D `float32` or `float64` array (either byte
//! order, C or Fortran layout) and text files (`.csv`, `.txt`, `.tsv`) with one matrix row
//! per line (see [`super::matrix_text`]). The matrix need not be square (the caller
//! decides whether it must be). Files are read through [`read_limited`]: regular files of
//! at most [`MAX_MATRIX_FILE_BYTES`].

use std::io::Write;
use std::path::Path;

use ndarray::{Array2, ArrayView2, ShapeBuilder};

use super::atomic::write_atomically;
use super::npy_header::parse_header;
use super::read::read_limited;

use super::matrix_error::check_size;
pub use super::matrix_error::{MAX_MATRIX_ELEMENTS, MAX_MATRIX_FILE_BYTES, MatrixError};
use super::matrix_f32::save_npy_rows;
pub use super::matrix_text::{parse_text, parse_text_bytes};

/// Loads a matrix from a `.npy` or text (`.csv`, `.tsv`, `.txt`) file. Every error names
/// the file.
pub fn load_matrix(path: impl AsRef<Path>) -> Result<Array2<f64>, MatrixError> {
    let path = path.as_ref();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let parsed = match ext.as_str() {
        "npy" => parse_npy(&read_limited(path, MAX_MATRIX_FILE_BYTES)?),
        "csv" | "tsv" | "txt" => {
            super::matrix_text::parse_text_bytes(&read_limited(path, MAX_MATRIX_FILE_BYTES)?)
        }
        _ => return Err(MatrixError::UnsupportedFormat(path.to_path_buf())),
    };
    parsed.map_err(|problem| MatrixError::InFile {
        path: path.to_path_buf(),
        problem: Box::new(problem),
    })
}

/// Parses the bytes of a `.npy` file holding a 2-D float32/float64 array (either byte
/// order, C or Fortran layout).
pub fn parse_npy(bytes: &[u8]) -> Result<Array2<f64>, MatrixError> {
    let header = parse_header(bytes).map_err(MatrixError::InvalidNpy)?;
    if header.shape.len() != 2 {
        return Err(MatrixError::NotAMatrix(header.shape.len()));
    }
    let (rows, cols) = (header.shape[0], header.shape[1]);
    check_size(rows, cols)?;
    let (little, width) = match header.descr.as_str() {
        "<f8" => (true, 8),
        ">f8" => (false, 8),
        "<f4" => (true, 4),
        ">f4" => (false, 4),
        other => {
            return Err(MatrixError::UnsupportedType(
                other.chars().take(20).collect(),
            ));
        }
    };
    let data = &bytes[header.data_offset..];
    let expected = rows * cols * width;
    if data.len() != expected {
        return Err(MatrixError::InvalidNpy(format!(
            "the header declares {rows} × {cols} entries ({expected} bytes) but {} data bytes follow",
            data.len()
        )));
    }
    let values: Vec<f64> = data
        .chunks_exact(width)
        .map(|c| match (width, little) {
            (8, true) => f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]),
            (8, false) => f64::from_be_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]),
            (_, true) => f64::from(f32::from_le_bytes([c[0], c[1], c[2], c[3]])),
            (_, false) => f64::from(f32::from_be_bytes([c[0], c[1], c[2], c[3]])),
        })
        .collect();
    let shape = (rows, cols).set_f(header.fortran_order);
    let matrix = Array2::from_shape_vec(shape, values)
        .map_err(|e| MatrixError::InvalidNpy(e.to_string()))?;
    // Normalise to standard (C) layout so callers can rely on contiguous rows.
    let matrix = if matrix.is_standard_layout() {
        matrix
    } else {
        matrix.as_standard_layout().into_owned()
    };
    check_finite(&matrix)?;
    Ok(matrix)
}

fn check_finite(m: &Array2<f64>) -> Result<(), MatrixError> {
    for ((row, col), &value) in m.indexed_iter() {
        if !value.is_finite() {
            return Err(MatrixError::NonFinite { row, col, value });
        }
    }
    Ok(())
}

/// Saves a matrix as a little-endian `float32` `.npy` file (C order), atomically: the
/// one `.npy` writer ([`save_npy_rows`]) given the whole matrix as one block.
pub fn save_npy(path: impl AsRef<Path>, matrix: ArrayView2<f32>) -> Result<(), MatrixError> {
    let (rows, cols) = matrix.dim();
    let owned = matrix.as_standard_layout();
    save_npy_rows(path, rows, cols, |give| match owned.as_slice() {
        Some(all) => give(all),
        None => owned
            .rows()
            .into_iter()
            .try_for_each(|row| give(&row.to_vec())),
    })
}

/// Saves a matrix as comma-separated text, one row per line, atomically. Values are
/// written with Rust's shortest round-trip formatting, so reloading is exact.
pub fn save_csv(path: impl AsRef<Path>, matrix: ArrayView2<f32>) -> Result<(), MatrixError> {
    let path = path.as_ref();
    write_atomically(path, |w| {
        for row in matrix.rows() {
            let mut first = true;
            for &v in row {
                if !first {
                    w.write_all(b",")?;
                }
                first = false;
                write!(w, "{v}")?;
            }
            w.write_all(b"\n")?;
        }
        Ok(())
    })
    .map_err(|cause| MatrixError::Io {
        path: path.to_path_buf(),
        cause,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;
    use ndarray_npy::WriteNpyExt;

    #[test]
    fn npy_and_csv_round_trip_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let m = array![[0.0f32, 1.5, -2.25], [3.0e-7, 4.0, 1.0 / 3.0]];
        let npy = dir.path().join("m.npy");
        let csv = dir.path().join("m.csv");
        save_npy(&npy, m.view()).unwrap();
        save_csv(&csv, m.view()).unwrap();
        let expect = m.mapv(f64::from);
        assert_eq!(load_matrix(&npy).unwrap(), expect);
        // CSV stores the shortest decimal of each f32, which rounds back to the same f32.
        assert_eq!(load_matrix(&csv).unwrap().mapv(|x| x as f32), m);
    }

    #[test]
    fn f64_and_fortran_npy_load() {
        let m = array![[1.0f64, 2.0], [3.0, 4.0], [5.0, 6.0]];
        let mut f = Array2::<f64>::zeros((3, 2).f()); // same values, Fortran layout
        f.assign(&m);
        assert!(!f.is_standard_layout());
        let mut buf = Vec::new();
        f.write_npy(&mut buf).unwrap();
        assert_eq!(parse_npy(&buf).unwrap(), m);
    }

    #[test]
    fn text_header_comments_and_whitespace() {
        let m = parse_text("# comment\na,b\n1 2\n\n3;4\n").unwrap();
        assert_eq!(m, array![[1.0, 2.0], [3.0, 4.0]]);
    }

    #[test]
    fn text_errors_name_the_problem() {
        assert!(matches!(
            parse_text("1,2\n3\n"),
            Err(MatrixError::Ragged {
                row: 1,
                line: 2,
                found: 1,
                expected: 2
            })
        ));
        assert!(matches!(
            parse_text("1,2\n3,nan\n"),
            Err(MatrixError::NonFinite { row: 1, col: 1, .. })
        ));
        assert!(matches!(
            parse_text("1,2\n3,x\n"),
            Err(MatrixError::NotANumber {
                line: 2,
                col: 1,
                ..
            })
        ));
        assert!(matches!(
            parse_text("# nothing\n"),
            Err(MatrixError::Empty { .. })
        ));
    }

    #[test]
    fn npy_errors_name_the_problem() {
        let mut buf = Vec::new();
        ndarray::Array1::<f32>::zeros(3)
            .write_npy(&mut buf)
            .unwrap();
        assert!(matches!(parse_npy(&buf), Err(MatrixError::NotAMatrix(1))));
        let mut buf = Vec::new();
        array![[1i32, 2]].write_npy(&mut buf).unwrap();
        assert!(matches!(
            parse_npy(&buf),
            Err(MatrixError::UnsupportedType(_))
        ));
        let mut buf = Vec::new();
        array![[1.0f32, f32::INFINITY]].write_npy(&mut buf).unwrap();
        assert!(matches!(
            parse_npy(&buf),
            Err(MatrixError::NonFinite { row: 0, col: 1, .. })
        ));
        let mut buf = Vec::new();
        array![[1.0f32, 2.0], [3.0, 4.0]]
            .write_npy(&mut buf)
            .unwrap();
        buf.truncate(buf.len() - 3);
        assert!(matches!(parse_npy(&buf), Err(MatrixError::InvalidNpy(_))));
        assert!(matches!(
            parse_npy(b"garbage"),
            Err(MatrixError::InvalidNpy(_))
        ));
    }
}
