//! Config files: the JSON that `invariance-lab config` prints (a [`SimConfig`]), or an
//! experiment file, whose `config` is taken, so any saved run — from the app or the
//! command line — can be retrained, varied and swept headless.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::read::{ReadError, read_limited};
use crate::model::SimConfig;
use crate::model::config_patch::{self, PatchError};

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

/// Reads a config file (or the config of an experiment file, which may be as large as
/// [`super::experiment::MAX_FILE_BYTES`]) and validates it through
/// [`SimConfig::check`].
pub fn load_config(path: impl AsRef<Path>) -> Result<SimConfig, ConfigFileError> {
    let path = path.as_ref();
    let invalid = |source| ConfigFileError::Invalid {
        path: path.to_path_buf(),
        source,
    };
    let bytes = read_limited(path, super::experiment::MAX_FILE_BYTES)?;
    let mut value: Value = serde_json::from_slice(&bytes)
        .map_err(|e| invalid(PatchError::NotAConfig(e.to_string())))?;
    if value.get("format_version").is_some()
        && let Some(config) = value.get_mut("config")
    {
        value = config.take();
    }
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
}
