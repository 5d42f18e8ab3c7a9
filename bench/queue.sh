#!/usr/bin/env bash
# bench/queue.sh - the fair e-queue (src/core/queue.h) in process with a
# backlog like Lạng Sơn's in 2021 (about 4,800 trucks): operations per
# second of add, call-forward + gate arrival, withdraw and no-show
# processing, and the cost of recomputing every position and estimated
# wait, next to qsort and a sequential scan of the same order keys measured
# in the same run (bench/queue_bench.c).  Then ten times the backlog, to
# show how it scales.
#
#   bench/queue.sh [BUILD_DIR] [N ...]      default: build, 5000 50000
# Use an optimised build (scripts/setup.sh: RelWithDebInfo); the build type
# is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
bin=$build/bench/lp_bench_queue
[ -x "$bin" ] || { echo "bench/queue.sh: build first (scripts/setup.sh)" >&2; exit 1; }
btype=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
echo "build $build (${btype:-unknown build type}); $(nproc) cores; one thread"
[ "$btype" = "Debug" ] && echo "warning: a Debug build; the figures are not the product's" >&2
"$bin" "$@"
