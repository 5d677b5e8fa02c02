#!/usr/bin/env bash
# Times storagectl deploys on this machine (hosts reached with transport: local, a real nginx in front):
# v1 to three tenants, v2 to one tenant under load (failed requests counted), and an automatic rollback
# of a release that never gets ready. Usage: bench/deploy/run.sh
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d /tmp/deploy-bench.XXXXXX)"
chmod 755 "$work" # nginx's workers (not root) reach the slots' sockets under it
ctl="dotnet $work/ctl/storagectl.dll"
cleanup() {
  nginx -s stop -c "$work/nginx/nginx.conf" 2>/dev/null || true
  cat "$work"/srv/*/run/*.pid 2>/dev/null | while read -r pid; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build "$repo/src/Storagectl" -c Release -o "$work/ctl" --nologo -v quiet >/dev/null
$ctl -c "$repo/deploy/storagectl.yml" build --version 1.0.0 -o "$work/artifacts" >/dev/null
$ctl -c "$repo/deploy/storagectl.yml" build --version 2.0.0 -o "$work/artifacts" >/dev/null
# A release that never gets ready: 2.0.0's bytes, stamped 3.0.0, so the health gate never sees its version.
cp "$work/artifacts/storage-api-2.0.0.tar.gz" "$work/artifacts/storage-api-3.0.0.tar.gz"
sed -e 's/"version": "2.0.0"/"version": "3.0.0"/' -e 's/2.0.0.tar.gz/3.0.0.tar.gz/' \
  "$work/artifacts/storage-api-2.0.0.tar.gz.manifest.json" > "$work/artifacts/storage-api-3.0.0.tar.gz.manifest.json"

mkdir -p "$work/nginx/sites" "$work/nginx/tmp" "$work/srv"
cat > "$work/nginx/nginx.conf" <<NGINX
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp/body; proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi; uwsgi_temp_path $work/nginx/tmp/uwsgi; scgi_temp_path $work/nginx/tmp/scgi;
  include $work/nginx/sites/*.conf;
}
NGINX
nginx -c "$work/nginx/nginx.conf"

tenant_yaml() { # name port
  cat <<YAML
      $1:
        hosts: [local]
        port: $2
        slot_ports: [$(( $2 + 1 )), $(( $2 + 2 ))]
        env: { ENVIRONMENT: production, TENANT_ID: $1 }
        secrets: { ADMIN_API_KEY: BENCH_ADMIN_KEY, SIGNING_KEY: BENCH_SIGNING_KEY }
YAML
}
{
  cat <<YAML
health: { retries: 20, interval_seconds: 1, drain_seconds: 1, bake_seconds: 5 }
hosts:
  local:
    address: localhost
    transport: local
    root: $work/srv
    service_manager: process
    nginx_config: $work/nginx/nginx.conf
    nginx_sites_dir: $work/nginx/sites
environments:
  production:
    tenants:
YAML
  tenant_yaml acme 19100; tenant_yaml globex 19200; tenant_yaml initech 19300
  echo "    rings: [[acme], [globex, initech]]"
} > "$work/storagectl.yml"
export BENCH_ADMIN_KEY BENCH_SIGNING_KEY
BENCH_ADMIN_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
BENCH_SIGNING_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
deploy() { $ctl -c "$work/storagectl.yml" --plain "$@" > "$work/last.log" 2>&1; }
seconds_of() { # prints the seconds a command took; a failure is reported on stderr with the end of its log
  local start; start=$(date +%s.%N)
  "$@" || echo "FAILED: $* :: $(tail -n 3 "$work/last.log" | tr '\n' ' ')" >&2
  awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'
}

$ctl -c "$work/storagectl.yml" --plain provision production > /dev/null
echo "deploy 1.0.0 to 3 tenants (2 rings):    $(seconds_of deploy deploy production --artifact "$work/artifacts/storage-api-1.0.0.tar.gz") s"

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
acme_version() { curl -s http://127.0.0.1:19100/health | sed -E 's/.*"version":"([^"]+)".*/\1/'; }

echo "deploy 2.0.0 to 1 tenant under load:      $(under_load deploy deploy production --tenant acme --artifact "$work/artifacts/storage-api-2.0.0.tar.gz")"
echo "deploy 2.0.0 to all 3 (acme again):      $(seconds_of deploy deploy production --artifact "$work/artifacts/storage-api-2.0.0.tar.gz") s"
echo "manual rollback of acme under load:       $(under_load deploy rollback production --tenant acme) (acme serves $(acme_version))"
echo "failed release, automatic rollback (acme, gate of 20 tries at 1 s): $(seconds_of deploy deploy production --tenant acme --artifact "$work/artifacts/storage-api-3.0.0.tar.gz") s"
grep -q "the failed ring is back on the versions it ran before" "$work/last.log" && echo "  rolled back; acme serves $(acme_version)"
