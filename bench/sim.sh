#!/usr/bin/env bash
# bench/sim.sh - speed of `landport sim`: the discrete-event engine alone
# (a heap "hold" model, the reference) and a year of the gate at today's
# volume (scenarios/today.json: about 1,500 trucks a day plus the AGV
# shuttle), both in process (bench/sim_bench.c) in the same run, printed
# as events per second with their ratio; then the whole command for the
# same year as a user runs it (scenario read, one replication, table).
#
#   bench/sim.sh [BUILD_DIR] [DAYS]     default: build, 365
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
days=${2:-365}
bin=$build/landport
sim=$build/bench/lp_bench_sim
[ -x "$bin" ] && [ -x "$sim" ] || { echo "bench/sim.sh: build first (scripts/setup.sh)" >&2; exit 1; }
btype=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
echo "build $build (${btype:-unknown build type}); $(nproc) cores"
[ "$btype" = "Debug" ] && echo "warning: a Debug build; the figures are not the product's" >&2

"$sim" scenarios/today.json "$days"
start=$(date +%s.%N)
"$bin" sim --scenario scenarios/today.json --days "$days" --replications 1 --seed 1 >/dev/null
end=$(date +%s.%N)
awk -v a="$start" -v b="$end" -v d="$days" 'BEGIN{ printf "landport sim, %d days, 1 replication, whole command: %.3f s\n", d, b-a }'
