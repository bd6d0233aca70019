#!/usr/bin/env bash
# The style anchors' checked rules that the compiler does not check
# (shared/STYLE_ANCHORS.md sections 3, 4 and 9), run by hand:
#
#   1. clang-tidy (Debian 12's clang-tidy-14) with the curated .clang-tidy
#      (every warning an error) over every .cc of src/, bench/, fuzz/ and
#      tests/ in BUILD's compilation database; naked new/delete is
#      cppcoreguidelines-owning-memory there;
#   2. no C enum (`enum X`, `enum X : T`): clang-tidy 14 has no check for
#      it, so it is looked for here.
#
#   nice bash scripts/tidy.sh [BUILD] [FILE...]   # BUILD defaults to build/debug
#
# BUILD must have been built (the server's generated headers are read).
# Exit 1 on any finding. Not run by .ci/run: all of src/ takes about
# 25 minutes of CPU (see the README), and it needs clang-tidy-14, which
# scripts/setup.sh does not install for CI.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/debug}
[ $# -gt 0 ] && shift
if [ ! -f "$build/compile_commands.json" ]; then
  echo "tidy: no $build/compile_commands.json (configure and build $build first)" >&2
  exit 2
fi
command -v run-clang-tidy-14 >/dev/null || {
  echo "tidy: run-clang-tidy-14 not found (apt-get install clang-tidy-14)" >&2
  exit 2
}

status=0
# 2. C enums: an enum that is not `enum class`/`enum struct`.
if grep -rnP '^\s*(typedef\s+)?enum\b(?!\s+(class|struct)\b)' --include='*.h' --include='*.cc' src bench fuzz tests; then
  echo "tidy: C enum above: use enum class with kCamelCase enumerators (shared/STYLE_ANCHORS.md section 3)" >&2
  status=1
fi

# 1. clang-tidy, on the given files or every .cc of ours in the database.
if [ $# -gt 0 ]; then
  files=("$@")
else
  mapfile -t files < <(find src bench fuzz tests -name '*.cc' | sort)
fi
# The database's GCC-only options (-Wno-restrict) are not clang's: clang-tidy
# is told not to report them. run-clang-tidy takes regular expressions: the files' absolute paths, anchored.
regexes=()
for f in "${files[@]}"; do regexes+=("^$(realpath "$f" | sed 's/[.[\*^$+?(){}|]/\\&/g')\$"); done
log=$(mktemp)
trap 'rm -f "$log"' EXIT
rc=0
run-clang-tidy-14 -p "$build" -quiet -extra-arg=-Wno-unknown-warning-option -j "$(nproc 2>/dev/null || echo 2)" "${regexes[@]}" >"$log" 2>&1 || rc=$?
# The findings with their source lines, without the commands and counts.
grep -vE '^(clang-tidy-14 |Running clang-tidy|[0-9]+ warnings?( and [0-9]+ errors?)? generated|Suppressed [0-9]+|Use -header-filter|Error while processing|Enabled checks|$)' "$log" || true
[ "$rc" -eq 0 ] || status=1
echo "tidy: ${#files[@]} files, $(grep -cE '(warning|error): .*\[[a-z-]+(,-warnings-as-errors)?\]' "$log" || true) findings"
exit $status
