#!/usr/bin/env bash
# bench/traffic.sh - traffic control (src/core/traffic.h) in process:
# requests and progress reports per second with N vehicles shuttling between
# the yards of road-1088 and of a generated 20 km corridor with 40
# single-lane blocks, next to a reference (a table of per-direction edge
# locks driven by the same vehicles on the same routes) measured in the same
# run, and their ratio.
#
#   bench/traffic.sh [BUILD_DIR] [TICKS]     default: build, 200000
#
# Use an optimised build (scripts/setup.sh: RelWithDebInfo); the build type
# is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
ticks=${2:-200000}
prog=$build/bench/lp_bench_traffic
[ -x "$prog" ] || { echo "bench/traffic.sh: build first (cmake --build $build --target lp_bench_traffic)" >&2; exit 1; }
btype=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
echo "build $build (${btype:-unknown build type}); $(nproc) cores"
[ "$btype" = "Debug" ] && echo "warning: a Debug build; the figures are not the product's" >&2
"$prog" data/roads/road-1088.json "$ticks"
