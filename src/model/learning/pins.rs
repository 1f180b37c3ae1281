//! Pinned weights: cells `w_ij` of the learned graph whose value the simulation records
//! on the metric schedule, so one weight can be watched as it is learned.
//!
//! A pin records a sample whenever the metrics are recorded
//! ([`crate::model::learning::metrics::on_schedule`], plus the record that ends a run of steps), so its
//! history lines up with the learning curves; a new pin starts with its value at the
//! step it was pinned at, since nothing before that step was kept. Histories are short
//! (the schedule is logarithmic: about 500 samples after 10¹² steps), which is why a
//! copy travels with every snapshot to the GUI.
//!
//! Start pins ([`start_cells`]) follow the true transformation `g` from the first neuron
//! it moves, `a`: `(a, g·a)` and `(g·a, g²·a)` are one weight and its image under `g` —
//! the two curves meet as the graph becomes invariant under `g` — and `(a, gᵏ·a)` with
//! `k` half of `a`'s cycle length is a weight between neurons far apart on the orbit.

use crate::perm::Permutation;

/// Most cells pinned at once (each is drawn as a curve and copied into every snapshot).
pub const MAX_PINS: usize = 64;

/// Most samples a pin keeps. Far above what the logarithmic schedule produces; a pin
/// that reaches it keeps every other sample (first and span kept) and goes on.
pub const MAX_PIN_HISTORY: usize = 100_000;

/// One recorded value of a pinned weight.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PinSample {
    /// Steps taken when it was recorded.
    pub step: u64,
    /// Stimuli the recurrent graph had learned from (the learning curves' x axis).
    pub stimuli: u64,
    /// `w_ij` at that step.
    pub weight: f32,
}

/// A pinned cell `(i, j)` of `W` (stored indices) and its history.
#[derive(Clone, Debug, PartialEq)]
pub struct PinnedCell {
    /// Row (stored index).
    pub i: usize,
    /// Column (stored index).
    pub j: usize,
    history: Vec<PinSample>,
}

impl PinnedCell {
    /// A cell with a given history (checked by [`Pins::from_cells`]).
    pub fn new(i: usize, j: usize, history: Vec<PinSample>) -> Self {
        Self { i, j, history }
    }

    /// The recorded samples, oldest first.
    pub fn history(&self) -> &[PinSample] {
        &self.history
    }

    /// `(stimuli, w_ij)` points for plotting.
    pub fn points(&self) -> Vec<[f64; 2]> {
        self.history
            .iter()
            .map(|s| [s.stimuli as f64, f64::from(s.weight)])
            .collect()
    }

    fn push(&mut self, sample: PinSample) {
        if self.history.last().is_some_and(|s| s.step == sample.step) {
            return;
        }
        if self.history.len() >= MAX_PIN_HISTORY {
            let mut k = 0;
            self.history.retain(|_| {
                k += 1;
                k % 2 == 1
            });
        }
        self.history.push(sample);
    }
}

/// Why a cell cannot be pinned or a saved set of pins is refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum PinError {
    /// An index is not a neuron of the graph.
    #[error("cell ({i}, {j}) is outside the {neurons} × {neurons} weight matrix")]
    OutOfRange {
        /// Row.
        i: usize,
        /// Column.
        j: usize,
        /// Matrix side.
        neurons: usize,
    },
    /// [`MAX_PINS`] cells are pinned already.
    #[error("at most {MAX_PINS} weights can be pinned; unpin one first")]
    TooMany,
    /// The same cell appears twice in a saved set.
    #[error("cell ({i}, {j}) is pinned twice")]
    Duplicate {
        /// Row.
        i: usize,
        /// Column.
        j: usize,
    },
    /// A saved history is inconsistent.
    #[error("the history of cell ({i}, {j}) {reason}")]
    History {
        /// Row.
        i: usize,
        /// Column.
        j: usize,
        /// What is wrong.
        reason: String,
    },
}

/// The pinned cells of a simulation, in the order they were pinned.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pins {
    cells: Vec<PinnedCell>,
}

impl Pins {
    /// The pinned cells, in the order they were pinned.
    pub fn cells(&self) -> &[PinnedCell] {
        &self.cells
    }

    /// The pin of cell `(i, j)`, if pinned.
    pub fn get(&self, i: usize, j: usize) -> Option<&PinnedCell> {
        self.cells.iter().find(|c| (c.i, c.j) == (i, j))
    }

    /// The pinned cells' `(i, j)`, in pin order: what a saved file holds besides the
    /// histories (the app compares it to tell a pin from a saved state).
    pub fn cell_list(&self) -> Vec<(usize, usize)> {
        self.cells.iter().map(|c| (c.i, c.j)).collect()
    }

    /// Number of pinned cells.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// Whether nothing is pinned.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Pins `(i, j)` of an `neurons × neurons` matrix with its first sample `first`
    /// (its value now). Returns `Ok(false)` when the cell was pinned already (its history
    /// is kept).
    pub fn pin(
        &mut self,
        i: usize,
        j: usize,
        neurons: usize,
        first: PinSample,
    ) -> Result<bool, PinError> {
        if i >= neurons || j >= neurons {
            return Err(PinError::OutOfRange { i, j, neurons });
        }
        if self.get(i, j).is_some() {
            return Ok(false);
        }
        if self.cells.len() >= MAX_PINS {
            return Err(PinError::TooMany);
        }
        self.cells.push(PinnedCell::new(i, j, vec![first]));
        Ok(true)
    }

    /// Unpins `(i, j)`; returns whether it was pinned.
    pub fn unpin(&mut self, i: usize, j: usize) -> bool {
        let before = self.cells.len();
        self.cells.retain(|c| (c.i, c.j) != (i, j));
        self.cells.len() != before
    }

    /// Appends the value `weight(i, j)` of every pin at `step` (a pin that already has a
    /// sample of this step is left alone).
    pub fn record(&mut self, step: u64, stimuli: u64, weight: impl Fn(usize, usize) -> f32) {
        for c in &mut self.cells {
            let w = weight(c.i, c.j);
            c.push(PinSample {
                step,
                stimuli,
                weight: w,
            });
        }
    }

    /// Forgets every history but keeps the cells (a reset run starts them again).
    pub fn clear_histories(&mut self) {
        for c in &mut self.cells {
            c.history.clear();
        }
    }

    /// A checked set of pins for a graph of `neurons` nodes at step `step` (what a saved
    /// file holds): at most [`MAX_PINS`] distinct cells inside the matrix, each history at
    /// most [`MAX_PIN_HISTORY`] long, finite, with steps increasing and not after `step`.
    pub fn from_cells(cells: Vec<PinnedCell>, neurons: usize, step: u64) -> Result<Self, PinError> {
        if cells.len() > MAX_PINS {
            return Err(PinError::TooMany);
        }
        for (k, c) in cells.iter().enumerate() {
            let (i, j) = (c.i, c.j);
            if i >= neurons || j >= neurons {
                return Err(PinError::OutOfRange { i, j, neurons });
            }
            if cells[..k].iter().any(|d| (d.i, d.j) == (i, j)) {
                return Err(PinError::Duplicate { i, j });
            }
            let bad = |reason: String| Err(PinError::History { i, j, reason });
            if c.history.len() > MAX_PIN_HISTORY {
                return bad(format!("has more than {MAX_PIN_HISTORY} samples"));
            }
            for (n, s) in c.history.iter().enumerate() {
                if !s.weight.is_finite() {
                    return bad(format!("holds a non-finite weight at sample {n}"));
                }
                if s.step > step {
                    return bad(format!(
                        "has sample {n} at step {}, after the run's step {step}",
                        s.step
                    ));
                }
                if n > 0 && c.history[n - 1].step >= s.step {
                    return bad(format!("is not in increasing step order at sample {n}"));
                }
            }
        }
        Ok(Self { cells })
    }
}

/// The cells pinned at the start, from the true transformation `g` as a neuron
/// permutation (see the module documentation); none when `g` moves no neuron.
pub fn start_cells(g: &Permutation) -> Vec<(usize, usize)> {
    let Some(a) = (0..g.len()).find(|&a| g.image(a) != a) else {
        return Vec::new();
    };
    let mut cycle = 1;
    let mut x = g.image(a);
    while x != a && cycle <= g.len() {
        x = g.image(x);
        cycle += 1;
    }
    let ga = g.image(a);
    let far = (0..cycle / 2).fold(a, |x, _| g.image(x));
    let mut cells: Vec<(usize, usize)> = Vec::new();
    for cell in [(a, ga), (ga, g.image(ga)), (a, far)] {
        if cell.0 != cell.1 && !cells.contains(&cell) {
            cells.push(cell);
        }
    }
    cells
}

#[cfg(test)]
#[path = "pins_tests.rs"]
mod tests;
