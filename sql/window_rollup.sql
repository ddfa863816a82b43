-- Sliding windows (moving aggregate with inverse transition) and rollups
-- give exactly the direct computation.
CREATE TABLE w_orders AS
SELECT g AS id, g % 5 AS seller, date '2026-01-01' + (g * 7 % 200) AS day,
       odr_classify(feedback_stars => CASE WHEN g % 4 = 0 THEN 1 + g % 5 END,
                    dsr_shipping => CASE WHEN g % 6 = 0 THEN 1 + g % 5 END,
                    unshipped => g % 19 = 0, arbitration => g % 29 = 0,
                    arbitration_seller_responsible => g % 58 = 0,
                    dispute_timeout => g % 31 = 0) AS d
FROM generate_series(1, 6000) g;
-- A1: a 90-day RANGE window per order equals recomputing each window
SELECT count(*) AS rows,
       count(*) FILTER (WHERE w.s = (SELECT odr_agg(o2.d) FROM w_orders o2
                                     WHERE o2.seller = w.seller
                                       AND o2.day BETWEEN w.day - 89 AND w.day)) AS equal
FROM (SELECT seller, day,
             odr_agg(d) OVER (PARTITION BY seller ORDER BY day
                              RANGE BETWEEN '89 days' PRECEDING AND CURRENT ROW) AS s
      FROM w_orders) w;
-- the moving-aggregate plan really is used: an inverse function exists
SELECT aggfnoid::regprocedure, aggmtransfn, aggminvtransfn
FROM pg_aggregate WHERE aggfnoid IN ('odr_agg(odr_defects)'::regprocedure, 'odr_rollup(odr_summary)'::regprocedure)
ORDER BY 1::text;
-- per-day summaries rolled up equal the direct aggregate
CREATE TABLE w_daily AS
SELECT seller, day, odr_agg(d) AS s FROM w_orders GROUP BY seller, day;
SELECT count(*) AS sellers,
       count(*) FILTER (WHERE r.s = a.s) AS equal
FROM (SELECT seller, odr_rollup(s) AS s FROM w_daily GROUP BY seller) r
JOIN (SELECT seller, odr_agg(d) AS s FROM w_orders GROUP BY seller) a USING (seller);
-- daily rolling 90-day history from per-day summaries equals recomputation from raw rows
SELECT count(*) AS days,
       count(*) FILTER (WHERE h.s = (SELECT odr_agg(o.d) FROM w_orders o
                                     WHERE o.seller = h.seller
                                       AND o.day BETWEEN h.day - 89 AND h.day)) AS equal
FROM (SELECT seller, day,
             odr_rollup(s) OVER (PARTITION BY seller ORDER BY day
                                 RANGE BETWEEN '89 days' PRECEDING AND CURRENT ROW) AS s
      FROM w_daily) h;
-- ROWS frames and a frame that shrinks from the front
SELECT count(*) FILTER (WHERE a = b) AS equal, count(*) AS rows
FROM (SELECT odr_agg(d) OVER (ORDER BY id ROWS BETWEEN 10 PRECEDING AND 5 FOLLOWING) AS a,
             odr_rollup(odr_summary_of(d)) OVER (ORDER BY id ROWS BETWEEN 10 PRECEDING AND 5 FOLLOWING) AS b
      FROM w_orders) x;
-- a whole-seller total equals the sum of its parts
SELECT odr_rollup(s) = (SELECT odr_agg(d) FROM w_orders) AS total_equal FROM w_daily;
-- ---------------------------------------------------------------------
-- odr_agg_at / odr_rollup_at: what comes back (issue #19)
-- ---------------------------------------------------------------------
CREATE TEMP TABLE w_month_ends AS SELECT ARRAY(SELECT odr_month_ends('2026-01-01', '2026-08-31')) AS d;
-- no input rows at all: NULL, like every aggregate (also per group with FILTER)
SELECT odr_agg_at(day, d, (SELECT d FROM w_month_ends), 90) IS NULL AS no_rows_null,
       odr_rollup_at(day, odr_summary_of(d), (SELECT d FROM w_month_ends), 90) IS NULL AS rollup_no_rows_null
FROM w_orders WHERE false;
SELECT seller, odr_agg_at(day, d, '{2026-03-31}', 90) FILTER (WHERE false) AS filtered_out
FROM w_orders GROUP BY seller ORDER BY seller;
-- rows, but none in any window: one assessment per date, with no orders (orders 0, rate NULL)
SELECT a.as_of, a.summary, odr_rate(a.summary) AS rate
FROM unnest((SELECT odr_agg_at(day, d, '{2025-06-30,2025-12-31}', 90) FROM w_orders WHERE seller = 1)) AS a;
-- rows whose verdict is NULL are no orders; rows whose day is NULL are in no window
SELECT odr_agg_at(day, NULL::odr_defects, '{2026-03-31}', 90) AS null_verdicts,
       odr_agg_at(NULL::date, d, '{2026-03-31}', 90) AS null_days
FROM w_orders WHERE seller = 1;
-- with since_first_day, a group without a day has no date on or after its first day: no assessment
SELECT odr_agg_at(NULL::date, d, '{2026-03-31}', 90, true) AS null_days_since_first FROM w_orders WHERE seller = 1;
-- odr_agg_at equals one odr_agg per window, for every seller and month end
SELECT count(*) AS assessments,
       count(*) FILTER (WHERE a.summary = (SELECT odr_agg(o.d) FROM w_orders o
                                           WHERE o.seller = x.seller AND o.day BETWEEN a.as_of - 89 AND a.as_of)) AS equal
FROM (SELECT seller, odr_agg_at(day, d, (SELECT d FROM w_month_ends), 90) AS s FROM w_orders GROUP BY seller) x,
     unnest(x.s) AS a;
-- the same dates in another order, repeated, or computed per row: the same windows
SELECT count(*) FILTER (WHERE x.a = x.b AND x.a = x.c) AS equal, count(*) AS sellers
FROM (SELECT seller,
             odr_agg_at(day, d, '{2026-03-31,2026-06-30}', 90) AS a,
             odr_agg_at(day, d, '{2026-06-30,2026-03-31,2026-06-30}', 90) AS b,
             odr_agg_at(day, d, ARRAY[date '2026-06-30', date '2026-01-01' + 89 + (id % 1) + 0 * seller], 90) AS c
      FROM w_orders GROUP BY seller) x;

-- odr_agg_at over a timestamp (its date) and a timestamptz in a time zone
-- ((ts AT TIME ZONE zone)::date) gives the assessments of the date form
CREATE TEMP TABLE w_times AS
SELECT id, seller, day, d,
       day + (id * 37 % 1440) * interval '1 minute' AS local_time,
       (day + (id * 37 % 1440) * interval '1 minute') AT TIME ZONE 'Asia/Shanghai' AS at
FROM w_orders;
SELECT count(*) AS sellers,
       count(*) FILTER (WHERE ts = dt) AS timestamp_equal,
       count(*) FILTER (WHERE tz = dt) AS timestamptz_equal,
       count(*) FILTER (WHERE tz_lower = dt) AS zone_in_lower_case_equal,
       count(*) FILTER (WHERE tz_since = dt_since AND ts_since = dt_since) AS since_first_equal,
       count(*) FILTER (WHERE ny = ny_dt) AS new_york_equal,
       count(*) FILTER (WHERE ny <> dt) AS new_york_differs
FROM (SELECT seller,
             odr_agg_at(day, d, (SELECT d FROM w_month_ends), 90) AS dt,
             odr_agg_at(local_time, d, (SELECT d FROM w_month_ends), 90) AS ts,
             odr_agg_at(at, d, (SELECT d FROM w_month_ends), 90, 'Asia/Shanghai') AS tz,
             odr_agg_at(at, d, (SELECT d FROM w_month_ends), 90, 'asia/shanghai') AS tz_lower,
             odr_agg_at(day, d, (SELECT d FROM w_month_ends), 90, true) AS dt_since,
             odr_agg_at(local_time, d, (SELECT d FROM w_month_ends), 90, true) AS ts_since,
             odr_agg_at(at, d, (SELECT d FROM w_month_ends), 90, 'Asia/Shanghai', true) AS tz_since,
             odr_agg_at(at, d, (SELECT d FROM w_month_ends), 90, 'America/New_York') AS ny,
             odr_agg_at((at AT TIME ZONE 'America/New_York')::date, d, (SELECT d FROM w_month_ends), 90) AS ny_dt
      FROM w_times GROUP BY seller) x;
-- whatever the session's TimeZone
SET TIME ZONE 'Pacific/Kiritimati';
SELECT count(*) FILTER (WHERE tz = dt) AS equal_in_kiritimati, count(*) AS sellers
FROM (SELECT odr_agg_at(at, d, '{2026-03-31}', 30, 'Asia/Shanghai') AS tz, odr_agg_at(day, d, '{2026-03-31}', 30) AS dt
      FROM w_times GROUP BY seller) x;
RESET TIME ZONE;
-- a zone per row (a seller's zone, say): each row's day in its own zone
SELECT odr_agg_at(at, d, '{2026-03-31}', 30, z) = odr_agg_at((at AT TIME ZONE z)::date, d, '{2026-03-31}', 30) AS zone_per_row_equal
FROM (SELECT at, d, (ARRAY['Asia/Shanghai', 'Europe/Berlin', 'America/Los_Angeles', 'UTC'])[1 + id % 4] AS z FROM w_times) x;
-- a name that is also an abbreviation is read as AT TIME ZONE reads it (CET: UTC+1 all year)
SELECT odr_agg_at(at, d, '{2026-06-30}', 30, 'CET') = odr_agg_at((at AT TIME ZONE 'CET')::date, d, '{2026-06-30}', 30) AS cet_equal
FROM w_times;
-- timestamps at their extremes are days too: infinity is in no window, -infinity starts a seller
SELECT odr_agg_at(t, '{}', '{2026-03-31}', 90, 'Asia/Shanghai', true) AS infinite_days
FROM (VALUES (timestamptz '-infinity'), ('infinity'), ('2026-03-01 00:00+08')) v(t);
DROP TABLE w_times, w_month_ends;
DROP TABLE w_daily;
DROP TABLE w_orders;
