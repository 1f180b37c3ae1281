//! The bound against brute force on every partial assignment of small graphs,
//! and the branch and bound's optimum against brute force over all permutations.

use std::collections::HashMap;
use std::time::Duration;

use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::bound::{self, Bound, Partial, Problem, Workspace};
use super::{Certificate, branch_order, run};
use crate::cancel::CancelToken;
use crate::graph::WeightedGraph;
use crate::search::objective::Objective;
use crate::search::progress::Ctx;

fn random_matrix(n: usize, symmetric: bool, seed: u64) -> Array2<f32> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut w = Array2::from_shape_fn((n, n), |_| rng.random_range(-1.0f32..1.0));
    if symmetric {
        for i in 0..n {
            for j in 0..i {
                w[[i, j]] = w[[j, i]];
            }
        }
    }
    w
}

/// `J` written out from the definition, independently of [`Problem::cost`].
fn cost(w: &Array2<f32>, p: &[usize], penalty: f64) -> f64 {
    let n = w.nrows();
    let norm2: f64 = w.iter().map(|&x| f64::from(x).powi(2)).sum();
    let mut diff = 0.0;
    for i in 0..n {
        for j in 0..n {
            // ‖W − πW‖² = Σ_ij (W[π i][π j] − W[i][j])²
            diff += (f64::from(w[[p[i], p[j]]]) - f64::from(w[[i, j]])).powi(2);
        }
    }
    let fixed = (0..n).filter(|&i| p[i] == i).count();
    diff / norm2 + penalty * fixed as f64 / n as f64
}

fn all_permutations(n: usize) -> Vec<Vec<usize>> {
    fn rec(p: &mut Vec<usize>, used: &mut [bool], out: &mut Vec<Vec<usize>>) {
        if p.len() == used.len() {
            out.push(p.clone());
            return;
        }
        for k in 0..used.len() {
            if !used[k] {
                used[k] = true;
                p.push(k);
                rec(p, used, out);
                p.pop();
                used[k] = false;
            }
        }
    }
    let mut out = Vec::new();
    rec(&mut Vec::new(), &mut vec![false; n], &mut out);
    out
}

fn is_identity(p: &[usize]) -> bool {
    p.iter().enumerate().all(|(i, &x)| i == x)
}

fn solve(w: &Array2<f32>, penalty: f64, limit: Duration) -> (Certificate, bool) {
    solve_within(w, penalty, limit, u64::MAX)
}

fn solve_within(
    w: &Array2<f32>,
    penalty: f64,
    limit: Duration,
    max_nodes: u64,
) -> (Certificate, bool) {
    let graph = WeightedGraph::new(w.clone(), None).unwrap();
    let obj = Objective::new(&graph, penalty);
    let cancel = CancelToken::new();
    let mut progress = |_| {};
    let mut ctx = Ctx::new(&cancel, std::time::Instant::now() + limit, &mut progress);
    let cert = run(&obj, max_nodes, &mut ctx);
    (cert, ctx.timed_out)
}

/// For every prefix of the branching order reachable by some permutation, the
/// bound is at most the least `J` over its admissible completions (exactly equal
/// once one node or none is left), and its proposed completion extends the prefix.
#[test]
fn bound_never_exceeds_the_best_completion() {
    let mut prefixes_checked = 0usize;
    for (t, (n, symmetric, penalty)) in [
        (5, true, 0.5),
        (5, false, 0.0),
        (6, true, 0.0),
        (6, false, 0.5),
        (6, false, 2.0),
        (4, false, 0.3),
    ]
    .into_iter()
    .enumerate()
    {
        let w = random_matrix(n, symmetric, 40 + t as u64);
        let graph = WeightedGraph::new(w.clone(), None).unwrap();
        let obj = Objective::new(&graph, penalty);
        let problem = Problem::new(&obj);
        let order = branch_order(&problem);
        let mut sorted_order = order.clone();
        sorted_order.sort_unstable();
        assert_eq!(sorted_order, (0..n).collect::<Vec<_>>());
        // Least J over the admissible completions of each prefix.
        let mut truth: HashMap<Vec<usize>, f64> = HashMap::new();
        for p in all_permutations(n) {
            let j = if is_identity(&p) {
                f64::INFINITY
            } else {
                cost(&w, &p, penalty)
            };
            for d in 0..=n {
                let key: Vec<usize> = order[..d].iter().map(|&v| p[v]).collect();
                let e = truth.entry(key).or_insert(f64::INFINITY);
                *e = e.min(j);
            }
        }
        let mut ws = Workspace::default();
        for (images, best) in &truth {
            let mut part = Partial::new(n);
            for (&v, &k) in order.iter().zip(images) {
                part.assign(&problem, v, k);
            }
            match bound::bound(&problem, &part, &mut ws, &mut || false) {
                Bound::Stopped => panic!("never asked to stop"),
                Bound::Infeasible => assert!(best.is_infinite(), "{images:?}: infeasible"),
                Bound::Value { lower, completion } => {
                    assert!(
                        lower <= best + 1e-12,
                        "n={n} {images:?}: bound {lower} > best completion {best}"
                    );
                    for (&v, &k) in order.iter().zip(images) {
                        assert_eq!(completion[v], k);
                    }
                    let mut seen = completion.clone();
                    seen.sort_unstable();
                    assert_eq!(seen, (0..n).collect::<Vec<_>>());
                    if images.len() + 1 >= n {
                        assert!((lower - best).abs() <= 1e-12, "{images:?}: not tight");
                    }
                }
            }
            prefixes_checked += 1;
        }
        // Undoing assignments restores the partial score exactly.
        let mut part = Partial::new(n);
        part.assign(&problem, order[0], order[1]);
        part.assign(&problem, order[1], order[0]);
        part.unassign();
        part.unassign();
        assert_eq!((part.depth(), part.fixed, part.moved), (0, 0, 0));
    }
    assert!(prefixes_checked > 4000, "{prefixes_checked}");
}

/// The root bound is not vacuous: on a graph without symmetry (optimum well
/// above 0) it is positive, i.e. better than the trivial `J ≥ 0`.
#[test]
fn root_bound_is_informative_without_symmetry() {
    let w = random_matrix(8, true, 5);
    let graph = WeightedGraph::new(w.clone(), None).unwrap();
    let obj = Objective::new(&graph, 0.5);
    let problem = Problem::new(&obj);
    let part = Partial::new(8);
    let Bound::Value { lower, .. } =
        bound::bound(&problem, &part, &mut Workspace::default(), &mut || false)
    else {
        panic!("the root has admissible completions");
    };
    let best = all_permutations(8)
        .iter()
        .filter(|p| !is_identity(p))
        .map(|p| cost(&w, p, 0.5))
        .fold(f64::INFINITY, f64::min);
    assert!(
        lower > 0.0 && lower <= best,
        "root bound {lower}, optimum {best}"
    );
}

#[test]
fn proved_optimum_equals_brute_force() {
    for n in 2..=7usize {
        for seed in 0..3u64 {
            for symmetric in [true, false] {
                let penalty = [0.5, 0.0, 2.0][seed as usize];
                let w = random_matrix(n, symmetric, 1000 + 10 * n as u64 + seed);
                let truth = all_permutations(n)
                    .iter()
                    .filter(|p| !is_identity(p))
                    .map(|p| cost(&w, p, penalty))
                    .fold(f64::INFINITY, f64::min);
                let (cert, _) = solve(&w, penalty, Duration::from_secs(60));
                assert!(cert.proved_optimal);
                assert!(
                    (cert.best_cost - truth).abs() <= 1e-9 * truth.max(1.0),
                    "n={n} seed={seed} symmetric={symmetric} c={penalty}: {} vs {truth}",
                    cert.best_cost
                );
                let p = cert.best_permutation.as_ref().unwrap();
                assert!(!p.is_identity());
                assert!((cost(&w, p.images(), penalty) - cert.best_cost).abs() <= 1e-9);
                assert_eq!((cert.gap, cert.lower_bound), (0.0, cert.best_cost));
            }
        }
    }
}

#[test]
fn time_limit_leaves_an_honest_gap() {
    let w = random_matrix(40, true, 9);
    let (cert, timed_out) = solve(&w, 0.5, Duration::from_millis(30));
    assert!(timed_out);
    assert!(!cert.proved_optimal);
    assert!(cert.gap.is_finite() && cert.gap > 0.0, "gap {}", cert.gap);
    assert!(cert.lower_bound >= 0.0 && cert.lower_bound < cert.best_cost);
    let p = cert.best_permutation.as_ref().unwrap();
    assert!((cost(&w, p.images(), 0.5) - cert.best_cost).abs() <= 1e-9);
}

/// A node budget stops the tree as the clock did, but the same way on every run.
#[test]
fn node_budget_leaves_the_same_gap_every_time() {
    let w = random_matrix(24, true, 9);
    let run = || solve_within(&w, 0.5, Duration::from_secs(600), 40);
    let (a, timed_out) = run();
    assert!(!timed_out);
    assert!(!a.proved_optimal && a.gap > 0.0, "gap {}", a.gap);
    assert!(a.nodes <= 40);
    assert_eq!(a, run().0);
}

/// A circulant (Gaussian profile of the cyclic distance, or for `directed` an
/// exponential of the forward distance), relabelled at random, plus Gaussian
/// noise of relative size `noise` (symmetric when the circulant is).
fn noisy_planted_circulant(n: usize, directed: bool, noise: f32, seed: u64) -> Array2<f32> {
    use rand::seq::SliceRandom;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut label: Vec<usize> = (0..n).collect();
    label.shuffle(&mut rng);
    let mut w = Array2::zeros((n, n));
    for i in 0..n {
        for j in 0..n {
            let forward = (j + n - i) % n;
            let d = forward.min(n - forward) as f32;
            w[[label[i], label[j]]] = if directed {
                if forward == 0 {
                    0.0
                } else {
                    (-(forward as f32) / 3.0).exp()
                }
            } else {
                (-d * d / 4.5).exp()
            };
        }
    }
    let sigma = noise * w.iter().map(|x| x * x).sum::<f32>().sqrt() / n as f32;
    for i in 0..n {
        for j in 0..n {
            if directed || j >= i {
                let e = sigma * (rng.random::<f32>() + rng.random::<f32>() - 1.0) * 2.45;
                w[[i, j]] += e;
                if !directed && j > i {
                    w[[j, i]] += e;
                }
            }
        }
    }
    w
}

/// Time to prove the optimum on noisy planted circulants and on random graphs
/// (no symmetry: the hard case); prints a table. A size is skipped for a family
/// once a smaller one failed within the limit. Run with
/// `cargo test --no-default-features --lib search::exact -- --ignored --nocapture`.
#[test]
#[ignore]
fn time_to_prove_table() {
    let limit = Duration::from_secs(60);
    println!("graph                  n  proved  J*          nodes       seconds  gap");
    let families: [(&str, Option<(bool, f32)>); 5] = [
        ("circulant 3%", Some((false, 0.03))),
        ("directed circ. 3%", Some((true, 0.03))),
        ("circulant 10%", Some((false, 0.10))),
        ("directed circ. 10%", Some((true, 0.10))),
        ("random symmetric", None),
    ];
    for (name, planted) in families {
        for n in [8usize, 10, 12, 14, 16, 18, 20, 24, 28, 32, 40] {
            let w = match planted {
                Some((directed, noise)) => noisy_planted_circulant(n, directed, noise, n as u64),
                None => random_matrix(n, true, n as u64),
            };
            let begin = std::time::Instant::now();
            let (cert, _) = solve(&w, 0.5, limit);
            let secs = begin.elapsed().as_secs_f64();
            println!(
                "{name:<20} {n:>3}  {:>6}  {:<10.3e}  {:>10}  {secs:>7.2}  {:.2e}",
                cert.proved_optimal, cert.best_cost, cert.nodes, cert.gap
            );
            if !cert.proved_optimal {
                break;
            }
        }
    }
}
