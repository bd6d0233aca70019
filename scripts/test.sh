#!/usr/bin/env bash
# Installs what is needed, builds EVERY target (the benchmarks too) of the
# Debug (ASan/UBSan) configuration with warnings as errors, and runs every
# test through ctest: the unit and end-to-end tests, the layering and
# install tests, and each benchmark once at a tiny size (label bench).
# The tests run with a throwaway PostgreSQL server (scripts/pg_test_server.sh:
# a cluster in a temporary directory on a unix socket, stopped at the end),
# so the store tests run against PostgreSQL as well as SQLite.
# This is what .ci/run calls.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build/debug -G Ninja -DCMAKE_BUILD_TYPE=Debug -DGOLDTHREAD_WERROR=ON
cmake --build build/debug -j "$jobs"
bash scripts/pg_test_server.sh bash -c "cd build/debug && ctest --output-on-failure -j $jobs"
bash scripts/browser_test.sh
# A tiny run of the dashboard's load benchmark: it must serve and answer.
bash bench/dashboard_load.sh --bin build/debug/src/cli/goldthread --people 300 --months 12 --duration 2s \
  --connections 10 --threads 1
