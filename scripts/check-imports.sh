#!/usr/bin/env bash
# check-imports.sh — the project's packages import in one direction only:
#   geo      imports no project package;
#   planner  imports only geo (and its own subpackages);
#   data, api never import each other;
#   ogr (GDAL's tools, registers) imports neither data nor api.
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
check "./geo/..." "^$mod/(planner|data|api|cmd)" "geo imports no project package"
check "./planner/..." "^$mod/(data|api|cmd)" "planner imports only geo"
check "./data/..." "^$mod/(api|cmd)" "data never imports api"
check "./api/..." "^$mod/(data|ogr|cmd)" "api never imports data or ogr"
check "./ogr/..." "^$mod/(data|api|cmd)" "ogr imports only planner and geo"
exit $fail
