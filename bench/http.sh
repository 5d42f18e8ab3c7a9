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

tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT

free_port() { # a loopback port nobody listens on
  local p
  while :; do
    p=$((20000 + RANDOM % 30000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

"$bin" migrate --db "$tmp/bench.db" >/dev/null
token=$("$bin" token create --db "$tmp/bench.db" --role operator --name bench)
"$bin" serve --db "$tmp/bench.db" --listen 127.0.0.1:0 --port-file "$tmp/port" 2>"$tmp/server.log" &
pids+=($!)
rport=$(free_port)
"$ref" "$rport" &
pids+=($!)
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
lport=$(cat "$tmp/port")
sleep 0.2

cat > "$tmp/patch.lua" <<LUA
local n = 0
request = function()
  n = n + 1
  return wrk.format("PATCH", "/api/v1/crossing-points/road-1088", {
    ["Authorization"] = "Bearer $token", ["Content-Type"] = "application/json",
    ["X-Reason"] = "bench" }, '{"capacity_per_hour":' .. (n % 1000) .. '}')
end
LUA

# wrk prints latency percentiles with units (us/ms/s); normalise to ms.
to_ms() { awk -v v="$1" 'BEGIN{ if (v ~ /us$/) {sub(/us/,"",v); print v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v); print v+0} else if (v ~ /s$/) {sub(/s/,"",v); print v*1000} else print v }'; }

run() { # name url [lua]
  local name=$1 url=$2 lua=${3:-} out rps p50 p99 non2xx
  if [ -n "$lua" ]; then out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$lua" "$url")
  else out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency -H "Authorization: Bearer $token" "$url"); fi
  rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
  p50=$(to_ms "$(awk '$1=="50%"{print $2}' <<<"$out")")
  p99=$(to_ms "$(awk '$1=="99%"{print $2}' <<<"$out")")
  non2xx=$(awk '/Non-2xx/{print $NF}' <<<"$out")
  printf '%-38s %10.0f req/s   p50 %7.3f ms   p99 %7.3f ms%s\n' "$name" "$rps" "$p50" "$p99" \
    "${non2xx:+   (non-2xx: $non2xx)}"
  echo "$rps"  > "$tmp/last"
}

echo "wrk: 2 threads, $conns connections, ${secs}s per run; $(nproc) cores"
run "reference GET (trivial evhttp)" "http://127.0.0.1:$rport/api/v1/crossing-points"; ref_get=$(cat "$tmp/last")
run "landport GET /api/v1/crossing-points" "http://127.0.0.1:$lport/api/v1/crossing-points"; lp_get=$(cat "$tmp/last")
run "reference PATCH (trivial evhttp)" "http://127.0.0.1:$rport/api/v1/crossing-points/road-1088" "$tmp/patch.lua"; ref_w=$(cat "$tmp/last")
run "landport PATCH crossing point (audited)" "http://127.0.0.1:$lport/api/v1/crossing-points/road-1088" "$tmp/patch.lua"; lp_w=$(cat "$tmp/last")
awk -v a="$lp_get" -v b="$ref_get" -v c="$lp_w" -v d="$ref_w" 'BEGIN{
  printf "ratio landport/reference: GET %.2f   authenticated write %.3f\n", a/b, c/d }'
"$bin" audit verify --db "$tmp/bench.db" | sed 's/^/after the run: /'
