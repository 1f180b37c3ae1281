//! The ground truth of a learned bank (scoring only, never the search): a learned bank is
//! closed under a transformation only approximately (its closure defect), so each exact
//! symmetry of the space counts by its **best-overlap** neuron permutation — each neuron
//! paired with the one whose field overlaps most with its moved field
//! ([`Bank::best_neuron_permutation`]) — unless the bank happens to be closed under it
//! exactly (a shared-kernel bank under the translations).
//!
//! On the ring and the square every element is matched directly (128 and 7 of them).
//! The torus's group has `8 · side²` elements, and a best-overlap match costs an
//! `M × M × pixels` product, so there only the generators are matched — both unit
//! translations and the seven non-trivial point-group elements — and every other
//! element is composed from them as `translations ⋊ D4` (as [`Bank::ground_truth`] does
//! for exact matches): `(point, dx, dy) = point · x^dx · y^dy`. The two unit
//! translations, the transformations the torus presets track, are therefore exactly
//! their own best-overlap permutations.

use std::collections::HashMap;

use crate::model::config::{Space, Transformation};
use crate::model::detectors::Bank;
use crate::perm::Permutation;

/// Every non-identity exact symmetry of `space` with its neuron permutation of `bank`:
/// `exact` (what the bank is closed under exactly) first, then the best-overlap
/// permutations of the rest.
pub fn best_overlap_truths(
    space: Space,
    bank: &Bank,
    exact: Vec<(Transformation, Permutation)>,
) -> Vec<(Transformation, Permutation)> {
    let known: HashMap<Transformation, Permutation> = exact.iter().cloned().collect();
    let best = |t: Transformation| -> Option<Permutation> {
        if let Some(p) = known.get(&t) {
            return Some(p.clone());
        }
        space
            .pixel_permutation(t)
            .and_then(|pp| bank.best_neuron_permutation(&pp))
    };
    let mut out = exact;
    let missing: Vec<Transformation> = space
        .exact_transformations()
        .into_iter()
        .filter(|t| !known.contains_key(t))
        .collect();
    let Space::Torus { .. } = space else {
        out.extend(missing.into_iter().filter_map(|t| best(t).map(|p| (t, p))));
        return out;
    };
    let m = bank.len();
    let (Some(unit_x), Some(unit_y)) = (
        best(Transformation::Translate { dx: 1, dy: 0 }),
        best(Transformation::Translate { dx: 0, dy: 1 }),
    ) else {
        return out;
    };
    let mut point: HashMap<(bool, u8), Option<Permutation>> = HashMap::new();
    let mut translations: HashMap<(i64, i64), Permutation> = HashMap::new();
    for t in missing {
        let Some((reflect, q, dx, dy)) = space.parts(t) else {
            continue;
        };
        let p = point
            .entry((reflect, q))
            .or_insert_with(|| {
                if !reflect && q == 0 {
                    Some(Permutation::identity(m))
                } else {
                    best(space.transformation_from_parts(reflect, q, 0, 0))
                }
            })
            .clone();
        let tr = translations
            .entry((dx, dy))
            .or_insert_with(|| match (dx, dy) {
                (1, 0) => unit_x.clone(),
                (0, 1) => unit_y.clone(),
                _ => unit_x.pow(dx).then(&unit_y.pow(dy)),
            })
            .clone();
        if let Some(p) = p {
            out.push((t, p.then(&tr)));
        }
    }
    out
}
