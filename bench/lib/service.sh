# shellcheck shell=bash
# Sourced by the bench scripts: what each does with the service it started.

# wait_until_up <url>: polls it until it answers, 10 s at most (the next request then says what is wrong).
wait_until_up() {
  for _ in $(seq 1 100); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done
  return 0
}

# tenant_key <base url> <admin key> <tenant id>: creates the tenant and prints an API key of its own.
tenant_key() {
  curl -fsS -H "Authorization: Bearer $2" -H 'Content-Type: application/json' \
    -d "{\"id\":\"$3\",\"name\":\"$3\"}" "$1/v1/admin/tenants" >/dev/null
  curl -fsS -H "Authorization: Bearer $2" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$3\"}" "$1/v1/admin/tenants/$3/keys" | sed -E 's/.*"key":"([^"]+)".*/\1/'
}
