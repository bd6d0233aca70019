#!/usr/bin/env bash
# goldthread side by side with SQLite and PostgreSQL (issue 14): the same
# simulated council, every built-in indicator by month and org unit computed
# three ways, the times compared and the figures checked to be identical.
#
#   bench/sql/compare.sh --bin build/release/src/cli/goldthread --people 100000 --months 24 --seed 1
#
# 1. `goldthread simulate` writes the council's CSV files; `goldthread
#    import` loads them into a goldthread store; sqlite/load.sql and
#    postgres/load.sql load the same files into plain tables (the load is
#    timed and reported, not compared: it is the analyst's import).
# 2. goldthread end to end: `goldthread compute STORE --from --to --json`,
#    from process start to the JSON written (every indicator at once, and
#    each indicator alone with $GOLDTHREAD_INDICATORS naming a folder of that
#    one definition). SQLite: `sqlite3 DB < sqlite/ID.sql`; PostgreSQL:
#    `psql -f postgres/ID.sql` against a throwaway server (scripts/pg_test_server.sh --start), each
#    from process start to the CSV written.
# 3. compare.sql checks every figure (indicator x month x org unit, group
#    "all"): numerator and denominator must be equal. Any difference is a bug
#    in one of the three; they are listed in WORK/differences.csv.
#
# Prints one line per indicator: the times, each engine's time over
# goldthread's, and whether the figures are identical. Exit 0 when every
# figure is identical, 1 when any differs or a step fails, 2 on a usage error.
# Everything is written under --work (default: a temporary folder, removed
# at the end unless --keep).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin="" people=100000 months=24 seed=1 work="" keep=0 single=1 engines="sqlite postgres" data=""
indicators="$here/../../indicators"
usage() {
  cat >&2 <<'EOF'
usage: compare.sh --bin GOLDTHREAD [--people N] [--months M] [--seed S] [--work DIR] [--keep]
                  [--data DIR] [--indicators DIR] [--no-single] [--engines "sqlite postgres"]
  --data DIR    a council `goldthread simulate` already wrote (instead of simulating one)
  --no-single   skip timing goldthread on each indicator alone (the full library is always timed)
EOF
  exit 2
}
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) bin=${2:?}; shift 2 ;;
    --people) people=${2:?}; shift 2 ;;
    --months) months=${2:?}; shift 2 ;;
    --seed) seed=${2:?}; shift 2 ;;
    --work) work=${2:?}; shift 2 ;;
    --data) data=${2:?}; shift 2 ;;
    --indicators) indicators=${2:?}; shift 2 ;;
    --engines) engines=${2:?}; shift 2 ;;
    --keep) keep=1; shift ;;
    --no-single) single=0; shift ;;
    -h|--help) usage ;;
    *) echo "compare.sh: unknown option '$1'" >&2; usage ;;
  esac
done
[ -n "$bin" ] || usage
[ -x "$bin" ] || { echo "compare.sh: --bin $bin is not an executable" >&2; exit 2; }
for n in "$people" "$months" "$seed"; do [[ "$n" =~ ^[0-9]+$ ]] || { echo "compare.sh: '$n' is not a number" >&2; exit 2; }; done
for e in $engines; do [[ "$e" == sqlite || "$e" == postgres ]] || { echo "compare.sh: unknown engine '$e'" >&2; exit 2; }; done
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
indicators=$(cd "$indicators" && pwd)
command -v sqlite3 >/dev/null || { echo "compare.sh: sqlite3 (the CLI) is needed (Debian package sqlite3)" >&2; exit 1; }

if [ -z "$work" ]; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/gt-sql-compare.XXXXXX")
else
  [ ! -e "$work" ] || [ -z "$(ls -A "$work")" ] || { echo "compare.sh: --work $work must be a new or empty folder" >&2; exit 2; }
  mkdir -p "$work"
fi
work=$(cd "$work" && pwd)
# The server's folder directly under /tmp: as root the server runs as
# nobody, who must be able to reach it (and a unix socket's path is short).
pgdir=""
pg_started=0
cleanup() {
  if [ "$pg_started" = 1 ]; then bash "$here/../../scripts/pg_test_server.sh" --stop "$pgdir" || true; fi
  if [ -n "$pgdir" ]; then rm -rf "$pgdir"; fi
  if [ "$keep" = 0 ]; then rm -rf "$work"; else echo "kept $work"; fi
}
trap cleanup EXIT

now() { echo "${EPOCHREALTIME/,/.}"; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
step() { printf '%-44s' "$1" >&2; }
done_in() { echo "$1 s" >&2; }

if [ -n "$data" ]; then
  data=$(cd "$data" && pwd)
  echo "council in $data" >"$work/simulate.log"
else
  data="$work/data"
  step "simulate $people people, $months months"
  t0=$(now); "$bin" simulate --people "$people" --months "$months" --seed "$seed" --out "$data" >"$work/simulate.log"
  done_in "$(secs "$t0" "$(now)")"
fi
start=$(sqlite3 :memory: "SELECT substr(json_extract(readfile('$data/scenarios.json'), '\$.start'), 1, 7)")
end=$(sqlite3 :memory: "SELECT substr(json_extract(readfile('$data/scenarios.json'), '\$.end'), 1, 7)")
[[ "$start" =~ ^[0-9]{4}-[0-9]{2}$ && "$end" =~ ^[0-9]{4}-[0-9]{2}$ ]] ||
  { echo "compare.sh: no window in $data/scenarios.json" >&2; exit 1; }
echo "window $start to $end, $(tail -n 1 "$work/simulate.log")" >&2

store="$work/goldthread.db"
step "goldthread import"
t0=$(now); "$bin" import "$store" "$data" >"$work/import.log"; done_in "$(secs "$t0" "$(now)")"

export GOLDTHREAD_INDICATORS="$indicators"
ids=()
for f in "$indicators"/*.toml; do ids+=("$(basename "$f" .toml)"); done

has() { [[ " $engines " == *" $1 "* ]]; }
if has sqlite; then
  db="$work/sqlite.db"
  step "sqlite3 load (sqlite/load.sql)"
  t0=$(now); (cd "$data" && sqlite3 -bail "$db" <"$here/sqlite/load.sql" >/dev/null); done_in "$(secs "$t0" "$(now)")"
  sqlite3 -bail -cmd ".parameter set @from \"'$start'\"" -cmd ".parameter set @to \"'$end'\"" "$db" <"$here/sqlite/months.sql"
fi
psql_run() { psql -h "$pgdir" -U gt_admin -d council -X -q -v ON_ERROR_STOP=1 "$@"; }
if has postgres; then
  step "PostgreSQL server (scripts/pg_test_server.sh --start, an analyst's workstation's memory)"
  pgdir=$(mktemp -d /tmp/gt-pg.XXXXXX)
  t0=$(now); pg_started=1
  PG_TEST_PROFILE=analyst bash "$here/../../scripts/pg_test_server.sh" --start "$pgdir" >/dev/null 2>"$work/pg_server.log" ||
    { cat "$work/pg_server.log" >&2; exit 1; }
  done_in "$(secs "$t0" "$(now)")"
  psql -h "$pgdir" -U gt_admin -d postgres -X -q -c "CREATE DATABASE council"
  step "psql load (postgres/load.sql)"
  t0=$(now); (cd "$data" && psql_run -f "$here/postgres/load.sql" >/dev/null); done_in "$(secs "$t0" "$(now)")"
  psql_run -v from="$start" -v to="$end" -f "$here/postgres/months.sql" >/dev/null 2>&1
fi

# goldthread: the whole library in one process (the figures compared), then
# each indicator alone (its own time).
step "goldthread compute (every indicator)"
t0=$(now)
"$bin" compute "$store" --from "$start" --to "$end" --by month --json "$work/goldthread.json" >/dev/null
gt_all=$(secs "$t0" "$(now)"); done_in "$gt_all"

declare -A t_gt t_sq t_pg
: >"$work/sqlite.csv"
: >"$work/postgres.csv"
for id in "${ids[@]}"; do
  if [ "$single" = 1 ]; then
    one="$work/one/$id"; mkdir -p "$one"; cp "$indicators/$id.toml" "$one/"
    t0=$(now)
    GOLDTHREAD_INDICATORS="$one" "$bin" compute "$store" --from "$start" --to "$end" --by month \
      --json "$one/out.json" >/dev/null
    t_gt[$id]=$(secs "$t0" "$(now)")
  fi
  if has sqlite; then
    t0=$(now); sqlite3 -bail -csv "$db" <"$here/sqlite/$id.sql" >"$work/sqlite.$id.csv"; t_sq[$id]=$(secs "$t0" "$(now)")
    cat "$work/sqlite.$id.csv" >>"$work/sqlite.csv"
  fi
  if has postgres; then
    t0=$(now); psql_run --csv -t -f "$here/postgres/$id.sql" >"$work/postgres.$id.csv"; t_pg[$id]=$(secs "$t0" "$(now)")
    cat "$work/postgres.$id.csv" >>"$work/postgres.csv"
  fi
done

(cd "$work" && sqlite3 -bail -cmd ".parameter set @json \"'$work/goldthread.json'\"" :memory: <"$here/compare.sql") >"$work/compare.txt"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b <= 0) print "-"; else printf "%.1fx", a / b }'; }
verdict() {  # engine differences
  if ! has "$1"; then echo "-"; elif [ "$2" = 0 ]; then echo "identical"; else echo "$2 differ"; fi
}
printf '\n%-24s %7s %9s %9s %9s %8s %8s  %-10s %-10s\n' indicator figures gt_s sqlite_s pg_s sqlite/gt pg/gt sqlite postgres
differ=0 sum_sq=0 sum_pg=0 sum_fig=0
declare -A seen
while IFS='|' read -r id figures dsq dpg; do
  seen[$id]=1
  gt=${t_gt[$id]:-} sq=${t_sq[$id]:-} pg=${t_pg[$id]:-}
  [ -n "$sq" ] && sum_sq=$(awk -v a="$sum_sq" -v b="$sq" 'BEGIN { print a + b }')
  [ -n "$pg" ] && sum_pg=$(awk -v a="$sum_pg" -v b="$pg" 'BEGIN { print a + b }')
  sum_fig=$((sum_fig + figures))
  has sqlite && [ "$dsq" != 0 ] && differ=1
  has postgres && [ "$dpg" != 0 ] && differ=1
  printf '%-24s %7s %9s %9s %9s %8s %8s  %-10s %-10s\n' "$id" "$figures" "${gt:--}" "${sq:--}" "${pg:--}" \
    "$(ratio "$sq" "$gt")" "$(ratio "$pg" "$gt")" "$(verdict sqlite "$dsq")" "$(verdict postgres "$dpg")"
done <"$work/compare.txt"
for id in "${ids[@]}"; do
  [ -n "${seen[$id]:-}" ] || { echo "compare.sh: $id has no figures from any of the three" >&2; differ=1; }
done
has sqlite || sum_sq=""
has postgres || sum_pg=""
printf '%-24s %7s %9s %9s %9s %8s %8s\n' "library (one process)" "$sum_fig" "$gt_all" "${sum_sq:--}" "${sum_pg:--}" \
  "$(ratio "$sum_sq" "$gt_all")" "$(ratio "$sum_pg" "$gt_all")"
echo "(times in seconds, each from process start to its figures written; x/gt: how many times longer than goldthread)"
if [ "$differ" = 1 ]; then
  echo "compare.sh: figures differ: $(($(wc -l <"$work/differences.csv") - 1)) listed in $work/differences.csv" >&2
  keep=1
  exit 1
fi
echo "every figure identical ($sum_fig figures x $(echo "$engines" | wc -w) engines)"
