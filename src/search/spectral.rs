//! The spectral solver: node similarity from matrix functions of `W`, the
//! diagonal forbidden, one linear assignment per candidate, then polish.
//!
//! Instead of eigenvectors (whose bases are arbitrary inside degenerate
//! eigenspaces — every circulant graph), it uses the kernels `K = A, A², A³`
//! (`A = W` scaled) and, for directed graphs, `AAᵀ`. For symmetric `W` these
//! are `Σ_λ f(λ)·P_λ` over the spectral projectors, so every automorphism
//! leaves them unchanged even when eigenvalues repeat; for directed `W` they
//! are invariant too (`K[π i][π j] = K[i][j]`). They cost three or four
//! matrix products and no eigensolver. Where all nodes look alike
//! (vertex-transitive graphs) the unseeded assignment cannot choose, so the
//! solver also assigns relative to seed pairs `i₀ → j₀`, `i₁ → j₁`:
//! `cost[u][v] = Σ_K Σ_seeds (K[u][s] − K[v][t])² + (K[s][u] − K[t][v])²`.

use ndarray::{Array2, ArrayView2, s};

use super::assignment;
use super::objective::Objective;
use super::polish;
use super::progress::Ctx;
use super::seeded::{self, SeededSetup};

/// `a · b` in row blocks, checking for a stop between blocks.
pub(crate) fn mm(a: ArrayView2<f32>, b: ArrayView2<f32>, ctx: &mut Ctx) -> Option<Array2<f32>> {
    let n = a.nrows();
    let mut out = Array2::<f32>::zeros((n, b.ncols()));
    let mut start = 0;
    while start < n {
        if ctx.should_stop() {
            return None;
        }
        let end = (start + 256).min(n);
        out.slice_mut(s![start..end, ..])
            .assign(&a.slice(s![start..end, ..]).dot(&b));
        start = end;
    }
    Some(out)
}

/// Invariant kernels, each scaled to unit mean square entry.
pub(crate) fn kernels(obj: &Objective, symmetric: bool, ctx: &mut Ctx) -> Option<Vec<Array2<f32>>> {
    let n = obj.n;
    let w = ArrayView2::from_shape((n, n), &obj.w).ok()?;
    let mut scale = 0.0f32;
    for i in 0..n {
        let r: f32 = obj.row(i).iter().map(|x| x.abs()).sum();
        let c: f32 = obj.col(i).iter().map(|x| x.abs()).sum();
        scale = scale.max(r).max(c);
    }
    let a = w.mapv(|x| x / scale.max(1e-30));
    let a2 = mm(a.view(), a.view(), ctx)?;
    let a3 = mm(a2.view(), a.view(), ctx)?;
    let mut ks = vec![a.clone(), a2, a3];
    if !symmetric {
        ks.push(mm(a.view(), a.t(), ctx)?);
    }
    for k in &mut ks {
        let ms = k.iter().map(|&x| (x as f64) * (x as f64)).sum::<f64>() / (n * n) as f64;
        if ms > 0.0 {
            let f = (1.0 / ms.sqrt()) as f32;
            k.mapv_inplace(|x| x * f);
        }
    }
    Some(ks)
}

/// Unseeded candidate: node signatures plus kernel diagonals, diagonal forbidden.
pub(crate) fn unseeded(
    obj: &Objective,
    setup: &SeededSetup,
    ks: &[Array2<f32>],
    ctx: &mut Ctx,
) -> Option<Vec<usize>> {
    let n = obj.n;
    let mut cost = vec![0.0f64; n * n];
    let mut maxc = 0.0f64;
    for u in 0..n {
        for v in 0..n {
            let mut c = setup.sig.dist2(u, v);
            for k in ks {
                let d = (k[[u, u]] - k[[v, v]]) as f64;
                c += d * d;
            }
            cost[u * n + v] = c;
            maxc = maxc.max(c);
        }
    }
    let forbid = (maxc + 1.0) * n as f64;
    for u in 0..n {
        cost[u * n + u] = forbid;
    }
    assignment::solve(n, &cost, || ctx.should_stop())
}

/// Candidate relative to seed pairs (each seed forced).
pub(crate) fn relative_to(
    obj: &Objective,
    setup: &SeededSetup,
    ks: &[Array2<f32>],
    seeds: &[(usize, usize)],
    ctx: &mut Ctx,
) -> Option<Vec<usize>> {
    let n = obj.n;
    let mut cost = vec![0.0f64; n * n];
    let mut maxc = 0.0f64;
    for u in 0..n {
        if u % 64 == 0 && ctx.should_stop() {
            return None;
        }
        for v in 0..n {
            let mut c = 0.1 * setup.sig.dist2(u, v);
            for k in ks {
                for &(s, t) in seeds {
                    let d1 = (k[[u, s]] - k[[v, t]]) as f64;
                    let d2 = (k[[s, u]] - k[[t, v]]) as f64;
                    c += d1 * d1 + d2 * d2;
                }
            }
            cost[u * n + v] = c;
            maxc = maxc.max(c);
        }
    }
    let forbid = (maxc + 1.0) * n as f64;
    for &(s, t) in seeds {
        for v in 0..n {
            if v != t {
                cost[s * n + v] = forbid;
            }
        }
    }
    assignment::solve(n, &cost, || ctx.should_stop())
}

/// The second seed for pivot pair `i₀ → j₀`: `i₁` = strongest neighbour of
/// `i₀`, `j₁` = the node whose kernel entries towards `j₀` match best.
fn second_seed(
    setup: &SeededSetup,
    ks: &[Array2<f32>],
    i0: usize,
    j0: usize,
) -> Option<(usize, usize)> {
    let i1 = *setup.nb.of(i0).first()? as usize;
    let n = ks.first()?.nrows();
    let mut best = (f64::INFINITY, usize::MAX);
    for j1 in 0..n {
        if j1 == j0 {
            continue;
        }
        let mut c = 0.1 * setup.sig.dist2(i1, j1);
        for k in ks {
            let d1 = (k[[i1, i0]] - k[[j1, j0]]) as f64;
            let d2 = (k[[i0, i1]] - k[[j0, j1]]) as f64;
            c += d1 * d1 + d2 * d2;
        }
        if c < best.0 {
            best = (c, j1);
        }
    }
    (best.1 != usize::MAX).then_some((i1, best.1))
}

/// The spectral solver on its own: the unseeded candidate, then seed-relative
/// candidates for the pivot's images (nearest signature first) until
/// `max_results` acceptable results exist or time runs out.
pub(crate) fn run(obj: &Objective, setup: &SeededSetup, max_results: usize, ctx: &mut Ctx) {
    let n = obj.n;
    if n < 2 {
        return;
    }
    let Some(ks) = kernels(obj, setup.symmetric, ctx) else {
        return;
    };
    ctx.report(0.1);
    if let Some(mut p) = unseeded(obj, setup, &ks, ctx) {
        polish::polish(obj, &mut p, setup.symmetric, 5, ctx);
        ctx.offer(obj, &p);
    }
    ctx.report(0.2);
    let i0 = seeded::pivot(obj);
    let cands = setup.sig.candidates(i0, n);
    for (k, &j0) in cands.iter().enumerate() {
        if ctx.should_stop() || ctx.found.count_below(setup.good) >= max_results {
            return;
        }
        let mut seeds = vec![(i0, j0)];
        if let Some(s2) = second_seed(setup, &ks, i0, j0)
            && s2.0 != i0
        {
            seeds.push(s2);
        }
        if let Some(mut p) = relative_to(obj, setup, &ks, &seeds, ctx) {
            polish::polish(obj, &mut p, setup.symmetric, 5, ctx);
            ctx.offer(obj, &p);
        }
        ctx.report(0.2 + 0.8 * (k + 1) as f64 / cands.len() as f64);
    }
}
