#!/usr/bin/env bash
# bench-response-memory.sh — peak memory of `parkplan serve` under 24
# concurrent feature requests when one parcel has 1,000,000 vertices
# (issue 10, finding 7), with the vertex limit per answer
# (max_page_vertices, default 200,000) and without it (0). Prints a
# Markdown table; docs/reliability.md records a run.
#
# Usage: scripts/bench-response-memory.sh [-c CLIENTS] [-v VERTICES]
# Needs: psql, curl, go, a PostGIS server (DATABASE_URL, or scripts/db.sh's
# private cluster). A throwaway database is created and dropped.
set -euo pipefail
cd "$(dirname "$0")/.."
clients=24
verts=1000000
while getopts "c:v:" opt; do
	case $opt in
	c) clients=$OPTARG ;;
	v) verts=$OPTARG ;;
	*) echo "usage: $0 [-c CLIENTS] [-v VERTICES]" >&2; exit 2 ;;
	esac
done
base=${DATABASE_URL:-$(scripts/db.sh)}
db=parkplan_bench_mem_$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
url=$(echo "$base" | sed -E "s#/[^/?]+(\?|$)#/$db\1#")
work=$(mktemp -d)
srv_pid=""
cleanup() {
	[ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null && wait "$srv_pid" 2>/dev/null || true
	psql -Xq "$base" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
log() { echo "bench-response-memory: $*" >&2; }

go build -o "$work/parkplan" ./cmd/parkplan
psql -Xq "$base" -c "CREATE DATABASE $db" >/dev/null
"$work/parkplan" migrate up --db "$url" >/dev/null
sed 's/{{parcels}}/400/g' scripts/bench-api.sql | psql -Xq "$url" >/dev/null
# P000050 becomes a square of $verts vertices (its perimeter cut into equal steps).
psql -Xq "$url" -c "UPDATE parcel SET geom = ST_Multi(ST_Segmentize(geom, ST_Perimeter(geom) / $verts)) WHERE id = 'P000050'" >/dev/null
n=$(psql -XAtq "$url" -c "SELECT ST_NPoints(geom) FROM parcel WHERE id = 'P000050'")
log "P000050 has $n vertices"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

# run LIMIT PATH: peak RSS of a fresh server before and after $clients concurrent GETs of PATH.
run() {
	"$work/parkplan" serve --addr "127.0.0.1:$port" --db "$url" --access-log=false --log-level warn \
		--feature-cache-mb 0 --max-page-vertices "$1" >"$work/serve.out" 2>"$work/serve.err" &
	srv_pid=$!
	for _ in $(seq 300); do grep -q "serving on" "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
	curl -s -o /dev/null "http://127.0.0.1:$port/collections/parcels/items?limit=1"
	local before after codes bytes t0 t1
	before=$(awk '/VmHWM/ {print $2}' /proc/$srv_pid/status)
	t0=$(date +%s.%N)
	for _ in $(seq "$clients"); do
		curl -s -o /dev/null -w '%{http_code} %{size_download}\n' "http://127.0.0.1:$port$2" >>"$work/codes" &
	done
	wait $(jobs -p | grep -v "^$srv_pid$") 2>/dev/null || true
	t1=$(date +%s.%N)
	after=$(awk '/VmHWM/ {print $2}' /proc/$srv_pid/status)
	codes=$(cut -d' ' -f1 "$work/codes" | sort | uniq -c | awk '{printf "%s×%s ", $2, $1}')
	bytes=$(awk '{s+=$2} END {printf "%.0f", s/NR/1e3}' "$work/codes")
	rm -f "$work/codes"
	kill $srv_pid; wait $srv_pid 2>/dev/null || true; srv_pid=""
	printf '| %s | `%s` | %s| %s kB | %d MB | %d MB | %.1f s |\n' "$1" "$2" "$codes" "$bytes" $((before / 1024)) $((after / 1024)) "$(echo "$t1 - $t0" | bc)"
}

echo "| max_page_vertices | request ($clients at once) | answers | bytes each | peak RSS before | peak RSS after | wall |"
echo "|---|---|---|---|---|---|---|"
for limit in ${LIMITS:-0 200000}; do
	run $limit "/collections/parcels/items?limit=100"
	run $limit "/collections/parcels/items?limit=100&offset=49"
	run $limit "/collections/parcels/items/P000050"
done
echo
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
