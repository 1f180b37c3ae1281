//! The `.npy` and text matrix parsers on arbitrary bytes: errors, never panics; an
//! accepted matrix is non-empty, within the size limit and finite.
#![no_main]

use invariance_lab::io::matrix::{MAX_MATRIX_ELEMENTS, parse_npy, parse_text_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for parsed in [parse_npy(data), parse_text_bytes(data)] {
        if let Ok(m) = parsed {
            assert!(m.len() > 0 && m.len() <= MAX_MATRIX_ELEMENTS);
            assert!(m.iter().all(|v| v.is_finite()));
        }
    }
});
