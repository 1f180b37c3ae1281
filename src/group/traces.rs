//! Traces (McKay & Piperno, *Practical graph isomorphism II*, 2014), the
//! individualisation–refinement program of the nauty distribution, through the
//! `nauty-Traces-sys` bindings (nauty 2.9.3, compiled from the bundled C source with
//! thread-local state, so calls on different threads do not share anything but the
//! kill flag, see [`kill`]).
//!
//! This module is the only place that calls into C. [`automorphisms`] checks
//! everything the C code indexes with (sizes, neighbour lists, the initial
//! partition) before the call, so no input can make it read or write out of bounds;
//! the generators it reports are collected through the `userautomproc` callback and
//! returned as plain image lists, for the caller to verify and to build a stabiliser
//! chain from. Traces' random choices (target cells in its experimental paths) come
//! from nauty's thread-local generator, which is reseeded before every call: the same
//! input gives the same generators on every run and thread.

mod kill;

use std::cell::RefCell;
use std::os::raw::c_int;

use nauty_Traces_sys::{
    FALSE, NAUKILLED, TRUE, Traces, TracesOptions, TracesStats, ran_init, sparsegraph,
};

use crate::cancel::CancelToken;

/// Largest number of vertices Traces accepts (`NAUTY_INFINITY − 2`).
pub(crate) const MAX_VERTICES: usize = 2_000_000_000;

/// An undirected vertex-coloured graph in nauty's sparse format.
#[derive(Clone, Debug, Default)]
pub(crate) struct SparseGraph {
    /// `v[i]`: where vertex `i`'s neighbours start in `e`.
    pub v: Vec<usize>,
    /// `d[i]`: vertex `i`'s degree.
    pub d: Vec<c_int>,
    /// Neighbour lists.
    pub e: Vec<c_int>,
    /// The initial colouring as nauty's `lab`: the vertices, cell after cell.
    pub lab: Vec<c_int>,
    /// nauty's `ptn`: 0 at the last position of each cell, 1 elsewhere.
    pub ptn: Vec<c_int>,
}

/// What Traces found.
#[derive(Clone, Debug)]
pub(crate) struct TracesRun {
    /// Generators of the automorphism group, restricted to vertices `0..base_n`.
    pub generators: Vec<Vec<u32>>,
    /// Traces' own order, `mantissa · 10^exponent` (a float: a cross-check only).
    pub order_estimate: (f64, i32),
    /// Search-tree nodes.
    pub nodes: u64,
    /// With `canonical`: the canonical labelling, `lab[p]` the vertex at canonical
    /// position `p` (isomorphic coloured graphs give equal relabelled graphs).
    pub canonical: Option<Vec<u32>>,
}

/// Why Traces gave no (complete) answer.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum TracesError {
    /// The graph failed the checks made before calling C (a bug in the caller).
    Invalid(String),
    /// Traces reported an error status.
    Status(c_int),
    /// A generator does not map `0..base_n` onto itself (the encoding was wrong).
    Leaked,
    /// Cancelled; the generators reported before the stop (each an automorphism).
    Cancelled(Vec<Vec<u32>>),
}

/// Generators reported by the running call on this thread.
struct Sink {
    base_n: usize,
    generators: Vec<Vec<u32>>,
    leaked: bool,
}

thread_local! {
    static SINK: RefCell<Option<Sink>> = const { RefCell::new(None) };
}

/// Traces' `userautomproc`: records one generator (restricted to `0..base_n`).
extern "C" fn on_automorphism(_count: c_int, perm: *mut c_int, n: c_int) {
    if perm.is_null() || n <= 0 {
        return;
    }
    // SAFETY: Traces passes its permutation buffer of `n` vertices, valid for the
    // duration of the call.
    let p = unsafe { std::slice::from_raw_parts(perm, n as usize) };
    SINK.with(|sink| {
        // Never panic across the C boundary: a busy or missing sink is ignored.
        let Ok(mut guard) = sink.try_borrow_mut() else {
            return;
        };
        let Some(s) = guard.as_mut() else { return };
        let k = s.base_n.min(p.len());
        if p[..k].iter().any(|&x| x < 0 || x as usize >= k) {
            s.leaked = true;
            return;
        }
        s.generators
            .push(p[..k].iter().map(|&x| x as u32).collect());
    });
}

/// Checks what Traces will index with: sizes, neighbour ranges, no loops or repeated
/// neighbours, every edge present in both directions, `lab` a permutation, `ptn`
/// closing the last cell.
fn check(g: &SparseGraph) -> Result<(), String> {
    let n = g.v.len();
    if n == 0 || n > MAX_VERTICES {
        return Err(format!("{n} vertices (Traces takes 1 to {MAX_VERTICES})"));
    }
    if g.d.len() != n || g.lab.len() != n || g.ptn.len() != n {
        return Err("array lengths differ".into());
    }
    // Every neighbour list, sorted, in one buffer (`starts[i]..starts[i + 1]`).
    let mut sorted: Vec<c_int> = Vec::with_capacity(g.e.len());
    let mut starts: Vec<usize> = Vec::with_capacity(n + 1);
    for i in 0..n {
        let d = usize::try_from(g.d[i]).map_err(|_| format!("negative degree at {i}"))?;
        let end = g.v[i]
            .checked_add(d)
            .filter(|&e| e <= g.e.len())
            .ok_or_else(|| format!("vertex {i}'s neighbours run past the edge array"))?;
        let from = sorted.len();
        starts.push(from);
        sorted.extend_from_slice(&g.e[g.v[i]..end]);
        let list = &mut sorted[from..];
        list.sort_unstable();
        if list
            .iter()
            .any(|&x| x < 0 || x as usize >= n || x as usize == i)
            || list.windows(2).any(|w| w[0] == w[1])
        {
            return Err(format!("vertex {i} has a bad neighbour list"));
        }
    }
    starts.push(sorted.len());
    let list = |i: usize| &sorted[starts[i]..starts[i + 1]];
    for i in 0..n {
        for &x in list(i) {
            if list(x as usize).binary_search(&(i as c_int)).is_err() {
                return Err(format!("edge {i}-{x} is one-way"));
            }
        }
    }
    let mut seen = vec![false; n];
    for &x in &g.lab {
        if x < 0 || x as usize >= n || std::mem::replace(&mut seen[x as usize], true) {
            return Err("lab is not a permutation".into());
        }
    }
    if g.ptn[n - 1] != 0 {
        return Err("ptn does not close the last cell".into());
    }
    Ok(())
}

/// The automorphism group of the coloured graph `g` (its colouring is `lab`/`ptn`),
/// as generators restricted to `0..base_n` — which every automorphism must map onto
/// itself (the caller's encoding guarantees it by colours; it is checked). Cancelling
/// `cancel` stops Traces within about 10 ms of its next check.
pub(crate) fn automorphisms(
    g: &SparseGraph,
    base_n: usize,
    canonical: bool,
    cancel: &CancelToken,
) -> Result<TracesRun, TracesError> {
    check(g).map_err(TracesError::Invalid)?;
    if base_n > g.v.len() {
        return Err(TracesError::Invalid("base larger than the graph".into()));
    }
    let n = g.v.len();
    let call = || {
        let mut v = g.v.clone();
        let mut d = g.d.clone();
        let mut e = g.e.clone();
        let mut lab = g.lab.clone();
        let mut ptn = g.ptn.clone();
        let mut orbits: Vec<c_int> = vec![0; n];
        let mut sg = sparsegraph {
            nde: e.len(),
            v: v.as_mut_ptr(),
            nv: n as c_int,
            d: d.as_mut_ptr(),
            e: e.as_mut_ptr(),
            w: std::ptr::null_mut(),
            vlen: v.len(),
            dlen: d.len(),
            elen: e.len(),
            wlen: 0,
        };
        let mut options = TracesOptions {
            defaultptn: FALSE,
            getcanon: if canonical { TRUE } else { FALSE },
            userautomproc: Some(on_automorphism),
            ..TracesOptions::default()
        };
        let mut stats = TracesStats::default();
        SINK.with(|s| {
            *s.borrow_mut() = Some(Sink {
                base_n,
                generators: Vec::new(),
                leaked: false,
            })
        });
        // SAFETY: every array has the length Traces reads (checked above: `n`
        // entries in v, d, lab, ptn and orbits, neighbour ranges inside `e`, vertices
        // in range, an undirected simple graph); the arrays outlive the call; the
        // callback only reads its argument. The seed makes Traces' random choices the
        // same on every call.
        unsafe {
            ran_init(1234);
            Traces(
                &mut sg,
                lab.as_mut_ptr(),
                ptn.as_mut_ptr(),
                orbits.as_mut_ptr(),
                &mut options,
                &mut stats,
                std::ptr::null_mut(),
            );
        }
        let sink = SINK.with(|s| s.borrow_mut().take());
        (stats, sink, lab)
    };
    let stopped = |r: &(TracesStats, Option<Sink>, Vec<c_int>)| r.0.errstatus == NAUKILLED;
    let (stats, sink, lab) = match kill::run_cancellable(cancel, call, stopped) {
        kill::Outcome::Finished(r) => r,
        kill::Outcome::Cancelled(r) => {
            let gens = r
                .and_then(|(_, s, _)| s)
                .filter(|s| !s.leaked)
                .map(|s| s.generators)
                .unwrap_or_default();
            return Err(TracesError::Cancelled(gens));
        }
    };
    let sink = sink.ok_or(TracesError::Leaked)?;
    if stats.errstatus != 0 {
        return Err(TracesError::Status(stats.errstatus));
    }
    if sink.leaked {
        return Err(TracesError::Leaked);
    }
    // `c_ulong` is 32 bits on some platforms, 64 here.
    #[allow(clippy::useless_conversion)]
    let nodes = u64::from(stats.numnodes);
    let canonical = canonical.then(|| lab.iter().map(|&x| x as u32).collect());
    Ok(TracesRun {
        generators: sink.generators,
        order_estimate: (stats.grpsize1, stats.grpsize2),
        nodes,
        canonical,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cycle of `n` vertices, one cell.
    fn cycle(n: usize) -> SparseGraph {
        let mut g = SparseGraph::default();
        for i in 0..n {
            g.v.push(2 * i);
            g.d.push(2);
            g.e.push(((i + 1) % n) as c_int);
            g.e.push(((i + n - 1) % n) as c_int);
        }
        g.lab = (0..n as c_int).collect();
        g.ptn = vec![1; n];
        g.ptn[n - 1] = 0;
        g
    }

    #[test]
    fn a_cycle_has_the_dihedral_group() {
        let g = cycle(10);
        let run = automorphisms(&g, 10, false, &CancelToken::new()).unwrap();
        assert!((run.order_estimate.0 - 20.0).abs() < 1e-9);
        assert_eq!(run.order_estimate.1, 0);
        for p in &run.generators {
            for i in 0..10 {
                let (a, b) = (p[i] as usize, p[(i + 1) % 10] as usize);
                assert!((a + 1) % 10 == b || (b + 1) % 10 == a, "{p:?}");
            }
        }
        assert!(!run.generators.is_empty());
    }

    #[test]
    fn bad_graphs_are_refused_before_the_call() {
        let mut g = cycle(5);
        g.e[3] = 7;
        assert!(matches!(
            automorphisms(&g, 5, false, &CancelToken::new()),
            Err(TracesError::Invalid(_))
        ));
        let mut g = cycle(5);
        g.e[0] = 0;
        assert!(automorphisms(&g, 5, false, &CancelToken::new()).is_err());
        let mut g = cycle(5);
        g.d[4] = 3;
        assert!(automorphisms(&g, 5, false, &CancelToken::new()).is_err());
        let mut g = cycle(5);
        g.lab[0] = 1;
        assert!(automorphisms(&g, 5, false, &CancelToken::new()).is_err());
        assert!(automorphisms(&SparseGraph::default(), 0, false, &CancelToken::new()).is_err());
        // One-way edge: 0 → 2 without 2 → 0.
        let mut g = cycle(5);
        g.e[1] = 2;
        assert!(automorphisms(&g, 5, false, &CancelToken::new()).is_err());
    }

    #[test]
    fn a_cancelled_token_stops_before_the_call() {
        let c = CancelToken::new();
        c.cancel();
        assert_eq!(
            automorphisms(&cycle(6), 6, false, &c).unwrap_err(),
            TracesError::Cancelled(Vec::new())
        );
    }
}
