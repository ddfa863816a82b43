#!/usr/bin/env bash
# bench/incremental.sh — the incremental warehouse (odr_create_warehouse(...,
# incremental => true)) against the materialised one, on a throwaway
# cluster, for the three figures of issue 16, side by side in one run:
#   1. refresh after one day's new orders plus 0.1% of the old orders
#      updated: odr_refresh_warehouse of the incremental warehouse against
#      that of the materialised one, on the same table after the same change
#      (largest size; target: at least 50x faster);
#   2. a bulk INSERT of BENCH_INC_INSERT orders into the table with the
#      capture triggers on against off (same table, alternated; target: at
#      most 1.3x);
#   3. the incremental refresh after the same change on every size (target:
#      the largest within 1.5x of the smallest).
# History grows in time, as a real one does: every size has BENCH_INC_PER_DAY
# orders a day, so 2M orders are 365 days and 10M are 1825.  After every
# round the incremental warehouse is checked equal to the materialised one.
# Writes a section of bench/RESULTS.md (between its markers, the rest kept);
# raw timings go to bench/results/incremental-<stamp>/ (not committed).
#
# Environment (defaults in brackets):
#   BENCH_INC_SIZES ["2000000 10000000"]  orders of each data set
#   BENCH_INC_PER_DAY [5480]   orders a day (5480 x 365 = 2M)
#   BENCH_INC_SELLERS [2000]   sellers (Zipf-like volumes, as bench/generate.sql)
#   BENCH_INC_UPDATE [0.001]   share of the largest size's orders updated by a change
#   BENCH_INC_INSERT [1000000] orders of the bulk insert (figure 2)
#   BENCH_INC_REPEAT [3]       rounds of every measurement (medians reported)
#   BENCH_OUT [bench/RESULTS.md]
#   PG_CONFIG                  the PostgreSQL whose odr is measured (make install first)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
SIZES=${BENCH_INC_SIZES:-2000000 10000000}
PER_DAY=${BENCH_INC_PER_DAY:-5480}
SELLERS=${BENCH_INC_SELLERS:-2000}
UPDATE_SHARE=${BENCH_INC_UPDATE:-0.001}
INSERT_ROWS=${BENCH_INC_INSERT:-1000000}
REPEAT=${BENCH_INC_REPEAT:-3}
OUT=${BENCH_OUT:-$here/RESULTS.md}
command_line="bench/incremental.sh"
for v in BENCH_INC_SIZES BENCH_INC_PER_DAY BENCH_INC_SELLERS BENCH_INC_UPDATE BENCH_INC_INSERT BENCH_INC_REPEAT; do
  [ -n "${!v+x}" ] && command_line="$v=\"${!v}\" $command_line"
done
largest=$(echo "$SIZES" | tr ' ' '\n' | sort -n | tail -1)
smallest=$(echo "$SIZES" | tr ' ' '\n' | sort -n | head -1)
UPDATES=$(awk -v n="$largest" -v s="$UPDATE_SHARE" 'BEGIN { printf "%d", n * s }')

stamp=$(date -u +%Y%m%dT%H%M%SZ)
res=$here/results/incremental-$stamp
mkdir -p "$res"
cluster=$(mktemp -d)
chmod 755 "$cluster"
trap '"$repo/tools/cluster.sh" stop "$cluster" >/dev/null 2>&1 || true' EXIT
settings="shared_buffers = 4GB
work_mem = 256MB
maintenance_work_mem = 1GB
jit = off
autovacuum = off
wal_level = minimal
max_wal_senders = 0
max_wal_size = 8GB
checkpoint_timeout = 1h"
eval "$(ODR_PG_CONF="$settings" "$repo/tools/cluster.sh" start "$cluster")"
q() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
t0=$(date +%s)

q <<'SQL'
CREATE EXTENSION odr;
-- the time of a statement, in ms (server side)
CREATE FUNCTION bench_ms(statement text) RETURNS double precision LANGUAGE plpgsql AS $$
DECLARE t timestamptz := clock_timestamp();
BEGIN
	EXECUTE statement;
	RETURN extract(epoch FROM clock_timestamp() - t) * 1000;
END
$$;
CREATE TABLE bench_timing (size bigint, what text, round int, ms double precision);
-- N orders of the day d, ids from first_id, deterministic
CREATE FUNCTION bench_orders_of(first_id bigint, n bigint, first_day date, days int, sellers int)
RETURNS TABLE (order_id bigint, seller_id int, finished_on date, feedback_stars int, unshipped boolean, arbitration boolean)
LANGUAGE sql AS $$
	SELECT g, 1 + floor(sellers * power((hashint8extended(g, 1) & 1048575) / 1048576.0, 3))::int,
	       first_day + (hashint8extended(g, 2) & 1048575)::int % days,
	       CASE WHEN (hashint8extended(g, 3) & 1023) < 460 THEN 1 + (hashint8extended(g, 4) & 1023)::int % 5 END,
	       (hashint8extended(g, 5) & 1023) < 12, (hashint8extended(g, 6) & 1023) < 5
	FROM generate_series(first_id, first_id + n - 1) AS g
$$;
SQL

for size in $SIZES; do
  days=$((size / PER_DAY))
  echo "== $size orders over $days days"
  q -v size="$size" -v days="$days" -v sellers="$SELLERS" <<'SQL'
DROP TABLE IF EXISTS bench_inc_orders CASCADE;
DROP TABLE IF EXISTS inc_daily, inc_segments, inc_changes, inc_claimed CASCADE;
DROP FUNCTION IF EXISTS inc_capture();
CREATE TABLE bench_inc_orders (
	order_id bigint PRIMARY KEY,
	seller_id int NOT NULL,
	finished_on date NOT NULL,
	feedback_stars int,
	unshipped boolean,
	arbitration boolean,
	defects odr_defects GENERATED ALWAYS AS (odr_classify(feedback_stars => feedback_stars, unshipped => unshipped,
	                                                      arbitration => arbitration)) STORED);
INSERT INTO bench_inc_orders (order_id, seller_id, finished_on, feedback_stars, unshipped, arbitration)
SELECT * FROM bench_orders_of(1, :size, date '2026-10-31' - :days + 1, :days, :sellers) ORDER BY finished_on, order_id;
-- the incremental refresh reads the touched (seller, day) rows by this index
CREATE INDEX bench_inc_orders_seller_day ON bench_inc_orders (seller_id, finished_on);
VACUUM ANALYZE bench_inc_orders;
SELECT count(*) AS full_objects FROM odr_create_warehouse('bench_inc_orders', 'seller_id', 'finished_on', 'defects', prefix => 'full_') \gset
SELECT count(*) AS inc_objects FROM odr_create_warehouse('bench_inc_orders', 'seller_id', 'finished_on', 'defects', prefix => 'inc_',
                                          incremental => true) \gset
VACUUM ANALYZE;
SQL
  for r in $(seq 1 "$REPEAT"); do
    # the change: the orders of one new day, and UPDATES old orders rated again
    q -v size="$size" -v r="$r" -v per_day="$PER_DAY" -v updates="$UPDATES" -v sellers="$SELLERS" <<'SQL'
INSERT INTO bench_timing
SELECT :size, 'change', :r, bench_ms(format(
	$q$INSERT INTO bench_inc_orders (order_id, seller_id, finished_on, feedback_stars, unshipped, arbitration)
	   SELECT * FROM bench_orders_of(%s, %s, date '2026-10-31' + %s, 1, %s)$q$,
	100000000 * :r, :per_day, :r, :sellers))
  + bench_ms(format(
	$q$UPDATE bench_inc_orders SET feedback_stars = 1 + coalesce(feedback_stars, 0) %% 5
	   WHERE order_id IN (SELECT 1 + (k * 7919 + %s * 104729) %% %s FROM generate_series(1, %s) AS k)$q$,
	:r, :size, :updates));
INSERT INTO bench_timing SELECT :size, 'incremental refresh', :r, bench_ms($$SELECT count(*) FROM odr_refresh_warehouse('inc_daily')$$);
INSERT INTO bench_timing SELECT :size, 'full refresh', :r, bench_ms($$SELECT count(*) FROM odr_refresh_warehouse('full_daily')$$);
-- the incremental warehouse equals the materialised one
DO $$
BEGIN
	IF EXISTS ((TABLE inc_daily EXCEPT ALL TABLE full_daily) UNION ALL (TABLE full_daily EXCEPT ALL TABLE inc_daily))
	   OR EXISTS ((TABLE inc_segments EXCEPT ALL TABLE full_segments) UNION ALL (TABLE full_segments EXCEPT ALL TABLE inc_segments))
	   OR EXISTS ((TABLE inc_month_end EXCEPT ALL TABLE full_month_end) UNION ALL (TABLE full_month_end EXCEPT ALL TABLE inc_month_end)) THEN
		RAISE EXCEPTION 'the incremental warehouse differs from the materialised one';
	END IF;
END
$$;
SQL
    echo "   round $r: $(q -c "SELECT string_agg(what || ' ' || round(ms::numeric) || ' ms', ', ' ORDER BY what) FROM bench_timing WHERE size = $size AND round = $r")"
  done
  q -c "SELECT pg_size_pretty(pg_total_relation_size('bench_inc_orders')), (SELECT count(*) FROM inc_daily), (SELECT count(*) FROM inc_segments)" \
    | sed "s/^/   table, daily rows, segment rows: /"
  q -v size="$size" -c "INSERT INTO bench_timing SELECT $size, 'daily rows', 0, count(*) FROM inc_daily" \
    -c "INSERT INTO bench_timing SELECT $size, 'segment rows', 0, count(*) FROM inc_segments"

  if [ "$size" = "$smallest" ]; then
    # figure 2: a bulk insert with the capture on and off, alternated
    for r in $(seq 1 "$REPEAT"); do
      for mode in off on; do
        q -v size="$size" -v r="$r" -v n="$INSERT_ROWS" -v mode="$mode" -v sellers="$SELLERS" -v days="$days" <<'SQL'
SELECT CASE WHEN :'mode' = 'off' THEN 'DISABLE' ELSE 'ENABLE' END AS what \gset
ALTER TABLE bench_inc_orders :what TRIGGER inc_capture_insert;
CHECKPOINT;
INSERT INTO bench_timing
SELECT :size, 'bulk insert, capture ' || :'mode', :r, bench_ms(format(
	$q$INSERT INTO bench_inc_orders (order_id, seller_id, finished_on, feedback_stars, unshipped, arbitration)
	   SELECT * FROM bench_orders_of(%s, %s, date '2026-10-31' - %s + 1, %s, %s)$q$,
	500000000, :n, :days, :days, :sellers));
ALTER TABLE bench_inc_orders DISABLE TRIGGER inc_capture_delete;
DELETE FROM bench_inc_orders WHERE order_id >= 500000000;
ALTER TABLE bench_inc_orders ENABLE TRIGGER inc_capture_delete;
ALTER TABLE bench_inc_orders ENABLE TRIGGER inc_capture_insert;
TRUNCATE inc_changes;
VACUUM bench_inc_orders;
SQL
      done
      echo "   bulk insert round $r: $(q -c "SELECT string_agg(what || ' ' || round(ms::numeric) || ' ms', ', ' ORDER BY what) FROM bench_timing WHERE what LIKE 'bulk%' AND round = $r")"
    done
  fi
done
t1=$(date +%s)
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
q -c "COPY bench_timing TO STDOUT WITH CSV HEADER" >"$res/timings.csv"

# medians
med() { q -c "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM bench_timing WHERE size = $1 AND what = '$2'"; }
fmt() { awk -v x="$1" 'BEGIN { if (x >= 1000) printf "%.2f s", x / 1000; else printf "%.0f ms", x }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
inc_large=$(med "$largest" 'incremental refresh'); full_large=$(med "$largest" 'full refresh')
inc_small=$(med "$smallest" 'incremental refresh'); full_small=$(med "$smallest" 'full refresh')
ins_off=$(med "$smallest" 'bulk insert, capture off'); ins_on=$(med "$smallest" 'bulk insert, capture on')
r1=$(ratio "$full_large" "$inc_large"); r2=$(ratio "$ins_on" "$ins_off"); r3=$(ratio "$inc_large" "$inc_small")
pass() { awk -v x="$1" -v op="$2" -v t="$3" 'BEGIN { ok = (op == ">=") ? x >= t : x <= t; print ok ? "met" : "**missed**" }'; }
sizes_rows=""
for size in $SIZES; do
  sizes_rows+="| $size orders, $((size / PER_DAY)) days | $(fmt "$(med "$size" 'change')") | $(fmt "$(med "$size" 'incremental refresh')") | $(fmt "$(med "$size" 'full refresh')") | $(ratio "$(med "$size" 'full refresh')" "$(med "$size" 'incremental refresh')")x | $(med "$size" 'daily rows' | cut -d. -f1) / $(med "$size" 'segment rows' | cut -d. -f1) |
"
done
pgv=$(q -c "SELECT version()")
odrv=$(q -c "SELECT extversion FROM pg_extension WHERE extname = 'odr'")
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)

section=$(cat <<EOF
<!-- bench/incremental.sh: begin -->
## Incremental warehouse (issue 16)

Generated by \`bench/incremental.sh\` on $(date -u '+%Y-%m-%d %H:%M') UTC; raw timings in
\`bench/results/incremental-$stamp/\` (not committed).

| | |
|---|---|
| command | \`$command_line\` |
| PostgreSQL | $pgv |
| odr | $odrv, installed for PG_CONFIG (this run: built from commit $commit with git archive) |
| machine | $(nproc) cores, $mem memory, CPU: $cpu; shared with other work (load average $load_start at start, $load_end at the end) |
| run time | $((t1 - t0)) s |
| data | \`bench_inc_orders\`: $PER_DAY orders a day, $SELLERS sellers with Zipf-like volumes, ratings, unshipped and arbitrations from a hash of the order id, loaded in day order (as orders arrive); a generated \`odr_defects\` column; an index on (seller_id, finished_on); the larger size is a longer history, not a denser one |
| change | the orders of one new day ($PER_DAY) plus $UPDATES old orders rated again ($UPDATE_SHARE of $largest), the same on every size |
| timing | server side (\`clock_timestamp()\` around the statement), median of $REPEAT rounds; after every round the incremental warehouse's daily, segments and month-end rows equal the materialised one's |
| settings | shared_buffers = 4GB, work_mem = 256MB, jit = off, autovacuum = off, fsync = off (tools/cluster.sh) |

| figure | incremental | other | ratio | target | |
|---|---|---|---|---|---|
| refresh after the change, $largest orders: \`odr_refresh_warehouse\` incremental against materialised (\`REFRESH ... CONCURRENTLY\`) | $(fmt "$inc_large") | $(fmt "$full_large") | **${r1}x faster** | ≥ 50x | $(pass "$r1" ">=" 50) |
| bulk INSERT of $INSERT_ROWS orders into the $smallest-order table, capture on against off | $(fmt "$ins_on") | $(fmt "$ins_off") | **${r2}x** | ≤ 1.3x | $(pass "$r2" "<=" 1.3) |
| incremental refresh after the same change, $largest against $smallest orders | $(fmt "$inc_large") | $(fmt "$inc_small") | **${r3}x** | ≤ 1.5x | $(pass "$r3" "<=" 1.5) |

Per size (medians):

| data | applying the change | incremental refresh | materialised refresh | ratio | daily / segment rows |
|---|---|---|---|---|---|
$sizes_rows
<!-- bench/incremental.sh: end -->
EOF
)
if grep -q '<!-- bench/incremental.sh: begin -->' "$OUT" 2>/dev/null; then
  awk -v s="$section" '
    /<!-- bench\/incremental.sh: begin -->/ { print s; skip = 1; next }
    /<!-- bench\/incremental.sh: end -->/ { skip = 0; next }
    !skip { print }' "$OUT" >"$OUT.tmp" && mv "$OUT.tmp" "$OUT"
else
  printf '\n%s\n' "$section" >>"$OUT"
fi
echo "$section"
