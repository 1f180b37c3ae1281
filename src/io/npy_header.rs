//! The header of an `.npy` file, parsed in one linear pass.
//!
//! NumPy writes a Python dictionary literal such as
//! `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }`. The general
//! Python-literal parser of `ndarray-npy` backtracks exponentially on nested brackets (a
//! 1 KiB header of 25 `[` kept it busy for minutes, found by `fuzz/`), so only this small
//! grammar is accepted: the three keys, each once, with a quoted string, `True`/`False`
//! and a tuple of non-negative integers as values.

/// What the header declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NpyHeader {
    /// The element type, e.g. `<f8`.
    pub descr: String,
    /// Column-major data.
    pub fortran_order: bool,
    /// The array's shape.
    pub shape: Vec<usize>,
    /// Where the data starts in the file.
    pub data_offset: usize,
}

/// The longest header accepted (NumPy writes 128 bytes or a little more).
pub const MAX_HEADER_BYTES: usize = 1 << 16;

/// Parses the preamble and header at the start of `bytes`; the error says what is wrong
/// in one line.
pub fn parse_header(bytes: &[u8]) -> Result<NpyHeader, String> {
    if bytes.len() < 10 || &bytes[..6] != b"\x93NUMPY" {
        return Err("does not start with the .npy magic string".into());
    }
    let (len, start) = match bytes[6] {
        1 => (usize::from(u16::from_le_bytes([bytes[8], bytes[9]])), 10),
        2 | 3 if bytes.len() >= 12 => (
            u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
            12,
        ),
        major => return Err(format!("unsupported .npy version {major}.{}", bytes[7])),
    };
    if len > MAX_HEADER_BYTES || start + len > bytes.len() {
        return Err(format!(
            "the header declares {len} bytes but the file has {} after the preamble \
             (at most {MAX_HEADER_BYTES} are accepted)",
            bytes.len() - start
        ));
    }
    let text = std::str::from_utf8(&bytes[start..start + len])
        .map_err(|e| format!("the header is not text (byte {})", e.valid_up_to()))?;
    let Some(body) = text.strip_suffix('\n') else {
        return Err("the header does not end with a newline".into());
    };
    let mut p = Parser {
        s: body.as_bytes(),
        i: 0,
    };
    let (descr, fortran_order, shape) = p.dictionary()?;
    Ok(NpyHeader {
        descr,
        fortran_order,
        shape,
        data_offset: start + len,
    })
}

/// A cursor over the header text.
struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        while self.s.get(self.i).is_some_and(|b| b.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    /// Consumes `c` (after spaces) if it is next.
    fn eat(&mut self, c: u8) -> bool {
        self.skip_space();
        if self.s.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: u8, what: &str) -> Result<(), String> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(format!(
                "the header is not a .npy dictionary: expected {what} at character {}",
                self.i
            ))
        }
    }

    fn string(&mut self) -> Result<String, String> {
        self.skip_space();
        let quote = match self.s.get(self.i) {
            Some(&q @ (b'\'' | b'"')) => q,
            _ => return Err(format!("expected a quoted string at character {}", self.i)),
        };
        let begin = self.i + 1;
        let end = self.s[begin..]
            .iter()
            .position(|&b| b == quote)
            .map(|k| begin + k)
            .ok_or("a string in the header is not closed")?;
        self.i = end + 1;
        Ok(String::from_utf8_lossy(&self.s[begin..end]).into_owned())
    }

    fn boolean(&mut self) -> Result<bool, String> {
        self.skip_space();
        for (word, value) in [(&b"True"[..], true), (&b"False"[..], false)] {
            if self.s[self.i..].starts_with(word) {
                self.i += word.len();
                return Ok(value);
            }
        }
        Err("`fortran_order` is not True or False".into())
    }

    fn shape(&mut self) -> Result<Vec<usize>, String> {
        self.expect(b'(', "`(` opening the shape")?;
        let mut dims = Vec::new();
        loop {
            if self.eat(b')') {
                return Ok(dims);
            }
            if dims.len() == 32 {
                return Err("the shape has more than 32 dimensions".into());
            }
            self.skip_space();
            let begin = self.i;
            while self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
                self.i += 1;
            }
            let digits = std::str::from_utf8(&self.s[begin..self.i]).unwrap_or_default();
            let dim = digits.parse::<usize>().map_err(|_| {
                format!(
                    "the shape holds `{}`, not a size",
                    String::from_utf8_lossy(&self.s[begin..(begin + 20).min(self.s.len())])
                )
            })?;
            dims.push(dim);
            self.eat(b'L'); // Python 2 long integers
            if !self.eat(b',') {
                self.expect(b')', "`,` or `)` in the shape")?;
                return Ok(dims);
            }
        }
    }

    fn dictionary(&mut self) -> Result<(String, bool, Vec<usize>), String> {
        self.expect(b'{', "`{`")?;
        let (mut descr, mut fortran, mut shape) = (None, None, None);
        while !self.eat(b'}') {
            let key = self.string()?;
            self.expect(b':', "`:` after a key")?;
            let repeated = match key.as_str() {
                "descr" => descr.replace(self.string()?).is_some(),
                "fortran_order" => fortran.replace(self.boolean()?).is_some(),
                "shape" => shape.replace(self.shape()?).is_some(),
                other => {
                    let short: String = other.chars().take(40).collect();
                    return Err(format!("the header has an unknown key `{short}`"));
                }
            };
            if repeated {
                return Err(format!("the header repeats the key `{key}`"));
            }
            if !self.eat(b',') {
                self.expect(b'}', "`,` or `}` after a value")?;
                break;
            }
        }
        self.skip_space();
        if self.i != self.s.len() {
            return Err(format!(
                "the header has text after the dictionary at character {}",
                self.i
            ));
        }
        let missing = |key: &str| format!("the header has no `{key}` key");
        Ok((
            descr.ok_or_else(|| missing("descr"))?,
            fortran.ok_or_else(|| missing("fortran_order"))?,
            shape.ok_or_else(|| missing("shape"))?,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(header: &str) -> Vec<u8> {
        let mut out = b"\x93NUMPY\x01\x00".to_vec();
        out.extend_from_slice(&((header.len() + 1) as u16).to_le_bytes());
        out.extend_from_slice(header.as_bytes());
        out.push(b'\n');
        out
    }

    #[test]
    fn numpy_headers_parse() {
        let h = parse_header(&file(
            "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }   ",
        ))
        .unwrap();
        assert_eq!(h.descr, "<f8");
        assert!(!h.fortran_order);
        assert_eq!(h.shape, vec![3, 4]);
        let h = parse_header(&file(
            "{\"shape\": (5,), \"fortran_order\": True, \"descr\": \">f4\"}",
        ))
        .unwrap();
        assert_eq!((h.shape, h.fortran_order), (vec![5], true));
    }

    #[test]
    fn hostile_headers_fail_fast_with_one_line() {
        let nested = format!("{{'descr': '<f8', 'shape': {}1", "[".repeat(10_000));
        for (header, needle) in [
            (
                "{'descr': '<f8', 'fortran_order': False, }",
                "no `shape` key",
            ),
            (nested.as_str(), "expected `(`"),
            ("{'descr': '<f8', 'descr': '<f4'}", "repeats the key"),
            ("{'shape': (1, -2)}", "not a size"),
            ("{'shape': (99999999999999999999999,)}", "not a size"),
            ("{'x': 1}", "unknown key `x`"),
        ] {
            let err = parse_header(&file(header)).unwrap_err();
            assert!(err.contains(needle), "{header}: {err}");
            assert!(!err.contains('\n'));
        }
    }
}
