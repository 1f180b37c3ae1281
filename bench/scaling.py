"""Runs and summarises bench/run_scaling.sh. Usage: scaling.py BIN DATA REPEATS PROFILE N…"""
import json
import math
import os
import statistics
import subprocess
import sys
import time

import numpy as np

binary, data, repeats, profile = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
sizes = [int(x) for x in sys.argv[5:]]


def run(path):
    """Median wall time of `search PATH --json` over the repeats, the median time at which
    the search held its final group (`full_group_s`, "-" if not reported), and the last
    report."""
    times, full, peaks, report = [], [], [], None
    for _ in range(repeats):
        t = time.perf_counter()
        proc = subprocess.Popen([binary, "search", path, "--json"], stdout=subprocess.PIPE, text=True)
        out = proc.stdout.read()
        # The child's own peak resident memory (wait4's rusage, KiB on Linux).
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - t)
        if status != 0:
            sys.exit(f"search {path} failed ({status})")
        peaks.append(usage.ru_maxrss / 1024)
        report = json.loads(out)
        if report.get("full_group_s") is not None:
            full.append(report["full_group_s"])
    full_s = f"{statistics.median(full):.2f}" if len(full) == repeats else "-"
    return statistics.median(times), full_s, max(peaks), report


def planted(gen, labels):
    """True if the generator, read back through the relabelling, is i ↦ ±i + k mod n."""
    n = len(labels)
    inv = np.empty(n, dtype=np.int64)
    inv[labels] = np.arange(n)
    h = inv[np.asarray(gen)[labels]]
    i = np.arange(n)
    return any(np.array_equal(h, (s * i + h[0]) % n) for s in (1, -1))


print(f"{'case':<28} {'n':>5}  {'order':>6} {'expected':>8}  {'name':<24} {'true gens':>9} "
      f"{'max err':>8} {'checked':>12} {'median s':>8} {'full group s':>12} {'peak MiB':>9} {'/ W':>5}")
points = []
for n in sizes:
    path = f"{data}/{profile}_{n}.npy"
    secs, full_s, peak, r = run(path)
    g = r["group"]
    labels = np.load(f"{data}/{profile}_{n}_labels.npy")
    ok = sum(planted(p, labels) for p in g["generators"])
    checked = f"{g['checked_elements']} {'all' if g['all_checked'] else 'sample'}"
    print(f"{'noisy circulant (' + profile + ')':<28} {n:>5}  {g['order'] or '-':>6} {2 * n:>8}  "
          f"{g['name'] or '-':<24} {ok:>4}/{len(g['generators']):<4} {g['max_error'] or 0:>8.4f} "
          f"{checked:>12} {secs:>8.2f} {full_s:>12} {peak:>9.0f} {peak / (n * n * 4 / 2**20):>5.2f}")
    points.append((math.log(n), math.log(secs)))
for preset in ["torus-translate", "ring-shift", "polar-rotate"]:
    secs, full_s, peak, r = run(f"{data}/{preset}.json")
    n = r["n"]
    g, rec = r["group"], r["recovered_truths"]
    checked = f"{g['checked_elements']} {'all' if g['all_checked'] else 'sample'}"
    print(f"{preset:<28} {r['n']:>5}  {g['order'] or '-':>6} {rec['total'] + 1:>8}  "
          f"{g['name'] or '-':<24} {rec['recovered']:>4}/{rec['total']:<4} {g['max_error'] or 0:>8.4f} "
          f"{checked:>12} {secs:>8.2f} {full_s:>12} {peak:>9.0f} {peak / (n * n * 4 / 2**20):>5.2f}")
if len(points) >= 2:
    xs, ys = zip(*points)
    k = np.polyfit(xs, ys, 1)[0]
    print(f"cost growth over the circulants: time ∝ n^{k:.2f} (least squares on log–log)")
