#!/usr/bin/env bash
# Uploads a large file (2 GiB by default) to a published storage-api, raw and as multipart,
# and reports how much the server's resident memory grew while it streamed the bytes.
# Usage: bench/upload-memory/run.sh [size-in-MiB]
set -euo pipefail

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

echo "publishing to $work/app ..."
dotnet publish "$repo/src/StorageApi" -c Release -o "$work/app" --nologo -v quiet >/dev/null

truncate -s "${size_mib}M" "$work/big.bin" # sparse: costs no disk to create, all zeros to read

cd "$work"
URLS="$base" ADMIN_API_KEY="$admin_key" MAX_UPLOAD_BYTES=$(( (size_mib + 16) * 1024 * 1024 )) \
  "$work/app/storage-api" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -fsS "$base/health/live" >/dev/null 2>&1 && break; sleep 0.1; done

curl -fsS -H "Authorization: Bearer $admin_key" -H 'Content-Type: application/json' \
  -d '{"id":"bench","name":"Bench"}' "$base/v1/admin/tenants" >/dev/null
key="$(curl -fsS -H "Authorization: Bearer $admin_key" -H 'Content-Type: application/json' \
  -d '{"name":"bench"}' "$base/v1/admin/tenants/bench/keys" | sed -E 's/.*"key":"([^"]+)".*/\1/')"

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status"; }
hwm_kib() { awk '/^VmHWM/ {print $2}' "/proc/$server_pid/status"; } # kernel's own peak, catches spikes between samples

# Runs an upload while sampling the server's RSS every 50 ms; prints baseline, peak, growth and throughput.
measure() {
  local label="$1"; shift
  local baseline peak sample started elapsed
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
  elapsed="$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN {print e - s}')"
  grep -q '"sha256"' "$work/response.json" || { echo "$label: upload failed: $(cat "$work/response.json")"; exit 1; }
  printf '%-10s %6d MiB in %6.1f s (%5.0f MiB/s)  RSS baseline %4d MiB  peak %4d MiB  growth %4d MiB\n' \
    "$label" "$size_mib" "$elapsed" "$(awk -v m="$size_mib" -v t="$elapsed" 'BEGIN {print m / t}')" \
    $(( baseline / 1024 )) $(( peak / 1024 )) $(( (peak - baseline) / 1024 ))
}

measure raw curl -fsS -X POST -H "Authorization: Bearer $key" -H 'Content-Type: application/octet-stream' \
  -T "$work/big.bin" "$base/v1/objects?filename=big.bin"
# Multipart with different bytes so the upload is not deduplicated into the first blob.
printf 'x' | dd of="$work/big.bin" bs=1 seek=0 conv=notrunc status=none
measure multipart curl -fsS -H "Authorization: Bearer $key" -F "file=@$work/big.bin;type=application/octet-stream" \
  "$base/v1/objects"
