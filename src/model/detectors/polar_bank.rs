//! The tiled detector bank of the log-polar retina (SPEC §4).
//!
//! A base kernel is a `size × size` patch on the (ring, sector) grid (columns are
//! sectors, rows rings). It is copied to *every* sector anchor, wrapping around the
//! circle, and to ring anchors `0, stride, 2·stride, …` (as long as the patch fits inside
//! the rings), once as it is and once mirrored across the sector axis. Every sector
//! shift then maps a copy onto a copy, and so does the reflection `θ ↦ −θ` (which sends
//! the copy at sector anchor `a` to the mirrored copy at `−(a + size − 1)`), so the bank
//! is closed under the retina's whole exact group `D_sectors`. The zoom moves ring
//! anchors by one ring; with stride 1 the bank is closed under it except at the rim.
//!
//! Labels: centre `(sector, ring)` of the patch (sector modulo `sectors`), anchor pixel,
//! base kernel, and `rotation` = 1 for the mirrored copy.

use crate::model::config::{ConfigError, NeuronLabel, Space};
use crate::model::detectors::kernels::mirror_patch;
use crate::model::world::polar::PolarGrid;

/// Ring anchors (first ring of the patch) for kernels of `size` rings.
pub fn ring_anchors(rings: usize, size: usize, stride: usize) -> Vec<usize> {
    if size > rings || stride == 0 {
        return Vec::new();
    }
    (0..=rings - size).step_by(stride).collect()
}

/// Number of detectors of a tiled polar bank.
pub fn tiled_count(grid: &PolarGrid, kernels: usize, size: usize, stride: usize) -> usize {
    ring_anchors(grid.rings, size, stride)
        .len()
        .saturating_mul(grid.sectors)
        .saturating_mul(kernels)
        .saturating_mul(2)
}

/// Checks a tiled bank's numbers against a polar retina.
pub fn validate_tiled(
    space: Space,
    kernels: usize,
    size: usize,
    stride: usize,
    max_neurons: usize,
) -> Result<(), ConfigError> {
    let Some(grid) = PolarGrid::of(space) else {
        return Err(ConfigError::invalid("space", "not a polar retina".into()));
    };
    if kernels == 0 {
        return Err(ConfigError::invalid(
            "bank.kernels",
            "must be at least 1".into(),
        ));
    }
    let limit = grid.rings.min(grid.sectors);
    if size < 2 || size > limit {
        return Err(ConfigError::invalid(
            "bank.size",
            format!("must be in 2..={limit} (rings and sectors) for this retina, got {size}"),
        ));
    }
    if stride == 0 || stride > grid.rings {
        return Err(ConfigError::invalid(
            "bank.stride",
            format!(
                "is the distance between ring anchors and must be in 1..={}, got {stride}",
                grid.rings
            ),
        ));
    }
    let m = tiled_count(&grid, kernels, size, stride);
    if m > max_neurons {
        return Err(ConfigError::invalid(
            "bank.kernels",
            format!(
                "the bank would have {m} detectors (sectors × ring anchors × kernels × 2 \
                 mirror copies); at most {max_neurons} are supported"
            ),
        ));
    }
    Ok(())
}

/// The detectors of a tiled polar bank in label order: ring anchor, sector anchor,
/// kernel, mirror. Each is `(field over the retina's pixels, label)`.
pub fn tiled(
    grid: &PolarGrid,
    bases: &[Vec<f32>],
    size: usize,
    stride: usize,
) -> Vec<(Vec<f32>, NeuronLabel)> {
    let (rings, sectors) = (grid.rings, grid.sectors);
    let half = (size as f32 - 1.0) / 2.0;
    let mirrored: Vec<Vec<f32>> = bases.iter().map(|b| mirror_patch(b, size)).collect();
    let mut out = Vec::new();
    for ay in ring_anchors(rings, size, stride) {
        for ax in 0..sectors {
            for (c, (base, mirror)) in bases.iter().zip(&mirrored).enumerate() {
                for (r, patch) in [base, mirror].into_iter().enumerate() {
                    let mut field = vec![0.0f32; rings * sectors];
                    for dy in 0..size {
                        for dx in 0..size {
                            field[(ay + dy) * sectors + (ax + dx) % sectors] =
                                patch[dy * size + dx];
                        }
                    }
                    let label = NeuronLabel {
                        centre: (
                            (ax as f32 + half).rem_euclid(sectors as f32),
                            ay as f32 + half,
                        ),
                        position: ay * sectors + ax,
                        kernel: Some(c),
                        rotation: r as u8,
                    };
                    out.push((field, label));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_fit_inside_the_rings() {
        assert_eq!(ring_anchors(10, 4, 2), vec![0, 2, 4, 6]);
        assert_eq!(ring_anchors(10, 4, 3), vec![0, 3, 6]);
        assert!(ring_anchors(3, 4, 1).is_empty());
        let grid = PolarGrid {
            rings: 10,
            sectors: 48,
            r_min: 1.0,
            r_max: 10.0,
        };
        assert_eq!(tiled_count(&grid, 2, 4, 2), 4 * 48 * 2 * 2);
    }
}
