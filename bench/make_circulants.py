"""Writes noisy, scrambled symmetric circulants for bench/run_scaling.sh.

For each size n: W = P·(C + N)·Pᵀ where C is a symmetric circulant, N symmetric
Gaussian noise with σ = 0.05·‖C‖_F/n (the planted symmetries then have a relative
error of about 0.07), and P a random relabelling. Profiles:
  gaussian  c[d] = exp(−d²/32), d the ring distance (as tests/search_common's
            noisy_circulant(n, 4.0, …) + add_relative_noise(…, 0.05, …));
  random    c[d] = c[n−d] uniform in [−1, 1]: every entry carries little
            information, so growth needs many tries (a hard case).
Both have exactly the dihedral group D_n (order 2n) as automorphisms before noise.
Also writes the relabelling (`…_labels.npy`: node i of the circulant is node
labels[i]) so the benchmark can check that every generator found is planted.
Usage: make_circulants.py OUT_DIR SEED PROFILE N…
"""
import sys
import numpy as np

out, seed, profile = sys.argv[1], int(sys.argv[2]), sys.argv[3]
# Above this size the matrix is built in float32 and in row blocks (n = 16,384: 1 GiB
# per copy instead of 2 GiB per float64 temporary); the noise is then the symmetric
# part of a float32 Gaussian matrix, of the same σ off the diagonal.
LARGE = 8192


def large(n, c, rng):
    c = c.astype(np.float32)
    w = np.empty((n, n), dtype=np.float32)
    cols = np.arange(n)
    for r0 in range(0, n, 1024):
        rows = np.arange(r0, min(r0 + 1024, n))
        w[r0 : r0 + len(rows)] = c[(cols[None, :] - rows[:, None]) % n]
    sigma = 0.05 * float(np.sqrt(np.sum(c.astype(np.float64) ** 2) * n)) / n
    noise = rng.standard_normal((n, n), dtype=np.float32)
    noise += noise.T
    noise *= np.float32(sigma / np.sqrt(2.0))
    w += noise
    del noise
    labels = rng.permutation(n)
    scrambled = np.empty_like(w)
    scrambled[np.ix_(labels, labels)] = w
    del w
    np.save(f"{out}/{profile}_{n}.npy", scrambled)
    np.save(f"{out}/{profile}_{n}_labels.npy", labels)

for n in [int(x) for x in sys.argv[4:]]:
    rng = np.random.default_rng(seed + n)
    d = np.arange(n)
    d = np.minimum(d, n - d)
    if profile == "gaussian":
        c = np.exp(-(d.astype(np.float64) ** 2) / 32.0)
    elif profile == "random":
        c = rng.uniform(-1.0, 1.0, n // 2 + 1)[d]
    else:
        sys.exit(f"unknown profile {profile!r}")
    if n > LARGE:
        large(n, c, rng)
        continue
    idx = (np.arange(n)[None, :] - np.arange(n)[:, None]) % n
    w = c[idx]
    sigma = 0.05 * np.linalg.norm(w) / n
    noise = np.triu(rng.normal(0.0, sigma, (n, n)))
    w = w + noise + np.triu(noise, 1).T
    labels = rng.permutation(n)
    scrambled = np.empty_like(w)
    scrambled[np.ix_(labels, labels)] = w
    np.save(f"{out}/{profile}_{n}.npy", scrambled.astype(np.float32))
    np.save(f"{out}/{profile}_{n}_labels.npy", labels)
