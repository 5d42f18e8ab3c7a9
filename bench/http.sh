#!/usr/bin/env bash
# bench/http.sh - HTTP throughput and latency of landport next to a trivial
# evhttp server (bench/ref_server.c) driven by the same wrk client in the
# same run, so the ratio means something on any machine.
#
#   bench/http.sh [BUILD_DIR] [SECONDS]     default: build, 10
#
# Prints requests/s and p50/p99 latency for
#   GET  /api/v1/crossing-points        (authenticated read, 4 records)
#   PATCH /api/v1/crossing-points/{id}  (authenticated write + audit event,
#                                        SQLite WAL synchronous=FULL: a
#                                        commit waits for fsync)
# and the same request shape against the reference.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
secs=${2:-10}
conns=${LP_BENCH_CONNS:-16}
bin=$build/landport
ref=$build/bench/lp_bench_ref
command -v wrk >/dev/null || { echo "bench/http.sh: wrk is missing (scripts/setup.sh installs it)" >&2; exit 1; }
[ -x "$bin" ] && [ -x "$ref" ] || { echo "bench/http.sh: build first (scripts/setup.sh)" >&2; exit 1; }

. bench/lib.sh

"$bin" migrate --db "$tmp/bench.db" >/dev/null
token=$("$bin" token create --db "$tmp/bench.db" --role operator --name bench)
start_servers "$bin" "$ref" "$tmp/bench.db"

patch_lua "$tmp/patch.lua" "$token"


run() { # name url [lua]
  if [ -n "${3:-}" ]; then wrk_run 38 "$1" "$2" -s "$3"
  else wrk_run 38 "$1" "$2" -H "Authorization: Bearer $token"; fi
}

echo "wrk: 2 threads, $conns connections, ${secs}s per run; $(nproc) cores"
run "reference GET (trivial evhttp)" "http://127.0.0.1:$rport/api/v1/crossing-points"; ref_get=$(cat "$tmp/last")
run "landport GET /api/v1/crossing-points" "http://127.0.0.1:$lport/api/v1/crossing-points"; lp_get=$(cat "$tmp/last")
run "reference PATCH (trivial evhttp)" "http://127.0.0.1:$rport/api/v1/crossing-points/road-1088" "$tmp/patch.lua"; ref_w=$(cat "$tmp/last")
run "landport PATCH crossing point (audited)" "http://127.0.0.1:$lport/api/v1/crossing-points/road-1088" "$tmp/patch.lua"; lp_w=$(cat "$tmp/last")
awk -v a="$lp_get" -v b="$ref_get" -v c="$lp_w" -v d="$ref_w" 'BEGIN{
  printf "ratio landport/reference: GET %.2f   authenticated write %.3f\n", a/b, c/d }'
"$bin" audit verify --db "$tmp/bench.db" | sed 's/^/after the run: /'
