//! What a view of a very large `W` needs, kept up to date step by step: block means of
//! `W` in a display order, and on request a window of exact cells and one whole row.
//!
//! At M = 16,384, `W` is 1 GiB: copying it for every picture, or even reading it once,
//! costs about as long as a training step. The block sums need neither. With `P` the
//! `M × K` matrix that adds the detectors of each display block, a Hebbian step adds
//! `c·PᵀLᵀRP = c·(LP)ᵀ(RP)` to the block sums: a `K × K` product of the batch's
//! block-summed activities (`B·K²` multiply-adds, 1/256 of the step's own work at
//! 16 × 16 blocks), minus the diagonal cells, which go to the node weights. Decay
//! multiplies the sums. Rules this does not cover (covariance, Oja) mark the sums stale,
//! and they are summed again exactly from `W` when next asked for. The sums are `f64`
//! and drift from the exact block sums only by rounding (a picture, not a measurement;
//! exact values come from [`WeightSummary::viewport`] and [`WeightSummary::row`]).

use std::ops::Range;

use ndarray::ArrayView2;

use super::block_sums::BlockSums;
use crate::model::config::LearningRule;
use crate::model::learning::{HebbianState, UpdateParams};

/// Block means, exact cells and a row of `W`, published for a view (display order).
#[derive(Clone, Debug, PartialEq)]
pub struct WeightSummary {
    /// Number of detectors `M`.
    pub neurons: usize,
    /// The display order the means are in (an id the view chose, see [`ViewRequest`]).
    pub order_id: u64,
    /// Cells per block side.
    pub block: usize,
    /// Blocks per side (`⌈M / block⌉`).
    pub side: usize,
    /// `side × side` block means of `W` in display order, diagonal cells left out
    /// (`NaN` for a block with no cell off the diagonal).
    pub means: Vec<f32>,
    /// `[min, max]` of the finite block means.
    pub range: (f32, f32),
    /// Exact cells of a window of `W` in display order, if one was asked for.
    pub viewport: Option<Viewport>,
    /// One neuron's whole row of `W` (stored order), if one was asked for.
    pub row: Option<(usize, Vec<f32>)>,
    /// `W` is exactly symmetric.
    pub symmetric: bool,
}

/// Exact cells of `W`: display rows `rows` × display columns `cols`, row-major.
#[derive(Clone, Debug, PartialEq)]
pub struct Viewport {
    /// Display rows.
    pub rows: Range<usize>,
    /// Display columns.
    pub cols: Range<usize>,
    /// `rows.len() × cols.len()` values.
    pub values: Vec<f32>,
}

impl WeightSummary {
    /// A summary with no blocks yet (no view has asked).
    pub fn empty(neurons: usize, symmetric: bool) -> Self {
        Self {
            neurons,
            order_id: u64::MAX,
            block: neurons.max(1),
            side: 0,
            means: Vec::new(),
            range: (f32::NAN, f32::NAN),
            viewport: None,
            row: None,
            symmetric,
        }
    }

    /// The exact `w` at display position `(r, c)`, if the viewport holds it.
    pub fn exact(&self, r: usize, c: usize) -> Option<f32> {
        let v = self.viewport.as_ref()?;
        (v.rows.contains(&r) && v.cols.contains(&c))
            .then(|| v.values[(r - v.rows.start) * v.cols.len() + c - v.cols.start])
    }

    /// The block mean covering display position `(r, c)`.
    pub fn block_mean(&self, r: usize, c: usize) -> f32 {
        let (br, bc) = (r / self.block.max(1), c / self.block.max(1));
        self.means
            .get(br * self.side + bc)
            .copied()
            .unwrap_or(f32::NAN)
    }
}

/// What a view asks of the simulation: an order, and optionally a window and a row.
#[derive(Clone, Debug, PartialEq)]
pub struct ViewRequest {
    /// Display position → stored index (a permutation of `0..M`).
    pub order: std::sync::Arc<Vec<usize>>,
    /// Identifies `order` (echoed in [`WeightSummary::order_id`]).
    pub order_id: u64,
    /// Most blocks per side (the texture's side).
    pub max_side: usize,
    /// Display rows × columns to copy exactly.
    pub viewport: Option<(Range<usize>, Range<usize>)>,
    /// A neuron (stored index) whose row to copy.
    pub row: Option<usize>,
}

/// Most cells a viewport may ask for (a 1024 × 1024 window, 4 MB).
pub const MAX_VIEWPORT_CELLS: usize = 1 << 20;

/// What a view of a large `W` follows: its request (order, window, row) and the block
/// sums in that order ([`BlockSums`]), updated with every step or marked stale.
#[derive(Clone, Debug)]
pub struct Overview {
    request: ViewRequest,
    sums: BlockSums,
    stale: bool,
    /// The block means of the sums as they are, worked out ahead of the next summary
    /// ([`Overview::prepare_means`]); dropped whenever the sums change.
    ready: Option<(Vec<f32>, (f32, f32))>,
}

impl Overview {
    /// Block sums for `request` over `state` (summed exactly now); `None` when the order
    /// is not a permutation of the state's neurons.
    pub fn new(request: ViewRequest, state: &HebbianState) -> Option<Self> {
        if request.order.len() != state.neurons() {
            return None;
        }
        let sums = BlockSums::zero(&request.order, request.max_side)?;
        let mut overview = Self {
            request,
            sums,
            stale: true,
            ready: None,
        };
        overview.refresh(state);
        Some(overview)
    }

    /// The overview after a view asked for `request` (`None`: no view): `current` kept
    /// with a new window and row when the request is in the same order, otherwise one
    /// built afresh over `state` (`None` for an invalid order).
    pub fn follow(
        current: Option<Overview>,
        request: Option<ViewRequest>,
        state: &HebbianState,
    ) -> Option<Overview> {
        match (current, request) {
            (Some(mut o), Some(r))
                if o.request().order_id == r.order_id
                    && o.request().max_side == r.max_side
                    && o.request().order.len() == r.order.len() =>
            {
                o.set_window(r.viewport, r.row);
                Some(o)
            }
            (_, Some(r)) => Overview::new(r, state),
            (_, None) => None,
        }
    }

    /// Follows one learning step with `params` on activities `current` (and, for the
    /// temporal rule, the earlier frames' `previous`) — or, for a rule the block sums do
    /// not track (covariance, Oja), marks them stale.
    pub fn record_step(
        &mut self,
        params: &UpdateParams,
        current: ArrayView2<f32>,
        previous: Option<ArrayView2<f32>>,
    ) {
        let (keep, factor) = params.outer_step(current.nrows());
        match (params.rule, previous) {
            (LearningRule::Hebb, _) => self.record(keep, factor, current, current),
            (LearningRule::Temporal, Some(prev)) => self.record(keep, factor, current, prev),
            (LearningRule::Temporal, None) => self.record(keep, factor, current, current),
            _ => self.mark_stale(),
        }
    }

    /// The request this overview answers.
    pub fn request(&self) -> &ViewRequest {
        &self.request
    }

    /// Changes the window and row (the order stays).
    pub fn set_window(
        &mut self,
        viewport: Option<(Range<usize>, Range<usize>)>,
        row: Option<usize>,
    ) {
        self.request.viewport = viewport;
        self.request.row = row;
    }

    /// The sums no longer follow `W` (a rule they do not track, a reset, a load).
    pub fn mark_stale(&mut self) {
        self.stale = true;
        self.ready = None;
    }

    /// Sums `W` again, exactly, if the sums are stale (`O(M²)`).
    pub fn refresh(&mut self, state: &HebbianState) {
        if self.stale {
            self.sums.sum_exactly(state);
            self.stale = false;
            self.ready = None;
        }
    }

    /// Whether activities `left` and `right` fit the sums, which are not stale; marks
    /// them stale otherwise (a step they cannot follow).
    fn follows(&mut self, left: ArrayView2<f32>, right: ArrayView2<f32>) -> bool {
        if self.stale || left.dim() != right.dim() || left.ncols() != self.sums.neurons() {
            self.stale = true;
        }
        !self.stale
    }

    /// Follows one step `W ← keep·W + factor·LᵀR` (off the diagonal) through the block
    /// sums ([`BlockSums::record`]).
    pub fn record(
        &mut self,
        keep: f64,
        factor: f64,
        left: ArrayView2<f32>,
        right: ArrayView2<f32>,
    ) {
        self.ready = None;
        if self.follows(left, right) {
            self.sums.record(keep, factor, left, right);
        }
    }

    /// Works out the block means of the sums as they are now, for the next
    /// [`Overview::summary`] — which then need not (nothing is done for stale sums, or
    /// when they are ready already). The app's simulation thread calls it while a step
    /// runs aside, once the step's preview has taken in the whole batch, so that the
    /// step's own picture is ready sooner after the step.
    pub fn prepare_means(&mut self) {
        if !self.stale && self.ready.is_none() {
            self.ready = Some(self.sums.means());
        }
    }

    /// The `side × side` block means of the current sums ([`BlockSums::means`]).
    pub fn means(&self) -> (Vec<f32>, (f32, f32)) {
        self.sums.means()
    }

    /// Cells per block side.
    pub fn block(&self) -> usize {
        self.sums.block()
    }

    /// Blocks per side.
    pub fn side(&self) -> usize {
        self.sums.side()
    }

    /// Whether the sums no longer follow `W` (they are summed again when next asked for).
    pub fn is_stale(&self) -> bool {
        self.stale
    }

    /// The picture for a view: block means (and the requested window and row, exact).
    pub fn summary(&mut self, state: &HebbianState) -> WeightSummary {
        self.refresh(state);
        let m = self.sums.neurons();
        let (means, range) = self.ready.take().unwrap_or_else(|| self.means());
        let order = &self.request.order;
        let viewport = self.request.viewport.clone().and_then(|(rows, cols)| {
            let rows = rows.start.min(m)..rows.end.min(m);
            let cols = cols.start.min(m)..cols.end.min(m);
            (rows.len() * cols.len() <= MAX_VIEWPORT_CELLS).then(|| {
                let values = state.weights_at(&order[rows.clone()], &order[cols.clone()]);
                Viewport { rows, cols, values }
            })
        });
        let row = self.request.row.filter(|&i| i < m).map(|i| {
            let all: Vec<usize> = (0..m).collect();
            (i, state.weights_at(&[i], &all))
        });
        WeightSummary {
            neurons: m,
            order_id: self.request.order_id,
            block: self.sums.block(),
            side: self.sums.side(),
            means,
            range,
            viewport,
            row,
            symmetric: state.is_symmetric(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LearningRule;
    use crate::model::learning::{PathChoice, UpdateParams};
    use ndarray::Array2;

    fn direct_means(w: &Array2<f32>, order: &[usize], block: usize) -> Vec<f64> {
        let m = order.len();
        let k = m.div_ceil(block);
        let mut out = vec![f64::NAN; k * k];
        for br in 0..k {
            for bc in 0..k {
                let (mut s, mut n) = (0.0, 0.0);
                for r in br * block..m.min((br + 1) * block) {
                    for c in bc * block..m.min((bc + 1) * block) {
                        if r != c {
                            s += f64::from(w[[order[r], order[c]]]);
                            n += 1.0;
                        }
                    }
                }
                if n > 0.0 {
                    out[br * k + bc] = s / n;
                }
            }
        }
        out
    }

    #[test]
    fn block_sums_follow_every_step_exactly_enough_in_any_order() {
        let m = 37;
        let order: Vec<usize> = (0..m).map(|p| (p * 10 + 3) % m).collect();
        for (rule, decay) in [
            (LearningRule::Hebb, 0.0),
            (LearningRule::Hebb, 0.2),
            (LearningRule::Temporal, 0.1),
            (LearningRule::Oja, 0.0),
        ] {
            let mut state = HebbianState::new(m);
            let request = ViewRequest {
                order: std::sync::Arc::new(order.clone()),
                order_id: 7,
                max_side: 8,
                viewport: Some((2..9, 30..40)),
                row: Some(5),
            };
            let mut overview = Overview::new(request, &state).unwrap();
            let p = UpdateParams {
                rule,
                learning_rate: 0.3,
                decay,
            };
            for step in 0..6 {
                let a = Array2::from_shape_fn((4, m), |(b, i)| {
                    if (i * 7 + b * 3 + step) % 4 == 0 {
                        ((i + b) % 5) as f32 / 4.0
                    } else {
                        0.0
                    }
                });
                let prev = a.slice(ndarray::s![..;-1, ..]);
                state.update(&p, a.view(), Some(prev), PathChoice::Auto);
                let right = if rule == LearningRule::Temporal {
                    prev
                } else {
                    a.view()
                };
                if rule == LearningRule::Oja {
                    overview.mark_stale();
                } else {
                    let factor = f64::from(p.learning_rate) / 4.0;
                    overview.record(1.0 - f64::from(decay), factor, a.view(), right);
                }
            }
            let s = overview.summary(&state);
            assert_eq!((s.block, s.side, s.order_id), (5, 8, 7));
            let w = state.weights();
            let want = direct_means(&w, &order, 5);
            for (b, (&got, &want)) in s.means.iter().zip(&want).enumerate() {
                if want.is_nan() {
                    assert!(got.is_nan());
                } else {
                    assert!(
                        (f64::from(got) - want).abs() <= 1e-5 * (1.0 + want.abs()),
                        "{rule:?} block {b}: {got} vs {want}"
                    );
                }
            }
            let v = s.viewport.as_ref().unwrap();
            assert_eq!((v.rows.clone(), v.cols.clone()), (2..9, 30..37));
            assert_eq!(s.exact(3, 31), Some(w[[order[3], order[31]]]));
            assert_eq!(s.exact(20, 31), None);
            let (i, row) = s.row.as_ref().unwrap();
            assert_eq!((*i, row.as_slice()), (5, w.row(5).as_slice().unwrap()));
        }
    }

    /// Means worked out ahead are those a summary would work out, and a step recorded
    /// after them (or stale sums) makes the summary work them out again.
    #[test]
    fn means_prepared_ahead_are_the_summary_s_until_the_sums_change() {
        let m = 20;
        let mut state = HebbianState::new(m);
        let p = UpdateParams {
            rule: LearningRule::Hebb,
            learning_rate: 0.5,
            decay: 0.0,
        };
        let a = Array2::from_shape_fn((3, m), |(b, i)| ((i + 2 * b) % 3) as f32);
        state.update(&p, a.view(), None, PathChoice::Auto);
        let request = ViewRequest {
            order: std::sync::Arc::new((0..m).rev().collect()),
            order_id: 1,
            max_side: 4,
            viewport: None,
            row: None,
        };
        let mut overview = Overview::new(request, &state).unwrap();
        let plain = overview.summary(&state);
        overview.prepare_means();
        assert_eq!(overview.summary(&state), plain);
        overview.prepare_means();
        state.update(&p, a.view(), None, PathChoice::Auto);
        overview.record_step(&p, a.view(), None);
        let after = overview.summary(&state);
        assert_ne!(after.means, plain.means);
        let exact = Overview::new(overview.request().clone(), &state)
            .unwrap()
            .summary(&state);
        for (x, y) in after.means.iter().zip(&exact.means) {
            assert!((x - y).abs() <= 1e-5 * (1.0 + y.abs()), "{x} vs {y}");
        }
    }

    #[test]
    fn an_order_that_is_not_a_permutation_is_refused() {
        let state = HebbianState::new(4);
        let request = |order: Vec<usize>| ViewRequest {
            order: std::sync::Arc::new(order),
            order_id: 0,
            max_side: 2,
            viewport: None,
            row: None,
        };
        assert!(Overview::new(request(vec![0, 1, 2]), &state).is_none());
        assert!(Overview::new(request(vec![0, 1, 1, 3]), &state).is_none());
        assert!(Overview::new(request(vec![3, 2, 1, 0]), &state).is_some());
    }
}
