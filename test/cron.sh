#!/usr/bin/env bash
# pg_cron refreshes the warehouse (TAP): a cluster of its own with pg_cron
# preloaded, a real scheduled job running REFRESH MATERIALIZED VIEW
# CONCURRENTLY odr_daily, new orders that show up without a manual refresh,
# and a result equal to a recomputation from the raw rows. Bounded: gives up
# after ODR_CRON_WAIT seconds (default 150).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d /tmp/odr-cron.XXXXXX)
trap 'tools/cluster.sh stop "$dir"' EXIT
export ODR_PG_CONF="shared_preload_libraries = 'pg_cron'
cron.database_name = 'odr_cron'
cron.use_background_workers = on
max_worker_processes = 16"
eval "$(tools/cluster.sh start "$dir")"
export PGOPTIONS="-c client_min_messages=warning"
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d odr_cron "$@"; }
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE odr_cron"

n=0
fails=0
tap() {
  n=$((n + 1))
  if [ "$1" = 1 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi
}

q >/dev/null <<'SQL'
CREATE EXTENSION pg_cron;
CREATE EXTENSION odr;
CREATE TABLE orders (order_id bigint PRIMARY KEY, seller_id int, finished_on date, rating int, unshipped bool);
INSERT INTO orders
SELECT g, g % 25, date '2025-11-01' + (g * 11 % 365), CASE WHEN g % 4 = 0 THEN 1 + g % 5 END, g % 29 = 0
FROM generate_series(1, 8000) g;
CREATE VIEW classified AS
SELECT order_id, seller_id, finished_on,
       odr_classify(feedback_stars => rating, unshipped => unshipped) AS defects
FROM orders;
SELECT count(*) FROM odr_create_warehouse('classified', 'seller_id', 'finished_on', 'defects');
SQL
tap 1 "pg_cron and odr installed, warehouse created"

job=$(q -c "SELECT cron.schedule('odr-refresh', '* * * * *', 'REFRESH MATERIALIZED VIEW CONCURRENTLY odr_daily')")
tap $([ -n "$job" ] && echo 1 || echo 0) "job scheduled every minute (job $job)"

# new orders: a brand-new seller, and more for existing sellers in November 2026
q -c "INSERT INTO orders SELECT 100000 + g, CASE WHEN g % 3 = 0 THEN 999 ELSE g % 25 END,
             date '2026-11-01' + g % 20, CASE WHEN g % 2 = 0 THEN 1 END, false
      FROM generate_series(1, 300) g"
before=$(q -c "SELECT count(*) FROM odr_daily WHERE seller_id = 999")
tap $([ "$before" = 0 ] && echo 1 || echo 0) "before the job runs, the new seller is not in odr_daily"

waited=0
limit=${ODR_CRON_WAIT:-150}
until [ "$(q -c "SELECT count(*) FROM odr_daily WHERE seller_id = 999")" != 0 ]; do
  if [ "$waited" -ge "$limit" ]; then break; fi
  sleep 2
  waited=$((waited + 2))
done
after=$(q -c "SELECT count(*) FROM odr_daily WHERE seller_id = 999")
tap $([ "$after" != 0 ] && echo 1 || echo 0) "the scheduled refresh brought in the new seller without a manual refresh (after ${waited} s)"

runs=$(q -c "SELECT count(*) FROM cron.job_run_details WHERE jobid = $job AND status = 'succeeded'")
tap $([ "${runs:-0}" -ge 1 ] && echo 1 || echo 0) "cron.job_run_details has $runs succeeded run(s) of the job"

diff_rows=$(q -c "SELECT (SELECT count(*) FROM (SELECT seller_id, day, summary FROM odr_daily
                          EXCEPT SELECT seller_id, finished_on, odr_agg(defects) FROM classified GROUP BY 1, 2) a)
                        + (SELECT count(*) FROM (SELECT seller_id, finished_on, odr_agg(defects) FROM classified GROUP BY 1, 2
                          EXCEPT SELECT seller_id, day, summary FROM odr_daily) b)")
tap $([ "$diff_rows" = 0 ] && echo 1 || echo 0) "odr_daily equals a recomputation from the raw rows ($diff_rows rows differ)"

month_diff=$(q -c "WITH raw AS (
    SELECT w.as_of, o.seller_id, odr_agg(o.defects) AS summary
    FROM odr_assessment_windows('2025-11-01', (SELECT max(finished_on) FROM orders)) w
    JOIN classified o ON o.finished_on BETWEEN w.window_start AND w.window_end GROUP BY 1, 2),
  viewed AS (SELECT as_of, seller_id, summary FROM odr_month_end WHERE orders > 0)
  SELECT (SELECT count(*) FROM (SELECT * FROM raw EXCEPT SELECT * FROM viewed) a)
       + (SELECT count(*) FROM (SELECT * FROM viewed EXCEPT SELECT * FROM raw) b)")
tap $([ "$month_diff" = 0 ] && echo 1 || echo 0) "odr_month_end agrees with the raw-orders query after the refresh ($month_diff rows differ)"

q -c "SELECT cron.unschedule('odr-refresh')" >/dev/null
tap 1 "job unscheduled"
echo "1..$n"
[ "$fails" -eq 0 ]
