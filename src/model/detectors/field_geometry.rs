//! Where a receptive field sits and how far its pixels are from that place, on any
//! space: the energy centroid (a circular mean along every periodic axis) and
//! minimum-image offsets from it. Shared by the learned banks' labels
//! (`super::learned_labels`) and the field measures (`super::field_measures`), so both
//! agree on what "the centre of a field" is.

use crate::model::config::Space;

/// The pixel grid of a space: its shape and which axes wrap around.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grid {
    /// Pixels along x (columns).
    pub width: usize,
    /// Pixels along y (rows); 1 on the 1-D spaces.
    pub height: usize,
    /// x wraps around (ring, torus, the polar retina's sectors).
    pub periodic_x: bool,
    /// y wraps around (torus).
    pub periodic_y: bool,
}

impl Grid {
    /// The grid of `space`.
    pub fn of(space: Space) -> Self {
        let (width, height) = space.shape();
        let (periodic_x, periodic_y) = match space {
            Space::Ring { .. } => (true, false),
            Space::Torus { .. } => (true, true),
            Space::Polar { .. } => (true, false),
            Space::Square { .. } | Space::Line { .. } => (false, false),
        };
        Self {
            width,
            height,
            periodic_x,
            periodic_y,
        }
    }

    /// Pixels in the grid.
    pub fn pixels(&self) -> usize {
        self.width * self.height
    }

    /// `(x, y)` of pixel `p` (row-major).
    pub fn coords(&self, p: usize) -> (usize, usize) {
        let w = self.width.max(1);
        (p % w, p / w)
    }

    /// The centroid of `weights` (one non-negative weight per pixel): `(x, y)` in pixel
    /// units, a circular mean along periodic axes (in `[0, width)`), the ordinary mean
    /// along open ones. `(0, 0)` when the weights sum to zero.
    pub fn centroid(&self, weights: &[f64]) -> (f64, f64) {
        let mut sums = AxisSums::default();
        let mut sums_y = AxisSums::default();
        for (p, &w) in weights.iter().enumerate().take(self.pixels()) {
            let (x, y) = self.coords(p);
            sums.add(x as f64, w, self.width);
            sums_y.add(y as f64, w, self.height);
        }
        (
            sums.centre(self.periodic_x, self.width),
            sums_y.centre(self.periodic_y, self.height),
        )
    }

    /// Signed offset `to − from` along x, the shortest way round on a periodic axis.
    pub fn dx(&self, from: f64, to: f64) -> f64 {
        wrapped(to - from, self.periodic_x, self.width)
    }

    /// Signed offset `to − from` along y, the shortest way round on a periodic axis.
    pub fn dy(&self, from: f64, to: f64) -> f64 {
        wrapped(to - from, self.periodic_y, self.height)
    }

    /// The pixel nearest to a point, wrapping on periodic axes and clamping on open ones.
    pub fn nearest_pixel(&self, (x, y): (f64, f64)) -> usize {
        let snap = |v: f64, n: usize, periodic: bool| -> usize {
            let r = v.round();
            if periodic {
                r.rem_euclid(n as f64) as usize % n.max(1)
            } else {
                r.clamp(0.0, n.saturating_sub(1) as f64) as usize
            }
        };
        snap(y, self.height, self.periodic_y) * self.width + snap(x, self.width, self.periodic_x)
    }
}

/// Running sums for a centroid along one axis (linear and circular).
#[derive(Default)]
struct AxisSums {
    total: f64,
    linear: f64,
    sin: f64,
    cos: f64,
}

impl AxisSums {
    fn add(&mut self, x: f64, w: f64, n: usize) {
        let a = std::f64::consts::TAU * x / n.max(1) as f64;
        self.total += w;
        self.linear += w * x;
        self.sin += w * a.sin();
        self.cos += w * a.cos();
    }

    fn centre(&self, periodic: bool, n: usize) -> f64 {
        if self.total <= 0.0 {
            0.0
        } else if periodic {
            (self.sin.atan2(self.cos) / std::f64::consts::TAU * n as f64).rem_euclid(n as f64)
        } else {
            self.linear / self.total
        }
    }
}

fn wrapped(d: f64, periodic: bool, n: usize) -> f64 {
    if periodic && n > 0 {
        let n = n as f64;
        (d + n / 2.0).rem_euclid(n) - n / 2.0
    } else {
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn centroids_wrap_on_the_torus_and_not_on_the_square() {
        let torus = Grid::of(Space::Torus { side: 8 });
        // Equal weight on columns 7 and 0 of row 3: centre at the seam, x = 7.5.
        let mut w = vec![0.0; 64];
        w[3 * 8 + 7] = 1.0;
        w[3 * 8] = 1.0;
        let (x, y) = torus.centroid(&w);
        assert!((x - 7.5).abs() < 1e-9 && (y - 3.0).abs() < 1e-9, "{x} {y}");
        assert!((torus.dx(7.5, 0.0) - 0.5).abs() < 1e-12);
        assert_eq!(torus.nearest_pixel((7.6, 3.0)), 3 * 8);
        let square = Grid::of(Space::Square { side: 8 });
        let (x, _) = square.centroid(&w);
        assert!((x - 3.5).abs() < 1e-9);
        assert!((square.dx(7.5, 0.0) + 7.5).abs() < 1e-12);
        assert_eq!(square.nearest_pixel((9.0, -2.0)), 7);
    }
}
