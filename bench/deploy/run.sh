#!/usr/bin/env bash
# Times storagectl deploys on this machine (hosts reached with transport: local, a real nginx in front):
# v1 to three tenants, v2 to one tenant under load (failed requests counted), a manual rollback inside the rollback
# window under wrk, an automatic rollback of a release that never gets ready and of one whose slot freezes, and v1
# then v2 to 16 tenants on 4 hosts (4 local-transport hosts, each with its own root, one nginx for all).
# "serving" is measured from outside: from the command's start until the tenant's public port answers the new
# version (a curl every ~10 ms). Usage: bench/deploy/run.sh   (BENCH_FLEET=0 leaves out the 16 tenants, ~10 minutes)
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d /tmp/deploy-bench.XXXXXX)"
chmod 755 "$work" # nginx's workers (not root) reach the slots' sockets under it
ctl="dotnet $work/ctl/storagectl.dll"
cleanup() {
  nginx -s stop -c "$work/nginx/nginx.conf" 2>/dev/null || true
  cat "$work"/srv*/*/run/*.pid 2>/dev/null | while read -r pid; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build "$repo/src/Storagectl" -c Release -o "$work/ctl" --nologo -v quiet >/dev/null
$ctl -c "$repo/deploy/storagectl.yml" build --version 1.0.0 -o "$work/artifacts" >/dev/null
$ctl -c "$repo/deploy/storagectl.yml" build --version 2.0.0 -o "$work/artifacts" >/dev/null
# A release made from 2.0.0's bytes with its executable wrapped and stamped with another version ($1), so that the
# health gate never sees the version it waits for; $2 is what the wrapper does before it starts the service.
wrapped_release() {
  local unpacked="$work/unpacked-$1"
  mkdir -p "$unpacked"
  tar -xzf "$work/artifacts/storage-api-2.0.0.tar.gz" -C "$unpacked"
  mv "$unpacked/storage-api" "$unpacked/storage-api.real"
  # shellcheck disable=SC2016 # the wrapper's own expansions, done when it runs
  printf '#!/bin/bash\n%s\nexec "$(dirname "$0")/storage-api.real" "$@"\n' "$2" > "$unpacked/storage-api"
  chmod 755 "$unpacked/storage-api"
  tar -czf "$work/artifacts/storage-api-$1.tar.gz" -C "$unpacked" .
  # The artifact's sha256 is the manifest's first; the model bundle's (further down) stays.
  sed -e "s/\"version\": \"2.0.0\"/\"version\": \"$1\"/" -e "s/2.0.0.tar.gz/$1.tar.gz/" \
    -e "0,/\"sha256\": \"[0-9a-f]*\"/s//\"sha256\": \"$(sha256sum "$work/artifacts/storage-api-$1.tar.gz" | cut -c1-64)\"/" \
    "$work/artifacts/storage-api-2.0.0.tar.gz.manifest.json" > "$work/artifacts/storage-api-$1.tar.gz.manifest.json"
}
wrapped_release 3.0.0 ''
# Serving: never ready (more free disk demanded than exists); once it answers on its port, it freezes itself (SIGSTOP),
# so the gate's requests hang instead of being answered 503.
# shellcheck disable=SC2016 # expanded by the wrapper on the host, not here
wrapped_release 3.1.0 'if [ $# -eq 0 ]; then
  export MIN_FREE_DISK_MB=999999999; port=${URLS#http://127.0.0.1:}; port=${port%%;*}
  ( until curl -s -o /dev/null "http://127.0.0.1:$port/health/live"; do sleep 0.05; done; kill -STOP $$ ) &
fi'

mkdir -p "$work/nginx/sites" "$work/nginx/tmp" "$work/srv"
cat > "$work/nginx/nginx.conf" <<NGINX
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
worker_processes 2;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp/body; proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi; uwsgi_temp_path $work/nginx/tmp/uwsgi; scgi_temp_path $work/nginx/tmp/scgi;
  include $work/nginx/sites/*.conf;
}
NGINX
nginx -c "$work/nginx/nginx.conf"

host_yaml() { # name root
  cat <<YAML
  $1:
    address: localhost
    transport: local
    root: $2
    service_manager: process
    nginx_config: $work/nginx/nginx.conf
    nginx_sites_dir: $work/nginx/sites
YAML
}
tenant_yaml() { # name port host
  cat <<YAML
      $1:
        hosts: [$3]
        port: $2
        slot_ports: [$(( $2 + 1 )), $(( $2 + 2 ))]
        env: { ENVIRONMENT: production, TENANT_ID: $1 }
        secrets: { ADMIN_API_KEY: BENCH_ADMIN_KEY, SIGNING_KEY: BENCH_SIGNING_KEY }
YAML
}
fleet_ring="t1"
for i in $(seq 2 16); do fleet_ring+=", t$i"; done
hosts_yaml() {
  echo "hosts:"
  host_yaml local "$work/srv"
  for h in 1 2 3 4; do host_yaml "h$h" "$work/srv-h$h"; done
}
{
  echo "health: { retries: 100, interval_seconds: 0.2, drain_seconds: 2, bake_seconds: 5 }"
  echo "rollback_window_seconds: 600"
  hosts_yaml
  echo "environments:"
  echo "  production:"
  echo "    tenants:"
  tenant_yaml acme 19100 local; tenant_yaml globex 19200 local; tenant_yaml initech 19300 local
  echo "    rings: [[acme], [globex, initech]]"
} > "$work/storagectl.yml"
# 16 tenants in one ring on 4 local hosts: 16 releases start at once on this machine's cores, so their gate gets 60 s.
{
  echo "health: { retries: 300, interval_seconds: 0.2, drain_seconds: 2, bake_seconds: 5 }"
  echo "rollback_window_seconds: 600"
  hosts_yaml
  echo "environments:"
  echo "  fleet:"
  echo "    tenants:"
  for i in $(seq 1 16); do tenant_yaml "t$i" $(( 19400 + 10 * i )) "h$(( (i - 1) % 4 + 1 ))"; done
  echo "    rings: [[$fleet_ring]]"
} > "$work/fleet.yml"
export BENCH_ADMIN_KEY BENCH_SIGNING_KEY
BENCH_ADMIN_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
BENCH_SIGNING_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"

# Runs storagectl (with $config); each line of its output is kept in last.log with the seconds since the command started in front.
config="$work/storagectl.yml"
deploy() {
  local start; start=$(date +%s.%N)
  set +e
  $ctl -c "$config" --plain "$@" 2>&1 | while IFS= read -r line; do
    printf '%s %s\n' "$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')" "$line"
  done > "$work/last.log"
  local status=${PIPESTATUS[0]}
  set -e
  return "$status"
}
seconds_of() { # prints the seconds a command took; a failure is reported on stderr with the end of its log
  local start; start=$(date +%s.%N)
  "$@" || echo "FAILED: $* :: $(tail -n 3 "$work/last.log" | tr '\n' ' ')" >&2
  awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'
}
version_on() { curl -s -m 1 "http://127.0.0.1:$1/health" | sed -E 's/.*"version":"([^"]+)".*/\1/'; }
# Waits (in the background) until every port answers version $1; writes the seconds since now to $work/serving.
watch_serving() { # version port...
  local start version=$1; start=$(date +%s.%N); shift
  ( for port in "$@"; do
      until [ "$(version_on "$port")" = "$version" ]; do sleep 0.01; done
    done
    awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }' > "$work/serving" ) &
  serving_pid=$!
}
serving() { # after the command: the seconds until every port served the version, or "never"
  if wait "$serving_pid" 2>/dev/null && [ -s "$work/serving" ]; then cat "$work/serving"; else echo never; fi
  rm -f "$work/serving"
}
stop_watching() { kill "$serving_pid" 2>/dev/null || true; }
switched() { sed -nE 's/^[0-9.]+ ring [0-9]+: switched; every target serves its new version ([0-9.]+) s after the run started.*/\1/p' "$work/last.log" | tr '\n' ' '; }
bake_took() { sed -nE 's/.* ok +watch [^ ]+ for [0-9]+s \(([0-9.]+)s\)$/\1/p' "$work/last.log" | head -n 1; }

$ctl -c "$work/storagectl.yml" --plain provision production > /dev/null
$ctl -c "$work/fleet.yml" --plain provision fleet > /dev/null
echo "commit $(git -C "$repo" rev-parse --short HEAD), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "deploy 1.0.0 to 3 tenants (2 rings):     $(seconds_of deploy deploy production --artifact "$work/artifacts/storage-api-1.0.0.tar.gz") s; switched at $(switched)s after the run started"

# Load through nginx on acme's public port while a command runs: every non-200 answer counts as failed.
under_load() {
  rm -f "$work/stop"
  ( ok=0; bad=0; while [ ! -f "$work/stop" ]; do
      code=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:19100/health/live)
      if [ "$code" = 200 ]; then ok=$((ok + 1)); else bad=$((bad + 1)); fi
    done; echo "$ok $bad" > "$work/load" ) &
  local load_pid=$! took
  took=$(seconds_of "$@")
  touch "$work/stop"; wait "$load_pid"
  read -r ok bad < "$work/load"
  echo "$took s; requests meanwhile: $ok ok, $bad failed"
}

watch_serving 2.0.0 19100
line=$(under_load deploy deploy production --tenant acme --artifact "$work/artifacts/storage-api-2.0.0.tar.gz")
echo "deploy 2.0.0 to 1 tenant under load:     $line; serving 2.0.0 after $(serving) s (run: $(switched)s); bake $(bake_took) s"
sed 's/^/    /' "$work/last.log" # where its time went: each step's line, with the seconds since the command started
echo "deploy 2.0.0 to all 3 (acme again):      $(seconds_of deploy deploy production --artifact "$work/artifacts/storage-api-2.0.0.tar.gz") s; switched at $(switched)s"
$ctl -c "$work/storagectl.yml" --plain status production > "$work/status.txt" || true
echo "  status: $(grep '^acme' "$work/status.txt" | sed -E 's/ +/ /g')"

# The manual rollback inside the window, under wrk (2 threads, 32 connections) through nginx: globex, whose warm slot
# runs 1.0.0 (acme's was replaced by the redeploy of 2.0.0 above, so its rollback to 1.0.0 would start 1.0.0 cold).
wrk -t 2 -c 32 -d 8s http://127.0.0.1:19200/health/live > "$work/wrk.txt" 2>&1 &
wrk_pid=$!
sleep 2
watch_serving 1.0.0 19200
took=$(seconds_of deploy rollback production --tenant globex)
wait "$wrk_pid"
non2xx=$(awk '/Non-2xx/ { print $5 }' "$work/wrk.txt"); errors=$(awk '/Socket errors/ { print $0 }' "$work/wrk.txt")
echo "manual rollback of globex under wrk:      $took s; serving 1.0.0 after $(serving) s (run: $(switched)s); wrk: $(awk '/requests in/ { print $1 }' "$work/wrk.txt") requests, ${non2xx:-0} non-2xx${errors:+, $errors}; globex serves $(version_on 19200)"
sed 's/^/    /' "$work/last.log" # where its time went: each step's line, with the seconds since the command started
# The same rollback of another tenant with nothing else running: what the command itself costs.
watch_serving 1.0.0 19300
took=$(seconds_of deploy rollback production --tenant initech)
echo "manual rollback of initech, no load:      $took s; serving 1.0.0 after $(serving) s (run: $(switched)s); initech serves $(version_on 19300)"
sed 's/^/    /' "$work/last.log"

watch_serving 3.0.0 19100
echo "failed release, automatic rollback (gate of 100 x 0.2 s): $(seconds_of deploy deploy production --tenant acme --artifact "$work/artifacts/storage-api-3.0.0.tar.gz") s"
stop_watching
grep -q "the failed ring is back on the versions it ran before" "$work/last.log" && echo "  rolled back; acme serves $(version_on 19100)"
took=$(seconds_of deploy deploy production --tenant acme --artifact "$work/artifacts/storage-api-3.1.0.tar.gz")
gate_end=$(awk '/ERR +wait until 3.1.0/ { print $1; exit }' "$work/last.log")
echo "frozen slot, automatic rollback (gate budget 20 s): $took s; the gate gave up at ${gate_end:-?} s, the run ended $(awk -v g="${gate_end:-0}" -v t="$took" 'BEGIN { printf "%.1f", t - g }') s later"
grep -q "the failed ring is back on the versions it ran before" "$work/last.log" && echo "  rolled back; acme serves $(version_on 19100)"

if [ "${BENCH_FLEET:-1}" = 0 ]; then echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"; exit 0; fi # BENCH_FLEET=0: no 16-tenant case
config="$work/fleet.yml"
fleet_ports=()
for i in $(seq 1 16); do fleet_ports+=($(( 19400 + 10 * i ))); done
watch_serving 1.0.0 "${fleet_ports[@]}"
echo "deploy 1.0.0 to 16 tenants on 4 hosts:   $(seconds_of deploy deploy fleet --artifact "$work/artifacts/storage-api-1.0.0.tar.gz") s; serving after $(serving) s"
watch_serving 2.0.0 "${fleet_ports[@]}"
echo "deploy 2.0.0 to 16 tenants on 4 hosts:   $(seconds_of deploy deploy fleet --artifact "$work/artifacts/storage-api-2.0.0.tar.gz") s; serving after $(serving) s (run: $(switched)s); bake $(bake_took) s"
$ctl -c "$work/fleet.yml" --plain status fleet > "$work/status.txt" || true
echo "  warm slots: $(grep -c ' until ' "$work/status.txt") of 16; their RSS: $(grep -oE '[0-9]+ MiB$' "$work/status.txt" | awk '{ s += $1 } END { print s }') MiB in all"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
