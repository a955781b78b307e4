#!/usr/bin/env bash
# Runs the docker-compose deployment of one environment. `up` and `restart` wait for /ready and
# fail loudly (exit 1, the last logs) when it does not come.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

usage() {
  cat <<'USAGE'
usage: deploy.sh <dev|staging|production> <up|down|restart|logs|status>
  up        pull/build and start, then wait for /ready (FFE_READY_TIMEOUT, default 180 s)
  down      stop and remove the containers (volumes are kept)
  restart   restart ffe, then wait for /ready
  logs      follow the ffe logs
  status    the containers and the /ready answer
The environment's settings come from .env.<environment> (scripts/setup.sh writes it).
USAGE
}

case ${1:-} in -h | --help) usage; exit 0 ;; esac
[ $# -eq 2 ] || usage_error "expected an environment and an action"
environment=$1
action=$2
is_environment "$environment" || usage_error "unknown environment: $environment"
case $action in up | down | restart | logs | status) ;; *) usage_error "unknown action: $action" ;; esac

file=$(env_file "$environment")
[ -f "$file" ] || die "$file is missing: run scripts/setup.sh $environment first"
ready_url="http://127.0.0.1:$(env_value "$file" FFE_PORT | grep . || echo 8000)/ready"
timeout=${FFE_READY_TIMEOUT:-180}

# Live trading in production needs two explicit settings, so a copied staging file never trades real money.
if [ "$(env_value "$file" TRADING_MODE)" = live ] && [ "$(env_value "$file" FFE_ALLOW_LIVE)" != yes ]; then
  die "$file sets TRADING_MODE=live without FFE_ALLOW_LIVE=yes: refusing (live trading is an explicit opt-in)"
fi

wait_ready() {
  if ! "$(dirname "$0")/wait-ready.sh" "$ready_url" "$timeout"; then
    echo "--- last ffe logs ---" >&2
    compose "$environment" logs --tail 50 ffe >&2 || true
    die "ffe-$environment did not become ready; see the logs above"
  fi
}

case $action in
  up)
    if [ "$environment" != dev ]; then compose "$environment" pull --ignore-pull-failures || true; fi
    compose "$environment" up -d
    wait_ready
    ;;
  down) compose "$environment" down ;;
  restart)
    compose "$environment" restart ffe
    wait_ready
    ;;
  logs) compose "$environment" logs -f --tail 200 ffe ;;
  status)
    compose "$environment" ps
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$ready_url" || true)
    echo "ready: $ready_url -> ${code:-no answer}"
    [ "$code" = 200 ] || exit 1
    ;;
esac
