#!/usr/bin/env bash
# bench/gate.sh - the automatic gate's barrier decision: in process
# (lp_gate_decide, bench/gate_bench.c) next to a copy-and-strcmp reference,
# and over HTTP (POST /api/v1/gate-passages: find the declaration, read its
# tasks, decide, store the passage and the declaration and crossing changes
# with their audit events in one SQLite commit) next to the trivial evhttp
# server of bench/http.sh, driven by the same wrk client in the same run.
#
#   bench/gate.sh [BUILD_DIR] [SECONDS]     default: build, 10
#
# HTTP runs:
#   OPEN  every request a different truck with a cleared green declaration
#         whose plate, containers and seals all match: the barrier opens
#         (LP_BENCH_GATE_DECLS declarations, default 60000; requests beyond
#         them find no declaration and are held - the count is printed)
#   HOLD  one truck posted again and again with a seal that is not declared:
#         held, its exception task already open
# Use an optimised build (scripts/setup.sh: RelWithDebInfo); the build type
# is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
secs=${2:-10}
conns=${LP_BENCH_CONNS:-16}
decls=${LP_BENCH_GATE_DECLS:-60000}
calls=${LP_BENCH_GATE_CALLS:-1000000}
bin=$build/landport
ref=$build/bench/lp_bench_ref
gate=$build/bench/lp_bench_gate
command -v wrk >/dev/null || { echo "bench/gate.sh: wrk is missing (scripts/setup.sh installs it)" >&2; exit 1; }
[ -x "$bin" ] && [ -x "$ref" ] && [ -x "$gate" ] || { echo "bench/gate.sh: build first (scripts/setup.sh)" >&2; exit 1; }

. bench/lib.sh

btype=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
echo "build $build (${btype:-unknown build type}); $(nproc) cores"
[ "$btype" = "Debug" ] && echo "warning: a Debug build; the figures are not the product's" >&2

# In process ----------------------------------------------------------------------
"$gate" decide "$calls"
echo

# Over HTTP -------------------------------------------------------------------------
"$bin" migrate --db "$tmp/bench.db" >/dev/null
"$gate" prepare "$tmp/bench.db" "$decls"
token=$("$bin" token create --db "$tmp/bench.db" --role device --name gate-bench)
start_servers "$bin" "$ref" "$tmp/bench.db"

# Each wrk thread takes its own slice of the prepared trucks (plates
# 29C-000.01 ... as gate_bench.c prepares them).
cat > "$tmp/open.lua" <<LUA
local threads = 0
function setup(thread) thread:set("tid", threads); threads = threads + 1 end
local k = 0
request = function()
  local per = math.floor($decls / 2)
  k = k + 1
  local i = tid * per + k
  local series = "29C"
  if k > per then series = "30A"; i = 1 + k % 99998 end -- beyond the slice: no declaration
  local plate = string.format("%s-%03d.%02d", series, math.floor(i / 100), i % 100)
  return wrk.format("POST", "/api/v1/gate-passages", {
    ["Authorization"] = "Bearer $token", ["Content-Type"] = "application/json" },
    '{"crossing_point_id":"huunghi-main","lane":' .. (1 + k % 4) .. ',' ..
    '"plate":{"text":"' .. plate .. '","confidence":962},' ..
    '"containers":[{"number":"CSQU3054383","confidence":931},{"number":"MSKU1234565","confidence":927}],' ..
    '"seals":["VNSEAL101-1","VNSEAL101-2","VNSEAL102-1","VNSEAL102-2"],"gross_weight_kg":38120.5}')
end
LUA
cat > "$tmp/hold.lua" <<LUA
request = function()
  return wrk.format("POST", "/api/v1/gate-passages", {
    ["Authorization"] = "Bearer $token", ["Content-Type"] = "application/json" },
    '{"crossing_point_id":"huunghi-main","lane":2,"plate":{"text":"29C-999.99","confidence":962},' ..
    '"containers":[{"number":"CSQU3054383","confidence":931},{"number":"MSKU1234565","confidence":927}],' ..
    '"seals":["VNSEAL101-1","VNSEAL101-2","VNSEAL102-1","VNSEAL999-9"],"gross_weight_kg":38120.5}')
end
LUA


run() { # name url lua
  wrk_run 44 "$1" "$2" -s "$3"
}

echo "over HTTP: wrk 2 threads, $conns connections, ${secs}s per run; $decls prepared declarations"
run "reference POST (trivial evhttp)" "http://127.0.0.1:$rport/api/v1/gate-passages" "$tmp/hold.lua"; ref_rps=$(cat "$tmp/last")
run "landport gate passage OPEN (audited commit)" "http://127.0.0.1:$lport/api/v1/gate-passages" "$tmp/open.lua"; open_rps=$(cat "$tmp/last")
"$gate" count "$tmp/bench.db" | sed 's/^/  after OPEN: /'
run "landport gate passage HOLD (seal mismatch)" "http://127.0.0.1:$lport/api/v1/gate-passages" "$tmp/hold.lua"; hold_rps=$(cat "$tmp/last")
"$gate" count "$tmp/bench.db" | sed 's/^/  after HOLD: /'
awk -v a="$open_rps" -v b="$hold_rps" -v r="$ref_rps" 'BEGIN{
  printf "ratio landport/reference: OPEN %.3f   HOLD %.3f\n", a/r, b/r }'
kill "${pids[0]}" 2>/dev/null && wait "${pids[0]}" 2>/dev/null || true
"$bin" audit verify --db "$tmp/bench.db" | sed 's/^/after the runs: /'
