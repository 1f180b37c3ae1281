//! Config files: the JSON that `invariance-lab config` prints (a [`SimConfig`]), or an
//! experiment file, whose `config` is taken, so any saved run — from the app or the
//! command line — can be retrained, varied and swept headless.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::read::{ReadError, open_regular, read_limited};
use crate::model::SimConfig;
use crate::model::config::patch::{self as config_patch, PatchError};

/// Why a config file could not be used; the message names the file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigFileError {
    /// Missing, unreadable, not a regular file or too large.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// Not JSON, not a config, an unknown key or a value out of range.
    #[error("`{path}`: {source}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong, naming the key.
        source: PatchError,
    },
}

/// Largest config file read whole (a config is a few kilobytes).
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// Reads a config file (or the config of an experiment file) and validates it through
/// [`SimConfig::check`].
///
/// A file of at most [`MAX_CONFIG_BYTES`] is read whole. A larger one can only be an
/// experiment file (up to [`super::experiment::MAX_FILE_BYTES`]): it is streamed, its
/// weights skipped without being kept, and only its `config` is built — itself at most
/// [`MAX_CONFIG_BYTES`] of text. So memory stays bounded by the config, whatever the file
/// holds: a 600 MB JSON array is refused after its first byte.
pub fn load_config(path: impl AsRef<Path>) -> Result<SimConfig, ConfigFileError> {
    let path = path.as_ref();
    let invalid = |source| ConfigFileError::Invalid {
        path: path.to_path_buf(),
        source,
    };
    let (file, len) = open_regular(path, super::experiment::MAX_FILE_BYTES)?;
    let value = if len <= MAX_CONFIG_BYTES {
        let bytes = read_limited(path, MAX_CONFIG_BYTES)?;
        let mut value: Value = serde_json::from_slice(&bytes)
            .map_err(|e| invalid(PatchError::NotAConfig(e.to_string())))?;
        if value.get("format_version").is_some()
            && let Some(config) = value.get_mut("config")
        {
            value = config.take();
        }
        value
    } else {
        super::experiment_config::stream_config(std::io::BufReader::new(file), MAX_CONFIG_BYTES)
            .map_err(|message| {
                invalid(PatchError::NotAConfig(format!(
                    "the file has {len} bytes, more than a config file's {MAX_CONFIG_BYTES}, \
                     so only an experiment file's `config` is read from it: {message}"
                )))
            })?
    };
    config_patch::config_from_value(value).map_err(invalid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Simulation, presets};

    #[test]
    fn reads_configs_and_the_config_of_experiment_files() {
        let dir = tempfile::tempdir().unwrap();
        let config = presets::by_name("ring-shift").unwrap().config;
        let plain = dir.path().join("c.json");
        std::fs::write(&plain, serde_json::to_string_pretty(&config).unwrap()).unwrap();
        assert_eq!(load_config(&plain).unwrap(), config);
        let mut sim = Simulation::new(config.clone()).unwrap();
        sim.run_steps(2);
        let run = dir.path().join("run.json");
        crate::io::experiment::save(&run, &sim).unwrap();
        assert_eq!(load_config(&run).unwrap(), config);
        std::fs::write(&plain, "{\"space\": [").unwrap();
        let e = load_config(&plain).unwrap_err().to_string();
        assert!(
            e.contains("c.json") && e.contains("not a valid config"),
            "{e}"
        );
    }

    #[test]
    fn large_files_are_streamed_and_only_an_experiment_s_config_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.json");
        // 2 MiB: a JSON array, then an object without a config.
        std::fs::write(&big, format!("[{}0]", "0,".repeat(1 << 20))).unwrap();
        let e = load_config(&big).unwrap_err().to_string();
        assert!(e.contains("big.json") && e.contains("experiment"), "{e}");
        std::fs::write(&big, format!("{{\"x\": \"{}\"}}", "a".repeat(2 << 20))).unwrap();
        assert!(load_config(&big).is_err());
        // An experiment file with 2 MiB of padding before its config.
        let config = presets::by_name("ring-shift").unwrap().config;
        let text = format!(
            "{{\"format_version\": 1, \"pad\": \"{}\", \"config\": {}}}",
            "b".repeat(2 << 20),
            serde_json::to_string(&config).unwrap()
        );
        std::fs::write(&big, text).unwrap();
        assert_eq!(load_config(&big).unwrap(), config);
        // Its config may not itself be huge.
        let text = format!(
            "{{\"format_version\": 1, \"config\": [{}0]}}",
            "0,".repeat(1 << 20)
        );
        std::fs::write(&big, text).unwrap();
        let e = load_config(&big).unwrap_err().to_string();
        assert!(e.contains("config") && !e.contains('\n'), "{e}");
    }
}
