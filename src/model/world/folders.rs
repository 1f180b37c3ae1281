//! The user's data folders of both kinds — photos and WAV sounds — behind one door: what
//! a configuration's folder skipped, and reading a folder again. Each kind reads its own
//! folder on top of the shared listing and cache of [`super::data_dir`].

use std::path::Path;

use super::audio::wav;
use super::data_dir::{DataDirError, Skipped};
use super::photo_dir;
use crate::model::config::{StimulusConfig, StimulusKind};

/// The files a config's folder skipped, loading the folder if needed: what the fronts
/// print as warnings. Empty without a folder.
pub fn warnings(config: &StimulusConfig) -> Result<Vec<Skipped>, DataDirError> {
    let Some(dir) = &config.data_dir else {
        return Ok(Vec::new());
    };
    Ok(match config.kind {
        StimulusKind::Sound { .. } => wav::sound_folder(dir)?.skipped.clone(),
        _ => photo_dir::photo_folder(dir)?.skipped.clone(),
    })
}

/// Reads `dir` again on next use (both kinds).
pub fn forget(dir: &Path) {
    wav::forget(dir);
    photo_dir::forget(dir);
}
