//! How one step's Hebbian product is cut into output tiles: row strips for small upper
//! triangles, block rows with split diagonal blocks for large ones, square tiles for
//! the rest. Fixed by the sizes alone, never by the number of threads, so every weight
//! gets the same bits on any machine (see `super::hebb_kernel`).

/// Side of the square output tiles for `u` active columns ([`tiles`]), and height of
/// the block rows of large upper triangles ([`row_pieces`]; small ones are cut into
/// [`strips`]): fixed by the size alone (never by the number of threads). Small
/// products get small tiles so both cores have work. From 2,048 columns on, 512: each
/// operand is packed by `gemm` half as often as with 256, and a fused tile walks rows
/// of `W` 2 KiB long, which the hardware prefetches — what a shallow batch (`k = 64`,
/// where each weight gets only 64 multiply-adds per read and write) needs; measured
/// 10–15 % faster than 256 at M = 2,048 and 8,192.
pub fn tile_side(u: usize) -> usize {
    if u >= 2048 { 512 } else { 128 }
}

/// One output tile: rows `i0..i0 + h` of the left columns, columns `j0..j0 + w` of the
/// right ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Tile {
    pub i0: usize,
    pub h: usize,
    pub j0: usize,
    pub w: usize,
}

/// The tiles of one step's `nl × nr` product over a batch of `k` stimuli: row strips
/// ([`strips`]) for the upper triangle over fewer than [`STRIPS_BELOW`] detectors and a
/// batch of 3 to [`FUSED_MAX_BATCH`] stimuli, block rows ([`row_pieces`]) for the upper
/// triangle over more, square tiles ([`tiles`]) otherwise. Fixed by the sizes alone,
/// never by the number of threads.
///
/// Either way every weight gets the same bits: `gemm` sums each cell over the batch in
/// one pass in stimulus order (its depth blocks are never shorter than 512) and adds it
/// into `W` with one fused multiply-add, whatever the shape of the call around it —
/// except for calls with a single row or column, or a batch of at most 2, which `gemm`
/// hands to other routines that round differently. Strips have none of those (see
/// [`strips`]), and the batches of at most 2 keep the square tiles. (Batches of more
/// than [`FUSED_MAX_BATCH`] are never fused: each tile is summed aside in depth blocks
/// that `gemm` picks by the call's size, the same on any number of threads.)
pub(super) fn layout(nl: usize, nr: usize, k: usize, upper: bool) -> Vec<Tile> {
    if upper && nl == nr && nl < STRIPS_BELOW && (3..=FUSED_MAX_BATCH).contains(&k) {
        strips(nl)
    } else if upper && nl == nr && nl >= STRIPS_BELOW {
        row_pieces(nl, tile_side(nl))
    } else {
        tiles(nl, nr, tile_side(nl.max(nr)), upper)
    }
}

/// Widest piece of a block row in [`row_pieces`], in columns: three tiles of 512, so a
/// whole block row at M = 2,048. `gemm` copies ("packs") the block row's detectors once
/// per call and reuses them along its whole width, where square tiles packed them once
/// per tile; wider pieces would only enlarge the scratch tile of steps that cannot be
/// fused (3 MiB a thread at this width).
pub(super) const ROW_PIECE_COLUMNS: usize = 1536;

/// The upper triangle of an `n × n` product in block rows `t` high: each block row's
/// part right of its diagonal block as pieces up to [`ROW_PIECE_COLUMNS`] wide (one
/// `gemm` call each), and the diagonal blocks split in halves down to pieces narrower
/// than [`ROW_SPLIT_DIAGONAL_FROM`] (64 wide in blocks of 512), so fewer than `64·n`
/// cells below the diagonal are computed (`32·n`, 3 % of the triangle, at
/// `n` = 2,048). Largest first, so that the threads taking them in this order end
/// together on the small diagonal pieces.
///
/// Measured against square tiles of 512 with diagonal pieces of 128 (the layout of
/// these sizes until now), the kernel alone on a torus-translate batch (M = 2,048, all
/// detectors active), both cores, medians of 6 runs alternating in quiet minutes:
/// 159 → 171 useful GFLOP/s at B = 256, 133 → 151 at B = 64. In a one-core profile
/// at B = 256 `gemm`'s packing fell from 10.5 % to 8.4 % of the time, the cells
/// computed below the diagonal from 6.2 % to 3 %, and one core now computes its cells
/// about as fast as one 2,048 × 2,048 `gemm` call (about 95 GFLOP/s).
pub(super) fn row_pieces(n: usize, t: usize) -> Vec<Tile> {
    let mut out = Vec::new();
    for i0 in (0..n).step_by(t) {
        let h = t.min(n - i0);
        let mut j0 = i0 + h;
        while j0 < n {
            let mut w = ROW_PIECE_COLUMNS.min(n - j0);
            // No piece of a single column after this one (see `layout`).
            if n - j0 - w == 1 {
                w += 1;
            }
            out.push(Tile { i0, h, j0, w });
            j0 += w;
        }
        split_diagonal(
            Tile {
                i0,
                h,
                j0: i0,
                w: h,
            },
            ROW_SPLIT_DIAGONAL_FROM,
            &mut out,
        );
    }
    // A stable sort: pieces of equal area keep the order above.
    out.sort_by_key(|t| std::cmp::Reverse(t.h * t.w));
    out
}

/// Diagonal blocks at least this wide are split by [`row_pieces`]: its diagonal pieces
/// are narrower (64 wide in blocks of 512: half the waste of pieces of 128, which took
/// 2–3 % more time at M = 2,048; pieces of 32 saved no more).
pub(super) const ROW_SPLIT_DIAGONAL_FROM: usize = 128;

/// Upper triangles over fewer active detectors than this are cut into row strips
/// ([`strips`]); from here on block rows of 512 ([`row_pieces`]) are as fast and keep
/// their operands in the caches.
pub(super) const STRIPS_BELOW: usize = 2048;

/// Rows of `W` per strip: the triangle's waste (the part of each strip below the
/// diagonal) stays at `8·u` cells, a 256-wide product gives 16 pieces to share out, and
/// each call still fills `gemm`'s 6-column micro-kernel well. Measured on this machine
/// (one core, M = 256, B = 256): 176 µs a step against 190–235 µs for 12–64 rows, and
/// 240 µs for the square tiles of 128.
pub(super) const STRIP_ROWS: usize = 16;

/// Strips start on a column whose distance to the last one is a multiple of this: `gemm`
/// copies ("packs") its left operand — our detectors along a strip — on every call whose
/// length is not a multiple of its SIMD width (16 floats with AVX-512), which cost 25 %
/// at 250 active detectors.
pub(super) const STRIP_ALIGN: usize = 16;

/// The upper triangle of an `n × n` product as row strips: rows `i0..i0 + h`, from a
/// little before the diagonal (so the width is a multiple of [`STRIP_ALIGN`]; the cells
/// below the diagonal are stale) to the last column, one `gemm` call each, longest
/// first — taken in this order by the threads, the short ones even out the end.
///
/// No strip has a single row or column (whose `gemm` call would round differently, see
/// [`layout`]) — except that when `n` leaves one row over a multiple of 128, that row's
/// diagonal cell is a call of its own, as it was a 1 × 1 tile of [`tiles`] of 128 (the
/// layout of these sizes until now), so it keeps its bits.
pub(super) fn strips(n: usize) -> Vec<Tile> {
    let lone = n > 1 && n % 128 == 1;
    let body = if lone { n - 1 } else { n };
    let mut out = Vec::with_capacity(body / STRIP_ROWS + 2);
    let mut i0 = 0;
    while i0 < body {
        let mut h = STRIP_ROWS.min(body - i0);
        if body - i0 - h == 1 {
            h += 1;
        }
        let w = (n - i0).next_multiple_of(STRIP_ALIGN).min(n);
        out.push(Tile {
            i0,
            h,
            j0: n - w,
            w,
        });
        i0 += h;
    }
    if lone {
        out.push(Tile {
            i0: n - 1,
            h: 1,
            j0: n - 1,
            w: 1,
        });
    }
    out
}

/// The tiles of a `nl × nr` product in a fixed order (row of tiles by row of tiles); with
/// `upper` only those on or above the diagonal. A diagonal tile of side
/// [`SPLIT_DIAGONAL_FROM`] or more is cut into its two diagonal halves and the block
/// above them, recursively, so less of the product below the diagonal is computed.
pub(super) fn tiles(nl: usize, nr: usize, t: usize, upper: bool) -> Vec<Tile> {
    let mut out = Vec::new();
    for i0 in (0..nl).step_by(t) {
        let first = if upper { i0 } else { 0 };
        for j0 in (first..nr).step_by(t) {
            let tile = Tile {
                i0,
                h: t.min(nl - i0),
                j0,
                w: t.min(nr - j0),
            };
            if upper && i0 == j0 {
                push_diagonal(tile, &mut out);
            } else {
                out.push(tile);
            }
        }
    }
    out
}

/// Diagonal tiles at least this wide are split by [`tiles`].
pub(super) const SPLIT_DIAGONAL_FROM: usize = 256;

/// Pushes an upper diagonal tile (`i0 == j0`), split while it is wide (see [`tiles`]).
pub(super) fn push_diagonal(tile: Tile, out: &mut Vec<Tile>) {
    split_diagonal(tile, SPLIT_DIAGONAL_FROM, out);
}

/// Pushes an upper diagonal tile (`i0 == j0`): whole when it is narrower than `from`,
/// otherwise its two diagonal halves (split the same way) and the block above them.
fn split_diagonal(tile: Tile, from: usize, out: &mut Vec<Tile>) {
    let n = tile.h.min(tile.w);
    if n < from || tile.h != tile.w {
        out.push(tile);
        return;
    }
    let half = n / 2;
    let (i0, rest) = (tile.i0, n - half);
    split_diagonal(
        Tile {
            i0,
            h: half,
            j0: i0,
            w: half,
        },
        from,
        out,
    );
    out.push(Tile {
        i0,
        h: half,
        j0: i0 + half,
        w: rest,
    });
    split_diagonal(
        Tile {
            i0: i0 + half,
            h: rest,
            j0: i0 + half,
            w: rest,
        },
        from,
        out,
    );
}

/// Most stimuli a batch may have for `fused_tile`: up to 512 `gemm` sums the whole
/// batch in one pass (its depth blocks are never shorter), so `W ← fma(c, Σ, W)` is one
/// rounding, exactly what `add_tile` does with a tile computed aside.
pub(super) const FUSED_MAX_BATCH: usize = 512;
