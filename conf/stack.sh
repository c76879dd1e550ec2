#!/usr/bin/env bash
# stack.sh: the whole product on one machine — private PostgreSQL, brando-fcgi, brando-push,
# nginx — in one folder. `make run` uses `run`; the tests use `up`/`down` in a temp folder.
#
#   stack.sh run  DIR PORT   start everything, stay in the foreground, Ctrl-C stops it all
#   stack.sh up   DIR PORT   start everything in the background; DIR/stack.env says where
#   stack.sh down DIR        stop what `up` started
#   stack.sh pg-stop DIR | pg-start DIR | fcgi-restart DIR | push-stop DIR | push-start DIR
#   stack.sh app-stop DIR     stop nginx, brando-push and brando-fcgi, keep the database
#   stack.sh app-start DIR PORT   start them again
#
# Environment: DATABASE_URL (use that database instead of the private cluster),
# BRANDO_BIN_DIR (binaries, default fcgi/), BRANDO_WORKERS, STACK_FAST=1 (no fsync: tests),
# STACK_DURABLE=1 (fsync, synchronous_commit and full_page_writes on, whatever the defaults:
# the fault tests), BRANDO_TRUSTED_PROXIES (addresses or CIDRs nginx takes X-Forwarded-For from),
# BRANDO_FCGI_WRAPPER (e.g. "valgrind --leak-check=full": runs brando-fcgi under it),
# and every BRANDO_* / integration variable, passed through to the processes.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
CMD="${1:?usage: stack.sh run|up|down|pg-stop|pg-start DIR [PORT]}"
DIR="${2:?DIR missing}"
PORT="${3:-8080}"
BIN="${BRANDO_BIN_DIR:-$ROOT/fcgi}"
PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"

log() { echo "stack: $*" >&2; }

# PostgreSQL refuses to run as root: then the cluster belongs to the postgres user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
  local data="$DIR/pg/data" sock="$DIR/pg/sock"
  if [ ! -s "$data/PG_VERSION" ]; then
    log "creating a PostgreSQL cluster in $data"
    mkdir -p "$data" "$sock"
    [ "$(id -u)" = 0 ] && chown -R postgres: "$DIR/pg" && chmod 755 "$DIR"
    as_pg "$PGBIN/initdb" -D "$data" -U brando --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  local opts="-c listen_addresses='' -c unix_socket_directories=$sock -c max_connections=200"
  [ "${STACK_FAST:-0}" = 1 ] && opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${STACK_DURABLE:-0}" = 1 ] && opts="$opts -c fsync=on -c synchronous_commit=on -c full_page_writes=on"
  as_pg "$PGBIN/pg_ctl" -D "$data" -l "$DIR/pg/server.log" -o "$opts" -w -t 60 start >/dev/null
  as_pg "$PGBIN/psql" -h "$sock" -U brando -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='brando'" \
    | grep -q 1 || as_pg "$PGBIN/createdb" -h "$sock" -U brando brando
}

pg_stop() {
  [ -s "$DIR/pg/data/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$DIR/pg/data" -m fast -w stop >/dev/null || true
}

database_url() {
  if [ -n "${DATABASE_URL:-}" ]; then echo "$DATABASE_URL"
  else echo "postgresql://brando@/brando?host=$DIR/pg/sock"; fi
}

start_bg() { # name, command...: run in the background, remember the pid, log to DIR/log
  local name="$1"; shift
  "$@" >>"$DIR/log/$name.log" 2>&1 &
  echo $! >"$DIR/run/$name.pid"
}

stop_pid() { # name: TERM, wait up to 15 s, then KILL
  local f="$DIR/run/$1.pid" pid
  [ -s "$f" ] || return 0
  pid="$(cat "$f")"
  kill -TERM "$pid" 2>/dev/null || { rm -f "$f"; return 0; }
  for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$f"
}

wait_for() { # what, test command...
  local what="$1"; shift
  for _ in $(seq 200); do "$@" 2>/dev/null && return 0; sleep 0.05; done
  log "$what did not start; see $DIR/log"; return 1
}

fcgi_start() {
  local push=""
  [ -x "$BIN/brando-push" ] && push="$DIR/run/push.sock" # /api/health checks it answers
  start_bg fcgi env BRANDO_LISTEN="$DIR/run/fcgi.sock" BRANDO_SOCKET_MODE=0666 BRANDO_PUSH_LISTEN="$push" \
    DATABASE_URL="$(database_url)" ${BRANDO_FCGI_WRAPPER:-} "$BIN/brando-fcgi"
  wait_for brando-fcgi test -S "$DIR/run/fcgi.sock"
}

push_start() {
  [ -x "$BIN/brando-push" ] || return 0
  rm -f "$DIR/run/push.sock" # left by a killed daemon: wait for the new one's, not this
  start_bg push env BRANDO_PUSH_LISTEN="$DIR/run/push.sock" DATABASE_URL="$(database_url)" "$BIN/brando-push"
  wait_for brando-push test -S "$DIR/run/push.sock"
}

nginx_start() {
  local user="" trusted="" p
  [ "$(id -u)" = 0 ] && user="user root;"
  for p in ${BRANDO_TRUSTED_PROXIES:-}; do trusted="$trusted set_real_ip_from $p;"; done
  mkdir -p "$DIR/nginx"
  sed -e "s|@USER@|$user|" -e "s|@VAR@|$DIR|g" -e "s|@PORT@|$PORT|g" -e "s|@TRUSTED@|$trusted|" \
      -e "s|@ROOT@|$ROOT/static/dist|g" -e "s|@SNIPPET@|$HERE/brando-nginx.conf|g" \
      "$HERE/nginx-local.conf.in" >"$DIR/nginx/nginx.conf"
  if bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT" 2>/dev/null; then
    log "port $PORT is already taken by another process"; return 1
  fi
  start_bg nginx nginx -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" -e "$DIR/nginx/error.log"
  # Ours must be the one answering: a port taken meanwhile makes nginx exit at once.
  wait_for nginx bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT"
  sleep 0.2
  kill -0 "$(cat "$DIR/run/nginx.pid")" 2>/dev/null || { log "nginx exited; see $DIR/nginx/error.log"; return 1; }
}

up() {
  mkdir -p "$DIR/run" "$DIR/log"
  [ -f "$DIR/brando.env" ] && export BRANDO_ENV_FILE="$DIR/brando.env"
  [ -n "${DATABASE_URL:-}" ] || pg_start
  DATABASE_URL="$(database_url)" "$BIN/brando-ctl" migrate >>"$DIR/log/ctl.log"
  DATABASE_URL="$(database_url)" "$BIN/brando-ctl" seed-demo --yes >>"$DIR/log/ctl.log"
  fcgi_start
  push_start
  nginx_start
  cat >"$DIR/stack.env" <<ENV
PORT=$PORT
BASE_URL=http://127.0.0.1:$PORT
DATABASE_URL=$(database_url)
PGHOST=$DIR/pg/sock
ENV
  log "Brando CRM is up on http://127.0.0.1:$PORT (logs in $DIR/log)"
}

down() {
  stop_pid nginx
  stop_pid push
  stop_pid fcgi
  [ -n "${DATABASE_URL:-}" ] || pg_stop
}

case "$CMD" in
  up) up ;;
  down) down ;;
  run)
    trap 'down; exit 0' INT TERM
    down 2>/dev/null || true
    up
    echo "Sign in at http://127.0.0.1:$PORT as admin/admin2233, operator/callcenter123 or master/MS123. Ctrl-C stops."
    while sleep 1; do
      for p in fcgi nginx; do
        kill -0 "$(cat "$DIR/run/$p.pid" 2>/dev/null || echo 0)" 2>/dev/null || { log "$p stopped; see $DIR/log/$p.log"; down; exit 1; }
      done
    done ;;
  pg-stop) pg_stop ;;
  pg-start) pg_start ;;
  fcgi-restart) mkdir -p "$DIR/run" "$DIR/log"; stop_pid fcgi; fcgi_start ;;
  push-stop) stop_pid push ;;
  push-start) mkdir -p "$DIR/run" "$DIR/log"; push_start ;;
  app-stop) stop_pid nginx; stop_pid push; stop_pid fcgi ;;
  app-start)
    mkdir -p "$DIR/run" "$DIR/log"
    [ -f "$DIR/brando.env" ] && export BRANDO_ENV_FILE="$DIR/brando.env"
    fcgi_start; push_start; nginx_start ;;
  *) echo "stack.sh: unknown command $CMD" >&2; exit 2 ;;
esac
