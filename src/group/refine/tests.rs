//! Refinement on small graphs whose equitable partitions are known by hand.

use super::*;
use crate::cancel::CancelToken;

/// The undirected path 0 – 1 – 2 – 3 – 4 (colour 1 on edges, 0 elsewhere).
fn path5() -> ColouredGraph {
    let n = 5;
    let mut out = vec![0u32; n * n];
    for i in 0..n - 1 {
        out[i * n + i + 1] = 1;
        out[(i + 1) * n + i] = 1;
    }
    ColouredGraph::new(n, out, vec![0; n]).unwrap()
}

#[test]
fn refinement_of_a_path_gives_the_distance_classes_from_the_ends() {
    let g = path5();
    let cancel = CancelToken::new();
    let mut r = Refiner::new(&g, &cancel);
    let mut p = Partition::by_colours(&[0; 5]);
    let mut trace = Vec::new();
    assert_eq!(r.refine(&mut p, &[0], &mut trace, None), Ok(true));
    // Ends {0, 4} (degree 1), their neighbours {1, 3}, the centre {2}.
    let mut cells: Vec<Vec<u32>> = p
        .cell_starts()
        .into_iter()
        .map(|s| {
            let mut c = p.cell(s).to_vec();
            c.sort_unstable();
            c
        })
        .collect();
    cells.sort();
    assert_eq!(cells, vec![vec![0, 4], vec![1, 3], vec![2]]);
    // Refinement is label-invariant: the reversed labelling gives the same
    // trace and the same cell sizes in the same positions.
    let mut q = Partition::by_colours(&[0; 5]);
    let mut trace2 = Vec::new();
    assert_eq!(r.refine(&mut q, &[0], &mut trace2, Some(&trace)), Ok(true));
    assert_eq!(trace, trace2);
    // Individualising an end makes the path discrete.
    let s = p.individualise(p.cell(p.cell_of(0)).first().copied().unwrap() as usize);
    let mut t3 = Vec::new();
    assert_eq!(r.refine(&mut p, &[s], &mut t3, None), Ok(true));
    assert!(p.is_discrete());
}

#[test]
fn first_path_levels_are_rebuilt_from_the_leaf() {
    let g = path5();
    let cancel = CancelToken::new();
    let mut r = Refiner::new(&g, &cancel);
    let mut p = Partition::by_colours(&[0; 5]);
    r.refine(&mut p, &[0], &mut Vec::new(), None).unwrap();
    let root = p.clone();
    let s = p.individualise(p.lab()[0] as usize);
    r.refine(&mut p, &[s], &mut Vec::new(), None).unwrap();
    assert!(p.is_discrete());
    let mut created = vec![1u32; 5];
    for s in root.cell_starts() {
        created[s] = 0;
    }
    let rebuilt = Partition::from_leaf(p.lab(), &created, 0);
    assert_eq!(rebuilt.cell_starts(), root.cell_starts());
    for s in root.cell_starts() {
        let mut a = rebuilt.cell(s).to_vec();
        let mut b = root.cell(s).to_vec();
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b);
    }
    assert_eq!(Partition::from_leaf(p.lab(), &created, 1), p);
}

#[test]
fn directed_pairs_are_told_apart() {
    // Directed 3-cycle vs its edges' reversal: both are vertex-transitive, but
    // a directed colouring is kept (an inc matrix exists).
    let n = 3;
    let mut out = vec![0u32; 9];
    for i in 0..n {
        out[i * n + (i + 1) % n] = 1;
    }
    let g = ColouredGraph::new(n, out, vec![0; n]).unwrap();
    assert!(!g.is_symmetric());
    assert!(g.is_automorphism(&[1, 2, 0]));
    assert!(!g.is_automorphism(&[0, 2, 1]));
    assert!(ColouredGraph::new(2, vec![0; 3], vec![0; 2]).is_none());
    // 0 → 1 only: swapping 1 and 2 breaks the pair (0, 1) whose row (0) is not
    // moved; the transpose's rows catch it.
    let mut out = vec![0u32; 9];
    out[1] = 1;
    let g = ColouredGraph::new(3, out, vec![0; 3]).unwrap();
    assert!(!g.is_automorphism(&[0, 2, 1]));
    assert!(g.is_automorphism(&[0, 1, 2]));
}

#[test]
fn a_mismatching_trace_is_reported() {
    let g = path5();
    let cancel = CancelToken::new();
    let mut r = Refiner::new(&g, &cancel);
    let mut p = Partition::by_colours(&[0; 5]);
    let mut trace = Vec::new();
    assert_eq!(
        r.refine(&mut p, &[0], &mut trace, Some(&[1, 2, 3])),
        Ok(false)
    );
    cancel.cancel();
    let mut p = Partition::by_colours(&[0; 5]);
    assert_eq!(r.refine(&mut p, &[0], &mut trace, None), Err(Cancelled));
}
