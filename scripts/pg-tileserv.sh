#!/usr/bin/env bash
# pg-tileserv.sh — builds pg_tileserv (https://github.com/CrunchyData/pg_tileserv),
# the tile server scripts/bench-scale.sh measures parkplan's tiles against,
# at a pinned commit, outside this repository (it is not part of parkplan),
# and prints the binary's path. Built once per commit under
# ${PARKPLAN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/parkplan}.
#
# Usage: scripts/pg-tileserv.sh      (PG_TILESERV_REPO: clone from there instead)
# Needs: git, go, and the network for the first build.
set -euo pipefail
commit=cc7f57f11c8249cb23e27a261f961a564b980613 # master of 2025-09-17
repo=${PG_TILESERV_REPO:-https://github.com/CrunchyData/pg_tileserv}
dir=${PARKPLAN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/parkplan}/pg_tileserv-${commit:0:7}
if [ ! -x "$dir/pg_tileserv" ]; then
	echo "pg-tileserv.sh: building pg_tileserv ${commit:0:7} from $repo in $dir" >&2
	rm -rf "$dir.tmp"
	mkdir -p "$(dirname "$dir")"
	git clone -q "$repo" "$dir.tmp"
	git -C "$dir.tmp" checkout -q "$commit"
	(cd "$dir.tmp" && go build -o pg_tileserv .)
	rm -rf "$dir"
	mv "$dir.tmp" "$dir"
fi
echo "$dir/pg_tileserv"
