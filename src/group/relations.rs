//! Relations between permutations the group names are proved with: commuting
//! generators, conjugation and small conjugacy classes.

use crate::perm::Permutation;

/// True if every two of `gens` commute (so they generate an abelian group).
pub fn commute_pairwise(gens: &[Permutation]) -> bool {
    gens.iter().enumerate().all(|(i, a)| {
        gens[i + 1..]
            .iter()
            .all(|b| (0..a.len()).all(|x| b.image(a.image(x)) == a.image(b.image(x))))
    })
}

/// `g⁻¹ x g` (conjugation; relations below hold for either side when checked
/// consistently).
pub fn conj(x: &Permutation, g: &Permutation) -> Permutation {
    g.inverse().then(x).then(g)
}

/// The conjugacy class of `t` (closure under conjugation by `gens`), unless it
/// has more than `cap` elements.
pub fn small_class(t: &Permutation, gens: &[Permutation], cap: usize) -> Option<Vec<Permutation>> {
    let mut class = vec![t.clone()];
    let mut i = 0;
    while i < class.len() {
        for s in gens {
            let y = conj(&class[i], s);
            if !class.contains(&y) {
                if class.len() == cap {
                    return None;
                }
                class.push(y);
            }
        }
        i += 1;
    }
    Some(class)
}
