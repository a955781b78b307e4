#!/usr/bin/env bash
# Takes a backup with `ffe backup create` (which also prunes backups older than
# backup.retention_days in its folder) and checks it with `ffe backup verify`.
# local: this host's installation; dev|staging|production: inside the compose ffe container (into
# the ffe-backups volume), the file then copied to a host directory.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

usage() {
  cat <<'USAGE'
usage: backup.sh <local|dev|staging|production> [--out DIR]
  local   `ffe backup create [--out DIR]` (default DIR: backup.dir, <data home>/backups), then verify
  dev|staging|production
          the same in the ffe container, then a copy on this host in DIR (default: ./backups/<env>)
USAGE
}

case ${1:-} in -h | --help) usage; exit 0 ;; esac
[ $# -ge 1 ] || usage_error "expected local or an environment"
target=$1
shift
out=
while [ $# -gt 0 ]; do
  case $1 in
    --out)
      if [ $# -lt 2 ] || [ -z "$2" ]; then usage_error "--out needs a directory"; fi
      out=$2
      shift 2
      ;;
    *) usage_error "unknown argument: $1" ;;
  esac
done
[ "$target" = local ] || is_environment "$target" || usage_error "unknown target: $target"

# The path from the CLI's "backup written: FILE" line (its output is shown as it is).
written() { sed -n 's/^backup written: //p' | tail -n 1; }

umask 077
if [ "$target" = local ]; then
  if [ -n "$out" ]; then log=$(ffe_cli backup create --out "$out"); else log=$(ffe_cli backup create); fi
  printf '%s\n' "$log"
  file=$(printf '%s\n' "$log" | written)
  [ -n "$file" ] || die "ffe backup create did not name the file it wrote"
  ffe_cli backup verify "$file"
  exit 0
fi

in_ffe() { compose "$target" exec -T ffe node /app/bin/ffe.js "$@"; }
log=$(in_ffe backup create)
printf '%s\n' "$log"
file=$(printf '%s\n' "$log" | written)
[ -n "$file" ] || die "ffe backup create did not name the file it wrote"
in_ffe backup verify "$file"
dest=${out:-$ROOT/backups/$target}
mkdir -p "$dest"
compose "$target" exec -T ffe cat "$file" >"$dest/$(basename "$file")"
echo "copied to $dest/$(basename "$file")"
