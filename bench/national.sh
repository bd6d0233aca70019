#!/usr/bin/env bash
# The national-scale benchmark (issue 14, "National scale"): a national set
# of councils (`goldthread simulate --councils N`), imported into one store,
# then the full built-in library computed by month for every org unit.
#
#   nice bash bench/national.sh --bin build/release/src/cli/goldthread \
#     --councils 150 --people 2000000 --months 36 --work /work/national
#
# Reports, one line each (and in WORK/national.txt):
#   simulate      wall time, rows written, CSV size
#   import        wall time, store size on disk (the store file and every
#                 file beside it that import wrote, e.g. a persisted snapshot)
#   cold start    a new `goldthread compute` process computing one cheap
#                 indicator (complaints) over the window: process start to its
#                 JSON written, i.e. open the store and have the snapshot
#                 ready; its peak resident memory (the snapshot in memory)
#   compute       `goldthread compute` of every built-in, by month over the
#                 window, every org unit: wall time, the process's own split
#                 (snapshot / compute / SPC and funnels), peak resident memory
# Goals (issue 14): snapshot under 8 GB in memory, cold start under 5 s,
# compute under 60 s on 2 cores. "Cold" is a new process: the page cache is
# whatever the machine has (this script does not drop it; on a shared machine
# it cannot).
# Peak memory needs GNU time (/usr/bin/time, Debian package time).
# Exit 0 on success, 1 when a step fails, 2 on a usage error.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin="" councils=150 people=2000000 months=36 seed=1 work="" keep=0
usage() {
  echo "usage: national.sh --bin GOLDTHREAD [--councils N] [--people N] [--months M] [--seed S] [--work DIR] [--keep]" >&2
  exit 2
}
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) bin=${2:?}; shift 2 ;;
    --councils) councils=${2:?}; shift 2 ;;
    --people) people=${2:?}; shift 2 ;;
    --months) months=${2:?}; shift 2 ;;
    --seed) seed=${2:?}; shift 2 ;;
    --work) work=${2:?}; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) usage ;;
    *) echo "national.sh: unknown option '$1'" >&2; usage ;;
  esac
done
[ -n "$bin" ] || usage
[ -x "$bin" ] || { echo "national.sh: --bin $bin is not an executable" >&2; exit 2; }
for n in "$councils" "$people" "$months" "$seed"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "national.sh: '$n' is not a number" >&2; exit 2; }
done
if [ -z "$work" ]; then work=$(mktemp -d "${TMPDIR:-/tmp}/gt-national.XXXXXX"); else mkdir -p "$work"; fi
work=$(cd "$work" && pwd)
cleanup() { if [ "$keep" = 0 ]; then rm -rf "$work"; else echo "kept $work" >&2; fi; }
trap cleanup EXIT
export GOLDTHREAD_INDICATORS="${GOLDTHREAD_INDICATORS:-$here/../indicators}"

report="$work/national.txt"
: >"$report"
say() { echo "$*" | tee -a "$report"; }
now() { echo "${EPOCHREALTIME/,/.}"; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
mib() { awk -v b="$1" 'BEGIN { printf "%.0f MiB", b / 1048576 }'; }
# Runs a command under GNU time when there is one; sets wall and peak (KiB).
timed() {
  local log="$1"; shift
  local t0; t0=$(now)
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M' -o "$log.rss" "$@" >"$log" 2>&1 || { cat "$log" >&2; return 1; }
    peak=$(tail -n 1 "$log.rss")
  else
    "$@" >"$log" 2>&1 || { cat "$log" >&2; return 1; }
    peak=""
  fi
  wall=$(secs "$t0" "$(now)")
}
peak_text() { if [ -n "$peak" ]; then mib $((peak * 1024)); else echo "n/a (no /usr/bin/time)"; fi; }

say "national benchmark: $councils councils, $people people, $months months, seed $seed ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
data="$work/data"
timed "$work/simulate.log" "$bin" simulate --councils "$councils" --people "$people" --months "$months" --seed "$seed" \
  --out "$data"
rows=$(tail -n 1 "$work/simulate.log" | cut -d' ' -f1)
say "simulate      ${wall} s, ${rows} rows, $(mib "$(du -sb "$data" | cut -f1)") of CSV"
say "              $(grep -E '^  (visits|services|people)\.csv' "$work/simulate.log" | tr -s ' ' | tr '\n' ';')"

store="$work/national.db"
timed "$work/import.log" "$bin" import "$store" "$data"
say "import        ${wall} s, peak $(peak_text)"
for f in "$work"/national.db*; do
  [ -e "$f" ] && say "  on disk     $(basename "$f"): $(mib "$(du -sb "$f" | cut -f1)")"
done
rm -rf "$data"  # the CSV is no longer needed: make room

# compute's default window: the 36 months ending with the data's last.
one="$work/one"; mkdir -p "$one"; cp "$GOLDTHREAD_INDICATORS/complaints.toml" "$one/"
GOLDTHREAD_INDICATORS="$one" timed "$work/cold.log" "$bin" compute "$store" --json "$work/cold.json"
say "cold start    ${wall} s (one indicator, the default window; the process's own split: $(tail -n 1 "$work/cold.log" | sed 's/;.*//')), peak $(peak_text)"

timed "$work/compute.log" "$bin" compute "$store" --by month --json "$work/figures.json"
# The JSON is one line (1.4 GB at national scale): counted as a stream, one
# "point_type" a figure (grep -o holds the whole line and ran out of memory).
figures=$(tr ',' '\n' <"$work/figures.json" | grep -c '^"point_type":' || true)
say "compute       ${wall} s for every built-in by month, every org unit: $(grep -E 'indicators, [0-9]+ periods' "$work/compute.log" | head -n 1) $(tail -n 1 "$work/compute.log" | sed 's/;.*//'), peak $(peak_text)"
say "              $figures figures, JSON $(mib "$(stat -c %s "$work/figures.json")")"
say "load after    $(cut -d' ' -f1-3 /proc/loadavg)"
