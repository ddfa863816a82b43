#!/usr/bin/env bash
# A throwaway PostgreSQL cluster: initdb into a temporary directory, a free
# port on loopback, started as an unprivileged user (the server refuses to
# run as root), stopped and removed at the end.
#   eval "$(tools/cluster.sh start DIR)"   start; prints PGHOST/PGPORT/... exports
#   tools/cluster.sh restart DIR [LINES]   append LINES (postgresql.conf
#                                          settings) and restart on the same port
#   tools/cluster.sh stop DIR              stop and remove DIR
# Extra postgresql.conf lines can be passed in ODR_PG_CONF; ODR_PG_EXEC names
# another program to start as the server (a wrapper, e.g. valgrind; see
# tools/valgrind.sh), ODR_PG_START_TIMEOUT the seconds to wait for it (60).
set -euo pipefail

cmd=${1:?usage: cluster.sh start|restart|stop DIR}
dir=${2:?usage: cluster.sh start|restart|stop DIR}
PGVER=${PGVER:-15}
BIN=${PGBIN:-$("${PG_CONFIG:-/usr/lib/postgresql/$PGVER/bin/pg_config}" --bindir 2>/dev/null || echo /usr/lib/postgresql/$PGVER/bin)}

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  local port
  for port in $(seq "${ODR_PORT_FROM:-54330}" 54999); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && [ ! -e "/tmp/.s.PGSQL.$port" ]; then
      echo "$port"
      return 0
    fi
  done
  echo "cluster: no free port" >&2
  return 1
}

case "$cmd" in
start)
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  chmod 755 "$dir"
  as_owner "$BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  cp "$dir/data/postgresql.conf" "$dir/postgresql.conf.initdb"
  # Another cluster may take the chosen port before this one binds it: then
  # try the next free port (a few times).
  from=${ODR_PORT_FROM:-54330}
  for attempt in 1 2 3 4 5 6 7 8; do
    port=$(ODR_PORT_FROM=$from free_port)
    cp "$dir/postgresql.conf.initdb" "$dir/data/postgresql.conf"
    cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_worker_processes = 8
max_parallel_workers_per_gather = 2
${ODR_PG_CONF:-}
CONF
    if as_owner "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t "${ODR_PG_START_TIMEOUT:-60}" \
         ${ODR_PG_EXEC:+-p "$ODR_PG_EXEC"} start >/dev/null; then
      break
    fi
    if [ "$attempt" -lt 8 ] && grep -q "Address already in use\|could not create any TCP/IP sockets\|could not create lock file" "$dir/server.log"; then
      from=$((port + 1))
      continue
    fi
    cat "$dir/server.log" >&2
    exit 1
  done
  echo "export PGHOST='$dir' PGPORT='$port' PGUSER=postgres PGDATABASE=postgres"
  ;;
restart)
  [ -f "$dir/data/postgresql.conf" ] || { echo "cluster: no cluster in $dir" >&2; exit 1; }
  if [ -n "${3:-}" ]; then
    printf '%s\n' "$3" >>"$dir/data/postgresql.conf"
  fi
  if ! as_owner "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m fast -w -t "${ODR_PG_START_TIMEOUT:-60}" \
       restart >/dev/null; then
    tail -20 "$dir/server.log" >&2
    exit 1
  fi
  ;;
stop)
  if [ -d "$dir/data" ]; then
    as_owner "$BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: cluster.sh start|restart|stop DIR" >&2
  exit 2
  ;;
esac
