//! Fuzzes the configuration and sweep-spec parsers (issue 23): a config file's JSON
//! (`config_patch::config_from_json`, what `config --config`, `train --config` and a
//! sweep's base file go through) and a sweep file in TOML and JSON (`Sweep::parse`, with
//! every grid point through `SimConfig::check`). None may panic, abort or hang, whatever
//! the bytes; errors are one line.
#![no_main]

use libfuzzer_sys::fuzz_target;

use invariance_lab::model::config_patch;
use invariance_lab::sweep::{Format, Sweep};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = config_patch::config_from_json(text) {
        assert!(!e.to_string().contains('\n'));
    }
    for format in [Format::Toml, Format::Json] {
        if let Err(e) = Sweep::parse(text, format, std::path::Path::new("/nonexistent")) {
            assert!(!e.to_string().contains('\n'), "{e}");
        }
    }
});
