//! `--method exact`: branch and bound that proves the minimum of the penalised
//! objective `J(π) = r(π)² + c·fix(π)/n` over all non-identity permutations of a
//! small graph (SPEC §6 solver 5).
//!
//! The tree assigns one node's image per level, nodes in a fixed order (the
//! strongest first, then the node most strongly linked to those already
//! placed, so the exact interaction terms grow fast). Every child is bounded
//! eagerly by the Gilmore–Lawler bound ([`bound`]) and the children are
//! explored best bound first; a child is pruned once its bound reaches the
//! incumbent. Each bound's assignment also completes the partial permutation,
//! and these completions (after one FAQ start and two annealing runs at the
//! root) supply incumbents.
//!
//! The identity is excluded structurally: while every assigned node is fixed,
//! the bound forbids the all-fixed completion, so the tree walks the identity's
//! path once and never has to out-bound it.
//!
//! Reach (test profile, one core, `c = 0.5`): noisy planted circulants (3–10 %
//! noise, symmetric or directed) are proved in 0.5 s at n = 20 and 8–18 s at
//! n = 40; a random symmetric matrix without symmetry, where the bound is weak
//! (the usual Gilmore–Lawler gap), in 0.3 s at n = 14 and about 35 s at n = 16,
//! while n = 18 is not proved within a minute. The tree is bounded by a node budget
//! (`SearchOptions::max_nodes`), so an unproved certificate and its gap are the same
//! on every machine; the time limit only cancels.

mod bound;

use serde::Serialize;

use self::bound::{Bound, NONE, Partial, Problem, Workspace};
use super::objective::Objective;
use super::progress::Ctx;
use super::{anneal, faq, polish};
use crate::perm::Permutation;

/// Absolute slack on `J` within which a subtree counts as no better than the
/// incumbent. It absorbs the bound's floating-point rounding (about `1e-15`)
/// and lets the search close ties such as `π` and `π⁻¹`, which have the same
/// `J` exactly but may differ in the last bits; a proof says that no
/// non-identity permutation beats `best_cost` by more than this.
pub const PROOF_TOLERANCE: f64 = 1e-10;

/// Annealing runs that improve the first incumbent.
const ANNEAL_ROUNDS: u64 = 2;
/// Annealing moves per node and run.
const ANNEAL_MOVES_PER_NODE: usize = 2000;

/// What the branch and bound proved.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Certificate {
    /// True if the best permutation found is a proved optimum (up to
    /// [`PROOF_TOLERANCE`]).
    pub proved_optimal: bool,
    /// `J` of the best non-identity permutation found (`+∞`, serialised as
    /// `null`, when `n < 2` leaves no such permutation).
    pub best_cost: f64,
    /// A proved lower bound on `J` over all non-identity permutations.
    pub lower_bound: f64,
    /// `best_cost − lower_bound` (0 when proved).
    pub gap: f64,
    /// Branch-and-bound nodes expanded.
    pub nodes: u64,
    /// The permutation achieving `best_cost`.
    pub best_permutation: Option<Permutation>,
}

/// Runs the branch and bound (at most `max_nodes` expanded nodes: a bound on the
/// work, so an unproved certificate is the same on every machine); offers the best
/// permutations it finds to `ctx`.
pub(crate) fn run(obj: &Objective, max_nodes: u64, ctx: &mut Ctx) -> Certificate {
    let n = obj.n;
    if n < 2 {
        // No non-identity permutation: the minimum over the empty set.
        return Certificate {
            proved_optimal: true,
            best_cost: f64::INFINITY,
            lower_bound: f64::INFINITY,
            gap: 0.0,
            nodes: 0,
            best_permutation: None,
        };
    }
    let problem = Problem::new(obj);
    let mut bnb = BranchAndBound {
        order: branch_order(&problem),
        part: Partial::new(n),
        problem,
        ws: Workspace::default(),
        best: None,
        nodes: 0,
        max_nodes,
        closed: 0.0,
    };
    ctx.set_stage(0.0, 0.05);
    bnb.seed_incumbent(obj, ctx);
    ctx.report(1.0);
    ctx.set_stage(0.05, 1.0);
    let open = bnb.solve(obj, ctx);
    ctx.work.nodes += bnb.nodes;
    ctx.report(1.0);
    ctx.set_stage(0.0, 1.0);
    let (best_permutation, best_cost) = match bnb.best.take() {
        Some((p, cost)) => {
            // π⁻¹ has the same J (S(π⁻¹) = S(π), same fixed points): a second optimum.
            let inverse = Permutation::from_images(p.clone())
                .ok()
                .map(|q| q.inverse());
            if let Some(q) = &inverse {
                ctx.offer(obj, q.images());
            }
            (Permutation::from_images(p).ok(), cost)
        }
        None => (None, f64::INFINITY),
    };
    let proved_optimal = open.is_infinite();
    let lower_bound = if proved_optimal {
        best_cost
    } else {
        open.min(best_cost)
    };
    Certificate {
        proved_optimal,
        best_cost,
        lower_bound,
        gap: if proved_optimal {
            0.0
        } else {
            best_cost - lower_bound
        },
        nodes: bnb.nodes,
        best_permutation,
    }
}

/// The search state.
struct BranchAndBound {
    problem: Problem,
    /// Node `order[d]` gets its image at depth `d`.
    order: Vec<usize>,
    part: Partial,
    ws: Workspace,
    /// Incumbent and its `J`.
    best: Option<(Vec<usize>, f64)>,
    /// Nodes expanded.
    nodes: u64,
    /// Most nodes to expand.
    max_nodes: u64,
    /// Share of the tree closed so far (each node splits its share evenly
    /// among its children): the progress fraction.
    closed: f64,
}

impl BranchAndBound {
    /// `J` of the incumbent (`+∞` before the first).
    fn best_cost(&self) -> f64 {
        self.best.as_ref().map_or(f64::INFINITY, |b| b.1)
    }

    /// Takes `p` as the incumbent if it is better and not the identity; an
    /// improvement is also polished by 2-opt (which may improve it further).
    fn consider(&mut self, obj: &Objective, p: &[usize], ctx: &mut Ctx) {
        if !self.improves(p) {
            return;
        }
        self.accept(obj, p, ctx);
        let mut q = p.to_vec();
        polish::two_opt(obj, &mut q, ctx);
        if self.improves(&q) {
            self.accept(obj, &q, ctx);
        }
    }

    fn improves(&self, p: &[usize]) -> bool {
        !is_identity(p) && self.problem.cost(p) < self.best_cost()
    }

    fn accept(&mut self, obj: &Objective, p: &[usize], ctx: &mut Ctx) {
        self.best = Some((p.to_vec(), self.problem.cost(p)));
        ctx.offer(obj, p);
    }

    /// A first incumbent: a cyclic shift (always admissible), one FAQ start
    /// with polish, then annealing from the best so far (by iteration count
    /// only, so the result does not depend on the machine's speed). All of it
    /// is `O(n³)`-ish, negligible next to the tree; a good incumbent early is
    /// what keeps the tree small.
    fn seed_incumbent(&mut self, obj: &Objective, ctx: &mut Ctx) {
        let n = self.problem.n;
        let shift: Vec<usize> = (0..n).map(|i| (i + 1) % n).collect();
        self.consider(obj, &shift, ctx);
        let symmetric = obj.symmetric;
        if !ctx.should_stop() {
            faq::run(obj, symmetric, 1, 0, ctx);
        }
        for (p, _) in ctx.found.sorted() {
            self.consider(obj, &p, ctx);
        }
        for round in 0..ANNEAL_ROUNDS {
            if ctx.should_stop() {
                break;
            }
            let start = self.best.as_ref().map(|b| b.0.clone());
            anneal::run(obj, start, round, ANNEAL_MOVES_PER_NODE * n, ctx);
            for (p, _) in ctx.found.sorted() {
                self.consider(obj, &p, ctx);
            }
        }
    }

    /// Explores the whole tree; returns the least bound over the subtrees
    /// left open when stopped (`+∞` if none: the incumbent is optimal).
    fn solve(&mut self, obj: &Objective, ctx: &mut Ctx) -> f64 {
        let root = bound::bound(&self.problem, &self.part, &mut self.ws, &mut || {
            ctx.should_stop()
        });
        match root {
            // J ≥ 0 always: the trivial bound.
            Bound::Stopped => 0.0,
            Bound::Infeasible => f64::INFINITY,
            Bound::Value { lower, completion } => {
                self.consider(obj, &completion, ctx);
                if lower >= self.best_cost() - PROOF_TOLERANCE {
                    f64::INFINITY
                } else {
                    self.expand(obj, ctx, 1.0, lower)
                }
            }
        }
    }

    /// Expands the current partial assignment (whose bound is `lower` and
    /// share of the tree `share`); returns the least bound over what it left
    /// open.
    fn expand(&mut self, obj: &Objective, ctx: &mut Ctx, share: f64, lower: f64) -> f64 {
        self.nodes += 1;
        let n = self.problem.n;
        let depth = self.part.depth();
        let v = self.order[depth];
        let free: Vec<usize> = (0..n).filter(|&k| self.part.pre[k] == NONE).collect();
        let child_share = share / free.len().max(1) as f64;
        let mut children = Vec::with_capacity(free.len());
        for &k in &free {
            self.part.assign(&self.problem, v, k);
            let b = bound::bound(&self.problem, &self.part, &mut self.ws, &mut || {
                ctx.should_stop()
            });
            self.part.unassign();
            match b {
                Bound::Stopped => return lower,
                Bound::Infeasible => self.closed += child_share,
                Bound::Value { lower, completion } => {
                    self.consider(obj, &completion, ctx);
                    children.push((lower, k));
                }
            }
        }
        children.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut open = f64::INFINITY;
        for (child_lower, k) in children {
            // A child with at most one node left has a single completion, which
            // its bound evaluated exactly and `consider` has seen.
            if child_lower >= self.best_cost() - PROOF_TOLERANCE || depth + 2 >= n {
                self.closed += child_share;
                continue;
            }
            if self.nodes >= self.max_nodes || ctx.should_stop() {
                open = open.min(child_lower);
                continue;
            }
            self.part.assign(&self.problem, v, k);
            let sub = self.expand(obj, ctx, child_share, child_lower);
            self.part.unassign();
            open = open.min(sub);
        }
        ctx.report(self.closed);
        open
    }
}

/// The branching order: the strongest node first, then repeatedly the node
/// with the most weight to the nodes already ordered (ties by strength, then
/// index), so that fixing a node's image constrains the next ones.
fn branch_order(p: &Problem) -> Vec<usize> {
    let n = p.n;
    let link = |i: usize, j: usize| p.w(i, j).abs() + p.w(j, i).abs();
    let strength: Vec<f64> = (0..n).map(|i| (0..n).map(|j| link(i, j)).sum()).collect();
    let mut to_chosen = vec![0.0f64; n];
    let mut chosen = vec![false; n];
    let mut order = Vec::with_capacity(n);
    for _ in 0..n {
        let next = (0..n).filter(|&i| !chosen[i]).max_by(|&a, &b| {
            to_chosen[a]
                .total_cmp(&to_chosen[b])
                .then(strength[a].total_cmp(&strength[b]))
                .then(b.cmp(&a))
        });
        let Some(next) = next else { break };
        chosen[next] = true;
        order.push(next);
        for (j, t) in to_chosen.iter_mut().enumerate() {
            *t += link(next, j);
        }
    }
    order
}

fn is_identity(p: &[usize]) -> bool {
    p.iter().enumerate().all(|(i, &x)| i == x)
}

#[cfg(test)]
mod tests;
