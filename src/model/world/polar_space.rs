//! The log-polar retina's part of [`Space`]: the range of its radii, the names of its
//! transformations in degrees, and its approximate zoom as a partial pixel map.
//!
//! The exact group (sector shifts `Shift { k }`, reflection `θ ↦ −θ` as
//! `Reflect { quarter_turns: 0 }`, and their composites `Rigid { reflect, dx }`) is
//! handled by `space.rs` exactly like a ring of `sectors` pixels that every ring shares.
//! The zoom by `q^m` is written `Translate { dx: 0, dy: m }` (`m` rings outwards is
//! zooming *in*), and a zoom followed by a rotation `Translate { dx, dy }`; they are not
//! pixel permutations (rings fall off the rim), so `Space::pixel_permutation` refuses
//! them and [`approximate_map`] gives the partial map used to define their "true"
//! neuron permutation by best overlap, as for a random bank.

use crate::model::config::{ConfigError, Space, Transformation};
use crate::model::world::polar::PolarGrid;

/// Largest radius accepted (retina units; photo pixels at scale 1).
pub const MAX_RADIUS: f32 = 1.0e4;

/// Checks `0 < r_min < r_max ≤` [`MAX_RADIUS`], all finite.
pub fn validate_radii(r_min: f32, r_max: f32) -> Result<(), ConfigError> {
    if !(r_min.is_finite() && r_min > 0.0 && r_min <= MAX_RADIUS) {
        return Err(ConfigError::Invalid {
            field: "space.r_min",
            reason: format!("must be in (0, {MAX_RADIUS}], got {r_min}"),
        });
    }
    if !(r_max.is_finite() && r_max > r_min && r_max <= MAX_RADIUS) {
        return Err(ConfigError::Invalid {
            field: "space.r_max",
            reason: format!(
                "must be larger than r_min = {r_min} and at most {MAX_RADIUS}, got {r_max}"
            ),
        });
    }
    Ok(())
}

/// Degrees without trailing zeros: `7.5`, `15`, `-22.5`, `3.333`.
pub fn degrees_text(degrees: f64) -> String {
    if (degrees - degrees.round()).abs() < 1e-9 {
        format!("{}", degrees.round() as i64)
    } else {
        let text = format!("{degrees:.3}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// The angle of `k` sector steps, signed in `(−180°, 180°]`.
pub fn rotation_degrees(grid: &PolarGrid, k: i64) -> f64 {
    let s = grid.sectors.max(1) as i64;
    let mut m = k.rem_euclid(s);
    if m > s / 2 {
        m -= s;
    }
    m as f64 * grid.sector_degrees()
}

/// "rotate 7.5°", "reflect across 0°" (θ ↦ −θ), "zoom ×1.14 (approximate)", …
pub fn describe(grid: &PolarGrid, t: Transformation) -> String {
    let rotate = |k: i64| format!("rotate {}°", degrees_text(rotation_degrees(grid, k)));
    match t {
        Transformation::Identity => "identity".into(),
        Transformation::Shift { k } => rotate(k),
        Transformation::Reflect { .. }
        | Transformation::Rigid {
            reflect: true,
            dx: 0,
            ..
        } => "reflect across 0°".into(),
        Transformation::Rigid {
            reflect: true, dx, ..
        } => format!("reflect across 0°, then {}", rotate(dx)),
        Transformation::Rigid { dx, .. } => rotate(dx),
        Transformation::Translate { dx, dy } => {
            let zoom = format!(
                "zoom ×{} (approximate)",
                degrees_text(grid.ratio().powi(dy as i32))
            );
            match (dx.rem_euclid(grid.sectors.max(1) as i64), dy) {
                (0, _) => zoom,
                (_, 0) => rotate(dx),
                _ => format!("{zoom}, then {}", rotate(dx)),
            }
        }
        Transformation::Rotate { .. } => format!("{t} (not a polar transformation)"),
    }
}

/// The partial pixel map of an approximate polar transformation `Translate { dx, dy }`
/// (zoom by `q^dy`, then rotate by `dx` sectors): pixel `(k, j)` goes to
/// `(k + dy, j + dx mod sectors)`, or nowhere if that ring does not exist. `None` for
/// other spaces and other transformations.
pub fn approximate_map(space: Space, t: Transformation) -> Option<Vec<Option<usize>>> {
    let grid = PolarGrid::of(space)?;
    let Transformation::Translate { dx, dy } = t else {
        return None;
    };
    let (rings, sectors) = (grid.rings as i64, grid.sectors as i64);
    Some(
        (0..grid.pixels())
            .map(|p| {
                let (k, j) = ((p as i64) / sectors, (p as i64) % sectors);
                let k2 = k + dy;
                (0..rings)
                    .contains(&k2)
                    .then(|| (k2 * sectors + (j + dx).rem_euclid(sectors)) as usize)
            })
            .collect(),
    )
}

/// The approximate transformations the app and the CLI also score search results against:
/// the zoom in and out by one ring on the polar retina, nothing elsewhere.
pub fn approximate_transformations(space: Space) -> Vec<Transformation> {
    if space.is_polar() {
        vec![
            Transformation::Translate { dx: 0, dy: 1 },
            Transformation::Translate { dx: 0, dy: -1 },
        ]
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn polar() -> Space {
        Space::Polar {
            rings: 4,
            sectors: 48,
            r_min: 2.0,
            r_max: 16.0,
        }
    }

    #[test]
    fn names_are_in_degrees() {
        let grid = PolarGrid::of(polar()).unwrap();
        assert_eq!(
            describe(&grid, Transformation::Shift { k: 1 }),
            "rotate 7.5°"
        );
        assert_eq!(
            describe(&grid, Transformation::Shift { k: 47 }),
            "rotate -7.5°"
        );
        assert_eq!(
            describe(&grid, Transformation::Shift { k: 24 }),
            "rotate 180°"
        );
        assert_eq!(
            describe(&grid, Transformation::Translate { dx: 0, dy: 1 }),
            "zoom ×2 (approximate)"
        );
        assert_eq!(
            polar().describe(Transformation::Shift { k: 2 }),
            "rotate 15°"
        );
    }

    #[test]
    fn the_exact_group_is_the_dihedral_group_of_the_sectors() {
        let s = polar();
        assert_eq!(s.exact_transformations().len(), 2 * 48 - 1);
        let shift = s.pixel_permutation(Transformation::Shift { k: 1 }).unwrap();
        // Ring 2, sector 47 goes to ring 2, sector 0.
        assert_eq!(shift.image(2 * 48 + 47), 2 * 48);
        assert_eq!(s.identify(&shift), Some(Transformation::Shift { k: 1 }));
        let mirror = s
            .pixel_permutation(Transformation::Reflect { quarter_turns: 0 })
            .unwrap();
        assert_eq!(mirror.image(48 + 5), 48 + 43);
        assert!(
            s.pixel_permutation(Transformation::Translate { dx: 0, dy: 1 })
                .is_none()
        );
        assert!(
            s.pixel_permutation(Transformation::Rotate { quarter_turns: 1 })
                .is_none()
        );
    }

    #[test]
    fn the_zoom_moves_rings_outwards_and_loses_the_rim() {
        let map = approximate_map(polar(), Transformation::Translate { dx: 0, dy: 1 }).unwrap();
        assert_eq!(map[5], Some(48 + 5));
        assert_eq!(map[3 * 48 + 5], None);
        assert!(approximate_map(Space::Ring { n: 5 }, Transformation::Shift { k: 1 }).is_none());
    }

    #[test]
    fn radii_are_checked() {
        let bad = Space::Polar {
            rings: 4,
            sectors: 48,
            r_min: 3.0,
            r_max: 2.0,
        };
        assert!(bad.validate().is_err());
        let nan = Space::Polar {
            rings: 4,
            sectors: 48,
            r_min: f32::NAN,
            r_max: 2.0,
        };
        assert!(nan.validate().is_err());
        assert!(polar().validate().is_ok());
    }
}
