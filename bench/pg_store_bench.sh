#!/usr/bin/env bash
# Import and snapshot load on the two stores, SQLite and PostgreSQL, for one
# simulated council (issue 14):
#   bash bench/pg_store_bench.sh --bin build/release/src/cli/goldthread \
#     [--people 100000] [--months 24] [--runs 3] [--dir /tmp/gt_pg_bench]
# Simulates the council (seed 1), starts a throwaway PostgreSQL server with
# its durability on (scripts/pg_test_server.sh, PG_TEST_DURABLE=1), imports
# the same files into a new SQLite store and a new PostgreSQL database
# under /usr/bin/time, then runs `goldthread compute` on each --runs times
# and prints the snapshot load time compute reports itself ("snapshot N
# ms"), and each run's wall time. Wall time is what to compare: the
# PostgreSQL server's own CPU is not in the goldthread process's figures.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="" people=100000 months=24 runs=3 dir=/tmp/gt_pg_bench
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) bin="$2"; shift 2 ;;
    --people) people="$2"; shift 2 ;;
    --months) months="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    *) echo "usage: $0 --bin GOLDTHREAD [--people N] [--months N] [--runs N] [--dir DIR]" >&2; exit 2 ;;
  esac
done
[ -x "$bin" ] || { echo "$0: --bin GOLDTHREAD (a Release build) is required" >&2; exit 2; }
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
rm -rf "$dir" && mkdir -p "$dir"
"$bin" simulate --people "$people" --months "$months" --seed 1 --out "$dir/data" >/dev/null
rows=$(cat "$dir"/data/*.csv | wc -l)
echo "council: $people people x $months months, $rows CSV lines (headers included)"

# Names the server script does not use for its own.
export bench_bin="$bin" bench_dir="$dir" bench_runs="$runs"
PG_TEST_DURABLE=1 bash "$here/scripts/pg_test_server.sh" bash -c '
  set -euo pipefail
  psql="$(pg_config --bindir)/psql"
  "$psql" -X -q "$GOLDTHREAD_TEST_PG" -c "CREATE DATABASE gt_bench"
  url="${GOLDTHREAD_TEST_PG/\/postgres?//gt_bench?}"
  t="/usr/bin/time -f %e_s_wall_%U_s_user_%S_s_system_%M_KB_peak_exit_%x"
  echo "import into SQLite:     $($t "$bench_bin" import "$bench_dir/s.db" "$bench_dir/data" 2>&1 >/dev/null | tail -1)"
  echo "import into PostgreSQL: $($t "$bench_bin" import "$url" "$bench_dir/data" 2>&1 >/dev/null | tail -1)"
  echo "SQLite store: $(du -sh "$bench_dir/s.db" | cut -f1); PostgreSQL database: $("$psql" -X -qtA "$url" -c "SELECT pg_size_pretty(pg_database_size(current_database()))")"
  for store in "$bench_dir/s.db" "$url"; do
    for i in $(seq "$bench_runs"); do
      start=$(date +%s.%N)
      snap=$("$bench_bin" compute "$store" | grep -o "snapshot [0-9]* ms" || true)
      end=$(date +%s.%N)
      echo "compute $( [ "$store" = "$bench_dir/s.db" ] && echo SQLite || echo PostgreSQL ) run $i: $snap, $(awk "BEGIN { printf \"%.2f\", $end - $start }") s wall"
    done
  done
'
