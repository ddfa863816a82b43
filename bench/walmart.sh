#!/usr/bin/env bash
# bench/walmart.sh — the figure of issue 15: the Walmart assessment (rules
# M3.1, M3.2) of every seller over one window, side by side with the plain
# SQL a user would write for the same numbers, in one run, on a throwaway
# cluster with odr built from the repository's last commit (bench/lib.sh):
#   odr:   odr_assess(o, 'walmart', as_of) by seller over the orders
#          (odr_walmart_order) and buyer messages (odr_walmart_message) of
#          the window, UNION ALL, then the status and the six rates with
#          their denominators (odr_level, odr_metric_value);
#   plain: count(*) FILTER (...) by seller over the same rows, each rate
#          over its own denominator, window and date basis, and the status.
# Target: within 1.2x.  Both sides are checked equal (every seller: status,
# six rates as the same double, five denominators) before any timing; a
# difference stops the run.  Timing is server side (clock_timestamp()
# around the statement): one warm-up round, then BENCH_WM_REPEAT rounds with
# odr and plain interleaved; medians reported, with the same two queries
# serially (max_parallel_workers_per_gather = 0) as a reported line.
# Writes its section of bench/RESULTS.md (between its markers, the rest
# kept); raw timings, queries and plans go to bench/results/walmart-<stamp>/.
#
# Environment (defaults in brackets):
#   BENCH_WM_ORDERS [1000000]     orders, order dates over the 120 days to as_of
#   BENCH_WM_MESSAGES [250000]    buyer messages over the same days
#   BENCH_WM_SELLERS [3000]       sellers (Zipf-like volumes)
#   BENCH_WM_REPEAT [5]           timed rounds (after a warm-up)
#   BENCH_ODR_SRC [HEAD]          as bench/marketplace.sh (bench/lib.sh)
#   BENCH_OUT [bench/RESULTS.md]
#   PG_CONFIG                     the PostgreSQL to copy (or to use)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
ORDERS=${BENCH_WM_ORDERS:-1000000}
MESSAGES=${BENCH_WM_MESSAGES:-250000}
SELLERS=${BENCH_WM_SELLERS:-3000}
REPEAT=${BENCH_WM_REPEAT:-5}
SRC=${BENCH_ODR_SRC:-HEAD}
OUT=${BENCH_OUT:-$here/RESULTS.md}
AS_OF=2026-04-30
command_line="bench/walmart.sh"
for v in BENCH_WM_ORDERS BENCH_WM_MESSAGES BENCH_WM_SELLERS BENCH_WM_REPEAT BENCH_ODR_SRC; do
  [ -n "${!v+x}" ] && command_line="$v=\"${!v}\" $command_line"
done

bench_name=walmart
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
bench_start

# ---------------------------------------------------------------------------
# data: every value from a hash of the row number (never random())
# ---------------------------------------------------------------------------
log "loading $ORDERS orders and $MESSAGES buyer messages of $SELLERS sellers"
q -v orders="$ORDERS" -v messages="$MESSAGES" -v sellers="$SELLERS" -v as_of="$AS_OF" >"$res/load.log" <<'SQL'
CREATE EXTENSION odr;
CREATE FUNCTION bench_ms(statement text) RETURNS double precision LANGUAGE plpgsql AS $$
DECLARE t timestamptz := clock_timestamp();
BEGIN
	EXECUTE 'SELECT count(*) FROM (' || statement || ') AS x';
	RETURN extract(epoch FROM clock_timestamp() - t) * 1000;
END $$;
CREATE FUNCTION pg_temp.h(k bigint, salt int) RETURNS bigint LANGUAGE sql IMMUTABLE
RETURN hashint8extended(k, salt) & 2147483647;
CREATE TABLE bench_wm_orders AS
SELECT g AS order_id, s AS seller_id, d AS order_date,
       CASE WHEN pg_temp.h(g, 2) % 1000 < 4 + s % 4 * 4 THEN 'seller' WHEN pg_temp.h(g, 2) % 1000 < 40 THEN 'auto'
            WHEN pg_temp.h(g, 2) % 1000 < 60 THEN 'buyer' END AS cancelled_by,
       CASE WHEN pg_temp.h(g, 2) % 1000 >= 40 THEN (d + 1) + time '15:00' AT TIME ZONE 'UTC' END AS shipped_at,
       pg_temp.h(g, 3) % 1000 >= s % 3 * 6 AS tracking_valid,
       d + 3 + (pg_temp.h(g, 4) % 5)::int AS expected_delivery_date,
       CASE WHEN pg_temp.h(g, 2) % 1000 >= 40 AND pg_temp.h(g, 5) % 100 < 95 THEN
            (d + 2 + (pg_temp.h(g, 4) % 5)::int + (pg_temp.h(g, 6) % 100 < 2 + s % 5 * 3)::int * 3) + time '12:00' AT TIME ZONE 'UTC' END AS delivered_at,
       pg_temp.h(g, 7) % 1000 < 10 + s % 4 * 15 AS seller_responsible_refund,
       CASE WHEN pg_temp.h(g, 8) % 4 = 0 THEN
            CASE WHEN pg_temp.h(g, 9) % 1000 < s % 6 * 5 THEN 1 + (pg_temp.h(g, 9) % 2)::int ELSE 4 + (pg_temp.h(g, 9) % 2)::int END END AS item_rating,
       CASE WHEN pg_temp.h(g, 10) % 5 = 0 THEN 3 + (pg_temp.h(g, 11) % 3)::int END AS seller_rating
FROM (SELECT g, 1 + floor(:sellers * power((pg_temp.h(g, 1) % 1000000) / 1000000.0, 3))::int AS s,
             (:'as_of')::date - (pg_temp.h(g, 12) % 120)::int AS d
      FROM generate_series(1, :orders) AS g) AS x;
CREATE TABLE bench_wm_messages AS
SELECT g AS message_id, s AS seller_id, r AS received_at,
       CASE WHEN pg_temp.h(g, 22) % 1000 < 5 + s % 3 * 10 THEN NULL
            ELSE r + (pg_temp.h(g, 23) % ((40 + s % 4 * 4) * 3600)) * interval '1 second' END AS answered_at
FROM (SELECT g, 1 + floor(:sellers * power((pg_temp.h(g, 21) % 1000000) / 1000000.0, 3))::int AS s,
             ((:'as_of')::date - 119)::timestamp AT TIME ZONE 'UTC'
                 + (pg_temp.h(g, 24) % (120 * 86400)) * interval '1 second' AS r
      FROM generate_series(1, :messages) AS g) AS x;
VACUUM ANALYZE bench_wm_orders;
VACUUM ANALYZE bench_wm_messages;
SQL

# ---------------------------------------------------------------------------
# the two queries
# ---------------------------------------------------------------------------
wm_odr="SELECT seller_id, odr_level(s) AS status,
       odr_metric_value(s, 'cancellation_rate') AS cancellation_rate, odr_metric_value(s, 'on_time_delivery_rate') AS on_time_rate,
       odr_metric_value(s, 'valid_tracking_rate') AS tracking_rate, odr_metric_value(s, 'refund_rate') AS refund_rate,
       odr_metric_value(s, 'seller_response_rate') AS response_rate, odr_metric_value(s, 'negative_feedback_rate') AS negative_rate,
       odr_metric_value(s, 'orders')::bigint AS orders, odr_metric_value(s, 'delivered')::bigint AS delivered,
       odr_metric_value(s, 'shipped')::bigint AS shipped, odr_metric_value(s, 'rated')::bigint AS rated,
       odr_metric_value(s, 'messages')::bigint AS messages
FROM (SELECT seller_id, odr_assess(o, 'walmart', date '$AS_OF') AS s
      FROM (SELECT seller_id, odr_walmart_order(order_date, cancelled_by, shipped_at, tracking_valid, expected_delivery_date,
                                                delivered_at, seller_responsible_refund, item_rating, seller_rating) AS o
            FROM bench_wm_orders
            WHERE order_date BETWEEN date '$AS_OF' - 59 AND date '$AS_OF'
               OR expected_delivery_date BETWEEN date '$AS_OF' - 29 AND date '$AS_OF'
            UNION ALL
            SELECT seller_id, odr_walmart_message(received_at, answered_at)
            FROM bench_wm_messages
            WHERE received_at >= (date '$AS_OF' - 29)::timestamp AT TIME ZONE 'UTC'
              AND received_at < (date '$AS_OF' + 1)::timestamp AT TIME ZONE 'UTC') AS r
      GROUP BY seller_id) AS q"
wm_plain="WITH o AS (
	SELECT seller_id,
	       count(*) FILTER (WHERE order_date >= date '$AS_OF' - 29) AS orders,
	       count(*) FILTER (WHERE order_date >= date '$AS_OF' - 29 AND cancelled_by = 'seller') AS cancelled,
	       count(*) FILTER (WHERE order_date >= date '$AS_OF' - 29 AND shipped_at IS NOT NULL) AS shipped,
	       count(*) FILTER (WHERE order_date >= date '$AS_OF' - 29 AND shipped_at IS NOT NULL AND tracking_valid) AS tracked,
	       count(*) FILTER (WHERE expected_delivery_date BETWEEN date '$AS_OF' - 29 AND date '$AS_OF' AND delivered_at IS NOT NULL) AS delivered,
	       count(*) FILTER (WHERE expected_delivery_date BETWEEN date '$AS_OF' - 29 AND date '$AS_OF' AND delivered_at IS NOT NULL
	                          AND (delivered_at AT TIME ZONE 'UTC')::date <= expected_delivery_date) AS on_time,
	       count(*) FILTER (WHERE order_date >= date '$AS_OF' - 29 AND seller_responsible_refund) AS refunds,
	       count(*) FILTER (WHERE order_date BETWEEN date '$AS_OF' - 59 AND date '$AS_OF' AND (item_rating IS NOT NULL OR seller_rating IS NOT NULL)) AS rated,
	       count(*) FILTER (WHERE order_date BETWEEN date '$AS_OF' - 59 AND date '$AS_OF' AND LEAST(item_rating, seller_rating) <= 2) AS negative
	FROM bench_wm_orders
	WHERE order_date BETWEEN date '$AS_OF' - 59 AND date '$AS_OF'
	   OR expected_delivery_date BETWEEN date '$AS_OF' - 29 AND date '$AS_OF'
	GROUP BY seller_id),
m AS (
	SELECT seller_id, count(*) AS messages, count(*) FILTER (WHERE answered_at <= received_at + interval '48 hours') AS answered
	FROM bench_wm_messages
	WHERE received_at >= (date '$AS_OF' - 29)::timestamp AT TIME ZONE 'UTC'
	  AND received_at < (date '$AS_OF' + 1)::timestamp AT TIME ZONE 'UTC'
	GROUP BY seller_id)
SELECT seller_id,
       CASE WHEN (coalesce(o.orders, 0) > 0 AND o.cancelled > 0.02 * o.orders)
              OR (coalesce(o.delivered, 0) > 0 AND o.on_time < 0.90 * o.delivered)
              OR (coalesce(o.shipped, 0) > 0 AND o.tracked < 0.99 * o.shipped)
              OR (coalesce(o.orders, 0) > 0 AND o.refunds > 0.06 * o.orders)
              OR (coalesce(m.messages, 0) > 0 AND m.answered < 0.95 * m.messages)
              OR (coalesce(o.rated, 0) > 0 AND o.negative > 0.02 * o.rated)
            THEN 'below_standards' ELSE 'meets_standards' END AS status,
       o.cancelled::float8 / NULLIF(o.orders, 0) AS cancellation_rate, o.on_time::float8 / NULLIF(o.delivered, 0) AS on_time_rate,
       o.tracked::float8 / NULLIF(o.shipped, 0) AS tracking_rate, o.refunds::float8 / NULLIF(o.orders, 0) AS refund_rate,
       m.answered::float8 / NULLIF(m.messages, 0) AS response_rate, o.negative::float8 / NULLIF(o.rated, 0) AS negative_rate,
       coalesce(o.orders, 0) AS orders, coalesce(o.delivered, 0) AS delivered, coalesce(o.shipped, 0) AS shipped,
       coalesce(o.rated, 0) AS rated, coalesce(m.messages, 0) AS messages
FROM o FULL JOIN m USING (seller_id)"
printf '%s;\n' "$wm_odr" >"$res/walmart_odr.sql"
printf '%s;\n' "$wm_plain" >"$res/walmart_plain.sql"
q -c "CREATE TABLE bench_query (name text PRIMARY KEY, sql text NOT NULL)"
q -v a="$wm_odr" -v b="$wm_plain" <<'SQL'
INSERT INTO bench_query VALUES ('walmart_odr', :'a'), ('walmart_plain', :'b');
SQL
for n in walmart_odr walmart_plain; do
  q -c "EXPLAIN (COSTS OFF) $(q -c "SELECT sql FROM bench_query WHERE name = '$n'")" >"$res/$n.plan"
done

# ---------------------------------------------------------------------------
# equal answers first
# ---------------------------------------------------------------------------
log "checking that odr and plain SQL give the same answers"
q -c "CREATE TABLE r_odr AS $wm_odr" -c "CREATE TABLE r_plain AS $wm_plain"
diff_rows=$(q -c "SELECT (SELECT count(*) FROM (TABLE r_odr EXCEPT ALL TABLE r_plain) a) + (SELECT count(*) FROM (TABLE r_plain EXCEPT ALL TABLE r_odr) b)")
[ "$diff_rows" = 0 ] || die "odr and plain SQL differ on $diff_rows rows (tables r_odr, r_plain)"
sellers_graded=$(q -c "SELECT count(*) FROM r_odr")
status_mix=$(q -c "SELECT string_agg(status || ' ' || n, ', ' ORDER BY status) FROM (SELECT status, count(*) AS n FROM r_odr GROUP BY 1) x")
rows_in=$(q -c "SELECT sum(orders) + sum(messages) FROM r_plain")
log "checked: $sellers_graded sellers ($status_mix), equal"

# ---------------------------------------------------------------------------
# timing: odr and plain interleaved, parallel (the settings) and serial
# ---------------------------------------------------------------------------
q -c "CREATE TABLE bench_timing (what text, round int, ms double precision)"
for r in $(seq 0 "$REPEAT"); do
  q -v r="$r" <<'SQL'
INSERT INTO bench_timing SELECT 'walmart_odr', :r, bench_ms(sql) FROM bench_query WHERE name = 'walmart_odr';
INSERT INTO bench_timing SELECT 'walmart_plain', :r, bench_ms(sql) FROM bench_query WHERE name = 'walmart_plain';
SET max_parallel_workers_per_gather = 0;
INSERT INTO bench_timing SELECT 'walmart_odr_serial', :r, bench_ms(sql) FROM bench_query WHERE name = 'walmart_odr';
INSERT INTO bench_timing SELECT 'walmart_plain_serial', :r, bench_ms(sql) FROM bench_query WHERE name = 'walmart_plain';
SQL
  log "round $r: $(q -c "SELECT string_agg(what || ' ' || round(ms) || ' ms', ', ' ORDER BY what) FROM bench_timing WHERE round = $r")"
done
q -c "COPY bench_timing TO STDOUT WITH CSV HEADER" >"$res/timings.csv"

# ---------------------------------------------------------------------------
# the section of bench/RESULTS.md
# ---------------------------------------------------------------------------
med() { q -c "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM bench_timing WHERE what = '$1' AND round > 0"; }
spread() { q -c "SELECT round(min(ms)::numeric) || '–' || round(max(ms)::numeric) FROM bench_timing WHERE what = '$1' AND round > 0"; }
fmt() { awk -v x="$1" 'BEGIN { if (x >= 1000) printf "%.2f s", x / 1000; else printf "%.0f ms", x }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
odr_ms=$(med walmart_odr); plain_ms=$(med walmart_plain)
odr_s=$(med walmart_odr_serial); plain_s=$(med walmart_plain_serial)
r1=$(ratio "$odr_ms" "$plain_ms"); r2=$(ratio "$odr_s" "$plain_s")
verdict=$(awk -v x="$r1" 'BEGIN { print (x <= 1.2) ? "met" : "**missed**" }')
pgv=$(q -c "SELECT version()")
odrv=$(q -c "SELECT extversion FROM pg_extension WHERE extname = 'odr'")
cpu=$(awk -F: '/model name/ { gsub(/^ +/, "", $2); print $2; exit }' /proc/cpuinfo)
mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
section=$(cat <<EOF
<!-- bench/walmart.sh: begin -->
## Walmart: every seller's status over one window (issue 15)

Generated by \`bench/walmart.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'); raw timings, the queries
and their plans in \`bench/results/walmart-$stamp/\` (not committed).

| | |
|---|---|
| command | \`$command_line\` |
| PostgreSQL | $pgv |
| odr | $odrv, $install_desc; repository at commit $(git -C "$repo" rev-parse --short HEAD) |
| machine | $(nproc) cores, $mem memory, CPU: $cpu; load average $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end (other work on the machine shows here) |
| run time | $(( $(date +%s) - t0 )) s after the build |
| data | \`bench_wm_orders\`: $ORDERS orders over the 120 days ending $AS_OF, \`bench_wm_messages\`: $MESSAGES buyer messages over the same days, $SELLERS sellers with Zipf-like volumes; seller, auto and buyer cancels, late and missing deliveries, invalid tracking, seller-responsible refunds, item and seller ratings, messages answered in time, late or never. Every value from \`hashint8extended\` of the row number; no index |
| checks | before any timing, both queries were run into tables and compared with \`EXCEPT ALL\` both ways: every seller's status, six rates (as the same double) and five denominators; $sellers_graded sellers ($status_mix), $rows_in orders and messages in their windows |
| timing | server side (\`clock_timestamp()\` around the statement, every row computed, none sent); one warm-up round, then $REPEAT rounds, odr and plain interleaved in one session, each also with \`max_parallel_workers_per_gather = 0\`; median (min–max) |

| figure | odr | plain SQL | ratio | target | |
|---|---|---|---|---|---|
| Walmart status (M3.2) and the six rates of M3.1 of every seller on $AS_OF: \`odr_assess(o, 'walmart', ...)\` over \`odr_walmart_order\` and \`odr_walmart_message\` rows against \`count(*) FILTER (...)\` by seller | $(fmt "$odr_ms") ($(spread walmart_odr)) | $(fmt "$plain_ms") ($(spread walmart_plain)) | **${r1}x** | ≤ 1.2x | $verdict |
| (reported) the same, serially | $(fmt "$odr_s") ($(spread walmart_odr_serial)) | $(fmt "$plain_s") ($(spread walmart_plain_serial)) | ${r2}x | | |

The timed queries:

\`\`\`sql
-- odr
$wm_odr;
-- plain
$wm_plain;
\`\`\`
<!-- bench/walmart.sh: end -->
EOF
)
bench_write_section "$section" "$OUT"
