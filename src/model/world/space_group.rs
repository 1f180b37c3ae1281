//! The exact group of a space (SPEC §2): its elements, their simplest names, and their
//! action on pixels.
//!
//! **Rotation.** One quarter turn maps `(x, y) ↦ (y, side − 1 − x)`: the top-right
//! corner goes to the top-left one, i.e. a counter-clockwise turn about the centre
//! `((side − 1)/2, (side − 1)/2)` as drawn with row 0 at the top.
//!
//! **Mirror.** `(x, y) ↦ (side − 1 − x, y)` (left–right); on a ring `x ↦ −x (mod n)`.
//!
//! **General element.** Every element is written `(reflect, quarter_turns, dx, dy)`:
//! mirror (if `reflect`), then the quarter turns, then the periodic translation
//! (ring and torus only). [`SpaceGroup::transformation_from_parts`] gives it its
//! simplest name ([`Transformation::Shift`], `Translate`, `Rotate`, `Reflect`, or
//! `Rigid`).
//!
//! Permutations follow `crate::perm`: a pixel permutation `π` maps pixel `i` to
//! `π(i)`, and moves a pattern by `(πv)[π(i)] = v[i]`.
//!
//! The pixel layout itself (index `y · width + x`) is the space's own, in
//! [`super::space`]; [`Space`]'s methods of the same names hand their work to this type.

use crate::model::config::{Space, Transformation};
use crate::perm::Permutation;

/// The four integers that name any group element: `(reflect, quarter_turns, dx, dy)`.
type Parts = (bool, u8, i64, i64);

/// The exact transformation group of one space, acting on its pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SpaceGroup {
    space: Space,
}

impl SpaceGroup {
    /// The group of `space`.
    pub fn of(space: Space) -> Self {
        Self { space }
    }

    /// Decomposes `t` into `(reflect, quarter_turns, dx, dy)` with translations reduced
    /// to `0..side`, or `None` if `t` is not an exact transformation of this space.
    pub fn parts(&self, t: Transformation) -> Option<(bool, u8, i64, i64)> {
        let raw: Parts = match t {
            Transformation::Identity => (false, 0, 0, 0),
            Transformation::Shift { k } => (false, 0, k, 0),
            Transformation::Translate { dx, dy } => (false, 0, dx, dy),
            Transformation::Rotate { quarter_turns } => (false, quarter_turns % 4, 0, 0),
            Transformation::Reflect { quarter_turns } => (true, quarter_turns % 4, 0, 0),
            Transformation::Rigid {
                reflect,
                quarter_turns,
                dx,
                dy,
            } => (reflect, quarter_turns % 4, dx, dy),
        };
        let (reflect, q, dx, dy) = raw;
        match self.space {
            Space::Ring { n } | Space::Polar { sectors: n, .. } => {
                let allowed = match t {
                    Transformation::Translate { .. } => false,
                    Transformation::Reflect { quarter_turns } => quarter_turns % 4 == 0,
                    _ => q == 0 && dy == 0,
                };
                allowed.then(|| (reflect, 0, modulo(dx, n), 0))
            }
            // Only shifts: a log-frequency axis has no mirror symmetry.
            Space::Line { n } => {
                let allowed = matches!(t, Transformation::Identity | Transformation::Shift { .. });
                allowed.then(|| (false, 0, modulo(dx, n), 0))
            }
            Space::Torus { side } => {
                let allowed = !matches!(t, Transformation::Shift { .. });
                allowed.then(|| (reflect, q, modulo(dx, side), modulo(dy, side)))
            }
            Space::Square { .. } => {
                let allowed = !matches!(t, Transformation::Shift { .. }) && dx == 0 && dy == 0;
                allowed.then_some((reflect, q, 0, 0))
            }
        }
    }

    /// The simplest name of the element `(reflect, quarter_turns, dx, dy)` of this space;
    /// translations are written in the signed range `(−side/2, side/2]`.
    pub fn transformation_from_parts(
        &self,
        reflect: bool,
        quarter_turns: u8,
        dx: i64,
        dy: i64,
    ) -> Transformation {
        let side = self.space.side();
        let q = quarter_turns % 4;
        let (dx, dy) = if self.space.is_polar() || self.space.is_line() {
            (signed(dx, side), 0)
        } else if self.space.is_periodic() {
            (signed(dx, side), signed(dy, side))
        } else {
            (0, 0)
        };
        match (self.space, reflect, q, dx, dy) {
            (_, false, 0, 0, 0) => Transformation::Identity,
            (Space::Ring { .. } | Space::Polar { .. } | Space::Line { .. }, false, _, k, _) => {
                Transformation::Shift { k }
            }
            (Space::Ring { .. } | Space::Polar { .. }, true, _, 0, _) => {
                Transformation::Reflect { quarter_turns: 0 }
            }
            (Space::Ring { .. } | Space::Polar { .. }, true, _, k, _) => Transformation::Rigid {
                reflect: true,
                quarter_turns: 0,
                dx: k,
                dy: 0,
            },
            (_, false, 0, dx, dy) => Transformation::Translate { dx, dy },
            (_, false, q, 0, 0) => Transformation::Rotate { quarter_turns: q },
            (_, true, q, 0, 0) => Transformation::Reflect { quarter_turns: q },
            (_, reflect, q, dx, dy) => Transformation::Rigid {
                reflect,
                quarter_turns: q,
                dx,
                dy,
            },
        }
    }

    /// The simplest name of `t` on this space (e.g. `Rigid` without translation becomes
    /// `Rotate`), or `None` if `t` is not an exact transformation of this space.
    pub fn canonical(&self, t: Transformation) -> Option<Transformation> {
        let (r, q, dx, dy) = self.parts(t)?;
        Some(self.transformation_from_parts(r, q, dx, dy))
    }

    /// Where pixel `(x, y)` goes under the element `parts` (already validated).
    fn map_coords(&self, (reflect, q, dx, dy): Parts, x: usize, y: usize) -> (usize, usize) {
        match self.space {
            Space::Ring { n } | Space::Polar { sectors: n, .. } => {
                let x0 = if reflect { (n - x) % n } else { x };
                ((x0 + dx as usize) % n, y)
            }
            // The cyclic shift: the translation, with the samples that leave one end
            // entering at the other (see `Space::Line`).
            Space::Line { n } => ((x + dx as usize) % n, y),
            Space::Torus { side } | Space::Square { side } => {
                let (mut x, mut y) = (x, y);
                if reflect {
                    x = side - 1 - x;
                }
                for _ in 0..q {
                    (x, y) = (y, side - 1 - x);
                }
                ((x + dx as usize) % side, (y + dy as usize) % side)
            }
        }
    }

    /// Where pixel `pixel` goes under `t`, or `None` if `t` is not exact on this space.
    pub fn map_pixel(&self, t: Transformation, pixel: usize) -> Option<usize> {
        let parts = self.parts(t)?;
        if pixel >= self.space.pixels() {
            return None;
        }
        let (x, y) = self.space.coords(pixel);
        let (x2, y2) = self.map_coords(parts, x, y);
        Some(self.space.pixel(x2, y2))
    }

    /// `t` as a permutation of pixels (`π(i)` = where pixel `i` goes), or `None` if `t`
    /// is not an exact pixel permutation of this space (a translation on the square,
    /// a shift on the torus, a quarter turn on the ring).
    pub fn pixel_permutation(&self, t: Transformation) -> Option<Permutation> {
        let parts = self.parts(t)?;
        let image = (0..self.space.pixels())
            .map(|p| {
                let (x, y) = self.space.coords(p);
                let (x2, y2) = self.map_coords(parts, x, y);
                self.space.pixel(x2, y2)
            })
            .collect();
        Permutation::from_images(image).ok()
    }

    /// Every element of the space's exact group except the identity:
    /// ring `n` (polar retina with `n` sectors): the `n − 1` shifts (rotations) and the
    /// `n` reflections;
    /// torus: all `side²` translations composed with the 8 elements of D4 (minus one);
    /// square: the 7 non-trivial elements of D4; line: none (its shifts are approximate).
    pub fn exact_transformations(&self) -> Vec<Transformation> {
        let mut out = Vec::new();
        match self.space {
            Space::Ring { n } | Space::Polar { sectors: n, .. } => {
                for reflect in [false, true] {
                    for k in 0..n as i64 {
                        out.push(self.transformation_from_parts(reflect, 0, k, 0));
                    }
                }
            }
            Space::Torus { side } => {
                for reflect in [false, true] {
                    for q in 0..4 {
                        for dy in 0..side as i64 {
                            for dx in 0..side as i64 {
                                out.push(self.transformation_from_parts(reflect, q, dx, dy));
                            }
                        }
                    }
                }
            }
            Space::Square { .. } => {
                for reflect in [false, true] {
                    for q in 0..4 {
                        out.push(self.transformation_from_parts(reflect, q, 0, 0));
                    }
                }
            }
            // No exact symmetry; the approximate shifts are scored by
            // `crate::model::detectors::line_space::ground_truth`.
            Space::Line { .. } => {}
        }
        out.retain(|t| *t != Transformation::Identity);
        out
    }

    /// Moves a pattern by `t`: `(πv)[π(i)] = v[i]`. `None` if `t` is not exact on this
    /// space or the pattern has the wrong length.
    pub fn transform_pattern(&self, t: Transformation, pattern: &[f32]) -> Option<Vec<f32>> {
        if pattern.len() != self.space.pixels() {
            return None;
        }
        let perm = self.pixel_permutation(t)?;
        Some(perm.apply_to_vector(pattern))
    }

    /// `a` followed by `b`, named simply, or `None` if either is not exact on this space.
    pub fn compose(&self, a: Transformation, b: Transformation) -> Option<Transformation> {
        let perm = self.pixel_permutation(a)?.then(&self.pixel_permutation(b)?);
        self.identify(&perm)
    }

    /// The named group element whose pixel permutation is `perm`, if there is one.
    pub fn identify(&self, perm: &Permutation) -> Option<Transformation> {
        if perm.len() != self.space.pixels() {
            return None;
        }
        for reflect in [false, true] {
            for q in 0..4u8 {
                if (!self.space.is_2d() || self.space.is_polar()) && q > 0 {
                    continue;
                }
                // The translation is whatever makes pixel 0 land where `perm` sends it.
                let (x0, y0) = self.map_coords((reflect, q, 0, 0), 0, 0);
                let (tx, ty) = self.space.coords(perm.image(0));
                let (dx, dy) = if self.space.is_polar() || self.space.is_line() {
                    (modulo(tx as i64 - x0 as i64, self.space.side()), 0)
                } else if self.space.is_periodic() {
                    (
                        modulo(tx as i64 - x0 as i64, self.space.side()),
                        modulo(ty as i64 - y0 as i64, self.space.side()),
                    )
                } else {
                    (0, 0)
                };
                let parts = (reflect, q, dx, dy);
                let matches = (0..self.space.pixels()).all(|p| {
                    let (x, y) = self.space.coords(p);
                    let (x2, y2) = self.map_coords(parts, x, y);
                    self.space.pixel(x2, y2) == perm.image(p)
                });
                if matches {
                    return Some(self.transformation_from_parts(reflect, q, dx, dy));
                }
            }
        }
        None
    }

    /// The inverse of `t` on this space, named simply.
    pub fn inverse(&self, t: Transformation) -> Option<Transformation> {
        let perm = self.pixel_permutation(t)?;
        self.identify(&perm.inverse())
    }
}

/// `k mod n` in `0..n`.
fn modulo(k: i64, n: usize) -> i64 {
    if n == 0 {
        return 0;
    }
    k.rem_euclid(n as i64)
}

/// `k mod n` in `(−n/2, n/2]`.
fn signed(k: i64, n: usize) -> i64 {
    let m = modulo(k, n);
    if m > n as i64 / 2 { m - n as i64 } else { m }
}
