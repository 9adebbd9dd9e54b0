#!/usr/bin/env bash
# Variance reduction of importance sampling (docs/model.md#importance-sampling), per case:
# VRF = plain variance p(1-p)/N over the weighted variance = effective_paths / paths, from one
# `backstop simulate --importance auto` run each (fixed seeds). Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
cli=${CLI:-build/native/cli/backstop}
[ -x "$cli" ] || { echo "build the native CLI first: cmake --build --preset native --target backstop" >&2; exit 1; }
row() {  # name, then the CLI arguments
  local name=$1; shift
  local t0 t1 out
  t0=$(date +%s.%N)
  out=$("$cli" simulate "$@" --importance auto --format json)
  t1=$(date +%s.%N)
  # The run's JSON goes through the environment: stdin carries the script.
  OUT=$out python3 - "$name" "$*" "$t0" "$t1" <<'PY'
import json, os, sys
name, args, t0, t1 = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
r = json.loads(os.environ["OUT"])
d = r["depletion_probability"]
vrf = d["effective_paths"] / r["paths"]
re = "–" if d["relative_error"] is None else f"±{100 * d['relative_error']:.1f} %"
print(f"| {name} | {d['estimate']:.3g} | {re} | {r['paths']} | {vrf:.3g} | {t1 - t0:.1f} s | `backstop simulate {args} --importance auto` |")
PY
}
echo "| case | P(depletion) | 95 % rel. half-width | paths | VRF | wall | command |"
echo "|---|---:|---:|---:|---:|---:|---|"
for p in 1e-3 1e-4 1e-5 1e-6; do row "GBM first passage, p = $p" bench/scenarios/tail-gbm-$p.json --threads 2; done
for g in sim-gbm sim-merton-cascade sim-student-t-positions sim-multi-market; do
  row "golden $g" tests/golden/$g.json --paths 20000 --threads 2
done
for p in 2e-4 8e-6; do row "block bootstrap first passage, p = $p" bench/scenarios/tail-bootstrap-$p.json --threads 2; done
row "default scenario" scenarios/default.json --paths 10000 --threads 2
