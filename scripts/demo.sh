#!/usr/bin/env bash
# Installs what is needed, builds the Release configuration and runs
# `goldthread demo` (extra arguments are passed on, e.g. --no-serve).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DGOLDTHREAD_BUILD_TESTS=OFF >/dev/null
cmake --build build/release -j "$jobs" --target goldthread
exec build/release/src/cli/goldthread demo "$@"
