#!/usr/bin/env bash
# Builds FFE: `local` compiles this checkout (npm ci + build); dev|staging|production build the
# container image with the tag from that environment's env file (FFE_IMAGE:FFE_IMAGE_TAG).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

usage() {
  cat <<'USAGE'
usage: build.sh [local|dev|staging|production]   (default: local)
  local       npm ci and npm run build in this checkout (dist/, the dashboard)
  dev|staging|production
              docker image build, tagged FFE_IMAGE:FFE_IMAGE_TAG of .env.<environment>
USAGE
}

[ $# -le 1 ] || usage_error "too many arguments"
target=${1:-local}
case $target in
  -h | --help) usage; exit 0 ;;
  local)
    command -v npm >/dev/null 2>&1 || die "npm is not installed (Node 20 is needed)"
    cd "$ROOT"
    npm ci --no-audit --no-fund
    npm run build
    echo "built $ROOT/dist"
    ;;
  *)
    is_environment "$target" || usage_error "unknown target: $target"
    compose "$target" build ffe
    ;;
esac
