#!/usr/bin/env bash
# bench/queuestore.sh - the e-queue with a backlog of N trucks waiting (default
# 5,000): store operations (each a transaction that rebuilds the queue from
# its rows), the view of every position and estimate, the idle tick, next
# to the pure core and the bare SELECT measured in the same run
# (bench/queuestore_bench.c).
#
#   bench/queuestore.sh [BUILD_DIR] [N] [OPS]     default: build, 5000, 200
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
n=${2:-5000}
ops=${3:-200}
bin=$build/bench/lp_bench_queuestore
[ -x "$bin" ] || { echo "bench/queuestore.sh: build first (scripts/setup.sh)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
btype=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
echo "build $build (${btype:-unknown build type}); $(nproc) cores"
"$bin" "$tmp" "$n" "$ops"
