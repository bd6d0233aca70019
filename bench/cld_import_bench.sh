#!/bin/bash
# CLD import speed per row against the canonical import (issue 15: within a
# factor of 2). Simulates one council twice from the same seed, as canonical
# CSV files and as a CLD return, and times each import as a whole process
# with farm-bench, each into a new store:
#
#   bench/cld_import_bench.sh GOLDTHREAD [PEOPLE] [MONTHS] [RUNS]
#
# Prints farm-bench's report for each import (median wall seconds are the
# figure to quote), the rows each read, and rows per second for both. The
# CLD return holds fewer rows than the canonical files (no visits, support
# plans, budgets, episodes, surveys ...), so compare rows per second.
set -euo pipefail
gt=${1:?usage: cld_import_bench.sh GOLDTHREAD [PEOPLE] [MONTHS] [RUNS]}
people=${2:-20000}
months=${3:-24}
runs=${4:-5}
work=$(mktemp -d "${TMPDIR:-/tmp}/cld_bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$gt" simulate --people "$people" --months "$months" --seed 1 --out "$work/canonical" >/dev/null
"$gt" simulate --people "$people" --months "$months" --seed 1 --format cld --out "$work/cld" >/dev/null
canonical_rows=$(($(cat "$work"/canonical/*.csv | wc -l) - $(ls "$work"/canonical/*.csv | wc -l)))
cld_rows=$(($(wc -l < "$work/cld/cld.csv") - 1))
echo "canonical: $canonical_rows rows in $(ls "$work"/canonical/*.csv | wc -l) files; CLD: $cld_rows rows"
bench() {  # label, command
  local label=$1; shift
  echo "== $label"
  farm-bench -n "$runs" --timeout 3000 -- sh -c "$*" | tee "$work/$label.txt"
}
bench canonical "rm -f $work/c.db*; exec $gt import $work/c.db $work/canonical >/dev/null"
bench cld "rm -f $work/l.db*; exec $gt import $work/l.db $work/cld/cld.csv --format cld >/dev/null"
median() { awk '/wall/ {for (i = 1; i <= NF; ++i) if ($i ~ /^median/) { print $(i + 1); exit } }' "$1"; }
echo "rows: canonical $canonical_rows, cld $cld_rows (see each report's median wall seconds)"
