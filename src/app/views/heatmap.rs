//! The weight matrix as a texture: ordering, colouring, colour bar, zoom/pan and tooltip.
//!
//! The pure part — "matrix + order + colour map + range → RGBA
//! pixels" ([`render_heatmap`]) — is separate from the widget so tests can assert on
//! exactly the data behind the texture. Large matrices (M = 2048 is 4 M cells) are
//! rendered on a helper thread ([`HeatmapRenderer`]) so the UI thread only uploads.

use std::sync::{Arc, Condvar, Mutex};

use egui::{Color32, ColorImage, Pos2, Rect, Sense, TextureHandle, TextureOptions, Vec2};
use ndarray::ArrayView2;

use crate::app::views::colormap::Colormap;

mod pointer;
mod summary;
pub use crate::figure::order::{MatrixOrder, ordered_values, recovered_order, truth_order};
use crate::figure::order::{colour_range, off_diagonal_range};
use crate::model::SnapshotWeights;
use crate::model::learning::overview::WeightSummary;
pub use crate::report::labels::HeatmapContext;
pub use summary::{DETAIL_SIDE, wanted_viewport};

/// Matrices with at most this many cells are rendered on the UI thread (≈ 1 ms).
const INLINE_RENDER_CELLS: usize = 512 * 512;

/// Largest texture side: the heatmap panel is at most about this many pixels wide, so
/// bigger matrices are coloured as block means at display resolution (M = 2048 → 1024²
/// pixels of 2 × 2 blocks). Tooltips still read the exact `w_ij` from the full matrix.
pub const MAX_TEXTURE_SIDE: usize = 1024;

/// Shortest time between two background renders that only bring new data (a render
/// must also have finished). Below the publication interval, so that frames arriving
/// every 33 ms do not round the refresh down to every third frame (10 Hz at best).
const MIN_RERENDER_SECONDS: f32 = 0.05;

/// Colour range of the heatmap.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub enum RangeMode {
    /// From the data: `[min, max]` off the diagonal (symmetric about 0 for diverging maps).
    #[default]
    Auto,
    /// Fixed `[lo, hi]`.
    Fixed(f32, f32),
}

/// The colour range actually used: `[min, max]` of the off-diagonal entries for
/// sequential maps, `[−m, m]` with `m = max |w|` for diverging maps.
pub fn resolve_range(w: ArrayView2<f32>, colormap: Colormap, mode: RangeMode) -> (f32, f32) {
    if let Some(fixed) = fixed_range(mode) {
        return fixed;
    }
    colour_range(off_diagonal_range(w), colormap.is_diverging())
}

fn fixed_range(mode: RangeMode) -> Option<(f32, f32)> {
    match mode {
        RangeMode::Fixed(lo, hi) if lo.is_finite() && hi.is_finite() && hi > lo => Some((lo, hi)),
        _ => None,
    }
}

/// Turns the off-diagonal `[lo, hi]` of the data into the range used for colouring.
fn finish_range(lo: f32, hi: f32, colormap: Colormap) -> (f32, f32) {
    let data = (lo.is_finite() && hi.is_finite()).then_some((lo, hi));
    colour_range(data, colormap.is_diverging())
}

/// Side of the texture, in pixels, for an `n × n` matrix: matrices larger than
/// [`MAX_TEXTURE_SIDE`] are shown as `k × k` blocks (`k = ⌈n / MAX_TEXTURE_SIDE⌉`).
pub fn block_factor(n: usize, max_side: usize) -> usize {
    n.div_ceil(max_side.max(1)).max(1)
}

/// `k × k` block means of the matrix in display order (diagonal entries left out), plus
/// the off-diagonal `[min, max]` of the full matrix over finite values, in one pass.
/// Returns `(means, side, lo, hi)`; a block holding a non-finite weight is non-finite
/// (drawn grey), a block with nothing to average (a 1 × 1 diagonal block) is `NaN`.
pub fn block_means(w: ArrayView2<f32>, order: &[usize], k: usize) -> (Vec<f32>, usize, f32, f32) {
    block_means_with(w, order, k, false)
}

/// [`block_means`] for an exactly symmetric `W`: the block means matrix is then
/// symmetric too (rows and columns share one order), so only the cells above the
/// diagonal are read — each display row from just right of its diagonal cell — and the
/// block means are mirrored. The strictly upper triangle (in display order) is all that
/// has to be valid, and the range is complete, since every off-diagonal value appears
/// there.
pub fn block_means_symmetric(
    w: ArrayView2<f32>,
    order: &[usize],
    k: usize,
) -> (Vec<f32>, usize, f32, f32) {
    block_means_with(w, order, k, true)
}

/// The one pass behind [`block_means`] and [`block_means_symmetric`]: the rows of each
/// block of display rows are summed per column — from column 0, or when `symmetric`
/// from just right of the diagonal — and the column sums folded into block means.
fn block_means_with(
    w: ArrayView2<f32>,
    order: &[usize],
    k: usize,
    symmetric: bool,
) -> (Vec<f32>, usize, f32, f32) {
    let n = order.len();
    let k = k.max(1);
    let side = n.div_ceil(k);
    let identity = order.iter().enumerate().all(|(a, &i)| a == i);
    let mut means = vec![0.0f32; side * side];
    // Column sums of the current block of display rows (diagonal cells taken out).
    let mut column_sums = vec![0.0f32; n];
    // One display row gathered into display order when the order is not the identity.
    let mut gathered = vec![0.0f32; n];
    let mut range = LaneRange::new();
    for rb in 0..side {
        // Column sums are kept from `first` on: the block's own first column when only
        // blocks on and right of the diagonal are computed.
        let first = if symmetric { rb * k } else { 0 };
        let sums = &mut column_sums[first..];
        sums.fill(0.0);
        let rows = rb * k..((rb + 1) * k).min(n);
        let height = rows.len();
        for r in rows {
            let start = if symmetric { r + 1 } else { 0 };
            let row = w.row(order[r]);
            let shown: &[f32] = match (row.as_slice(), identity) {
                (Some(slice), true) => &slice[start..],
                (Some(slice), false) => {
                    for (dst, &j) in gathered[start..].iter_mut().zip(&order[start..]) {
                        *dst = slice[j];
                    }
                    &gathered[start..]
                }
                (None, _) => {
                    for (dst, &j) in gathered[start..].iter_mut().zip(&order[start..]) {
                        *dst = row[j];
                    }
                    &gathered[start..]
                }
            };
            let row_sums = &mut sums[start - first..];
            if symmetric {
                range.add(shown);
                for (sum, &v) in row_sums.iter_mut().zip(shown) {
                    *sum += v;
                }
            } else {
                // Range over the off-diagonal cells; the diagonal cell adds nothing to
                // its block's mean.
                range.add(&shown[..r]);
                range.add(&shown[r + 1..]);
                let before = row_sums[r];
                for (sum, &v) in row_sums.iter_mut().zip(shown) {
                    *sum += v;
                }
                row_sums[r] = before;
            }
        }
        let first_block = first / k;
        let row_means = &mut means[rb * side + first_block..(rb + 1) * side];
        // Full blocks share one cell count (a multiply, and for k = 2 a pair add, per
        // block); the diagonal block and a ragged last block are redone below.
        let inverse = 1.0 / (height * k) as f32;
        let full = sums.chunks_exact(k);
        if k == 2 {
            for (mean, pair) in row_means.iter_mut().zip(full) {
                *mean = (pair[0] + pair[1]) * inverse;
            }
        } else {
            for (mean, chunk) in row_means.iter_mut().zip(full) {
                *mean = chunk.iter().sum::<f32>() * inverse;
            }
        }
        let last = first_block + sums.len().div_ceil(k) - 1;
        let diagonal_block = (rb >= first_block).then_some(rb);
        for cb in diagonal_block.into_iter().chain([last]) {
            let from = (cb - first_block) * k;
            let chunk = &sums[from..(from + k).min(sums.len())];
            let width = chunk.len();
            let diagonal = if cb == rb { height.min(width) } else { 0 };
            let cells = (height * width - diagonal) as f32;
            // Read above the diagonal only, the diagonal block holds half its cells.
            let twice = if symmetric && cb == rb { 2.0 } else { 1.0 };
            row_means[cb - first_block] = if cells > 0.0 {
                twice * chunk.iter().sum::<f32>() / cells
            } else {
                f32::NAN
            };
        }
    }
    if symmetric {
        crate::model::learning::mirror_upper_triangle(&mut means, side);
    }
    let (lo, hi) = range.finish();
    (means, side, lo, hi)
}

/// Minimum and maximum over finite values, kept in eight lanes so the loop vectorises.
struct LaneRange {
    lo: [f32; 8],
    hi: [f32; 8],
}

impl LaneRange {
    fn new() -> Self {
        Self {
            lo: [f32::INFINITY; 8],
            hi: [f32::NEG_INFINITY; 8],
        }
    }

    fn add(&mut self, values: &[f32]) {
        // Fast pass: plain compares skip NaN and vectorise; an infinity would win them,
        // so if one shows up the slice is redone from the previous state, exactly.
        let (mut lo, mut hi) = (self.lo, self.hi);
        let chunks = values.chunks_exact(8);
        let rest = chunks.remainder();
        for chunk in chunks {
            for lane in 0..8 {
                let v = chunk[lane];
                lo[lane] = if v < lo[lane] { v } else { lo[lane] };
                hi[lane] = if v > hi[lane] { v } else { hi[lane] };
            }
        }
        for (lane, &v) in rest.iter().enumerate() {
            lo[lane] = if v < lo[lane] { v } else { lo[lane] };
            hi[lane] = if v > hi[lane] { v } else { hi[lane] };
        }
        let saw_infinity = lo.contains(&f32::NEG_INFINITY) || hi.contains(&f32::INFINITY);
        if !saw_infinity {
            (self.lo, self.hi) = (lo, hi);
            return;
        }
        for (k, &v) in values.iter().enumerate() {
            if v.is_finite() {
                let lane = k % 8;
                self.lo[lane] = self.lo[lane].min(v);
                self.hi[lane] = self.hi[lane].max(v);
            }
        }
    }

    fn finish(&self) -> (f32, f32) {
        (
            self.lo.iter().copied().fold(f32::INFINITY, f32::min),
            self.hi.iter().copied().fold(f32::NEG_INFINITY, f32::max),
        )
    }
}

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
    pub detail: Option<summary::Detail>,
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
        return summary::render_summary(job, s);
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
        let range =
            fixed_range(job.key.range).unwrap_or_else(|| finish_range(lo, hi, job.key.colormap));
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

type Slot<T> = Arc<(Mutex<Option<T>>, Condvar)>;

/// Renders big heatmaps on a helper thread; the newest job wins.
pub struct HeatmapRenderer {
    jobs: Slot<HeatmapJob>,
    done: Arc<Mutex<Option<Arc<RenderedHeatmap>>>>,
    busy: Arc<std::sync::atomic::AtomicBool>,
    _thread: Option<std::thread::JoinHandle<()>>,
}

impl HeatmapRenderer {
    /// Starts the helper thread; it calls `ctx.request_repaint()` after each render.
    pub fn new(ctx: Option<egui::Context>) -> Self {
        let jobs: Slot<HeatmapJob> = Arc::new((Mutex::new(None), Condvar::new()));
        let done = Arc::new(Mutex::new(None));
        let busy = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let thread = {
            let jobs = Arc::downgrade(&jobs);
            let done = done.clone();
            let busy = busy.clone();
            std::thread::Builder::new()
                .name("heatmap-render".into())
                .spawn(move || render_loop(&jobs, &done, &busy, ctx.as_ref()))
                .ok()
        };
        Self {
            jobs,
            done,
            busy,
            _thread: thread,
        }
    }

    /// Queues a job, replacing any queued one.
    pub fn submit(&self, job: HeatmapJob) {
        let (lock, cvar) = &*self.jobs;
        if let Ok(mut slot) = lock.lock() {
            *slot = Some(job);
        }
        cvar.notify_one();
    }

    /// Takes the newest finished render, if any.
    pub fn take(&self) -> Option<Arc<RenderedHeatmap>> {
        self.done.lock().ok()?.take()
    }

    /// Whether a job is queued or running.
    pub fn is_busy(&self) -> bool {
        let queued = self.jobs.0.lock().map(|s| s.is_some()).unwrap_or(false);
        queued || self.busy.load(std::sync::atomic::Ordering::Acquire)
    }
}

impl Drop for HeatmapRenderer {
    fn drop(&mut self) {
        // The thread holds only a weak reference to the job slot: wake it so it sees it is gone.
        self.jobs.1.notify_all();
    }
}

fn render_loop(
    jobs: &std::sync::Weak<(Mutex<Option<HeatmapJob>>, Condvar)>,
    done: &Mutex<Option<Arc<RenderedHeatmap>>>,
    busy: &std::sync::atomic::AtomicBool,
    ctx: Option<&egui::Context>,
) {
    use std::sync::atomic::Ordering;
    crate::app::background::lower_current_thread_priority();
    loop {
        let job = {
            let Some(jobs) = jobs.upgrade() else { return };
            let (lock, cvar) = &*jobs;
            let Ok(mut slot) = lock.lock() else { return };
            loop {
                if let Some(job) = slot.take() {
                    busy.store(true, Ordering::Release);
                    break job;
                }
                match cvar.wait_timeout(slot, std::time::Duration::from_millis(200)) {
                    Ok((s, _)) => slot = s,
                    Err(_) => return,
                }
                if std::sync::Arc::strong_count(&jobs) <= 1 {
                    return;
                }
            }
        };
        let rendered = Arc::new(render_heatmap(&job));
        if let Ok(mut slot) = done.lock() {
            *slot = Some(rendered);
        }
        busy.store(false, Ordering::Release);
        // Never request a repaint while holding a lock the UI also takes.
        if let Some(ctx) = ctx {
            ctx.request_repaint();
        }
    }
}

/// The heatmap widget: texture, colour bar, zoom/pan, tooltip and settings.
pub struct HeatmapView {
    /// Colour map.
    pub colormap: Colormap,
    /// Colour range.
    pub range: RangeMode,
    /// Current render (the data behind the texture).
    pub displayed: Option<Arc<RenderedHeatmap>>,
    /// Neuron (stored index) under the pointer, if any.
    pub hovered: Option<usize>,
    /// Neuron (stored index) last clicked.
    pub selected: Option<usize>,
    /// Cell `(i, j)` (stored indices) clicked this frame, taken by the app to pin it.
    pub clicked_cell: Option<(usize, usize)>,
    texture: Option<TextureHandle>,
    /// Exact cells over the block means of a summary (zoomed in).
    detail_texture: Option<TextureHandle>,
    renderer: Option<HeatmapRenderer>,
    requested: Option<HeatmapKey>,
    last_submit: Option<std::time::Instant>,
    uv: Rect,
}

impl HeatmapView {
    /// A widget that renders large matrices on a helper thread (pass the egui context so
    /// the helper can request repaints).
    pub fn new(ctx: Option<egui::Context>) -> Self {
        Self {
            colormap: Colormap::default(),
            range: RangeMode::default(),
            displayed: None,
            hovered: None,
            selected: None,
            clicked_cell: None,
            texture: None,
            detail_texture: None,
            renderer: Some(HeatmapRenderer::new(ctx)),
            requested: None,
            last_submit: None,
            uv: Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)),
        }
    }

    /// Resets zoom and pan.
    pub fn reset_view(&mut self) {
        self.uv = Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0));
    }

    /// The window of exact cells to ask the simulation for, in display order (a matrix
    /// too large to copy, zoomed in far enough; see [`wanted_viewport`]).
    pub fn wanted_viewport(
        &self,
        n: usize,
    ) -> Option<(std::ops::Range<usize>, std::ops::Range<usize>)> {
        wanted_viewport(self.uv, n)
    }

    /// Makes sure the texture shows `weights` in `order` (rate-limited to ~10 Hz for big
    /// matrices, immediate for changed settings). Call every frame. For a matrix too large
    /// to copy, `summary` holds the simulation's block means and window of exact cells;
    /// one in another order than `order_id` is skipped (the simulation has not caught up).
    pub fn update(
        &mut self,
        ctx: &egui::Context,
        snapshot_id: u64,
        weights: &Arc<SnapshotWeights>,
        order_id: u64,
        order: &Arc<Vec<usize>>,
        summary: Option<&Arc<WeightSummary>>,
    ) {
        if summary.is_some_and(|s| s.order_id != order_id) {
            return;
        }
        let key = HeatmapKey {
            snapshot_id,
            order_id,
            colormap: self.colormap,
            range: self.range,
        };
        if let Some(done) = self.renderer.as_ref().and_then(HeatmapRenderer::take) {
            self.install(ctx, done);
        }
        let n = weights.neurons();
        if self.requested == Some(key) || order.len() != n || n == 0 {
            return;
        }
        let job = HeatmapJob {
            key,
            // A summary's picture keeps no copy of W alive (the snapshot's may be one).
            weights: match summary {
                Some(s) => Arc::new(SnapshotWeights::Summary(s.clone())),
                None => weights.clone(),
            },
            order: order.clone(),
            summary: summary.cloned(),
        };
        let cells = order.len() * order.len();
        if (cells <= INLINE_RENDER_CELLS && summary.is_none()) || self.renderer.is_none() {
            self.requested = Some(key);
            let rendered = Arc::new(render_heatmap(&job));
            self.install(ctx, rendered);
            return;
        }
        let only_data_changed = self.requested.is_some_and(|r| {
            r.order_id == key.order_id && r.colormap == key.colormap && r.range == key.range
        });
        let too_soon = self
            .last_submit
            .is_some_and(|t| t.elapsed().as_secs_f32() < MIN_RERENDER_SECONDS);
        let busy = self.renderer.as_ref().is_some_and(HeatmapRenderer::is_busy);
        if only_data_changed && (too_soon || busy) {
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
            return;
        }
        if let Some(renderer) = &self.renderer {
            renderer.submit(job);
            self.requested = Some(key);
            self.last_submit = Some(std::time::Instant::now());
        }
    }

    /// Whether the displayed render answers the newest request.
    pub fn is_current(&self) -> bool {
        match (&self.displayed, self.requested) {
            (Some(d), Some(r)) => d.key == r,
            _ => false,
        }
    }

    fn install(&mut self, ctx: &egui::Context, rendered: Arc<RenderedHeatmap>) {
        let image = rendered.image.clone();
        match &mut self.texture {
            Some(tex) if tex.size() == rendered.image.size => {
                tex.set(image, TextureOptions::NEAREST);
            }
            _ => {
                self.texture =
                    Some(ctx.load_texture("weights-heatmap", image, TextureOptions::NEAREST));
                if self
                    .displayed
                    .as_ref()
                    .is_none_or(|d| d.size != rendered.size)
                {
                    self.reset_view();
                }
            }
        }
        match (&rendered.detail, &mut self.detail_texture) {
            (Some(d), Some(tex)) if tex.size() == d.image.size => {
                tex.set(d.image.clone(), TextureOptions::NEAREST);
            }
            (Some(d), _) => {
                self.detail_texture = Some(ctx.load_texture(
                    "weights-heatmap-detail",
                    d.image.clone(),
                    TextureOptions::NEAREST,
                ));
            }
            (None, _) => self.detail_texture = None,
        }
        self.displayed = Some(rendered);
    }

    /// Draws the heatmap and its colour bar into the available space.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &HeatmapContext<'_>) {
        let (Some(tex_id), Some(shown)) = (
            self.texture.as_ref().map(TextureHandle::id),
            self.displayed.clone(),
        ) else {
            ui.centered_and_justified(|ui| {
                ui.label("No weights yet — choose a preset from the Presets menu.")
            });
            return;
        };
        let bar_width = 90.0;
        let avail = ui.available_size();
        let side = (avail.x - bar_width - 8.0).min(avail.y).max(64.0);
        ui.horizontal(|ui| {
            let (rect, response) =
                ui.allocate_exact_size(Vec2::splat(side), Sense::click_and_drag());
            ui.painter().rect_filled(rect, 0.0, Color32::from_gray(40));
            ui.painter().image(tex_id, rect, self.uv, Color32::WHITE);
            if let (Some(d), Some(tex)) = (&shown.detail, &self.detail_texture) {
                // Exact cells over their block means, clipped to the matrix.
                let at = summary::detail_rect(rect, self.uv, shown.size, &d.rows, &d.cols);
                let full = Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0));
                ui.painter()
                    .with_clip_rect(rect)
                    .image(tex.id(), at, full, Color32::WHITE);
            }
            // Named, so assistive technology and tests can find the matrix.
            response.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Image, true, "Weight matrix")
            });
            self.pointer_ui(ui, rect, &response, &shown, cx);
            self.colour_bar_ui(ui, side, &shown);
        });
    }

    fn colour_bar_ui(&self, ui: &mut egui::Ui, height: f32, shown: &RenderedHeatmap) {
        let (rect, _) = ui.allocate_exact_size(Vec2::new(90.0, height), Sense::hover());
        let bar = Rect::from_min_size(
            rect.min + Vec2::new(4.0, 10.0),
            Vec2::new(22.0, height - 20.0),
        );
        let steps = 128;
        for k in 0..steps {
            let t = 1.0 - (k as f32 + 0.5) / steps as f32;
            let y0 = bar.min.y + bar.height() * k as f32 / steps as f32;
            let y1 = bar.min.y + bar.height() * (k + 1) as f32 / steps as f32;
            let r = Rect::from_min_max(Pos2::new(bar.min.x, y0), Pos2::new(bar.max.x, y1 + 0.5));
            ui.painter()
                .rect_filled(r, 0.0, shown.key.colormap.color(t));
        }
        let stroke = ui.visuals().widgets.noninteractive.fg_stroke;
        ui.painter()
            .rect_stroke(bar, 0.0, stroke, egui::StrokeKind::Outside);
        let (lo, hi) = shown.range;
        let font = egui::TextStyle::Small.resolve(ui.style());
        for k in 0..=4 {
            let t = k as f32 / 4.0;
            let y = bar.max.y - t * bar.height();
            let v = lo + t * (hi - lo);
            ui.painter().line_segment(
                [Pos2::new(bar.max.x, y), Pos2::new(bar.max.x + 4.0, y)],
                stroke,
            );
            ui.painter().text(
                Pos2::new(bar.max.x + 6.0, y),
                egui::Align2::LEFT_CENTER,
                format_tick(v),
                font.clone(),
                stroke.color,
            );
        }
    }

    /// The settings row: order, colour map, range. `has_truth` is false for an imported
    /// matrix (no ground-truth labels to sort by).
    pub fn settings_ui(
        &mut self,
        ui: &mut egui::Ui,
        order: &mut MatrixOrder,
        has_recovered: bool,
        has_truth: bool,
    ) {
        ui.horizontal_wrapped(|ui| {
            let l = ui.label("Order").on_hover_text("How rows and columns of W are arranged on screen.");
            egui::ComboBox::from_id_salt("matrix-order")
                .selected_text(order.name())
                .show_ui(ui, |ui| {
                    for o in MatrixOrder::ALL {
                        let enabled = match o {
                            MatrixOrder::Stored => true,
                            MatrixOrder::Truth => has_truth,
                            MatrixOrder::Recovered => has_recovered,
                        };
                        let tip = match o {
                            MatrixOrder::Stored => "The hidden, scrambled order the search works on.",
                            MatrixOrder::Truth => "Sorted by kernel, rotation and position using the ground-truth labels.",
                            MatrixOrder::Recovered => "The selected search result's cycles laid out one after another.",
                        };
                        ui.add_enabled_ui(enabled, |ui| {
                            ui.selectable_value(order, o, o.name()).on_hover_text(tip);
                        });
                    }
                })
                .response
                .labelled_by(l.id);
            let l = ui.label("Colours").on_hover_text("Colour-blind-safe maps: viridis for weights ≥ 0, blue–white–red for signed weights.");
            egui::ComboBox::from_id_salt("matrix-colours")
                .selected_text(self.colormap.name())
                .show_ui(ui, |ui| {
                    for c in Colormap::ALL {
                        ui.selectable_value(&mut self.colormap, c, c.name());
                    }
                })
                .response
                .labelled_by(l.id);
            let mut fixed = matches!(self.range, RangeMode::Fixed(..));
            if ui
                .checkbox(&mut fixed, "Fixed range")
                .on_hover_text("Keep the colour scale fixed instead of following the data.")
                .changed()
            {
                self.range = if fixed {
                    let (lo, hi) = self.displayed.as_ref().map_or((0.0, 1.0), |d| d.range);
                    RangeMode::Fixed(lo, hi)
                } else {
                    RangeMode::Auto
                };
            }
            if let RangeMode::Fixed(lo, hi) = &mut self.range {
                let speed = ((*hi - *lo).abs() * 0.01).max(1e-6);
                ui.add(egui::DragValue::new(lo).speed(speed).prefix("min "))
                    .on_hover_text("Lower end of the colour scale.");
                ui.add(egui::DragValue::new(hi).speed(speed).prefix("max "))
                    .on_hover_text("Upper end of the colour scale.");
            }
            if ui
                .button("Reset zoom")
                .on_hover_text("Scroll over the matrix to zoom, drag to pan, double-click to reset.")
                .clicked()
            {
                self.reset_view();
            }
        });
    }
}

fn format_tick(v: f32) -> String {
    let a = v.abs();
    if a == 0.0 {
        "0".to_owned()
    } else if (0.01..1000.0).contains(&a) {
        format!("{v:.3}")
    } else {
        format!("{v:.2e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::perm::Permutation;
    use ndarray::{Array2, array};

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
    fn block_means_match_a_direct_average_in_any_order() {
        let n = 37;
        let w = Array2::from_shape_fn((n, n), |(i, j)| {
            ((i * 31 + j * 17) % 23) as f32 - 11.0 + if i == j { 1000.0 } else { 0.0 }
        });
        let mut poisoned = w.clone();
        poisoned[[5, 9]] = f32::NAN;
        poisoned[[2, 2]] = f32::INFINITY; // a diagonal cell: ignored
        let shuffled: Vec<usize> = (0..n).map(|a| (a * 10 + 3) % n).collect();
        for order in [(0..n).collect::<Vec<_>>(), shuffled] {
            for k in [1, 2, 4, 5] {
                for matrix in [&w, &poisoned] {
                    let (means, side, lo, hi) = block_means(matrix.view(), &order, k);
                    assert_eq!(side, n.div_ceil(k));
                    let off: Vec<f32> = (0..n)
                        .flat_map(|i| (0..n).map(move |j| (i, j)))
                        .filter(|(i, j)| i != j && matrix[[*i, *j]].is_finite())
                        .map(|(i, j)| matrix[[i, j]])
                        .collect();
                    assert_eq!(lo, off.iter().copied().fold(f32::INFINITY, f32::min));
                    assert_eq!(hi, off.iter().copied().fold(f32::NEG_INFINITY, f32::max));
                    for br in 0..side {
                        for bc in 0..side {
                            let cells: Vec<f32> = (br * k..((br + 1) * k).min(n))
                                .flat_map(|a| (bc * k..((bc + 1) * k).min(n)).map(move |b| (a, b)))
                                .filter(|(a, b)| a != b)
                                .map(|(a, b)| matrix[[order[a], order[b]]])
                                .collect();
                            let got = means[br * side + bc];
                            if cells.is_empty() || cells.iter().any(|v| !v.is_finite()) {
                                assert!(!got.is_finite(), "block ({br}, {bc}) k {k}: {got}");
                            } else {
                                let want = cells.iter().sum::<f32>() / cells.len() as f32;
                                assert!((got - want).abs() < 1e-4, "block ({br}, {bc}) k {k}");
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn symmetric_block_means_equal_the_full_computation() {
        let n = 41;
        let mut w = Array2::from_shape_fn((n, n), |(i, j)| {
            let (a, b) = (i.min(j), i.max(j));
            ((a * 13 + b * 7) % 19) as f32 - 9.0 + if i == j { 500.0 } else { 0.0 }
        });
        w[[3, 8]] = f32::NAN;
        w[[8, 3]] = f32::NAN;
        let shuffled: Vec<usize> = (0..n).map(|a| (a * 12 + 5) % n).collect();
        for order in [(0..n).collect::<Vec<_>>(), shuffled] {
            for k in [1, 2, 3, 4, 5] {
                let (full, side, lo, hi) = block_means(w.view(), &order, k);
                let (half, side_s, lo_s, hi_s) = block_means_symmetric(w.view(), &order, k);
                assert_eq!((side, lo, hi), (side_s, lo_s, hi_s), "k {k}");
                for (b, (x, y)) in full.iter().zip(&half).enumerate() {
                    let same = (x.is_nan() && y.is_nan()) || (x - y).abs() < 1e-4;
                    assert!(same, "k {k}, block {b}: {x} vs {y}");
                }
            }
        }
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
