#!/usr/bin/env python3
"""Plot a sweep CSV (from `invariance-lab sweep`): e_g against stimuli, log-log, one
colour per combination of the swept parameters (the columns between `run` and `seed`),
each seed as a thin line and the geometric mean over seeds as a thick one, with the
1/sqrt(N) law for reference. Prints the least-squares slope of log e_g against
log stimuli per combination: over all checkpoints, over the first decades (before any
plateau) and over the last decade (the plateau, slope near 0).

Usage: plot_sweep.py SWEEP.csv OUT.png [--early-max STIMULI]
Needs matplotlib (bench/venv.sh: `. bench/venv.sh && ensure_venv matplotlib`).
"""

import argparse
import csv
import math
from collections import defaultdict


def slope(points):
    """Least-squares slope of log y against log x."""
    xs = [math.log(x) for x, _ in points]
    ys = [math.log(y) for _, y in points]
    n = len(xs)
    if n < 2:
        return float("nan")
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    return sxy / sxx if sxx > 0 else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("csv")
    ap.add_argument("png")
    ap.add_argument("--early-max", type=float, default=5000,
                    help="last stimuli count of the early fit (default 5000)")
    args = ap.parse_args()

    with open(args.csv, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        raise SystemExit(f"{args.csv}: no rows")
    header = list(rows[0].keys())
    params = header[1:header.index("seed")]

    # combination -> seed -> [(stimuli, e_g)]
    curves = defaultdict(lambda: defaultdict(list))
    baseline = []
    for r in rows:
        e = float(r["e_g"])
        if not math.isfinite(e) or e <= 0:
            continue
        key = tuple(r[p] for p in params)
        curves[key][r["seed"]].append((int(r["stimuli"]), e))
        baseline.append(float(r["e_random"]))

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.5, 5), dpi=120)
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    print(f"{'combination':<24} {'seeds':>5} {'slope all':>10} "
          f"{'slope ≤ %g' % args.early_max:>14} {'slope last decade':>18}")
    all_x = []
    for i, (key, seeds) in enumerate(sorted(curves.items(),
                                            key=lambda kv: [float(v) if _num(v) else v
                                                            for v in kv[0]])):
        colour = colours[i % len(colours)]
        label = ", ".join(f"{p} = {v}" for p, v in zip(params, key)) or "all runs"
        # The first combination on top: with shared seeds, curves coincide until the
        # parameter starts to matter, and the reference case should stay visible.
        z = 2 * (len(curves) - i)
        for pts in seeds.values():
            xs, ys = zip(*sorted(pts))
            ax.plot(xs, ys, color=colour, alpha=0.25, linewidth=0.8, zorder=z)
        # Geometric mean over seeds at each stimuli count.
        by_x = defaultdict(list)
        for pts in seeds.values():
            for x, y in pts:
                by_x[x].append(math.log(y))
        mean = sorted((x, math.exp(sum(v) / len(v))) for x, v in by_x.items())
        xs, ys = zip(*mean)
        all_x.extend(xs)
        s_all = slope(mean)
        s_early = slope([p for p in mean if p[0] <= args.early_max])
        top = max(xs)
        s_last = slope([p for p in mean if p[0] >= top / 10])
        ax.plot(xs, ys, color=colour, linewidth=2.2, zorder=z + 1,
                label=f"{label}  (slope {s_all:+.2f}; last decade {s_last:+.2f})")
        print(f"{label:<24} {len(seeds):>5} {s_all:>+10.3f} {s_early:>+14.3f} {s_last:>+18.3f}")

    # The 1/sqrt(N) law through the first mean point of the first combination.
    first = sorted(curves.items())[0][1]
    x0 = min(x for pts in first.values() for x, _ in pts)
    y0 = math.exp(sum(math.log(y) for pts in first.values() for x, y in pts if x == x0)
                  / sum(1 for pts in first.values() for x, _ in pts if x == x0))
    lo, hi = min(all_x), max(all_x)
    ax.plot([lo, hi], [y0 * (lo / x0) ** -0.5, y0 * (hi / x0) ** -0.5], "k--",
            linewidth=1, label="1/√N", zorder=2 * len(curves) + 2)
    if baseline:
        b = sum(baseline) / len(baseline)
        ax.axhline(b, color="grey", linestyle=":", linewidth=1,
                   label=f"random permutation ({b:.2f})")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("stimuli seen N")
    ax.set_ylabel("symmetry error e_g of the true transformation")
    ax.set_title(args.csv.rsplit("/", 1)[-1])
    ax.grid(True, which="both", alpha=0.2)
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    fig.savefig(args.png)
    print(f"saved {args.png}")


def _num(v):
    try:
        float(v)
        return True
    except ValueError:
        return False


if __name__ == "__main__":
    main()
