#!/usr/bin/env bash
# Waits until URL answers 200 (FFE's /ready), or fails loudly after TIMEOUT seconds.
# Used by deploy.sh, restore.sh and the deploy workflow.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

usage() {
  cat <<'USAGE'
usage: wait-ready.sh URL [TIMEOUT_SECONDS]
  Polls URL (e.g. http://127.0.0.1:8000/ready) every 2 s until it answers 200.
  Exits 0 when ready, 1 with the last status when TIMEOUT (default 120) runs out.
USAGE
}

if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage_error "expected URL and an optional timeout"; fi
url=$1
timeout=${2:-120}
case $url in http://* | https://*) ;; *) usage_error "URL must start with http:// or https://: $url" ;; esac
case $timeout in '' | *[!0-9]*) usage_error "TIMEOUT_SECONDS must be a whole number: $timeout" ;; esac
command -v curl >/dev/null 2>&1 || die "curl is not installed"

deadline=$((SECONDS + timeout))
status=none
while :; do
  status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url" || true)
  [ "$status" = 200 ] && { echo "ready: $url"; exit 0; }
  [ "$SECONDS" -ge "$deadline" ] && break
  sleep 2
done
[ "$status" = 000 ] && status='no answer'
die "not ready after ${timeout}s: $url (last status: $status)"
