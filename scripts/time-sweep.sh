#!/usr/bin/env bash
# time-sweep.sh - runs the test suite (all but the browser tests) as if the
# wall clock showed other times of day, to catch tests and code that only
# pass at some hours (gate time is UTC+7: its date changes at 17:00 UTC).
# Every process the tests start (server, agv-sim, mosquitto, PostgreSQL)
# sees the same shifted clock through libfaketime; monotonic clocks are
# left alone.
#
#   scripts/time-sweep.sh [BUILD_DIR] [HH:MM ...]   (UTC times; default: a
#   minute before gate midnight, gate 06:52, inside the AGV window, gate 10:00)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
shift || true
times=("$@")
[ ${#times[@]} -gt 0 ] || times=(16:59 23:52 11:40 03:00)
lib=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
[ -f "$lib" ] || { echo "time-sweep.sh: libfaketime missing: run scripts/setup.sh" >&2; exit 2; }
[ -f "$dir/CTestTestfile.cmake" ] || { echo "time-sweep.sh: $dir is not a build directory" >&2; exit 2; }
rc=0
for t in "${times[@]}"; do
  now=$(date +%s)
  target=$(date -u -d "$(date -u +%F) $t" +%s) || { echo "time-sweep.sh: bad time $t (HH:MM)" >&2; exit 2; }
  [ "$target" -ge "$now" ] || target=$((target + 86400))
  printf '\033[1m==> tests at %s UTC (%s gate time)\033[0m\n' "$t" "$(TZ=Asia/Ho_Chi_Minh date -d @"$target" +%H:%M)"
  if ! (cd "$dir" && LD_PRELOAD=$lib FAKETIME="+$((target - now))s" FAKETIME_DONT_FAKE_MONOTONIC=1 \
        ctest -j"$(nproc)" -LE browser --output-on-failure); then
    echo "time-sweep.sh: tests failed at $t UTC" >&2
    rc=1
  fi
done
exit $rc
