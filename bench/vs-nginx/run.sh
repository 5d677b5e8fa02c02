#!/usr/bin/env bash
# The service beside a real nginx serving the very same blob files: a 1 GiB download with curl (median of 5 rounds,
# alternating) and an authenticated 1 KiB GET with wrk (2 threads x 32 connections, after warm-up), then the ratios.
# The service is published and runs in production mode on SQLite with the file store, rate limits opened wide as in
# bench/throughput. Every answer must be a 200: the run fails when wrk counts a non-2xx answer or a socket error.
# Usage: nice -n 19 bench/vs-nginx/run.sh [seconds]   (BENCH_APP=<published folder> skips the publish)
set -euo pipefail
# The hashing embedder, as these numbers were always measured: they are about moving bytes. The local model's own
# cost (load, memory, texts/s) is bench/embedding's.
export EMBEDDER=hashing
# shellcheck source=bench/lib/service.sh
source "$(dirname "$0")/../lib/service.sh"

seconds="${1:-10}"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d "${BENCH_TMPDIR:-/tmp}/vs-nginx.XXXXXX")" # BENCH_TMPDIR=/dev/shm when the disk is short of 1.1 GiB
chmod 711 "$work"
port=$((20000 + RANDOM % 5000))
nginx_port=$((25000 + RANDOM % 5000))
base="http://127.0.0.1:$port"
nginx_base="http://127.0.0.1:$nginx_port"
server_pid=""
nginx_pid=""

cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -n "$nginx_pid" ]; then kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; fi
  if [ -n "${BENCH_KEEP:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

random_key() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

app="${BENCH_APP:-}"
if [ -z "$app" ]; then
  echo "publishing to $work/app ..."
  dotnet publish "$repo/src/StorageApi" -c Release -o "$work/app" --nologo -v quiet >/dev/null
  app="$work/app"
fi
if [ -n "${BENCH_APP:-}" ]; then built="published beforehand in $app"
else built="commit $(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD -- src || echo '+changes')"; fi
echo "$built, load average $(cut -d ' ' -f 1-3 /proc/loadavg)"

# --- the service, production mode, one tenant with a 1 KiB and a 1 GiB object ---
admin_key="$(random_key)"
signing_key="$(random_key)"
export ENVIRONMENT=production ADMIN_API_KEY="$admin_key" SIGNING_KEY="$signing_key" URLS="$base" \
  DATABASE_URL="sqlite:///$work/data/storage.db" STORAGE_DATA_DIR="$work/data"
export RATE_LIMIT_REQUESTS_PER_MINUTE=1000000 RATE_LIMIT_REQUEST_BURST=100000 # measure the service, not its limiter
mkdir -p "$work/data"
(cd "$work" && "$app/storage-api" migrate >/dev/null)
(cd "$work" && exec "$app/storage-api" >"$work/server.log" 2>&1) &
server_pid=$!
wait_until_up "$base/health/ready"
key="$(tenant_key "$base" "$admin_key" bench)"
upload() { # name bytes: uploads that many random bytes (streamed, so the disk holds them once) and prints the object's id
  head -c "$2" /dev/urandom | curl -fsS -H "Authorization: Bearer $key" -H 'Content-Type: application/octet-stream' -X POST -T - \
    "$base/v1/objects?filename=$1" | sed -E 's/.*"id":"([^"]+)".*/\1/'
}
small_id="$(upload small.bin 1024)"
large_id="$(upload large.bin $((1024 * 1024 * 1024)))"

# --- nginx on the same blob folder: the files the service itself reads ---
blobs="$work/data/blobs"
small_path="$(cd "$blobs" && find . -type f -size 1024c -printf '%P\n' | head -n 1)"
large_path="$(cd "$blobs" && find . -type f -size 1073741824c -printf '%P\n' | head -n 1)"
if [ -z "$small_path" ] || [ -z "$large_path" ]; then echo "blob files not found under $blobs" >&2; exit 1; fi
mkdir -p "$work/nginx"
cat > "$work/nginx/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log $work/nginx/access.log combined buffer=64k;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  default_type application/octet-stream;
  client_body_temp_path $work/nginx/tmp;
  proxy_temp_path $work/nginx/tmp;
  fastcgi_temp_path $work/nginx/tmp;
  uwsgi_temp_path $work/nginx/tmp;
  scgi_temp_path $work/nginx/tmp;
  server {
    listen 127.0.0.1:$nginx_port;
    root $blobs;
  }
}
EOF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
nginx_pid=$!
for _ in $(seq 1 50); do curl -fsS -o /dev/null "$nginx_base/$small_path" 2>/dev/null && break; sleep 0.1; done

service_small="$base/v1/objects/$small_id/content"
service_large="$base/v1/objects/$large_id/content"
auth=(-H "Authorization: Bearer $key")
cmp <(curl -fsS "${auth[@]}" "$service_small") <(curl -fsS "$nginx_base/$small_path") # the same bytes, both answered 200

# --- 1 GiB download, curl to /dev/null, alternating, median of 5 ---
download() { # prints MiB/s; fails unless a 200 with every byte
  curl -fsS -o /dev/null -w '%{http_code} %{size_download} %{speed_download}\n' "$@" \
    | awk '$1 != 200 || $2 != 1073741824 { print "bad download: " $0 > "/dev/stderr"; exit 1 } { printf "%.0f\n", $3 / 1048576 }'
}
download "${auth[@]}" "$service_large" >/dev/null # warm the page cache and the code path
download "$nginx_base/$large_path" >/dev/null
: > "$work/dl-service"; : > "$work/dl-nginx"
for _ in 1 2 3 4 5; do
  download "${auth[@]}" "$service_large" >> "$work/dl-service"
  download "$nginx_base/$large_path" >> "$work/dl-nginx"
done
dl_service="$(median < "$work/dl-service")"
dl_nginx="$(median < "$work/dl-nginx")"
printf '1 GiB download  service %5s MiB/s  nginx %5s MiB/s  (rounds: service %s; nginx %s)\n' "$dl_service" "$dl_nginx" \
  "$(paste -sd ' ' "$work/dl-service")" "$(paste -sd ' ' "$work/dl-nginx")"

# --- 1 KiB GET, wrk 2 x 32 after warm-up; any non-2xx answer or socket error fails the run ---
get_small() { # label url [header]; prints req/s
  local label="$1" url="$2"; shift 2
  wrk -t 2 -c 16 -d 8s "$@" "$url" >/dev/null # tiered JIT and PGO need thousands of calls before the code is final
  wrk -t 2 -c 32 -d "${seconds}s" --latency "$@" "$url" > "$work/wrk-$label.txt"
  if grep -qE 'Non-2xx|Socket errors' "$work/wrk-$label.txt"; then
    echo "$label: not every answer was a 2xx:" >&2; cat "$work/wrk-$label.txt" >&2; exit 1
  fi
  awk '/Requests\/sec/ { printf "%.0f\n", $2 }' "$work/wrk-$label.txt"
}
small_service="$(get_small service "$service_small" -H "Authorization: Bearer $key")"
small_nginx="$(get_small nginx "$nginx_base/$small_path")"
latency() { awk -v q="$2" '$1 == q { print $2 }' "$work/wrk-$1.txt"; }
printf '1 KiB GET       service %6s req/s (p50 %s, p99 %s)  nginx %6s req/s (p50 %s, p99 %s)  /health/live for scale: ' \
  "$small_service" "$(latency service 50%)" "$(latency service 99%)" "$small_nginx" "$(latency nginx 50%)" "$(latency nginx 99%)"
wrk -t 2 -c 32 -d 5s "$base/health/live" | awk '/Requests\/sec/ { printf "%.0f req/s\n", $2 }'

printf 'ratios          download %.2fx  1 KiB GET %.3fx   (load average after: %s)\n' \
  "$(awk -v a="$dl_service" -v b="$dl_nginx" 'BEGIN { print a / b }')" "$(awk -v a="$small_service" -v b="$small_nginx" 'BEGIN { print a / b }')" "$(cut -d ' ' -f 1-3 /proc/loadavg)"
