//! Why a search cannot run.

use crate::graph::GraphError;

/// Why a search cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SearchError {
    /// The input is not a valid weighted graph.
    #[error(transparent)]
    Graph(#[from] GraphError),
    /// An option is out of range.
    #[error("invalid search option: {0}")]
    InvalidOption(String),
}
