#!/usr/bin/env bash
# Search quality of the service, one embedder after another, side by side: publishes it (or BENCH_APP) with the local
# model beside it, and for each embedder in BENCH_EMBEDDERS (default "hashing local-minilm"; "openai" needs
# OPENAI_API_KEY, and OPENAI_BASE_URL and EMBEDDING_MODEL pass through) starts it on SQLite and the file store in a
# fresh folder with one tenant and runs the evaluation (Program.cs) through /v1/search: hybrid, vector and keyword rows.
# Usage: nice -n 19 bench/search-quality/run.sh
set -euo pipefail
# shellcheck source=bench/lib/service.sh
source "$(dirname "$0")/../lib/service.sh"

repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d "${BENCH_TMPDIR:-/tmp}/search-quality.XXXXXX")"
port=$((20000 + RANDOM % 10000))
base="http://127.0.0.1:$port"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -n "${BENCH_KEEP:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
random_key() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

app="${BENCH_APP:-}"
if [ -z "$app" ]; then
  echo "publishing to $work/app ..."
  dotnet publish "$repo/src/StorageApi" -c Release -o "$work/app" --nologo -v quiet -p:EmbeddingModelPublishDir="$work/app/models/" >/dev/null
  app="$work/app"
fi
dotnet build "$repo/bench/search-quality" -c Release --nologo -v quiet >/dev/null

admin_key="$(random_key)"
signing_key="$(random_key)"
export ENVIRONMENT=production ADMIN_API_KEY="$admin_key" SIGNING_KEY="$signing_key" URLS="$base"
export RATE_LIMIT_REQUESTS_PER_MINUTE=1000000 RATE_LIMIT_REQUEST_BURST=100000 # measure search, not the limiter
echo "commit $(git -C "$repo" rev-parse --short HEAD), load average $(cut -d ' ' -f 1-3 /proc/loadavg)"
for embedder in ${BENCH_EMBEDDERS:-hashing local-minilm}; do
  data="$work/$embedder"
  mkdir -p "$data"
  export EMBEDDER="$embedder" DATABASE_URL="sqlite:///$data/storage.db" STORAGE_DATA_DIR="$data"
  (cd "$data" && "$app/storage-api" migrate >/dev/null)
  (cd "$data" && exec "$app/storage-api" >"$data/server.log" 2>&1) &
  server_pid=$!
  wait_until_up "$base/health/ready"
  key="$(tenant_key "$base" "$admin_key" quality)"
  dotnet "$repo/bench/search-quality/bin/Release/net10.0/SearchQuality.dll" "$base" "$key" "$admin_key" "$embedder"
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
done
