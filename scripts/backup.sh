#!/usr/bin/env bash
# Takes a backup with `ffe backup create` and checks it with `ffe backup verify`.
# local: this host's installation; dev|staging|production: inside the compose ffe container, the
# result copied to the host directory.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

usage() {
  cat <<'USAGE'
usage: backup.sh <local|dev|staging|production> [--out DIR]   (default DIR: ./backups)
  Runs `ffe backup create --out DIR` (in the ffe container for a compose environment, then copies
  the files to DIR/<environment>-<UTC time>/ on this host) and `ffe backup verify` on the result.
USAGE
}

case ${1:-} in -h | --help) usage; exit 0 ;; esac
[ $# -ge 1 ] || usage_error "expected local or an environment"
target=$1
shift
out="$ROOT/backups"
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

stamp=$(date -u +%Y%m%dT%H%M%SZ)
dest="$out/$target-$stamp"
umask 077
mkdir -p "$dest"

if [ "$target" = local ]; then
  ffe_cli backup create --out "$dest"
  for f in "$dest"/*; do [ -f "$f" ] && ffe_cli backup verify "$f"; done
else
  inside="/app/backups/$stamp"
  compose "$target" exec -T ffe node /app/bin/ffe.js backup create --out "$inside"
  compose "$target" exec -T ffe sh -c "for f in $inside/*; do node /app/bin/ffe.js backup verify \"\$f\" || exit 1; done"
  compose "$target" exec -T ffe tar -C "$inside" -cf - . | tar -C "$dest" -xf -
fi
[ -n "$(ls -A "$dest")" ] || die "no backup file was written to $dest"
echo "backup: $dest"
