#!/usr/bin/python3
"""Old engine vs new engine on every golden simulation scenario and every preset.

  /usr/bin/python3 bench/compare_engines.py --old OLD/backstop --new build/native/cli/backstop [--paths N] [FILE ...]

Runs `simulate` with both CLIs (same seed, same paths, --threads 2) and compares the results.
Where the random streams are unchanged the two outputs should be identical, field by field
(reported as "identical"); otherwise the probabilities (depletion, liquidation, ADL) are
compared as two binomial estimates, |difference| / SE <= 4 with SE = sqrt(p1 q1/n + p2 q2/n).
With --batches K (K >= 2) a scenario whose outputs differ is also run with K seeds per engine
(seed, seed + 1, ...; --paths each) and the means over all paths of the records below are
compared with the SE of the batch means: mean bad debt, mean liquidated notional, the median
fund at the horizon. Exit status 1 on any disagreement.
"""
import argparse
import glob
import json
import math
import os
import subprocess
import sys
import tempfile


def run(cli, scenario, paths, seed=None):
    args = [cli, "simulate", scenario, "--paths", str(paths), "--threads", "2", "--format", "json"]
    tmp = None
    if seed is not None:  # the scenario with another seed, in a temporary file
        doc = json.load(open(scenario))
        doc["simulation"]["seed"] = seed
        tmp = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
        json.dump(doc, tmp)
        tmp.close()
        args[2] = tmp.name
    try:
        return json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)
    finally:
        if tmp:
            os.unlink(tmp.name)


BATCH_STATS = {
    "mean bad debt": lambda r: r["bad_debt"]["mean"],
    "mean liquidated notional": lambda r: r["liquidated_notional"]["mean"],
    "median fund at the horizon": lambda r: r["fund_quantiles"]["p50"][-1] if r["fund_quantiles"] else 0.0,
}


def batch_means(old, new, scenario, paths, k):
    seed0 = json.load(open(scenario))["simulation"]["seed"]
    worst = 0.0
    for name, stat in BATCH_STATS.items():
        m, v = [], []
        for cli in (old, new):
            xs = [stat(run(cli, scenario, paths, seed0 + b)) for b in range(k)]
            mu = sum(xs) / k
            m.append(mu)
            v.append(sum((x - mu) ** 2 for x in xs) / (k - 1) / k)
        se = math.sqrt(v[0] + v[1])
        # A record that is the same number on most paths (a fund after every fee and penalty) can have
        # an SE near 0: differences at rounding level (the fee sum in closed form) count as equal.
        if abs(m[0] - m[1]) <= 1e-9 * max(abs(m[0]), abs(m[1])):
            z = 0.0
        else:
            z = abs(m[0] - m[1]) / se if se > 0 else math.inf
        worst = max(worst, z)
        print(f"{scenario}: {name} over {k} seeds x {paths} paths: old {m[0]:.6g} new {m[1]:.6g} |diff|/SE {z:.2f}")
    return worst


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", required=True)
    ap.add_argument("--new", default="build/native/cli/backstop")
    ap.add_argument("--paths", type=int, default=20000)
    ap.add_argument("--batches", type=int, default=0)
    ap.add_argument("files", nargs="*", help="scenarios to compare (default: every golden simulation and preset)")
    a = ap.parse_args()
    files = sorted(f for f in glob.glob("tests/golden/sim-*.json") if not f.endswith(".expected.json"))
    files += sorted(glob.glob("scenarios/*.json"))
    files = a.files or files
    ok = True
    print(f"{a.paths} paths per scenario and engine; old {a.old}, new {a.new}")
    for f in files:
        o, n = run(a.old, f, a.paths), run(a.new, f, a.paths)
        for r in (o, n):
            r.pop("version", None)
        if o == n:
            print(f"{f}: identical (P(depletion) {n['depletion_probability']['estimate']:.5g}, "
                  f"mean bad debt {n['bad_debt']['mean']:.6g})")
            continue
        worst = 0.0
        for key in ("depletion_probability", "liquidation_probability"):
            p1, p2 = o[key]["estimate"], n[key]["estimate"]
            se = math.sqrt(p1 * (1 - p1) / a.paths + p2 * (1 - p2) / a.paths)
            z = abs(p1 - p2) / se if se > 0 else (0.0 if p1 == p2 else math.inf)
            worst = max(worst, z)
            print(f"{f}: {key} old {p1:.5g} new {p2:.5g} |diff|/SE {z:.2f}")
        if a.batches >= 2:
            worst = max(worst, batch_means(a.old, a.new, f, a.paths, a.batches))
        ok &= worst <= 4
    print("all agree" if ok else "DISAGREEMENT beyond 4 SE")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
