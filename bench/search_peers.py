#!/usr/bin/env python3
"""Peers of the automorphism search on the matrices written by search_bench.rs.

For every DIR/{family}_{n}.npy (+ .json with the scrambling sigma and the
planted symmetry) it runs
  * SciPy FAQ: scipy.optimize.quadratic_assignment(W, W, method="faq",
    maximize=True) from K random starts, keeping the best non-identity result;
  * NumPy spectral + FAQ: eigh of (W + W^T)/2, Umeyama similarity |U||U|^T
    with the diagonal forbidden, one linear_sum_assignment, then FAQ from
    that permutation;
checks whether the best permutation is a non-trivial element of the planted
group (consistency >= 0.95, as the engine's check), and prints one table
with the engine's numbers from DIR/engine.json and the time ratios.

Usage: search_peers.py DIR [--starts K] [--starts-large K2]
(K random FAQ starts up to n = 1024, K2 above; defaults 3 and 1).
"""

import argparse
import json
import pathlib
import time

import numpy as np
from scipy.optimize import linear_sum_assignment, quadratic_assignment


def rel_error(w, p):
    """r = ||W - pi W|| / ||W|| with (pi W)[pi(i)][pi(j)] = W[i][j]."""
    return np.linalg.norm(w[np.ix_(p, p)] - w) / np.linalg.norm(w)


def is_planted(meta, p):
    n = len(p)
    need = int(np.ceil(0.95 * n))
    if meta["family"] == "planted":
        g = np.asarray(meta["planted"])
        return int(np.sum(p == g)) >= need
    sigma = np.asarray(meta["sigma"])
    inv = np.empty(n, dtype=int)
    inv[sigma] = np.arange(n)
    q = inv[p[sigma]]  # back to the original labels
    i = np.arange(n)
    shift = np.bincount((q - i) % n, minlength=n)
    ok = shift[1:].max() >= need
    if meta["family"] == "circulant":
        refl = np.bincount((q + i) % n, minlength=n)
        ok = ok or refl.max() >= need
    return bool(ok)


def best_of(w, perms):
    """Lowest-error non-identity permutation (None if all are the identity)."""
    n = w.shape[0]
    cands = [p for p in perms if not np.array_equal(p, np.arange(n))]
    if not cands:
        return None, float("nan")
    errs = [rel_error(w, p) for p in cands]
    k = int(np.argmin(errs))
    return cands[k], errs[k]


def scipy_faq(w, starts, seed):
    t = time.perf_counter()
    perms = []
    for s in range(starts):
        res = quadratic_assignment(
            w, w, method="faq", options={"maximize": True, "P0": "randomized", "rng": np.random.default_rng(seed + s)}
        )
        perms.append(np.asarray(res.col_ind))
    return best_of(w, perms) + (time.perf_counter() - t,)


def spectral_faq(w):
    t = time.perf_counter()
    n = w.shape[0]
    _, u = np.linalg.eigh((w + w.T) / 2)
    s = np.abs(u) @ np.abs(u).T
    cost = -s
    cost[np.diag_indices(n)] = cost.max() + 1e6  # forbid fixed points
    _, col = linear_sum_assignment(cost)
    p0 = np.zeros((n, n))
    p0[np.arange(n), col] = 1.0
    res = quadratic_assignment(w, w, method="faq", options={"maximize": True, "P0": p0})
    perms = [col, np.asarray(res.col_ind)]
    return best_of(w, perms) + (time.perf_counter() - t,)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--starts", type=int, default=3)
    ap.add_argument("--starts-large", type=int, default=1)
    args = ap.parse_args()
    d = pathlib.Path(args.dir)
    engine = {(r["family"], r["n"]): r for r in json.loads((d / "engine.json").read_text())}
    rows = []
    for (family, n), e in engine.items():
        meta = json.loads((d / f"{family}_{n}.json").read_text())
        w = np.load(d / f"{family}_{n}.npy").astype(np.float64)
        k = args.starts if n <= 1024 else args.starts_large
        p1, r1, t1 = scipy_faq(w, k, 1)
        p2, r2, t2 = spectral_faq(w)
        ok1 = p1 is not None and is_planted(meta, p1)
        ok2 = p2 is not None and is_planted(meta, p2)
        rows.append((family, n, e, (ok1, r1, t1, k), (ok2, r2, t2)))
        print(f"  done {family} {n}", flush=True)
    print()
    print("| family | n | engine: recovered, time | SciPy FAQ (best of k): recovered, time | "
          "NumPy spectral+FAQ: recovered, time | SciPy / engine | spectral+FAQ / engine |")
    print("|---|---:|---|---|---|---:|---:|")
    yes = lambda b: "yes" if b else "no"
    for family, n, e, (ok1, r1, t1, k), (ok2, r2, t2) in rows:
        te = max(e["seconds"], 1e-9)
        print(f"| {family} | {n} | {yes(e['recovered'])} (r={e['best_error']:.3f}), {te:.2f} s "
              f"| {yes(ok1)} (r={r1:.3f}, k={k}), {t1:.2f} s "
              f"| {yes(ok2)} (r={r2:.3f}), {t2:.2f} s | {t1 / te:.1f}× | {t2 / te:.1f}× |")
    for name, idx in (("engine", None), ("SciPy FAQ", 3), ("spectral+FAQ", 4)):
        if idx is None:
            rate = np.mean([r[2]["recovered"] for r in rows])
        else:
            rate = np.mean([r[idx][0] for r in rows])
        print(f"recovery rate {name}: {100 * rate:.0f}%")


if __name__ == "__main__":
    main()
