#!/usr/bin/env bash
# bench-province: the provincial solve (docs/province.md) on COUNTIES demo
# counties (default "12 30 90", each size in turn, the largest last):
# time to a provincial plan (wall clock and CPU time) and its proven gap
# with CONC concurrent county solves (default "1 2"; 90 counties: "2"
# only unless CONC90 is set), each round's bound, the per-county solve
# times and the projection to 8, 32 and 90 worker machines, the equal
# split of the pool (clipped to each county's floor and request, the rest
# spread), and CBC on the whole province as one model (up to CBC_MAX
# counties, default 0: from 2 counties it finds no plan in 300 s and at
# 12 it does not finish its root LP in 17 minutes, see docs/province.md;
# CBC_LIMIT, default 300s: its status, plan, bound, LP bound and nodes). NODES (default 300) is the
# node limit of the bound round and the final re-solves, PRICING_NODES
# (default 40) that of the pricing rounds, ROUNDS (default 3) the most
# pricing rounds, GAP (default 0.02) the gap that ends the pricing, SHARE
# (default 0.5) the pool as a share of the counties' use at no price,
# CAP_SHARE (default 0: none) a province-wide max_new_land_parks as a
# share of the parks on new land the counties open at no price.
# Markdown on stdout for docs/province.md; each figure names the
# machine's load before and after it.
set -euo pipefail
cd "$(dirname "$0")/.."
for n in ${COUNTIES:-12 30 90}; do
	conc=${CONC:-1,2}
	if [[ "$n" -ge 90 ]]; then conc=${CONC90:-2}; fi
	go run ./scripts/benchprovince -counties "$n" -conc "${conc// /,}" -nodes "${NODES:-300}" \
		-pricing-nodes "${PRICING_NODES:-40}" -rounds "${ROUNDS:-3}" -gap "${GAP:-0.02}" \
		-share "${SHARE:-0.5}" -cbc-max "${CBC_MAX:-0}" -cbc-limit "${CBC_LIMIT:-300s}" -cap-share "${CAP_SHARE:-0}"
done
