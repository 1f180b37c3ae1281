//! Geometry of the retina: pixel layout, size checks, and the exact transformations of
//! each space as pixel permutations (SPEC §2).
//!
//! **Pixel layout.** Pixel `(x, y)` has index `y · width + x`; on a ring `y = 0`.
//! `x` is the column, `y` the row, drawn with row 0 at the top.
//!
//! The group itself — how an element is named and where it sends a pixel — is
//! [`SpaceGroup`] (`space_group.rs`); the words for a transformation are in
//! `transformation_name.rs`. The methods of [`Space`] below that take a
//! [`Transformation`] hand their work to those two, so callers keep one entry point.

use super::space_group::SpaceGroup;
use crate::model::config::{ConfigError, Space, Transformation};
use crate::perm::Permutation;

/// Most pixels a retina may have (the detector bank is `M × pixels`).
pub const MAX_PIXELS: usize = 4096;

impl Space {
    /// Number of pixels (saturating: a side of 2³² is refused by [`Space::validate`],
    /// never wrapped around to a small number).
    pub fn pixels(&self) -> usize {
        let (w, h) = self.shape();
        w.saturating_mul(h)
    }

    /// `(width, height)`; the height is 1 on a ring.
    pub fn shape(&self) -> (usize, usize) {
        match *self {
            Space::Ring { n } | Space::Line { n } => (n, 1),
            Space::Torus { side } | Space::Square { side } => (side, side),
            Space::Polar { rings, sectors, .. } => (sectors, rings),
        }
    }

    /// Coordinates `(x, y)` of a pixel index (`pixel = y · width + x`).
    pub fn coords(&self, pixel: usize) -> (usize, usize) {
        let (w, _) = self.shape();
        if w == 0 {
            return (0, 0);
        }
        (pixel % w, pixel / w)
    }

    /// Index of the pixel at `(x, y)`.
    pub fn pixel(&self, x: usize, y: usize) -> usize {
        let (w, _) = self.shape();
        y * w + x
    }

    /// True for the two-dimensional spaces (torus, square, polar).
    pub fn is_2d(&self) -> bool {
        !matches!(self, Space::Ring { .. } | Space::Line { .. })
    }

    /// True for the spaces with periodic boundary in every direction (ring, torus); the
    /// polar retina is periodic in angle only and answers false.
    pub fn is_periodic(&self) -> bool {
        matches!(self, Space::Ring { .. } | Space::Torus { .. })
    }

    /// True for the open 1-D line (e.g. a log-frequency axis).
    pub fn is_line(&self) -> bool {
        matches!(self, Space::Line { .. })
    }

    /// What one position of this space is called on axes and in measures: "bin" on the
    /// open line (a log-frequency axis, whose positions are filter-bank bins), "pixel"
    /// everywhere else.
    pub fn position_unit(&self) -> &'static str {
        if self.is_line() { "bin" } else { "pixel" }
    }

    /// True for the log-polar retina.
    pub fn is_polar(&self) -> bool {
        matches!(self, Space::Polar { .. })
    }

    /// Side length (`n` on a ring, the number of sectors on the polar retina).
    pub fn side(&self) -> usize {
        self.shape().0
    }

    /// Checks the size: a ring needs at least 3 pixels, a 2-D space a side of at
    /// least 2, the polar retina 2 rings, 3 sectors and `0 < r_min < r_max ≤ 10⁴`; at
    /// most 4096 pixels in total (the detector bank is `M × pixels`).
    pub fn validate(&self) -> Result<(), ConfigError> {
        let (field, min, size) = match *self {
            Space::Ring { n } | Space::Line { n } => ("space.n", 3, n),
            Space::Torus { side } | Space::Square { side } => ("space.side", 2, side),
            Space::Polar {
                rings,
                sectors,
                r_min,
                r_max,
            } => {
                crate::model::world::polar_space::validate_radii(r_min, r_max)?;
                if rings < 2 || (sectors >= 3 && rings > sectors) {
                    ("space.rings", 2, rings)
                } else {
                    ("space.sectors", 3, sectors)
                }
            }
        };
        if size < min {
            return Err(ConfigError::Invalid {
                field,
                reason: format!("must be at least {min}, got {size}"),
            });
        }
        let (w, h) = self.shape();
        let pixels = w as u128 * h as u128;
        if pixels > MAX_PIXELS as u128 {
            return Err(ConfigError::Invalid {
                field,
                reason: format!(
                    "at most {MAX_PIXELS} pixels are supported, got {w} × {h} = {pixels} pixels"
                ),
            });
        }
        Ok(())
    }

    /// The space's exact transformation group, acting on its pixels.
    pub fn group(&self) -> SpaceGroup {
        SpaceGroup::of(*self)
    }

    /// Decomposes `t` into `(reflect, quarter_turns, dx, dy)` with translations reduced
    /// to `0..side`, or `None` if `t` is not an exact transformation of this space
    /// ([`SpaceGroup::parts`]).
    pub fn parts(&self, t: Transformation) -> Option<(bool, u8, i64, i64)> {
        self.group().parts(t)
    }

    /// The simplest name of the element `(reflect, quarter_turns, dx, dy)` of this space
    /// ([`SpaceGroup::transformation_from_parts`]).
    pub fn transformation_from_parts(
        &self,
        reflect: bool,
        quarter_turns: u8,
        dx: i64,
        dy: i64,
    ) -> Transformation {
        self.group()
            .transformation_from_parts(reflect, quarter_turns, dx, dy)
    }

    /// The simplest name of `t` on this space, or `None` if `t` is not exact here
    /// ([`SpaceGroup::canonical`]).
    pub fn canonical(&self, t: Transformation) -> Option<Transformation> {
        self.group().canonical(t)
    }

    /// Where pixel `pixel` goes under `t`, or `None` if `t` is not exact on this space.
    pub fn map_pixel(&self, t: Transformation, pixel: usize) -> Option<usize> {
        self.group().map_pixel(t, pixel)
    }

    /// `t` as a permutation of pixels (`π(i)` = where pixel `i` goes), or `None` if `t`
    /// is not an exact pixel permutation of this space ([`SpaceGroup::pixel_permutation`]).
    pub fn pixel_permutation(&self, t: Transformation) -> Option<Permutation> {
        self.group().pixel_permutation(t)
    }

    /// Every element of the space's exact group except the identity
    /// ([`SpaceGroup::exact_transformations`]).
    pub fn exact_transformations(&self) -> Vec<Transformation> {
        self.group().exact_transformations()
    }

    /// Moves a pattern by `t`: `(πv)[π(i)] = v[i]`. `None` if `t` is not exact on this
    /// space or the pattern has the wrong length.
    pub fn transform_pattern(&self, t: Transformation, pattern: &[f32]) -> Option<Vec<f32>> {
        self.group().transform_pattern(t, pattern)
    }

    /// `a` followed by `b`, named simply, or `None` if either is not exact on this space.
    pub fn compose(&self, a: Transformation, b: Transformation) -> Option<Transformation> {
        self.group().compose(a, b)
    }

    /// The named group element whose pixel permutation is `perm`, if there is one.
    pub fn identify(&self, perm: &Permutation) -> Option<Transformation> {
        self.group().identify(perm)
    }

    /// The inverse of `t` on this space, named simply.
    pub fn inverse(&self, t: Transformation) -> Option<Transformation> {
        self.group().inverse(t)
    }

    /// A short, space-aware name: like `Display`, but a ring's reflection followed by a
    /// shift reads "reflect, then shift +3". The app and the CLI both name
    /// transformations with this.
    pub fn describe(&self, t: Transformation) -> String {
        super::transformation_name::describe(*self, t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarter_turn_moves_top_right_corner_to_top_left() {
        let s = Space::Square { side: 4 };
        let t = Transformation::Rotate { quarter_turns: 1 };
        assert_eq!(s.map_pixel(t, s.pixel(3, 0)), Some(s.pixel(0, 0)));
        assert_eq!(s.map_pixel(t, s.pixel(0, 0)), Some(s.pixel(0, 3)));
    }
}
