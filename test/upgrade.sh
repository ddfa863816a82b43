#!/usr/bin/env bash
# Upgrades: install the first release of odr (0.1.0), walk ALTER EXTENSION
# odr UPDATE through every version to the newest, and check the result is a
# fresh install (TAP output):
#   - the same objects with the same definitions, comments, privileges and
#     built-in rows (test/upgrade/snapshot.sql, diffed);
#   - data stored under the old version (odr_defects and odr_summary columns,
#     a warehouse of materialised views, a user policy) reads back the same
#     and keeps working;
#   - the whole pg_regress suite and the pgTAP suite give the same results on
#     the walked database as on a fresh one.
# (test/traps.sh walks the same chain with operators and functions planted.)
# make install ships only the newest install script (README: Upgrades): the
# frozen install scripts of earlier releases (test/upgrade/releases) are
# copied into the extension directory for the test and removed at the end
# (test/releases.sh).
# Needs a running server (PG* variables) with odr installed (make install),
# and write access to the extension directory of PG_CONFIG.
set -euo pipefail
cd "$(dirname "$0")/.."
fresh=odr_up_fresh
walked=odr_up_walked
kept=odr_up_kept
. test/releases.sh
tmp=$(mktemp -d /tmp/odr-upgrade.XXXXXX)
chmod 755 "$tmp"
trap 'releases_remove; rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
q() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1"; echo "# got:      $2"; echo "# expected: $3"; fi; }

newest=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" odr.control)
check "make install ships no earlier release's install script (only $newest can be created)" \
  "$(q -d postgres -c "SELECT string_agg(version, ',') FROM pg_available_extension_versions WHERE name = 'odr'")" "$newest"
# the first release, from its frozen install script
oldest=0.1.0
releases_install
path=$(q -d postgres -c "SELECT path FROM pg_extension_update_paths('odr') WHERE source = '$oldest' AND target = '$newest'")
echo "# walking $path"
check "an update path leads from $oldest to $newest" "$([ -n "$path" ] && [ "$oldest" != "$newest" ] && echo yes)" yes

for db in $fresh $walked $kept; do
  q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
done
q -d $fresh -c "CREATE EXTENSION odr"

# walk: CREATE at the oldest version, then each step of the path
walk() {
  local db=$1 v
  q -d "$db" -c "CREATE EXTENSION odr VERSION '$oldest'"
  for v in $(echo "$path" | sed 's/--/ /g' | cut -d' ' -f2-); do
    q -d "$db" -c "ALTER EXTENSION odr UPDATE TO '$v'"
  done
}
walk $walked
check "walked database is at $newest" "$(q -d $walked -c "SELECT extversion FROM pg_extension WHERE extname = 'odr'")" "$newest"

# 1. the same objects, definitions, comments, privileges and built-in rows
q -d $fresh -f test/upgrade/snapshot.sql >"$tmp/fresh.txt"
q -d $walked -f test/upgrade/snapshot.sql >"$tmp/walked.txt"
if diff -u "$tmp/fresh.txt" "$tmp/walked.txt" >"$tmp/snapshot.diff"; then
  ok "updated database has exactly the objects of a fresh install ($(grep -c '^[^ ]' "$tmp/fresh.txt") objects, definitions, comments, privileges, built-in rows)"
else
  notok "updated database differs from a fresh install"
  sed 's/^/# /' "$tmp/snapshot.diff" | head -80
fi

# 2. data stored under the oldest version survives the walk and keeps working
q -d $kept -c "CREATE EXTENSION odr VERSION '$oldest'"
q -d $kept >/dev/null <<'SQL'
CREATE TABLE keep_orders AS
SELECT g AS id, g % 25 AS seller, date '2026-05-01' + g % 180 AS day,
       odr_classify(feedback_stars => 1 + g % 5, dsr_item => 1 + g % 4, dsr_shipping => 1 + g % 3,
                    unshipped => g % 17 = 0, arbitration => g % 31 = 0,
                    arbitration_seller_responsible => g % 62 = 0, order_amount_usd => g % 11) AS defects
FROM generate_series(1, 20000) g;
CREATE TABLE keep_summaries AS SELECT seller, day, odr_agg(defects) AS summary FROM keep_orders GROUP BY 1, 2;
SELECT count(*) FROM odr_create_warehouse('keep_orders', 'seller', 'day', 'defects', prefix => 'keep_');
INSERT INTO odr_policy (name, description, min_orders, excellent_below, good_below, pass_below)
VALUES ('keep_house', 'kept across the upgrade', 50, 0.02, 0.05, 0.5);
SQL
state() {
  q -d $kept -c "SELECT md5(string_agg(id || ':' || defects::text, ',' ORDER BY id)) FROM keep_orders" \
             -c "SELECT md5(string_agg(seller || day::text || summary::text, ',' ORDER BY seller, day)) FROM keep_summaries" \
             -c "SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM keep_daily t" \
             -c "SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM keep_month_end t" \
             -c "SELECT md5(string_agg(seller || ':' || odr_tier(s, 'keep_house'), ',' ORDER BY seller)) FROM (SELECT seller, odr_rollup(summary) AS s FROM keep_summaries GROUP BY 1) x" \
             -c "SELECT string_agg(name || '/' || builtin, ',' ORDER BY name) FROM odr_policy"
}
before=$(state)
walk_kept() {
  local v
  for v in $(echo "$path" | sed 's/--/ /g' | cut -d' ' -f2-); do
    q -d $kept -c "ALTER EXTENSION odr UPDATE TO '$v'"
  done
}
walk_kept
after=$(state)
check "stored verdicts, summaries, warehouse views and the user policy read the same after the update" "$after" "$before"
q -d $kept -c "INSERT INTO keep_orders SELECT 20001, 3, date '2026-10-30', odr_classify(feedback_stars => 1)" \
           -c "REFRESH MATERIALIZED VIEW CONCURRENTLY keep_daily" >/dev/null
check "the warehouse made under $oldest refreshes concurrently under $newest and sees new orders" \
  "$(q -d $kept -c "SELECT odr_orders(summary) - (SELECT count(*) FROM keep_orders WHERE seller = 3 AND day = '2026-10-30') FROM keep_daily WHERE seller_id = 3 AND day = '2026-10-30'")" "0"
check "a summary made under $oldest equals one recomputed under $newest" \
  "$(q -d $kept -c "SELECT count(*) FROM (SELECT seller, day, summary FROM keep_summaries EXCEPT SELECT seller, day, odr_agg(defects) FROM keep_orders WHERE id <= 20000 GROUP BY 1, 2) x")" "0"

# 3. the same results: pg_regress and pgTAP on the walked database
rm -rf "$tmp/regress"
mkdir -p "$tmp/regress" results   # the binary COPY round trips write to results/
if make -s PG_CONFIG="${PG_CONFIG:-pg_config}" installcheck \
     REGRESS_OPTS="--use-existing --dbname=$walked --outputdir=$tmp/regress" >"$tmp/regress.log" 2>&1; then
  ok "pg_regress suite passes unchanged on the updated database ($(grep -cE '\.\.\. ok|^ok [0-9]+ +[-+] ' "$tmp/regress.log") files)"
else
  notok "pg_regress suite on the updated database"
  sed 's/^/# /' "$tmp/regress/regression.diffs" 2>/dev/null | head -60 || sed 's/^/# /' "$tmp/regress.log"
fi
q -d $walked -c "CREATE EXTENSION IF NOT EXISTS pgtap"
if PGDATABASE=$walked pg_prove --ext .sql -r test/pgtap >"$tmp/prove.log" 2>&1; then
  ok "pgTAP suite passes on the updated database ($(sed -n 's/^Files=\([0-9]*\), Tests=\([0-9]*\).*/\1 files, \2 tests/p' "$tmp/prove.log"))"
else
  notok "pgTAP suite on the updated database"
  grep -v '^ok' "$tmp/prove.log" | sed 's/^/# /' | head -60
fi

echo "1..$n"
q -d postgres -c "DROP DATABASE $fresh" -c "DROP DATABASE $walked" -c "DROP DATABASE $kept"
