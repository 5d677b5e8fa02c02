#!/usr/bin/env bash
# Uploads a large file (2 GiB by default) to a published storage-api, raw and as multipart, and reports each
# upload's throughput, its ratio to dd writing as much to the same disk (conv=fdatasync: flushed, like an upload
# must be before its 201), and how much the server's resident memory grew while it streamed the bytes.
# Usage: bench/upload-memory/run.sh [size-in-MiB]
# STORAGE_API_APP=folder uses an already published service instead of publishing one.
set -euo pipefail
# The hashing embedder, as these numbers were always measured: they are about moving bytes. The local model's own
# cost (load, memory, texts/s) is bench/embedding's.
export EMBEDDER=hashing
# shellcheck source=bench/lib/service.sh
source "$(dirname "$0")/../lib/service.sh"

size_mib="${1:-2048}"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
port="${BENCH_PORT:-5099}"
base="http://127.0.0.1:$port"
admin_key="bench-admin-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
server_pid=""

cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

app="${STORAGE_API_APP:-}"
if [[ -z "$app" ]]; then
  echo "publishing to $work/app ..."
  dotnet publish "$repo/src/StorageApi" -c Release -o "$work/app" --nologo -v quiet >/dev/null
  app="$work/app"
fi

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

# The reference: dd writing as much to the disk the data folder ($work/data) is on, flushed before it ends.
elapsed_since() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN {print e - s}'; }
mib_per_s() { awk -v m="$size_mib" -v t="$1" 'BEGIN {printf "%.0f", m / t}'; }
started="$(date +%s.%N)"
dd if=/dev/zero of="$work/dd.bin" bs=1M count="$size_mib" conv=fdatasync status=none
dd_mib_s="$(mib_per_s "$(elapsed_since "$started")")"
rm -f "$work/dd.bin"
printf '%-10s %6d MiB at %5d MiB/s (dd bs=1M conv=fdatasync, same disk)\n' dd "$size_mib" "$dd_mib_s"

truncate -s "${size_mib}M" "$work/big.bin" # sparse: costs no disk to create, all zeros to read

cd "$work"
URLS="$base" ADMIN_API_KEY="$admin_key" MAX_UPLOAD_BYTES=$(( (size_mib + 16) * 1024 * 1024 )) \
  "$app/storage-api" >"$work/server.log" 2>&1 &
server_pid=$!
wait_until_up "$base/health/live"

key="$(tenant_key "$base" "$admin_key" bench)"

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status"; }
hwm_kib() { awk '/^VmHWM/ {print $2}' "/proc/$server_pid/status"; } # kernel's own peak, catches spikes between samples

# Runs an upload while sampling the server's RSS every 50 ms; prints throughput, its ratio to dd, and RSS
# baseline, peak and growth. Then deletes the object, so the next upload needs no more disk than this one.
measure() {
  local label="$1"; shift
  local baseline peak sample started elapsed mib_s
  baseline="$(rss_kib)"; peak="$baseline"
  local hwm_before; hwm_before="$(hwm_kib)"
  started="$(date +%s.%N)"
  "$@" >"$work/response.json" &
  local upload_pid=$!
  while kill -0 "$upload_pid" 2>/dev/null; do
    sample="$(rss_kib)"; (( sample > peak )) && peak="$sample"
    sleep 0.05
  done
  wait "$upload_pid"
  local hwm_after; hwm_after="$(hwm_kib)"
  (( hwm_after > hwm_before && hwm_after > peak )) && peak="$hwm_after"
  elapsed="$(elapsed_since "$started")"
  grep -q '"sha256"' "$work/response.json" || { echo "$label: upload failed: $(cat "$work/response.json")"; exit 1; }
  mib_s="$(mib_per_s "$elapsed")"
  printf '%-10s %6d MiB in %6.1f s (%5d MiB/s, %4.2fx dd)  RSS baseline %4d MiB  peak %4d MiB  growth %4d MiB\n' \
    "$label" "$size_mib" "$elapsed" "$mib_s" "$(awk -v u="$mib_s" -v d="$dd_mib_s" 'BEGIN {print u / d}')" \
    $(( baseline / 1024 )) $(( peak / 1024 )) $(( (peak - baseline) / 1024 ))
  local id; id="$(sed -E 's/.*"id":"([^"]+)".*/\1/' "$work/response.json")"
  curl -fsS -X DELETE -H "Authorization: Bearer $key" "$base/v1/objects/$id" >/dev/null
}

measure raw curl -fsS -X POST -H "Authorization: Bearer $key" -H 'Content-Type: application/octet-stream' \
  -T "$work/big.bin" "$base/v1/objects?filename=big.bin"
measure multipart curl -fsS -H "Authorization: Bearer $key" -F "file=@$work/big.bin;type=application/octet-stream" \
  "$base/v1/objects"
