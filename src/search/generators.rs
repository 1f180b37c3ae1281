//! Generator-first enumeration: find a few approximate generators instead of one
//! seeded growth per candidate image of the pivot.
//!
//! Level 0 fixes a pivot `b₀` and tries its candidate images `j₀` (nearest node
//! signature first; above 4,096 nodes nearest local profile, see
//! [`profile_candidates`]), skipping every `j₀` already in the orbit of `b₀` under the
//! generators accepted so far: once `⟨gens⟩` moves `b₀` to `j₀`, a growth towards
//! `j₀` could only find another element of a known coset. Level `l ≥ 1` does the
//! same in the stabiliser of `b₀ … b_{l−1}` (seeds `b_k → b_k`, candidates ranked by
//! how well their weights to the fixed base points match `b_l`'s), to reach
//! elements such as a circulant's reflections. A level ends when its candidates
//! run out or after a few consecutive failed growths, so the number of growths
//! grows with the number of generators, not with `n`.
//!
//! A growth is accepted as a generator when its error is below the acceptance
//! level and the enlarged group still consists of near-symmetries: a spurious
//! generator makes the group explode, and its random elements (Schreier–Sims gives
//! uniformly random elements) then have errors near the random-permutation level.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::candidates::{
    local_profiles, profile_candidates, relative_entry_noise, stabiliser_candidates,
};
use super::growth::{self, Attach, Growth};
use super::objective::Objective;
use super::progress::Ctx;
use super::quotient::{Quotient, Sense};
use super::seeded::{self, SeededSetup};
use crate::group::Bsgs;
use crate::perm::Permutation;

/// Pivots whose images level 0 tries (each outside the earlier pivots' orbits).
const PIVOTS: usize = 3;
/// Up to this size level 0 tries every candidate image of the first pivot outside the known orbit
/// (`n` growths of `O(n²)`): cheap there, and single-seed growth misses some.
pub(crate) const EXHAUSTIVE_MAX_N: usize = 512;
/// Consecutive failed growths that end level 0 (the first pivot's images).
const LEVEL0_FAILURES: usize = 8;
/// ... and level 0 of a later pivot above [`EXHAUSTIVE_MAX_N`] nodes. A later pivot only rescues a transformation the
/// first pivot's growths missed, which then shows up among its first few candidates
/// (ranked by node signature); on a complete group its every growth fails, and with
/// the full budget those failures cost about a fifth of a large search.
const LATER_PIVOT_FAILURES: usize = 4;
/// ... and a deeper level (a stabiliser's candidates).
const DEEPER_FAILURES: usize = 8;
/// Random elements of an enlarged group checked before a generator is accepted.
const CHECKED_RANDOM_ELEMENTS: usize = 8;
/// An approximate group larger than `2^40` elements (times the exact group's order)
/// is taken for a spurious generator's explosion: the chain is abandoned before it
/// gets expensive.
pub(crate) const MAX_ORDER_LOG2: f64 = 40.0;

/// How many base levels to search: stabilisers are cheap to reach on small graphs
/// and rarely hold anything the first two levels miss on large ones.
fn max_levels(n: usize) -> usize {
    match n {
        0..=64 => 4,
        65..=512 => 3,
        _ => 2,
    }
}

/// Seed of the randomised Schreier–Sims walks for chains of known order.
const CHAIN_SEED: u64 = 0x0c4a_1e5e;

/// Accepted generators, in the order they were found: first the exact group's (proved
/// automorphisms, error 0), then the approximate ones the enumeration accepted.
#[derive(Default)]
pub(crate) struct Generators {
    pub gens: Vec<Permutation>,
    /// `log2 |⟨gens⟩|` when known, so chains with a new base are built by randomised
    /// Schreier–Sims, proved by the order (fast where the group's base is long).
    pub order_log2: Option<f64>,
    /// `log2` of the exact group's order (0 without exact generators): the approximate
    /// group may be up to `2^MAX_ORDER_LOG2` times larger before it counts as exploded.
    pub exact_order_log2: f64,
    /// Generators `gens[..quotients_checked]` were looked at for a quotient
    /// ([`search_commuting`]) …
    quotients_checked: usize,
    /// … and this many quotients were searched.
    quotients_searched: usize,
}

impl Generators {
    /// The exact group's generators and order, as the start of the approximate group.
    pub fn exact(gens: Vec<Permutation>, order_log2: f64) -> Self {
        Self {
            gens,
            order_log2: Some(order_log2),
            exact_order_log2: order_log2,
            ..Self::default()
        }
    }

    /// The stabiliser chain of `⟨gens⟩` with `base` first.
    pub fn chain(&self, n: usize, base: &[usize]) -> Bsgs {
        if let Some(l) = self.order_log2
            && let Ok(Some(chain)) =
                Bsgs::try_from_generators_of_order(n, &self.gens, base, l, CHAIN_SEED)
        {
            return chain;
        }
        Bsgs::from_generators(n, &self.gens, base)
    }

    /// Largest `log2` order of an approximate group that is not taken for a spurious
    /// generator's explosion.
    pub fn max_order_log2(&self) -> f64 {
        MAX_ORDER_LOG2 + self.exact_order_log2
    }
}

/// Bytes of explicit coset representatives an enlarged group's chain may hold while it
/// is built: `9/16` of the dense matrix the search already holds (`4n²` bytes), room
/// for the `u16` rows of a transitive level (`2n²`: 512 MiB at 16,384 nodes, where
/// Schreier-tree walks were a fifth of a search) and the small levels below it.
fn rep_budget(n: usize) -> usize {
    n.saturating_mul(n).saturating_mul(9) / 4
}

/// The chain of `⟨gens, candidate⟩` with `base` first, if the candidate passes as a
/// generator: its square and its products with the current generators (cheap words
/// that a spurious candidate usually fails) and a few random elements of the
/// enlarged group all have (sampled) errors within `bound`, and the group is not
/// absurdly large. `None` otherwise.
#[allow(clippy::too_many_arguments)]
pub(crate) fn enlarged_group(
    obj: &Objective,
    gens: &[Permutation],
    candidate: &Permutation,
    base: &[usize],
    bound: f64,
    max_order_log2: f64,
    seed: u64,
) -> Option<Bsgs> {
    // Near-identities (more than half the nodes fixed) are the trap the fixed-point
    // penalty exists for: their error is small because they barely move anything.
    let within = |p: &Permutation| {
        p.is_identity() || {
            let e = super::sampled_error(obj, p);
            e <= bound && (e == 0.0 || 2 * p.fixed_points() <= obj.n)
        }
    };
    if !within(candidate) {
        return None;
    }
    if !within(&candidate.then(candidate))
        || !gens
            .iter()
            .all(|g| within(&candidate.then(g)) && within(&g.then(candidate)))
    {
        return None;
    }
    let mut all = gens.to_vec();
    all.push(candidate.clone());
    let chain = Bsgs::try_from_generators_bounded_within(
        obj.n,
        &all,
        base,
        max_order_log2,
        rep_budget(obj.n),
    )
    .ok()??;
    // Slightly wrong generators (a few nodes mis-mapped) generate the true group
    // extended by the permutations of those few nodes; Schreier–Sims exposes them as
    // strong generators deep in the chain that move almost nothing.
    if !chain.strong_generators().iter().all(within) {
        return None;
    }
    group_is_near_symmetric(obj, &chain, bound, seed).then_some(chain)
}

/// True if every one of a few seeded random elements of `⟨gens⟩` has a (sampled)
/// error within `bound`.
pub(crate) fn group_is_near_symmetric(
    obj: &Objective,
    chain: &Bsgs,
    bound: f64,
    seed: u64,
) -> bool {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x6e6e_7261);
    (0..CHECKED_RANDOM_ELEMENTS).all(|_| {
        let g = chain.random_element(&mut rng);
        g.is_identity() || {
            let e = super::sampled_error(obj, &g);
            e <= bound && (e == 0.0 || 2 * g.fixed_points() <= obj.n)
        }
    })
}

/// Orbit of `point` under the strong generators that fix every point of `fixed`.
fn stabiliser_orbit(chain: &Bsgs, fixed: &[usize], point: usize) -> Vec<bool> {
    let n = chain.degree();
    let gens: Vec<Permutation> = chain
        .strong_generators()
        .into_iter()
        .filter(|g| fixed.iter().all(|&b| g.image(b) == b))
        .collect();
    let mut seen = vec![false; n];
    seen[point] = true;
    let mut stack = vec![point];
    while let Some(x) = stack.pop() {
        for g in &gens {
            let y = g.image(x);
            if !seen[y] {
                seen[y] = true;
                stack.push(y);
            }
        }
    }
    seen
}

/// The next base point: the non-base node most strongly attached to the base. (Not
/// the most distinctive one: on an exact graph a node with a unique relation to the
/// base is fixed by the whole stabiliser, and its level would find nothing.)
fn next_base_point(obj: &Objective, base: &[usize]) -> Option<usize> {
    let mut best: Option<(f64, usize)> = None;
    for x in 0..obj.n {
        if base.contains(&x) {
            continue;
        }
        let a: f64 = base
            .iter()
            .map(|&b| (obj.w[b * obj.n + x].abs() + obj.w[x * obj.n + b].abs()) as f64)
            .sum();
        if best.is_none_or(|(s, _)| a > s) {
            best = Some((a, x));
        }
    }
    best.map(|b| b.1)
}

/// Nodes by decreasing strength (`Σ_j |W[i][j]| + |W[j][i]|`), ties by index.
fn pivot_order(obj: &Objective) -> Vec<usize> {
    let strength: Vec<f64> = (0..obj.n)
        .map(|u| {
            obj.row(u)
                .iter()
                .zip(obj.col(u))
                .map(|(&a, &b)| (a.abs() + b.abs()) as f64)
                .sum()
        })
        .collect();
    let mut order: Vec<usize> = (0..obj.n).collect();
    order.sort_by(|&a, &b| strength[b].total_cmp(&strength[a]).then(a.cmp(&b)));
    order
}

/// Adds `p` to the generators `found` (and `chain`, the chain of their group with
/// `base` first) if it passes as one: its error is within the acceptance level and
/// three times the best error found, it is not in the group already, and the enlarged
/// group still consists of near-symmetries ([`enlarged_group`]).
#[allow(clippy::too_many_arguments)]
fn accept_generator(
    obj: &Objective,
    setup: &SeededSetup,
    seed: u64,
    ctx: &mut Ctx,
    found: &mut Generators,
    chain: &mut Bsgs,
    base: &[usize],
    p: Vec<usize>,
) -> bool {
    let r = ctx.relative_error(obj, &p);
    let within = r
        <= setup
            .accept
            .min(setup.group_tolerance)
            .min(3.0 * ctx.found.best_error().unwrap_or(r) + 1e-9);
    let Some(g) = within.then(|| Permutation::from_images(p).ok()).flatten() else {
        return false;
    };
    if chain.contains(&g) {
        return false;
    }
    let max_log2 = found.max_order_log2();
    let Some(enlarged) = enlarged_group(obj, &found.gens, &g, base, setup.accept, max_log2, seed)
    else {
        return false;
    };
    found.gens.push(g);
    found.order_log2 = Some(enlarged.order().log2());
    *chain = enlarged;
    ctx.last_generator = Some(std::time::Instant::now());
    true
}

/// One level: `base[..level]` stay fixed and `base[level]` is sent to each candidate
/// not yet in its orbit under the stabiliser, until `max_failures` consecutive growths
/// fail. Accepted generators are added to `found`.
#[allow(clippy::too_many_arguments)]
fn search_level(
    obj: &Objective,
    setup: &SeededSetup,
    seed: u64,
    ctx: &mut Ctx,
    found: &mut Generators,
    base: &[usize],
    level: usize,
    candidates: &[usize],
    max_failures: usize,
    mode: Attach,
) {
    let n = obj.n;
    let (fixed, b) = (&base[..level], base[level]);
    let mut chain = found.chain(n, base);
    let mut orbit = stabiliser_orbit(&chain, fixed, b);
    // Consecutive failures are counted in growth steps (nodes mapped): a completed
    // growth that is not a generator costs `n`, an abandoned one what it mapped, so a
    // level can try many cheap wrong seeds but only `max_failures` growths' worth.
    let mut failed_steps = 0;
    let limit = max_failures * n;
    // The node to branch on after the seeds: the seeds' sources are the same for
    // every candidate image, so it is picked once.
    let mut sources = vec![false; n];
    base[..=level].iter().for_each(|&x| sources[x] = true);
    let first = growth::distinctive_node(obj, &base[..=level], &sources);
    for &j in candidates {
        if orbit[j] {
            continue;
        }
        let mut seeds: Vec<(usize, usize)> = fixed.iter().map(|&x| (x, x)).collect();
        seeds.push((b, j));
        let p = match seeded::run_one_permutation(obj, setup, &seeds, first, mode, ctx) {
            Growth::Grown(p) => p,
            Growth::Stopped => return,
            Growth::Abandoned { steps } => {
                failed_steps += steps.max(1);
                if failed_steps >= limit {
                    return;
                }
                continue;
            }
        };
        if accept_generator(obj, setup, seed, ctx, found, &mut chain, base, p) {
            if level == 0 && mode == Attach::Total {
                // At once, not after the level: from one translation of a torus the
                // quotient gives the rest of the group in seconds, after which most of
                // this level's candidates are in the pivot's orbit and skipped.
                let before = found.gens.len();
                search_commuting(obj, setup, seed, ctx, found);
                if found.gens.len() != before {
                    chain = found.chain(n, base);
                }
            }
            failed_steps = 0;
            orbit = stabiliser_orbit(&chain, fixed, b);
        } else {
            failed_steps += n;
            if failed_steps >= limit || ctx.should_stop() {
                return;
            }
        }
    }
}

/// Consecutive failed quotient growths that end the search for generators commuting
/// with one found generator ([`search_commuting`]).
const COMMUTING_FAILURES: usize = 8;
/// Found generators whose quotients are searched: the first ones whose cycles all have
/// one length (each quotient costs a pass over `W` to build).
const COMMUTING_GENERATORS: usize = 2;

/// Looks for generators that commute with the ones found (see [`super::quotient`]):
/// for each of the first [`COMMUTING_GENERATORS`] generators with a quotient (not
/// looked at before), grows
/// from the quotient's pivot cycle to each candidate cycle not yet in the pivot's
/// orbit, until [`COMMUTING_FAILURES`] consecutive growths fail to pass as generators.
/// Where a translation of a torus was found, this finds the other translation and the
/// mirrors, which node-level growth misses on `torus-large`.
fn search_commuting(
    obj: &Objective,
    setup: &SeededSetup,
    seed: u64,
    ctx: &mut Ctx,
    found: &mut Generators,
) {
    let n = obj.n;
    // A graph given exactly (a handful of distinct weights) whose exact automorphisms
    // are known: a new generator must be exact too (3 × the best error is 0), which is
    // the exact group's engine's work; the quotient is for noisy graphs.
    if setup.few_weights && ctx.found.best_error() == Some(0.0) {
        return;
    }
    while found.quotients_checked < found.gens.len()
        && found.quotients_searched < COMMUTING_GENERATORS
        && !ctx.should_stop()
    {
        let quotient = Quotient::new(obj, &found.gens[found.quotients_checked]);
        found.quotients_checked += 1;
        let Some(q) = quotient else { continue };
        found.quotients_searched += 1;
        let i0 = q.pivot();
        let base = [q.representative(i0)];
        let mut chain = found.chain(n, &base);
        let mut orbit = stabiliser_orbit(&chain, &[], base[0]);
        let mut failures = 0;
        for j0 in q.candidates(i0) {
            // The generator is in the group, so an orbit holds whole cycles.
            if orbit[q.representative(j0)] {
                continue;
            }
            let mut grown = false;
            for sense in [Sense::Along, Sense::Against] {
                // Both senses may give a new generator (a mirror and a half turn).
                if orbit[q.representative(j0)] {
                    break;
                }
                let Some(p) = q.grow(i0, j0, sense, &ctx.stop()) else {
                    ctx.should_stop();
                    return;
                };
                ctx.work.quotient_growths += 1;
                ctx.offer(obj, &p);
                if accept_generator(obj, setup, seed, ctx, found, &mut chain, &base, p) {
                    grown = true;
                    orbit = stabiliser_orbit(&chain, &[], base[0]);
                }
            }
            if grown {
                failures = 0;
            } else {
                failures += 1;
                if failures >= COMMUTING_FAILURES || ctx.should_stop() {
                    break;
                }
            }
        }
    }
}

/// Runs the levels, growing by `mode`, adding to the generators `found` (none on a
/// first pass); returns them. Every growth is also offered to `ctx` (so rejected
/// candidates still appear as non-symmetries in the results). With
/// [`Attach::Strongest`] (a second pass) level 0 never tries every image of the first
/// pivot: the pass is for graphs whose nodes all look alike, where almost every image
/// is some symmetry's, and images already in a known orbit are skipped as always.
pub(crate) fn enumerate(
    obj: &Objective,
    setup: &SeededSetup,
    seed: u64,
    mode: Attach,
    mut found: Generators,
    ctx: &mut Ctx,
) -> Generators {
    let n = obj.n;
    if n < 2 {
        return found;
    }
    let levels = max_levels(n);
    let mut base = vec![seeded::pivot(obj)];
    // Level 0 from a few pivots: growth from a single seed pair is fragile, and a
    // transformation missed from one pivot is often found from another. A pivot in
    // the orbit of an earlier one under the generators found so far adds nothing.
    let mut pivots: Vec<usize> = Vec::new();
    // Nodes in the orbit of an earlier pivot, recomputed only when generators were added.
    let mut covered = vec![false; n];
    let mut covered_gens = 0;
    // The second pass grows from the first pivot only (and its stabilisers): that
    // completes `ring-learned`'s group on every seed tried (1–11), and later pivots
    // would only add failed growths on the small presets whose groups the first pass
    // found.
    let max_pivots = if mode == Attach::Total { PIVOTS } else { 1 };
    // Every node's local profile, computed once for all pivots (large graphs only).
    let mut profiles: Option<Vec<Vec<f32>>> = None;
    for p in pivot_order(obj) {
        if pivots.len() >= max_pivots || ctx.should_stop() {
            break;
        }
        if covered_gens != found.gens.len() {
            covered_gens = found.gens.len();
            let chain = found.chain(n, &[]);
            covered.fill(false);
            for &q in &pivots {
                let orbit = stabiliser_orbit(&chain, &[], q);
                covered.iter_mut().zip(orbit).for_each(|(c, o)| *c |= o);
            }
        }
        if covered[p] {
            continue;
        }
        pivots.push(p);
        covered[p] = true;
        let candidates = if setup.nb.complete() {
            setup.sig.candidates(p, n)
        } else {
            let profiles = profiles.get_or_insert_with(|| local_profiles(obj, setup));
            profile_candidates(profiles, setup, p)
        };
        let exhaustive = n <= EXHAUSTIVE_MAX_N && mode == Attach::Total;
        let budget = match pivots.len() {
            1 if exhaustive => n,
            _ if n <= EXHAUSTIVE_MAX_N => LEVEL0_FAILURES,
            1 => LEVEL0_FAILURES,
            _ => LATER_PIVOT_FAILURES,
        };
        search_level(
            obj,
            setup,
            seed,
            ctx,
            &mut found,
            &[p],
            0,
            &candidates,
            budget,
            mode,
        );
    }
    if mode == Attach::Total {
        search_commuting(obj, setup, seed, ctx, &mut found);
    }
    for level in 1..levels {
        if ctx.should_stop() {
            break;
        }
        match next_base_point(obj, &base) {
            Some(x) => base.push(x),
            None => break,
        }
        // Small graphs try every candidate: growth is cheap there, and on exact graphs
        // with large stabilisers a growth from a mismatched seed is sometimes polished
        // into a new generator.
        let noise = (n > growth::ABANDON_MIN_N)
            .then(|| relative_entry_noise(obj, setup, &found.gens, base[level]))
            .flatten();
        let candidates = stabiliser_candidates(obj, setup, &base[..level], base[level], noise);
        ctx.report(level as f64 / levels as f64);
        search_level(
            obj,
            setup,
            seed,
            ctx,
            &mut found,
            &base,
            level,
            &candidates,
            DEEPER_FAILURES,
            mode,
        );
    }
    ctx.report(1.0);
    found
}
