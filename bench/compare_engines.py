#!/usr/bin/python3
"""Old engine vs new engine on every golden simulation scenario and every preset.

  /usr/bin/python3 bench/compare_engines.py --old OLD/backstop --new build/native/cli/backstop [--paths N]

Runs `simulate` with both CLIs (same seed, same paths, --threads 2) and compares the results.
Where the random streams are unchanged the two outputs should be identical, field by field
(reported as "identical"); otherwise the probabilities (depletion, liquidation, ADL) are
compared as two binomial estimates, |difference| / SE <= 4 with SE = sqrt(p1 q1/n + p2 q2/n).
Exit status 1 on any disagreement.
"""
import argparse
import glob
import json
import math
import subprocess
import sys


def run(cli, scenario, paths):
    out = subprocess.run([cli, "simulate", scenario, "--paths", str(paths), "--threads", "2", "--format", "json"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", required=True)
    ap.add_argument("--new", default="build/native/cli/backstop")
    ap.add_argument("--paths", type=int, default=20000)
    a = ap.parse_args()
    files = sorted(f for f in glob.glob("tests/golden/sim-*.json") if not f.endswith(".expected.json"))
    files += sorted(glob.glob("scenarios/*.json"))
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
        ok &= worst <= 4
    print("all agree" if ok else "DISAGREEMENT beyond 4 SE")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
