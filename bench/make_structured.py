"""Writes the structured graphs of bench/run_stops.sh, each scrambled by a random
relabelling (seeded): graphs whose exact group is all there is to find, so the
approximate search should end on its own soon after the exact pass.

  cubic3000   a random 3-regular graph on 3,000 vertices (pairing model, retried
              until simple; its automorphism group is trivial with high probability)
  torus60     the 60 × 60 torus grid C_60 □ C_60 (exact group D_60 ≀ S_2, order
              60²·8 = 28,800)

Usage: make_structured.py OUT_DIR SEED
"""
import sys

import numpy as np

out, seed = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(seed)


def scrambled(w):
    p = rng.permutation(w.shape[0])
    return w[np.ix_(p, p)].astype(np.float32)


def random_cubic(n):
    while True:
        stubs = rng.permutation(np.repeat(np.arange(n), 3))
        a, b = stubs[0::2], stubs[1::2]
        if np.any(a == b):
            continue
        w = np.zeros((n, n), dtype=np.float32)
        if np.any(w[a, b] != 0):
            continue
        np.add.at(w, (a, b), 1.0)
        np.add.at(w, (b, a), 1.0)
        if w.max() == 1.0:
            return w


def torus(k):
    n = k * k
    w = np.zeros((n, n), dtype=np.float32)
    for x in range(k):
        for y in range(k):
            v = x * k + y
            for u in (((x + 1) % k) * k + y, x * k + (y + 1) % k):
                w[v, u] = w[u, v] = 1.0
    return w


np.save(f"{out}/cubic3000.npy", scrambled(random_cubic(3000)))
np.save(f"{out}/torus60.npy", scrambled(torus(60)))
