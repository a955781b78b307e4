#!/usr/bin/env bash
# Switches a compose environment to another image tag: backup first (production), then up and wait
# for /ready; when it does not come, back to the previous tag (and its /ready), exit 1.
# Used by .github/workflows/deploy.yml on the deployment host.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

usage() {
  cat <<'USAGE'
usage: rollout.sh <dev|staging|production> IMAGE_TAG
  Sets FFE_IMAGE_TAG in .env.<environment>, backs up first (production), runs
  `deploy.sh <environment> up` and rolls back to the previous tag when /ready does not come.
USAGE
}

case ${1:-} in -h | --help) usage; exit 0 ;; esac
[ $# -eq 2 ] || usage_error "expected an environment and an image tag"
environment=$1
tag=$2
is_environment "$environment" || usage_error "unknown environment: $environment"
[[ $tag =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || usage_error "not an image tag: $tag"
file=$(env_file "$environment")
[ -f "$file" ] || die "$file is missing: run scripts/setup.sh $environment first"
here=$(dirname "$0")

set_tag() {
  if grep -q '^FFE_IMAGE_TAG=' "$file"; then
    sed -i "s/^FFE_IMAGE_TAG=.*/FFE_IMAGE_TAG=$1/" "$file"
  else
    printf 'FFE_IMAGE_TAG=%s\n' "$1" >>"$file"
  fi
}

previous=$(env_value "$file" FFE_IMAGE_TAG)
# Production: a backup of the running instance first (a first deployment has nothing to back up).
port=$(env_value "$file" FFE_PORT)
if [ "$environment" = production ] && "$here/wait-ready.sh" "http://127.0.0.1:${port:-8000}/ready" 0 >/dev/null 2>&1; then
  "$here/backup.sh" production || die "backup failed: nothing deployed"
fi
set_tag "$tag"
if "$here/deploy.sh" "$environment" up; then
  echo "rolled out $tag to $environment (was ${previous:-unset})"
  exit 0
fi
[ -n "$previous" ] || die "$tag failed its health check and there is no previous tag to return to"
echo "rollout: $tag failed its health check; rolling back to $previous" >&2
set_tag "$previous"
"$here/deploy.sh" "$environment" up || die "rollback to $previous failed too: the service is down"
die "$tag failed its health check; back on $previous"
