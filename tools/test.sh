#!/usr/bin/env bash
# Run every odr test on this machine: installs what is missing (Debian
# packages), builds and installs odr, then runs
#   1. the plain-C unit tests of the rules (test/unit, TAP),
#   2. the pg_regress suite (sql/*.sql vs expected/*.out),
#   3. pg_dump / pg_restore of odr data and user policies (test/dump_restore.sh),
#   4. the pgTAP suite (test/pgtap, pg_prove),
# against a throwaway cluster (initdb in a temporary directory, a free port,
# stopped and removed at the end). Ends with "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

tools/setup.sh
export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/${PGVER:-15}/bin/pg_config}
[ -x "$PG_CONFIG" ] || PG_CONFIG=$(command -v pg_config)

passed=0
failed=0
count() { passed=$((passed + $1)); failed=$((failed + $2)); }

# One version, everywhere: odr.control is the source; META.json must agree.
version=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" odr.control)
meta_versions=$(perl -MJSON::PP -e 'local $/; my $m = decode_json(<STDIN>);
  print join("\n", $m->{version}, map { $_->{version} } values %{$m->{provides}}), "\n"' <META.json | sort -u)
if [ "$meta_versions" = "$version" ]; then
  echo "ok - META.json and odr.control agree on version $version"
  count 1 0
else
  echo "not ok - META.json versions ($meta_versions) differ from odr.control ($version)"
  count 0 1
fi

echo "== unit tests (plain C, no server)"
make -s PG_CONFIG="$PG_CONFIG" test/unit/core_test
unit_out=$(test/unit/core_test) || true
echo "$unit_out" | grep -E '^not ok' || true
u_ok=$(echo "$unit_out" | grep -c '^ok' || true)
u_bad=$(echo "$unit_out" | grep -c '^not ok' || true)
echo "unit: $u_ok passed, $u_bad failed"
count "$u_ok" "$u_bad"
[ "$u_ok" -gt 0 ] || { echo "unit tests ran nothing"; count 0 1; }

dir=$(mktemp -d /tmp/odr-test.XXXXXX)
trap 'tools/cluster.sh stop "$dir"' EXIT
eval "$(tools/cluster.sh start "$dir")"
echo "== throwaway cluster on port $PGPORT ($dir)"

echo "== pg_regress"
rm -rf results regression.diffs regression.out
if make -s PG_CONFIG="$PG_CONFIG" installcheck >"$dir/regress.log" 2>&1; then :; fi
grep -E '^(test| *ok| *FAILED|ok|not ok)' "$dir/regress.log" || cat "$dir/regress.log"
r_ok=$(grep -cE '\.\.\. ok|^ok ' "$dir/regress.log" || true)
r_bad=$(grep -cE '\.\.\. FAILED|^not ok ' "$dir/regress.log" || true)
if [ "$r_ok" -eq 0 ] && [ "$r_bad" -eq 0 ]; then r_bad=1; fi
[ -f regression.diffs ] && [ "$r_bad" -gt 0 ] && head -200 regression.diffs
echo "pg_regress: $r_ok passed, $r_bad failed"
count "$r_ok" "$r_bad"

echo "== dump and restore"
d_out=$(PG_CONFIG="$PG_CONFIG" test/dump_restore.sh 2>&1) || true
echo "$d_out"
d_ok=$(echo "$d_out" | grep -c '^ok' || true)
d_bad=$(echo "$d_out" | grep -c '^not ok' || true)
[ "$d_ok" -gt 0 ] || d_bad=$((d_bad + 1))
count "$d_ok" "$d_bad"

echo "== pgTAP"
psql -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE odr_tap" >/dev/null
export PGDATABASE=odr_tap
set +e
pg_prove --ext .sql -r test/pgtap >"$dir/prove.log" 2>&1
prove_rc=$?
set -e
cat "$dir/prove.log"
t_total=$(sed -n 's/^Files=[0-9]*, Tests=\([0-9]*\),.*/\1/p' "$dir/prove.log")
t_bad=$(grep -oE 'Failed [0-9]+/[0-9]+ subtests' "$dir/prove.log" | awk '{split($2,a,"/"); s+=a[1]} END {print s+0}')
t_total=${t_total:-0}
if [ "$prove_rc" -ne 0 ] && [ "$t_bad" -eq 0 ]; then t_bad=1; fi
[ "$t_total" -gt 0 ] || { echo "pgTAP ran nothing"; t_bad=$((t_bad + 1)); }
count $((t_total - t_bad > 0 ? t_total - t_bad : 0)) "$t_bad"

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
