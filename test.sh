#!/usr/bin/env bash
# README's test command. Checks what the suite needs besides .NET (tests/prerequisites.tsv), installs what is missing
# when it can (as root, or with passwordless sudo), otherwise names the packages and stops; then runs every test
# project and ends with "N passed, M failed". Extra arguments go to `dotnet test` (e.g. --filter).
set -uo pipefail
cd "$(dirname "$0")" || exit 1

as_root=()
if [ "$(id -u)" != 0 ]; then
  if sudo -n true 2>/dev/null; then as_root=(sudo -n); else as_root=(); fi
fi
can_install() { { [ "$(id -u)" = 0 ] || [ "${#as_root[@]}" -gt 0 ]; } && command -v apt-get >/dev/null; }

major=$(dotnet --version 2>/dev/null | cut -d. -f1)
if [ "${major:-0}" -lt 10 ]; then
  echo "test.sh: the .NET 10 SDK is needed (dotnet --version: ${major:-not found}); see https://dot.net/download" >&2
  exit 1
fi

missing_packages() {
  local program package
  while IFS=$'\t' read -r program package _; do
    case "$program" in ''|'#'*) continue ;; esac
    case "$program" in
      /*) compgen -G "$program" >/dev/null || echo "$package" ;; # a path, maybe with a glob (PostgreSQL's version folder)
      *) command -v "$program" >/dev/null || echo "$package" ;;
    esac
  done < tests/prerequisites.tsv | sort -u
}

mapfile -t missing < <(missing_packages)
if [ "${#missing[@]}" -gt 0 ]; then
  if can_install; then
    echo "test.sh: installing ${missing[*]}"
    "${as_root[@]}" apt-get update -qq \
      && "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    mapfile -t missing < <(missing_packages)
  fi
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "test.sh: missing Debian packages: ${missing[*]}; install them (sudo apt-get install -y ${missing[*]}) and run again" >&2
    exit 1
  fi
fi

# Disk-full tests mount a small tmpfs: that needs root or passwordless sudo.
if [ "$(id -u)" != 0 ] && [ "${#as_root[@]}" -eq 0 ]; then
  echo "test.sh: some tests mount a small tmpfs to fill a disk; run as root or with passwordless sudo" >&2
  exit 1
fi

# The S3-protocol server the object-store tests start: s3rver, pinned by tests/s3-server/package-lock.json. Installed
# when missing, or again when the lock file is newer than the install.
s3=tests/s3-server
if [ ! -f "$s3/node_modules/.package-lock.json" ] || [ "$s3/package-lock.json" -nt "$s3/node_modules/.package-lock.json" ]; then
  echo "test.sh: installing s3rver (npm ci --prefix $s3)"
  if ! npm ci --prefix "$s3" --no-audit --no-fund --loglevel=error; then
    echo "test.sh: npm ci --prefix $s3 failed; the object-store tests need it" >&2
    exit 1
  fi
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet test "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{ s += $2 } END { print s + 0 }')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{ s += $2 } END { print s + 0 }')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; echo "the tests failed before reporting results (exit $status)"; fi
echo "$passed passed, $failed failed"
exit "$status"
