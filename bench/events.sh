#!/usr/bin/env bash
# bench/events.sh - what the live event hub costs the writes it follows: the
# audited PATCH of bench/http.sh with no event stream open (the reference,
# measured in the same run), then with N operator streams (every write is
# sent to each: N events per write) and with N company streams (each event
# is scoped away: the company is not concerned).  Prints req/s, p50/p99,
# the ratio to the reference and the events the listeners counted.
#
#   bench/events.sh [BUILD_DIR] [SECONDS] [STREAMS]     default: build, 10, 100
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
secs=${2:-10}
streams=${3:-100}
conns=${LP_BENCH_CONNS:-16}
bin=$build/landport
sink=$build/bench/lp_bench_sse
command -v wrk >/dev/null || { echo "bench/events.sh: wrk is missing (scripts/setup.sh installs it)" >&2; exit 1; }
[ -x "$bin" ] && [ -x "$sink" ] || { echo "bench/events.sh: build first (scripts/setup.sh)" >&2; exit 1; }

. bench/lib.sh

"$bin" migrate --db "$tmp/bench.db" >/dev/null
op=$("$bin" token create --db "$tmp/bench.db" --role operator --name bench)
"$bin" serve --db "$tmp/bench.db" --listen 127.0.0.1:0 --port-file "$tmp/port" 2>"$tmp/server.log" &
pids+=($!)
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
lport=$(cat "$tmp/port")
company=$(curl -sf -X POST -H "Authorization: Bearer $op" -H 'Content-Type: application/json' \
  -d '{"name":"Bench Co","country":"VN","tax_id":"0100109106"}' "http://127.0.0.1:$lport/api/v1/companies" |
  sed 's/^{"id":\([0-9]*\).*/\1/')
co=$("$bin" token create --db "$tmp/bench.db" --role company --company "$company" --name bench-co)
curl -sf -X PATCH -H "Authorization: Bearer $op" -H 'Content-Type: application/json' \
  -d "{\"value\":{\"max_stream_clients\":$((streams + 10))}}" \
  "http://127.0.0.1:$lport/api/v1/settings/notifications" >/dev/null

patch_lua "$tmp/patch.lua" "$op"
url="http://127.0.0.1:$lport/api/v1/crossing-points/road-1088"

audit_head() { "$bin" audit verify --db "$tmp/bench.db" | sed -n 's/^audit log intact: \([0-9]*\) events.*/\1/p'; }

# with_streams NAME TOKEN: a PATCH run with $streams listeners of TOKEN.
with_streams() {
  local before after sp
  "$sink" "$lport" "$2" "$streams" >"$tmp/sink.out" 2>/dev/null &
  sp=$!
  sleep 1
  before=$(audit_head)
  wrk_run 44 "$1" "$url" -s "$tmp/patch.lua"
  sleep 1
  after=$(audit_head)
  kill -TERM "$sp"
  wait "$sp" || true
  echo "    events written $((after - before)); listeners: $(cat "$tmp/sink.out")"
}

echo "wrk: 2 threads, $conns connections, ${secs}s per run; $(nproc) cores; $streams streams"
wrk_run 44 "PATCH, no stream open (reference)" "$url" -s "$tmp/patch.lua"; ref=$(cat "$tmp/last")
with_streams "PATCH, $streams operator streams" "$op"; ops=$(cat "$tmp/last")
with_streams "PATCH, $streams company streams (scoped away)" "$co"; cos=$(cat "$tmp/last")
awk -v r="$ref" -v a="$ops" -v b="$cos" 'BEGIN{
  printf "ratio to no stream: operator streams %.3f   company streams %.3f\n", a/r, b/r }'
