//! Weight matrices of recent publications, reused for the next snapshots of a
//! simulation small enough to be copied whole.

use std::sync::Arc;

use ndarray::Array2;

use crate::model::SnapshotWeights;

/// How many recent weight matrices are kept for reuse (the UI holds at most the newest
/// publication, the displayed heatmap's matrix and a running search's copy).
const WEIGHT_BUFFERS: usize = 4;

/// Weight matrices of recent publications: one nobody else holds any more is overwritten
/// by the next snapshot instead of allocating (and page-faulting) 16 MB anew.
#[derive(Default)]
pub(super) struct BufferPool {
    recent: Vec<Arc<SnapshotWeights>>,
}

impl BufferPool {
    /// A weight buffer of shape `m × m` that no publication uses any more, if any.
    pub(super) fn take_free(&mut self, m: usize) -> Option<Array2<f32>> {
        let k = self
            .recent
            .iter()
            .position(|w| Arc::strong_count(w) == 1 && w.neurons() == m)?;
        Arc::try_unwrap(self.recent.remove(k))
            .ok()
            .and_then(SnapshotWeights::into_buffer)
    }

    /// Remembers the weights of a new publication.
    pub(super) fn keep(&mut self, weights: Arc<SnapshotWeights>) {
        self.recent.push(weights);
        if self.recent.len() > WEIGHT_BUFFERS {
            self.recent.remove(0);
        }
    }
}
