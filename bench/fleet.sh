#!/usr/bin/env bash
# bench/fleet.sh - the AGV fleet manager under growing fleets: state-to-order
# latency next to the broker's own one-hop latency measured in the same run.
#
#   bench/fleet.sh [BUILD_DIR] [SECONDS] [N...]    default: build, 20, 10 50 100 200 400
#
# For each N: a fresh `landport serve --mqtt` (SQLite, file clock at 18:40
# gate time), `landport agv-sim --count N` in the Vietnamese yard of
# road-1088, N missions to the China yard (they queue through the
# single-lane blocks), then lp_bench_fleet watches SECONDS seconds: state
# messages/s, and for each order update the time since that vehicle's last
# state (state -> broker -> landport -> broker -> bench).  A fleet is held
# when every vehicle reported, states arrive at >= 0.9 N per second and the
# p99 latency stays under FLEET_P99_MS (50 ms, the target of the fleet).
# Prints the largest N held, and the messages the fleet manager handled per
# second (states in, orders out) next to mosquitto's raw pub/sub rate
# (lp_bench_mqtt raw, as in bench/mqtt.sh) measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
secs=${2:-20}
shift $(($# > 2 ? 2 : $#))
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10 50 100 200 400)
bin=$build/landport
bench=$build/bench/lp_bench_fleet
mqtt_bench=$build/bench/lp_bench_mqtt
limit=${FLEET_P99_MS:-50}
[ -x "$bin" ] && [ -x "$bench" ] && [ -x "$mqtt_bench" ] || { echo "bench/fleet.sh: build first (scripts/setup.sh)" >&2; exit 1; }

tmp=$(mktemp -d)
sim_pid=""
srv_pid=""
stop_run() {
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null || true
  [ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null && wait "$srv_pid" 2>/dev/null || true
  sim_pid=""
  srv_pid=""
}
cleanup() {
  stop_run
  bash scripts/mqtt-test-broker.sh stop "$tmp/broker" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
bash scripts/mqtt-test-broker.sh start "$tmp/broker" >/dev/null
port=$(cat "$tmp/broker/port")
echo 1795434000000 >"$tmp/clock" # 2026-11-23 18:40 +07:00, inside the AGV window

echo "machine: $(nproc) cores; ${secs}s per run"
read -r _ ref50 ref99 < <("$bench" ref "$port" 2000)
printf "%-30s p50 %7.2f ms   p99 %7.2f ms\n" "reference: broker one hop" "$ref50" "$ref99"
read -r _ raw_rate _ _ < <("$mqtt_bench" raw "$port" 30000 1100)
printf "%-30s %9.0f msg/s (1100-byte messages, QoS 0)\n" "reference: mosquitto raw pub/sub" "$raw_rate"

best=0
for n in "${sizes[@]}"; do
  db="$tmp/fleet$n.db"
  "$bin" migrate --db "$db" >/dev/null 2>&1
  tok=$("$bin" token create --role operator --name bench --db "$db" 2>/dev/null | tail -1)
  rm -f "$tmp/port"
  "$bin" serve --db "$db" --listen 127.0.0.1:0 --port-file "$tmp/port" --mqtt "127.0.0.1:$port" \
    --clock "file:$tmp/clock" >"$tmp/serve$n.log" 2>&1 &
  srv_pid=$!
  for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
  http="http://127.0.0.1:$(cat "$tmp/port")"
  "$bin" agv-sim --count "$n" --broker "127.0.0.1:$port" --manufacturer "fleet$n" --start-x 40 --start-y -1198 \
    --start-node vn-yard --speedup 40 >"$tmp/sim$n.log" 2>&1 &
  sim_pid=$!
  for _ in $(seq 300); do
    idle=$(curl -s -H "Authorization: Bearer $tok" "$http/api/v1/agvs" | grep -o '"state":"idle"' | wc -l || true)
    [ "$idle" -ge "$n" ] && break
    sleep 0.2
  done
  started=0
  for _ in $(seq "$n"); do
    code=$(curl -s -o "$tmp/reply" -w '%{http_code}' -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
      -d '{"from":"vn_yard","to":"china_yard"}' "$http/api/v1/agv-missions")
    if [ "$code" = 201 ]; then started=$((started + 1)); else grep -o '"detail":"[^"]*"' "$tmp/reply" >>"$tmp/refused" || true; fi
  done
  read -r _ rate seen updates p50 p99 < <("$bench" watch "$port" "fleet$n" "$n" "$secs")
  stop_run
  [ -s "$tmp/refused" ] && { echo "  refused: $(sort "$tmp/refused" | uniq -c | head -3)"; rm -f "$tmp/refused"; }
  printf "%-30s %7.1f states/s   %4d/%d seen   %4d missions   %6d updates   p50 %7.2f ms   p99 %7.2f ms   p99 ratio %.1f x one hop\n" \
    "fleet N=$n" "$rate" "$seen" "$n" "$started" "$updates" "$p50" "$p99" \
    "$(awk -v a="$p99" -v b="$ref99" 'BEGIN{print (b > 0 ? a/b : 0)}')"
  msgs=$(awk -v r="$rate" -v u="$updates" -v s="$secs" 'BEGIN{printf "%.1f", r + u / s}')
  printf "%-30s %9.1f msg/s handled (states in + orders out)   ratio %.5f of mosquitto raw\n" "" "$msgs" \
    "$(awk -v a="$msgs" -v b="$raw_rate" 'BEGIN{print (b > 0 ? a/b : 0)}')"
  if [ "$seen" -eq "$n" ] && awk -v r="$rate" -v n="$n" -v p="$p99" -v l="$limit" 'BEGIN{exit !(r >= 0.9*n && p < l)}'; then
    best=$n
  else
    break
  fi
done
echo "largest fleet held at 1 Hz state with p99 state-to-order under $limit ms: N=$best"
