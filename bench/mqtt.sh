#!/usr/bin/env bash
# bench/mqtt.sh - MQTT figures of the VDA 5050 layer next to mosquitto's own
# pub/sub rate measured in the same run on a private broker.
#
#   bench/mqtt.sh [BUILD_DIR] [SECONDS] [N...]    default: build, 10, 100 250 500 1000 2000 4000
#
# Prints
#   - the reference: one publisher -> mosquitto -> one subscriber, QoS 0,
#     messages of a state message's size (bench/mqtt_bench.c "raw");
#   - for each fleet size N: `landport agv-sim --count N` (one process, one
#     loop), the state messages/s a subscriber receives, how many vehicles
#     held 1 Hz (>= 0.9 states per second and no gap of 1.5 s between the
#     states' own timestamps), the largest gap and agv-sim's CPU (share of
#     one core while counting), with the ratio to the reference;
#   - the largest N held at 1 Hz (every vehicle) on this machine.
# Stops growing N at the first size not held.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
secs=${2:-10}
shift $(($# > 2 ? 2 : $#))
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 250 500 1000 2000 4000)
bin=$build/landport
bench=$build/bench/lp_bench_mqtt
[ -x "$bin" ] && [ -x "$bench" ] || { echo "bench/mqtt.sh: build first (scripts/setup.sh)" >&2; exit 1; }

tmp=$(mktemp -d)
sim_pid=""
cleanup() {
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null || true
  bash scripts/mqtt-test-broker.sh stop "$tmp/broker" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
# One socket per vehicle on both sides: the broker inherits this limit.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
bash scripts/mqtt-test-broker.sh start "$tmp/broker" >/dev/null
port=$(cat "$tmp/broker/port")

echo "machine: $(nproc) cores; mosquitto $(mosquitto -h 2>/dev/null | awk 'NR==1{print $3}'); ${secs}s per run"
read -r _ raw_rate raw_n raw_s < <("$bench" raw "$port" 30000 1100)
printf "%-34s %10.0f msg/s   (%d messages of 1100 B in %.2f s)\n" "reference: mosquitto raw pub/sub" \
  "$raw_rate" "$raw_n" "$raw_s"

best=0
for n in "${sizes[@]}"; do
  "$bin" agv-sim --count "$n" --broker "127.0.0.1:$port" --manufacturer "bench$n" >"$tmp/sim.log" 2>&1 &
  sim_pid=$!
  read -r _ rate seen held gap cpu < <("$bench" sim "$port" "bench$n" "$n" "$secs" "$sim_pid")
  kill "$sim_pid"
  wait "$sim_pid" 2>/dev/null || true
  sim_pid=""
  printf "%-34s %10.0f msg/s   %5d/%d at 1 Hz   max gap %5.0f ms   agv-sim cpu %5s%%   ratio %.4f of raw\n" \
    "agv-sim N=$n state" "$rate" "$held" "$n" "$gap" "$cpu" "$(awk -v a="$rate" -v b="$raw_rate" 'BEGIN{print a/b}')"
  if [ "$held" -eq "$n" ] && [ "$seen" -eq "$n" ]; then best=$n; else break; fi
done
echo "largest fleet held at 1 Hz by one agv-sim process: N=$best"
