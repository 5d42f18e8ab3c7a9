#!/usr/bin/env bash
# test.sh - set up, build, and run every test: the unit and integration
# suites on SQLite and on a private PostgreSQL server, once in a normal build
# and once under AddressSanitizer + UBSan.  Exit status 0 only if all pass.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh --sanitize
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
for dir in build build-asan; do
  printf '\033[1m==> ctest in %s\033[0m\n' "$dir"
  (cd "$dir" && ctest --output-on-failure --timeout 600 -j1 "$@")
done
printf '\033[1m==> all tests passed (normal and sanitizer builds)\033[0m\n'
