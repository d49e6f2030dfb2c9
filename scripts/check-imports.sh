#!/usr/bin/env bash
# check-imports.sh — the project's packages import in one direction only:
#   geo      imports no project package;
#   planner  imports only geo (and its own subpackages);
#   data, api never import each other;
#   ogr (GDAL's tools, registers) imports neither data nor api;
#   jobs     (the job runner, owner of River) imports planner and data, never
#            api; api, data, planner and ogr never import jobs (cmd/parkplan wires);
#   River    is imported by jobs alone.
set -euo pipefail
cd "$(dirname "$0")/.."
mod=$(go list -m)
fail=0
check() { # pkg-pattern forbidden-regex why
	local pkgs deps
	for p in $(go list "$1" 2>/dev/null); do
		deps=$(go list -deps "$p" | grep "^$mod/" | grep -v "^$p\$" || true)
		bad=$(echo "$deps" | grep -E "$2" || true)
		if [ -n "$bad" ]; then echo "imports: $p must not import: $(echo $bad) ($3)"; fail=1; fi
	done
}
check "./geo/..." "^$mod/(planner|data|api|jobs|cmd)" "geo imports no project package"
check "./planner/..." "^$mod/(data|api|jobs|cmd)" "planner imports only geo"
check "./data/..." "^$mod/(api|jobs|cmd)" "data never imports api or jobs"
check "./api/..." "^$mod/(data|ogr|jobs|cmd)" "api never imports data, ogr or jobs"
check "./ogr/..." "^$mod/(data|api|jobs|cmd)" "ogr imports only planner and geo"
check "./jobs/..." "^$mod/(api|cmd)" "jobs never imports api"
# River: only jobs imports it (its tables are the job runner's business).
for p in $(go list ./... | grep -v -x "$mod/jobs"); do
	if go list -f '{{join .Imports "\n"}}' "$p" | grep -q '^github.com/riverqueue/'; then
		echo "imports: $p must not import River (only $mod/jobs does)"; fail=1
	fi
done
exit $fail
