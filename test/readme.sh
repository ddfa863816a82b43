#!/usr/bin/env bash
# Every ```sql block of README.md runs, in order, in a fresh database
# (TAP output). A block that needs pg_cron is left to test/cron.sh.
# Needs a running server (PG* variables) with odr installed.
set -euo pipefail
cd "$(dirname "$0")/.."
db=odr_readme
work=$(mktemp -d /tmp/odr-readme.XXXXXX)
trap 'rm -rf "$work"' EXIT
export PGOPTIONS="-c client_min_messages=warning"
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"

awk -v dir="$work" '
  /^```sql[ \t]*$/ { n++; file = sprintf("%s/%03d.sql", dir, n); inblock = 1; next }
  /^```/ && inblock { inblock = 0; close(file); next }
  inblock { print > file }
' README.md

n=0
fail=0
for f in "$work"/*.sql; do
  n=$((n + 1))
  first=$(grep -m1 -v '^--' "$f" | head -c 70)
  if grep -q 'cron\.' "$f"; then
    echo "ok $n - README block $(basename "$f" .sql) # SKIP needs pg_cron (test/cron.sh runs it)"
    continue
  fi
  if out=$(psql -X -q -v ON_ERROR_STOP=1 -d $db -f "$f" 2>&1 >/dev/null); then
    echo "ok $n - README block $(basename "$f" .sql): $first"
  else
    echo "not ok $n - README block $(basename "$f" .sql): $first"
    echo "$out" | sed 's/^/# /'
    fail=1
  fi
done
echo "1..$n"
psql -X -q -d postgres -c "DROP DATABASE $db"
exit $fail
