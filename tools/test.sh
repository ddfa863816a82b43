#!/usr/bin/env bash
# Run every odr test on this machine: installs what is missing (Debian
# packages), builds and installs odr, then runs
#   1. the plain-C unit tests of the rules (test/unit) and a short fuzz pass,
#   2. the pg_regress suite (sql/*.sql vs expected/*.out),
#   3. pg_dump / pg_restore of odr data and user policies (test/dump_restore.sh),
#      ALTER EXTENSION odr UPDATE from the oldest release (test/upgrade.sh), the
#      trusted install (test/trusted.sh) and the attacker's traps (test/traps.sh),
#   4. the README's SQL examples and the BI clients (psqlODBC, pgJDBC),
#   5. the pgTAP suite (test/pgtap, pg_prove),
#   6. pg_cron refreshing the warehouse (its own cluster, test/cron.sh),
#   7. postgres_fdw shards: pushdown, equality with one node, odr_check_shards (test/shards.sh),
#   8. load: pgbench inserts while the warehouse refreshes concurrently, 20 s (test/load.sh),
#   9. the server under valgrind memcheck (tools/valgrind.sh),
#  10. the Debian package: built, installed with apt, used and removed (test/deb.sh),
# against a throwaway cluster (initdb in a temporary directory, a free port,
# stopped and removed at the end). Ends with "N passed, N failed".
#
# The PostgreSQL is the one PG_CONFIG names, else /usr/lib/postgresql/PGVER
# (PGVER 15 by default): PG_CONFIG=/usr/lib/postgresql/16/bin/pg_config
# tools/test.sh runs the suite against 16. tools/matrix.sh runs it against
# 15, 17 and 18. ODR_EXTRAS=0 leaves out fuzzing and valgrind (they check
# odr's C code, whatever the server), ODR_DEB=0 the Debian package.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -n "${PG_CONFIG:-}" ] && [ -z "${PGVER:-}" ] && [ -x "$PG_CONFIG" ]; then
  PGVER=$("$PG_CONFIG" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')
fi
export PGVER=${PGVER:-15}
export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/$PGVER/bin/pg_config}
tools/setup.sh
[ -x "$PG_CONFIG" ] || PG_CONFIG=$(command -v pg_config)
echo "== PostgreSQL $("$PG_CONFIG" --version | awk '{print $2}') ($PG_CONFIG)"
extras=${ODR_EXTRAS:-1}

passed=0
failed=0
count() { passed=$((passed + $1)); failed=$((failed + $2)); }

# Run a command that prints TAP; count its ok / not ok lines. A command
# that prints no result, or fails without a "not ok", counts as one failure.
tap() {
  local name=$1 out rc ok bad
  shift
  echo "== $name"
  set +e
  out=$("$@" 2>&1)
  rc=$?
  set -e
  echo "$out"
  ok=$(echo "$out" | grep -cE '^ok [0-9-]' || true)
  bad=$(echo "$out" | grep -c '^not ok' || true)
  if [ "$ok" -eq 0 ] || { [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; }; then
    echo "not ok - $name exited $rc"
    bad=$((bad + 1))
  fi
  echo "$name: $ok passed, $bad failed"
  count "$ok" "$bad"
}

# One version, everywhere: odr.control is the source; META.json and the
# Debian package's version (debian/changelog) must agree.
check_version() {
  local version meta deb
  version=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" odr.control)
  meta=$(perl -MJSON::PP -e 'local $/; my $m = decode_json(<STDIN>);
    print join("\n", $m->{version}, map { $_->{version} } values %{$m->{provides}}), "\n"' <META.json | sort -u)
  if [ "$meta" = "$version" ]; then
    echo "ok 1 - META.json and odr.control agree on version $version"
  else
    echo "not ok 1 - META.json versions ($meta) differ from odr.control ($version)"
  fi
  deb=$(sed -n '1s/^odr (\([^)-]*\)[^)]*).*/\1/p' debian/changelog)
  if [ "$deb" = "$version" ]; then
    echo "ok 2 - debian/changelog and odr.control agree on version $version"
  else
    echo "not ok 2 - debian/changelog's version ($deb) differs from odr.control ($version)"
  fi
}
tap "version" check_version

make -s PG_CONFIG="$PG_CONFIG" test/unit/core_test
tap "unit tests (plain C, no server)" test/unit/core_test
make -s PG_CONFIG="$PG_CONFIG" test/unit/response_test
tap "unit tests: S4 response rate (plain C, no server)" test/unit/response_test
make -s PG_CONFIG="$PG_CONFIG" test/unit/indicators_test
tap "unit tests of the 1688 indicators S3, S5, S6, S7 (plain C)" test/unit/indicators_test
make -s PG_CONFIG="$PG_CONFIG" test/unit/peers_test
tap "unit tests of the 1688 peer scores S2 (plain C)" test/unit/peers_test
make -s PG_CONFIG="$PG_CONFIG" test/unit/engine_test
tap "unit tests of the policy engine: M1 Amazon, M2 eBay (plain C)" test/unit/engine_test

# a short libFuzzer pass over the core (make fuzz runs longer)
fuzz_short() {
  local n=0 t
  for t in text binary arith; do
    n=$((n + 1))
    if make -s fuzz FUZZ_TARGETS=$t FUZZ_SECONDS=${ODR_FUZZ_SECONDS:-10} >/dev/null 2>&1; then
      echo "ok $n - fuzz_$t: $(grep -E '^Done' test/fuzz/bin/fuzz_$t.log)"
    else
      echo "not ok $n - fuzz_$t found a failure (test/fuzz/findings)"
      tail -20 "test/fuzz/bin/fuzz_$t.log" 2>/dev/null | sed 's/^/# /'
    fi
  done
}
if [ "$extras" = 1 ]; then
  tap "fuzz (libFuzzer, short pass)" fuzz_short
else
  echo "== fuzz: left out (ODR_EXTRAS=0)"
fi

dir=$(mktemp -d /tmp/odr-test.XXXXXX)
trap 'tools/cluster.sh stop "$dir"' EXIT
eval "$(tools/cluster.sh start "$dir")"
echo "== throwaway cluster on port $PGPORT ($dir)"

# pg_regress, its per-test lines turned into TAP
regress() {
  rm -rf results regression.diffs regression.out
  local rc=0
  make -s PG_CONFIG="$PG_CONFIG" installcheck >"$dir/regress.log" 2>&1 || rc=$?
  # up to 15: "test classify ... ok"; from 16 on pg_regress speaks TAP:
  # "ok 1         - classify   12 ms"
  sed -n 's/^test \([a-z_]*\) .*\.\.\. ok.*/ok - pg_regress \1/p; s/^test \([a-z_]*\) .*\.\.\. FAILED.*/not ok - pg_regress \1/p
          s/^ok [0-9][0-9]* *[-+] \([a-z_]*\) .*/ok - pg_regress \1/p; s/^not ok [0-9][0-9]* *[-+] \([a-z_]*\) .*/not ok - pg_regress \1/p' "$dir/regress.log"
  if [ "$rc" -ne 0 ]; then
    [ -f regression.diffs ] && head -300 regression.diffs || cat "$dir/regress.log"
  fi
  return "$rc"
}
tap "pg_regress" regress

tap "dump and restore" test/dump_restore.sh
tap "upgrade from every release" test/upgrade.sh
tap "trusted install by a non-superuser" test/trusted.sh
tap "traps: a database owner attacks the install, the updates and every call" test/traps.sh
tap "README examples" test/readme.sh
tap "BI: psqlODBC" test/bi_odbc.sh
tap "BI: pgJDBC" test/bi_jdbc.sh

pgtap() {
  psql -X -q -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS odr_tap" -c "CREATE DATABASE odr_tap" >/dev/null
  PGDATABASE=odr_tap pg_prove -v --ext .sql -r test/pgtap
}
tap "pgTAP" pgtap

tap "pg_cron" test/cron.sh
tap "shards (postgres_fdw)" test/shards.sh
tap "load (pgbench)" env ODR_LOAD_SECONDS="${ODR_LOAD_SECONDS:-20}" test/load.sh

# the server under valgrind memcheck: pg_regress and pgTAP, no report in odr's code
if [ "$extras" = 1 ]; then
  tap "memory safety (valgrind memcheck)" env VALGRIND_PGTAP=1 tools/valgrind.sh
else
  echo "== memory safety (valgrind): left out (ODR_EXTRAS=0)"
fi

# last: the Debian package (it replaces and then removes this make install's
# files where it runs in place, in a throwaway chroot layer)
if [ "${ODR_DEB:-1}" != 1 ]; then
  echo "== Debian package: left out (ODR_DEB=0)"
elif [ "$(id -u)" != 0 ]; then
  echo "== Debian package: left out (not root: it builds in a chroot and installs the package)"
else
  tap "Debian package" test/deb.sh
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
