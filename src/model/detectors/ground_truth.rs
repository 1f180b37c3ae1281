//! The bank's ground truth: every exact transformation of the space the bank is closed
//! under, with the neuron permutation it induces — what a search is scored against.
//!
//! Matching every transformation directly would cost one hash pass per group element;
//! the group is `translations ⋊ point group`, so only the point-group elements and the
//! unit translations are matched and the rest are composed.

use std::collections::HashMap;

use ndarray::ArrayView2;

use super::field_match::FieldIndex;
use crate::model::config::{Space, Transformation};
use crate::perm::Permutation;

/// Every exact transformation of `space` (identity excluded) that the fields
/// (`M × pixels`, stored order) are closed under, with the induced neuron permutation.
pub(super) fn ground_truth(
    fields: ArrayView2<f32>,
    space: Space,
) -> Vec<(Transformation, Permutation)> {
    if space.pixels() != fields.ncols() {
        return Vec::new();
    }
    let index = FieldIndex::new(fields);
    let direct = |t: Transformation| {
        space
            .pixel_permutation(t)
            .and_then(|pp| index.match_permutation(&pp))
    };
    let m = fields.nrows();
    let quarter_turns: &[u8] = if space.is_2d() && !space.is_polar() {
        &[0, 1, 2, 3]
    } else {
        &[0]
    };
    let mut point: HashMap<(bool, u8), Option<Permutation>> = HashMap::new();
    for reflect in [false, true] {
        for &q in quarter_turns {
            let t = space.transformation_from_parts(reflect, q, 0, 0);
            let p = if t == Transformation::Identity {
                Some(Permutation::identity(m))
            } else {
                direct(t)
            };
            point.insert((reflect, q), p);
        }
    }
    let (unit_x, unit_y) = match space {
        Space::Ring { .. } | Space::Polar { .. } => (direct(Transformation::Shift { k: 1 }), None),
        Space::Torus { .. } => (
            direct(Transformation::Translate { dx: 1, dy: 0 }),
            direct(Transformation::Translate { dx: 0, dy: 1 }),
        ),
        Space::Square { .. } | Space::Line { .. } => (None, None),
    };
    let units_closed = match space {
        Space::Ring { .. } | Space::Polar { .. } => unit_x.is_some(),
        Space::Torus { .. } => unit_x.is_some() && unit_y.is_some(),
        Space::Square { .. } | Space::Line { .. } => false,
    };
    let mut translation_cache: HashMap<(i64, i64), Option<Permutation>> = HashMap::new();
    let mut out = Vec::new();
    for t in space.exact_transformations() {
        let Some((reflect, q, dx, dy)) = space.parts(t) else {
            continue;
        };
        let translation = translation_cache
            .entry((dx, dy))
            .or_insert_with(|| {
                if dx == 0 && dy == 0 {
                    Some(Permutation::identity(m))
                } else if units_closed {
                    let mut p = Permutation::identity(m);
                    if let Some(ux) = &unit_x {
                        p = p.then(&ux.pow(dx));
                    }
                    if let Some(uy) = &unit_y {
                        p = p.then(&uy.pow(dy));
                    }
                    Some(p)
                } else {
                    let tr = space.transformation_from_parts(false, 0, dx, dy);
                    direct(tr)
                }
            })
            .clone();
        // With its translation part in the bank's group, `t` is in it iff its point part
        // is; without it, nothing can be composed and `t` is matched directly.
        let found = match (point.get(&(reflect, q)).cloned().flatten(), translation) {
            (Some(p), Some(tr)) => Some(p.then(&tr)),
            (None, Some(_)) => None,
            (_, None) => direct(t),
        };
        if let Some(p) = found {
            out.push((t, p));
        }
    }
    out
}
