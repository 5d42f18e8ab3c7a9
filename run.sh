#!/usr/bin/env bash
# run.sh - set up and start landport on the embedded default store (SQLite,
# in var/), with a token for every role printed at start.
#   ./run.sh [DEMO OPTIONS]   the demo: an evening at the Huu Nghi gate played
#                             through the API at 10x (landport demo --help)
#   ./run.sh serve            a live gate without traffic (var/landport.db)
# Both listen on 127.0.0.1:8080 (LANDPORT_LISTEN to change).
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
mkdir -p var
if [ "${1:-}" != serve ]; then
  exec build/landport demo --listen "${LANDPORT_LISTEN:-127.0.0.1:8080}" --web-root "$PWD/web" "$@"
fi
export LANDPORT_DB=${LANDPORT_DB:-$PWD/var/landport.db}
export LANDPORT_LISTEN=${LANDPORT_LISTEN:-127.0.0.1:8080}
bin=build/landport
"$bin" migrate

# Tokens are shown once at creation: keep this demo's in var/tokens.txt.
if [ ! -s var/tokens.txt ]; then
  company=$(sqlite3 "$LANDPORT_DB" "SELECT id FROM companies ORDER BY id LIMIT 1")
  if [ -z "$company" ]; then
    admin=$("$bin" token create --role admin --name run.sh-bootstrap)
    "$bin" serve --listen 127.0.0.1:0 --port-file var/.port >/dev/null 2>&1 &
    pid=$!
    for _ in $(seq 50); do [ -s var/.port ] && break; sleep 0.1; done
    curl -sf -X POST "http://127.0.0.1:$(cat var/.port)/api/v1/companies" \
      -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' -H 'X-Reason: demo data' \
      -d '{"name":"Công ty TNHH Vận tải Bảo Nguyên (demo)","country":"VN","tax_id":"0100109106","kinds":["transport"]}' >/dev/null
    kill "$pid"; wait "$pid" 2>/dev/null || true
    rm -f var/.port
    company=$(sqlite3 "$LANDPORT_DB" "SELECT id FROM companies ORDER BY id LIMIT 1")
  fi
  for role in admin operator customs border_guard quarantine company device partner; do
    extra=()
    [ "$role" = company ] && extra=(--company "$company")
    printf '%-13s %s\n' "$role" "$("$bin" token create --role "$role" --name "demo-$role" "${extra[@]}")"
  done > var/tokens.txt
fi

echo
echo "landport is starting on http://$LANDPORT_LISTEN  (store: $LANDPORT_DB)"
echo "Dashboard: http://$LANDPORT_LISTEN/  (sign in with a token below)"
echo "API description: http://$LANDPORT_LISTEN/api/v1/openapi.json"
echo "Tokens (also in var/tokens.txt):"
sed 's/^/  /' var/tokens.txt
echo "Try: curl -H \"Authorization: Bearer \$(awk '/^operator/{print \$2}' var/tokens.txt)\" http://$LANDPORT_LISTEN/api/v1/crossing-points"
echo "Ctrl-C stops it."
exec "$bin" serve --access-log --web-root "$PWD/web"
