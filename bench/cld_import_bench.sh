#!/bin/bash
# CLD import speed per row against the canonical import (issue 15: within a
# factor of 2). Simulates one council twice from the same seed, as canonical
# CSV files and as a CLD return, and times, with /usr/bin/time, three imports
# as whole processes, each into a new store, in turn (A B C A B C ...) so
# that a machine whose speed drifts slows all three alike:
#
#   bench/cld_import_bench.sh GOLDTHREAD [PEOPLE] [MONTHS] [RUNS]
#
#   cld     the CLD return (import --format cld)
#   same    the canonical files of the records the return yields (org units,
#           people, care links, requests, assessments, services, reviews,
#           care-home admissions): the like-for-like comparison
#   whole   every canonical file of the council (visits, surveys, ... too)
#
# Prints each import's median CPU seconds (user + system), wall seconds and
# peak memory, the rows each read, and the CLD import's CPU per row as a
# multiple of each canonical one's. The CLD return holds fewer, wider rows
# than the canonical files, so the ratio is per row; "per stored row" divides
# by the rows each import stored instead (the import's own report).
set -euo pipefail
gt=${1:?usage: cld_import_bench.sh GOLDTHREAD [PEOPLE] [MONTHS] [RUNS]}
people=${2:-20000}
months=${3:-24}
runs=${4:-5}
work=$(mktemp -d "${TMPDIR:-/tmp}/cld_bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$gt" simulate --people "$people" --months "$months" --seed 1 --out "$work/whole" >/dev/null
"$gt" simulate --people "$people" --months "$months" --seed 1 --format cld --out "$work/cld" >/dev/null
mkdir "$work/same"
for t in org_units people care_links requests assessments services reviews care_home_admissions; do
  cp "$work/whole/$t.csv" "$work/same/"
done
rows_of() {  # data rows of the CSV files given
  local n=0 f
  for f in "$@"; do n=$((n + $(wc -l < "$f") - 1)); done
  echo "$n"
}
declare -A rows input
rows[cld]=$(rows_of "$work/cld/cld.csv")
rows[same]=$(rows_of "$work"/same/*.csv)
rows[whole]=$(rows_of "$work"/whole/*.csv)
input[cld]="$work/cld/cld.csv --format cld"
input[same]="$work/same"
input[whole]="$work/whole"
kinds=(cld same whole)
for ((i = 0; i <= runs; ++i)); do  # run 0 warms the page cache, not counted
  for k in "${kinds[@]}"; do
    rm -f "$work/$k.db" "$work/$k.db-wal" "$work/$k.db-shm" "$work/$k.db.snapshot"
    # shellcheck disable=SC2086
    /usr/bin/time -f "%U %S %e %M" -o "$work/time" "$gt" import "$work/$k.db" ${input[$k]} >"$work/$k.out"
    ((i == 0)) || cat "$work/time" >>"$work/$k.times"
  done
done
median() {  # the median of column $1 of file $2 (CPU = user + system when $1 is cpu)
  awk -v c="$1" '{ print (c == "cpu") ? $1 + $2 : $c }' "$2" | sort -g |
    awk '{ v[NR] = $1 } END { printf "%.3f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
stored_of() { awk '/^stored [0-9]+ rows/ { print $2 }' "$work/$1.out"; }
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; median of $runs runs"
printf "%-6s %9s %9s %9s %9s %8s %8s\n" import rows stored "cpu s" "wall s" "peak MB" "cld/it"
for k in "${kinds[@]}"; do
  cpu=$(median cpu "$work/$k.times")
  per_row=$(awk -v a="$(median cpu "$work/cld.times")" -v na="${rows[cld]}" -v b="$cpu" -v nb="${rows[$k]}" \
    'BEGIN { printf "%.2f", (a / na) / (b / nb) }')
  printf "%-6s %9d %9s %9s %9s %8d %8s\n" "$k" "${rows[$k]}" "$(stored_of "$k")" "$cpu" \
    "$(median 3 "$work/$k.times")" "$(($(median 4 "$work/$k.times" | cut -d. -f1) / 1024))" "$per_row"
done
echo "cld/it: the CLD import's CPU per row read as a multiple of that import's"
