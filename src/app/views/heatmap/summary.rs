//! The heatmap of a matrix too large to copy for every picture (see
//! [`crate::session::worker::LARGE_NEURONS`]): the simulation publishes block means in the
//! heatmap's order and a window of exact cells ([`crate::model::learning::overview`]); this colours
//! them, and works out which window to ask for from the zoom.

use egui::Rect;
use std::ops::Range;

/// Zoomed in until at most this many cells a side are visible, the heatmap asks for
/// them exactly and draws them over the block means.
pub const DETAIL_SIDE: usize = 512;

/// The window of exact cells to ask for when `uv` (fractions of the matrix) is shown:
/// the visible rows and columns with a margin of a quarter on each side (so a small pan
/// still finds exact cells), or `None` while more than [`DETAIL_SIDE`] a side are
/// visible.
pub fn wanted_viewport(uv: Rect, n: usize) -> Option<(Range<usize>, Range<usize>)> {
    let cells = |lo: f32, hi: f32| -> Option<Range<usize>> {
        let (a, b) = ((lo * n as f32).floor(), (hi * n as f32).ceil());
        let visible = (b - a).max(1.0);
        if visible > DETAIL_SIDE as f32 {
            return None;
        }
        let margin = (visible / 4.0).ceil();
        let start = (a - margin).max(0.0) as usize;
        let end = ((b + margin) as usize).min(n);
        Some(start..end)
    };
    Some((cells(uv.min.y, uv.max.y)?, cells(uv.min.x, uv.max.x)?))
}

/// Where the cells `rows × cols` of an `n × n` matrix land on screen when the part `uv`
/// of the matrix fills `rect`.
pub fn detail_rect(
    rect: Rect,
    uv: Rect,
    n: usize,
    rows: &Range<usize>,
    cols: &Range<usize>,
) -> Rect {
    let n = n.max(1) as f32;
    let x = |c: usize| rect.min.x + (c as f32 / n - uv.min.x) / uv.width() * rect.width();
    let y = |r: usize| rect.min.y + (r as f32 / n - uv.min.y) / uv.height() * rect.height();
    Rect::from_min_max(
        egui::pos2(x(cols.start), y(rows.start)),
        egui::pos2(x(cols.end), y(rows.end)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::pos2;

    #[test]
    fn a_window_is_asked_for_only_when_zoomed_in() {
        let whole = Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0));
        assert_eq!(wanted_viewport(whole, 16_384), None);
        assert_eq!(wanted_viewport(whole, 400), Some((0..400, 0..400)));
        let zoomed = Rect::from_min_max(pos2(0.5, 0.25), pos2(0.5 + 0.01, 0.25 + 0.01));
        let (rows, cols) = wanted_viewport(zoomed, 16_384).unwrap();
        // 164 visible cells a side, plus a quarter on each side.
        assert!(rows.start < 4096 && rows.end > 4096 + 163, "{rows:?}");
        assert!(cols.start < 8192 && cols.end > 8192 + 163, "{cols:?}");
        assert!(rows.len() <= 2 * DETAIL_SIDE && cols.len() <= 2 * DETAIL_SIDE);
    }

    #[test]
    fn the_detail_lands_on_its_cells() {
        let rect = Rect::from_min_max(pos2(10.0, 20.0), pos2(110.0, 120.0));
        let uv = Rect::from_min_max(pos2(0.5, 0.0), pos2(1.0, 0.5));
        // Cells 50..60 of 100 in both directions: columns at the left edge of the view,
        // rows halfway down.
        let r = detail_rect(rect, uv, 100, &(50..60), &(50..60));
        assert!((r.min.x - 10.0).abs() < 1e-4 && (r.max.x - 30.0).abs() < 1e-4);
        assert!((r.min.y - 120.0).abs() < 1e-4);
    }
}
