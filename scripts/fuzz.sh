#!/usr/bin/env bash
# Builds the libFuzzer harnesses of fuzz/ with clang (ASan + UBSan) and runs
# each for SECONDS (default 60), both at once. .ci/run calls it with 60; a
# longer run by hand, e.g. `nice scripts/fuzz.sh 3600`, keeps growing the
# same working corpus (build/fuzz/corpus/, not committed).
#
#   csv_fuzzer         ingest/csv.h and the field parsers; seeds fuzz/corpus/csv, tests/data/stats
#   definition_fuzzer  indicators::ParseDefinition and the engine; seeds indicators/*.toml
#
# A crash, a leak, undefined behaviour, a broken promise of the harness, an
# input slower than 10 s or one that needs more than 2 GB fails the run
# (exit 1); the input is saved as build/fuzz/artifacts/NAME/crash-* (or
# timeout-*, oom-*, leak-*): reproduce with `build/fuzz/fuzz/NAME FILE`,
# then add it to the test of the code that failed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
build=build/fuzz
# --keep-going (long runs by hand): fork mode, which saves each crash and
# carries on, so one known fault does not end the run.
keep_going=()
if [ "${2:-}" = --keep-going ]; then
  keep_going=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
fi

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DGOLDTHREAD_FUZZ=ON -DGOLDTHREAD_BUILD_TESTS=OFF -DGOLDTHREAD_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" --target csv_fuzzer definition_fuzzer

run() {  # name max_len seed-dir... [-- extra flags]
  local name=$1 max_len=$2
  shift 2
  local seeds=() extra=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do seeds+=("$1"); shift; done
  [ $# -gt 0 ] && shift && extra=("$@")
  mkdir -p "$build/corpus/$name" "$build/artifacts/$name"
  "$build/fuzz/$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
    -print_final_stats=1 -artifact_prefix="$build/artifacts/$name/" "${keep_going[@]}" "${extra[@]}" \
    "$build/corpus/$name" "${seeds[@]}" >"$build/$name.log" 2>&1
}

status=0
run csv_fuzzer 4096 fuzz/corpus/csv tests/data/stats &
csv_pid=$!
run definition_fuzzer 8192 indicators -- -dict=fuzz/definition.dict &
def_pid=$!
for name in csv_fuzzer definition_fuzzer; do
  pid=$csv_pid
  [ "$name" = definition_fuzzer ] && pid=$def_pid
  if wait "$pid"; then result=ok; else result="FAILED (see $build/$name.log)"; status=1; fi
  execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$build/$name.log" | grep -o '[0-9]*$' || true)
  [ -n "$execs" ] || execs=$(grep -oE '^#[0-9]+' "$build/$name.log" | tail -1 | tr -d '#')
  cov=$(grep -oE 'cov: [0-9]+' "$build/$name.log" | tail -1 || true)
  corpus=$(find "$build/corpus/$name" -type f | wc -l)
  crashes=$(find "$build/artifacts/$name" -type f | wc -l)
  echo "fuzz: $name ${seconds}s: ${execs:-?} executions, ${cov:-cov: ?}, corpus $corpus inputs," \
    "$crashes saved crash/timeout/oom inputs: $result"
  if [ "$result" != ok ]; then grep -E 'ERROR|SUMMARY|Broken|fuzzer:|artifact' "$build/$name.log" | head -20; fi
done
exit $status
