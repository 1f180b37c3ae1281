//! The default solver: seeded enumeration, then one spectral assignment, then annealing and FAQ if
//! nothing acceptable was found and time remains.

use super::generators::{self, Generators};
use super::objective::Objective;
use super::progress::Ctx;
use super::seeded::SeededSetup;
use super::{anneal, faq, polish, spectral};

/// Above this size the spectral stage (three dense matrix products, `O(n³)`) is
/// skipped: the generator-first enumeration is quadratic and would be dwarfed.
const SPECTRAL_MAX_N: usize = 2048;

/// Runs the combination within the context's deadline; returns the generators the
/// enumeration accepted.
pub(crate) fn run(obj: &Objective, setup: &SeededSetup, seed: u64, ctx: &mut Ctx) -> Generators {
    let n = obj.n;
    if n < 2 {
        return Generators::default();
    }
    // 1. Generator-first enumeration (pivot images, then stabilisers).
    ctx.set_stage(0.0, 0.7);
    let found = generators::enumerate(obj, setup, seed, ctx);
    ctx.report(1.0);
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
    found
}
