#!/usr/bin/env bash
# setup.sh - installs what landport needs on Debian 12 (only what is missing)
# and builds it.  Used by ./run.sh and ./test.sh; safe to run again.
#
#   scripts/setup.sh [--sanitize]    build into build/ (and build-asan/ with --sanitize)
set -euo pipefail
cd "$(dirname "$0")/.."

# One list of Debian packages: build tools, libraries, and the real peers the
# tests start (PostgreSQL, mosquitto), the schema checks (python3-jsonschema),
# the model checker (spin), the benchmarks' load generator (wrk) and
# libfaketime for scripts/time-sweep.sh.
PACKAGES=(
  build-essential cmake pkg-config git ca-certificates curl
  libevent-dev libcjson-dev libsqlite3-dev sqlite3 libpq-dev libssl-dev libinih-dev
  libcurl4-openssl-dev libcmocka-dev
  postgresql wrk
  mosquitto libmosquitto-dev python3-jsonschema spin faketime
  chromium nodejs fonts-wqy-zenhei
)
# The dashboard's browser tests (chromium, node; a Chinese font for the
# screenshots): npm is part of some nodejs builds (NodeSource) and a Debian
# package of its own otherwise.
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else echo "setup.sh: need root (or sudo) to install: $*" >&2; exit 1
  fi
}

install_packages() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    log "Debian packages: all present"
    return
  fi
  log "installing Debian packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

build() {
  local dir=$1; shift
  log "building $dir ($*)"
  cmake -S . -B "$dir" "$@" >/dev/null
  cmake --build "$dir" -j"$(nproc)"
}

# npm ci in dir when its package-lock.json changed since the last install.
npm_install() {
  local dir=$1
  if ! cmp -s "$dir/package-lock.json" "$dir/node_modules/.lp-installed-lock" 2>/dev/null; then
    log "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$dir/node_modules/.lp-installed-lock"
  fi
}

# The dashboard's chart library (uPlot, web/package-lock.json), served from
# web/vendor/ (not committed), and the browser tests' driver (playwright-core).
web_deps() {
  npm_install web
  npm_install tests/browser
  mkdir -p web/vendor
  cp web/node_modules/uplot/dist/uPlot.esm.js web/node_modules/uplot/dist/uPlot.min.css web/vendor/
  cp web/node_modules/uplot/LICENSE web/vendor/uPlot.LICENSE
}

install_packages
web_deps
build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
if [ "${1:-}" = "--sanitize" ]; then
  build build-asan -DCMAKE_BUILD_TYPE=Debug -DLP_SANITIZE=ON
fi
