#!/usr/bin/env python3
"""Does the search stop when it is done? Runs `BIN search FILE --json` (default
options: the time limit, 60 s, is only a cancel) REPEATS times per case and prints
the median wall time with what was found: the exact group's order and engine, the
approximate group's order, whether the time limit stopped it, and the work counters
(growths, polish rounds, annealing moves). With BASE (an older build of the same
CLI), every round runs both, interleaved (the structured graphs with BASE in the first
round only: an older build may run them to its time limit), and the table gives the
ratio.

Targets: each structured graph (`structured` cases: nothing to find beyond the exact
group) under 5 s and not stopped by the time limit; the presets and planted cases no
slower than BASE (median ratio ≤ 1.1, the noise of this shared machine).

Usage: stops.py BIN BASE|- REPEATS KIND:FILE…   (KIND: structured or planted)
"""

import json
import os
import statistics
import subprocess
import sys
import time


def run(binary, path):
    """Wall seconds and the JSON, with the child's CPU seconds (user + system, from
    wait4) added as `cpu_s`: on a machine shared with other work the wall time
    includes waiting for a core, the CPU time does not."""
    t = time.perf_counter()
    proc = subprocess.Popen([binary, "search", path, "--json"], stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    if status != 0:
        sys.exit(f"{binary} search {path} failed ({status})")
    v = json.loads(out)
    v["cpu_s"] = usage.ru_utime + usage.ru_stime
    return wall, v


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    binary, base, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
    base = None if base == "-" else base
    cases = [a.split(":", 1) for a in sys.argv[4:]]
    ours = {p: [] for _, p in cases}
    theirs = {p: [] for _, p in cases}
    for r in range(repeats):
        for kind, path in cases:
            steps = [lambda: ours[path].append(run(binary, path))]
            # The older build runs to its time limit on the structured graphs: once.
            if base and (r == 0 or kind != "structured"):
                steps.append(lambda: theirs[path].append(run(base, path)))
            for step in steps if r % 2 == 0 else steps[::-1]:
                step()
        print(f"round {r + 1}/{repeats} done", file=sys.stderr)
    raw = {p: {"ours": [(w, x) for w, x in ours[p]], "base": [w for w, _ in theirs[p]]} for _, p in cases}
    with open("target/bench-stops/results.json", "w") as f:
        json.dump(raw, f)
    header = (f"{'case':<22} {'n':>5}  {'exact order':>12} {'engine':<11} {'group':>7}  {'timed out':>9}  "
              f"{'growths':>7} {'polish':>7} {'anneal':>8}  {'ours s':>7} {'cpu s':>6}  {'base s':>7}  {'ratio':>5}  target")
    print(header)
    print("-" * len(header))
    met = True
    for kind, path in cases:
        runs = ours[path]
        v = runs[-1][1]
        s = statistics.median(w for w, _ in runs)
        timed_out = any(x["timed_out"] for _, x in runs)
        same = all(json.dumps(x["results"]) == json.dumps(v["results"]) for _, x in runs)
        b = statistics.median(w for w, _ in theirs[path]) if theirs[path] else None
        if kind == "structured":
            ok = s < 5.0 and not timed_out
        else:
            ok = not timed_out and (b is None or s <= 1.1 * b)
        ok = ok and same
        met &= ok
        e = v["exact_group"]
        order = e["order"] if len(e["order"] or "") <= 12 else f"{e['order'][:3]}e{len(e['order']) - 1}"
        work = v["work"]
        name = path.rsplit("/", 1)[-1]
        print(f"{name:<22} {v['n']:>5}  {order:>12} {e.get('engine', '-'):<11} {v['group']['order'] or '-':>7}  "
              f"{'yes' if timed_out else 'no':>9}  {work['growths']:>7} {work['polish_rounds']:>7} "
              f"{work['anneal_moves']:>8}  {s:>7.2f} {statistics.median(x['cpu_s'] for _, x in runs):>6.2f}  {'' if b is None else f'{b:7.2f}':>7}  "
              f"{'' if b is None else f'{s / b:5.2f}':>5}  {'ok' if ok else 'MISS'}{'' if same else ' (results differ between runs)'}")
    print(f"repeats: {repeats} (interleaved with BASE when given; medians)")
    print(f"target: {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
