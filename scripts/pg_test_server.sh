#!/usr/bin/env bash
# A throwaway PostgreSQL server, for the store tests and the benchmarks:
#   bash scripts/pg_test_server.sh COMMAND [ARGS...]   # run COMMAND with one
#   bash scripts/pg_test_server.sh --start DIR          # start one in DIR (new or empty)
#   bash scripts/pg_test_server.sh --stop DIR           # stop it (the caller removes DIR)
# initdb's a cluster in a new temporary directory, starts it listening on a
# unix socket in that directory only (no TCP port, no system service, no
# root), creates the roles docs/deploy.md describes (goldthread_import,
# goldthread_read) and an administrator for the tests (gt_admin, which
# creates a database per test), exports
#   GOLDTHREAD_TEST_PG=postgresql:///postgres?host=DIR&user=gt_admin
# runs COMMAND, and always stops the server and removes the directory (trap),
# whatever COMMAND's outcome. COMMAND's exit status is the script's.
# Without PostgreSQL's server binaries it says so and runs COMMAND without a
# server: the PostgreSQL tests then skip, each saying why.
# --start makes the same server in DIR and leaves it running, for a script
# that starts and stops it itself (bench/sql/compare.sh); it prints the URL.
# PG_TEST_DURABLE=1 keeps PostgreSQL's durability (fsync, full page writes),
# as a council's server has it, for measurements (bench/pg_store_bench.sh).
# PG_TEST_PROFILE=analyst gives the server the memory of an analyst's
# workstation (shared_buffers 256MB, work_mem 64MB, 2 parallel workers per
# query) for the SQL side by side (bench/sql/compare.sh).
set -euo pipefail
usage() {
  echo "usage: $0 COMMAND [ARGS...] | --start DIR | --stop DIR" >&2
  exit 2
}
[ $# -gt 0 ] || usage
here="$(cd "$(dirname "$0")" && pwd)"
mode=run
case "$1" in
  --start | --stop)
    [ $# -eq 2 ] || usage
    mode=${1#--}
    dir=$2
    ;;
esac

bindir=""
if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then
  bindir="$(pg_config --bindir)"
else
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && bindir="$d"; done
fi
if [ -z "$bindir" ]; then
  if [ "$mode" != run ]; then echo "pg_test_server: no PostgreSQL server binaries (apt-get install postgresql)" >&2; exit 1; fi
  echo "pg_test_server: no PostgreSQL server binaries (apt-get install postgresql); running without a server" >&2
  exec "$@"
fi

# initdb and postgres refuse to run as root: as root, the cluster belongs
# to the postgres user (made by Debian's postgresql package) or nobody.
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  owner=postgres
  getent passwd postgres >/dev/null || owner=nobody
  as_owner=(runuser -u "$owner" --)
fi

stop_server() { "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true; }
if [ "$mode" = stop ]; then
  stop_server
  exit 0
fi
if [ "$mode" = run ]; then
  dir="$(mktemp -d /tmp/gt_pg.XXXXXX)"  # short: a socket path has at most 107 bytes
  trap 'stop_server; rm -rf "$dir"' EXIT INT TERM
else
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
fi
chmod 755 "$dir"
[ ${#as_owner[@]} -eq 0 ] || chown "$owner" "$dir"

"${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -U gt_admin -A trust -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }
# A throwaway cluster for tests: no fsync (its data dies with the run).
settings="-c listen_addresses='' -c unix_socket_directories='$dir' -c max_connections=200"
if [ "${PG_TEST_DURABLE:-0}" = 1 ]; then
  settings="$settings -c max_wal_size=4GB -c work_mem=64MB -c maintenance_work_mem=256MB"
else
  settings="$settings -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
fi
if [ "${PG_TEST_PROFILE:-}" = analyst ]; then
  settings="$settings -c shared_buffers=256MB -c work_mem=64MB -c maintenance_work_mem=256MB"
  settings="$settings -c max_parallel_workers_per_gather=2"
fi
"${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$settings" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }

export GOLDTHREAD_TEST_PG="postgresql:///postgres?host=$dir&user=gt_admin"
"$bindir/psql" -X -q -v ON_ERROR_STOP=1 "$GOLDTHREAD_TEST_PG" -f "$here/pg_roles.sql" >/dev/null
echo "pg_test_server: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on $dir (GOLDTHREAD_TEST_PG)" >&2
if [ "$mode" = start ]; then
  echo "$GOLDTHREAD_TEST_PG"
  exit 0
fi

set +e
"$@"
status=$?
set -e
exit $status
