#!/usr/bin/env bash
# bench-scale.sh — reads from a hot standby and vector tiles, on the
# 100,000-parcel county (scripts/bench-api.sql), measured with wrk on
# loopback (2 threads, 16 connections), in one run:
#   reads: a mix of OGC API reads (pages in boxes, features by id) against
#          `parkplan serve` alone, then with `--read-db` a hot standby
#          (scripts/db.sh standby), the same client and requests;
#   tiles: z12–z16 parcel tiles from parkplan and from pg_tileserv on the
#          same table (PG_TILESERV: its binary; unset, scripts/pg-tileserv.sh
#          builds it from https://github.com/CrunchyData/pg_tileserv at a
#          pinned commit, outside this repository).
# Writes the figures between the bench-scale markers of docs/scale.md, each
# row with the machine's load average (1 min) when it was measured.
#
# Usage: scripts/bench-scale.sh [-d SECONDS] [-n PARCELS] [-t TILES_PER_ZOOM] [-r TILE_REPEATS] [-s reads|tiles|all] [-o FILE]
#   -r: measure the tiles (parkplan, pg_tileserv, pg_tileserv, parkplan per
#       zoom level) this many times over, one table row per zoom and repeat;
#   -s: measure the reads, the tiles, or both (default).
# Needs: wrk, psql, go; the private cluster of scripts/db.sh (the standby is
# a copy of it); git and the network for the first build of pg_tileserv (the
# tile comparison is skipped, and said so, when it cannot be built). A throwaway database parkplan_bench_scale_<random> is created
# and dropped; the standby is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
dur=10
parcels=100000
per_zoom=64
repeats=1
sections=all
out=docs/scale.md
while getopts "d:n:t:r:s:o:" opt; do
	case $opt in
	d) dur=$OPTARG ;;
	n) parcels=$OPTARG ;;
	t) per_zoom=$OPTARG ;;
	r) repeats=$OPTARG ;;
	s) sections=$OPTARG ;;
	o) out=$OPTARG ;;
	*) echo "usage: $0 [-d SECONDS] [-n PARCELS] [-t TILES_PER_ZOOM] [-r TILE_REPEATS] [-s reads|tiles|all] [-o FILE]" >&2; exit 2 ;;
	esac
done
case $sections in reads | tiles | all) ;; *) echo "bench-scale.sh: -s reads, tiles or all" >&2; exit 2 ;; esac
load1() { cut -d' ' -f1 /proc/loadavg; }
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
for tool in wrk psql go python3; do
	command -v $tool >/dev/null || { echo "bench-scale.sh: $tool not found (scripts/deps.sh installs the Debian tools)" >&2; exit 1; }
done
log() { echo "bench-scale: $*" >&2; }

base=$(scripts/db.sh)
db=parkplan_bench_scale_$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
url=$(echo "$base" | sed -E "s#/[^/?]+(\?|$)#/$db\1#")
work=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
export PARKPLAN_STANDBY_PORT=${PARKPLAN_STANDBY_PORT:-$(free_port)}
srv_pid=""
ts_pid=""
cleanup() {
	[ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null && wait "$srv_pid" 2>/dev/null || true
	[ -n "$ts_pid" ] && kill "$ts_pid" 2>/dev/null && wait "$ts_pid" 2>/dev/null || true
	scripts/db.sh standby remove >/dev/null 2>&1 || true
	psql -Xq "$base" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

log "building parkplan"
go build -o "$work/parkplan" ./cmd/parkplan
psql -Xq "$base" -c "CREATE DATABASE $db" >/dev/null
DATABASE_URL=$url "$work/parkplan" migrate up >/dev/null
log "loading $parcels parcels (scripts/bench-api.sql)"
sed "s/{{parcels}}/$parcels/g" scripts/bench-api.sql | psql -Xq "$url" >/dev/null
psql -Xq "$url" -c "VACUUM ANALYZE" >/dev/null
sbase=""
if [ "$sections" != tiles ]; then
	log "making a hot standby on port $PARKPLAN_STANDBY_PORT"
	sbase=$(scripts/db.sh standby)
	surl=$(echo "$sbase" | sed -E "s#/[^/?]+(\?|$)#/$db\1#")
	for _ in $(seq 100); do psql -XAtq "$surl" -c "select 1 from parcel limit 1" >/dev/null 2>&1 && break; sleep 0.2; done
fi

port=$(free_port)
# start_server ARGS…: parkplan serve (feature cache off: every read reaches PostgreSQL).
start_server() {
	"$work/parkplan" serve --addr "127.0.0.1:$port" --db "$url" --access-log=false --log-level warn \
		--feature-cache-mb 0 "$@" >"$work/serve.out" 2>"$work/serve.err" &
	srv_pid=$!
	for _ in $(seq 300); do
		grep -q "serving on" "$work/serve.out" 2>/dev/null && return 0
		kill -0 $srv_pid 2>/dev/null || { cat "$work/serve.err" >&2; exit 1; }
		sleep 0.1
	done
	log "server did not start"; cat "$work/serve.err" >&2; exit 1
}
stop_server() { kill "$srv_pid"; wait "$srv_pid" 2>/dev/null || true; srv_pid=""; }

# paths.lua: wrk requests the paths of $WRK_PATHS in turn, one list per thread.
cat >"$work/paths.lua" <<'LUA'
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
LUA
ms() { awk -v v="$1" 'BEGIN{ if (v ~ /us$/) printf "%.2f", v/1000; else if (v ~ /ms$/) printf "%.2f", v+0; else if (v ~ /s$/) printf "%.1f", v*1000; else print v }'; }
tck=$(getconf CLK_TCK)
cpu_of() { local t=0 p; for p in "$@"; do [ -r /proc/$p/stat ] && t=$((t + $(awk '{print $14+$15}' /proc/$p/stat))); done; echo $t; }
# backends: PostgreSQL backends of the benchmark database, on the primary and the standby.
backends() {
	for u in "$base" ${sbase:+"$sbase"}; do
		psql -XAtq "$u" -c "select pid from pg_stat_activity where datname = '$db' and backend_type = 'client backend' and pid <> pg_backend_pid()" 2>/dev/null || true
	done
}
# run_wrk BASE_URL PATHS_FILE SERVER_PID: prints "req/s p50 p99 non2xx cpu-ms-per-request"
# (CPU of the server process and every PostgreSQL backend of the database, from /proc).
run_wrk() {
	WRK_PATHS=$2 wrk -t2 -c16 -d2s -s "$work/paths.lua" "$1" >/dev/null # warm up: pools open
	local res pids c0 c1
	pids=$(backends)
	c0=$(cpu_of "$3" $pids)
	res=$(WRK_PATHS=$2 wrk -t2 -c16 -d"${dur}s" --latency -s "$work/paths.lua" "$1")
	c1=$(cpu_of "$3" $pids)
	local n rps p50 p99 bad
	n=$(echo "$res" | awk '/requests in/{print $1}')
	rps=$(echo "$res" | awk '/Requests\/sec/{printf "%.0f", $2}')
	p50=$(ms "$(echo "$res" | awk '$1=="50%"{print $2}')")
	p99=$(ms "$(echo "$res" | awk '$1=="99%"{print $2}')")
	bad=$(echo "$res" | awk '/Non-2xx/{print $4}')
	awk -v rps="$rps" -v p50="$p50" -v p99="$p99" -v bad="${bad:-0}" -v c=$((c1 - c0)) -v n="$n" -v tck="$tck" \
		'BEGIN{printf "%s %s %s %s %.2f\n", rps, p50, p99, bad, c*1000/tck/n}'
}
# xacts URL: committed transactions of the database so far (on that server).
xacts() { psql -XAtq "$1" -c "select xact_commit from pg_stat_database where datname = current_database()"; }

if [ "$sections" != tiles ]; then
	# ---- reads: 0 and 1 standby ----
	python3 - "$parcels" >"$work/reads.txt" <<'PY'
import math, sys
n = int(sys.argv[1]); side = math.ceil(math.sqrt(n)); cell = 0.4 / side
out = []
for k in range(200):
    # a 2 % box at a deterministic place, and a feature by id
    x = 121.0 + (k * 37 % 90) / 100 * 0.34; y = 30.0 + (k * 53 % 90) / 100 * 0.34
    w = 0.4 * math.sqrt(0.02)
    out.append(f"/collections/parcels/items?limit=100&bbox={x:.5f},{y:.5f},{x + w:.5f},{y + w:.5f}")
    out.append(f"/collections/parcels/items/P{(k * 7919) % n + 1:06d}")
print("\n".join(out))
PY
	start_server
	p0=$(xacts "$url"); s0=$(xacts "$surl")
	log "reads, primary only"
	reads0=$(run_wrk "http://127.0.0.1:$port" "$work/reads.txt" $srv_pid)
	p1=$(xacts "$url"); s1=$(xacts "$surl")
	stop_server
	start_server --read-db "$surl"
	for _ in $(seq 50); do curl -sI "http://127.0.0.1:$port/collections/parcels" | grep -qi "read-server: standby" && break; sleep 0.2; done
	p2=$(xacts "$url"); s2=$(xacts "$surl")
	log "reads, one hot standby"
	reads1=$(run_wrk "http://127.0.0.1:$port" "$work/reads.txt" $srv_pid)
	p3=$(xacts "$url"); s3=$(xacts "$surl")
	stop_server
	reads_load="$load_start → $(cut -d' ' -f1-3 /proc/loadavg)"
fi

# ---- tiles: parkplan and pg_tileserv ----
declare -A ppt ppc tst tld cld
ts_note=""
ts_ver=""
tsport=""
if [ "$sections" != reads ]; then
	tiles_start=$(cut -d' ' -f1-3 /proc/loadavg)
	ts_props=id,town,kind,name,area_mu,far,cost_wan,floor_m2,firms,specialty,open_year
	for z in 12 13 14 15 16; do
		python3 - "$z" "$per_zoom" >"$work/tiles-$z.txt" <<'PY'
import math, sys
z, k = int(sys.argv[1]), int(sys.argv[2]); n = 2 ** z
def tile(lon, lat):
    r = math.radians(lat)
    return int((lon + 180) / 360 * n), int((1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * n)
x0, y1 = tile(121.0, 30.0); x1, y0 = tile(121.4, 30.4)
cells = [(x, y) for y in range(y0, y1 + 1) for x in range(x0, x1 + 1)]
step = max(1, len(cells) // k)
for x, y in cells[::step][:k]:
    print(f"{z} {x} {y}")
PY
		awk '{printf "/collections/parcels/tiles/WebMercatorQuad/%s/%s/%s\n", $1, $3, $2}' "$work/tiles-$z.txt" >"$work/pp-$z.txt"
		# pg_tileserv publishes every column unless asked: the same 11 properties
		# as parkplan's parcels layer (not the generated tile_row).
		awk -v p="$ts_props" '{printf "/public.parcel/%s/%s/%s.pbf?properties=%s\n", $1, $2, $3, p}' "$work/tiles-$z.txt" >"$work/ts-$z.txt"
	done
	if [ -z "${PG_TILESERV:-}" ]; then
		PG_TILESERV=$(scripts/pg-tileserv.sh) || { log "could not build pg_tileserv (scripts/pg-tileserv.sh): the comparison is skipped"; PG_TILESERV=""; }
	fi
	if [ -n "${PG_TILESERV:-}" ] && [ -x "$PG_TILESERV" ]; then
		tsport=$(free_port)
		# Same pool size (16) and buffer (64) as parkplan; no Cache-Control.
		DATABASE_URL=$url TS_HTTPPORT=$tsport TS_HTTPHOST=127.0.0.1 TS_DBPOOLMAXCONNS=16 TS_DEFAULTBUFFER=64 TS_CACHETTL=0 \
			"$PG_TILESERV" >"$work/ts.log" 2>&1 &
		ts_pid=$!
		for _ in $(seq 100); do curl -sf "http://127.0.0.1:$tsport/index.json" >/dev/null 2>&1 && break; sleep 0.2; done
		ts_ver=$(cd "$(dirname "$PG_TILESERV")" && git log -1 --format=%h 2>/dev/null || echo "?")
	else
		ts_note="(not run: scripts/pg-tileserv.sh could not build it, and PG_TILESERV names no binary)"
	fi
	# Both servers run; each zoom level is measured parkplan, pg_tileserv,
	# pg_tileserv, parkplan, so drifting machine load falls on both alike;
	# a row gives the mean of the two runs of each. -r repeats the lot.
	mean2() { awk -v a="$1" -v b="$2" 'BEGIN{ split(a, x, " "); split(b, y, " "); for (i = 1; i <= 5; i++) printf "%s%.2f", (i > 1 ? " " : ""), (x[i] + y[i]) / 2; print "" }'; }
	start_server
	for rep in $(seq "$repeats"); do
		for z in 12 13 14 15 16; do
			log "tiles z$z (repeat $rep of $repeats): parkplan, pg_tileserv, pg_tileserv, parkplan"
			l0=$(load1)
			a=$(run_wrk "http://127.0.0.1:$port" "$work/pp-$z.txt" $srv_pid)
			if [ -n "$tsport" ]; then
				b=$(run_wrk "http://127.0.0.1:$tsport" "$work/ts-$z.txt" $ts_pid)
				b2=$(run_wrk "http://127.0.0.1:$tsport" "$work/ts-$z.txt" $ts_pid)
				tst[$z,$rep]=$(mean2 "$b" "$b2")
			else
				tst[$z,$rep]="- - - - -"
			fi
			a2=$(run_wrk "http://127.0.0.1:$port" "$work/pp-$z.txt" $srv_pid)
			ppt[$z,$rep]=$(mean2 "$a" "$a2")
			tld[$z,$rep]="$l0–$(load1)"
		done
	done
	stop_server
	[ -n "$ts_pid" ] && { kill $ts_pid; wait $ts_pid 2>/dev/null || true; ts_pid=""; }
	start_server --feature-cache-mb 64
	for z in 12 13 14 15 16; do
		log "tiles z$z, parkplan (cache on)"
		l0=$(load1)
		ppc[$z]=$(run_wrk "http://127.0.0.1:$port" "$work/pp-$z.txt" $srv_pid)
		cld[$z]="$l0–$(load1)"
	done
	stop_server
	tiles_load="$tiles_start → $(cut -d' ' -f1-3 /proc/loadavg)"
fi

cpus=$(nproc)
model=$(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)
pgv=$(psql -XAtq "$url" -c "select split_part(version(), ' ', 2) || ', PostGIS ' || postgis_lib_version()")
feat() { psql -XAtq "$url" -c "select round(avg(n)) from (select (select count(*) from parcel where geom && ST_SetSRID(ST_Transform(ST_TileEnvelope($1, x, y, margin => 64.0/4096), 4326), 4490)) n from (values $(awk '{printf "%s(%s,%s)", (NR>1?",":""), $2, $3}' "$work/tiles-$1.txt")) v(x, y)) s"; }
cmd="scripts/bench-scale.sh -d $dur -n $parcels -t $per_zoom -r $repeats -s $sections"
intro() {
	echo "Written by \`$cmd\` on $(date -u '+%Y-%m-%d %H:%M') UTC — reproduce with that command."
	echo
	echo "Machine: $cpus × $model; PostgreSQL $pgv; shared with other engineers' builds and tests:"
	echo "each row gives the load average (1 min) while it ran. Client: \`wrk -t2 -c16 -d${dur}s\` on loopback,"
	echo "cycling through a fixed list of requests; parkplan with \`--feature-cache-mb 0\` unless said (every"
	echo "request reaches PostgreSQL)."
	echo
}

if [ "$sections" != tiles ]; then
	{
		echo "<!-- bench-scale-reads:begin (written by scripts/bench-scale.sh; edits between the markers are overwritten) -->"
		intro
		echo "Load average (1, 5, 15 min) at the start and at the end of the reads: $reads_load."
		echo
		echo "Requests: 200 pages of up to 100 parcels in a 2 % box and 200 parcels by id, alternating."
		echo "The standby is a \`pg_basebackup -R\` copy of the primary on the same machine (same two cores)."
		echo
		echo "| servers | req/s | p50 ms | p99 ms | non-2xx | CPU ms per request (server + PostgreSQL) | transactions on the primary | on the standby |"
		echo "|---|---:|---:|---:|---:|---:|---:|---:|"
		read -r r p50 p99 bad cpu <<<"$reads0"
		echo "| primary only | $r | $p50 | $p99 | $bad | $cpu | $((p1 - p0)) | $((s1 - s0)) |"
		read -r r p50 p99 bad cpu <<<"$reads1"
		echo "| primary + 1 standby (\`--read-db\`) | $r | $p50 | $p99 | $bad | $cpu | $((p3 - p2)) | $((s3 - s2)) |"
		echo "<!-- bench-scale-reads:end -->"
	} >"$work/reads.md"
fi
if [ "$sections" != reads ]; then
	{
		echo "<!-- bench-scale-tiles:begin (written by scripts/bench-scale.sh; edits between the markers are overwritten) -->"
		intro
		echo "Load average (1, 5, 15 min) at the start and at the end of the tiles: $tiles_load."
		echo
		echo "Requests: up to $per_zoom tiles per zoom level spread over the county (the same tiles for both servers),"
		echo "parcel layer of $parcels parcels; each row: parkplan, pg_tileserv, pg_tileserv, parkplan, means of the two"
		echo "runs of each. pg_tileserv ${ts_ver} ${ts_note} — same database, same pool size (16), same 4096 extent"
		echo "and 64 buffer, asked for the parcels layer's 11 properties (\`?properties=\`), the ones parkplan writes."
		echo
		echo "| zoom | repeat | load | parcels per tile (mean) | parkplan req/s | p50 ms | p99 ms | CPU ms/tile | pg_tileserv req/s | p50 ms | p99 ms | CPU ms/tile | parkplan ÷ pg_tileserv (req/s) | (CPU) |"
		echo "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
		for z in 12 13 14 15 16; do
			f=$(feat $z)
			for rep in $(seq "$repeats"); do
				read -r a ap50 ap99 _ acpu <<<"${ppt[$z,$rep]}"
				read -r b bp50 bp99 _ bcpu <<<"${tst[$z,$rep]}"
				ratio=$(awk -v a="$a" -v b="$b" 'BEGIN{ if (b+0 > 0) printf "%.2f×", a/b; else print "-" }')
				cratio=$(awk -v a="$acpu" -v b="$bcpu" 'BEGIN{ if (a+0 > 0 && b+0 > 0) printf "%.2f×", b/a; else print "-" }')
				echo "| $z | $rep | ${tld[$z,$rep]} | $f | ${a%.*} | $ap50 | $ap99 | $acpu | ${b%.*} | $bp50 | $bp99 | $bcpu | $ratio | $cratio |"
			done
		done
		echo
		echo "CPU per tile is the server process's and every PostgreSQL backend's CPU (from /proc) over the"
		echo "run, divided by the tiles served: unlike req/s it hardly depends on what else runs. The CPU"
		echo "ratio is pg_tileserv's CPU per tile over parkplan's (above 1: parkplan needs less)."
		echo
		echo "parkplan with its feature cache on (\`--feature-cache-mb 64\`; after the first pass every tile is"
		echo "served from memory, the cache dropped on every committed change):"
		echo
		echo "| zoom | load | req/s | p50 ms | p99 ms |"
		echo "|---:|---|---:|---:|---:|"
		for z in 12 13 14 15 16; do
			read -r c cp50 cp99 _ _ <<<"${ppc[$z]}"
			echo "| $z | ${cld[$z]} | ${c%.*} | $cp50 | $cp99 |"
		done
		echo "<!-- bench-scale-tiles:end -->"
	} >"$work/tiles.md"
fi

for sec in reads tiles; do
	[ -f "$work/$sec.md" ] || continue
	if [ -f "$out" ] && grep -q "<!-- bench-scale-$sec:begin" "$out"; then
		python3 - "$out" "$work/$sec.md" "$sec" <<'PY'
import re, sys
doc, sec, name = open(sys.argv[1]).read(), open(sys.argv[2]).read().rstrip("\n"), sys.argv[3]
doc = re.sub(r"<!-- bench-scale-" + name + r":begin.*?<!-- bench-scale-" + name + r":end -->", lambda m: sec, doc, flags=re.S)
open(sys.argv[1], "w").write(doc)
PY
	else
		cat "$work/$sec.md" >>"$out"
	fi
	log "wrote the $sec figures to $out"
	cat "$work/$sec.md"
done
