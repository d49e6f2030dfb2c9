#!/usr/bin/env bash
# bench-jobs.sh — queued scenario solves on River with 1, 2 and 3
# `parkplan worker` processes (one solve each) on this machine, against
# one PostgreSQL: throughput, CPU per solve (workers), PostgreSQL CPU and
# transactions per solve and per idle worker, connections per worker;
# then a projection for 1,000 county solves on 8, 32 and 128 worker
# machines (scripts/benchscale). Writes docs/scale-jobs.md's figures section.
#
# Usage: scripts/bench-jobs.sh [-n SOLVES] [-l NODE_LIMIT] [-i IDLE_SECONDS] [-o FILE]
# Needs: psql, curl, jq, a local PostGIS server (DATABASE_URL, or
# scripts/db.sh's private cluster: its processes are read in /proc). A
# throwaway database parkplan_bench_scale_<random> is created and dropped.
#
# Each solve is the demo county under scenarios/baseline.yaml with its
# node limit (5,000 unless -l) and a 900 s time limit, so the node limit
# ends every solve: the same work every time, whatever the machine's load.
# On a shared machine the wall-clock figures depend on what else runs; the
# CPU per solve does not.
set -euo pipefail
cd "$(dirname "$0")/.."
n=6
nodes=5000
idle=30
out=docs/scale-jobs.md
while getopts "n:l:i:o:" opt; do
	case $opt in
	n) n=$OPTARG ;;
	l) nodes=$OPTARG ;;
	i) idle=$OPTARG ;;
	o) out=$OPTARG ;;
	*) echo "usage: $0 [-n SOLVES] [-l NODE_LIMIT] [-i IDLE_SECONDS] [-o FILE]" >&2; exit 2 ;;
	esac
done
for tool in psql curl jq go; do
	command -v $tool >/dev/null || { echo "bench-jobs.sh: $tool not found (scripts/deps.sh installs the Debian tools)" >&2; exit 1; }
done

base=${DATABASE_URL:-$(scripts/db.sh)}
db=parkplan_bench_scale_$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
admin_url=$base
url=$(echo "$base" | sed -E "s#/[^/?]+(\?|$)#/$db\1#")
work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
	psql -Xq "$admin_url" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
log() { echo "bench-jobs: $*" >&2; }
export PARKPLAN_JOB_POLL_INTERVAL=1s PARKPLAN_JOB_QUEUE=1000 PARKPLAN_LOG_LEVEL=warn

log "building parkplan; loading the demo county into $db"
go build -o "$work/parkplan" ./cmd/parkplan
pp="$work/parkplan"
psql -Xq "$admin_url" -c "CREATE DATABASE $db" >/dev/null
psql -Xq "$url" -c "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null
"$pp" migrate --db "$url" >/dev/null
"$pp" demo --out "$work/demo" >/dev/null
"$pp" import "$work/demo" --db "$url" >/dev/null
token=$("$pp" token create --role planner --name bench --db "$url")

tck=$(getconf CLK_TCK)
# cpu_of PID…: CPU ticks of live processes.
cpu_of() { local t=0 p; for p in "$@"; do [ -r /proc/$p/stat ] && t=$((t + $(awk '{print $14+$15}' /proc/$p/stat))); done; echo $t; }
# The postmaster: its own CPU plus its reaped children's (cutime, cstime),
# plus its live children's — every backend, those that exited included.
pm=$(awk '/^PPid/{print $2}' /proc/"$(psql -XAtq "$admin_url" -c "select pid from pg_stat_activity where backend_type = 'checkpointer'")"/status)
pg_cpu() {
	local t kids
	t=$(awk '{print $14+$15+$16+$17}' /proc/$pm/stat)
	kids=$(pgrep -P "$pm" || true)
	echo $((t + $(cpu_of $kids)))
}
xacts() { psql -XAtq "$admin_url" -c "select xact_commit + xact_rollback from pg_stat_database where datname = '$db'"; }
conns() { psql -XAtq "$admin_url" -c "select count(*) from pg_stat_activity where datname = '$db' and backend_type = 'client backend' and pid <> pg_backend_pid()"; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$pp" serve --addr "127.0.0.1:$port" --db "$url" --access-log=false --workers 0 --feature-cache-mb 0 \
	>"$work/serve.out" 2>"$work/serve.err" &
pids+=($!)
for _ in $(seq 300); do grep -q "serving on" "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
api="http://127.0.0.1:$port"

# start_workers K: starts K workers; their pids in wpids.
wpids=()
start_workers() {
	wpids=()
	local i
	for i in $(seq "$1"); do
		"$pp" worker --db "$url" --concurrency 1 >"$work/w$i.out" 2>"$work/w$i.err" &
		wpids+=($!)
		pids+=($!)
	done
	for i in $(seq "$1"); do
		for _ in $(seq 300); do grep -q "worker ready" "$work/w$i.out" 2>/dev/null && break; sleep 0.1; done
	done
}
stop_workers() { local p; for p in "${wpids[@]}"; do kill -TERM "$p"; wait "$p" 2>/dev/null || true; done; }

sleep 2
c_serve=$(conns)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
rows=()
for k in 1 2 3; do
	start_workers $k
	sleep 2
	c_w=$(conns)
	w0=$(cpu_of "${wpids[@]}"); p0=$(pg_cpu); x0=$(xacts)
	t0=$(date +%s.%N)
	l0=$(cut -d' ' -f1 /proc/loadavg)
	for i in $(seq "$n"); do
		sed -e "s/^name: baseline/name: bench-$k-$i/" -e "s/^node_limit: .*/node_limit: $nodes/" -e "s/^time_limit: .*/time_limit: 900s/" scenarios/baseline.yaml |
			curl -sf -o /dev/null -X POST -H "Authorization: Bearer $token" -H "Content-Type: application/yaml" --data-binary @- "$api/scenarios"
	done
	while :; do
		st=$(curl -sf -H "Authorization: Bearer $token" "$api/scenarios" | jq -r --arg p "bench-$k-" \
			'[.scenarios[] | select(.id | startswith($p))] | "\(map(select(.status == "done")) | length) \(map(select(.status == "failed" or .status == "cancelled")) | length)"')
		read -r done bad <<<"$st"
		[ "$bad" -gt 0 ] && { log "a run failed"; cat "$work"/w*.err >&2; exit 1; }
		[ "$done" -ge "$n" ] && break
		sleep 0.2
	done
	t1=$(date +%s.%N)
	w1=$(cpu_of "${wpids[@]}"); p1=$(pg_cpu); x1=$(xacts)
	stop_workers
	l1=$(cut -d' ' -f1 /proc/loadavg)
	rows+=("$(awk -v k=$k -v n=$n -v t0=$t0 -v t1=$t1 -v w=$((w1 - w0)) -v p=$((p1 - p0)) -v x=$((x1 - x0)) -v tck=$tck -v cs=$c_serve -v cw=$c_w -v ld="$l0–$l1" \
		'BEGIN { wall = t1 - t0; printf "| %d | %d | %.1f | %.1f | %.2f | %.2f | %.3f | %.0f | %.1f | %s |", k, n, wall, n / wall * 3600, w / tck / n, (w / tck) / (wall * k), p / tck / n, x / n, (cw - cs) / k, ld }')")
	log "${rows[-1]}"
done

log "idle load: 3 workers for ${idle}s"
start_workers 3
sleep 2
p0=$(pg_cpu); x0=$(xacts); t0=$(date +%s.%N)
sleep "$idle"
p1=$(pg_cpu); x1=$(xacts); t1=$(date +%s.%N)
stop_workers
idle_row=$(awk -v p=$((p1 - p0)) -v x=$((x1 - x0)) -v t0=$t0 -v t1=$t1 -v tck=$tck \
	'BEGIN { d = t1 - t0; printf "%.4f %.2f", p / tck / d / 3, x / d / 3 }')
read -r idle_cpu idle_tps <<<"$idle_row"

# The one-worker row gives the per-solve figures the projection uses.
# field ROW N: the Nth column of a table row, without its spaces.
field() { echo "$1" | awk -F'|' -v n="$2" '{ gsub(/ /, "", $(n + 1)); print $(n + 1) }'; }
solve_s=$(field "${rows[0]}" 5)
pg_s=$(field "${rows[0]}" 7)
conn_w=$(field "${rows[-1]}" 9)
projection=$(go run ./scripts/benchscale -solve-cpu "$solve_s" -pg-cpu "$pg_s" -idle-pg-cpu "$idle_cpu" -conns "$conn_w")

load=$(cut -d' ' -f1-3 /proc/loadavg)
model=$(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)
pgv=$(psql -XAtq "$admin_url" -c "show server_version")
{
	echo "<!-- figures: written by scripts/bench-jobs.sh ($(date -u +%Y-%m-%d)); edit the script, not this section -->"
	echo "## Measured ($(date -u +%Y-%m-%d))"
	echo
	echo "Machine: $(nproc) × $model; PostgreSQL $pgv on the same machine, shared with other engineers'"
	echo "builds and tests: load average (1, 5, 15 min) $load_start at the start, $load at the end, and"
	echo "each row's 1-min load while it ran (wall-clock figures depend on it, CPU per solve hardly). Each solve: the demo county under"
	echo "\`scenarios/baseline.yaml\` with node limit $nodes (time limit 900 s: the node limit ends every solve)."
	echo "$n runs queued at once per row; workers poll every 1 s. Command: \`scripts/bench-jobs.sh -n $n -l $nodes -i $idle\`."
	echo
	echo "| workers | solves | wall s | solves/h | worker CPU s/solve | CPU use per worker | PostgreSQL CPU s/solve | transactions/solve | connections/worker | load |"
	echo "|---|---|---|---|---|---|---|---|---|---|"
	for r in "${rows[@]}"; do echo "$r"; done
	echo
	echo "An idle worker (polling, reaper, River's leader election among the workers) costs PostgreSQL"
	echo "$idle_cpu CPU s/s and $idle_tps transactions/s (3 idle workers for ${idle} s, per worker)."
	echo
	echo "$projection"
} >"$work/figures.md"
if [ -f "$out" ] && grep -q '^<!-- figures: written by scripts/bench-jobs.sh' "$out"; then
	sed -n '/^<!-- figures: written by scripts\/bench-jobs.sh/q;p' "$out" >"$work/head.md"
	cat "$work/head.md" "$work/figures.md" >"$out"
else
	cat "$work/figures.md" >>"$out"
fi
log "wrote $out"
