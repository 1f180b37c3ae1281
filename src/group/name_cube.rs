//! The hyperoctahedral group `B_k = C_2 ≀ S_k` (the automorphism group of the
//! `k`-cube), named "hyperoctahedral B_k (order 2^k·k!)".
//!
//! Proof. `G` (of order `2^k k!`) is shown to act on `2k` sets — the cube's facets —
//! in pairs of complements, faithfully and with image of order `2^k k!`: the image
//! lies in the stabiliser of the pairing, `C_2 ≀ S_k`, which has that order, so
//! the action is an isomorphism onto it. How the facets are found does not matter
//! for the proof, only that the checks pass. They are found as in the cube: the
//! `k` coordinate flips are a conjugacy class of `k` commuting involutions
//! generating `C_2^k`; leaving flip `i` out, the others have two orbits on the
//! vertices, the facets `x_i = 0` and `x_i = 1`. The flip to vertex `w`, a neighbour
//! of `v` (an orbit of size `k` of the stabiliser `H = G_v`), lies in the coset
//! `H · u` of elements sending `v` to `w`, which is searched.

use super::Bsgs;
use super::relations::{commute_pairwise, small_class};
use crate::perm::Permutation;

/// Largest `k` tried (the coset searched has `k!` elements).
const MAX_K: u32 = 8;

/// "hyperoctahedral B_k (order 2^k·k!)" when proved (module docs).
pub(super) fn hyperoctahedral_name(g: &Bsgs, order: u64) -> Option<String> {
    let k = (3..=MAX_K).find(|&k| (1u64 << k) * (1..=k as u64).product::<u64>() == order)? as usize;
    let n = g.degree();
    let strong = g.strong_generators();
    let orbits = g.orbits();
    let omega = orbits.iter().find(|o| o.len() == 1 << k)?;
    let flips = coordinate_flips(g, &strong, omega, k)?;
    let facet_of = facets(n, &flips, omega)?;
    let images: Vec<Permutation> = strong
        .iter()
        .map(|s| facet_action(s, &facet_of, omega))
        .collect::<Option<_>>()?;
    let action = Bsgs::from_generators(2 * k, &images, &[]);
    (action.order().to_u64() == Some(order))
        .then(|| format!("hyperoctahedral B_{k} (order 2^{k}·{k}!)"))
}

/// An element sending `v` to `w` (a product of generators along a search tree).
fn element_sending(n: usize, gens: &[Permutation], v: usize, w: usize) -> Option<Permutation> {
    let mut reach: Vec<Option<Permutation>> = vec![None; n];
    reach[v] = Some(Permutation::identity(n));
    let mut queue = vec![v];
    let mut i = 0;
    while i < queue.len() {
        let x = queue[i];
        let ux = reach[x].clone()?;
        if x == w {
            return Some(ux);
        }
        for s in gens {
            let y = s.image(x);
            if reach[y].is_none() {
                reach[y] = Some(ux.then(s));
                queue.push(y);
            }
        }
        i += 1;
    }
    None
}

/// `k` commuting involutions forming a conjugacy class and generating `C_2^k`.
fn coordinate_flips(
    g: &Bsgs,
    strong: &[Permutation],
    omega: &[usize],
    k: usize,
) -> Option<Vec<Permutation>> {
    let n = g.degree();
    let v = omega[0];
    let chain_v = Bsgs::from_generators(n, strong, &[v]);
    let stab: Vec<Permutation> = chain_v
        .strong_generators()
        .into_iter()
        .filter(|s| s.image(v) == v)
        .collect();
    let h = Bsgs::from_generators(n, &stab, &[]);
    let neighbours = h
        .orbits()
        .into_iter()
        .find(|o| o.len() == k && omega.contains(&o[0]))?;
    let u = element_sending(n, strong, v, neighbours[0])?;
    h.elements().map(|x| x.then(&u)).find_map(|t| {
        if !t.then(&t).is_identity() {
            return None;
        }
        let class = small_class(&t, strong, k)?;
        let ok = class.len() == k
            && commute_pairwise(&class)
            && Bsgs::from_generators(n, &class, &[]).order().to_u64() == Some(1 << k);
        ok.then_some(class)
    })
}

/// Per flip `i`, the side (0 or 1) of each point of `omega` in the two orbits of
/// the other flips; `None` unless each split is into two halves and all `2k`
/// facets are distinct.
fn facets(n: usize, flips: &[Permutation], omega: &[usize]) -> Option<Vec<Vec<u8>>> {
    let k = flips.len();
    let mut out = Vec::with_capacity(k);
    for i in 0..k {
        let others: Vec<&Permutation> = flips
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .map(|(_, f)| f)
            .collect();
        let mut side = vec![u8::MAX; n];
        let mut sizes = [0usize; 2];
        for (label, start) in [(0u8, omega[0]), (1u8, usize::MAX)] {
            let start = if label == 0 {
                start
            } else {
                *omega.iter().find(|&&x| side[x] == u8::MAX)?
            };
            side[start] = label;
            let mut stack = vec![start];
            while let Some(x) = stack.pop() {
                sizes[label as usize] += 1;
                for f in &others {
                    let y = f.image(x);
                    if side[y] == u8::MAX {
                        side[y] = label;
                        stack.push(y);
                    }
                }
            }
        }
        if sizes != [omega.len() / 2, omega.len() / 2] {
            return None;
        }
        out.push(side);
    }
    // Distinct facets: no two flips give the same split.
    for i in 0..k {
        for j in i + 1..k {
            let same = omega.iter().all(|&x| out[i][x] == out[j][x]);
            let complementary = omega.iter().all(|&x| out[i][x] != out[j][x]);
            if same || complementary {
                return None;
            }
        }
    }
    Some(out)
}

/// The permutation of the `2k` facets (`2i + side`) induced by `s`, if `s` maps
/// each facet onto a facet and complementary pairs onto complementary pairs.
fn facet_action(s: &Permutation, facet_of: &[Vec<u8>], omega: &[usize]) -> Option<Permutation> {
    let k = facet_of.len();
    let mut images = vec![usize::MAX; 2 * k];
    for (i, fi) in facet_of.iter().enumerate() {
        for side in 0..2u8 {
            let members: Vec<usize> = omega.iter().copied().filter(|&x| fi[x] == side).collect();
            let y0 = s.image(members[0]);
            let (j, b) = (0..k)
                .map(|j| (j, facet_of[j][y0]))
                .find(|&(j, b)| members.iter().all(|&x| facet_of[j][s.image(x)] == b))?;
            images[2 * i + side as usize] = 2 * j + b as usize;
        }
        if images[2 * i] / 2 != images[2 * i + 1] / 2 {
            return None;
        }
    }
    Permutation::from_images(images).ok()
}
