#!/usr/bin/env bash
# Bare-metal install of FFE (Debian/Ubuntu, as root). Idempotent: a second run changes nothing that
# exists except the application files and the unit. Steps:
#   1. the `ffe` system user and group
#   2. /opt/ffe (this checkout's built files), /etc/ffe (config.yaml, ffe.env mode 600),
#      /var/lib/ffe (data, working directory), /var/log/ffe
#   3. /etc/systemd/system/ffe.service and /etc/logrotate.d/ffe
# DESTDIR=/some/dir installs under that root instead of / (packaging, tests): no user is created,
# no ownership changed and systemctl is not called.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: install.sh [--no-start]
  Installs the built checkout this script belongs to (run scripts/build.sh local first) into
  /opt/ffe with a systemd unit; starts the service unless --no-start.
  DESTDIR=DIR installs below DIR without creating users or calling systemctl.
USAGE
}

start=yes
case $# in
  0) ;;
  1)
    case $1 in
      --no-start) start=no ;;
      -h | --help) usage; exit 0 ;;
      *) printf 'install.sh: unknown argument: %s\n' "$1" >&2; usage >&2; exit 2 ;;
    esac
    ;;
  *) printf 'install.sh: too many arguments\n' >&2; usage >&2; exit 2 ;;
esac

die() {
  printf 'install.sh: %s\n' "$*" >&2
  exit 1
}

src=$(cd "$(dirname "$0")/.." && pwd)
dest=${DESTDIR:-}
[ -z "$dest" ] || [ -d "$dest" ] || die "DESTDIR $dest does not exist"
[ -f "$src/dist/src/interfaces/cli/main.js" ] || die "$src is not built: run scripts/build.sh local first"
if [ -z "$dest" ]; then
  [ "$(id -u)" -eq 0 ] || die "run as root (or set DESTDIR for a staged install)"
  command -v node >/dev/null 2>&1 || die "node (20 or later) is not installed"
fi

# Ownership only on a real install: a staged tree is owned by whoever packages it.
own() { if [ -z "$dest" ]; then chown "$@"; fi; }

if [ -z "$dest" ] && ! id ffe >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/ffe --shell /usr/sbin/nologin --user-group ffe
  echo "created system user ffe"
fi

install -d -m 755 "$dest/opt/ffe" "$dest/etc/systemd/system" "$dest/etc/logrotate.d"
install -d -m 750 "$dest/etc/ffe"
install -d -m 750 "$dest/var/lib/ffe" "$dest/var/lib/ffe/data" "$dest/var/lib/ffe/backups" "$dest/var/log/ffe"
own root:ffe "$dest/etc/ffe"
own ffe:ffe "$dest/var/lib/ffe" "$dest/var/lib/ffe/data" "$dest/var/lib/ffe/backups" "$dest/var/log/ffe"

# Application files: replaced on every run (an upgrade is a re-run after a rebuild).
for part in bin dist assets node_modules package.json README.md; do
  [ -e "$src/$part" ] || continue
  rm -rf "${dest:?}/opt/ffe/$part.new"
  cp -a "$src/$part" "$dest/opt/ffe/$part.new"
  rm -rf "${dest:?}/opt/ffe/$part"
  mv "$dest/opt/ffe/$part.new" "$dest/opt/ffe/$part"
done

# Settings: created once, never overwritten (they hold the operator's secrets).
if [ ! -f "$dest/etc/ffe/config.yaml" ]; then
  install -m 640 "$src/config/config.example.yaml" "$dest/etc/ffe/config.yaml"
  own root:ffe "$dest/etc/ffe/config.yaml"
fi
if [ ! -f "$dest/etc/ffe/ffe.env" ]; then
  (
    umask 077
    cat >"$dest/etc/ffe/ffe.env" <<'ENV'
# FFE environment (systemd EnvironmentFile): secrets and overrides, names as in `ffe config docs`.
FFE_HOME=/var/lib/ffe/data
SERVER_HOST=127.0.0.1
SERVER_PORT=8000
TRADING_MODE=paper
AGENT_APPROVAL=manual
# DATABASE_URL=postgres://ffe:PASSWORD@127.0.0.1:5432/ffe
# SERVER_REDIS_URL=redis://127.0.0.1:6379/0
# FFE_JWT_SECRET=
ENV
  )
fi
# Mode 600 on every run: an operator's edit with another umask does not leave secrets readable.
chmod 600 "$dest/etc/ffe/ffe.env"
own ffe:ffe "$dest/etc/ffe/ffe.env"

install -m 644 "$src/deploy/systemd/ffe.service" "$dest/etc/systemd/system/ffe.service"
cat >"$dest/etc/logrotate.d/ffe" <<'ROTATE'
/var/log/ffe/*.log {
    daily
    rotate 14
    compress
    delaycompress
    missingok
    notifempty
    create 0640 ffe ffe
    su ffe ffe
}
ROTATE
chmod 644 "$dest/etc/logrotate.d/ffe"

if [ -n "$dest" ]; then
  echo "installed under $dest"
  exit 0
fi
systemctl daemon-reload
systemctl enable ffe.service >/dev/null
if [ "$start" = yes ]; then
  systemctl restart ffe.service
  echo "ffe started: systemctl status ffe; journalctl -u ffe -f"
else
  echo "installed; start with: systemctl start ffe"
fi
echo "first admin: cd /var/lib/ffe && sudo -u ffe sh -c 'set -a; . /etc/ffe/ffe.env; exec node /opt/ffe/bin/ffe.js --config /etc/ffe/config.yaml user create admin --role admin'"
