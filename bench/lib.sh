# bench/lib.sh - what the benchmark scripts share (sourced, not run):
# a private temp dir with the processes to stop on exit, a free loopback
# port, starting `landport serve` and the reference server, and one wrk run
# printed as req/s and p50/p99 in ms.  Expects $conns and $secs set.

tmp=$(mktemp -d)
pids=()
bench_cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap bench_cleanup EXIT

free_port() { # a loopback port nobody listens on
  local p
  while :; do
    p=$((20000 + RANDOM % 30000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

# start_servers BIN REF DB: sets lport (landport) and rport (reference).
start_servers() {
  "$1" serve --db "$3" --listen 127.0.0.1:0 --port-file "$tmp/port" 2>"$tmp/server.log" &
  pids+=($!)
  rport=$(free_port)
  "$2" "$rport" &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
  lport=$(cat "$tmp/port")
  sleep 0.2
}

# wrk prints latency percentiles with units (us/ms/s); normalise to ms.
to_ms() { awk -v v="$1" 'BEGIN{ if (v ~ /us$/) {sub(/us/,"",v); print v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v); print v+0} else if (v ~ /s$/) {sub(/s/,"",v); print v*1000} else print v }'; }

# wrk_run WIDTH NAME URL WRK-ARGS...: prints one line; req/s goes to $tmp/last.
wrk_run() {
  local width=$1 name=$2 url=$3 out rps p50 p99 non2xx
  shift 3
  out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency "$@" "$url")
  rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
  p50=$(to_ms "$(awk '$1=="50%"{print $2}' <<<"$out")")
  p99=$(to_ms "$(awk '$1=="99%"{print $2}' <<<"$out")")
  non2xx=$(awk '/Non-2xx/{print $NF}' <<<"$out")
  printf "%-${width}s %10.0f req/s   p50 %7.3f ms   p99 %7.3f ms%s\n" "$name" "$rps" "$p50" "$p99" \
    "${non2xx:+   (non-2xx: $non2xx)}"
  echo "$rps" > "$tmp/last"
}

# patch_lua FILE TOKEN: a wrk script of audited writes (PATCH of a crossing
# point's capacity, a new value each time) as TOKEN.
patch_lua() {
  cat > "$1" <<LUA
local n = 0
request = function()
  n = n + 1
  return wrk.format("PATCH", "/api/v1/crossing-points/road-1088", {
    ["Authorization"] = "Bearer $2", ["Content-Type"] = "application/json",
    ["X-Reason"] = "bench" }, '{"capacity_per_hour":' .. (n % 1000) .. '}')
end
LUA
}
