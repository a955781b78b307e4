# shellcheck shell=bash
# Shared by scripts/*.sh: the repository root, one-line failures, the compose command per environment.

ROOT=${FFE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
ENVIRONMENTS="dev staging production"

die() {
  printf '%s: %s\n' "$(basename "$0")" "$*" >&2
  exit 1
}

# Bad arguments: the usage text and exit 2 (the project's rule for bad input).
usage_error() {
  if [ $# -gt 0 ]; then printf '%s: %s\n' "$(basename "$0")" "$*" >&2; fi
  usage >&2
  exit 2
}

is_environment() {
  case " $ENVIRONMENTS " in *" $1 "*) return 0 ;; *) return 1 ;; esac
}

# The env file of an environment: .env.dev, .env.staging, .env.production (scripts/setup.sh writes it).
env_file() {
  printf '%s/.env.%s' "$ROOT" "$1"
}

# Reads KEY from an env file (last assignment wins, as in compose); empty when unset.
env_value() {
  local file=$1 key=$2
  sed -n "s/^${key}=//p" "$file" | tail -n 1
}

# docker compose (v2 plugin) or docker-compose (v1), with the environment's env file and project.
compose() {
  local environment=$1
  shift
  local file
  file=$(env_file "$environment")
  [ -f "$file" ] || die "$file is missing: run scripts/setup.sh $environment first"
  local files=(-f "$ROOT/docker-compose.yml")
  [ "$environment" = dev ] && files+=(-f "$ROOT/docker-compose.dev.yml")
  local profile=()
  [ -n "$(env_value "$file" SERVER_REDIS_URL)" ] && profile=(--profile full)
  export FFE_ENV_FILE=$file
  if docker compose version >/dev/null 2>&1; then
    docker compose --project-directory "$ROOT" --env-file "$file" -p "ffe-$environment" "${files[@]}" "${profile[@]}" "$@"
  elif command -v docker-compose >/dev/null 2>&1; then
    docker-compose --project-directory "$ROOT" --env-file "$file" -p "ffe-$environment" "${files[@]}" "${profile[@]}" "$@"
  else
    die "neither 'docker compose' nor 'docker-compose' is installed"
  fi
}

# The ffe CLI on this host: FFE_BIN, else `ffe` on PATH, else this checkout's bin/ffe.js.
ffe_cli() {
  if [ -n "${FFE_BIN:-}" ]; then
    "$FFE_BIN" "$@"
  elif command -v ffe >/dev/null 2>&1; then
    ffe "$@"
  else
    [ -f "$ROOT/dist/src/interfaces/cli/main.js" ] || die "ffe is not built: run scripts/build.sh local"
    node "$ROOT/bin/ffe.js" "$@"
  fi
}
