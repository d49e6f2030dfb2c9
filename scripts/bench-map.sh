#!/usr/bin/env bash
# bench-map.sh — the map page's weight and first render time (docs/benchmarks-map.md).
#   Page weight: bytes of api/webdist/{index.html,app.js,app.css}, raw and gzip -9
#   (what the server sends to a browser that accepts gzip).
#   First render: runs the browser test (TestMapPageInBrowser: real parkplan,
#   real PostGIS, Debian chromium headless), which records the page's
#   performance timings in out/test/map-timing.json; RUNS times (default 3).
# Needs DATABASE_URL (scripts/db.sh) and /usr/bin/chromium. Prints Markdown.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
export DATABASE_URL=${DATABASE_URL:-$(scripts/db.sh)}

echo "## Page weight"
echo
echo "| file | bytes | gzip -9 bytes |"
echo "|---|---:|---:|"
tr=0; tg=0
for f in index.html app.js app.css; do
	r=$(stat -c %s "api/webdist/$f")
	g=$(gzip -9 -c "api/webdist/$f" | wc -c)
	tr=$((tr + r)); tg=$((tg + g))
	echo "| $f | $r | $g |"
done
echo "| **total** | **$tr** | **$tg** |"
echo
echo "## First render ($runs runs of TestMapPageInBrowser; ms since navigation start)"
echo
echo "cold: first visit in a fresh chromium profile; warm: the same page reloaded (ETag revalidation)."
echo
echo "| run | visit | HTML received | script start | map first drawn | layers + scenarios loaded | drawn with data | app.js transfer, bytes |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|"
for i in $(seq 1 "$runs"); do
	go test -count=1 -run 'TestMapPageInBrowser' ./cmd/parkplan/ >/tmp/bench-map-$$.log 2>&1 || { cat /tmp/bench-map-$$.log >&2; exit 1; }
	python3 - "$i" <<'PY'
import json, sys
all = json.load(open("out/test/map-timing.json"))
f = lambda v: "—" if v is None else f"{v:.0f}"
for visit in ("cold", "warm"):
    t = all[visit]
    js = next((r for r in t.get("resources", []) if r["name"] == "app.js"), {})
    print(f"| {sys.argv[1]} | {visit} | {f(t.get('htmlResponseEndMs'))} | {f(t.get('scriptStartMs'))} | {f(t.get('firstRenderMs'))} | {f(t.get('dataLoadedMs'))} | {f(t.get('dataRenderedMs'))} | {js.get('transfer', '—')} |")
PY
done
rm -f /tmp/bench-map-$$.log
