#!/usr/bin/env bash
# bench-province: the provincial solve (docs/province.md) on COUNTIES demo
# counties (default "12 30 90", each size in turn, the largest last):
# time to a provincial plan and its proven gap with CONC concurrent county
# solves (default "1 2"; 90 counties: "2" only unless CONC90 is set), the
# per-county solve times and the projection to 8, 32 and 90 worker
# machines, the equal split of the pool, and CBC on the whole province as
# one model (up to CBC_MAX counties, default 12, CBC_LIMIT, default 300s).
# NODES (default 300) is every county solve's node limit, ROUNDS (default
# 6) the most pricing rounds, SHARE (default 0.5) the pool as a share of
# the counties' use at no price. Markdown on stdout for docs/province.md;
# each figure names the machine's load before and after it.
set -euo pipefail
cd "$(dirname "$0")/.."
for n in ${COUNTIES:-12 30 90}; do
	conc=${CONC:-1,2}
	if [[ "$n" -ge 90 ]]; then conc=${CONC90:-2}; fi
	go run ./scripts/benchprovince -counties "$n" -conc "${conc// /,}" -nodes "${NODES:-300}" -rounds "${ROUNDS:-6}" \
		-share "${SHARE:-0.5}" -cbc-max "${CBC_MAX:-12}" -cbc-limit "${CBC_LIMIT:-300s}"
done
