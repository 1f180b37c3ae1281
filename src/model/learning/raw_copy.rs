//! A copy of the raw weight buffer taken at one moment and finished later: the
//! simulation thread only copies (one sequential pass, around the caches), and whoever
//! reads the snapshot scales and mirrors it, on its own thread.

use ndarray::{Array2, ArrayView2, s};

use super::mirror::mirror_upper;

/// The raw weights of a [`super::HebbianState`] copied at one moment, not yet scaled or
/// mirrored (see [`super::HebbianState::raw_copy_into`]).
#[derive(Clone, Debug)]
pub struct RawWeightsCopy {
    raw: Array2<f32>,
    scale: f64,
    lower_stale: bool,
    symmetric: bool,
}

impl RawWeightsCopy {
    /// Copies `w_raw` (`W = scale · w_raw`; only the upper triangle current when
    /// `lower_stale`) into `buffer`, reused when it already has the shape `M × M` in
    /// standard layout. While the lower triangle is stale only the upper one is copied.
    pub(super) fn take(
        w_raw: &Array2<f32>,
        scale: f64,
        lower_stale: bool,
        symmetric: bool,
        buffer: Option<Array2<f32>>,
    ) -> Self {
        let m = w_raw.nrows();
        let raw = match buffer {
            Some(mut b) if b.dim() == (m, m) && b.is_standard_layout() => {
                match (lower_stale, b.as_slice_mut(), w_raw.as_slice()) {
                    // The lower triangle is stale anyway: copy the upper one (diagonal
                    // included) only, half the traffic; materialising mirrors it.
                    (true, Some(dst), Some(src)) => {
                        for (i, (d, s)) in
                            dst.chunks_exact_mut(m).zip(src.chunks_exact(m)).enumerate()
                        {
                            copy_streaming(&mut d[i..], &s[i..]);
                        }
                        streaming_done();
                    }
                    _ => b.assign(w_raw),
                }
                b
            }
            _ => w_raw.clone(),
        };
        Self {
            raw,
            scale,
            lower_stale,
            symmetric,
        }
    }

    /// Finishes the copy in place into `W = scale · W_raw` with both triangles current —
    /// bit-identical to [`super::HebbianState::weights`] at the moment of the copy.
    pub fn materialise(mut self) -> Array2<f32> {
        let s = self.scale;
        let scale = |w: &mut f32| *w = scaled(*w, s);
        if self.lower_stale {
            // Only the upper triangle (diagonal included) was copied; scale it, then
            // mirror it over whatever the buffer held below.
            if s != 1.0 {
                for (i, mut row) in self.raw.rows_mut().into_iter().enumerate() {
                    row.slice_mut(s![i..]).iter_mut().for_each(scale);
                }
            }
            mirror_upper(&mut self.raw);
        } else if s != 1.0 {
            self.raw.iter_mut().for_each(scale);
        }
        self.raw
    }

    /// Whether the copy already is `W` (no scaling or mirroring pending).
    pub fn is_materialised(&self) -> bool {
        self.scale == 1.0 && !self.lower_stale
    }

    /// The copied buffer: `W = scale · raw`, where only the upper triangle (diagonal
    /// included) is meaningful when [`RawWeightsCopy::upper_only`].
    pub fn raw(&self) -> ArrayView2<'_, f32> {
        self.raw.view()
    }

    /// The lazy decay scale of the copy.
    pub fn scale(&self) -> f64 {
        self.scale
    }

    /// Only the upper triangle was copied (`W` is symmetric; the lower one is stale).
    pub fn upper_only(&self) -> bool {
        self.lower_stale
    }

    /// `W` is exactly symmetric (see [`super::HebbianState::is_symmetric`]).
    pub fn is_symmetric(&self) -> bool {
        self.symmetric
    }

    /// `w_ij`, bit-identical to the materialised matrix's entry.
    pub fn value(&self, i: usize, j: usize) -> f32 {
        let (i, j) = if self.lower_stale && i > j {
            (j, i)
        } else {
            (i, j)
        };
        scaled(self.raw[[i, j]], self.scale)
    }

    /// The buffer, for reuse by the next copy.
    pub fn into_buffer(self) -> Array2<f32> {
        self.raw
    }
}

/// One raw weight times the lazy decay scale, rounded as every materialised copy
/// rounds it (a scale of exactly 1 leaves the bits alone).
pub(super) fn scaled(w: f32, scale: f64) -> f32 {
    if scale == 1.0 {
        w
    } else {
        (f64::from(w) * scale) as f32
    }
}

/// Copies `src` into `dst` (equal lengths) with non-temporal stores where the CPU has
/// them: a snapshot's copy is read next by another thread, not by the simulation, so
/// writing it around the caches keeps the simulation's own working set (its 16 MB
/// weight matrix at M = 2048) cached and skips reading every destination line first.
/// Call [`streaming_done`] after the last one.
fn copy_streaming(dst: &mut [f32], src: &[f32]) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_loadu_ps, _mm_stream_ps};
        let n = dst.len().min(src.len());
        // Plain stores up to the first 16-byte boundary of the destination.
        let head = dst.as_ptr().align_offset(16).min(n);
        dst[..head].copy_from_slice(&src[..head]);
        let body = (n - head) / 4 * 4;
        for k in (head..head + body).step_by(4) {
            // SAFETY: SSE is part of x86_64. `k + 4 <= n` for both slices; the load is
            // unaligned-safe and the destination address is 16-byte aligned, since it
            // starts at the boundary `head` and advances by 16 bytes.
            unsafe {
                let v = _mm_loadu_ps(src.as_ptr().add(k));
                _mm_stream_ps(dst.as_mut_ptr().add(k), v);
            }
        }
        dst[head + body..n].copy_from_slice(&src[head + body..n]);
    }
    #[cfg(not(target_arch = "x86_64"))]
    dst.copy_from_slice(src);
}

/// Orders the non-temporal stores of [`copy_streaming`] before anything that follows
/// (the copy is then handed to another thread).
fn streaming_done() {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE is part of x86_64; a store fence has no other effect.
    unsafe {
        std::arch::x86_64::_mm_sfence();
    }
}
