#!/usr/bin/env bash
# scripts/deps.sh — install the Debian packages parkplan's tests use, where missing:
#   postgresql-15-postgis-3  PostGIS for the data layer (scripts/db.sh also does this)
#   gdal-bin                 ogrinfo/ogr2ogr: GIS interoperability tests and the import benchmark
#   coinor-cbc               CBC: the reference solver the planner is cross-checked against
#   chromium                 headless browser for the map page test
#   fonts-noto-cjk           Chinese glyphs for labels in the map page and charts
#   wrk                      HTTP load generator for the API benchmark
#   poppler-utils            pdftotext: the plan report PDF test reads the Chinese text back
#   qgis python3-qgis        QGIS itself, headless, opens the exported QGIS project (docs/export.md;
#                            --no-install-recommends: 51 s, 229 MB download, on the development machine)
# Idempotent: does nothing when everything is present.
set -euo pipefail
need=()
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for p in postgresql-15-postgis-3 gdal-bin coinor-cbc chromium fonts-noto-cjk wrk poppler-utils qgis python3-qgis; do
	have "$p" || need+=("$p")
done
[ ${#need[@]} -eq 0 ] && exit 0
echo "deps.sh: installing ${need[*]}" >&2
sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
sudo_ env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
