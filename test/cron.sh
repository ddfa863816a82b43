#!/usr/bin/env bash
# pg_cron keeps the odr warehouse fresh (TAP output). A throwaway cluster of
# its own with pg_cron preloaded (jobs run as background workers: no
# connection, host or password for the job), a database odr_cron with
# pg_cron and odr, a deterministic sample of orders and
# odr_create_warehouse(...) on it; then a real job
#   cron.schedule('odr-refresh', '* * * * *', $$SELECT odr_refresh_warehouse('odr_daily')$$)
# (odr_daily, then odr_segments under the month-end view, CONCURRENTLY, in
# one transaction); then
# new orders (a brand-new seller, more orders of existing sellers, and a
# later month), and NO manual refresh: polls (every 2 s, at most
# ODR_CRON_WAIT s, default 150) until odr_daily has them. Then checks that
# the job ran and succeeded, that odr_daily equals a recomputation from the
# raw rows, and that odr_month_end equals the raw-rows month-end query
# (odr_assessment_windows joined to the orders). pg_cron 1.4 runs jobs on
# minute boundaries: the run takes about a minute.
# The same for an incremental warehouse (prefix inc_, incremental => true)
# on the same orders, with its own job refreshing inc_daily: after the new
# orders and a late rating of old ones, inc_daily equals the raw rows and
# inc_month_end equals odr_month_end.
#
# Runs as root (the cluster runs as postgres) or as an ordinary user; needs
# PostgreSQL 15, postgresql-15-cron and odr installed. The cluster is
# stopped and removed on exit; the whole run is bounded by ODR_CRON_TIMEOUT
# seconds (default 300).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
root=$(pwd)
DB=odr_cron

export PGCONNECT_TIMEOUT=10
export PGOPTIONS="-c client_min_messages=warning -c statement_timeout=120s"
unset PGSERVICE PGPASSFILE

n=0
fails=0
tap() { # tap <1 = ok> <description>
  n=$((n + 1))
  if [ "$1" = 1 ]; then
    echo "ok $n - $2"
  else
    echo "not ok $n - $2"
    fails=$((fails + 1))
  fi
}
diag() { sed 's/^/# /'; }
bail() { # a step the rest depends on failed
  tap 0 "$1"
  [ -n "${2:-}" ] && printf '%s\n' "$2" | diag
  echo "1..$n"
  exit 1
}

dir=$(mktemp -d /tmp/odr-cron.XXXXXX)
watchdog=
cleanup() {
  if [ -n "$watchdog" ]; then kill "$watchdog" 2>/dev/null || true; fi
  "$root/tools/cluster.sh" stop "$dir" || true
}
trap cleanup EXIT
trap 'echo "not ok $((n + 1)) - interrupted (signal or ODR_CRON_TIMEOUT)"; echo "1..$((n + 1))"; exit 130' INT TERM
limit=${ODR_CRON_TIMEOUT:-300}
(
  trap 'kill "$pause" 2>/dev/null; exit 0' TERM
  sleep "$limit" &
  pause=$!
  wait "$pause"
  kill -TERM $$
) </dev/null >/dev/null 2>&1 &
watchdog=$!

# --- the cluster, with pg_cron ------------------------------------------
export ODR_PG_CONF="shared_preload_libraries = 'pg_cron'
cron.database_name = '$DB'
cron.use_background_workers = on
cron.log_run = on
max_worker_processes = 16
timezone = 'UTC'"
errf=$(mktemp /tmp/odr-cron-start.XXXXXX)
if ! env=$("$root/tools/cluster.sh" start "$dir" 2>"$errf"); then
  err=$(cat "$errf"); rm -f "$errf"
  bail "cluster with pg_cron preloaded started" "$err"
fi
rm -f "$errf"
eval "$env"
export PGDATABASE=postgres

q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$DB" "$@"; }

if ! err=$(psql -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $DB" 2>&1); then
  bail "database $DB created" "$err"
fi
settings=$(q -c "SELECT current_setting('shared_preload_libraries') || ' / ' || current_setting('cron.database_name') || ' / ' || current_setting('cron.use_background_workers')" 2>&1)
tap "$([ "$settings" = "pg_cron / $DB / on" ] && echo 1)" \
  "cluster on port $PGPORT: shared_preload_libraries / cron.database_name / cron.use_background_workers = $settings"

# --- sample orders and the warehouse ------------------------------------
# 5,000 orders of 40 sellers from 2025-10-01 to 2026-09-30, no random()
if ! err=$(q 2>&1 >/dev/null <<'SQL'
CREATE EXTENSION pg_cron;
CREATE EXTENSION odr;
CREATE TABLE orders (
	order_id bigint PRIMARY KEY,
	seller_id integer NOT NULL,
	finished_on date NOT NULL,
	feedback_stars integer,
	dsr_item integer,
	unshipped boolean NOT NULL,
	arbitration boolean NOT NULL
);
INSERT INTO orders
SELECT g, 1 + (g * 7) % 40, date '2025-10-01' + (g * 37) % 365,
       CASE WHEN g % 3 = 0 THEN 1 + (g / 3) % 5 END,
       CASE WHEN g % 4 = 0 THEN 1 + (g / 4) % 5 END,
       g % 53 = 0, g % 97 = 0
FROM generate_series(1, 5000) AS g;
CREATE VIEW classified AS
SELECT order_id, seller_id, finished_on,
       odr_classify(feedback_stars => feedback_stars, dsr_item => dsr_item,
                    unshipped => unshipped, arbitration => arbitration) AS defects
FROM orders;
SELECT odr_create_warehouse('classified', 'seller_id', 'finished_on', 'defects');
SELECT odr_create_warehouse('classified', 'seller_id', 'finished_on', 'defects', prefix => 'inc_', incremental => true);
SQL
); then
  bail "CREATE EXTENSION pg_cron, odr; sample orders; odr_create_warehouse(...)" "$err"
fi
objects=$(q -c "SELECT string_agg(relname || ':' || relkind::text, ' ' ORDER BY relname) FROM pg_class
                WHERE relname IN ('odr_daily', 'odr_segments', 'odr_month_end', 'odr_daily_history', 'odr_tier_changes',
                                  'odr_scorecard', 'odr_projection')" 2>&1)
tap "$([ "$objects" = "odr_daily:m odr_daily_history:v odr_month_end:v odr_projection:v odr_scorecard:v odr_segments:m odr_tier_changes:v" ] && echo 1)" \
  "pg_cron and odr installed in $DB, 5000 sample orders, warehouse created ($objects)"

# the raw-rows recomputations the warehouse must equal
# per (seller, day), straight from the orders
daily_diff_sql="
  WITH raw AS (SELECT seller_id, finished_on AS day, odr_agg(defects) AS summary FROM classified GROUP BY 1, 2)
  SELECT (SELECT count(*) FROM (SELECT seller_id, day, summary FROM odr_daily EXCEPT SELECT * FROM raw) AS a)
         || ' ' ||
         (SELECT count(*) FROM (SELECT * FROM raw EXCEPT SELECT seller_id, day, summary FROM odr_daily) AS b)
         || ' ' || (SELECT count(*) FROM odr_daily) || ' ' || (SELECT count(*) FROM raw)"
# every month end between the first and the last day of data, for every
# seller from its first order on (a window may hold no orders: an empty
# summary), over the 90 days ending on it, straight from the orders
month_diff_sql="
  WITH span AS (SELECT min(finished_on) AS lo, max(finished_on) AS hi FROM classified),
       sellers AS (SELECT seller_id, min(finished_on) AS first_day FROM classified GROUP BY 1),
       raw AS (SELECT w.as_of, s.seller_id, odr_agg(o.defects) AS summary
               FROM span, odr_assessment_windows(span.lo, span.hi, 90) AS w
               JOIN sellers AS s ON w.as_of >= s.first_day
               LEFT JOIN classified AS o ON o.seller_id = s.seller_id
                                        AND o.finished_on BETWEEN w.window_start AND w.window_end
               GROUP BY 1, 2),
       raw_cols AS (SELECT as_of, seller_id, summary, odr_orders(summary) AS orders,
                           odr_defective(summary) AS defective, odr_rate(summary) AS odr,
                           odr_tier(summary) AS tier FROM raw),
       viewed AS (SELECT as_of, seller_id, summary, orders, defective, odr, tier FROM odr_month_end)
  SELECT (SELECT count(*) FROM (SELECT * FROM viewed EXCEPT SELECT * FROM raw_cols) AS a)
         || ' ' || (SELECT count(*) FROM (SELECT * FROM raw_cols EXCEPT SELECT * FROM viewed) AS b)
         || ' ' || (SELECT count(*) FROM viewed) || ' ' || (SELECT count(*) FROM raw_cols)"
# "<view minus raw> <raw minus view> <view rows> <raw rows>": equal when 0 0 N N, N > 0
same() { local a b x y; read -r a b x y <<<"$1"; [ "$a" = 0 ] && [ "$b" = 0 ] && [ "$x" = "$y" ] && [ "${x:-0}" -gt 0 ]; }

res=$(q -c "$daily_diff_sql" 2>&1)
tap "$(same "$res" && echo 1)" "before: odr_daily equals the per-day recomputation from the raw rows (view-raw raw-view rows: $res)"
res=$(q -c "$month_diff_sql" 2>&1)
tap "$(same "$res" && echo 1)" "before: odr_month_end equals the month-end query over the raw rows (view-raw raw-view rows: $res)"

# --- the job ------------------------------------------------------------
job=$(q -c "SELECT cron.schedule('odr-refresh', '* * * * *', \$\$SELECT odr_refresh_warehouse('odr_daily')\$\$)" 2>&1)
jobrow=$(q -F'|' -c "SELECT schedule, command, database, username, active FROM cron.job WHERE jobid = ${job:-0}" 2>&1)
[[ "$job" =~ ^[0-9]+$ ]] || bail "cron.schedule('odr-refresh', ...)" "$job"
tap "$([ "$jobrow" = "* * * * *|SELECT odr_refresh_warehouse('odr_daily')|$DB|postgres|t" ] && echo 1)" \
  "job $job scheduled: $jobrow"
incjob=$(q -c "SELECT cron.schedule('odr-refresh-incremental', '* * * * *', \$\$SELECT odr_refresh_warehouse('inc_daily')\$\$)" 2>&1)
[[ "$incjob" =~ ^[0-9]+$ ]] || bail "cron.schedule('odr-refresh-incremental', ...)" "$incjob"
tap 1 "job $incjob scheduled for the incremental warehouse: odr_refresh_warehouse('inc_daily')"

# --- new orders, away from a minute boundary ----------------------------
# (the job starts on the minute and takes well under a second here: between
# :05 and :50 the check right after the insert sees odr_daily not yet
# refreshed, without a race)
while :; do
  s=$(date +%S); s=${s#0}
  if [ "$s" -ge 5 ] && [ "$s" -lt 50 ]; then break; fi
  sleep 1
done
# a brand-new seller 99 (Aug-Oct 2026, so a new month end 2026-10-31 too),
# and 400 more orders of sellers 1-10 in Jul-Sep 2026, many defective
if ! ins=$(q -F' ' 2>&1 <<'SQL'
INSERT INTO orders
SELECT 100000 + g, 99, date '2026-08-01' + g % 92,
       CASE WHEN g % 2 = 0 THEN 1 + g % 5 END, NULL, g % 11 = 0, false
FROM generate_series(1, 150) AS g;
INSERT INTO orders
SELECT 200000 + g, 1 + g % 10, date '2026-07-01' + g % 92,
       CASE WHEN g % 3 = 0 THEN 1 END, CASE WHEN g % 5 = 0 THEN 2 END, false, g % 40 = 0
FROM generate_series(1, 400) AS g;
UPDATE orders SET feedback_stars = 1 WHERE order_id % 101 = 0;
SELECT count(*), to_char(clock_timestamp(), 'YYYY-MM-DD HH24:MI:SS.US+00') FROM orders;
SELECT coalesce(sum(odr_orders(summary)), 0), count(*) FILTER (WHERE seller_id = 99) FROM odr_daily;
SQL
); then
  bail "550 new orders inserted" "$ins"
fi
{ read -r total inserted_at; read -r daily_orders daily_new; } <<<"$ins"
tap "$([ "$total" = 5550 ] && [ "$daily_orders" = 5000 ] && [ "$daily_new" = 0 ] && echo 1)" \
  "550 new orders inserted at $inserted_at ($total in all); odr_daily not refreshed yet: $daily_orders orders, $daily_new days of the new seller"

# --- wait for the job: no manual refresh --------------------------------
wait_max=${ODR_CRON_WAIT:-150}
start=$(date +%s)
state=
while :; do
  state=$(q -F' ' -c "SELECT coalesce(sum(odr_orders(summary)), 0), count(*) FILTER (WHERE seller_id = 99) FROM odr_daily" 2>&1)
  read -r daily_orders daily_new <<<"$state"
  if [ "$daily_orders" = "$total" ] && [ "${daily_new:-0}" -gt 0 ] 2>/dev/null; then break; fi
  [ $(($(date +%s) - start)) -ge "$wait_max" ] && break
  sleep 2
done
waited=$(($(date +%s) - start))
tap "$([ "$daily_orders" = "$total" ] && [ "${daily_new:-0}" -gt 0 ] 2>/dev/null && echo 1)" \
  "without a manual refresh, odr_daily has the new orders after ${waited} s (limit $wait_max s): $daily_orders orders, $daily_new days of the new seller"

# the incremental warehouse's job, likewise
start=$(date +%s)
while :; do
  inc_orders=$(q -c "SELECT coalesce(sum(odr_orders(summary)), 0) FROM inc_daily" 2>&1)
  [ "$inc_orders" = "$total" ] && break
  [ $(($(date +%s) - start)) -ge "$wait_max" ] && break
  sleep 2
done
tap "$([ "$inc_orders" = "$total" ] && echo 1)" \
  "without a manual refresh, inc_daily (incremental) has the new orders after $(($(date +%s) - start)) s more: $inc_orders orders"

# --- the job ran, and succeeded -----------------------------------------
runs=$(q -F' ' -c "SELECT count(*) FILTER (WHERE status = 'succeeded' AND end_time >= '$inserted_at'),
                          count(*) FILTER (WHERE status = 'failed'), count(*)
                   FROM cron.job_run_details WHERE jobid = $job" 2>&1)
read -r ok_after failed_runs all_runs <<<"$runs"
tap "$([ "${ok_after:-0}" -ge 1 ] 2>/dev/null && [ "$failed_runs" = 0 ] && echo 1)" \
  "cron.job_run_details: $ok_after succeeded run(s) ended after the insert, $failed_runs failed, $all_runs in all"
if [ "$fails" -gt 0 ]; then
  q -c "SELECT runid, status, start_time, end_time, return_message FROM cron.job_run_details ORDER BY runid" 2>&1 | diag
  tail -20 "$dir/server.log" 2>/dev/null | diag
fi

# --- the refreshed warehouse equals the raw rows ------------------------
res=$(q -c "$daily_diff_sql" 2>&1)
tap "$(same "$res" && echo 1)" "after: odr_daily equals the per-day recomputation from the raw rows (view-raw raw-view rows: $res)"
res=$(q -c "$month_diff_sql" 2>&1)
tap "$(same "$res" && echo 1)" "after: odr_month_end equals the month-end query over the raw rows (view-raw raw-view rows: $res)"
res=$(q -F' ' -c "SELECT count(*), min(as_of), max(as_of), (SELECT max(as_of) FROM odr_month_end) FROM odr_month_end WHERE seller_id = 99" 2>&1)
tap "$([ "$res" = "3 2026-08-31 2026-10-31 2026-10-31" ] && echo 1)" \
  "after: odr_month_end has the new seller at 3 month ends, up to the new last one (count first last overall-last: $res)"

res=$(q -F' ' -c "SELECT count(*) FILTER (WHERE status = 'succeeded'), count(*) FILTER (WHERE status = 'failed')
                  FROM cron.job_run_details WHERE jobid = ${incjob:-0}" 2>&1)
tap "$([ "${res% *}" -ge 1 ] 2>/dev/null && [ "${res#* }" = 0 ] && echo 1)" \
  "cron.job_run_details of the incremental job: succeeded failed = $res"
res=$(q -c "${daily_diff_sql//odr_daily/inc_daily}" 2>&1)
tap "$(same "$res" && echo 1)" "after: inc_daily (incremental) equals the per-day recomputation from the raw rows, the late ratings included (view-raw raw-view rows: $res)"
res=$(q -c "SELECT (SELECT count(*) FROM ((TABLE inc_month_end EXCEPT TABLE odr_month_end) UNION ALL (TABLE odr_month_end EXCEPT TABLE inc_month_end)) x) || ' ' || (SELECT count(*) FROM inc_changes)" 2>&1)
tap "$([ "$res" = "0 0" ] && echo 1)" "after: inc_month_end equals odr_month_end, and the change log is empty (differing rows, logged keys: $res)"

# --- unschedule ----------------------------------------------------------
res=$(q -c "SELECT cron.unschedule('odr-refresh')" -c "SELECT cron.unschedule('odr-refresh-incremental')" -c "SELECT count(*) FROM cron.job" 2>&1 | tr '\n' ' ')
tap "$([ "$res" = "t t 0 " ] && echo 1)" "cron.unschedule('odr-refresh'), cron.unschedule('odr-refresh-incremental'): jobs gone (unschedule, jobs left: $res)"

echo "1..$n"
[ "$fails" -eq 0 ]
