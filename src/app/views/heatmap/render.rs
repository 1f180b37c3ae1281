//! The pure part of the heatmap — "matrix + order + colour map + range → RGBA pixels"
//! ([`render_heatmap`]) — separate from the widget so tests can assert on exactly the
//! data behind the texture.

use std::ops::Range;
use std::sync::Arc;

use egui::{Color32, ColorImage};

use crate::figure::block_means::{block_factor, block_means_with};
use crate::figure::colour_scale::{Colormap, RangeMode, range_of, resolve_range};
use crate::figure::order::ordered_values;
use crate::model::SnapshotWeights;
use crate::model::learning::overview::WeightSummary;

/// Largest texture side: the heatmap panel is at most about this many pixels wide, so
/// bigger matrices are coloured as block means at display resolution (M = 2048 → 1024²
/// pixels of 2 × 2 blocks). Tooltips still read the exact `w_ij` from the full matrix.
pub const MAX_TEXTURE_SIDE: usize = 1024;

/// What to render: one matrix in one order, colour map and range.
#[derive(Clone)]
pub struct HeatmapJob {
    /// Identifies the request; the widget re-renders when it changes.
    pub key: HeatmapKey,
    /// The weights in stored order.
    pub weights: Arc<SnapshotWeights>,
    /// Display position → stored index.
    pub order: Arc<Vec<usize>>,
    /// For a matrix too large to copy: the simulation's block means (in this order) and
    /// window of exact cells, coloured instead of `weights`.
    pub summary: Option<Arc<WeightSummary>>,
}

/// Everything that determines the pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HeatmapKey {
    /// Which published snapshot (worker publication counter).
    pub snapshot_id: u64,
    /// Which order (changes whenever the order vector changes).
    pub order_id: u64,
    /// Colour map.
    pub colormap: Colormap,
    /// Range mode.
    pub range: RangeMode,
}

/// The data behind the texture.
pub struct RenderedHeatmap {
    /// The request this answers.
    pub key: HeatmapKey,
    /// Matrix side `M`.
    pub size: usize,
    /// Each texture pixel shows the mean of a `block × block` block of cells (1: one
    /// pixel per cell, which is the case for `M ≤` [`MAX_TEXTURE_SIDE`]).
    pub block: usize,
    /// Display position → stored index.
    pub order: Arc<Vec<usize>>,
    /// The weights in stored order (the texture shows `W[order[r]][order[c]]`).
    pub weights: Arc<SnapshotWeights>,
    /// Colour range used.
    pub range: (f32, f32),
    /// Pixels, one per block (shared with the texture upload, never copied).
    pub image: Arc<ColorImage>,
    /// The summary the pixels show, for a matrix too large to copy.
    pub summary: Option<Arc<WeightSummary>>,
    /// Exact cells drawn over the block means (summaries zoomed in).
    pub detail: Option<Detail>,
}

impl RenderedHeatmap {
    /// The weight shown at display row `r`, column `c`: exact, or for a summary outside
    /// its window of exact cells the block mean (then `false`).
    pub fn value(&self, r: usize, c: usize) -> (f32, bool) {
        match &self.summary {
            Some(s) => match s.exact(r, c) {
                Some(v) => (v, true),
                None => {
                    let v = self.weights.value(self.order[r], self.order[c]);
                    if v.is_nan() {
                        (s.block_mean(r, c), false)
                    } else {
                        (v, true)
                    }
                }
            },
            None => (self.weights.value(self.order[r], self.order[c]), true),
        }
    }

    /// The picture at one pixel per cell (for exporting): the displayed image itself when
    /// it already is, otherwise rendered again from the full matrix.
    pub fn full_resolution_image(&self) -> Arc<ColorImage> {
        if self.block == 1 || self.summary.is_some() || !self.weights.is_materialised() {
            // A summary has no cells beyond its blocks and window.
            return self.image.clone();
        }
        let job = HeatmapJob {
            key: self.key,
            weights: self.weights.clone(),
            order: self.order.clone(),
            summary: None,
        };
        render_heatmap_at(&job, usize::MAX).image
    }

    /// All shown weights in display order, row-major (`values[r·M + c]`); empty for a
    /// summary, which holds no copy of `W`.
    pub fn ordered_values(&self) -> Vec<f32> {
        match self.weights.full() {
            Some(w) => ordered_values(w.view(), &self.order),
            None => Vec::new(),
        }
    }
}

/// Pure: matrix + order + colour map + range → RGBA pixels at display resolution
/// (see [`render_heatmap_at`] with [`MAX_TEXTURE_SIDE`]).
pub fn render_heatmap(job: &HeatmapJob) -> RenderedHeatmap {
    render_heatmap_at(job, MAX_TEXTURE_SIDE)
}

/// Pure: matrix + order + colour map + range → RGBA pixels, at most `max_side` pixels a
/// side. Matrices up to `max_side` get one pixel per cell, in one pass (no intermediate
/// copy); larger ones one pixel per `k × k` block showing the block's mean (diagonal
/// left out) — the mean rather than the maximum so that structure of either sign and
/// the overall level stay visible. The range is always that of the full matrix.
pub fn render_heatmap_at(job: &HeatmapJob, max_side: usize) -> RenderedHeatmap {
    if let Some(s) = &job.summary {
        return render_summary(job, s);
    }
    let n = job.order.len();
    let block = block_factor(n, max_side);
    let lut = job.key.colormap.lut();
    // Without a copy of W (a summary passed without its summary) there is nothing to show.
    let empty = || RenderedHeatmap {
        key: job.key,
        size: n,
        block: n.max(1),
        order: job.order.clone(),
        weights: job.weights.clone(),
        range: (0.0, 1.0),
        image: Arc::new(ColorImage::new([1, 1], vec![Color32::GRAY])),
        summary: None,
        detail: None,
    };
    let Some(source) = job.weights.source() else {
        return empty();
    };
    let (range, side, pixels) = if block == 1 {
        let Some(w) = job.weights.full() else {
            return empty();
        };
        let range = resolve_range(w.view(), job.key.colormap, job.key.range);
        let colour = colourer(lut, range);
        let identity = job.order.iter().enumerate().all(|(k, &i)| k == i);
        let mut pixels: Vec<Color32> = Vec::with_capacity(n * n);
        for &i in job.order.iter() {
            let row = w.row(i);
            match row.as_slice() {
                Some(slice) if identity => pixels.extend(slice.iter().map(|&v| colour(v))),
                Some(slice) => pixels.extend(job.order.iter().map(|&j| colour(slice[j]))),
                None => pixels.extend(job.order.iter().map(|&j| colour(row[j]))),
            }
        }
        (range, n, pixels)
    } else {
        // Read the snapshot's raw copy where it will do (stored order: its upper
        // triangle is the upper triangle shown), the materialised `W` otherwise.
        let identity = job.order.iter().enumerate().all(|(k, &i)| k == i);
        let full = if source.upper_only && !identity {
            job.weights.full()
        } else {
            None
        };
        let (values, scale) = if let Some(w) = full {
            (w.view(), 1.0)
        } else {
            (source.values, source.scale)
        };
        // For an exactly symmetric `W` the cells above the diagonal are read and the
        // block means mirrored (half the reading).
        let (mut means, side, mut lo, mut hi) =
            block_means_with(values, &job.order, block, source.symmetric);
        if scale != 1.0 {
            let scale = scale as f32;
            means.iter_mut().for_each(|m| *m *= scale);
            (lo, hi) = (lo * scale, hi * scale);
        }
        let range = range_of(lo, hi, job.key.colormap, job.key.range);
        let colour = colourer(lut, range);
        (range, side, means.iter().map(|&v| colour(v)).collect())
    };
    RenderedHeatmap {
        key: job.key,
        size: n,
        block,
        order: job.order.clone(),
        weights: job.weights.clone(),
        range,
        image: Arc::new(ColorImage::new([side, side], pixels)),
        summary: None,
        detail: None,
    }
}

fn colourer(lut: &[Color32], (lo, hi): (f32, f32)) -> impl Fn(f32) -> Color32 + '_ {
    let scale = 255.0 / (hi - lo);
    move |v: f32| {
        if v.is_finite() {
            lut[((v - lo) * scale).clamp(0.0, 255.0) as usize]
        } else {
            Color32::GRAY
        }
    }
}

/// `values` coloured as [`colourer`] colours them, in a loop with no bounds check (an
/// index into a table of 256 colours is a `u8`) and no branch but a select: a 1024²
/// summary, coloured ten times a second on the UI thread, in a little over half the time.
fn colour_all(lut: &[Color32; 256], (lo, hi): (f32, f32), values: &[f32]) -> Vec<Color32> {
    let scale = 255.0 / (hi - lo);
    values
        .iter()
        .map(|&v| {
            let colour = lut[usize::from(((v - lo) * scale).clamp(0.0, 255.0) as u8)];
            if v.is_finite() { colour } else { Color32::GRAY }
        })
        .collect()
}

/// Exact cells drawn over the block means: display rows × columns and their pixels.
pub struct Detail {
    /// Display rows.
    pub rows: Range<usize>,
    /// Display columns.
    pub cols: Range<usize>,
    /// One pixel per cell.
    pub image: Arc<ColorImage>,
}

/// Colours a summary: one pixel per block mean, and the window of exact cells with the
/// same colour scale (the range of the block means, or the fixed one).
pub fn render_summary(job: &HeatmapJob, summary: &Arc<WeightSummary>) -> RenderedHeatmap {
    let lut = job.key.colormap.lut();
    let (lo, hi) = summary.range;
    let range = range_of(lo, hi, job.key.colormap, job.key.range);
    let side = summary.side;
    let pixels = colour_all(lut, range, &summary.means);
    let detail = summary.viewport.as_ref().map(|v| Detail {
        rows: v.rows.clone(),
        cols: v.cols.clone(),
        image: Arc::new(ColorImage::new(
            [v.cols.len(), v.rows.len()],
            colour_all(lut, range, &v.values),
        )),
    });
    RenderedHeatmap {
        key: job.key,
        size: summary.neurons,
        block: summary.block,
        order: job.order.clone(),
        weights: job.weights.clone(),
        range,
        image: Arc::new(ColorImage::new([side, side], pixels)),
        summary: Some(summary.clone()),
        detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figure::order::recovered_order;
    use crate::perm::Permutation;
    use ndarray::{Array2, array};

    /// The two-pass colouring of a summary gives every value the colour of the one-value
    /// colourer: inside and outside the range, at its ends, and for values not finite.
    #[test]
    fn colour_all_colours_as_the_colourer_does() {
        let lut = crate::app::views::colormap::Colormap::Viridis.lut();
        let values = [
            -1.0f32,
            0.0,
            0.1,
            0.4999,
            0.5,
            0.99,
            1.0,
            7.0,
            f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
            -0.0,
        ];
        for range in [(0.0f32, 1.0f32), (-2.0, 0.5), (0.5, 0.5)] {
            let colour = colourer(lut, range);
            let want: Vec<Color32> = values.iter().map(|&v| colour(v)).collect();
            assert_eq!(colour_all(lut, range, &values), want, "{range:?}");
        }
    }

    #[test]
    fn ordered_values_follow_the_order() {
        let w = array![[0.0f32, 1.0, 2.0], [3.0, 0.0, 5.0], [6.0, 7.0, 0.0]];
        let v = ordered_values(w.view(), &[2, 0, 1]);
        assert_eq!(v, vec![0.0, 6.0, 7.0, 2.0, 0.0, 1.0, 5.0, 3.0, 0.0]);
    }

    #[test]
    fn recovered_order_makes_a_circulant_matrix_block_circulant() {
        // W is circulant in the "true" order 0..n; scramble it, then recover with the shift.
        let n = 12;
        let w_true = Array2::from_shape_fn((n, n), |(i, j)| {
            let d = (j + n - i) % n;
            if d == 0 { 0.0 } else { (d * d) as f32 }
        });
        let hidden: Vec<usize> = vec![5, 2, 9, 0, 11, 7, 3, 10, 1, 8, 6, 4]; // true index → stored index
        let mut w = Array2::zeros((n, n));
        for i in 0..n {
            for j in 0..n {
                w[[hidden[i], hidden[j]]] = w_true[[i, j]];
            }
        }
        let mut image = vec![0; n];
        for i in 0..n {
            image[hidden[i]] = hidden[(i + 1) % n];
        }
        let pi = Permutation::from_images(image).unwrap();
        let order = recovered_order(&pi);
        let v = ordered_values(w.view(), &order);
        for r in 0..n {
            for c in 0..n {
                assert_eq!(v[r * n + c], v[((r + 1) % n) * n + (c + 1) % n]);
            }
        }
        // The stored order is not circulant.
        let s = ordered_values(w.view(), &(0..n).collect::<Vec<_>>());
        assert!((0..n).any(|r| s[r * n + 1] != s[((r + 1) % n) * n + 2 % n]));
    }

    #[test]
    fn pixels_use_the_range_ends() {
        let w = array![[0.0f32, -2.0], [4.0, 0.0]];
        let job = HeatmapJob {
            key: HeatmapKey {
                snapshot_id: 0,
                order_id: 0,
                colormap: Colormap::Viridis,
                range: RangeMode::Auto,
            },
            weights: Arc::new(SnapshotWeights::from_full(w)),
            order: Arc::new(vec![0, 1]),
            summary: None,
        };
        let r = render_heatmap(&job);
        assert_eq!(r.range, (-2.0, 4.0));
        assert_eq!(r.image.pixels[1], Colormap::Viridis.color(0.0));
        assert_eq!(r.image.pixels[2], Colormap::Viridis.color(1.0));
        let diverging = render_heatmap(&HeatmapJob {
            key: HeatmapKey {
                colormap: Colormap::Diverging,
                ..job.key
            },
            ..job
        });
        assert_eq!(diverging.range, (-4.0, 4.0));
    }

    #[test]
    fn a_raw_snapshot_copy_renders_like_the_materialised_matrix() {
        use crate::model::LearningRule;
        use crate::model::learning::{HebbianState, PathChoice, UpdateParams};
        let m = 23;
        let a = Array2::from_shape_fn((4, m), |(b, i)| ((i * 5 + b * 3) % 7) as f32 / 6.0);
        for decay in [0.0, 0.1] {
            let mut state = HebbianState::new(m);
            let p = UpdateParams {
                rule: LearningRule::Hebb,
                learning_rate: 0.5,
                decay,
            };
            for _ in 0..3 {
                state.update(&p, a.view(), None, PathChoice::Sparse);
            }
            // The stale lower triangle of a reused buffer is NaN: any read of it shows.
            let copy = state.raw_copy_into(Some(Array2::from_elem((m, m), f32::NAN)));
            let lazy = Arc::new(SnapshotWeights::from_raw(copy));
            assert!(lazy.source().unwrap().upper_only);
            let full = Arc::new(SnapshotWeights::from_full(state.weights()));
            let shuffled: Vec<usize> = (0..m).map(|i| (i * 7 + 2) % m).collect();
            for order in [(0..m).collect::<Vec<_>>(), shuffled] {
                let job = |weights: &Arc<SnapshotWeights>| HeatmapJob {
                    key: HeatmapKey {
                        snapshot_id: 0,
                        order_id: 0,
                        colormap: Colormap::Viridis,
                        range: RangeMode::Auto,
                    },
                    weights: weights.clone(),
                    order: Arc::new(order.clone()),
                    summary: None,
                };
                for max_side in [8, 12, m] {
                    let want = render_heatmap_at(&job(&full), max_side);
                    let got = render_heatmap_at(&job(&lazy), max_side);
                    let (lo, hi) = got.range;
                    assert!((lo - want.range.0).abs() <= 1e-6 * lo.abs().max(1e-3));
                    assert!((hi - want.range.1).abs() <= 1e-6 * hi.abs().max(1e-3));
                    let differing = got
                        .image
                        .pixels
                        .iter()
                        .zip(&want.image.pixels)
                        .filter(|(x, y)| x != y)
                        .count();
                    // Means scaled after summing may round to the neighbouring colour.
                    assert!(
                        differing <= 1,
                        "decay {decay}, side {max_side}: {differing}"
                    );
                    let grey = |r: &RenderedHeatmap| {
                        r.image
                            .pixels
                            .iter()
                            .filter(|&&p| p == Color32::GRAY)
                            .count()
                    };
                    assert_eq!(grey(&got), grey(&want), "a stale cell leaked in");
                    for (r, c) in [(0, 1), (5, 2), (m - 1, 0)] {
                        assert_eq!(got.value(r, c).0.to_bits(), want.value(r, c).0.to_bits());
                    }
                }
            }
        }
    }

    #[test]
    fn large_matrices_are_shown_as_block_means_with_the_full_range() {
        // 5 × 5 in order [4, 3, 2, 1, 0], shown with at most 3 pixels a side → 2 × 2 blocks.
        let n = 5;
        let w = Array2::from_shape_fn(
            (n, n),
            |(i, j)| if i == j { 100.0 } else { (i * n + j) as f32 },
        );
        let order: Vec<usize> = (0..n).rev().collect();
        let job = HeatmapJob {
            key: HeatmapKey {
                snapshot_id: 0,
                order_id: 0,
                colormap: Colormap::Viridis,
                range: RangeMode::Auto,
            },
            weights: Arc::new(SnapshotWeights::from_full(w.clone())),
            order: Arc::new(order.clone()),
            summary: None,
        };
        let r = render_heatmap_at(&job, 3);
        assert_eq!(r.block, 2);
        assert_eq!(r.image.size, [3, 3]);
        // Range of the full matrix, diagonal left out: 1 (w_01) … 23 (w_43).
        assert_eq!(r.range, (1.0, 23.0));
        let shown = |d: usize| order[d];
        for br in 0..3 {
            for bc in 0..3 {
                let cells: Vec<f32> = (2 * br..(2 * br + 2).min(n))
                    .flat_map(|a| (2 * bc..(2 * bc + 2).min(n)).map(move |b| (a, b)))
                    .filter(|(a, b)| a != b)
                    .map(|(a, b)| w[[shown(a), shown(b)]])
                    .collect();
                let expected = if cells.is_empty() {
                    Color32::GRAY
                } else {
                    let mean = cells.iter().sum::<f32>() / cells.len() as f32;
                    Colormap::Viridis.lut()
                        [((mean - 1.0) * 255.0 / 22.0).clamp(0.0, 255.0) as usize]
                };
                assert_eq!(r.image.pixels[br * 3 + bc], expected, "block ({br}, {bc})");
            }
        }
        // Tooltips read exact cells; the export re-renders one pixel per cell.
        assert_eq!(r.value(0, 1), (w[[4, 3]], true));
        let full = r.full_resolution_image();
        assert_eq!(full.size, [n, n]);
        assert_eq!(*full, *render_heatmap_at(&job, n).image);
        // Small matrices keep one pixel per cell.
        assert_eq!(render_heatmap(&job).block, 1);
    }
}
