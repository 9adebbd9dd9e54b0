#!/usr/bin/env python3
"""Coverage of importance sampling's reported interval (docs/model.md#importance-sampling).

Runs `backstop simulate --importance auto` for K seeds and compares each run's estimate with a
reference value p_ref obtained independently (a long plain run or a closed form):
z_k = (estimate_k - p_ref) / SE_k, SE_k = the reported 95 % half-width / 1.96. An honest
interval gives SD(z) ~ 1 and ~95 % of intervals covering p_ref.

  python3 bench/is_coverage.py --cli build/native/cli/backstop --scenario S.json \
      --truth 1.002e-4 --seeds 1-20 --paths 20000
"""
import argparse
import json
import math
import statistics
import subprocess
import sys


def seeds(spec):
    lo, _, hi = spec.partition("-")
    return range(int(lo), int(hi or lo) + 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default="build/native/cli/backstop")
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--truth", type=float, required=True, help="independent reference value of P(depletion)")
    ap.add_argument("--seeds", default="1-20")
    ap.add_argument("--paths", type=int, default=20000)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    rows = []
    print("seed  estimate    reported±95%   z")
    for k in seeds(a.seeds):
        out = subprocess.run([a.cli, "simulate", a.scenario, "--importance", "auto", "--format", "json",
                              "--paths", str(a.paths), "--seed", str(k), "--threads", str(a.threads)],
                             check=True, capture_output=True, text=True).stdout
        d = json.loads(out)["depletion_probability"]
        est, lo, hi = d["estimate"], d["ci95"][0], d["ci95"][1]
        se = (hi - lo) / 2 / 1.959963984540054
        z = (est - a.truth) / se if se > 0 else math.inf
        rows.append((k, est, se, z, lo <= a.truth <= hi))
        print(f"{k:4d}  {est:.4e}  ±{100 * 1.96 * se / est if est > 0 else math.inf:6.1f} %  {z:+6.2f}", flush=True)
    ests = [r[1] for r in rows]
    zs = [r[3] for r in rows]
    mean = statistics.fmean(ests)
    sd = statistics.stdev(ests)
    se_mean = sd / math.sqrt(len(ests))
    print(f"runs {len(rows)} x {a.paths} paths, reference {a.truth:.4g}")
    print(f"mean of the runs {mean:.4e} (SE {se_mean:.2e}, {(mean - a.truth) / se_mean:+.2f} SE from the reference)")
    print(f"spread between runs: SD {sd:.3e} = ±{100 * 1.96 * sd / mean:.1f} % at 95 %; "
          f"median reported ±{100 * 1.96 * statistics.median(r[2] for r in rows) / mean:.1f} %")
    print(f"z-scores: mean {statistics.fmean(zs):+.2f}, SD {statistics.stdev(zs):.2f}; "
          f"intervals covering the reference: {sum(r[4] for r in rows)} of {len(rows)}")


if __name__ == "__main__":
    sys.exit(main())
