//! A weight matrix the user brought (`.npy` / `.csv`), with the facts the app shows
//! about it and optional node names. An imported matrix is read through the same
//! loader and limits as `invariance-lab search`
//! ([`crate::io::load_matrix_f32`], then [`WeightedGraph::new`]), so a file
//! the command line accepts opens here and one it refuses is refused with the same
//! words. Node names come from an optional labels file ([`load_node_names`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ndarray::{Array1, Array2};

use crate::graph::GraphError;
use crate::graph::WeightedGraph;
use crate::io::load_matrix_f32;
use crate::io::matrix::MatrixError;
use crate::io::read::{ReadError, read_limited};
use crate::model::{Snapshot, SnapshotWeights};

/// A labels file longer than this is not a list of node names.
pub const MAX_LABELS_FILE_BYTES: u64 = 64 << 20;

/// Why a matrix or a labels file could not be opened; the message names the file.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The matrix file could not be read or parsed (the loader's own message).
    #[error(transparent)]
    Matrix(#[from] MatrixError),
    /// The matrix is not a graph the search accepts (not square, out of `f32` range).
    #[error("{}: {cause}", path.display())]
    NotAGraph {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        cause: GraphError,
    },
    /// The labels file could not be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The labels file does not name every node exactly once.
    #[error("`{path}`: {problem}")]
    Labels {
        /// The labels file.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
}

/// The facts the parameter panel shows for an imported matrix.
#[derive(Clone, Debug, PartialEq)]
pub struct MatrixFacts {
    /// Number of nodes `n` (the matrix is `n × n`).
    pub nodes: usize,
    /// `W` equals its transpose exactly (an undirected graph).
    pub symmetric: bool,
    /// Smallest entry.
    pub min: f32,
    /// Largest entry.
    pub max: f32,
    /// Share of entries that are exactly zero (sparsity).
    pub zero_fraction: f64,
    /// Share of diagonal entries that are not zero (self-loops).
    pub diagonal_fraction: f64,
}

impl MatrixFacts {
    /// Measures a square matrix.
    pub fn of(w: &Array2<f32>) -> Self {
        let n = w.nrows();
        let (mut min, mut max, mut zeros) = (f32::INFINITY, f32::NEG_INFINITY, 0usize);
        for &x in w {
            min = min.min(x);
            max = max.max(x);
            zeros += usize::from(x == 0.0);
        }
        let diagonal = (0..n).filter(|&i| w[[i, i]] != 0.0).count();
        let cells = w.len().max(1) as f64;
        Self {
            nodes: n,
            symmetric: w == w.t(),
            min,
            max,
            zero_fraction: zeros as f64 / cells,
            diagonal_fraction: diagonal as f64 / n.max(1) as f64,
        }
    }
}

/// A matrix opened from a file, ready to show and search.
#[derive(Debug)]
pub struct ImportedGraph {
    /// The file it came from.
    pub path: PathBuf,
    /// `W` as a snapshot at step 0 with no node weights, stimulus or history, so the
    /// heatmap, the search and the exports treat it exactly like a learned graph.
    pub snapshot: Arc<Snapshot>,
    /// Size, symmetry, range, sparsity.
    pub facts: MatrixFacts,
}

impl ImportedGraph {
    /// Wraps a validated square matrix.
    pub fn new(path: PathBuf, w: Array2<f32>) -> Self {
        let facts = MatrixFacts::of(&w);
        let snapshot = Snapshot {
            step: 0,
            phase: crate::model::Phase::Graph,
            bank_version: 0,
            fields: None,
            weights: Arc::new(SnapshotWeights::from_full(w)),
            node_weights: Arc::new(Array1::zeros(0)),
            stimulus: Arc::new(Vec::new()),
            activity: Arc::new(Vec::new()),
            history: Arc::new(Vec::new()),
            summary: None,
            partial: None,
            // An imported matrix is not learned: nothing to record.
            pins: Arc::default(),
        };
        Self {
            path,
            snapshot: Arc::new(snapshot),
            facts,
        }
    }

    /// The file name, for titles and messages.
    pub fn file_name(&self) -> String {
        self.path.file_name().map_or_else(
            || self.path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }
}

/// Reads a matrix file as `invariance-lab search` does: the same loader, the same
/// limits, the same checks (square, finite in `f32`).
pub fn load_imported(path: &Path) -> Result<ImportedGraph, ImportError> {
    let graph = load_matrix_graph(path)?;
    Ok(ImportedGraph::new(path.to_path_buf(), graph.into_weights()))
}

/// Reads a matrix file as a weighted graph (square, finite in `f32`): the one reader
/// `invariance-lab search FILE.npy` and the app's Open share.
pub fn load_matrix_graph(path: &Path) -> Result<WeightedGraph, ImportError> {
    // Read as float32 (streamed), the type the graph holds: no float64 copy.
    let m = load_matrix_f32(path)?;
    WeightedGraph::new(m, None).map_err(|cause| ImportError::NotAGraph {
        path: path.to_path_buf(),
        cause,
    })
}

/// Node names for tooltips and tables, in stored order.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeNames {
    /// The labels file.
    pub path: PathBuf,
    /// One name per node.
    pub names: Arc<Vec<String>>,
}

/// Reads a labels file naming `nodes` nodes: one name per line, or — for a `.csv` —
/// the first column. A first line more than `nodes` is taken as a header. Blank lines
/// at the end are ignored; a blank name inside is an error (it would shift every name
/// after it).
pub fn load_node_names(path: &Path, nodes: usize) -> Result<NodeNames, ImportError> {
    let bytes = read_limited(path, MAX_LABELS_FILE_BYTES)?;
    let problem = |problem: String| ImportError::Labels {
        path: path.to_path_buf(),
        problem,
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        problem(format!(
            "not UTF-8 text (byte {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    let csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let names = parse_node_names(&text, csv, nodes).map_err(problem)?;
    Ok(NodeNames {
        path: path.to_path_buf(),
        names: Arc::new(names),
    })
}

/// The names in `text` (see [`load_node_names`]); the error says what is wrong.
pub fn parse_node_names(text: &str, csv: bool, nodes: usize) -> Result<Vec<String>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines: Vec<&str> = text.lines().collect();
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    let name = |line: &str| -> String {
        let field = if csv {
            super::csv_cells::split(line.trim_start()).swap_remove(0)
        } else {
            line.trim().to_owned()
        };
        field.trim().to_owned()
    };
    let mut names: Vec<String> = lines.iter().map(|l| name(l)).collect();
    if names.len() == nodes + 1 {
        names.remove(0);
    }
    if names.len() != nodes {
        return Err(format!(
            "{} names for a matrix of {nodes} nodes (one name per line{}, optionally after a header line)",
            names.len(),
            if csv { ", first column" } else { "" }
        ));
    }
    if let Some(k) = names.iter().position(String::is_empty) {
        return Err(format!("the name of node {k} is empty"));
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_of_a_small_directed_matrix() {
        let w = ndarray::array![[0.0f32, 2.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, -3.0]];
        let f = MatrixFacts::of(&w);
        assert_eq!(f.nodes, 3);
        assert!(!f.symmetric);
        assert_eq!((f.min, f.max), (-3.0, 2.0));
        assert!((f.zero_fraction - 6.0 / 9.0).abs() < 1e-12);
        assert!((f.diagonal_fraction - 1.0 / 3.0).abs() < 1e-12);
        let s = ndarray::array![[1.0f32, 2.0], [2.0, 1.0]];
        assert!(MatrixFacts::of(&s).symmetric);
    }

    #[test]
    fn names_one_per_line_with_or_without_header() {
        let plain = parse_node_names("a\nb\nc\n\n", false, 3).expect("three names");
        assert_eq!(plain, ["a", "b", "c"]);
        let header = parse_node_names("name\na\nb\nc", false, 3).expect("header skipped");
        assert_eq!(header, ["a", "b", "c"]);
        let csv = parse_node_names("name,area\n\"V1, left\",x\nV2,y", true, 2).expect("csv");
        assert_eq!(csv, ["V1, left", "V2"]);
    }

    #[test]
    fn wrong_counts_and_blank_names_are_named_errors() {
        let short = parse_node_names("a\nb", false, 5).expect_err("too few");
        assert!(
            short.contains("2 names") && short.contains("5 nodes"),
            "{short}"
        );
        let blank = parse_node_names("a\n\nc", false, 3).expect_err("blank inside");
        assert!(blank.contains("node 1"), "{blank}");
    }
}
