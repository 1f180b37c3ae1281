#!/usr/bin/env python3
"""bliss (through python-igraph) on the graphs written by group_bench.rs.

For every entry of DIR/manifest.json it loads
DIR/{name}.npy (and DIR/{name}.d.npy, node weights), counts the automorphisms
with Graph.count_automorphisms(sh="fl", color=...) and times it (median of
REPEATS runs, graph construction excluded). Weights are edge colours: when the
graph has more than one distinct non-zero weight, every edge (every arc, for a
directed graph) is subdivided by a vertex whose colour is its weight class, so
bliss sees exactly the permutations that preserve the weights. Vertex colours
are the diagonal entry and the node weight. Exact float equality throughout,
as exact_group with tolerance 0.

Writes DIR/bliss.json and, if DIR/ours.json (the Rust side) exists, prints the
joined table: graph, n, expected order, our order, bliss order, equal?, our
and bliss median seconds.

Usage: bliss_groups.py DIR
"""

import json
import pathlib
import statistics
import sys
import time

import igraph as ig
import numpy as np

REPEATS = 5


def class_ids(values):
    """Dense ids of the distinct values, in sorted order (deterministic)."""
    uniq = sorted(set(values))
    index = {v: k for k, v in enumerate(uniq)}
    return [index[v] for v in values], len(uniq)


def to_igraph(w, d):
    """The coloured (di)graph bliss must see, and its vertex colours."""
    n = w.shape[0]
    directed = not np.array_equal(w, w.T)
    keys = [(float(w[i, i]), float(d[i]) if d is not None else 0.0) for i in range(n)]
    colours, ncol = class_ids(keys)
    off = w.copy()
    np.fill_diagonal(off, 0.0)
    if directed:
        ii, jj = np.nonzero(off)
    else:
        ii, jj = np.nonzero(np.triu(off, 1))
    weights = off[ii, jj]
    wclass, nweights = class_ids(weights.tolist())
    if nweights <= 1:
        edges = list(zip(ii.tolist(), jj.tolist()))
        return ig.Graph(n=n, edges=edges, directed=directed), colours
    m = len(ii)
    edges = []
    for k, (i, j) in enumerate(zip(ii.tolist(), jj.tolist())):
        edges.append((i, n + k))
        edges.append((n + k, j))
    colours = colours + [ncol + c for c in wclass]
    return ig.Graph(n=n + m, edges=edges, directed=directed), colours


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    data = pathlib.Path(sys.argv[1])
    manifest = json.loads((data / "manifest.json").read_text())
    results = {}
    for entry in manifest:
        name = entry["name"]
        w = np.load(data / f"{name}.npy")
        d = np.load(data / f"{name}.d.npy") if entry["node_weights"] else None
        g, colours = to_igraph(w, d)
        times = []
        order = None
        for _ in range(REPEATS):
            t = time.perf_counter()
            order = g.count_automorphisms(sh="fl", color=colours)
            times.append(time.perf_counter() - t)
        results[name] = {"order": str(order), "seconds": statistics.median(times)}
    (data / "bliss.json").write_text(json.dumps(results, indent=1))

    ours_path = data / "ours.json"
    if not ours_path.exists():
        for name, r in results.items():
            print(f"{name:<16} {r['order']:>26}  {r['seconds']:.5f}")
        return
    ours = {r["name"]: r for r in json.loads(ours_path.read_text())}
    header = (
        f"{'graph':<16} {'n':>5}  {'expected':>20}  {'our order':>20}  "
        f"{'bliss order':>20}  {'equal?':>6}  {'our s':>9}  {'bliss s':>9}"
    )
    print(header)
    print("-" * len(header))
    notes = []
    for entry in manifest:
        name = entry["name"]
        mine = ours.get(name, {})
        theirs = results.get(name)
        our_order = mine.get("order", "-")
        bliss_order = theirs["order"] if theirs else "-"
        expected = entry["expected"] or "-"
        if theirs:
            equal = "yes" if our_order == bliss_order else "NO"
        else:
            equal = "n/a"
        our_s = f"{mine['seconds']:.5f}" if "seconds" in mine else "-"
        bliss_s = f"{theirs['seconds']:.5f}" if theirs else "-"
        print(
            f"{name:<16} {entry['n']:>5}  {short(expected):>20}  {short(our_order):>20}  "
            f"{short(bliss_order):>20}  {equal:>6}  {our_s:>9}  {bliss_s:>9}"
        )
        if theirs and bliss_order != expected:
            notes.append(f"{name}: bliss {bliss_order} != expected {expected} ({entry['source']})")
        if our_order != expected:
            notes.append(f"{name}: ours {our_order} != expected {expected} ({entry['source']})")
    for note in notes:
        print("note:", note)


def short(s):
    """Long decimal orders as mantissa·10^k so the table stays readable."""
    if len(s) <= 20 or not s.isdigit():
        return s[:20]
    return f"{s[0]}.{s[1:5]}e{len(s) - 1}"


if __name__ == "__main__":
    main()
