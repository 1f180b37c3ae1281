//! Text matrices (`.csv`, `.tsv`, `.txt`): one row per line, numbers separated by commas,
//! semicolons and/or whitespace.
//!
//! What spreadsheets and scripts actually write is accepted: a UTF-8 byte-order mark,
//! Windows line ends, a first line of column names (a non-numeric first line is a header
//! and skipped), `#` comments on their own line or after the numbers, blank lines. Errors
//! name the line (and column) and quote at most 40 characters of the offending text.

use ndarray::Array2;

use super::matrix_error::{MAX_MATRIX_ELEMENTS, MatrixError, check_size};

/// Longest quote of an offending token in a message.
const MAX_QUOTE_CHARS: usize = 40;

/// Parses a text matrix (module docs).
pub fn parse_text(text: &str) -> Result<Array2<f64>, MatrixError> {
    parse_text_bytes(text.as_bytes())
}

/// Parses a text matrix from the bytes of a file; a line that is not UTF-8 is an error
/// naming the line.
pub fn parse_text_bytes(bytes: &[u8]) -> Result<Array2<f64>, MatrixError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let line_count = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
    let mut values: Vec<f64> = Vec::new();
    let mut cols = 0usize;
    let mut rows = 0usize;
    let mut seen_first = false;
    for (line_index, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line_no = line_index + 1;
        let line = std::str::from_utf8(raw).map_err(|e| MatrixError::NotUtf8 {
            line: line_no,
            byte: e.valid_up_to(),
        })?;
        let data = line.split_once('#').map_or(line, |(before, _)| before);
        let trimmed = data.trim();
        if trimmed.is_empty() {
            continue;
        }
        let tokens: Vec<&str> = trimmed
            .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
            .filter(|t| !t.is_empty())
            .collect();
        let parsed: Vec<Result<f64, &str>> = tokens
            .iter()
            .map(|t| t.parse::<f64>().map_err(|_| *t))
            .collect();
        if !seen_first {
            seen_first = true;
            if parsed.iter().any(|p| p.is_err()) && !looks_numeric(&tokens) {
                // A header line (column names): skip it.
                continue;
            }
        }
        if rows == 0 {
            cols = tokens.len();
            check_size(1, cols)?;
            // One allocation for the whole matrix: at most one row per remaining line.
            let estimate = (line_count - line_index).saturating_mul(cols);
            values.reserve_exact(estimate.min(MAX_MATRIX_ELEMENTS));
        } else if tokens.len() != cols {
            return Err(MatrixError::Ragged {
                row: rows,
                line: line_no,
                found: tokens.len(),
                expected: cols,
            });
        }
        for (col, p) in parsed.into_iter().enumerate() {
            match p {
                Ok(v) if v.is_finite() => values.push(v),
                Ok(v) => {
                    return Err(MatrixError::NonFinite {
                        row: rows,
                        col,
                        value: v,
                    });
                }
                Err(text) => {
                    return Err(MatrixError::NotANumber {
                        line: line_no,
                        col,
                        text: text.chars().take(MAX_QUOTE_CHARS).collect(),
                    });
                }
            }
        }
        rows += 1;
        if rows.saturating_mul(cols) > MAX_MATRIX_ELEMENTS {
            return Err(MatrixError::TooLarge {
                rows,
                cols,
                max: MAX_MATRIX_ELEMENTS,
            });
        }
    }
    if rows == 0 || cols == 0 {
        return Err(MatrixError::Empty { rows, cols });
    }
    Array2::from_shape_vec((rows, cols), values).map_err(|e| MatrixError::InvalidNpy(e.to_string()))
}

/// A row whose tokens mostly parse as numbers is data with a typo, not a header.
fn looks_numeric(tokens: &[&str]) -> bool {
    let numeric = tokens.iter().filter(|t| t.parse::<f64>().is_ok()).count();
    numeric * 2 > tokens.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn byte_order_mark_inline_comments_and_crlf_are_accepted() {
        let m = parse_text_bytes(b"\xEF\xBB\xBF1,2 # first row\r\n3,4\r\n").unwrap();
        assert_eq!(m, array![[1.0, 2.0], [3.0, 4.0]]);
        let m = parse_text_bytes(b"\xEF\xBB\xBFa,b\n1,2\n").unwrap();
        assert_eq!(m, array![[1.0, 2.0]]);
    }

    #[test]
    fn invalid_utf8_names_the_line_and_long_tokens_are_shortened() {
        let err = parse_text_bytes(b"1,2\n3,\xff\n").unwrap_err();
        assert!(
            matches!(err, MatrixError::NotUtf8 { line: 2, byte: 2 }),
            "{err}"
        );
        let long = format!("1,2\n3,{}\n", "x".repeat(10_000));
        let msg = parse_text(&long).unwrap_err().to_string();
        assert!(msg.len() < 100 && msg.contains("line 2"), "{msg}");
    }
}
