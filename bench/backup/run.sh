#!/usr/bin/env bash
# Backs up a production instance (SQLite, blobs in its data folder) of N small objects (10,000 by default) with
# `storage-api backup-now`, uploads M more (100), backs up again (incremental), then restores the second snapshot
# into a fresh data folder with `restore-from`. Once with BACKUP_URL a folder, once an S3 bucket on s3rver.
# Reports wall time, what the verb says it sent, and the target's size on disk before/after the second backup.
# Usage: bench/backup/run.sh [objects] [new-objects] [folder|s3 ...]
set -euo pipefail
# The hashing embedder, as these numbers were always measured: they are about moving bytes. The local model's own
# cost (load, memory, texts/s) is bench/embedding's.
export EMBEDDER=hashing

objects="${1:-10000}"
new_objects="${2:-100}"
shift $(( $# > 2 ? 2 : $# ))
variants=("$@")
(( ${#variants[@]} > 0 )) || variants=(folder s3)
parallel="${BENCH_PARALLEL:-16}"

repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
pids=()

cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# A port in 20000-30000 on 127.0.0.1 that nothing listens on.
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$(( 20000 + RANDOM % 10001 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free port in 20000-30000" >&2; exit 1
}
random_hex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
now() { date +%s.%N; }
since() { awk -v s="$1" -v e="$(now)" 'BEGIN {printf "%.1f", e - s}'; }
bytes_on_disk() { du -sb "$1" | cut -f1; }
# The stored files under a folder of the target (s3rver keeps each object as <key>._S3rver_object plus metadata files).
stored_files() { find "$1" -type f ! -path '*/.staging/*' ! -name '*._S3rver_metadata.json' ! -name '*._S3rver_object.md5' "${@:2}"; }
files_in() { stored_files "$1" | wc -l; }
stored_bytes() { stored_files "$1" -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }

echo "publishing to $work/app ..."
dotnet publish "$repo/src/StorageApi" -c Release -o "$work/app" --nologo -v quiet >/dev/null
app="$work/app/storage-api"

# The small random files, 1-8 KiB, shared by both variants (each variant is a fresh instance, so nothing dedups).
echo "writing $(( objects + new_objects )) random files of 1-8 KiB ..."
mkdir -p "$work/files"
exec 3</dev/urandom
for i in $(seq 1 $(( objects + new_objects ))); do head -c $(( 1024 + RANDOM % 7169 )) <&3 >"$work/files/$i.bin"; done
exec 3<&-

# One curl process uploads files first..last, $parallel at a time over kept-alive connections; fails unless all are 201.
upload_range() {
  local base="$1" key="$2" first="$3" last="$4" i created
  local config="$work/curl-$first.cfg"
  for i in $(seq "$first" "$last"); do
    printf 'url = "%s/v1/objects?filename=%s.bin"\nupload-file = "%s"\noutput = "/dev/null"\n' "$base" "$i" "$work/files/$i.bin"
  done >"$config"
  created="$(curl -sS --parallel --parallel-max "$parallel" -X POST -H "Authorization: Bearer $key" \
    -H 'Content-Type: application/octet-stream' -w '%{http_code}\n' -K "$config" 2>"$config.err" | grep -c '^201$' || true)"
  (( created == last - first + 1 )) || { echo "only $created of $(( last - first + 1 )) uploads were created: $(tail -3 "$config.err")" >&2; exit 1; }
}

# Runs a verb with the instance's variables; a busy lease (the scheduler) is waited out.
run_verb() {
  local out attempt
  for attempt in $(seq 1 60); do
    if out="$(cd "$instance" && env "${env_vars[@]}" "$app" "$@" 2>&1)"; then echo "$out"; return; fi
    if [[ "$out" == *"another backup is running"* ]]; then sleep 1; continue; fi
    echo "storage-api $* failed (attempt $attempt): $out" >&2; exit 1
  done
  echo "storage-api $*: the lease stayed busy" >&2; exit 1
}

# "objects 10000, blobs uploaded 10000, skipped 0 (already there), bytes sent 46000000, duration 12.34s" -> fields.
field() { sed -nE "s/.*$1 ([0-9.]+).*/\\1/p" <<<"$2" | head -1; }

results=()
for variant in "${variants[@]}"; do
  instance="$work/$variant"
  mkdir -p "$instance"
  port="$(free_port)"
  base="http://127.0.0.1:$port"
  env_vars=(
    ENVIRONMENT=production TENANT_ID=bench URLS="$base" PUBLIC_BASE_URL=https://files.example.com
    ADMIN_API_KEY="$(random_hex 32)" SIGNING_KEY="$(random_hex 32)"
    STORAGE_DATA_DIR="$instance/data" DATABASE_URL="sqlite:///$instance/data/storage.db"
    RATE_LIMIT_REQUESTS_PER_MINUTE=1000000 RATE_LIMIT_REQUEST_BURST=100000
    RATE_LIMIT_UPLOAD_BYTES_PER_MINUTE=$(( 1 << 40 )) RATE_LIMIT_CONCURRENT_UPLOADS=1000
    BACKUP_INTERVAL=1h BACKUP_KEY="$(head -c 36 /dev/urandom | base64 | tr -d '\n')"
  )
  case "$variant" in
    folder)
      target="$instance/backups"
      env_vars+=(BACKUP_URL="$target")
      ;;
    s3)
      [[ -d "$repo/tests/s3-server/node_modules" ]] || npm ci --prefix "$repo/tests/s3-server" --silent >/dev/null
      s3_port="$(free_port)"
      mkdir -p "$instance/s3"
      node --openssl-legacy-provider "$repo/tests/s3-server/server.js" "$s3_port" "$instance/s3" backups >"$instance/s3.log" 2>&1 &
      pids+=("$!")
      for _ in $(seq 1 100); do grep -q 'ready' "$instance/s3.log" && break; sleep 0.1; done
      grep -q 'ready' "$instance/s3.log" || { echo "s3rver did not start: $(cat "$instance/s3.log")" >&2; exit 1; }
      target="$instance/s3/backups/bench" # s3rver's folder for the bucket's prefix
      s3_endpoint="http://127.0.0.1:$s3_port"
      env_vars+=(BACKUP_URL=s3://backups/bench S3_ENDPOINT="http://127.0.0.1:$s3_port" S3_FORCE_PATH_STYLE=true
                 S3_ACCESS_KEY_ID=S3RVER S3_SECRET_ACCESS_KEY=S3RVER)
      ;;
    *) echo "unknown variant $variant (folder or s3)" >&2; exit 2 ;;
  esac
  backup_url="$(printf '%s\n' "${env_vars[@]}" | sed -n 's/^BACKUP_URL=//p')"

  echo "== $variant: BACKUP_URL=$backup_url"
  run_verb migrate >/dev/null
  run_verb tenants create bench >/dev/null
  key="$(run_verb keys create bench | tail -1)"
  started="$(now)"
  run_verb tenants list >/dev/null
  startup_time="$(since "$started")" # a verb that starts the same process and services and reads the database once
  (cd "$instance" && exec env "${env_vars[@]}" "$app" >"$instance/server.log" 2>&1) &
  pids+=("$!")
  for _ in $(seq 1 150); do curl -fsS "$base/health/live" >/dev/null 2>&1 && break; sleep 0.2; done
  curl -fsS "$base/health/live" >/dev/null || { echo "the server did not start: $(tail -5 "$instance/server.log")" >&2; exit 1; }
  # The scheduler's first backup comes 30 s after start: let it happen before the objects exist, so backup-now's
  # "full" backup really sends every blob (and the target already has its key marker, as in production).
  started="$(now)"
  for _ in $(seq 1 240); do [[ -n "$(find "$target" -name '*.manifest*' 2>/dev/null)" ]] && break; sleep 0.5; done
  [[ -n "$(find "$target" -name '*.manifest*' 2>/dev/null)" ]] || { echo "the scheduled backup did not come" >&2; exit 1; }
  echo "the scheduler's first (empty) backup was there $(since "$started") s after the server answered"

  started="$(now)"
  upload_range "$base" "$key" 1 "$objects"
  echo "uploaded $objects objects in $(since "$started") s"

  started="$(now)"
  full="$(run_verb backup-now)"
  full_time="$(since "$started")"
  echo "$full"
  before_bytes="$(bytes_on_disk "$target")"; before_files="$(files_in "$target")"; before_blob_bytes="$(stored_bytes "$target/blobs")"

  started="$(now)"
  upload_range "$base" "$key" $(( objects + 1 )) $(( objects + new_objects ))
  echo "uploaded $new_objects more in $(since "$started") s"
  started="$(now)"
  incremental="$(run_verb backup-now)"
  incremental_time="$(since "$started")"
  echo "$incremental"
  after_bytes="$(bytes_on_disk "$target")"; after_files="$(files_in "$target")"; after_blob_bytes="$(stored_bytes "$target/blobs")"
  snapshot_files="$(stored_files "$target/snapshots" -printf '%f %s bytes\n' | sed 's/\._S3rver_object//' | sort)"
  # What one listing of the target's blobs costs (each backup lists them twice: what to skip, and retention).
  started="$(now)"
  if [[ "$variant" == s3 ]]; then
    listed=0; token=""
    while :; do
      page="$(curl -fsS -G "$s3_endpoint/backups" --data-urlencode list-type=2 --data-urlencode prefix=bench/blobs/ \
        --data-urlencode max-keys=1000 ${token:+--data-urlencode "continuation-token=$token"})"
      listed=$(( listed + $(grep -o '<Key>' <<<"$page" | wc -l) ))
      token="$(sed -n 's/.*<NextContinuationToken>\([^<]*\)<.*/\1/p' <<<"$page")"
      [[ -n "$token" ]] || break
    done
  else
    listed="$(find "$target/blobs" -type f | wc -l)"
  fi
  listing_time="$(since "$started")"
  new_bytes="$(for i in $(seq $(( objects + 1 )) $(( objects + new_objects ))); do echo "$work/files/$i.bin"; done | xargs du -cb | tail -1 | cut -f1)"

  # Restore the newest snapshot into an empty data folder and database, with the same BACKUP_* and S3_* settings.
  restore_env=("${env_vars[@]/#STORAGE_DATA_DIR=*/STORAGE_DATA_DIR=$instance/restored}")
  restore_env=("${restore_env[@]/#DATABASE_URL=*/DATABASE_URL=sqlite:///$instance/restored/storage.db}")
  started="$(now)"
  restored="$(cd "$instance" && env "${restore_env[@]}" "$app" restore-from "$backup_url" 2>&1)" \
    || { echo "restore-from failed: $restored" >&2; exit 1; }
  restore_time="$(since "$started")"
  echo "$restored"
  echo "process start-up (storage-api tenants list): $startup_time s; listing the target's $listed blobs once: $listing_time s"
  echo "target on disk (du -sb): $before_bytes bytes after the full backup, $after_bytes after the incremental one"
  echo "stored files: $before_files after the full backup, $after_files after the incremental one"
  echo "stored blob bytes: $before_blob_bytes after the full backup, $after_blob_bytes after the incremental one:" \
       "+$(( after_blob_bytes - before_blob_bytes )) for the $new_objects new files of $new_bytes bytes"
  echo "snapshot files after the incremental backup (retention keeps the newest of each hour):"
  echo "$snapshot_files"

  results+=("$(printf '| %-6s | full        | %6s s | %6s s | %5s / %5s | %10s | %10s |' "$variant" "$full_time" \
    "$(field duration "$full")" "$(field 'blobs uploaded' "$full")" "$(field skipped "$full")" "$(field 'bytes sent' "$full")" "$before_bytes")")
  results+=("$(printf '| %-6s | incremental | %6s s | %6s s | %5s / %5s | %10s | %10s |' "$variant" "$incremental_time" \
    "$(field duration "$incremental")" "$(field 'blobs uploaded' "$incremental")" "$(field skipped "$incremental")" \
    "$(field 'bytes sent' "$incremental")" "$after_bytes")")
  results+=("$(printf '| %-6s | restore     | %6s s | %8s | %13s | %10s | %10s |' "$variant" "$restore_time" "" \
    "$(sed -nE 's/.*, ([0-9]+) blobs \(.*/\1/p' <<<"$restored")" "" "")")
  results+=("$(printf '| %-6s | blob bytes stored: +%s for %s new files of %s bytes; start-up %s s; one listing %s s |' "$variant" \
    "$(( after_blob_bytes - before_blob_bytes ))" "$new_objects" "$new_bytes" "$startup_time" "$listing_time")")
done

echo
echo "| target | run         | wall     | verb says | sent / skipped | bytes sent | target size after |"
echo "|--------|-------------|----------|-----------|----------------|------------|-------------------|"
printf '%s\n' "${results[@]}"
