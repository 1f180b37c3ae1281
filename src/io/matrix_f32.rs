//! Weight matrices as `float32`, the type every analysis holds them in, read and written
//! as streams: a 16,384 × 16,384 `.npy` is 1 GiB (2 GiB as `float64`), so loading it
//! must not hold the file's bytes, or a `float64` copy, beside the matrix; and exporting
//! the learned `W` must not copy it first.

use std::io::{self, Read, Write};
use std::path::Path;

use ndarray::{Array2, ShapeBuilder};

use super::atomic::write_atomically;
use super::matrix_error::{MAX_MATRIX_FILE_BYTES, MatrixError, check_size};
use super::npy_header::{MAX_HEADER_BYTES, parse_header};
use super::read::{ReadError, open_regular, read_limited};

/// Bytes read per chunk while streaming a `.npy` file's data.
const CHUNK_BYTES: usize = 1 << 22;

/// Loads a matrix from a `.npy` or text file as `float32` — the values a
/// [`crate::graph::WeightedGraph`] holds: `float64` entries are rounded, and one beyond
/// the `float32` range is refused as not finite. A `.npy` file is streamed: the peak
/// memory is the matrix plus a 4 MiB buffer (twice the matrix for Fortran order, which
/// is turned into rows). Every error names the file.
pub fn load_matrix_f32(path: impl AsRef<Path>) -> Result<Array2<f32>, MatrixError> {
    let path = path.as_ref();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let in_file = |problem| MatrixError::InFile {
        path: path.to_path_buf(),
        problem: Box::new(problem),
    };
    match ext.as_str() {
        "npy" => read_npy_f32(path).map_err(|e| match e {
            MatrixError::Read(_) => e,
            other => in_file(other),
        }),
        "csv" | "tsv" | "txt" => {
            let bytes = read_limited(path, MAX_MATRIX_FILE_BYTES)?;
            let m = super::matrix_text::parse_text_bytes(&bytes).map_err(in_file)?;
            drop(bytes);
            to_f32(&m).map_err(in_file)
        }
        _ => Err(MatrixError::UnsupportedFormat(path.to_path_buf())),
    }
}

/// `float64` entries rounded to `float32`, refusing any beyond its range.
fn to_f32(m: &Array2<f64>) -> Result<Array2<f32>, MatrixError> {
    if let Some(((row, col), &value)) = m
        .indexed_iter()
        .find(|(_, x)| !x.is_finite() || x.abs() > f64::from(f32::MAX))
    {
        return Err(MatrixError::NonFinite { row, col, value });
    }
    Ok(m.mapv(|x| x as f32))
}

fn read_npy_f32(path: &Path) -> Result<Array2<f32>, MatrixError> {
    let io_err = |cause| {
        MatrixError::Read(ReadError::Io {
            path: path.to_path_buf(),
            cause,
        })
    };
    let (file, len) = open_regular(path, MAX_MATRIX_FILE_BYTES)?;
    let mut file = file.take(len);
    // The header: at most its 10–12 byte preamble plus MAX_HEADER_BYTES.
    let mut head = Vec::new();
    (&mut file)
        .take(12 + MAX_HEADER_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(io_err)?;
    let header = parse_header(&head).map_err(MatrixError::InvalidNpy)?;
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
    let count = rows * cols;
    let expected = count * width;
    let data_bytes = len.saturating_sub(header.data_offset as u64);
    if data_bytes != expected as u64 {
        return Err(MatrixError::InvalidNpy(format!(
            "the header declares {rows} × {cols} entries ({expected} bytes) but {data_bytes} \
             data bytes follow"
        )));
    }
    let mut values: Vec<f32> = Vec::new();
    values.try_reserve_exact(count).map_err(|_| {
        io_err(io::Error::new(
            io::ErrorKind::OutOfMemory,
            format!("cannot allocate {count} float32 entries"),
        ))
    })?;
    let mut pending: Vec<u8> = head[header.data_offset.min(head.len())..].to_vec();
    let mut chunk = vec![0u8; CHUNK_BYTES];
    loop {
        let whole = pending.len() / width * width;
        for word in pending[..whole].chunks_exact(width) {
            let value = decode(word, width, little);
            let narrow = value as f32;
            if !narrow.is_finite() {
                let k = values.len();
                let (row, col) = if header.fortran_order {
                    (k % rows, k / rows)
                } else {
                    (k / cols, k % cols)
                };
                return Err(MatrixError::NonFinite { row, col, value });
            }
            values.push(narrow);
        }
        pending.drain(..whole);
        if values.len() == count {
            break;
        }
        let n = file.read(&mut chunk).map_err(io_err)?;
        if n == 0 {
            return Err(MatrixError::InvalidNpy(format!(
                "the file ends after {} of {count} entries",
                values.len()
            )));
        }
        pending.extend_from_slice(&chunk[..n]);
    }
    let shape = (rows, cols).set_f(header.fortran_order);
    let matrix = Array2::from_shape_vec(shape, values)
        .map_err(|e| MatrixError::InvalidNpy(e.to_string()))?;
    Ok(if matrix.is_standard_layout() {
        matrix
    } else {
        matrix.as_standard_layout().into_owned()
    })
}

/// One entry of `width` bytes (4 or 8) as `f64`.
fn decode(word: &[u8], width: usize, little: bool) -> f64 {
    if width == 8 {
        let b: [u8; 8] = word.try_into().unwrap_or([0; 8]);
        if little {
            f64::from_le_bytes(b)
        } else {
            f64::from_be_bytes(b)
        }
    } else {
        let b: [u8; 4] = word.try_into().unwrap_or([0; 4]);
        f64::from(if little {
            f32::from_le_bytes(b)
        } else {
            f32::from_be_bytes(b)
        })
    }
}

/// The header of a little-endian `float32` C-order `.npy` file of `rows × cols`
/// (format 1.0, padded with spaces to a multiple of 64 bytes as NumPy does).
fn npy_header(rows: usize, cols: usize) -> Vec<u8> {
    let dict = format!("{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {cols}), }}");
    let unpadded = 10 + dict.len() + 1;
    let total = unpadded.div_ceil(64) * 64;
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(b"\x93NUMPY\x01\x00");
    let header_len = (total - 10) as u16;
    out.extend_from_slice(&header_len.to_le_bytes());
    out.extend_from_slice(dict.as_bytes());
    out.resize(total - 1, b' ');
    out.push(b'\n');
    out
}

/// Writes a `rows × cols` little-endian `float32` `.npy` file atomically, its rows
/// supplied a block at a time: `rows_of` calls its argument with consecutive blocks of
/// whole rows (row-major) until all `rows` are given. Refuses (and leaves no file) if
/// the rows do not add up.
pub fn save_npy_rows(
    path: impl AsRef<Path>,
    rows: usize,
    cols: usize,
    rows_of: impl FnOnce(&mut dyn FnMut(&[f32]) -> io::Result<()>) -> io::Result<()>,
) -> Result<(), MatrixError> {
    let path = path.as_ref();
    write_atomically(path, |w| {
        w.write_all(&npy_header(rows, cols))?;
        let mut written = 0usize;
        let mut bytes = Vec::new();
        rows_of(&mut |block: &[f32]| {
            bytes.clear();
            bytes.extend(block.iter().flat_map(|v| v.to_le_bytes()));
            written += block.len();
            w.write_all(&bytes)
        })?;
        if written != rows * cols {
            return Err(io::Error::other(format!(
                "{written} values for a {rows} × {cols} matrix"
            )));
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
    fn streamed_npy_loads_every_layout_and_type_and_round_trips_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let m = array![[0.0f32, 1.5, -2.25], [3.0e-7, 4.0, 1.0 / 3.0]];
        let path = dir.path().join("m.npy");
        save_npy_rows(&path, 2, 3, |give| {
            give(m.row(0).as_slice().unwrap())?;
            give(m.row(1).as_slice().unwrap())
        })
        .unwrap();
        assert_eq!(load_matrix_f32(&path).unwrap(), m);
        // NumPy-style headers and the other layouts and types.
        assert_eq!(crate::io::load_matrix(&path).unwrap(), m.mapv(f64::from));
        let f64_fortran = {
            let mut f = Array2::<f64>::zeros((2, 3).f());
            f.assign(&m.mapv(f64::from));
            f
        };
        let mut buf = Vec::new();
        f64_fortran.write_npy(&mut buf).unwrap();
        std::fs::write(&path, &buf).unwrap();
        assert_eq!(load_matrix_f32(&path).unwrap(), m);
        // Beyond float32 is refused, with the entry named in C-order coordinates.
        let mut big = Array2::<f64>::zeros((2, 2).f());
        big[[0, 1]] = 1e300;
        let mut buf = Vec::new();
        big.write_npy(&mut buf).unwrap();
        std::fs::write(&path, &buf).unwrap();
        let e = load_matrix_f32(&path).unwrap_err().to_string();
        assert!(e.contains("entry (0, 1)") && e.contains("m.npy"), "{e}");
        // Truncated data.
        buf.truncate(buf.len() - 1);
        std::fs::write(&path, &buf).unwrap();
        let e = load_matrix_f32(&path).unwrap_err().to_string();
        assert!(e.contains("data bytes follow"), "{e}");
    }

    #[test]
    fn rows_that_do_not_add_up_leave_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("short.npy");
        let e = save_npy_rows(&path, 2, 2, |give| give(&[1.0, 2.0])).unwrap_err();
        assert!(e.to_string().contains("2 values for a 2 × 2 matrix"), "{e}");
        assert!(!path.exists());
    }
}
