#!/usr/bin/env bash
# Restores a backup with `ffe backup restore` after `ffe backup verify` passes. For a compose
# environment ffe is stopped first (the store must not be in use), then started and awaited.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

usage() {
  cat <<'USAGE'
usage: restore.sh <local|dev|staging|production> FILE [--force]
  Verifies FILE (`ffe backup verify`), then `ffe backup restore FILE`. --force is passed on:
  it restores even while an instance uses the store (the replaced store is always kept as .before-restore-TIME).
  For a compose environment ffe is stopped during the restore and awaited on /ready afterwards.
USAGE
}

case ${1:-} in -h | --help) usage; exit 0 ;; esac
if [ $# -lt 2 ] || [ $# -gt 3 ]; then usage_error "expected a target and a backup file"; fi
target=$1
file=$2
force=()
if [ $# -eq 3 ]; then
  [ "$3" = --force ] || usage_error "unknown argument: $3"
  force=(--force)
fi
[ "$target" = local ] || is_environment "$target" || usage_error "unknown target: $target"
[ -f "$file" ] || die "no such backup file: $file"

if [ "$target" = local ]; then
  ffe_cli backup verify "$file"
  ffe_cli backup restore "$file" "${force[@]}"
  exit 0
fi

dir=$(cd "$(dirname "$file")" && pwd)
name=$(basename "$file")
run_ffe() { compose "$target" run --rm --no-deps -T -v "$dir:/restore:ro" ffe "$@"; }
run_ffe backup verify "/restore/$name"
compose "$target" stop ffe
run_ffe backup restore "/restore/$name" "${force[@]}" || die "restore failed; ffe stays stopped (start it with: scripts/deploy.sh $target up)"
"$(dirname "$0")/deploy.sh" "$target" up
