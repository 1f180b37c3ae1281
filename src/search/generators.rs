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

use super::growth::{self, Attach, Growth};
use super::objective::Objective;
use super::progress::Ctx;
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
}

impl Generators {
    /// The exact group's generators and order, as the start of the approximate group.
    pub fn exact(gens: Vec<Permutation>, order_log2: f64) -> Self {
        Self {
            gens,
            order_log2: Some(order_log2),
            exact_order_log2: order_log2,
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

/// How far a candidate image's weights to the fixed points may differ from `b`'s, in
/// multiples of what the generators found so far change of weights that size
/// ([`relative_entry_noise`]). On `torus-translate` the missing reflections change
/// the compared weight 19 times more than the translations change the strongest
/// weights on average (they are the worse symmetries, and the compared weight is a
/// single one), so the margin is generous; images whose weights to the base are
/// plainly different (on a noisy circulant, hundreds) are still not grown at all.
const BASE_MISMATCH_FACTOR: f64 = 64.0;
/// Strongest weights of a node on which [`relative_entry_noise`] is measured.
const NOISE_ENTRIES: usize = 32;

/// `Σ (W[g b][g m] − W[b][m])² / Σ W[b][m]²` over the generators `g` and `b`'s
/// strongest weights `m` (rows and columns): the relative change a near-symmetry
/// makes to weights around `b`. `None` without generators.
fn relative_entry_noise(
    obj: &Objective,
    setup: &SeededSetup,
    gens: &[Permutation],
    b: usize,
) -> Option<f64> {
    if gens.is_empty() {
        return None;
    }
    let n = obj.n;
    let strongest: Vec<usize> = setup
        .nb
        .of(b)
        .iter()
        .map(|&m| m as usize)
        .filter(|&m| m != b)
        .take(NOISE_ENTRIES)
        .collect();
    let (mut change, mut size) = (0.0f64, 0.0f64);
    for g in gens {
        let gb = g.image(b);
        for &m in &strongest {
            let gm = g.image(m);
            let (x, y) = (obj.w[b * n + m] as f64, obj.w[m * n + b] as f64);
            let d1 = obj.w[gb * n + gm] as f64 - x;
            let d2 = obj.w[gm * n + gb] as f64 - y;
            change += d1 * d1 + d2 * d2;
            size += x * x + y * y;
        }
    }
    (size > 0.0).then(|| change / size)
}

/// Candidate images of `b` with `base` fixed, best first: by how well their weights
/// to the fixed points match `b`'s; node signatures break ties. With a relative
/// change estimate `noise` ([`relative_entry_noise`]), images whose mismatch exceeds
/// `BASE_MISMATCH_FACTOR` times what that change explains are left out.
fn stabiliser_candidates(
    obj: &Objective,
    setup: &SeededSetup,
    base: &[usize],
    b: usize,
    noise: Option<f64>,
) -> Vec<usize> {
    let n = obj.n;
    let scale2 = (obj.norm2 / (n * n) as f64).max(1e-300);
    // The size of b's weights to the base, floored at the typical weight so that a
    // node barely attached to the base is not held to a zero tolerance.
    let size: f64 = base
        .iter()
        .map(|&k| {
            let (x, y) = (obj.w[k * n + b] as f64, obj.w[b * n + k] as f64);
            x * x + y * y + 2.0 * scale2
        })
        .sum();
    let cutoff = noise.map_or(f64::INFINITY, |e| BASE_MISMATCH_FACTOR * e * size);
    let c: Vec<(f64, f64, usize)> = (0..n)
        .filter(|&j| j != b && !base.contains(&j))
        .filter_map(|j| {
            let mismatch: f64 = base
                .iter()
                .map(|&k| {
                    let d1 = (obj.w[k * n + j] - obj.w[k * n + b]) as f64;
                    let d2 = (obj.w[j * n + k] - obj.w[b * n + k]) as f64;
                    d1 * d1 + d2 * d2
                })
                .sum::<f64>();
            (mismatch <= cutoff).then(|| (mismatch, setup.sig.dist2(b, j), j))
        })
        .collect();
    // The weights to the fixed points are a hard constraint; node signatures only
    // break ties (on a graph whose nodes all look alike, such as a circulant, their
    // noise would otherwise bury the right image among hundreds).
    ranked(c)
}

/// The nodes of `(key, signature distance, node)` triples by key, then signature
/// distance, then index.
fn ranked(mut c: Vec<(f64, f64, usize)>) -> Vec<usize> {
    c.sort_by(|a, b| {
        a.0.total_cmp(&b.0)
            .then(a.1.total_cmp(&b.1))
            .then(a.2.cmp(&b.2))
    });
    c.into_iter().map(|x| x.2).collect()
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
        let r = ctx.relative_error(obj, &p);
        let accepted = r
            <= setup
                .accept
                .min(setup.group_tolerance)
                .min(3.0 * ctx.found.best_error().unwrap_or(r) + 1e-9)
            && Permutation::from_images(p).ok().is_some_and(|g| {
                if chain.contains(&g) {
                    return false;
                }
                let max_log2 = found.max_order_log2();
                let Some(enlarged) =
                    enlarged_group(obj, &found.gens, &g, base, setup.accept, max_log2, seed)
                else {
                    return false;
                };
                found.gens.push(g);
                found.order_log2 = Some(enlarged.order().log2());
                chain = enlarged;
                true
            });
        if accepted {
            ctx.last_generator = Some(std::time::Instant::now());
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

/// How many of a node's strongest connections make its local profile.
const PROFILE_LEN: usize = 32;

/// Every node's local profile: its self-weight, then the strengths
/// `|W[u][m]| + |W[m][u]|` of its strongest connections in decreasing order. A
/// near-symmetry maps a node onto one with nearly the same profile.
fn local_profiles(obj: &Objective, setup: &SeededSetup) -> Vec<Vec<f32>> {
    let n = obj.n;
    (0..n)
        .map(|u| {
            let mut out = Vec::with_capacity(PROFILE_LEN + 1);
            out.push(obj.w[u * n + u]);
            out.extend(
                setup
                    .nb
                    .of(u)
                    .iter()
                    .map(|&m| m as usize)
                    .filter(|&m| m != u)
                    .take(PROFILE_LEN)
                    .map(|m| obj.w[u * n + m].abs() + obj.w[m * n + u].abs()),
            );
            out
        })
        .collect()
}

/// Candidate images of pivot `b` on a large graph (partial neighbour lists), nearest
/// local profile (`profiles`, from [`local_profiles`]) first, node signatures breaking ties. The global
/// signatures (row sums, extremes) of a learned graph vary with how often each region
/// was stimulated, so on `torus-large` they ranked detectors of other kernels in an
/// equally stimulated region first, and all eight growths from them failed. By local
/// profile the first candidate was the pivot's own detector one pixel along its
/// stripes, whose growth gave the first translation.
fn profile_candidates(profiles: &[Vec<f32>], setup: &SeededSetup, b: usize) -> Vec<usize> {
    let pb = &profiles[b];
    ranked(
        (0..profiles.len())
            .filter(|&j| j != b)
            .map(|j| {
                let d: f64 = pb
                    .iter()
                    .zip(&profiles[j])
                    .map(|(&x, &y)| ((x - y) as f64).powi(2))
                    .sum();
                (d, setup.sig.dist2(b, j), j)
            })
            .collect(),
    )
}

#[cfg(test)]
#[path = "generators_tests.rs"]
mod tests;
