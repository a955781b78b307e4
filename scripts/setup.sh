#!/usr/bin/env bash
# First-time setup of a docker-compose deployment: writes .env.<environment> from its example with
# generated secrets (mode 600), and the Prometheus key placeholder. Never overwrites an existing file.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

usage() {
  cat <<'USAGE'
usage: setup.sh [dev|staging|production]   (default: dev)
  Creates .env.<environment> from .env.<environment>.example with random POSTGRES_PASSWORD,
  GRAFANA_ADMIN_PASSWORD and FFE_JWT_SECRET (mode 600), and secrets/prometheus-ffe-key.
  Then: scripts/build.sh <environment>, scripts/deploy.sh <environment> up.
USAGE
}

[ $# -le 1 ] || usage_error "too many arguments"
environment=${1:-dev}
case $environment in -h | --help) usage; exit 0 ;; esac
is_environment "$environment" || usage_error "unknown environment: $environment"
command -v openssl >/dev/null 2>&1 || die "openssl is not installed (it generates the secrets)"

example="$ROOT/.env.$environment.example"
target=$(env_file "$environment")
[ -f "$example" ] || die "$example is missing"
umask 077
if [ -f "$target" ]; then
  echo "kept $target (exists)"
else
  secret() { openssl rand -hex "$1"; }
  sed -e "s/^POSTGRES_PASSWORD=.*/POSTGRES_PASSWORD=$(secret 24)/" \
    -e "s/^GRAFANA_ADMIN_PASSWORD=.*/GRAFANA_ADMIN_PASSWORD=$(secret 16)/" \
    -e "s/^FFE_JWT_SECRET=.*/FFE_JWT_SECRET=$(secret 32)/" "$example" >"$target"
  chmod 600 "$target"
  echo "wrote $target (mode 600, generated secrets)"
fi

mkdir -p "$ROOT/secrets"
key="$ROOT/secrets/prometheus-ffe-key"
if [ ! -f "$key" ]; then
  # Prometheus runs as another user in its container: the file must be readable by it (the
  # directory stays 700 on the host).
  echo 'replace-with: ffe apikey create --name prometheus --role viewer' >"$key"
  chmod 644 "$key"
  echo "wrote $key (placeholder: replace with a viewer API key)"
fi
cat <<NEXT
next:
  scripts/build.sh $environment
  scripts/deploy.sh $environment up     # the first start stops at: create an admin
  (the compose project is ffe-$environment) docker compose -p ffe-$environment run --rm ffe user create admin --role admin
NEXT
