//! How a path is read, decided once for both fronts: an experiment file (JSON), or a
//! weight matrix (`.npy`, `.csv`, `.tsv`, `.txt`) to show and search as a graph.

use std::path::Path;

/// What a path holds, by its extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathKind {
    /// An experiment file (`invariance-lab train` writes them).
    Experiment,
    /// A weight matrix (`.npy`, `.csv`, `.tsv`, `.txt`; case-insensitive).
    Matrix,
}

impl PathKind {
    /// The kind of `path`.
    pub fn of(path: &Path) -> Self {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if matches!(ext.as_str(), "npy" | "csv" | "tsv" | "txt") {
            PathKind::Matrix
        } else {
            PathKind::Experiment
        }
    }
}

/// Whether `path` names a matrix file (by extension) rather than an experiment.
pub fn is_matrix_path(path: &Path) -> bool {
    PathKind::of(path) == PathKind::Matrix
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_paths_are_told_apart_from_experiments() {
        assert!(is_matrix_path(Path::new("w.NPY")));
        assert!(is_matrix_path(Path::new("dir/w.csv")));
        assert!(!is_matrix_path(Path::new("run.json")));
    }

    #[test]
    fn matrices_are_told_by_extension_in_any_case() {
        for name in ["w.npy", "w.CSV", "w.tsv", "dir.d/w.Txt"] {
            assert_eq!(PathKind::of(Path::new(name)), PathKind::Matrix, "{name}");
        }
        for name in ["run.json", "run", "csv", "w.npy.json"] {
            assert_eq!(
                PathKind::of(Path::new(name)),
                PathKind::Experiment,
                "{name}"
            );
        }
    }
}
