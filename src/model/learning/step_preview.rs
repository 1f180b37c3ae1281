//! The view of a large `W` while a step is under way.
//!
//! At M = 16,384 one step of 64 stimuli takes a few tenths of a second, and a step with
//! scheduled metrics seconds: one picture per step is a slide show. A step adds
//! `c·Σ_b l_bᵀ r_b` — one term per stimulus — to `(1−λ)·W`, so `W` after the first `k`
//! of the batch's stimuli, `(1−λ)·W + c·Σ_{b<k} l_bᵀ r_b`, is well defined, and its
//! block means, window of cells and row follow from the step's activities alone
//! (`O(k·K²)` for `K × K` blocks, far less than the step), without reading `W` — which
//! the Hebbian kernel is writing meanwhile. [`StepPreview`] computes them aside, so a
//! view can show the batch's stimuli going in while the simulation works on the step;
//! the exact `W` of the completed step then replaces the preview. The preview's cells
//! are those of the partial sum up to rounding (`f64` here, the kernel's own order
//! there): a picture, not the learned state.

use std::sync::Arc;

use ndarray::{Array2, ArrayView2, s};

use crate::model::config::LearningRule;
use crate::model::learning::UpdateParams;
use crate::model::learning::overview::{Overview, Viewport, WeightSummary};

/// Block means, window and row of `W` after the first stimuli of a step, built up
/// stimulus by stimulus from the step's start (see the module docs). It holds the
/// simulation's block sums while the step is under way ([`StepPreview::finish`] gives
/// them back after the whole step), so the step itself need not follow them.
#[derive(Clone, Debug)]
pub struct StepPreview {
    /// Block sums, advanced through the stimuli taken in so far.
    overview: Overview,
    /// The picture at the step's start, without its values (its window and row give
    /// the positions).
    start: WeightSummary,
    /// The window's cells after the stimuli taken in so far.
    viewport: Option<Vec<f64>>,
    /// The row's values after the stimuli taken in so far.
    row: Option<Vec<f64>>,
    stimuli: Arc<Array2<f32>>,
    /// Activities: rows of the update `LᵀR`.
    left: Arc<Array2<f32>>,
    /// Columns of the update (the temporal rule's earlier frames; else `left`).
    right: Option<Arc<Array2<f32>>>,
    /// `1 − λ`.
    keep: f64,
    /// `c = η / B`.
    factor: f64,
    /// Stimuli taken in so far (by the block sums).
    done: usize,
    /// Stimuli the window and row have taken in.
    window_done: usize,
}

impl StepPreview {
    /// A preview of the step that adds `current` (and `previous`, for the temporal rule)
    /// with `params` to the `W` whose block sums `overview` holds and whose picture is
    /// `start` (its window and row). The overview is given back (`Err`) for a rule the
    /// block sums do not follow, stale sums, or a picture of another order or blocks.
    pub(super) fn new(
        overview: Overview,
        start: &WeightSummary,
        params: &UpdateParams,
        stimuli: Arc<Array2<f32>>,
        current: Arc<Array2<f32>>,
        previous: Option<Arc<Array2<f32>>>,
    ) -> Result<Self, Box<Overview>> {
        let right = match params.rule {
            LearningRule::Hebb => None,
            LearningRule::Temporal => previous.filter(|p| p.dim() == current.dim()),
            LearningRule::Covariance | LearningRule::Oja => return Err(Box::new(overview)),
        };
        let fits = !overview.is_stale()
            && current.ncols() == start.neurons
            && overview.request().order_id == start.order_id
            && overview.request().order.len() == start.neurons
            && (overview.block(), overview.side()) == (start.block, start.side);
        if !fits {
            return Err(Box::new(overview));
        }
        let (keep, factor) = params.outer_step(current.nrows());
        let viewport = start
            .viewport
            .as_ref()
            .map(|v| v.values.iter().map(|&x| f64::from(x)).collect());
        let row = start
            .row
            .as_ref()
            .map(|(_, r)| r.iter().map(|&x| f64::from(x)).collect());
        // The start's positions and facts without its values: the preview keeps its own,
        // and the means alone are 4 MB at 1024² blocks.
        let start = WeightSummary {
            means: Vec::new(),
            viewport: start.viewport.as_ref().map(|v| Viewport {
                rows: v.rows.clone(),
                cols: v.cols.clone(),
                values: Vec::new(),
            }),
            row: start.row.as_ref().map(|(i, _)| (*i, Vec::new())),
            ..*start
        };
        Ok(Self {
            overview,
            viewport,
            row,
            start,
            stimuli,
            left: current,
            right,
            keep,
            factor,
            done: 0,
            window_done: 0,
        })
    }

    /// The block sums after the whole step (every stimulus taken in): what the
    /// simulation's own overview would hold after the step, to rounding.
    pub fn finish(mut self) -> Overview {
        self.advance_to(self.batch());
        self.overview
    }

    /// The block sums, marked stale (the step was not completed, and they no longer
    /// follow `W`: they are summed again exactly when next asked for).
    pub fn abandon(mut self) -> Overview {
        self.overview.mark_stale();
        self.overview
    }

    /// Stimuli in the step's batch.
    pub fn batch(&self) -> usize {
        self.left.nrows()
    }

    /// Stimuli taken in so far.
    pub fn taken(&self) -> usize {
        self.done
    }

    /// Takes in the batch's stimuli up to `k` (at most the batch; never back) into the
    /// block sums: one dense product of their block-summed activities
    /// ([`Overview::record`], `k·K²` multiply-adds on the calling thread, so it never
    /// waits for the Hebbian kernel on the global pool). The window and row follow when
    /// a picture is taken.
    pub fn advance_to(&mut self, k: usize) {
        let k = k.min(self.batch());
        if k <= self.done {
            return;
        }
        let keep = if self.done == 0 { self.keep } else { 1.0 };
        let (left, right) = rows(&self.left, self.right.as_deref(), self.done..k);
        self.overview.record(keep, self.factor, left, right);
        self.done = k;
    }

    /// Once every stimulus is taken in, works out the block means the step's own picture
    /// will show ([`Overview::prepare_means`]); before that, nothing.
    pub fn prepare_means(&mut self) {
        if self.done == self.batch() {
            self.overview.prepare_means();
        }
    }

    /// Brings the window's cells and the row up to the stimuli taken in.
    fn catch_up_window(&mut self) {
        let (from, to) = (self.window_done, self.done);
        if to <= from {
            return;
        }
        let keep = if from == 0 { self.keep } else { 1.0 };
        let order = &self.overview.request().order;
        let factor = self.factor;
        let (left, right) = rows(&self.left, self.right.as_deref(), from..to);
        if let (Some(values), Some(window)) = (&mut self.viewport, &self.start.viewport) {
            if keep != 1.0 {
                values.iter_mut().for_each(|v| *v *= keep);
            }
            add_window(values, window, order, factor, left, right);
        }
        if let (Some(values), Some((i, _))) = (&mut self.row, &self.start.row) {
            if keep != 1.0 {
                values.iter_mut().for_each(|v| *v *= keep);
            }
            for (l, r) in left.rows().into_iter().zip(right.rows()) {
                let a = f64::from(l[*i]);
                if a == 0.0 {
                    continue;
                }
                for (j, (v, &b)) in values.iter_mut().zip(r).enumerate() {
                    if b != 0.0 && j != *i {
                        *v += factor * a * f64::from(b);
                    }
                }
            }
        }
        self.window_done = to;
    }

    /// The picture after the stimuli taken in so far.
    pub fn summary(&mut self) -> WeightSummary {
        self.catch_up_window();
        let (means, range) = self.overview.means();
        let viewport = match (&self.start.viewport, &self.viewport) {
            (Some(w), Some(values)) => Some(Viewport {
                rows: w.rows.clone(),
                cols: w.cols.clone(),
                values: values.iter().map(|&v| v as f32).collect(),
            }),
            _ => None,
        };
        let row = match (&self.start.row, &self.row) {
            (Some((i, _)), Some(values)) => Some((*i, values.iter().map(|&v| v as f32).collect())),
            _ => None,
        };
        WeightSummary {
            neurons: self.start.neurons,
            order_id: self.start.order_id,
            block: self.start.block,
            side: self.start.side,
            means,
            range,
            viewport,
            row,
            symmetric: self.start.symmetric,
        }
    }

    /// The last stimulus taken in (pixels) and its activities, if any.
    pub fn last_shown(&self) -> Option<(Vec<f32>, Vec<f32>)> {
        let b = self.done.checked_sub(1)?;
        Some((self.stimuli.row(b).to_vec(), self.left.row(b).to_vec()))
    }
}

/// Rows `range` of an update's left activities and of its right ones (`right`, or the
/// left ones again when `None`).
fn rows<'a>(
    left: &'a Array2<f32>,
    right: Option<&'a Array2<f32>>,
    range: std::ops::Range<usize>,
) -> (ArrayView2<'a, f32>, ArrayView2<'a, f32>) {
    let l = left.slice(s![range.clone(), ..]);
    let r = right.unwrap_or(left).slice(s![range, ..]);
    (l, r)
}

/// Adds `factor·Σ_b l_b[order r]·r_b[order c]` to the window's cells (the diagonal of
/// `W` stays zero).
fn add_window(
    values: &mut [f64],
    window: &Viewport,
    order: &[usize],
    factor: f64,
    left: ArrayView2<f32>,
    right: ArrayView2<f32>,
) {
    let width = window.cols.len();
    let (mut rows, mut cols) = (Vec::new(), Vec::new());
    for (l, r) in left.rows().into_iter().zip(right.rows()) {
        rows.clear();
        cols.clear();
        rows.extend(window.rows.clone().enumerate().filter_map(|(a, p)| {
            let x = l[order[p]];
            (x != 0.0).then(|| (a, order[p], factor * f64::from(x)))
        }));
        if rows.is_empty() {
            continue;
        }
        cols.extend(window.cols.clone().enumerate().filter_map(|(a, p)| {
            let x = r[order[p]];
            (x != 0.0).then(|| (a, order[p], f64::from(x)))
        }));
        for &(a, i, x) in &rows {
            let line = &mut values[a * width..(a + 1) * width];
            for &(c, j, y) in &cols {
                if i != j {
                    line[c] += x * y;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::learning::overview::ViewRequest;
    use crate::model::learning::{HebbianState, PathChoice};

    /// After `k` of a step's stimuli the preview shows (to rounding) what a step made of
    /// those `k` stimuli alone, at the full batch's rate, would have learned; after all
    /// of them, what the step learned.
    #[test]
    fn a_preview_after_k_stimuli_is_w_after_k_stimuli() {
        let m = 41;
        let batch = 6;
        let order: Vec<usize> = (0..m).map(|p| (p * 11 + 5) % m).collect();
        for (rule, decay) in [
            (LearningRule::Hebb, 0.0),
            (LearningRule::Hebb, 0.1),
            (LearningRule::Temporal, 0.05),
        ] {
            let p = UpdateParams {
                rule,
                learning_rate: 0.4,
                decay,
            };
            let act = |step: usize| {
                Array2::from_shape_fn((batch, m), |(b, i)| {
                    if (i * 5 + b * 7 + step) % 3 == 0 {
                        ((i + 2 * b) % 7) as f32 / 5.0
                    } else {
                        0.0
                    }
                })
            };
            // Two steps of history, then the step previewed.
            let mut state = HebbianState::new(m);
            for step in 0..2 {
                let a = act(step);
                let prev = a.slice(s![..;-1, ..]).to_owned();
                state.update(&p, a.view(), Some(prev.view()), PathChoice::Auto);
            }
            let request = ViewRequest {
                order: Arc::new(order.clone()),
                order_id: 3,
                max_side: 9,
                viewport: Some((3..17, 20..41)),
                row: Some(7),
            };
            let mut overview = Overview::new(request.clone(), &state).unwrap();
            let start = overview.summary(&state);
            let current = Arc::new(act(2));
            let previous = Arc::new(current.slice(s![..;-1, ..]).to_owned());
            let stimuli = Arc::new(Array2::from_shape_fn((batch, 4), |(b, x)| (b * x) as f32));
            let mut preview = StepPreview::new(
                overview,
                &start,
                &p,
                stimuli,
                current.clone(),
                Some(previous.clone()),
            )
            .unwrap();
            for k in [2, 5, 6] {
                preview.advance_to(k);
                assert_eq!(preview.taken(), k);
                // W after the first k stimuli: the same decay, c = η / B of the full batch.
                let mut want = state.clone();
                let scaled = |a: &Array2<f32>| {
                    let mut x = a.slice(s![..k, ..]).to_owned();
                    x.mapv_inplace(|v| v * (k as f32 / batch as f32).sqrt());
                    x
                };
                let (l, r) = (scaled(&current), scaled(&previous));
                want.update(&p, l.view(), Some(r.view()), PathChoice::Sparse);
                let mut want_overview = Overview::new(
                    ViewRequest {
                        order: Arc::new(order.clone()),
                        order_id: 3,
                        max_side: 9,
                        viewport: Some((3..17, 20..41)),
                        row: Some(7),
                    },
                    &want,
                )
                .unwrap();
                let want = want_overview.summary(&want);
                let got = preview.summary();
                let close = |a: f32, b: f32| (a - b).abs() <= 1e-5 * (1.0 + b.abs());
                for (x, y) in got.means.iter().zip(&want.means) {
                    assert!(x.is_nan() && y.is_nan() || close(*x, *y), "{rule:?} k {k}");
                }
                let (gv, wv) = (got.viewport.unwrap(), want.viewport.unwrap());
                assert_eq!((&gv.rows, &gv.cols), (&wv.rows, &wv.cols));
                assert!(gv.values.iter().zip(&wv.values).all(|(x, y)| close(*x, *y)));
                let (gr, wr) = (got.row.unwrap(), want.row.unwrap());
                assert_eq!(gr.0, wr.0);
                assert!(gr.1.iter().zip(&wr.1).all(|(x, y)| close(*x, *y)));
            }
            // And the stimulus shown is the last one taken in.
            let (stimulus, activity) = preview.last_shown().unwrap();
            assert_eq!(stimulus, vec![0.0, 5.0, 10.0, 15.0]);
            assert_eq!(activity, current.row(5).to_vec());
            // The block sums it gives back are those of the whole step.
            let shown = preview.summary().means;
            let (means, _) = preview.finish().means();
            assert!(
                means
                    .iter()
                    .zip(&shown)
                    .all(|(a, b)| a.to_bits() == b.to_bits())
            );
        }
    }
}
