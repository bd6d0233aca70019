#!/usr/bin/env bash
# ctest's run of a benchmark that reads a council (bench/CMakeLists.txt): a
# 300-person, 12-month council is simulated and imported into a temporary
# folder of this test and process alone, the benchmark runs on it (@DIR@ in
# its arguments is that folder), and the folder is removed.
#
#   smoke_council.sh GOLDTHREAD BENCHMARK [ARG...]
set -euo pipefail
gt=$1
shift
dir=$(mktemp -d "${TMPDIR:-/tmp}/gt_bench_smoke.XXXXXX")
trap 'rm -rf "$dir"' EXIT
"$gt" simulate --people 300 --months 12 --seed 1 --out "$dir/council" >/dev/null
"$gt" import "$dir/council.db" "$dir/council" >/dev/null
args=()
for a in "$@"; do args+=("${a//@DIR@/$dir}"); done
"${args[@]}"
