#!/usr/bin/env bash
# scripts/bench-counties.sh — a demo province's data (docs/province.md,
# section "Data"): `parkplan demo --counties N` write time, peak memory
# and size for N in $COUNTIES (default "12 30 90"), and `parkplan import`
# time and peak memory of N in $IMPORT (default "12 90") into a fresh
# scratch database on the PostGIS server (each import also applies the
# migrations, timed apart first). Seed $SEED (default 2019).
#
# Usage: scripts/bench-counties.sh   (DATABASE_URL, else scripts/db.sh's cluster)
set -euo pipefail
cd "$(dirname "$0")/.."
counties=${COUNTIES:-12 30 90}
imports=${IMPORT:-12 90}
seed=${SEED:-2019}
url=${DATABASE_URL:-$(scripts/db.sh)}

work=$(mktemp -d)
scratch=parkplan_bench_counties_$$
base=${url%%\?*}
query=${url#"$base"}
scratch_url=${base%/*}/$scratch$query
cleanup() {
	psql -X -q "$url" -c "DROP DATABASE IF EXISTS $scratch WITH (FORCE)" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
go build -o "$work/parkplan" ./cmd/parkplan
pp=$work/parkplan

# timed CMD...: runs CMD, prints "seconds max-RSS-MiB"
timed() {
	/usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null
	awk '{printf "%.2f s, %.0f MiB", $1, $2 / 1024}' "$work/time"
}

echo "load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "| counties | towns | parcels | firms | demo write | size (dataset files) | size (with monitoring/) |"
echo "|---|---|---|---|---|---|---|"
for n in $counties; do
	dir=$work/p$n
	t=$(timed "$pp" demo --out "$dir" --counties "$n" --seed "$seed")
	towns=$(grep -c '"type":"Feature"' "$dir/towns.geojson")
	parcels=$(grep -c '"type":"Feature"' "$dir/parcels.geojson")
	firms=$(grep -c '"type":"Feature"' "$dir/enterprises.geojson")
	data=$(find "$dir" -maxdepth 1 -type f -printf '%s\n' | awk '{s += $1} END {printf "%.1f MB", s / 1e6}')
	all=$(du -sb "$dir" | awk '{printf "%.1f MB", $1 / 1e6}')
	echo "| $n | $towns | $parcels | $firms | $t | $data | $all |"
done
echo
echo "| counties | migrate (fresh database) | import (dataset) |"
echo "|---|---|---|"
for n in $imports; do
	dir=$work/p$n
	[ -d "$dir" ] || "$pp" demo --out "$dir" --counties "$n" --seed "$seed" >/dev/null
	rm -rf "$dir/monitoring" # the dataset alone (monitoring is imported apart)
	PGOPTIONS=--client-min-messages=warning psql -X -q "$url" -c "DROP DATABASE IF EXISTS $scratch WITH (FORCE)" -c "CREATE DATABASE $scratch"
	m=$(timed "$pp" migrate --db "$scratch_url")
	i=$(timed "$pp" import --db "$scratch_url" "$dir")
	echo "| $n | $m | $i |"
done
