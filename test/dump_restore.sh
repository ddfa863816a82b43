#!/usr/bin/env bash
# pg_dump / pg_restore keeps odr data and user policies (TAP output).
# Needs a running server (PG* variables) with odr installed.
set -euo pipefail
BIN=$("${PG_CONFIG:-pg_config}" --bindir)
src=odr_dump_src
dst=odr_dump_dst
file=$(mktemp /tmp/odr-dump.XXXXXX)
trap 'rm -f "$file"' EXIT
q() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }

q -d postgres -c "DROP DATABASE IF EXISTS $src" -c "DROP DATABASE IF EXISTS $dst" -c "CREATE DATABASE $src" -c "CREATE DATABASE $dst"
q -d $src >/dev/null <<'SQL'
CREATE EXTENSION odr;
CREATE TABLE orders AS
SELECT g AS id, g % 10 AS seller, date '2026-08-01' + g % 90 AS day,
       odr_classify(feedback_stars => 1 + g % 5, dsr_item => 1 + g % 4, dsr_shipping => 1 + g % 3,
                    unshipped => g % 17 = 0, arbitration => g % 31 = 0,
                    arbitration_seller_responsible => g % 62 = 0, order_amount_usd => g % 11) AS d
FROM generate_series(1, 5000) g;
CREATE TABLE daily AS SELECT seller, day, odr_agg(d) AS s FROM orders GROUP BY 1, 2;
CREATE MATERIALIZED VIEW monthly AS SELECT seller, odr_rollup(s) AS s FROM daily GROUP BY seller;
CREATE UNIQUE INDEX ON monthly (seller);
INSERT INTO odr_policy (name, description, min_orders, excellent_below, good_below, pass_below)
VALUES ('house', 'our own bands', 50, 0.02, 0.05, 0.5);
INSERT INTO odr_policy_condition VALUES ('house', 'good', 'positive_feedback_rate', 'min', 0.3);
INSERT INTO odr_star_policy (name, w_on_time_rate, w_response_rate, w_quality_refund_rate, w_refund_hours, w_dispute_rate)
VALUES ('house_stars', 0.6, 0.1, 0.1, 0.1, 0.1);
INSERT INTO odr_star_level (policy, stars, min_composite) VALUES ('house_stars', 1, '-Infinity'), ('house_stars', 5, 4);
-- an incremental warehouse, with changes logged and not yet refreshed
ALTER TABLE orders ADD PRIMARY KEY (id);
SELECT count(*) AS objects FROM odr_create_warehouse('orders', 'seller', 'day', 'd', prefix => 'inc_', incremental => true);
UPDATE orders SET seller = 11 WHERE id % 100 = 0;
DELETE FROM orders WHERE id % 301 = 0;
SELECT count(*) AS views FROM odr_create_warehouse('orders', 'seller', 'day', 'd', prefix => 'wh_', policy => 'house');
SQL
"$BIN/pg_dump" -Fc -d $src -f "$file"
"$BIN/pg_restore" -d $dst --exit-on-error "$file"

n=0
check() {
  n=$((n + 1))
  local a b
  a=$(q -d $src -c "$2")
  b=$(q -d $dst -c "$2")
  if [ "$a" = "$b" ] && [ -n "$a" ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; echo "# source: $a"; echo "# restored: $b"; fi
}
check "verdicts restored (odr_defects column)" "SELECT md5(string_agg(id || ':' || d::text, ',' ORDER BY id)) FROM orders"
check "per-day summaries restored (odr_summary column)" "SELECT md5(string_agg(seller || day::text || s::text, ',' ORDER BY seller, day)) FROM daily"
check "materialised view restored" "SELECT md5(string_agg(seller || s::text, ',' ORDER BY seller)) FROM monthly"
check "user policy restored, built-in not duplicated" "SELECT string_agg(name || min_orders || excellent_below || good_below || pass_below || builtin, ';' ORDER BY name) FROM odr_policy"
check "policy condition restored" "SELECT string_agg(policy || tier || metric || bound || value, ';') FROM odr_policy_condition"
check "warehouse restored: per-day summaries (odr_create_warehouse)" "SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM wh_daily t"
check "warehouse restored: month ends, daily history, tier changes, scorecard, projection under the user policy" \
  "SELECT md5(string_agg(x, '|' ORDER BY x)) FROM (SELECT t::text AS x FROM wh_month_end t UNION ALL SELECT t::text FROM wh_daily_history t UNION ALL SELECT t::text FROM wh_tier_changes t UNION ALL SELECT t::text FROM wh_scorecard t UNION ALL SELECT t::text FROM wh_projection t) u"
check "user star policy and levels restored, built-in not duplicated" \
  "SELECT (SELECT string_agg(p::text, ';' ORDER BY p::text) FROM (SELECT name, builtin, w_on_time_rate FROM odr_star_policy) p) || ' / ' || (SELECT string_agg(l::text, ';' ORDER BY l::text) FROM odr_star_level l)"
check "incremental warehouse restored: its tables, the unrefreshed log and the fresh views" \
  "SELECT md5(string_agg(x, '|' ORDER BY x)) FROM (SELECT t::text AS x FROM inc_daily t UNION ALL SELECT t::text FROM inc_segments t UNION ALL SELECT 'log' || t::text FROM inc_changes t UNION ALL SELECT t::text FROM inc_daily_live t UNION ALL SELECT t::text FROM inc_now t) u"
check "incremental warehouse restored: the capture triggers are back on the table (and only after its rows: the restore logged nothing)" \
  "SELECT string_agg(tgname, ',' ORDER BY tgname) || ' ' || (SELECT count(*) FROM inc_changes) FROM pg_trigger WHERE tgrelid = 'orders'::regclass AND NOT tgisinternal"
check "incremental warehouse restored: writes are captured and a refresh equals the raw rows" \
  "INSERT INTO orders SELECT 100000 + g, g % 3, date '2026-10-30', '{unshipped}' FROM generate_series(1, 5) g;
   SELECT count(*) FROM odr_refresh_warehouse('inc_daily');
   SELECT 'equal' FROM ((TABLE inc_daily EXCEPT ALL SELECT seller, day, odr_agg(d) FROM orders GROUP BY 1, 2)
                         UNION ALL (SELECT seller, day, odr_agg(d) FROM orders GROUP BY 1, 2 EXCEPT ALL TABLE inc_daily)) x HAVING count(*) = 0"
check "tiers under the user policy agree" "SELECT string_agg(seller || ':' || odr_tier(s, 'house'), ',' ORDER BY seller) FROM monthly"
n=$((n + 1))
if q -d $dst -c "REFRESH MATERIALIZED VIEW CONCURRENTLY monthly" -c "REFRESH MATERIALIZED VIEW CONCURRENTLY wh_daily" >/dev/null; then echo "ok $n - restored views refresh concurrently"; else echo "not ok $n - restored views refresh concurrently"; fi
echo "1..$n"
q -d postgres -c "DROP DATABASE $src" -c "DROP DATABASE $dst"
