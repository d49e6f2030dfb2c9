#!/usr/bin/env bash
# bench-solver: parkplan's solver on county-shaped random instances at 1×,
# 3× and 10× (planner/randinst.County, seed 1), 120 s each, objective /
# bound / gap at 1, 10, 60, 120 s and peak RSS; with CBC=1 also CBC on the
# identical MPS (120 s). Results go in docs/benchmarks-solver.md by hand.
#   scripts/bench-solver.sh            # all scales
#   SCALES="1" CBC=1 NOBUDGET=1 scripts/bench-solver.sh
# NOBUDGET=1 drops the yearly budget rows (scenarios/baseline.yaml has none);
# DEMO=1 solves the demo county (planner/demo × scale) under the baseline.
set -euo pipefail
cd "$(dirname "$0")/.."
args=()
[[ "${CBC:-0}" == 1 ]] && args+=(-cbc)
[[ "${NOBUDGET:-0}" == 1 ]] && args+=(-nobudget)
[[ "${DEMO:-0}" == 1 ]] && args+=(-demo)
for s in ${SCALES:-1 3 10}; do
	go run scripts/benchsolver/main.go -scale "$s" -limit "${LIMIT:-120s}" "${args[@]}"
done
