//! FAQ / QSA: Frank–Wolfe on the doubly-stochastic relaxation of
//! `max f(P) = tr(Wᵀ Pᵀ W P) − c'·tr(P)` (Vogelstein et al. 2015, with the
//! fixed-point penalty of Pidnebesna et al. 2023), one linear assignment per
//! iteration, exact line search on the quadratic, projection to the nearest
//! permutation, then polish.
//!
//! `P[v][u] = 1` means `π(u) = v`; `c' = c·‖W‖²/(2n)` puts the penalty in the
//! same units as the cost `J = r² + c·fix/n` the other solvers use.

use ndarray::{Array2, ArrayView2};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::assignment;
use super::objective::Objective;
use super::polish;
use super::progress::Ctx;
use super::spectral::mm;

/// Frank–Wolfe iterations per start.
const MAX_ITER: usize = 30;

/// Runs `starts` FAQ starts (the first from the barycentre, the others from
/// random doubly-stochastic matrices), each projected, polished and recorded.
pub(crate) fn run(obj: &Objective, symmetric: bool, starts: usize, seed: u64, ctx: &mut Ctx) {
    let n = obj.n;
    if n < 2 {
        return;
    }
    let Some(w) = ArrayView2::from_shape((n, n), &obj.w).ok() else {
        return;
    };
    let c = obj.penalty * obj.norm2 / (2.0 * n as f64);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    for start in 0..starts.max(1) {
        if ctx.should_stop() {
            return;
        }
        let p0 = if start == 0 {
            Array2::from_elem((n, n), 1.0 / n as f32)
        } else {
            random_doubly_stochastic(n, &mut rng)
        };
        let Some(p) = frank_wolfe(w, p0, c, symmetric, ctx) else {
            return;
        };
        // Projection: the permutation closest to P (max Σ_u P[π u][u]).
        let mut cost = vec![0.0f64; n * n];
        for u in 0..n {
            for v in 0..n {
                cost[u * n + v] = -(p[[v, u]] as f64);
            }
        }
        ctx.work.assignments += 1;
        let Some(mut pi) = assignment::solve(n, &cost, || ctx.should_stop()) else {
            return;
        };
        polish::polish(obj, &mut pi, symmetric, 5, ctx);
        ctx.offer(obj, &pi);
        ctx.report((start + 1) as f64 / starts.max(1) as f64);
    }
}

/// Frank–Wolfe iterations from `p`; `None` if stopped.
fn frank_wolfe(
    w: ArrayView2<f32>,
    mut p: Array2<f32>,
    c: f64,
    symmetric: bool,
    ctx: &mut Ctx,
) -> Option<Array2<f32>> {
    let n = w.nrows();
    let wt = w.t();
    for _ in 0..MAX_ITER {
        ctx.work.faq_iterations += 1;
        ctx.work.assignments += 1;
        // ∇f = W P Wᵀ + Wᵀ P W − c·I
        let wp = mm(w, p.view(), ctx)?;
        let mut grad = mm(wp.view(), wt, ctx)?;
        if symmetric {
            grad.mapv_inplace(|x| 2.0 * x);
        } else {
            let wtp = mm(wt, p.view(), ctx)?;
            grad += &mm(wtp.view(), w, ctx)?;
        }
        for i in 0..n {
            grad[[i, i]] -= c as f32;
        }
        // Direction: the permutation maximising ⟨∇f, Q⟩.
        let mut cost = vec![0.0f64; n * n];
        for u in 0..n {
            for v in 0..n {
                cost[u * n + v] = -(grad[[v, u]] as f64);
            }
        }
        let q = assignment::solve(n, &cost, || ctx.should_stop())?;
        let mut d = -p.clone();
        for (u, &v) in q.iter().enumerate() {
            d[[v, u]] += 1.0;
        }
        // f(P + αD) = f(P) + α·b + α²·a.
        let b: f64 = grad
            .iter()
            .zip(d.iter())
            .map(|(&g, &x)| g as f64 * x as f64)
            .sum();
        let wd = mm(w, d.view(), ctx)?;
        let dtwd = mm(d.t(), wd.view(), ctx)?;
        let a: f64 = w
            .iter()
            .zip(dtwd.iter())
            .map(|(&x, &y)| x as f64 * y as f64)
            .sum();
        let alpha = if a < 0.0 {
            (-b / (2.0 * a)).clamp(0.0, 1.0)
        } else if a + b > 0.0 {
            1.0
        } else {
            0.0
        };
        if alpha <= 1e-6 {
            break;
        }
        p.scaled_add(alpha as f32, &d);
    }
    Some(p)
}

/// `(J/n + R)/2` with `R` a Sinkhorn-balanced random positive matrix (SciPy's FAQ start).
fn random_doubly_stochastic(n: usize, rng: &mut ChaCha8Rng) -> Array2<f32> {
    let mut r = Array2::from_shape_fn((n, n), |_| rng.random::<f32>() + 1e-3);
    for _ in 0..20 {
        for mut row in r.rows_mut() {
            let s: f32 = row.sum();
            row.mapv_inplace(|x| x / s);
        }
        for mut col in r.columns_mut() {
            let s: f32 = col.sum();
            col.mapv_inplace(|x| x / s);
        }
    }
    r.mapv_inplace(|x| 0.5 * x + 0.5 / n as f32);
    r
}
