#!/usr/bin/env bash
# scripts/db.sh — provide a PostGIS database for parkplan and print its URL.
#
# With DATABASE_URL set, that server is used as it is (only checked).
# Otherwise: install postgresql-15-postgis-3 from Debian if it is missing,
# and start a private cluster under .pg/ (git-ignored) on 127.0.0.1:$PARKPLAN_PGPORT
# (default 55432), owned by the system user "postgres". The system cluster is
# never touched. Running it again reuses the running cluster.
#
# Usage: scripts/db.sh [url|stop]   (url: print DATABASE_URL; stop: stop the private cluster and its standbys)
#        scripts/db.sh standby [start|stop|remove]
#
# standby (start): make a hot standby (streaming replica) of the running
# private cluster with pg_basebackup -R, once, under .pg/standby-PORT/, start
# it on 127.0.0.1:$PARKPLAN_STANDBY_PORT (default: the primary's port + 20)
# and print its URL (for `parkplan serve --read-db URL`). stop stops it;
# remove stops it and deletes its files.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
port=${PARKPLAN_PGPORT:-55432}
pgbin=/usr/lib/postgresql/15/bin
pgdir=$top/.pg
db=parkplan
url="postgres://postgres@127.0.0.1:$port/$db?sslmode=disable"

log() { echo "db.sh: $*" >&2; }

as_postgres() {
	if [ "$(id -un)" = postgres ]; then "$@"; 
	elif [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@";
	else sudo -u postgres -- "$@"; fi
}

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

if [ "${1:-}" = stop ]; then
	for d in "$pgdir"/standby-*/data; do
		[ -d "$d" ] && as_postgres "$pgbin/pg_ctl" -D "$d" -m fast stop >/dev/null 2>&1 || true
	done
	[ -d "$pgdir/data" ] && as_postgres "$pgbin/pg_ctl" -D "$pgdir/data" -m fast stop || true
	exit 0
fi

if [ "${1:-}" = standby ]; then
	[ -s "$pgdir/data/PG_VERSION" ] || { log "no private cluster in $pgdir/data (run scripts/db.sh first)"; exit 1; }
	pport=$(awk -F'[ =]+' '$1 == "port" {p = $2} END {print p}' "$pgdir/data/postgresql.conf")
	sport=${PARKPLAN_STANDBY_PORT:-$((pport + 20))}
	sdir=$pgdir/standby-$sport
	surl="postgres://postgres@127.0.0.1:$sport/$db?sslmode=disable"
	case "${2:-start}" in
	stop)
		[ -d "$sdir/data" ] && as_postgres "$pgbin/pg_ctl" -D "$sdir/data" -m fast stop >&2 || true
		exit 0 ;;
	remove)
		[ -d "$sdir/data" ] && as_postgres "$pgbin/pg_ctl" -D "$sdir/data" -m immediate stop >/dev/null 2>&1 || true
		rm -rf "$sdir"
		exit 0 ;;
	start) ;;
	*) log "usage: scripts/db.sh standby [start|stop|remove]"; exit 2 ;;
	esac
	as_postgres "$pgbin/pg_ctl" -D "$pgdir/data" status >/dev/null 2>&1 || { log "the private cluster on port $pport is not running (run scripts/db.sh)"; exit 1; }
	if [ ! -s "$sdir/data/PG_VERSION" ]; then
		log "making a hot standby of 127.0.0.1:$pport in $sdir/data (pg_basebackup -R)"
		rm -rf "$sdir"
		mkdir -p "$sdir/run"
		as_root chown -R postgres:postgres "$sdir"
		as_postgres "$pgbin/pg_basebackup" -h 127.0.0.1 -p "$pport" -U postgres -D "$sdir/data" -R -X stream --checkpoint=fast >&2
		cat <<CONF | as_postgres tee -a "$sdir/data/postgresql.conf" >/dev/null
# hot standby of 127.0.0.1:$pport (scripts/db.sh standby)
port = $sport
unix_socket_directories = '$sdir/run'
hot_standby = on
CONF
	fi
	if ! as_postgres "$pgbin/pg_ctl" -D "$sdir/data" status >/dev/null 2>&1; then
		log "starting the hot standby on 127.0.0.1:$sport"
		as_postgres "$pgbin/pg_ctl" -D "$sdir/data" -l "$sdir/server.log" -w -t 60 start >&2
	fi
	echo "$surl"
	exit 0
fi

if [ -n "${DATABASE_URL:-}" ]; then
	echo "$DATABASE_URL"
	exit 0
fi

if [ ! -e /usr/share/postgresql/15/extension/postgis.control ]; then
	log "installing postgresql-15-postgis-3 from Debian"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15-postgis-3 >&2
fi

mkdir -p "$pgdir"
if [ ! -s "$pgdir/data/PG_VERSION" ]; then
	log "creating a private cluster in $pgdir/data"
	mkdir -p "$pgdir/data" "$pgdir/run"
	as_root chown -R postgres:postgres "$pgdir"
	as_postgres "$pgbin/initdb" -D "$pgdir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >&2
	cat <<CONF | as_postgres tee -a "$pgdir/data/postgresql.conf" >/dev/null
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$pgdir/run'
max_connections = 200
shared_buffers = 256MB
fsync = on
CONF
fi
if ! as_postgres "$pgbin/pg_ctl" -D "$pgdir/data" status >/dev/null 2>&1; then
	log "starting the private cluster on 127.0.0.1:$port"
	as_postgres "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 60 start >&2
fi
psql_() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres "$@"; }
if ! psql_ -d postgres -tAc "select 1 from pg_database where datname='$db'" | grep -q 1; then
	psql_ -d postgres -c "create database $db" >&2
fi
psql_ -d "$db" -c "create extension if not exists postgis" >&2
echo "$url"
