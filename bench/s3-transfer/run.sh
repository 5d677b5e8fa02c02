#!/usr/bin/env bash
# 1 GiB (by default) up and down through the service with BLOB_STORE_URL=s3://bench/blobs, and directly against the
# same s3rver with the AWS SDK (the service's part size and parallelism), alternating, in one run.
# Prints the median of each path, the ratio service/direct both ways and the service's RSS growth during its uploads.
# Usage: bench/s3-transfer/run.sh [size-in-MiB] [rounds]     BENCH_AWSCLI=0 skips the awscli reference runs.
set -euo pipefail
# The hashing embedder, as these numbers were always measured: they are about moving bytes. The local model's own
# cost (load, memory, texts/s) is bench/embedding's.
export EMBEDDER=hashing
# shellcheck source=bench/lib/service.sh
source "$(dirname "$0")/../lib/service.sh"

size_mib="${1:-1024}"
rounds="${2:-3}"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d -t s3-transfer-XXXXXX)"
s3_pid=""
server_pid=""

cleanup() {
  local pid
  for pid in "$server_pid" "$s3_pid"; do
    if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  done
  rm -rf "$work"
}
trap cleanup EXIT

# A port in 20000-29999 that nothing on 127.0.0.1 answers on.
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$(( 20000 + RANDOM % 10000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free port in 20000-29999" >&2; exit 1
}

wait_for() { # url what
  for _ in $(seq 1 200); do curl -fsS "$1" >/dev/null 2>&1 && return; sleep 0.1; done
  echo "$2 did not come up; its log:" >&2; cat "$work/$2.log" >&2; exit 1
}

[[ -f "$repo/tests/s3-server/node_modules/s3rver/package.json" ]] || npm ci --prefix "$repo/tests/s3-server" --silent

echo "building the service (Release) and the direct client ..."
dotnet publish "$repo/src/StorageApi" -c Release -o "$work/app" --nologo -v quiet >/dev/null
dotnet build "$repo/bench/s3-transfer" -c Release -o "$work/direct" --nologo -v quiet >/dev/null

s3_port="$(free_port)"
s3="http://127.0.0.1:$s3_port"
mkdir -p "$work/s3"
node --openssl-legacy-provider "$repo/tests/s3-server/server.js" "$s3_port" "$work/s3" bench >"$work/s3rver.log" 2>&1 &
s3_pid=$!
for _ in $(seq 1 100); do grep -qs 'ready' "$work/s3rver.log" && break; sleep 0.1; done
grep -q 'ready' "$work/s3rver.log" || { cat "$work/s3rver.log" >&2; exit 1; }

port="$(free_port)"
base="http://127.0.0.1:$port"
admin_key="bench-admin-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
mkdir -p "$work/service"
(
  cd "$work/service"
  URLS="$base" ADMIN_API_KEY="$admin_key" MAX_UPLOAD_BYTES=$(( (size_mib + 16) * 1024 * 1024 )) \
    BLOB_STORE_URL="s3://bench/blobs" S3_ENDPOINT="$s3" S3_FORCE_PATH_STYLE=true \
    S3_ACCESS_KEY_ID=S3RVER S3_SECRET_ACCESS_KEY=S3RVER exec "$work/app/storage-api"
) >"$work/service.log" 2>&1 &
server_pid=$!
wait_for "$base/health/ready" service

key="$(tenant_key "$base" "$admin_key" bench)"

head -c "$(( size_mib * 1024 * 1024 ))" /dev/urandom >"$work/big.bin" # random: nothing on the way can compress or skip it
head -c $(( 16 * 1024 * 1024 )) /dev/urandom >"$work/warm.bin"

# Each transfer prints "<seconds> <client CPU seconds>"; record() adds the CPU the service and s3rver spent meanwhile.
direct() { # upload|download file
  local line
  line="$(dotnet "$work/direct/S3TransferBench.dll" "$1" "$s3" bench "direct/big.bin" "$2")"
  [[ "$line" == *complete* ]] && echo "${line##* }" >>"$work/complete"
  awk '{ print $1, $4 }' <<<"$line"
}

# curl under GNU time; prints curl's own time_total and curl's CPU seconds. Extra arguments go to curl.
curl_timed() {
  /usr/bin/time -f '%U %S' -o "$work/curl.cpu" curl -fsS -w '%{time_total} %{size_download}\n' "$@" >"$work/curl.out"
  awk -v cpu="$(awk '{ print $1 + $2 }' "$work/curl.cpu")" '{ print $1, cpu }' "$work/curl.out"
}

# The service's upload; the object's id lands in $work/id.
service_upload() { # file
  curl_timed -X POST -H "Authorization: Bearer $key" -H 'Content-Type: application/octet-stream' \
    -T "$1" -o "$work/response.json" "$base/v1/objects?filename=big.bin"
  sed -E 's/.*"id":"([^"]+)".*/\1/' "$work/response.json" >"$work/id"
}
service_download() { # expected-bytes
  curl_timed -H "Authorization: Bearer $key" -o /dev/null "$base/v1/objects/$(cat "$work/id")/content"
  awk -v want="$1" '$2 != want { print "short download: " $2 " bytes" > "/dev/stderr"; exit 1 }' "$work/curl.out"
}
service_delete() { curl -fsS -X DELETE -H "Authorization: Bearer $key" "$base/v1/objects/$(cat "$work/id")" >/dev/null; }

# awscli (optional reference): the same part size and parallelism, no AWS-only checksums. Wall clock, children's CPU.
awscli() {
  local started
  started="$(date +%s.%N)"
  AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=us-east-1 AWS_CONFIG_FILE="$work/aws.config" \
    AWS_SHARED_CREDENTIALS_FILE=/dev/null /usr/bin/time -f '%U %S' -o "$work/aws.cpu" \
    aws --endpoint-url "$s3" s3 cp --only-show-errors "$@" >/dev/null
  awk -v s="$started" -v e="$(date +%s.%N)" -v cpu="$(awk '{ print $1 + $2 }' "$work/aws.cpu")" 'BEGIN { printf "%.3f %s\n", e - s, cpu }'
}
use_awscli=false
if [[ "${BENCH_AWSCLI:-1}" != 0 ]] && command -v aws >/dev/null; then
  use_awscli=true
  cat >"$work/aws.config" <<'EOF'
[default]
request_checksum_calculation = when_required
response_checksum_validation = when_required
s3 =
  addressing_style = path
  multipart_threshold = 8MB
  multipart_chunksize = 8MB
  max_concurrent_requests = 4
EOF
fi

cpu_seconds() { awk '{ printf "%.2f\n", ($14 + $15) / 100 }' "/proc/$1/stat"; } # utime + stime, in clock ticks of 1/100 s

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status"; }
hwm_kib() { awk '/^VmHWM/ {print $2}' "/proc/$server_pid/status"; }

# Runs a service upload while sampling its RSS every 50 ms; appends "baseline peak" (KiB) to $work/rss.
service_upload_measured() { # file
  local baseline peak sample hwm_before hwm_after upload_pid
  baseline="$(rss_kib)"; peak="$baseline"; hwm_before="$(hwm_kib)"
  service_upload "$1" >"$work/upload.out" &
  upload_pid=$!
  while kill -0 "$upload_pid" 2>/dev/null; do
    sample="$(rss_kib)"; (( sample > peak )) && peak="$sample"
    sleep 0.05
  done
  wait "$upload_pid"
  hwm_after="$(hwm_kib)"
  (( hwm_after > hwm_before && hwm_after > peak )) && peak="$hwm_after"
  echo "$baseline $peak" >>"$work/rss"
  cat "$work/upload.out"
}

echo "warming up (16 MiB each way through the service; the direct client warms up in-process) ..."
service_upload "$work/warm.bin" >/dev/null; service_download $(( 16 * 1024 * 1024 )) >/dev/null; service_delete
if $use_awscli; then awscli "$work/warm.bin" "s3://bench/awscli/warm.bin" >/dev/null; awscli "s3://bench/awscli/warm.bin" /dev/null >/dev/null; fi

printf '\n%-5s %-12s %-5s %8s   CPU seconds: %6s %7s %7s\n' round path way seconds client service s3rver
# Runs one transfer (a function printing "seconds client-cpu"); records it with the service's and s3rver's CPU meanwhile.
record() { # round path direction command...
  local round="$1" path="$2" direction="$3" service_before s3_before result
  shift 3
  service_before="$(cpu_seconds "$server_pid")"; s3_before="$(cpu_seconds "$s3_pid")"
  result="$("$@")"
  # shellcheck disable=SC2086 # result is "seconds client-cpu": two fields
  set -- "$round" "$path" "$direction" $result \
    "$(awk -v a="$service_before" -v b="$(cpu_seconds "$server_pid")" 'BEGIN { print b - a }')" \
    "$(awk -v a="$s3_before" -v b="$(cpu_seconds "$s3_pid")" 'BEGIN { print b - a }')"
  echo "$*" >>"$work/results"
  printf '%-5s %-12s %-5s %8.2f   %19.2f %7.2f %7.2f\n' "$@"
}
for round in $(seq 1 "$rounds"); do
  # New bytes each round (first 8 bytes), so no upload is a duplicate of an earlier one.
  printf '%08d' "$round" | dd of="$work/big.bin" bs=1 seek=0 conv=notrunc status=none
  record "$round" direct up direct upload "$work/big.bin"
  record "$round" service up service_upload_measured "$work/big.bin"
  if $use_awscli; then record "$round" awscli up awscli "$work/big.bin" "s3://bench/awscli/big.bin"; fi
  record "$round" direct down direct download /dev/null
  record "$round" direct-nomd5 down direct download-unchecked /dev/null
  record "$round" service down service_download $(( size_mib * 1024 * 1024 ))
  if $use_awscli; then record "$round" awscli down awscli "s3://bench/awscli/big.bin" /dev/null; fi
  service_delete
done

median() { # path direction [column: 4 seconds, 5 client CPU, 6 service CPU, 7 s3rver CPU]
  grep " $1 $2 " "$work/results" | awk -v c="${3:-4}" '{print $c}' | sort -n | awk '{v[NR] = $1} END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo
printf 'median of %d rounds, %d MiB, s3rver %s on 127.0.0.1, %s cores, load average %s\n' \
  "$rounds" "$size_mib" "$(node -p "require('$repo/tests/s3-server/node_modules/s3rver/package.json').version")" \
  "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
paths=(direct direct-nomd5 service); $use_awscli && paths+=(awscli)
for direction in up down; do
  for path in "${paths[@]}"; do
    [[ "$path-$direction" == direct-nomd5-up ]] && continue
    seconds="$(median "$path" "$direction")"
    printf '%-4s %-12s %7.2f s  %6.1f MB/s   median CPU s: client %5.2f  service %5.2f  s3rver %5.2f\n' "$direction" "$path" "$seconds" \
      "$(awk -v m="$size_mib" -v s="$seconds" 'BEGIN { print m * 1048576 / 1e6 / s }')" \
      "$(median "$path" "$direction" 5)" "$(median "$path" "$direction" 6)" "$(median "$path" "$direction" 7)"
  done
  printf '%-4s service/direct throughput ratio: %.2fx\n' "$direction" \
    "$(awk -v d="$(median direct "$direction")" -v s="$(median service "$direction")" 'BEGIN { print d / s }')"
done
printf 'down service/direct-nomd5 (like for like: neither MD5-checks) throughput ratio: %.2fx\n' \
  "$(awk -v d="$(median direct-nomd5 down)" -v s="$(median service down)" 'BEGIN { print d / s }')"
printf "direct uploads: s3rver's CompleteMultipartUpload (joining the parts) took a median %.2f s\n" \
  "$(sort -n "$work/complete" | awk '{v[NR] = $1} END { print v[int((NR + 1) / 2)] }')"
awk '{ g = $2 - $1; if (g > max) max = g; if (NR == 1) first = g } END {
  printf "service RSS growth during its uploads: first %d MiB, largest %d MiB (baseline %d MiB)\n", first / 1024, max / 1024, $1 / 1024 }' "$work/rss"
