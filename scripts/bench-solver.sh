#!/usr/bin/env bash
# bench-solver: parkplan's solver on what users run. For each scale in
# SCALES (default 1; "1 3 10" for all), scripts/benchscen writes the demo
# county exactly as `parkplan demo --scale S` does (seed 2019), imports it
# into the private database (scripts/db.sh), and solves the shipped
# scenarios and DRAWN (default 30) scenarios drawn by planner/scengen (seed
# SEED, default 1; time limit LIMIT, default 60s) with `bin/parkplan solve`,
# each beside CBC on `bin/parkplan model`'s MPS for the same time. It prints
# one Markdown row per scenario (gap at 10 s and at the end, time, nodes,
# RSS, plan and bound against CBC's) and a summary against the goals;
# results go in docs/benchmarks-solver.md by hand.
#   scripts/bench-solver.sh
#   SCALES="1 3" DRAWN=30 LIMIT=60s scripts/bench-solver.sh
#   SERIAL=1 ...      CBC after parkplan instead of beside it (a quiet core each)
#   SHIPPED_LIMIT=120s ...  the shipped scenarios' time limit (node limits stay), e.g. for the 10× goal
#   ONLY=baseline,drawn-1-2 ...  only these scenarios
# RANDINST=1 runs the older benchmark instead: randinst.County(scale),
# seed 1, 120 s (CBC=1, NOBUDGET=1, DEMO=1 as before; see scripts/benchsolver).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${RANDINST:-0}" == 1 ]]; then
	args=()
	[[ "${CBC:-0}" == 1 ]] && args+=(-cbc)
	[[ "${NOBUDGET:-0}" == 1 ]] && args+=(-nobudget)
	[[ "${DEMO:-0}" == 1 ]] && args+=(-demo)
	for s in ${SCALES:-1 3 10}; do
		go run scripts/benchsolver/main.go -scale "$s" -limit "${LIMIT:-120s}" "${args[@]}"
	done
	exit 0
fi
[[ -x bin/parkplan ]] || make build
DATABASE_URL=${DATABASE_URL:-$(scripts/db.sh)}
export DATABASE_URL
args=()
[[ "${SERIAL:-0}" == 1 ]] && args+=(-serial)
[[ -n "${SHIPPED_LIMIT:-}" ]] && args+=(-shipped-limit "$SHIPPED_LIMIT")
[[ -n "${ONLY:-}" ]] && args+=(-only "$ONLY")
for s in ${SCALES:-1}; do
	go run scripts/benchscen/main.go -scale "$s" -drawn "${DRAWN:-30}" -seed "${SEED:-1}" -limit "${LIMIT:-60s}" "${args[@]}"
	echo
done
