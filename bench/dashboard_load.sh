#!/usr/bin/env bash
# Load benchmark of the dashboard (issue 10): wrk from Debian, loopback
# only, bounded in time. Simulates a council, imports it, serves it on a
# free loopback port and runs `wrk --latency` with C concurrent clients for
# D on each URL below, as a signed-in analyst. Prints requests/s and the
# latency percentiles (p99 is the goal: under 50 ms).
#
#   bench/dashboard_load.sh [--bin PATH] [--people N] [--months M] [--seed S]
#                           [--duration 30s] [--connections 100] [--threads 2]
# The README's figures: the demo council (--people 20000 --months 36 --seed 1).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/release/src/cli/goldthread people=20000 months=36 seed=1 duration=30s connections=100 threads=2
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) bin=$2; shift 2 ;;
    --people) people=$2; shift 2 ;;
    --months) months=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    *) echo "dashboard_load: unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "dashboard_load: wrk is not installed (scripts/setup.sh)" >&2; exit 1; }
work=$(mktemp -d)
server_pid=""
cleanup() { if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT

"$bin" simulate --people "$people" --months "$months" --seed "$seed" --out "$work/data" >/dev/null
"$bin" import "$work/s.db" "$work/data" >/dev/null
echo "bench password long enough" | "$bin" user add "$work/s.db" bench --role analyst >/dev/null
"$bin" serve "$work/s.db" --port 0 --quiet > "$work/serve.out" 2> "$work/serve.err" &
server_pid=$!
base=""
for _ in $(seq 1 100); do
  base=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/serve.out" || true)
  [ -n "$base" ] && break
  sleep 0.2
done
[ -n "$base" ] || { echo "dashboard_load: the server did not start: $(cat "$work/serve.err")" >&2; exit 1; }
cookie=$(curl -s -D - -o /dev/null --data-urlencode name=bench --data-urlencode "password=bench password long enough" \
  "$base/login" | tr -d '\r' | sed -n 's/^Set-Cookie: \(gt_session=[^;]*\).*/\1/p')
[ -n "$cookie" ] || { echo "dashboard_load: sign-in failed" >&2; exit 1; }
for _ in $(seq 1 600); do
  curl -s -H "Cookie: $cookie" "$base/api/status" | grep -q '"ready":true' && break
  sleep 0.5
done
echo "council: $people people, $months months, seed $seed; $connections clients, $threads wrk threads, $duration each"
for url in "/cabinet" "/api/indicators/reviews-12m?org_unit=T01" "/api/indicators"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base$url")
  [ "$code" = 200 ] || { echo "dashboard_load: $url answered $code" >&2; exit 1; }
  echo "== GET $url"
  wrk -t "$threads" -c "$connections" -d "$duration" --latency -H "Cookie: $cookie" "$base$url" |
    grep -E 'Requests/sec|Latency|50%|90%|99%|requests in|Non-2xx|Socket errors'
done
