//! The default solver: seeded enumeration (growing by total attachment, then again
//! along the strongest links on small graphs or when the first pass found no
//! generator), then one spectral assignment, then annealing and FAQ if nothing
//! acceptable was found. Every stage's budget is a count (growths, moves,
//! iterations); the search ends when they are spent.

use super::generators::{self, Generators};
use super::growth::Attach;
use super::objective::Objective;
use super::progress::Ctx;
use super::seeded::SeededSetup;
use super::{anneal, faq, polish, spectral};

/// Above this size the spectral stage (three dense matrix products, `O(n³)`) is
/// skipped: the generator-first enumeration is quadratic and would be dwarfed.
const SPECTRAL_MAX_N: usize = 2048;
/// Above this size the last-resort FAQ start is skipped: its 30 Frank–Wolfe
/// iterations of four `n³` products each would dominate the search (about 10¹¹
/// multiply-adds at n = 1 024), and on graphs that large the enumeration has had its
/// chances.
const FAQ_MAX_N: usize = 1024;
/// Annealing moves per node of the last-resort stage …
const ANNEAL_MOVES_PER_NODE: usize = 400;
/// … and at most this much work (moves × n, each move an `O(n)` delta): about a
/// second on one core, whatever `n`.
const ANNEAL_WORK: usize = 1 << 30;

/// Moves of the last-resort annealing stage on `n` nodes.
fn anneal_moves(n: usize) -> usize {
    (ANNEAL_MOVES_PER_NODE * n).min(ANNEAL_WORK / n.max(1))
}

/// Runs the combination (until its work is done or the context stops it); returns the generators the
/// enumeration accepted.
pub(crate) fn run(
    obj: &Objective,
    setup: &SeededSetup,
    seed: u64,
    exact: Generators,
    ctx: &mut Ctx,
) -> Generators {
    let n = obj.n;
    if n < 2 {
        return exact;
    }
    // 1. Generator-first enumeration (pivot images, then stabilisers), starting from the
    //    exact group's generators.
    ctx.set_stage(0.0, 0.6);
    let mut found = generators::enumerate(obj, setup, seed, Attach::Total, exact, ctx);
    ctx.report(1.0);
    // 1b. The same again, growing along the strongest links, for graphs whose few
    //     strong local links sit on a plateau of noisy weights (see `Attach`), adding
    //     to what 1. found: on `ring-learned` the first pass finds the exact ON ↔ OFF
    //     inversion and on some seeds part of the rest, this one the translations and
    //     reflections. Always on small graphs (growths are cheap there, and images in
    //     a known orbit are skipped); on large ones only if there is no generator at
    //     all and the weights are many (a graph with a handful of distinct weights is
    //     given exactly: it has no plateau of noisy weights).
    let small = n <= generators::EXHAUSTIVE_MAX_N;
    if (small || (found.gens.is_empty() && !setup.few_weights)) && !ctx.should_stop() {
        ctx.set_stage(0.6, 0.7);
        found = generators::enumerate(obj, setup, seed, Attach::Strongest, found, ctx);
        ctx.report(1.0);
    }
    // 2. No generator: one unseeded spectral assignment (exact where node
    //    signatures differ, useless where all nodes look alike).
    if found.gens.is_empty() && n <= SPECTRAL_MAX_N && !ctx.should_stop() {
        ctx.set_stage(0.7, 0.8);
        if let Some(ks) = spectral::kernels(obj, setup.symmetric, ctx)
            && let Some(mut p) = spectral::unseeded(obj, setup, &ks, ctx)
        {
            polish::polish(obj, &mut p, setup.symmetric, 5, ctx);
            ctx.offer(obj, &p);
        }
        ctx.report(1.0);
    }
    // 3. Nothing acceptable yet: anneal from the best, then FAQ (budgets in moves and
    //    iterations, never in seconds).
    if ctx.found.count_below(setup.good) == 0 && !ctx.should_stop() {
        ctx.set_stage(0.8, 0.9);
        let start = ctx.found.best().map(|b| b.0);
        anneal::run(obj, start, seed, anneal_moves(n), ctx);
        if n <= FAQ_MAX_N {
            ctx.set_stage(0.9, 1.0);
            faq::run(obj, setup.symmetric, 1, seed, ctx);
        }
    }
    ctx.set_stage(0.0, 1.0);
    found
}
