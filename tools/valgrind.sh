#!/usr/bin/env bash
# Memory safety of odr inside the server (make valgrind): odr built without
# optimisation into a private copy of the PostgreSQL installation
# (tools/private_pg.sh), a throwaway cluster whose server runs under
# valgrind --tool=memcheck (every backend and parallel worker), the
# pg_regress suite (and, with VALGRIND_PGTAP=1, the pgTAP suite) against it;
# then every memcheck report is read: an error with an odr.so frame fails,
# the others (PostgreSQL's own, Debian's server is not built for valgrind)
# are counted and listed. TAP output.
#
#   VALGRIND_TESTS   pg_regress tests to run (default: all of REGRESS)
#   VALGRIND_PGTAP   1: the pgTAP suite too (default 0)
#   VALGRIND_KEEP    a directory to keep the memcheck logs in
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
PGVER=${PGVER:-15}

work=$(mktemp -d /tmp/odr-valgrind.XXXXXX)
chmod 755 "$work"
cluster=$work/cluster
started=0
cleanup() {
  local rc=$?
  if [ "$started" = 1 ]; then tools/cluster.sh stop "$cluster" >/dev/null 2>&1 || true; fi
  if [ -n "${VALGRIND_KEEP:-}" ]; then mkdir -p "$VALGRIND_KEEP"; cp -r "$work/vg" "$VALGRIND_KEEP/" 2>/dev/null || true; fi
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT

command -v valgrind >/dev/null || { echo "not ok 1 - valgrind is not installed (apt-get install valgrind)"; exit 1; }

# odr at -O0 with frame pointers, in a private PostgreSQL copy
priv_env=$(tools/private_pg.sh "$work/pg")
eval "$priv_env"
src=$work/src
mkdir -p "$src"
# this checkout as it is (work tree included), without build products
tar -C "$root" --exclude=.git --exclude=./results --exclude='*.o' --exclude='*.so' --exclude='*.bc' \
    --exclude=./test/fuzz/bin -cf - . | tar -C "$src" -xf -
(cd "$src" && make -s clean >/dev/null 2>&1; make -s PG_CONFIG="$PG_CONFIG" COPT="-O0 -g -fno-omit-frame-pointer" >/dev/null \
   && make -s PG_CONFIG="$PG_CONFIG" install >/dev/null)

mkdir -p "$work/vg"
chmod 777 "$work/vg"
real=$PGBIN/postgres
supp=$root/tools/valgrind.supp
cat >"$work/postgres-vg" <<EOF
#!/bin/sh
exec valgrind --tool=memcheck --trace-children=yes --num-callers=40 --error-limit=no \\
  --leak-check=no --read-var-info=no --suppressions=$supp \\
  --log-file=$work/vg/vg.%p.log "$real" "\$@"
EOF
chmod 755 "$work/postgres-vg"

cluster_env=$(ODR_PG_EXEC=$work/postgres-vg ODR_PG_START_TIMEOUT=300 \
  ODR_PG_CONF="max_parallel_workers_per_gather = 2
statement_timeout = 0
autovacuum = off" tools/cluster.sh start "$cluster")
eval "$cluster_env"
started=1
export PGCONNECT_TIMEOUT=120

n=0
# Every pg_regress file but those whose C paths others already run: the
# marketplaces defined as rows (aliexpress, walmart, one of the user's), the
# warehouse views and the side-by-side listing call the same engine code as
# marketplace, marketplace_rollup, marketplace_at and marketplace_ctor, and
# under memcheck they would double this step (VALGRIND_SKIP='' runs them).
skip=" ${VALGRIND_SKIP-marketplace_aliexpress marketplace_warehouse marketplace_walmart marketplace_every_platform marketplace_your_own} "
tests=${VALGRIND_TESTS:-$(for t in $(sed -n 's/^REGRESS [+]*= *//p' Makefile); do
  case "$skip" in *" $t "*) ;; *) printf '%s ' "$t" ;; esac; done)}
rm -rf "$work/regress"
mkdir -p "$work/regress"
t0=$SECONDS
if (cd "$src" && mkdir -p results && make -s PG_CONFIG="$PG_CONFIG" installcheck REGRESS="$tests" \
      REGRESS_OPTS="--load-extension=odr --outputdir=$work/regress" >"$work/regress.log" 2>&1); then
  n=$((n + 1)); echo "ok $n - pg_regress under memcheck: $(grep -cE '\.\.\. ok|^ok [0-9]+ +[-+] ' "$work/regress.log") tests pass ($((SECONDS - t0)) s)"
else
  n=$((n + 1)); echo "not ok $n - pg_regress under memcheck"
  head -60 "$work/regress/regression.diffs" 2>/dev/null | sed 's/^/# /' || sed 's/^/# /' "$work/regress.log"
fi
if [ "${VALGRIND_PGTAP:-0}" = 1 ]; then
  t0=$SECONDS
  psql -X -q -c "CREATE DATABASE odr_vg_tap" >/dev/null
  if PGDATABASE=odr_vg_tap pg_prove --ext .sql -r "$src/test/pgtap" >"$work/prove.log" 2>&1; then
    n=$((n + 1)); echo "ok $n - pgTAP under memcheck: $(sed -n 's/^Files=\([0-9]*\), Tests=\([0-9]*\).*/\1 files, \2 tests/p' "$work/prove.log") ($((SECONDS - t0)) s)"
  else
    n=$((n + 1)); echo "not ok $n - pgTAP under memcheck"; grep -v '^ok' "$work/prove.log" | head -40 | sed 's/^/# /'
  fi
fi
tools/cluster.sh stop "$cluster" >/dev/null 2>&1 || true
started=0

# read the reports: one block per error, "==pid== " lines up to a blank one;
# odr's frames name one of its source files (built with -g) or odr.so
ours_re="odr\\.so|\\(($(find src -name '*.c' -exec basename {} .c \; | sort -u | paste -sd'|'))\\.c:[0-9]+\\)"
OURS_RE=$ours_re perl -e '
  my ($ours, $theirs, $procs) = (0, 0, 0);
  my %kinds;
  for my $f (glob("'"$work"'/vg/vg.*.log")) {
    $procs++;
    open my $h, "<", $f or next;
    local $/ = undef; my $t = <$h>;
    for my $b (split /\n==\d+==\s*\n/, $t) {
      next unless $b =~ /==\d+== (Invalid|Conditional|Use of uninitialised|Syscall param|Mismatched|Source and destination|Argument .* of function)/;
      my ($kind) = $b =~ /==\d+== ([^\n]*)/;
      if ($b =~ /$ENV{OURS_RE}/) { $ours++; print "# odr: $_\n" for split /\n/, $b; }
      else { $theirs++; $kinds{$kind}++; }
    }
  }
  printf "%s - no memcheck error with an odr.so frame (%d processes checked)\n", ($ours ? "not ok" : "ok"), $procs;
  printf "# %d reports without odr frames (PostgreSQL itself): %s\n", $theirs,
    join("; ", map { "$kinds{$_} x $_" } sort keys %kinds);
  exit($ours ? 1 : 0);
' >"$work/verdict.txt" && rc=0 || rc=$?
sed "s/^\(ok\|not ok\) -/\1 $((n + 1)) -/" "$work/verdict.txt"
echo "1..$((n + 1))"
exit $rc
