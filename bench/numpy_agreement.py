#!/usr/bin/python3
"""Checks that bench/numpy_peer.py simulates the engine's model: the same scenario through
`backstop simulate` and through the peer (independent random streams), means within 4 SE.

  /usr/bin/python3 bench/numpy_agreement.py [--paths N] [--cli build/native/cli/backstop]

SE of a difference of two independent means: sqrt(se_engine^2 + se_peer^2). The engine prints
means, not standard deviations, so for the two means each side's SE is the peer's (under the
hypothesis being tested both samples have the same distribution); P(depletion) uses p(1-p)/n
for each side. Exit status 1 when a statistic is off by more than 4 SE.
"""
import argparse
import json
import math
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy_peer  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", default="bench/scenarios/explicit-book.json")
    ap.add_argument("--paths", type=int, default=100000)
    ap.add_argument("--cli", default="build/native/cli/backstop")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    with open(a.scenario) as f:
        doc = json.load(f)
    eng = json.loads(subprocess.run(
        [a.cli, "simulate", a.scenario, "--paths", str(a.paths), "--threads", str(a.threads), "--format", "json"],
        check=True, capture_output=True, text=True).stdout)
    peer = numpy_peer.summary(numpy_peer.simulate(doc, a.paths, 12345))
    rows = [
        ("P(depletion)", eng["depletion_probability"]["estimate"], peer["depletion_probability"], None),
        ("mean bad debt", eng["bad_debt"]["mean"], peer["bad_debt_mean"], peer["bad_debt_mean_se"]),
        ("mean liquidated notional", eng["liquidated_notional"]["mean"], peer["liquidated_notional_mean"],
         peer["liquidated_notional_mean_se"]),
    ]
    print(f"scenario {a.scenario}, {a.paths} paths each (engine seed {eng['seed']}, peer seed 12345)")
    print(f"{'statistic':26} {'engine':>16} {'numpy peer':>16} {'diff / SE':>10}")
    ok = True
    for name, e, p, se in rows:
        if se is None:
            se_diff = math.sqrt(e * (1 - e) / a.paths + p * (1 - p) / a.paths)
        else:
            se_diff = math.sqrt(2.0) * se
        z = (e - p) / se_diff if se_diff > 0 else (0.0 if e == p else math.inf)
        ok &= abs(z) <= 4
        print(f"{name:26} {e:16.6g} {p:16.6g} {z:10.2f}")
    print("agree within 4 SE" if ok else "DISAGREE beyond 4 SE")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
