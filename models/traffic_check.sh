#!/usr/bin/env bash
# models/traffic_check.sh - model-checks the traffic reservation protocol
# (models/traffic.pml) with spin: safety assertions and invalid end states
# (deadlock), for 2 vehicles x 2 trips and 3 vehicles x 1 trip in both
# directions.  A broken variant (blocks granted piecemeal) must fail, which
# shows the check can fail.  Exit 0 only if every run is as expected.
#
#   models/traffic_check.sh WORK_DIR [CC]
set -euo pipefail
model="$(cd "$(dirname "$0")" && pwd)/traffic.pml"
work=${1:?usage: traffic_check.sh WORK_DIR [CC]}
cc=${2:-cc}
command -v spin >/dev/null || { echo "traffic_check: spin is not installed (scripts/setup.sh installs it)" >&2; exit 1; }
mkdir -p "$work"
cd "$work"

# run NAME EXPECT DEFINES...: EXPECT is "pass" or "fail"
run() {
  local name=$1 expect=$2
  shift 2
  rm -f pan pan.* ./*.trail
  spin "$@" -a "$model" >spin.log 2>&1 || { cat spin.log; echo "traffic_check: spin -a failed ($name)" >&2; return 1; }
  "$cc" -w -O1 -DSAFETY -o pan pan.c  # -O1: the quickest compile + run here
  ./pan -m100000 >"$name.out" 2>&1 || true
  local errors
  errors=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' "$name.out" | head -1)
  if ! grep -q "Full statespace search" "$name.out" || [ -z "$errors" ]; then
    cat "$name.out"; echo "traffic_check: $name: pan did not finish" >&2; return 1
  fi
  if grep -q "Search not completed" "$name.out" && [ "$expect" = pass ]; then
    cat "$name.out"; echo "traffic_check: $name: search not completed" >&2; return 1
  fi
  local states
  states=$(sed -n 's/^ *\([0-9]*\) states, stored.*/\1/p' "$name.out" | head -1)
  if [ "$expect" = pass ] && [ "$errors" != 0 ]; then
    cat "$name.out"; spin -t -p "$@" "$model" | tail -40 || true
    echo "traffic_check: $name: $errors error(s)" >&2; return 1
  fi
  if [ "$expect" = fail ] && [ "$errors" = 0 ]; then
    cat "$name.out"; echo "traffic_check: $name: the broken variant was not caught" >&2; return 1
  fi
  echo "$name: errors $errors ($expect expected), $states states"
}

run two-vehicles-two-trips pass -DN=2 -DTRIPS=2
run three-vehicles pass -DN=3 -DTRIPS=1
run broken-pairwise-grants fail -DN=2 -DTRIPS=1 -DPAIRWISE_GRANTS
echo "traffic_check: all runs as expected"
