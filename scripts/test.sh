#!/usr/bin/env bash
# Installs what is needed, builds the Debug (ASan/UBSan) configuration and
# runs every test through ctest. This is what .ci/run calls.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build/debug -G Ninja -DCMAKE_BUILD_TYPE=Debug -DGOLDTHREAD_BUILD_BENCH=OFF
cmake --build build/debug -j "$jobs"
cd build/debug
ctest --output-on-failure -j "$jobs"
