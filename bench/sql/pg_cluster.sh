#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster in a folder, listening only on a unix
# socket in that folder (no TCP port, no root, nothing outside the folder):
#   bench/sql/pg_cluster.sh start DIR   # initdb (C collation) and start
#   bench/sql/pg_cluster.sh stop DIR    # stop (the caller removes DIR)
# Then: psql -h DIR -U goldthread -d postgres. Run as root (CI), the server
# runs as the user `nobody`, since PostgreSQL refuses to run as root.
# The server binaries: $PG_BIN, else /usr/lib/postgresql/15/bin.
set -euo pipefail
cmd=${1:?usage: pg_cluster.sh start|stop DIR}
dir=${2:?usage: pg_cluster.sh start|stop DIR}
bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
as_owner=()
if [ "$(id -u)" -eq 0 ]; then as_owner=(setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME="$dir"); fi
case "$cmd" in
  start)
    [ -x "$bin/initdb" ] || { echo "pg_cluster.sh: no PostgreSQL server binaries in $bin (set PG_BIN)" >&2; exit 1; }
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown nobody:nogroup "$dir"
    "${as_owner[@]}" "$bin/initdb" -D "$dir/data" --locale=C -E UTF8 -A trust -U goldthread >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    # A benchmark's server: no durability needed, memory as a council's
    # analyst workstation would give it.
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-k $dir -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
          -c shared_buffers=256MB -c work_mem=64MB -c maintenance_work_mem=256MB -c max_parallel_workers_per_gather=2" \
      >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    ;;
  stop)
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  *) echo "usage: pg_cluster.sh start|stop DIR" >&2; exit 2 ;;
esac
