#!/usr/bin/env bash
# scripts/bench-import.sh — import speed (docs/benchmarks-import.md).
#
# 1. BenchmarkImportParcels (data): parkplan's Import of PARCELS generated
#    parcels (default 100,000; seed SEED, default 42) into a throwaway
#    database, BENCHTIME iterations (default 3x); it keeps the dataset.
# 2. ogr2ogr (GDAL) loading the same parcels.geojson into a scratch
#    database on the same PostGIS server, RUNS times (default 3).
#
# Usage: scripts/bench-import.sh   (DATABASE_URL, else scripts/db.sh's cluster)
set -euo pipefail
cd "$(dirname "$0")/.."
parcels=${PARCELS:-100000}
seed=${SEED:-42}
benchtime=${BENCHTIME:-3x}
runs=${RUNS:-3}
url=${DATABASE_URL:-$(scripts/db.sh)}
export DATABASE_URL=$url

work=$(mktemp -d)
scratch=parkplan_bench_ogr_$$
base=${url%%\?*}
query=${url#"$base"}
scratch_url=${base%/*}/$scratch$query
cleanup() {
	psql -X -q "$url" -c "DROP DATABASE IF EXISTS $scratch WITH (FORCE)" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== parkplan import: BenchmarkImportParcels, $parcels parcels, seed $seed, $benchtime"
go test ./data -run '^$' -bench '^BenchmarkImportParcels$' -benchtime "$benchtime" -count 1 \
	-args -bench.parcels="$parcels" -bench.seed="$seed" -bench.keep="$work/ds" | grep -E '^(Benchmark|cpu|goos|ok)'
ls -l "$work/ds/parcels.geojson"

echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== ogr2ogr $(ogr2ogr --version | cut -d, -f1 | cut -d' ' -f2) into the same server (scratch database $scratch)"
psql -X -q "$url" -c "CREATE DATABASE $scratch"
psql -X -q "$scratch_url" -c "CREATE EXTENSION postgis"
# GDAL takes libpq key=value pairs, not this URL form (a password comes from PGPASSWORD)
IFS='|' read -r host port user < <(psql -X -qtA "$url" -c "SELECT host(inet_server_addr()), inet_server_port(), current_user" -F '|')
pg="PG:host=$host port=$port user=$user dbname=$scratch"
for i in $(seq "$runs"); do
	start=$(date +%s.%N)
	ogr2ogr -f PostgreSQL "$pg" "$work/ds/parcels.geojson" -nln parcel_ogr -nlt MULTIPOLYGON \
		-lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=GIST -lco FID=fid -a_srs EPSG:4490 -gt 65536 -overwrite
	end=$(date +%s.%N)
	n=$(psql -X -qtA "$scratch_url" -c "SELECT count(*) FROM parcel_ogr")
	awk -v s="$start" -v e="$end" -v n="$n" 'BEGIN { printf "ogr2ogr run: %d parcels in %.2f s = %.0f parcels/s\n", n, e - s, n / (e - s) }'
done

# 3. The county formats (docs/import.md): the same dataset as a GeoPackage,
#    as Shapefiles in EPSG:4549 and as a File Geodatabase, imported by
#    `parkplan import --mapping` (ogr2ogr streaming each layer on a pipe —
#    a PostgreSQL dump with EWKB geometries — into the same validator and
#    COPY) against ogr2ogr loading the same parcels layer straight into
#    PostGIS.
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== county formats: GeoPackage, Shapefile (EPSG:4549), File Geodatabase, $parcels parcels"
go build -o "$work/parkplan" ./cmd/parkplan
mkdir -p "$work/gpkg" "$work/shp" "$work/gdb"
for l in towns parcels protected enterprises; do
	ogr2ogr -f GPKG -a_srs EPSG:4490 -append -nln "$l" "$work/gpkg/county.gpkg" "$work/ds/$l.geojson"
	ogr2ogr -f "ESRI Shapefile" -s_srs EPSG:4490 -t_srs EPSG:4549 -mapFieldType StringList=String -lco ENCODING=UTF-8 \
		"$work/shp/$l.shp" "$work/ds/$l.geojson" 2>/dev/null
	ogr2ogr -f OpenFileGDB -a_srs EPSG:4490 -mapFieldType StringList=String -append -nln "$l" "$work/gdb/county.gdb" "$work/ds/$l.geojson" 2>/dev/null
done
for d in gpkg shp gdb; do
	cp "$work/ds/industries.csv" "$work/ds/quotas.csv" "$work/$d/"
done
"$work/parkplan" import --suggest-mapping "$work/gpkg/county.gpkg" --out "$work/gpkg/mapping.yaml" >/dev/null
"$work/parkplan" import --suggest-mapping "$work/shp" --out "$work/shp/mapping.yaml" >/dev/null
"$work/parkplan" import --suggest-mapping "$work/gdb/county.gdb" --out "$work/gdb/mapping.yaml" >/dev/null
du -sh "$work/gpkg/county.gpkg" "$work/shp" "$work/gdb/county.gdb"
# server_ticks prints the CPU time (clock ticks) the PostgreSQL server has
# used so far — postmaster, its processes and those that ended — when the
# server runs on this machine and its postmaster.pid can be read; else "".
pgdata=$(psql -X -qtA "$url" -c "SELECT setting FROM pg_settings WHERE name = 'data_directory'" 2>/dev/null || true)
server_ticks() {
	local pm t=0 p
	pm=$(head -1 "$pgdata/postmaster.pid" 2>/dev/null) || return 0
	[ -r "/proc/$pm/stat" ] || return 0
	for p in $pm $(pgrep -P "$pm"); do
		t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
	done
	echo $((t + $(awk '{ print $16 + $17 }' "/proc/$pm/stat")))
}
hz=$(getconf CLK_TCK)
timed() { # label count-sql command… — wall time, CPU time of the client process tree and of the server
	local label=$1 count=$2 t n s0 s1
	shift 2
	s0=$(server_ticks)
	t=$( { TIMEFORMAT='%R %U %S'; time "$@" >/dev/null 2>&1; } 2>&1 )
	s1=$(server_ticks)
	n=$(psql -X -qtA "$scratch_url" -c "$count")
	read -r wall user sys <<<"$t"
	awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" -v n="$n" -v s0="$s0" -v s1="$s1" -v hz="$hz" \
		'BEGIN { printf "%s: %d parcels in %.2f s = %.0f parcels/s (client CPU %.2f s", l, n, w, n / w, u + s
		         if (s0 != "" && s1 != "") printf ", server CPU %.2f s", (s1 - s0) / hz
		         printf ", load %s)\n", "'"$(cut -d' ' -f1 /proc/loadavg)"'" }'
}
for i in $(seq "$runs"); do
	for d in gpkg shp gdb; do
		timed "parkplan import --mapping ($d) run $i" "SELECT count(*) FROM parcel" \
			"$work/parkplan" import --mapping "$work/$d/mapping.yaml" --db "$scratch_url"
	done
	timed "ogr2ogr GeoPackage → PostGIS run $i" "SELECT count(*) FROM parcel_ogr" \
		ogr2ogr -f PostgreSQL "$pg" "$work/gpkg/county.gpkg" parcels -nln parcel_ogr -nlt MULTIPOLYGON \
		-lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=GIST -lco FID=fid -gt 65536 -overwrite
	timed "ogr2ogr Shapefile → PostGIS run $i" "SELECT count(*) FROM parcel_ogr" \
		ogr2ogr -f PostgreSQL "$pg" "$work/shp/parcels.shp" -nln parcel_ogr -nlt MULTIPOLYGON \
		-lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=GIST -lco FID=fid -gt 65536 -overwrite
	timed "ogr2ogr File Geodatabase → PostGIS run $i" "SELECT count(*) FROM parcel_ogr" \
		ogr2ogr -f PostgreSQL "$pg" "$work/gdb/county.gdb" parcels -nln parcel_ogr -nlt MULTIPOLYGON \
		-lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=GIST -lco FID=fid -gt 65536 -overwrite
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
