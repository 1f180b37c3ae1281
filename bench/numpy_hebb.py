"""The straightforward NumPy Hebbian update, timed on request for bench/hebbian_throughput.rs,
which starts this script once and alternates its own timings with ours, round by round.

    W = (1 - lam) * W + (eta / B) * A.T @ A      (float32, dense)

Usage: python numpy_hebb.py DIR, then one request per line on standard input, one answer
per line on standard output:
    version                -> NumPy's version and BLAS
    peak N                 -> GFLOP/s of one N x N x N float32 product (after a warm-up)
    hebb CASE B            -> stimuli/s of the update on DIR/CASE.npy in batches of B rows
                              (at least 3 steps and 0.3 s)
    quit
"""
import sys
import time
from pathlib import Path

import numpy as np

DECAY = 1e-4
LEARNING_RATE = 0.01
MIN_RUN_SECS = 0.3


def hebb(a, batch):
    """Stimuli/s of the update in batches of `batch` rows, after one untimed step (as the
    Rust side: the first step maps the fresh weight matrix's pages)."""
    n, m = a.shape
    w = np.zeros((m, m), dtype=np.float32)
    keep = np.float32(1.0 - DECAY)
    rate_scale = np.float32(LEARNING_RATE / batch)
    rows = a[0:batch]
    w = keep * w + rate_scale * (rows.T @ rows)
    offset = batch % (n - batch + 1)
    done = 0
    start = time.perf_counter()
    while done < 3 * batch or time.perf_counter() - start < MIN_RUN_SECS:
        rows = a[offset:offset + batch]
        w = keep * w + rate_scale * (rows.T @ rows)
        offset = (offset + batch) % (n - batch + 1)
        done += batch
    return done / (time.perf_counter() - start)


def peak(n, cache={}):
    if n not in cache:
        rng = np.random.default_rng(1)
        cache[n] = (rng.random((n, n), dtype=np.float32), rng.random((n, n), dtype=np.float32))
        cache[n][0] @ cache[n][1]  # warm-up
    a, b = cache[n]
    start = time.perf_counter()
    a @ b
    return 2.0 * n ** 3 / (time.perf_counter() - start) / 1e9


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "target/hebb-bench")
    matrices = {}
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        if words[0] == "version":
            try:
                from threadpoolctl import threadpool_info
                blas = ", ".join(f"{i['internal_api']} {i['version']} {i.get('architecture')} "
                                 f"{i['num_threads']} threads" for i in threadpool_info())
            except ImportError:
                blas = "BLAS unknown"
            answer = f"{np.__version__} ({blas})"
        elif words[0] == "peak":
            answer = f"{peak(int(words[1])):.3f}"
        elif words[0] == "hebb":
            case, batch = words[1], int(words[2])
            if case not in matrices:
                a = np.load(out / f"{case}.npy")
                assert a.dtype == np.float32 and a.flags.c_contiguous
                matrices[case] = a
            answer = f"{hebb(matrices[case], batch):.3f}"
        else:
            answer = "nan"
        print(answer, flush=True)


if __name__ == "__main__":
    main()
