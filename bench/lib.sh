# shellcheck shell=bash
# bench/lib.sh — what the benchmark scripts share (bench/marketplace.sh,
# bench/walmart.sh): logging, a results directory, odr built into a private
# copy of the PostgreSQL installation (so neither a CI run nor another
# checkout's make install can swap odr.so under the run), a throwaway
# cluster with the benchmark settings, and the script's section of
# bench/RESULTS.md.  Source it with bench_name, here, repo and SRC set:
#   SRC=HEAD        the repository's last commit (git archive), built
#   SRC=<dir>       that source tree, built
#   SRC=installed   the odr installed for PG_CONFIG
# bench_start then sets stamp, res (bench/results/<name>-<stamp>), work,
# cluster, install_desc, load_start and t0, starts the cluster and defines q.

log() { printf '%s %s: %s\n' "$(date -u +%H:%M:%S)" "$bench_name" "$*" >&2; }
die() { echo "$bench_name: $*" >&2; exit 1; }

bench_cleanup() {
  local rc=$?
  "$repo/tools/cluster.sh" stop "$cluster" >/dev/null 2>&1 || true
  rm -rf "$work"
  [ $rc -ne 0 ] && echo "$bench_name: FAILED (exit $rc); logs in $res" >&2
  exit $rc
}

bench_start() {
  local src src_desc sys_pg_config settings
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  res=$here/results/$bench_name-$stamp
  mkdir -p "$res"
  work=$(mktemp -d)
  chmod 755 "$work"
  cluster=$work/cluster
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
  if [ "$SRC" = installed ]; then
    install_desc="the odr installed for $(${PG_CONFIG:-pg_config} --bindir)/.. (BENCH_ODR_SRC=installed)"
  else
    if [ "$SRC" = HEAD ]; then
      src=$work/src
      mkdir -p "$src"
      git -C "$repo" archive HEAD | tar -x -C "$src"
      src_desc="commit $(git -C "$repo" rev-parse --short HEAD) (git archive HEAD)"
    else
      src=$(cd "$SRC" && pwd)
      src_desc="$src"
    fi
    sys_pg_config=${PG_CONFIG:-/usr/lib/postgresql/${PGVER:-15}/bin/pg_config}
    [ -x "$sys_pg_config" ] || sys_pg_config=$(command -v pg_config)
    eval "$(SYS_PG_CONFIG=$sys_pg_config "$repo/tools/private_pg.sh" "$work/pg")"
    log "building odr from $src_desc into a private PostgreSQL copy"
    make -C "$src" -j"$(nproc)" install PG_CONFIG="$PG_CONFIG" >"$res/build.log" 2>&1 \
      || { tail -30 "$res/build.log" >&2; die "the build failed"; }
    install_desc="built from $src_desc into a private copy of the PostgreSQL installation (tools/private_pg.sh)"
  fi
  settings="shared_buffers = 4GB
work_mem = 256MB
maintenance_work_mem = 1GB
max_parallel_workers_per_gather = 2
jit = off
autovacuum = off
wal_level = minimal
max_wal_senders = 0
max_wal_size = 8GB
checkpoint_timeout = 1h"
  eval "$(ODR_PG_CONF="$settings" "$repo/tools/cluster.sh" start "$cluster")"
  load_start=$(cut -d' ' -f1-3 /proc/loadavg)
  t0=$(date +%s)
}

q() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }

# bench_write_section SECTION OUT: SECTION (with its begin and end markers)
# replaces the script's section of OUT, or is appended to it
bench_write_section() {
  local section=$1 out=$2
  if grep -q "<!-- bench/$bench_name.sh: begin -->" "$out" 2>/dev/null; then
    awk -v s="$section" -v b="<!-- bench/$bench_name.sh: begin -->" -v e="<!-- bench/$bench_name.sh: end -->" '
      $0 == b { print s; skip = 1; next }
      $0 == e { skip = 0; next }
      !skip { print }' "$out" >"$out.tmp" && mv "$out.tmp" "$out"
  else
    printf '\n%s\n' "$section" >>"$out"
  fi
  echo "$section"
}
