#!/usr/bin/env bash
# bench/run.sh — odr against the plain SQL a user would write, and against the
# bare scan ("floor"), on a throwaway cluster. Writes bench/RESULTS.md; raw
# timings, plans and profiles go to bench/results/<stamp>/ (not committed).
#
#   bench/run.sh                 build + install odr (tools/setup.sh), load,
#                                run every scenario, write bench/RESULTS.md
#
# Environment (defaults in brackets):
#   BENCH_ROWS [2000000]         orders of the main data set
#   BENCH_SELLERS [2000]         sellers of the main data set
#   BENCH_REPEAT [7]             timed runs of every query (after one warm-up run)
#   BENCH_SHORT_REPEAT [2 x BENCH_REPEAT]  timed runs of P1's and P4's queries
#                                (a tenth of a second each: more runs steady
#                                their medians; a parallel query needs both
#                                cores at once, so its times spread more)
#   BENCH_SIZES ["1000000 3000000 10000000"]
#                                cost growth: P1 and P3 at these sizes, sellers
#                                scaled with the rows (BENCH_ROWS/BENCH_SELLERS
#                                orders per seller); "" skips it
#   BENCH_GROWTH_SELLERS [scaled] cost growth with this many sellers at every
#                                size instead (the per-seller state stays the
#                                same size: rows grow, groups do not)
#   BENCH_MEM_SIZES ["1000000 3000000 10000000"]   P5: odr_agg over this many rows
#   BENCH_PROFILE [missed]       perf profile of the odr query of a scenario that
#                                misses its target: missed | always | never
#   BENCH_OUT [bench/RESULTS.md] where the report goes
#   BENCH_PRIVATE_PG [0]         1: copy the PostgreSQL installation into the run's
#                                temporary directory and install odr there, so
#                                nothing global changes and a concurrent
#                                `make install` elsewhere cannot swap odr.so
#                                under the benchmark (needs a relocatable
#                                PostgreSQL, as Debian's is)
#   BENCH_HUGE_PAGES [auto]      the cluster's shared memory in 2 MB huge pages:
#                                auto: reserve them (vm.nr_hugepages, as root;
#                                given back at the end) and fall back to 4 kB
#                                pages if the kernel has not enough; on: the
#                                same, but a failure stops the run; off: 4 kB
#                                pages. RESULTS.md says which ran.
#   BENCH_ODR_SRC [the repo]     the odr source to build; HEAD = the repo's last
#                                commit (exported with git archive), ignoring
#                                uncommitted changes of the work tree
#   ODR_SKIP_APT, PGVER, PG_CONFIG   as for tools/setup.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
PGVER=${PGVER:-15}
ROWS=${BENCH_ROWS:-2000000}
SELLERS=${BENCH_SELLERS:-2000}
REPEAT=${BENCH_REPEAT:-7}
SHORT_REPEAT=${BENCH_SHORT_REPEAT:-$((REPEAT * 2))}
SIZES=${BENCH_SIZES-1000000 3000000 10000000}
GROWTH_SELLERS=${BENCH_GROWTH_SELLERS:-scaled}
[[ "$GROWTH_SELLERS" =~ ^(scaled|[1-9][0-9]*)$ ]] || { echo "bench: BENCH_GROWTH_SELLERS must be scaled or a number of sellers, not $GROWTH_SELLERS" >&2; exit 2; }
MEM_SIZES=${BENCH_MEM_SIZES-1000000 3000000 10000000}
PROFILE=${BENCH_PROFILE:-missed}
OUT=${BENCH_OUT:-$here/RESULTS.md}
command_line="$0${*:+ $*}"
HUGE=${BENCH_HUGE_PAGES:-auto}
[[ "$HUGE" =~ ^(auto|on|off)$ ]] || { echo "bench: BENCH_HUGE_PAGES must be auto, on or off, not $HUGE" >&2; exit 2; }
for v in BENCH_ROWS BENCH_SELLERS BENCH_REPEAT BENCH_SHORT_REPEAT BENCH_SIZES BENCH_GROWTH_SELLERS BENCH_MEM_SIZES BENCH_PROFILE BENCH_HUGE_PAGES BENCH_PRIVATE_PG BENCH_ODR_SRC ODR_SKIP_APT; do
  [ -n "${!v+x}" ] && command_line="$v=\"${!v}\" $command_line"
done
[[ "$REPEAT" =~ ^[0-9]+$ ]] && [ "$REPEAT" -ge 1 ] || { echo "bench: BENCH_REPEAT must be at least 1, not $REPEAT" >&2; exit 2; }
[[ "$SHORT_REPEAT" =~ ^[0-9]+$ ]] && [ "$SHORT_REPEAT" -ge 1 ] || { echo "bench: BENCH_SHORT_REPEAT must be at least 1, not $SHORT_REPEAT" >&2; exit 2; }

stamp=$(date -u +%Y%m%dT%H%M%SZ)
res=$here/results/$stamp
mkdir -p "$res"
work=$(mktemp -d)
chmod 755 "$work"
cluster=$work/cluster
started=0
hp_orig=""

cleanup() {
  local rc=$?
  if [ "$started" = 1 ]; then
    "$repo/tools/cluster.sh" stop "$cluster" || true
  fi
  # give back the huge pages reserved for the run
  if [ -n "$hp_orig" ]; then
    echo "$hp_orig" >/proc/sys/vm/nr_hugepages 2>/dev/null || echo "bench: could not set vm.nr_hugepages back to $hp_orig" >&2
  fi
  rm -rf "$work"
  [ $rc -ne 0 ] && echo "bench: FAILED (exit $rc); logs in $res" >&2
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '%s bench: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { echo "bench: $*" >&2; exit 1; }

# ---------------------------------------------------------------------------
# Build and install odr, start the cluster
# ---------------------------------------------------------------------------
src=${BENCH_ODR_SRC:-$repo}
if [ "$src" = HEAD ]; then
  src=$work/src
  mkdir -p "$src"
  git -C "$repo" archive HEAD | tar -x -C "$src"
  src_desc="commit $(git -C "$repo" rev-parse --short HEAD) (git archive HEAD)"
else
  src_desc="$src"
  if git -C "$src" rev-parse --short HEAD >/dev/null 2>&1; then
    src_desc="$src at commit $(git -C "$src" rev-parse --short HEAD)"
    [ -z "$(git -C "$src" status --porcelain --untracked-files=no -- src sql Makefile odr.control 2>/dev/null)" ] \
      || src_desc="$src_desc plus uncommitted changes"
  fi
fi

sys_pg_config=${PG_CONFIG:-/usr/lib/postgresql/$PGVER/bin/pg_config}
[ -x "$sys_pg_config" ] || sys_pg_config=$(command -v pg_config || true)
if [ "${BENCH_PRIVATE_PG:-0}" = 1 ]; then
  [ -x "$sys_pg_config" ] || ODR_SKIP_APT=${ODR_SKIP_APT:-0} "$repo/tools/setup.sh" >/dev/null
  [ -x "$sys_pg_config" ] || sys_pg_config=$(command -v pg_config)
  priv_env=$(SYS_PG_CONFIG=$sys_pg_config "$repo/tools/private_pg.sh" "$work/pg") \
    || die "BENCH_PRIVATE_PG=1: could not copy the PostgreSQL installation"
  eval "$priv_env"
  install_desc="a private copy of the PostgreSQL installation in the run's temporary directory (BENCH_PRIVATE_PG=1)"
else
  install_desc="the system PostgreSQL ($("$sys_pg_config" --pkglibdir 2>/dev/null || echo pg_config))"
fi

log "building and installing odr from $src_desc"
(cd "$src" && tools/setup.sh) >"$res/setup.log" 2>&1 || { cat "$res/setup.log" >&2; die "tools/setup.sh failed"; }

PG_SETTINGS="shared_buffers = 8GB
work_mem = 256MB
max_parallel_workers_per_gather = 2
jit = off
autovacuum = off
wal_level = minimal
max_wal_senders = 0
max_wal_size = 8GB
checkpoint_timeout = 1h
huge_pages = off"
log "starting a throwaway cluster"
env_lines=$(ODR_PG_CONF="$PG_SETTINGS" "$repo/tools/cluster.sh" start "$cluster")
started=1
eval "$env_lines"
export PGHOST PGPORT PGUSER PGDATABASE
unset PGOPTIONS

psqlq() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
val() { psql -X -A -t -q -v ON_ERROR_STOP=1 -c "$1"; }

# Huge pages. Parallel workers are new processes for every query, and each
# maps every page of shared buffers it reads: with 4 kB pages that is one page
# fault per 4 kB (35,000 per worker for P1's table) and the page tables torn
# down at exit. The cluster starts with huge_pages = off; unless
# BENCH_HUGE_PAGES=off, the pages PostgreSQL asks for
# (shared_memory_size_in_huge_pages) are reserved and it restarts with
# huge_pages = on.
huge_desc="off (BENCH_HUGE_PAGES=off): 4 kB pages"
use_huge() { # sets huge_desc; fails with the reason in it
  local need free total got
  need=$(val "SHOW shared_memory_size_in_huge_pages" 2>/dev/null) \
    || { huge_desc="this PostgreSQL does not report shared_memory_size_in_huge_pages"; return 1; }
  [ -w /proc/sys/vm/nr_hugepages ] || { huge_desc="vm.nr_hugepages is not writable (not root?)"; return 1; }
  total=$(cat /proc/sys/vm/nr_hugepages)
  free=$(awk '/^HugePages_Free:/ {f = $2} /^HugePages_Rsvd:/ {r = $2} END {print f - r}' /proc/meminfo)
  if [ "$free" -lt "$need" ]; then
    hp_orig=$total
    echo $((total + need - free)) >/proc/sys/vm/nr_hugepages 2>/dev/null || true
    got=$(cat /proc/sys/vm/nr_hugepages)
    if [ "$got" -lt $((total + need - free)) ]; then
      huge_desc="the kernel found $((got - total)) of the $((need - free)) huge pages asked for"
      echo "$hp_orig" >/proc/sys/vm/nr_hugepages 2>/dev/null || true
      hp_orig=""
      return 1
    fi
  fi
  "$repo/tools/cluster.sh" restart "$cluster" "huge_pages = on" >"$res/huge_pages.log" 2>&1 \
    || { huge_desc="the server did not start with huge_pages = on: $(tail -1 "$res/huge_pages.log")"; return 1; }
  huge_desc="on: $need pages of 2 MB for the cluster's $(val "SHOW shared_memory_size") of shared memory"
  [ -z "$hp_orig" ] || huge_desc="$huge_desc (vm.nr_hugepages raised from $hp_orig for the run, set back at the end)"
}
if [ "$HUGE" != off ]; then
  if use_huge; then
    log "huge pages $huge_desc"
  else
    [ "$HUGE" = on ] && die "BENCH_HUGE_PAGES=on: $huge_desc"
    huge_desc="off, 4 kB pages: $huge_desc"
    log "huge pages $huge_desc"
    "$repo/tools/cluster.sh" restart "$cluster" "huge_pages = off" >/dev/null || die "the server did not restart"
  fi
fi
[ "$(val "SHOW huge_pages")" = "$( [[ "$huge_desc" == on* ]] && echo on || echo off)" ] || die "huge_pages is not what the run reports"

psqlq -c "CREATE EXTENSION odr"
pg_version=$(val "SELECT version()")
odr_version=$(val "SELECT extversion FROM pg_extension WHERE extname = 'odr'")
cpu_model=$(grep -m1 '^model name' /proc/cpuinfo | sed 's/^model name[[:space:]]*:[[:space:]]*//' || echo unknown)
cores=$(nproc)
mem_total=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
t_start=$(date +%s)

# the SQL of a file without comments' trailing semicolon
body() { sed -e 's/[[:space:]]*;[[:space:]]*$//' "$here/sql/$1.sql"; }

# ---------------------------------------------------------------------------
# Timing: every query under EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON), whose
# "Execution Time" is measured in the server without sending any row; the
# variants of a scenario run interleaved in one session (one warm-up round,
# then BENCH_REPEAT timed rounds), so that a change in the machine's load
# falls on all of them alike.
#   [rounds=N] bench NAME SCHEMA "variant|settings|file" ...
# writes $res/NAME.<variant>.ms (one time per line); rounds defaults to
# BENCH_REPEAT
# ---------------------------------------------------------------------------
bench() {
  local name=$1 schema=$2
  shift 2
  local script=$res/$name.sql variants=() spec v settings file nrounds=${rounds:-$REPEAT}
  {
    echo "SET search_path = $schema, public;"
    for ((r = 0; r <= nrounds; r++)); do
      for spec in "$@"; do
        IFS='|' read -r v settings file <<<"$spec"
        echo "RESET ALL; SET search_path = $schema, public; $settings"
        echo "EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON)"
        body "$file"
        echo ";"
      done
    done
  } >"$script"
  for spec in "$@"; do
    IFS='|' read -r v settings file <<<"$spec"
    variants+=("$v")
    : >"$res/$name.$v.ms"
  done
  local c0 c1
  c0=$(cpu_snap)
  psql -X -A -t -q -v ON_ERROR_STOP=1 -f "$script" >"$res/$name.out" 2>&1 \
    || { tail -20 "$res/$name.out" >&2; die "$name: a query failed"; }
  sleep 0.3
  c1=$(cpu_snap)
  cpu_use "$c0" "$c1" >"$res/$name.cpu"
  cpu_md+="| $name | $(cat "$res/$name.cpu") |"$'\n'
  local i=0 n=${#variants[@]} t
  while read -r t; do
    if [ $i -ge "$n" ]; then
      echo "$t" >>"$res/$name.${variants[$((i % n))]}.ms"
    fi
    i=$((i + 1))
  done < <(sed -n 's/^Execution Time: \([0-9.]*\) ms$/\1/p' "$res/$name.out")
  [ $i -eq $(((nrounds + 1) * n)) ] || die "$name: expected $(((nrounds + 1) * n)) timings, got $i"
}

# CPU accounting, to show how busy the machine was: jiffies of all CPUs from
# /proc/stat (busy = user+nice+system+irq+softirq; steal) and of the cluster
# (the postmaster with its reaped children: every backend and parallel worker)
cpu_snap() {
  local pm
  pm=$(head -1 "$cluster/data/postmaster.pid")
  awk 'NR == 1 {t = 0; for (i = 2; i <= NF; i++) t += $i; printf "%d %d %d ", t, $2 + $3 + $4 + $7 + $8, $9}' /proc/stat
  awk '{print $14 + $15 + $16 + $17}' "/proc/$pm/stat"
}
# "ours | others | steal" in cores on average over the interval
cpu_use() {
  awk -v a="$1" -v b="$2" -v n="$cores" 'BEGIN {
    split(a, x, " "); split(b, y, " "); wall = (y[1] - x[1]) / n; if (wall <= 0) wall = 1
    ours = (y[4] - x[4]) / wall; others = (y[2] - x[2] - (y[4] - x[4])) / wall; if (others < 0) others = 0
    printf "%.2f | %.2f | %.2f", ours, others, (y[3] - x[3]) / wall }'
}
cpu_md=""

# median min max of a timing file
stats() { sort -g "$1" | awk '{a[NR] = $1} END {m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.1f %.1f %.1f\n", m, a[1], a[NR]}'; }
median() { stats "$1" | cut -d' ' -f1; }
# "median (min–max)" in ms
cell() { stats "$1" | awk '{printf "%s (%s–%s)", $1, $2, $3}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf (a / b < 0.1 ? "%.3f" : "%.2f"), a / b}'; }
# ns per row
nsrow() { awk -v ms="$1" -v n="$2" 'BEGIN {printf "%.0f", ms * 1e6 / n}'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN {exit !(a <= b)}'; }

# The plan of a query, with timing, as the results show it
plan() { # NAME SCHEMA SETTINGS FILE
  { echo "SET search_path = $2, public; $3"; echo "EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON)"; body "$4"; echo ";"; } \
    | psql -X -A -t -q -v ON_ERROR_STOP=1 >"$res/$1.plan.txt"
}

# ---------------------------------------------------------------------------
# Correctness first: odr and plain SQL must give the same rows (EXCEPT ALL
# both ways over the numbers), or the run stops here.
#   check NAME SCHEMA "columns" "where" FILE_A FILE_B
# ---------------------------------------------------------------------------
check() {
  local name=$1 schema=$2 cols=$3 where=$4 a=$5 b=$6 out
  out=$(psql -X -A -t -q -F ' ' -v ON_ERROR_STOP=1 <<SQL
SET search_path = $schema, public;
CREATE TEMP TABLE chk_a AS SELECT $cols FROM ($(body "$a")) AS q $where;
CREATE TEMP TABLE chk_b AS SELECT $cols FROM ($(body "$b")) AS q $where;
SELECT (SELECT count(*) FROM chk_a), (SELECT count(*) FROM chk_b),
       (SELECT count(*) FROM (SELECT * FROM chk_a EXCEPT ALL SELECT * FROM chk_b) AS x),
       (SELECT count(*) FROM (SELECT * FROM chk_b EXCEPT ALL SELECT * FROM chk_a) AS x);
SQL
  ) || die "$name: the check query failed"
  read -r na nb dab dba <<<"$out"
  echo "$name $a=$na rows, $b=$nb rows, only in $a: $dab, only in $b: $dba" >>"$res/checks.txt"
  if [ "$na" -eq 0 ] || [ "$na" != "$nb" ] || [ "$dab" != 0 ] || [ "$dba" != 0 ]; then
    psql -X -q -v ON_ERROR_STOP=1 >&2 <<SQL || true
SET search_path = $schema, public;
SELECT '$a' AS only_in, * FROM ((SELECT $cols FROM ($(body "$a")) AS q $where)
                                EXCEPT ALL (SELECT $cols FROM ($(body "$b")) AS q $where)) AS x LIMIT 10;
SQL
    die "CHECK FAILED: $name: $a and $b differ ($a $na rows, $b $nb rows, $dab only in $a, $dba only in $b)"
  fi
  checks_md+="| $name | \`$a\` = \`$b\` on ($cols)${where:+ $where} | $na | 0 |"$'\n'
}

# ---------------------------------------------------------------------------
# Profiles: perf record of one backend running the odr query serially
# (max_parallel_workers_per_gather = 0, so that all the work is in it)
# ---------------------------------------------------------------------------
perf_ok=0
if command -v perf >/dev/null 2>&1 && perf record -q -o "$work/perf.test" -- true >/dev/null 2>&1; then
  perf_ok=1
fi
profile() { # NAME SCHEMA FILE SECONDS
  local name=$1 schema=$2 file=$3 secs=${4:-6} pdata=$work/$1.perf.data ms n
  [ "$perf_ok" = 1 ] || { echo "(perf is not available here)" >"$res/$name.profile.txt"; return 0; }
  ms=$(val "SET search_path = $schema, public; SET max_parallel_workers_per_gather = 0;
            EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON) $(body "$file")" | sed -n 's/^Execution Time: \([0-9.]*\) ms$/\1/p')
  n=$(awk -v ms="$ms" -v s="$secs" 'BEGIN {n = int(s * 1000 / ms) + 1; print (n > 200 ? 200 : n)}')
  {
    echo "SET search_path = $schema, public; SET max_parallel_workers_per_gather = 0;"
    echo "SELECT pg_backend_pid() AS bpid \\gset"
    echo "\\setenv BPID :bpid"
    echo "\\! perf record -q -F 999 -g -p \$BPID -o $pdata >/dev/null 2>&1 & echo \$! > $work/perf.pid; sleep 1"
    for ((i = 0; i < n; i++)); do
      echo "EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON)"; body "$file"; echo ";"
    done
    echo "\\! kill -INT \$(cat $work/perf.pid); while kill -0 \$(cat $work/perf.pid) 2>/dev/null; do sleep 0.2; done"
  } | psql -X -A -t -q -v ON_ERROR_STOP=1 >/dev/null
  {
    echo "perf record -F 999 -g of the backend, $n serial runs of $file (about $ms ms each)."
    echo "Self time by library:"
    perf report -i "$pdata" --no-children -g none --sort dso --stdio 2>/dev/null \
      | awk '/^ +[0-9.]+%/ && n++ < 4 {sub(/[ \t-]+$/, ""); print}'
    echo "Self time by symbol:"
    perf report -i "$pdata" --no-children -g none --sort dso,symbol --stdio 2>/dev/null \
      | awk '/^ +[0-9.]+%/ && n++ < 20 {sub(/[ \t-]+$/, ""); print}'
  } >"$res/$name.profile.txt"
}
# profile the odr query of a scenario when asked to, or when it missed its target
maybe_profile() { # MET NAME SCHEMA FILE
  if [ "$PROFILE" = always ] || { [ "$PROFILE" = missed ] && [ "$1" != yes ]; }; then
    log "profiling $2"
    profile "$2" "$3" "$4"
    plan "$2.serial" "$3" "SET max_parallel_workers_per_gather = 0;" "$4"
    profiled+=("$2")
  fi
}
profiled=()
checks_md=""

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------
# the materialised views of odr_create_warehouse read by the scenarios
warehouse_tables="odr_daily odr_segments"
load() { # SCHEMA ROWS SELLERS -> sets load_ms, wh_ms, dc_ms
  local schema=$1 rows=$2 sellers=$3 t0
  psqlq -c "DROP SCHEMA IF EXISTS $schema CASCADE" -c "CREATE SCHEMA $schema" 2>/dev/null
  t0=$(date +%s%N)
  PGOPTIONS="-c search_path=$schema,public" psqlq -v rows="$rows" -v sellers="$sellers" -f "$here/generate.sql" >/dev/null
  load_ms=$((($(date +%s%N) - t0) / 1000000))
  t0=$(date +%s%N)
  PGOPTIONS="-c search_path=$schema,public" psqlq -f "$here/sql/warehouse.sql" >/dev/null
  wh_ms=$((($(date +%s%N) - t0) / 1000000))
  t0=$(date +%s%N)
  PGOPTIONS="-c search_path=$schema,public" psqlq -f "$here/sql/daily_counts.sql" >/dev/null
  dc_ms=$((($(date +%s%N) - t0) / 1000000))
  # A vacuumed warehouse (every page all-visible), as a nightly job leaves it.
  # With synchronous_commit = off the commit of the building transaction may
  # not be flushed yet when VACUUM runs; VACUUM then cannot set the hint bits
  # and leaves every page not all-visible (and each scan checks every tuple's
  # visibility: about 10% of the P2 time). CHECKPOINT flushes the WAL first,
  # and the visibility map is checked for every table read.
  local t pages vis
  psqlq -c "CHECKPOINT"
  for t in bench_orders $warehouse_tables bench_daily_counts; do
    psqlq -c "SET search_path = $schema, public" -c "VACUUM $t"
    read -r pages vis < <(val "SELECT relpages, relallvisible FROM pg_class WHERE oid = '$schema.$t'::regclass" | tr '|' ' ')
    [ "$pages" = "$vis" ] || die "$schema.$t: only $vis of $pages pages are all-visible after VACUUM"
  done
}

main=m$ROWS
log "loading $ROWS orders of $SELLERS sellers"
load "$main" "$ROWS" "$SELLERS"
main_load_ms=$load_ms main_wh_ms=$wh_ms main_dc_ms=$dc_ms
data_md=$(psql -X -A -t -q -F '|' -v ON_ERROR_STOP=1 <<SQL
SET search_path = $main, public;
SELECT format('| orders | %s |', count(*)) FROM bench_orders;
SELECT format('| sellers with orders | %s |', count(DISTINCT seller_id)) FROM bench_orders;
SELECT format('| orders of the largest seller / the median seller / the smallest | %s / %s / %s |',
              max(n), percentile_disc(0.5) WITHIN GROUP (ORDER BY n), min(n))
FROM (SELECT count(*) AS n FROM bench_orders GROUP BY seller_id) AS s;
SELECT format('| finished_on | %s .. %s |', min(finished_on), max(finished_on)) FROM bench_orders;
SELECT format('| defective orders (ODR over the year) | %s (%s%%) |', count(*) FILTER (WHERE odr_is_defective(defects)),
              round(100.0 * count(*) FILTER (WHERE odr_is_defective(defects)) / count(*), 2)) FROM bench_orders;
SELECT format('| overall rating NULL / 5 / 4 / 1-3 stars | %s%% / %s%% / %s%% / %s%% |',
              round(100.0 * count(*) FILTER (WHERE feedback_stars IS NULL) / count(*), 1),
              round(100.0 * count(*) FILTER (WHERE feedback_stars = 5) / count(*), 1),
              round(100.0 * count(*) FILTER (WHERE feedback_stars = 4) / count(*), 1),
              round(100.0 * count(*) FILTER (WHERE feedback_stars <= 3) / count(*), 1)) FROM bench_orders;
SELECT format('| unshipped / arbitration (ruled against seller) / dispute timeout / not-received closed | %s / %s (%s) / %s / %s |',
              count(*) FILTER (WHERE unshipped), count(*) FILTER (WHERE arbitration),
              count(*) FILTER (WHERE seller_responsible), count(*) FILTER (WHERE dispute_timeout),
              count(*) FILTER (WHERE inr_closed)) FROM bench_orders;
SELECT format('| orders under US\$5 | %s%% |', round(100.0 * count(*) FILTER (WHERE amount < 5) / count(*), 1)) FROM bench_orders;
SELECT format('| tiers at 2026-10-31 | %s |', string_agg(format('%s %s', tier, n), ', ' ORDER BY tier))
FROM (SELECT tier, count(*) AS n FROM odr_month_end WHERE as_of = '2026-10-31' GROUP BY tier) AS t;
SELECT format('| bench_orders | %s rows, %s (%s bytes a row) |', c.reltuples::bigint, pg_size_pretty(pg_table_size(c.oid)),
              round(pg_table_size(c.oid) / greatest(c.reltuples, 1)))
FROM pg_class c WHERE c.oid = 'bench_orders'::regclass;
SELECT format('| odr_daily (odr_summary per seller and day) | %s rows, %s (%s bytes a row) |', c.reltuples::bigint,
              pg_size_pretty(pg_table_size(c.oid)), round(pg_table_size(c.oid) / greatest(c.reltuples, 1)))
FROM pg_class c WHERE c.oid = 'odr_daily'::regclass;
SELECT format('| odr_segments (odr_daily rolled up per seller and run of days in the same month-end windows) | %s rows, %s (%s bytes a row) |', c.reltuples::bigint,
              pg_size_pretty(pg_table_size(c.oid)), round(pg_table_size(c.oid) / greatest(c.reltuples, 1)))
FROM pg_class c WHERE c.oid = 'odr_segments'::regclass;
SELECT format('| bench_daily_counts (plain per seller and day) | %s rows, %s (%s bytes a row) |', c.reltuples::bigint,
              pg_size_pretty(pg_table_size(c.oid)), round(pg_table_size(c.oid) / greatest(c.reltuples, 1)))
FROM pg_class c WHERE c.oid = 'bench_daily_counts'::regclass;
SQL
)

# ---------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------
log "P1 per-seller ODR and tier, one 90-day window"
check P1 "$main" "seller_id, orders, defective, odr, tier::text" "" p1_odr p1_plain
rounds=$SHORT_REPEAT bench P1 "$main" "odr||p1_odr" "plain||p1_plain" "floor||p1_floor"
plan P1.odr "$main" "" p1_odr

log "P2 twelve month ends for every seller"
check P2a "$main" "as_of, seller_id, orders, defective, odr, tier::text" "WHERE orders > 0" p2_odr_view p2_plain
check P2b "$main" "as_of, seller_id, orders, defective, odr, tier::text" "WHERE orders > 0" p2_odr_join p2_plain
check P2c "$main" "as_of, seller_id, orders, defective, odr, tier::text" "WHERE orders > 0" p2_plain_daily p2_plain
check P2d "$main" "as_of, seller_id, orders, defective, odr, tier::text" "WHERE orders > 0" p2_plain_series p2_plain
check P2e "$main" "as_of, seller_id, orders, defective, odr, tier::text" "WHERE orders > 0" p2_odr_daily p2_plain
bench P2 "$main" "odr_view||p2_odr_view" "odr_daily||p2_odr_daily" "odr_join||p2_odr_join" "plain||p2_plain" \
  "plain_series||p2_plain_series" "plain_daily||p2_plain_daily" "floor||p2_floor_segments" "floor_daily||p2_floor"
plan P2.odr_view "$main" "" p2_odr_view
plan P2.odr_daily "$main" "" p2_odr_daily
plan P2.odr_join "$main" "" p2_odr_join
plan P2.plain "$main" "" p2_plain

log "P3 daily rolling 90-day history for every seller"
check P3 "$main" "day, seller_id, orders, defective, odr, tier::text" "" p3_odr p3_plain
bench P3 "$main" "odr||p3_odr" "plain||p3_plain" "floor||p3_floor"
plan P3.odr "$main" "" p3_odr
plan P3.plain "$main" "" p3_plain

log "P4 parallel query"
par="SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;"
ser="SET max_parallel_workers_per_gather = 0;"
# the two workers do all the scanning; the leader only gathers (on this
# 2-core machine: two processes on two cores)
parw="$par SET parallel_leader_participation = off;"
rounds=$SHORT_REPEAT bench P4 "$main" \
  "odr_serial|$ser|p1_odr" "odr_workers|$parw|p1_odr" "odr_parallel|$par|p1_odr" \
  "plain_serial|$ser|p1_plain" "plain_workers|$parw|p1_plain" "plain_parallel|$par|p1_plain" \
  "floor_serial|$ser|p1_floor" "floor_workers|$parw|p1_floor" "floor_parallel|$par|p1_floor"
plan P4.odr_workers "$main" "$parw" p1_odr
plan P4.odr_parallel "$main" "$par" p1_odr
workers=$(awk '/Workers Launched:/ {print $NF; exit}' "$res/P4.odr_workers.plan.txt")
workers_leader=$(awk '/Workers Launched:/ {print $NF; exit}' "$res/P4.odr_parallel.plan.txt")

# ---------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------
m() { median "$res/$1.ms"; }
p1_odr=$(m P1.odr) p1_plain=$(m P1.plain) p1_floor=$(m P1.floor)
p2_view=$(m P2.odr_view) p2_join=$(m P2.odr_join) p2_plain=$(m P2.plain) p2_series=$(m P2.plain_series)
p2_daily=$(m P2.plain_daily) p2_floor=$(m P2.floor) p2_direct=$(m P2.odr_daily) p2_floor_daily=$(m P2.floor_daily)
p3_odr=$(m P3.odr) p3_plain=$(m P3.plain) p3_floor=$(m P3.floor)
# fastest run of a timing file
fastest() { stats "$1" | cut -d' ' -f2; }
# P4 speed-up of a query (odr, plain, floor) in a parallel variant (workers,
# parallel) on the medians, or on the fastest runs
speedup() { awk -v a="$(m "P4.$1_serial")" -v b="$(m "P4.$1_$2")" 'BEGIN {printf "%.2f", a / b}'; }
speedup_fastest() { awk -v a="$(fastest "$res/P4.$1_serial.ms")" -v b="$(fastest "$res/P4.$1_$2.ms")" 'BEGIN {printf "%.2f", a / b}'; }

p2_speedup=$(awk -v a="$p2_plain" -v b="$p2_view" 'BEGIN {printf "%.1f", a / b}')
p2_join_speedup=$(awk -v a="$p2_plain" -v b="$p2_join" 'BEGIN {printf "%.1f", a / b}')
p2_direct_speedup=$(awk -v a="$p2_plain" -v b="$p2_direct" 'BEGIN {printf "%.1f", a / b}')
p4_speedup=$(speedup odr workers) p4_speedup_fastest=$(speedup_fastest odr workers)
p4_leader_speedup=$(speedup odr parallel) p4_leader_speedup_fastest=$(speedup_fastest odr parallel)
p4_plain_speedup=$(speedup plain workers) p4_floor_speedup=$(speedup floor workers)
p4_plain_leader_speedup=$(speedup plain parallel) p4_floor_leader_speedup=$(speedup floor parallel)
p1_vs_plain=$(ratio "$p1_odr" "$p1_plain") p1_vs_floor=$(ratio "$p1_odr" "$p1_floor")
p1_met=$(le "$p1_vs_plain" 1.0 && le "$p1_vs_floor" 1.2 && echo yes || echo no)
p2_met=$(le 20 "$p2_speedup" && echo yes || echo no)
p3_met=$(le "$(ratio "$p3_odr" "$p3_plain")" 1.0 && echo yes || echo no)
p4_met=$(le 1.6 "$p4_speedup" && echo yes || echo no)
[ "$workers" = 2 ] || p4_met=no

maybe_profile "$p2_met" P2 "$main" p2_odr_view
maybe_profile "$p3_met" P3 "$main" p3_odr
maybe_profile "$p4_met" P4 "$main" p1_odr
[ "$PROFILE" = never ] || maybe_profile no P1 "$main" p1_odr


log "P5 summary size and backend memory"
summary_size=$(val "SELECT pg_column_size('()'::odr_summary)")
summary_typlen=$(val "SELECT typlen FROM pg_type WHERE oid = 'odr_summary'::regtype")
defects_typlen=$(val "SELECT typlen FROM pg_type WHERE oid = 'odr_defects'::regtype")
mem_rows_md=""
hwm_list=() ctx_list=()
for n in $MEM_SIZES; do
  for variant in p5_one p5_grouped; do
    out=$(psql -X -A -t -q -v ON_ERROR_STOP=1 -v n="$n" <<SQL
SELECT 'hwm0 ' || (regexp_match(pg_read_file('/proc/self/status'), 'VmHWM:\s*(\d+)'))[1];
EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON) $(body "$variant");
SELECT 'hwm1 ' || (regexp_match(pg_read_file('/proc/self/status'), 'VmHWM:\s*(\d+)'))[1];
SELECT 'ctx ' || context_bytes FROM ($(body "$variant")) AS r;
SQL
    ) || die "P5: $variant over $n rows failed"
    hwm0=$(echo "$out" | sed -n 's/^hwm0 //p')
    hwm1=$(echo "$out" | sed -n 's/^hwm1 //p')
    ctx=$(echo "$out" | sed -n 's/^ctx //p')
    ms=$(echo "$out" | sed -n 's/^Execution Time: \([0-9.]*\) ms$/\1/p')
    [ -n "$hwm0" ] && [ -n "$hwm1" ] && [ -n "$ctx" ] && [ -n "$ms" ] || die "P5: could not read the measures of $variant over $n rows"
    hwm_list+=("$variant $n $hwm1") ctx_list+=("$variant $n $ctx")
    mem_rows_md+="| \`$variant\` | $n | $ms | $(nsrow "$ms" "$n") | $(awk -v b="$ctx" 'BEGIN {printf "%.2f", b / 1048576}') | $(awk -v k="$hwm0" 'BEGIN {printf "%.1f", k / 1024}') | $(awk -v k="$hwm1" 'BEGIN {printf "%.1f", k / 1024}') |"$'\n'
  done
done
# flat: at the largest size no more than 10% (and 1 MiB) above the smallest
mem_flat=yes
for variant in p5_one p5_grouped; do
  for kind in hwm ctx; do
    if [ $kind = hwm ]; then list=("${hwm_list[@]}"); else list=("${ctx_list[@]}"); fi
    first=$(printf '%s\n' "${list[@]}" | awk -v v="$variant" '$1 == v {print $3; exit}')
    lastv=$(printf '%s\n' "${list[@]}" | awk -v v="$variant" '$1 == v {x = $3} END {print x}')
    unit=$([ $kind = hwm ] && echo 1024 || echo 1048576)
    awk -v a="$first" -v b="$lastv" -v u="$unit" 'BEGIN {exit !(b <= a * 1.10 || b - a <= u)}' || mem_flat=no
  done
done

# ---------------------------------------------------------------------------
# Cost growth: P1 and P3 at several sizes, sellers growing with the rows
# ---------------------------------------------------------------------------
growth_md=""
growth_flat=yes
declare -A g_p1 g_p3 g_p1p g_p3p g_p1m g_p3m g_sellers g_load g_wh g_dc g_hist g_daily
g_sizes=()
g_variants=()
# every size loaded first, then one interleaved run over all of them, so that
# a change in the machine's load falls on every size alike
for size in $SIZES; do
  if [ "$GROWTH_SELLERS" = scaled ]; then
    sellers=$(( (size * SELLERS + ROWS / 2) / ROWS ))
  else
    sellers=$GROWTH_SELLERS
  fi
  [ "$sellers" -ge 1 ] || sellers=1
  schema=g$size
  log "cost growth: loading $size orders of $sellers sellers"
  load "$schema" "$size" "$sellers"
  check "P1@$size" "$schema" "seller_id, orders, defective, odr, tier::text" "" p1_odr p1_plain
  check "P3@$size" "$schema" "day, seller_id, orders, defective, odr, tier::text" "" p3_odr p3_plain
  g_sizes+=("$size")
  g_sellers[$size]=$sellers g_load[$size]=$load_ms g_wh[$size]=$wh_ms g_dc[$size]=$dc_ms
  g_hist[$size]=$(val "SET search_path = $schema, public;
                   SELECT sum(l.last_day - s.first_day + 1) FROM (SELECT max(day) AS last_day FROM odr_daily) AS l,
                          (SELECT min(day) AS first_day FROM odr_daily GROUP BY seller_id) AS s")
  g_daily[$size]=$(val "SET search_path = $schema, public; SELECT count(*) FROM odr_daily")
  for q in p1_odr p1_plain p3_odr p3_plain; do
    g_variants+=("${q}_$size|SET search_path = $schema, public;|$q")
  done
done
if [ ${#g_sizes[@]} -gt 0 ]; then
  log "cost growth: P1 and P3 at ${g_sizes[*]} orders, interleaved"
  bench G "$main" "${g_variants[@]}"
fi
for size in "${g_sizes[@]}"; do
  hist_rows=${g_hist[$size]}
  g_p1[$size]=$(nsrow "$(median "$res/G.p1_odr_$size.ms")" "$size")
  g_p1p[$size]=$(nsrow "$(median "$res/G.p1_plain_$size.ms")" "$size")
  g_p3[$size]=$(nsrow "$(median "$res/G.p3_odr_$size.ms")" "$hist_rows")
  g_p3p[$size]=$(nsrow "$(median "$res/G.p3_plain_$size.ms")" "$hist_rows")
  g_p1m[$size]=$(nsrow "$(fastest "$res/G.p1_odr_$size.ms")" "$size")
  g_p3m[$size]=$(nsrow "$(fastest "$res/G.p3_odr_$size.ms")" "$hist_rows")
  growth_md+="| $size | ${g_sellers[$size]} | ${g_load[$size]} | ${g_wh[$size]} | ${g_dc[$size]} | $(cell "$res/G.p1_odr_$size.ms") | ${g_p1[$size]} | $(cell "$res/G.p1_plain_$size.ms") | ${g_p1p[$size]} | ${g_daily[$size]} / $hist_rows | $(cell "$res/G.p3_odr_$size.ms") | ${g_p3[$size]} | $(cell "$res/G.p3_plain_$size.ms") | ${g_p3p[$size]} |"$'\n'
  plan "G$size.p3_odr" "g$size" "" p3_odr
done
for size in "${g_sizes[@]}"; do
  psqlq -c "DROP SCHEMA g$size CASCADE" 2>/dev/null
done
# flat: the largest ns/row at most 1.3x the smallest, for odr's P1 and P3,
# judged on each size's fastest run (the one least disturbed by other work
# on the machine); the spread of the medians is shown too
growth_spread=""
spread_of() { printf '%s\n' "$@" | sort -g | awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%.2f", hi / lo}'; }
if [ ${#g_sizes[@]} -ge 2 ]; then
  for kind in p1 p3; do
    med=() fast=()
    for size in "${g_sizes[@]}"; do
      if [ $kind = p1 ]; then med+=("${g_p1[$size]}"); fast+=("${g_p1m[$size]}")
      else med+=("${g_p3[$size]}"); fast+=("${g_p3m[$size]}"); fi
    done
    sf=$(spread_of "${fast[@]}")
    growth_spread+="${growth_spread:+; }${kind^^} odr: largest / smallest ns per row $sf on the fastest runs ($(IFS=/; echo "${fast[*]}") ns), $(spread_of "${med[@]}") on the medians"
    le "$sf" 1.3 || growth_flat=no
  done
fi

load_end=$(cut -d' ' -f1-3 /proc/loadavg)
elapsed=$(($(date +%s) - t_start))

# ---------------------------------------------------------------------------
# RESULTS.md
# ---------------------------------------------------------------------------
sqlblock() { printf '```sql\n%s\n```\n' "$(cat "$here/sql/$1.sql")"; }
planblock() { [ -f "$res/$1.plan.txt" ] && printf '```\n%s\n```\n' "$(cat "$res/$1.plan.txt")"; }
row() { # label odr plain floor
  local o=$2 p=$3 f=$4
  printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$(cell "$res/$o.ms")" \
    "$([ -n "$p" ] && cell "$res/$p.ms" || echo —)" "$([ -n "$f" ] && cell "$res/$f.ms" || echo —)" \
    "$([ -n "$p" ] && ratio "$(m "$o")" "$(m "$p")" || echo —)" "$([ -n "$f" ] && ratio "$(m "$o")" "$(m "$f")" || echo —)"
}

tmp_out=$OUT.tmp
{
cat <<EOF
# odr benchmarks: results

Generated by \`bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'); raw timings, plans and profiles of this
run were in \`bench/results/$stamp/\` (not committed). What every scenario measures and why is in
[README.md](README.md).

| | |
|---|---|
| command | \`$command_line\` |
| PostgreSQL | $pg_version |
| odr | $odr_version, built from $src_desc, installed into $install_desc |
| machine | $cores cores, $mem_total memory, CPU: $cpu_model |
| load average at start / end | $load_start / $load_end (the machine may have been running other work: see below) |
| run time | ${elapsed} s after the build |
| repetitions | one warm-up round, then $REPEAT timed rounds ($SHORT_REPEAT for P1 and P4, BENCH_SHORT_REPEAT); the variants of a scenario interleaved in one session |
| timing | server-side \`EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON)\` "Execution Time": every row is computed, none is sent; the same for odr, plain and floor |

Server settings (besides \`tools/cluster.sh\`'s fsync = off, synchronous_commit = off,
full_page_writes = off, max_worker_processes = 8):

| setting | why |
|---|---|
| shared_buffers = 8GB | every table of a run stays in PostgreSQL's cache, so the runs time the computation, not the disk: a sequential scan of a table larger than a quarter of shared_buffers reads through a small ring of buffers instead of the cache, and with 2GB the 10-million-order tables of the cost-growth runs (720 MB of orders, 545 MB of \`odr_daily\`) were read from the kernel's page cache on every run |
| work_mem = 256MB | the hash aggregates and the sorts of the window queries fit in memory at the default size, as a reporting server would be set up (at 10 million orders the daily history's sorts spill to disk, for odr and plain alike; with 1GB they would not, but the planner then picks a hash join and one sort of the joined wide rows for the \`odr_daily_history\` view, about 15% slower at the default size than the merge join it picks with 256MB) |
| max_parallel_workers_per_gather = 2 | as many workers as the machine has cores; P4 sets it to 0 and to 2 explicitly |
| huge_pages = $huge_desc | PostgreSQL's documentation recommends huge pages for a large shared_buffers. Parallel workers are new processes for every query, and each maps the pages of shared buffers it reads: with 4 kB pages, 35,000 page faults per worker for P1's rows and the page tables torn down at its exit; on 2026-11-23 that was 12% of the CPU time of P4's parallel runs, spent in the kernel (5% with 2 MB pages) |
| jit = off | JIT compilation costs a few hundred ms per query here and would blur the comparison of the aggregates themselves; it is also off in many OLTP installations |
| autovacuum = off | no background vacuum or analyze during the timings; the loader runs VACUUM ANALYZE itself |
| wal_level = minimal, max_wal_senders = 0, max_wal_size = 8GB, checkpoint_timeout = 1h | loading and building the materialised views writes little WAL and no checkpoint lands in a timing |

## Summary

Times in ms, median (min–max) of $REPEAT runs ($SHORT_REPEAT for P1). odr/plain below 1 means odr is faster.

| scenario | odr | plain SQL | floor | odr/plain | odr/floor |
|---|---|---|---|---|---|
$(row "P1 per-seller ODR + tier, one 90-day window ($ROWS orders scanned)" P1.odr P1.plain P1.floor)
$(row "P2 12 month ends × every seller: (a) \`odr_month_end\` view (over \`odr_segments\`) vs plain over raw orders" P2.odr_view P2.plain P2.floor)
$(row "P2 (c) \`odr_rollup_at\` straight over \`odr_daily\` (no runs) vs plain over raw orders" P2.odr_daily P2.plain P2.floor_daily)
$(row "P2 (b) join form: \`odr_rollup\` over \`odr_daily\` × windows vs plain over raw orders" P2.odr_join P2.plain P2.floor_daily)
$(row "P2 (a) vs plain SQL over plain daily counts (\`bench_daily_counts\`)" P2.odr_view P2.plain_daily P2.floor)
$(row "P3 daily rolling 90-day history, every seller and day" P3.odr P3.plain P3.floor)

| target | measured | met |
|---|---|---|
| P1: odr ≤ 1.0x plain SQL and ≤ 1.2x the floor | ${p1_vs_plain}x plain, ${p1_vs_floor}x the floor (fastest runs $(ratio "$(fastest "$res/P1.odr.ms")" "$(fastest "$res/P1.plain.ms")")x and $(ratio "$(fastest "$res/P1.odr.ms")" "$(fastest "$res/P1.floor.ms")")x; serially, in P4: $(ratio "$(m P4.odr_serial)" "$(m P4.plain_serial)")x and $(ratio "$(m P4.odr_serial)" "$(m P4.floor_serial)")x) | $p1_met |
| P2: odr_month_end ≥ 20x faster than plain SQL over raw orders | ${p2_speedup}x (straight over \`odr_daily\` without the runs ${p2_direct_speedup}x; join form ${p2_join_speedup}x; against the generate_series plain query $(awk -v a="$p2_series" -v b="$p2_view" 'BEGIN {printf "%.1f", a / b}')x) | $p2_met |
| P3: odr ≤ 1.0x plain | $(ratio "$p3_odr" "$p3_plain")x | $p3_met |
| P4: parallel speed-up of P1 ≥ 1.6x | ${p4_speedup}x with the $workers workers doing the scan, the leader gathering (fastest runs ${p4_speedup_fastest}x; plain ${p4_plain_speedup}x; the floor, a bare scan of the same rows, ${p4_floor_speedup}x). With the leader scanning too, PostgreSQL's default (3 processes on $cores cores): ${p4_leader_speedup}x (fastest runs ${p4_leader_speedup_fastest}x; plain ${p4_plain_leader_speedup}x; floor ${p4_floor_leader_speedup}x) | $p4_met |
| P5: backend memory flat from the smallest to the largest input | see P5 | $mem_flat |
| cost growth: ns per row flat (largest ≤ 1.3x smallest, on each size's fastest run) | ${growth_spread:-not run} | $([ -n "$growth_spread" ] && echo "$growth_flat" || echo "not run") |

CPU in use while each scenario ran, in cores on average (this cluster — every backend and parallel
worker of the run —, every other process of the machine, and time stolen by the hypervisor). "Others"
well above 0 means the machine was busy with other work and the times of that scenario are high and
spread out; the ratios suffer less, since the variants are interleaved.

| scenario | this cluster | other processes | steal |
|---|---|---|---|
$cpu_md
## Data

\`bench/generate.sql\` with rows = $ROWS, sellers = $SELLERS: loaded in $main_load_ms ms (INSERT ... SELECT into an
UNLOGGED table with the generated \`defects\` column, then VACUUM ANALYZE). \`odr_create_warehouse\` built
\`odr_daily\`, \`odr_segments\` and the views in $main_wh_ms ms; the plain-SQL \`bench_daily_counts\` took $main_dc_ms ms. These
build times are not part of any query time below.

| | |
|---|---|
$data_md

## Answers checked before timing

Every odr query was first compared with its plain-SQL twin: the result rows of both, \`EXCEPT ALL\` both
ways over the listed columns (numbers compared as numbers, the rate as the same double); a single
difference stops the run.

| check | compared | rows | differences |
|---|---|---|---|
$checks_md
## P1: per-seller ODR and tier over one 90-day window

| | odr | plain SQL | floor | odr/plain | odr/floor |
|---|---|---|---|---|---|
$(row "P1" P1.odr P1.plain P1.floor | sed 's/^| P1 /| ms /')

odr:
$(sqlblock p1_odr)
plain SQL:
$(sqlblock p1_plain)
floor:
$(sqlblock p1_floor)

<details><summary>odr's plan</summary>

$(planblock P1.odr)
</details>

## P2: every seller at the twelve month ends

| variant | median (min–max) ms | plain over raw orders / variant |
|---|---|---|
| odr (a) \`SELECT * FROM odr_month_end\` (reads \`odr_segments\`) | $(cell "$res/P2.odr_view.ms") | ${p2_speedup}x |
| odr (c) \`odr_rollup_at\` straight over \`odr_daily\` | $(cell "$res/P2.odr_daily.ms") | ${p2_direct_speedup}x |
| odr (b) join form over \`odr_daily\` | $(cell "$res/P2.odr_join.ms") | ${p2_join_speedup}x |
| plain SQL over raw orders, calendar from \`odr_assessment_windows\` | $(cell "$res/P2.plain.ms") | 1x |
| plain SQL over raw orders, month ends from generate_series | $(cell "$res/P2.plain_series.ms") | $(awk -v a="$p2_plain" -v b="$p2_series" 'BEGIN {printf "%.2f", a / b}')x |
| plain SQL over plain daily counts | $(cell "$res/P2.plain_daily.ms") | $(awk -v a="$p2_plain" -v b="$p2_daily" 'BEGIN {printf "%.1f", a / b}')x |
| floor of (a): read \`odr_segments\` once, grouped by seller | $(cell "$res/P2.floor.ms") | $(awk -v a="$p2_plain" -v b="$p2_floor" 'BEGIN {printf "%.1f", a / b}')x |
| floor of (b), (c): read \`odr_daily\` once, grouped by seller | $(cell "$res/P2.floor_daily.ms") | $(awk -v a="$p2_plain" -v b="$p2_floor_daily" 'BEGIN {printf "%.1f", a / b}')x |

Answers compared on (as_of, seller_id, orders, defective, odr, tier) for the rows with orders > 0
(\`odr_month_end\` also lists a seller at a month end whose window is empty once it has had orders).

odr (a), the view: \`odr_rollup_at\` over \`odr_segments\` (the per-day summaries of \`odr_daily\`
rolled up per seller and run of days that lie in the same month-end windows,
\`odr_assessment_segment\`; built and refreshed with \`odr_daily\` by \`odr_refresh_warehouse\`), one pass:
$(sqlblock p2_odr_view)
odr (c), the same straight from the per-day summaries (the month-end view of 0.2.0):
$(sqlblock p2_odr_daily)
odr (b):
$(sqlblock p2_odr_join)
plain SQL over raw orders (the reference of the target):
$(sqlblock p2_plain)
plain SQL with generate_series (slower: the month-end expression is computed for every joined row):
$(sqlblock p2_plain_series)
plain SQL over plain daily counts (the plain-SQL warehouse, \`bench_daily_counts\`):
$(sqlblock daily_counts)
$(sqlblock p2_plain_daily)
floors:
$(sqlblock p2_floor_segments)
$(sqlblock p2_floor)

<details><summary>plans: odr (a), odr (c), odr (b), plain</summary>

$(planblock P2.odr_view)
$(planblock P2.odr_daily)
$(planblock P2.odr_join)
$(planblock P2.plain)
</details>

## P3: daily rolling 90-day history of every seller

| | odr | plain SQL | floor | odr/plain | odr/floor |
|---|---|---|---|---|---|
$(row "P3" P3.odr P3.plain P3.floor | sed 's/^| P3 /| ms /')

odr (the \`odr_daily_history\` view of \`odr_create_warehouse\`):
$(sqlblock p3_odr)
plain SQL over \`bench_daily_counts\` (same grid of days, same frame):
$(sqlblock p3_plain)
floor (the same rows, grid, sort and frame with count()):
$(sqlblock p3_floor)

<details><summary>plans: odr, plain</summary>

$(planblock P3.odr)
$(planblock P3.plain)
</details>

## P4: parallel query (P1's queries)

Median (min–max) ms of $SHORT_REPEAT runs (BENCH_SHORT_REPEAT), the nine variants interleaved; speed-up = serial / parallel, on the
medians and on the fastest runs.

| | serial (max_parallel_workers_per_gather = 0) | 2 workers, the leader gathering | speed-up | fastest runs | 2 workers and the leader scanning | speed-up | fastest runs |
|---|---|---|---|---|---|---|---|
$(for q in odr plain floor; do
  label=$q; [ $q = plain ] && label="plain SQL"; [ $q = floor ] && label="floor (\`count(*)\` per seller over the same rows)"
  echo "| $label | $(cell "$res/P4.${q}_serial.ms") | $(cell "$res/P4.${q}_workers.ms") | $(speedup $q workers)x | $(speedup_fastest $q workers)x | $(cell "$res/P4.${q}_parallel.ms") | $(speedup $q parallel)x | $(speedup_fastest $q parallel)x |"
done)

The target is judged on the medians of the first parallel form: P4 asks for 0 against 2 workers, and
with parallel_leader_participation = off the 2 workers do the whole scan on the machine's $cores cores while
the leader waits for their partial aggregates. The second form is PostgreSQL's default: the leader
scans as well, so 3 processes share $cores cores and their hash tables take turns in each core's cache;
it also starts scanning before the workers are up.

The floor's speed-up is what PostgreSQL's parallel scan and gather give on this machine for
these rows with no aggregate work at all; odr cannot scale better than the rows it reads. A parallel
query needs both cores at the same moment, so a busy host slows it more than a serial one: its
times spread more, and the speed-up on the fastest runs is the one least disturbed.

The parallel runs set parallel_setup_cost = 0, parallel_tuple_cost = 0 and min_parallel_table_scan_size = 0 so that the plan is parallel at
any size; workers launched in odr's parallel plans: $workers (leader gathering) and $workers_leader (leader scanning).
Shared memory: huge pages $huge_desc.

<details><summary>odr's parallel plan (leader gathering)</summary>

$(planblock P4.odr_workers)
</details>

## P5: summary size and backend memory

\`odr_summary\`: pg_column_size = $summary_size bytes, pg_type.typlen = $summary_typlen (fixed size, no
varlena header, no TOAST). \`odr_defects\`: typlen = $defects_typlen (passed by value).

Each row below is a fresh backend. Context bytes: sum of \`pg_backend_memory_contexts.total_bytes\` read
*during* the query (an uncorrelated subquery in the outer select list runs after the aggregate has
produced its rows, while its state is still allocated). VmHWM: the backend's peak resident set from
\`/proc/self/status\` (read with \`pg_read_file\`) before and after the query; it includes the shared buffers
the backend touched.

| query | rows | ms | ns/row | context MiB during | VmHWM MiB before | VmHWM MiB after |
|---|---|---|---|---|---|---|
$mem_rows_md
Flat (at the largest size no more than 10% or 1 MiB above the smallest, for both measures): **$mem_flat**.

$(sqlblock p5_one)
$(sqlblock p5_grouped)

## Cost growth: P1 and P3 at several sizes

$(if [ "$GROWTH_SELLERS" = scaled ]; then echo "Sellers grow with the orders (about $((ROWS / SELLERS)) orders per seller and year), so the per-day tables
and the daily history grow too."; else echo "$GROWTH_SELLERS sellers at every size (BENCH_GROWTH_SELLERS): the orders per seller grow, the number of groups does not."; fi) P1 ns/row is per order in the table (the query reads all of them and
keeps 90 of 365 days); P3 ns/row is per row of the history (one per seller and day). Every size
is loaded first; then the queries of all sizes run interleaved in one session (one warm-up round,
then $REPEAT rounds), so that a change in the machine's load falls on every size alike. Times in ms,
median (min–max); load / warehouse / daily-counts build times in ms.

| orders | sellers | load | odr_daily | daily counts | P1 odr | ns/row | P1 plain | ns/row | odr_daily / history rows | P3 odr | ns/row | P3 plain | ns/row |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
$growth_md
${growth_spread:+Spread: $growth_spread; flat: **$growth_flat**.}
EOF

if [ ${#profiled[@]} -gt 0 ]; then
  echo
  echo "## Profiles"
  echo
  echo "For every scenario that missed its target (and P1 for reference): perf's self time by symbol in the"
  echo "backend running odr's query serially, and the serial plan with per-node timing."
  for p in "${profiled[@]}"; do
    echo
    echo "### $p"
    echo
    echo '```'
    cat "$res/$p.profile.txt"
    echo '```'
    echo
    echo "<details><summary>serial plan</summary>"
    echo
    planblock "$p.serial"
    echo "</details>"
  done
fi
if [ -f "$here/FINDINGS.md" ]; then
  echo
  cat "$here/FINDINGS.md"
fi
} >"$tmp_out"
mv "$tmp_out" "$OUT"
log "done in ${elapsed} s: $OUT"
