//! The heatmap's order: how rows and columns of `W` are laid out (stored, ground truth,
//! or by the selected permutation), cached until the graph, the mode or the selection
//! changes. The inspector's row plot reads the same order.

use std::sync::Arc;

use crate::figure::order::{MatrixOrder, recovered_order, truth_order};
use crate::model::NeuronLabel;
use crate::perm::Permutation;

/// The order last computed and what it was computed for.
struct Cached {
    key: (u64, MatrixOrder, u64),
    id: u64,
    order: Arc<Vec<usize>>,
}

/// The chosen order and the last one computed.
#[derive(Default)]
pub struct OrderState {
    /// The order the user chose (recovered falls back to stored without a selection).
    pub mode: MatrixOrder,
    cache: Option<Cached>,
    counter: u64,
}

impl OrderState {
    /// Forgets the computed order (the graph was replaced).
    pub fn invalidate(&mut self) {
        self.cache = None;
    }

    /// The order of the graph `key` with `neurons` nodes and an id that changes with
    /// it: `selected` (the selected permutation, changing with `serial`) for the
    /// recovered order, `labels` for the ground truth.
    pub fn current(
        &mut self,
        key: u64,
        neurons: usize,
        labels: &[NeuronLabel],
        selected: Option<&Permutation>,
        serial: u64,
    ) -> (u64, Arc<Vec<usize>>) {
        let mode = self.effective(selected.is_some());
        let serial = if mode == MatrixOrder::Recovered {
            serial
        } else {
            0
        };
        let key = (key, mode, serial);
        if let Some(c) = &self.cache
            && c.key == key
        {
            return (c.id, c.order.clone());
        }
        let order = match (mode, selected) {
            (MatrixOrder::Truth, _) if labels.len() == neurons => truth_order(labels),
            (MatrixOrder::Recovered, Some(pi)) if pi.len() == neurons => recovered_order(pi),
            _ => (0..neurons).collect(),
        };
        self.counter += 1;
        let order = Arc::new(order);
        self.cache = Some(Cached {
            key,
            id: self.counter,
            order: order.clone(),
        });
        (self.counter, order)
    }

    /// The order actually shown: recovered needs a selection.
    pub fn effective(&self, has_selection: bool) -> MatrixOrder {
        if self.mode == MatrixOrder::Recovered && !has_selection {
            MatrixOrder::Stored
        } else {
            self.mode
        }
    }
}
