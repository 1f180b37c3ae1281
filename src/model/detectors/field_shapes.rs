//! The distinct shapes of a bank's fields up to translation: a shared-kernel learned
//! bank of 2,048 fields holds 8 shapes, each at 256 positions, and the app's gallery
//! shows those 8 large before the 2,048 small ones. Display only.
//!
//! Each field is rolled (periodically) so that its strongest pixel sits in the middle of
//! the grid; copies of one kernel placed at different positions then become the same
//! vector, entry for entry, and are grouped by hashing their values on a 10⁻⁵ grid.
//! Fields that are only *nearly* translations of each other (a whole-retina learned
//! bank) count as different shapes, and so may copies of a kernel with two exactly equal
//! strongest pixels (the first in pixel order is taken, and that depends on the copy).

use std::collections::HashMap;

use ndarray::Array2;

use super::field_geometry::Grid;
use crate::model::config::Space;

/// One distinct shape.
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    /// Stored index of its first field.
    pub representative: usize,
    /// How many fields have this shape.
    pub copies: usize,
    /// The field rolled so that its strongest pixel is mid-grid (row-major, `pixels`).
    pub centred: Vec<f32>,
}

/// The field rolled so that its strongest pixel (the first, on ties) is at the grid's
/// middle `(width / 2, height / 2)`.
fn centred(grid: &Grid, field: &[f32]) -> Vec<f32> {
    let peak = field
        .iter()
        .enumerate()
        .fold(
            (0, 0.0f32),
            |a, (p, &v)| if v.abs() > a.1 { (p, v.abs()) } else { a },
        )
        .0;
    let (px, py) = grid.coords(peak);
    let (w, h) = (grid.width, grid.height);
    let (sx, sy) = ((w / 2 + w - px) % w, (h / 2 + h - py) % h.max(1));
    let mut out = vec![0.0f32; field.len()];
    for (p, &v) in field.iter().enumerate() {
        let (x, y) = grid.coords(p);
        out[((y + sy) % h.max(1)) * w + (x + sx) % w] = v;
    }
    out
}

/// The distinct shapes of `fields` (rows) in order of first appearance, or `None` when
/// there are more than `max_shapes` of them or the space is the polar retina (whose
/// pixel grid is not a translation-invariant picture).
pub fn distinct_shapes(
    space: Space,
    fields: &Array2<f32>,
    max_shapes: usize,
) -> Option<Vec<Shape>> {
    if space.is_polar() || fields.ncols() != space.pixels() {
        return None;
    }
    let grid = Grid::of(space);
    let mut index: HashMap<Vec<i32>, usize> = HashMap::new();
    let mut shapes: Vec<Shape> = Vec::new();
    for (i, row) in fields.outer_iter().enumerate() {
        let c = centred(&grid, &row.to_vec());
        let key: Vec<i32> = c.iter().map(|&v| (v * 1e5).round() as i32).collect();
        match index.get(&key) {
            Some(&k) => shapes[k].copies += 1,
            None => {
                if shapes.len() == max_shapes {
                    return None;
                }
                index.insert(key, shapes.len());
                shapes.push(Shape {
                    representative: i,
                    copies: 1,
                    centred: c,
                });
            }
        }
    }
    Some(shapes)
}

/// The smallest square around the non-zero pixels of a centred `side × side` image (a
/// shared kernel of 8 × 8 fills it instead of a quarter of the torus), and its side.
pub fn crop_to_support(image: &[f32], side: usize) -> (Vec<f32>, usize) {
    let nonzero = || {
        image
            .iter()
            .enumerate()
            .filter(|(_, v)| **v != 0.0)
            .map(|(p, _)| (p % side, p / side))
    };
    let (Some(x0), Some(x1)) = (nonzero().map(|c| c.0).min(), nonzero().map(|c| c.0).max()) else {
        return (image.to_vec(), side);
    };
    let (y0, y1) = (
        nonzero().map(|c| c.1).min().unwrap_or(0),
        nonzero().map(|c| c.1).max().unwrap_or(0),
    );
    let n = (x1 - x0).max(y1 - y0) + 1;
    // Anchored at the support's corner, kept inside the image.
    let (ox, oy) = (x0.min(side - n), y0.min(side - n));
    let mut out = Vec::with_capacity(n * n);
    for y in oy..oy + n {
        out.extend_from_slice(&image[y * side + ox..y * side + ox + n]);
    }
    (out, n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_of_a_kernel_at_every_position_are_one_shape() {
        let space = Space::Torus { side: 6 };
        let kernels = crate::model::detectors::learned_bank::initial_filters(9, 3, 1);
        let order = crate::model::detectors::learned_bank::shuffled(6 * 6 * 3, 1);
        let bank = crate::model::detectors::learned_conv::assemble(space, 3, &kernels, &order);
        let shapes = distinct_shapes(space, &bank.fields, 8).unwrap();
        assert_eq!(shapes.len(), 3);
        assert!(shapes.iter().all(|s| s.copies == 36));
        // Too many shapes: none reported.
        let random = crate::model::detectors::learned_bank::initial_filters(36, 20, 2);
        assert!(distinct_shapes(space, &random, 8).is_none());
        assert_eq!(distinct_shapes(space, &random, 20).unwrap().len(), 20);
    }

    #[test]
    fn crop_keeps_the_support_in_a_square() {
        // A 2 × 3 patch (x 3–4, y 2–4) in a 6 × 6 image: a 3 × 3 square from (3, 2).
        let side = 6;
        let mut image = vec![0.0f32; side * side];
        for (x, y, v) in [(3, 2, 1.0), (4, 4, -2.0), (3, 3, 0.5)] {
            image[y * side + x] = v;
        }
        let (out, n) = crop_to_support(&image, side);
        assert_eq!(n, 3);
        assert_eq!(out, vec![1.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, -2.0, 0.0]);
        assert_eq!(crop_to_support(&[0.0; 4], 2), (vec![0.0; 4], 2));
    }
}
