//! Disconnected graphs: the group of a disjoint union is, per isomorphism class of
//! components, the wreath product `Aut(C) ≀ S_k` — so `|Aut| = Π k! · |Aut(C)|^k`,
//! exactly, with generators `Aut(C)`'s on one component plus a transposition and a
//! cycle of the class's components. Each component goes to Traces on its own, with
//! its canonical labelling: two components are isomorphic (as coloured graphs, and so
//! exchangeable by an automorphism: the colours come from an invariant partition) iff
//! their canonically relabelled layered graphs are equal, and the labellings give the
//! isomorphism. A stabiliser chain of the whole union (a base of hundreds of points
//! for a hundred copies of a small graph) is never built.

use std::collections::HashMap;

use crate::cancel::CancelToken;
use crate::group::layered;
use crate::group::refine::mix64;
use crate::group::sparse::Adjacency;
use crate::group::traces::{self, SparseGraph, TracesError};

/// A component's canonical form and what Traces found on it.
struct Component {
    /// Its vertices, ascending.
    vertices: Vec<u32>,
    /// Canonical form: the colours in canonical order and the relabelled edges.
    colours: Vec<u64>,
    edges: Vec<(u32, u32)>,
    /// `canon[p]`: the local vertex at canonical position `p` (layer 0 only).
    canon: Vec<u32>,
    /// Generators of its group (local image lists) and Traces' order estimate.
    generators: Vec<Vec<u32>>,
    order_estimate: (f64, i32),
    nodes: u64,
}

/// One isomorphism class: its components (the first is the representative) and the
/// isomorphisms from the representative to each (global image lists on its vertices).
pub(super) struct Class {
    /// The representative's vertices (ascending).
    pub rep: Vec<u32>,
    /// Generators of the representative's group, local to `rep`.
    pub rep_generators: Vec<Vec<u32>>,
    /// Traces' order estimate for the representative's group.
    pub rep_order_estimate: (f64, i32),
    /// `iso[i][j]`: the image in component `i` of `rep[j]` (`iso[0]` is `rep`).
    pub iso: Vec<Vec<u32>>,
}

/// The classes of a disconnected graph, and Traces' nodes.
pub(super) struct Decomposition {
    pub classes: Vec<Class>,
    pub nodes: u64,
}

/// The canonical layered graph's relabelled edges, sorted.
fn canonical_edges(sg: &SparseGraph, lab: &[u32]) -> Vec<(u32, u32)> {
    let mut pos = vec![0u32; lab.len()];
    for (p, &v) in lab.iter().enumerate() {
        pos[v as usize] = p as u32;
    }
    let mut edges = Vec::with_capacity(sg.e.len() / 2);
    for (x, &start) in sg.v.iter().enumerate() {
        for &y in &sg.e[start..start + sg.d[x] as usize] {
            let (a, b) = (pos[x], pos[y as usize]);
            if a < b {
                edges.push((a, b));
            }
        }
    }
    edges.sort_unstable();
    edges
}

/// Traces on one component, with its canonical labelling.
fn analyse(
    adj: &Adjacency,
    vertices: Vec<u32>,
    cell: &[u32],
    cancel: &CancelToken,
) -> Result<Component, TracesError> {
    let m = vertices.len();
    let colour: Vec<u64> = vertices.iter().map(|&v| cell[v as usize] as u64).collect();
    if m == 1 {
        return Ok(Component {
            vertices,
            colours: colour,
            edges: Vec::new(),
            canon: vec![0],
            generators: Vec::new(),
            order_estimate: (1.0, 0),
            nodes: 0,
        });
    }
    let sg = layered::encode(adj, &vertices, &colour, u64::MAX)
        .ok_or_else(|| TracesError::Invalid("component too large".into()))?;
    let run = traces::automorphisms(&sg, m, true, cancel)?;
    let lab = run.canonical.unwrap_or_default();
    let colours = lab
        .iter()
        .map(|&x| {
            let k = x as usize / m;
            (k as u64) << 32 | colour[x as usize % m]
        })
        .collect();
    let edges = canonical_edges(&sg, &lab);
    let canon = lab.iter().copied().filter(|&x| (x as usize) < m).collect();
    Ok(Component {
        vertices,
        colours,
        edges,
        canon,
        generators: run.generators,
        order_estimate: run.order_estimate,
        nodes: run.nodes,
    })
}

/// Splits the graph behind `adj` into its `count` components (`comp`: a component id
/// per vertex, ids in order of smallest vertex), each coloured by `cell`, and groups
/// them into isomorphism classes.
pub(super) fn decompose(
    adj: &Adjacency,
    comp: &[u32],
    count: usize,
    cell: &[u32],
    cancel: &CancelToken,
) -> Result<Decomposition, TracesError> {
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); count];
    for (v, &c) in comp.iter().enumerate() {
        members[c as usize].push(v as u32);
    }
    let mut comps = Vec::with_capacity(count);
    for vertices in members {
        comps.push(analyse(adj, vertices, cell, cancel)?);
    }
    // Classes by canonical form, in order of their first component.
    let mut by_form: HashMap<u64, Vec<usize>> = HashMap::new();
    let mut classes: Vec<Vec<usize>> = Vec::new();
    for (i, c) in comps.iter().enumerate() {
        let key = c.edges.iter().fold(
            c.colours
                .iter()
                .fold(mix64(c.vertices.len() as u64), |h, &x| mix64(h ^ x)),
            |h, &(a, b)| mix64(h ^ ((a as u64) << 32 | b as u64)),
        );
        let candidates = by_form.entry(key).or_default();
        let same = candidates.iter().find(|&&k| {
            let r = &comps[classes[k][0]];
            r.colours == c.colours && r.edges == c.edges
        });
        match same {
            Some(&k) => classes[k].push(i),
            None => {
                candidates.push(classes.len());
                classes.push(vec![i]);
            }
        }
    }
    let nodes = comps.iter().map(|c| c.nodes).sum();
    let classes = classes
        .into_iter()
        .map(|members| {
            let rep = &comps[members[0]];
            // rep.vertices[rep.canon[p]] ↦ other.vertices[other.canon[p]].
            let mut from_canon = vec![0u32; rep.vertices.len()];
            for (p, &x) in rep.canon.iter().enumerate() {
                from_canon[x as usize] = p as u32;
            }
            let iso = members
                .iter()
                .map(|&i| {
                    let other = &comps[i];
                    (0..rep.vertices.len())
                        .map(|j| {
                            let p = from_canon[j] as usize;
                            other.vertices[other.canon[p] as usize]
                        })
                        .collect()
                })
                .collect();
            Class {
                rep: rep.vertices.clone(),
                rep_generators: rep.generators.clone(),
                rep_order_estimate: rep.order_estimate,
                iso,
            }
        })
        .collect();
    Ok(Decomposition { classes, nodes })
}
