"""The straightforward NumPy Hebbian update, timed on the activity matrices that
bench/hebbian_throughput.rs wrote, then printed side by side with the Rust figures.

    W = (1 - lam) * W + (eta / B) * A.T @ A      (float32, dense)

Usage: python numpy_hebb.py DIR   (DIR holds ring-shift.npy, torus-translate.npy, rust.json)
"""
import json
import sys
import time
from pathlib import Path

import numpy as np

DECAY = 1e-4
LEARNING_RATE = 0.01
REPEATS = 5
MIN_REPEAT_SECS = 0.3


def throughput(a, batch):
    n, m = a.shape
    w = np.zeros((m, m), dtype=np.float32)
    keep = np.float32(1.0 - DECAY)
    rate_scale = np.float32(LEARNING_RATE / batch)
    rates = []
    offset = 0
    for _ in range(REPEATS):
        start = time.perf_counter()
        done = 0
        while done < 3 * batch or time.perf_counter() - start < MIN_REPEAT_SECS:
            rows = a[offset:offset + batch]
            w = keep * w + rate_scale * (rows.T @ rows)
            offset = (offset + batch) % n
            done += batch
        rates.append(done / (time.perf_counter() - start))
    rates.sort()
    return rates[REPEATS // 2]


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "target/hebb-bench")
    rust = json.loads((out / "rust.json").read_text())
    print(f"numpy {np.__version__}")
    print(f"{'case':<28} {'rust stim/s':>12} {'numpy stim/s':>13} {'ratio':>8}")
    for r in rust:
        a = np.load(out / f"{r['preset']}.npy")
        assert a.dtype == np.float32 and a.flags.c_contiguous
        rate = throughput(a, r["batch"])
        case = f"{r['preset']} M={r['neurons']} B={r['batch']}"
        print(f"{case:<28} {r['stimuli_per_sec']:>12.0f} {rate:>13.0f} {r['stimuli_per_sec'] / rate:>7.1f}x")


if __name__ == "__main__":
    main()
