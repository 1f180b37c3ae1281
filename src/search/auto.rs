//! The default solver: seeded enumeration, then one spectral assignment, then annealing and FAQ if
//! nothing acceptable was found and time remains.

use super::objective::Objective;
use super::progress::Ctx;
use super::seeded::{self, SeededSetup};
use super::{anneal, faq, polish, spectral};

/// Runs the combination within the context's deadline.
pub(crate) fn run(
    obj: &Objective,
    setup: &SeededSetup,
    max_results: usize,
    seed: u64,
    ctx: &mut Ctx,
) {
    let n = obj.n;
    if n < 2 {
        return;
    }
    // 1. Seeded enumeration of the pivot's images (nearest signature first).
    ctx.set_stage(0.0, 0.7);
    seeded::enumerate(obj, setup, max_results, ctx);
    ctx.report(1.0);
    // 2. Not enough good results: one unseeded spectral assignment (exact
    //    where node signatures differ, useless where all nodes look alike).
    if ctx.found.count_below(setup.good) < max_results && !ctx.should_stop() {
        ctx.set_stage(0.7, 0.8);
        if let Some(ks) = spectral::kernels(obj, setup.symmetric, ctx)
            && let Some(mut p) = spectral::unseeded(obj, setup, &ks, ctx)
        {
            polish::polish(obj, &mut p, setup.symmetric, 5, ctx);
            ctx.offer(obj, &p);
        }
        ctx.report(1.0);
    }
    // 3. Nothing acceptable yet: anneal from the best, then FAQ.
    if ctx.found.count_below(setup.good) == 0 && !ctx.should_stop() {
        ctx.set_stage(0.8, 0.9);
        let start = ctx.found.best().map(|b| b.0);
        let budget = 0.5 * ctx.remaining_secs();
        anneal::run(obj, start, seed, 400 * n, budget, ctx);
        ctx.set_stage(0.9, 1.0);
        faq::run(obj, setup.symmetric, 1, seed, ctx);
    }
    ctx.set_stage(0.0, 1.0);
}
