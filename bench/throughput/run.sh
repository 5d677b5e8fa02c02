#!/usr/bin/env bash
# Requests per second for small GETs (an object's metadata, and its 1 KiB content) on a published, production-mode
# storage-api, first on SQLite, then on PostgreSQL (a private server started from the machine's binaries), with wrk.
# Usage: bench/throughput/run.sh [seconds] [connections]
set -euo pipefail
# The hashing embedder, as these numbers were always measured: they are about moving bytes. The local model's own
# cost (load, memory, texts/s) is bench/embedding's.
export EMBEDDER=hashing
# shellcheck source=bench/lib/service.sh
source "$(dirname "$0")/../lib/service.sh"

seconds="${1:-10}"
connections="${2:-32}"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d /tmp/throughput.XXXXXX)"
chmod 711 "$work" # the PostgreSQL server runs as postgres and must reach its folder inside
port="${BENCH_PORT:-5098}"
base="http://127.0.0.1:$port"
pg_port="${BENCH_PG_PORT:-55432}"
pg_bin="$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d | sort | tail -n 1)"
server_pid=""
as_postgres=()
[ "$(id -u)" = 0 ] && as_postgres=(runuser -u postgres --)

cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -d "$work/pg/data" ]; then "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$work/pg/data" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

random_key() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
admin_key="$(random_key)"

echo "publishing to $work/app ..."
dotnet publish "$repo/src/StorageApi" -c Release -o "$work/app" --nologo -v quiet >/dev/null
head -c 1024 /dev/urandom > "$work/small.bin"

# Starts the service on DATABASE_URL=$1 (migrated first), stores one object, and runs wrk on two small GETs.
measure() {
  local label="$1" database_url="$2" signing_key
  signing_key="$(random_key)"
  mkdir -p "$work/$label"
  export ENVIRONMENT=production ADMIN_API_KEY="$admin_key" SIGNING_KEY="$signing_key" URLS="$base" \
    DATABASE_URL="$database_url" STORAGE_DATA_DIR="$work/$label/data"
  # Rate limits would measure the limiter, not the service: open them wide for the bench.
  export RATE_LIMIT_REQUESTS_PER_MINUTE=1000000 RATE_LIMIT_REQUEST_BURST=100000
  (cd "$work/$label" && "$work/app/storage-api" migrate >/dev/null)
  (cd "$work/$label" && exec "$work/app/storage-api" >"$work/$label/server.log" 2>&1) &
  server_pid=$!
  wait_until_up "$base/health/ready"
  local key id
  key="$(tenant_key "$base" "$admin_key" bench)"
  id="$(curl -fsS -H "Authorization: Bearer $key" --data-binary @"$work/small.bin" "$base/v1/objects?filename=small.bin" \
    | sed -E 's/.*"id":"([^"]+)".*/\1/')"
  # Warm up every path first: tiered JIT and PGO need thousands of calls before the code is final.
  for path in "/v1/objects/$id" "/v1/objects/$id/content"; do
    wrk -t 2 -c 16 -d 8s -H "Authorization: Bearer $key" "$base$path" >/dev/null
  done
  for path in "/v1/objects/$id" "/v1/objects/$id/content"; do
    wrk -t 2 -c "$connections" -d "${seconds}s" --latency -H "Authorization: Bearer $key" "$base$path" > "$work/wrk.txt"
    printf '%-10s GET %-32s %10s req/s  p50 %8s  p99 %8s  non-2xx: %s\n' "$label" "${path/$id/{id\}}" \
      "$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")" \
      "$(awk '$1 == "50%" {print $2}' "$work/wrk.txt")" "$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")" \
      "$(awk '/Non-2xx/ {print $5} END {}' "$work/wrk.txt" | grep . || echo 0)"
  done
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
}

measure sqlite "sqlite:///$work/sqlite/data/storage.db"

mkdir -p "$work/pg"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$work/pg"
"${as_postgres[@]}" "$pg_bin/initdb" -D "$work/pg/data" -U bench -A trust --no-sync >/dev/null
"${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w \
  -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1" start >/dev/null
"${as_postgres[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U bench storage
measure postgresql "postgresql://bench@127.0.0.1:$pg_port/storage"
