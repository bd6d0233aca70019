#!/usr/bin/env bash
# The dashboard's browser tests (issue 10): Debian's chromium driven by
# playwright-core, axe-core on every page, screenshots at 1280 and 390 px
# in build/browser-artefacts/ (not committed). Needs the built binary
# (scripts/test.sh builds it first) and the packages of scripts/setup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${GOLDTHREAD_BIN:-$PWD/build/debug/src/cli/goldthread}"
if [ ! -x "$bin" ]; then echo "browser_test: no binary at $bin (build first)"; exit 1; fi
cd tests/browser
# The machine's network reaches the npm registry only; the versions are
# those of package-lock.json.
npm ci --no-audit --no-fund --loglevel=error
GOLDTHREAD_BIN="$bin" GOLDTHREAD_ARTEFACTS="$(cd ../.. && pwd)/build/browser-artefacts" \
  node --test --test-concurrency=1 dashboard.test.mjs
