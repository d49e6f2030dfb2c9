#!/usr/bin/env bash
# bench-province-jobs.sh — the provincial solve (docs/province.md) of
# COUNTIES demo counties (default 12) under scenarios/province-demo.yaml
# (or SCENARIO), as users run it against PostgreSQL: in the coordinator's
# process (`province solve --db`, one county solve at a time), then with
# `--jobs` on 1 and on 2 `parkplan worker` processes (concurrency 1 each).
# For each: wall-clock time to the provincial plan, CPU time of the
# coordinator and of the workers, objective, bound, gap, and whether the
# result is the in-process one to the byte (elapsed time and the saved
# scenario ids aside: node limits make it so). Markdown on stdout for
# docs/province.md, with the load average before and after each run.
#
# Needs: psql, jq, go, a local PostGIS server (DATABASE_URL, or
# scripts/db.sh's private cluster). A throwaway database
# parkplan_bench_prov_<random> is created and dropped.
set -euo pipefail
cd "$(dirname "$0")/.."
counties=${COUNTIES:-12}
scenario=${SCENARIO:-scenarios/province-demo.yaml}
workers=${WORKERS:-1 2}
for tool in psql jq go; do
	command -v $tool >/dev/null || { echo "bench-province-jobs.sh: $tool not found (scripts/deps.sh installs the Debian tools)" >&2; exit 1; }
done

base=${DATABASE_URL:-$(scripts/db.sh)}
db=parkplan_bench_prov_$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
url=$(echo "$base" | sed -E "s#/[^/?]+(\?|$)#/$db\1#")
work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
	psql -Xq "$base" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
log() { echo "bench-province-jobs: $*" >&2; }
export PARKPLAN_JOB_POLL_INTERVAL=${PARKPLAN_JOB_POLL_INTERVAL:-100ms} PARKPLAN_LOG_LEVEL=warn

log "building parkplan; loading $counties demo counties into $db"
go build -o "$work/parkplan" ./cmd/parkplan
pp="$work/parkplan"
psql -Xq "$base" -c "CREATE DATABASE $db" >/dev/null
psql -Xq "$url" -c "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null
"$pp" migrate --db "$url" >/dev/null
"$pp" demo --counties "$counties" --out "$work/demo" >/dev/null
"$pp" import "$work/demo" --db "$url" >/dev/null

tck=$(getconf CLK_TCK)
# cpu_of PID…: CPU seconds (user+system, children reaped included) of live processes.
cpu_of() {
	local t=0 p
	for p in "$@"; do [ -r /proc/$p/stat ] && t=$((t + $(awk '{print $14+$15+$16+$17}' /proc/$p/stat))); done
	awk -v t=$t -v h=$tck 'BEGIN{printf "%.1f", t/h}'
}
load() { cut -d' ' -f1 /proc/loadavg; }
# strip: the result without what differs between runs by design.
strip() { jq -S 'del(.elapsed) | .counties |= map(del(.scenario_id))' "$1"; }

# run NAME ARGS…: one provincial solve; its result JSON in $work/NAME.json.
run() {
	local name=$1; shift
	local l0 t0 t1 st
	l0=$(load)
	t0=$(date +%s.%N)
	/usr/bin/time -f '%U %S' -o "$work/$name.time" "$pp" province solve --scenario "$scenario" --db "$url" --json "$@" \
		>"$work/$name.json" 2>"$work/$name.err" || { log "$name failed:"; cat "$work/$name.err" >&2; exit 1; }
	t1=$(date +%s.%N)
	st=$(awk '{printf "%.1f", $1+$2}' "$work/$name.time")
	echo "$name $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') $st $l0 $(load)" >>"$work/runs"
}

log "in process (one county solve at a time)"
run inproc --concurrency 1
for w in $workers; do
	log "--jobs on $w worker process(es)"
	wp=()
	for i in $(seq 1 "$w"); do
		"$pp" worker --db "$url" --concurrency 1 >"$work/worker$w-$i.log" 2>&1 &
		wp+=($!)
		pids+=($!)
	done
	sleep 1
	run "workers$w" --jobs
	wcpu=$(cpu_of "${wp[@]}")
	for p in "${wp[@]}"; do kill "$p"; wait "$p" 2>/dev/null || true; done
	echo "workers$w $wcpu" >>"$work/wcpu"
done

echo "| run | time to plan | CPU: coordinator / workers | objective | bound | gap | same result as in process | load before → after |"
echo "|---|---|---|---|---|---|---|---|"
strip "$work/inproc.json" >"$work/inproc.s"
while read -r name wall cpu l0 l1; do
	j=$work/$name.json
	wc=$(awk -v n="$name" '$1==n{print $2}' "$work/wcpu" 2>/dev/null || true)
	same="—"
	wcol="—"
	[ -n "$wc" ] && wcol="$wc s"
	if [ "$name" != inproc ]; then
		if strip "$j" | cmp -s - "$work/inproc.s"; then same=yes; else same=**no**; fi
	fi
	label=$name
	case $name in inproc) label="in process" ;; workers*) label="--jobs, ${name#workers} worker(s)" ;; esac
	printf '| %s | %s s | %s s / %s | %s | %s | %s %% | %s | %s → %s |\n' "$label" "$wall" "$cpu" "$wcol" \
		"$(jq -r '.objective|floor' "$j")" "$(jq -r '.bound|floor' "$j")" "$(jq -r '.gap*100' "$j" | xargs printf "%.2f")" "$same" "$l0" "$l1"
done <"$work/runs"
