-- Issue 14: odr_assess_at(t | o, marketplace, as_of date[]) -> odr_standing[]:
-- element i is byte for byte odr_assess(..., marketplace, as_of[i]) over the
-- same rows (Amazon M1, eBay M2), from raw orders and from per-day tallies,
-- serially and in parallel; dates in any order, repeated, across a 28- and a
-- 29-day February; groups with no rows in some windows; bad input.
SET client_min_messages = warning;
SET TimeZone = 'UTC';

-- Amazon orders over 2024-01-01 .. 2026-03-10 (800 days), seller a_new only
-- in March 2026 (no rows in the windows of the earlier dates)
CREATE TABLE t_amz AS
SELECT 'a' || g % 5 AS seller,
       odr_amazon_order(order_date => date '2024-01-01' + (g * 7) % 800, fulfilment => CASE WHEN g % 4 = 0 THEN 'afn' ELSE 'mfn' END,
                        feedback_stars => CASE WHEN g % (50 + 50 * (g % 5)) = 0 THEN 1 ELSE 5 END,
                        claim_status => CASE WHEN g % 301 = 0 THEN 'granted' END, chargeback => g % 907 = 0,
                        expected_ship_at => (date '2024-01-01' + (g * 7) % 800 + 1) + time '12:00',
                        shipped_at => CASE WHEN g % 37 <> 0 THEN (date '2024-01-01' + (g * 7) % 800 + 1) + time '12:00'
                                                                 + CASE WHEN g % 41 = 0 THEN 1 ELSE -1 END * interval '1 hour' END,
                        cancelled_at => CASE WHEN g % 37 = 0 THEN (date '2024-01-01' + (g * 7) % 800) + time '18:00' END,
                        cancelled_by => CASE WHEN g % 37 = 0 THEN (ARRAY['seller', 'auto', 'buyer'])[1 + g % 3] END,
                        -- promised delivery dates straddle the windows' edges
                        promised_delivery_date => date '2024-01-01' + (g * 7) % 800 + g % 12,
                        tracking_valid => g % 29 <> 0, buyer => 'b' || g % 97) AS o
FROM generate_series(1, 12000) g
UNION ALL
SELECT 'a_new', odr_amazon_order(order_date => date '2026-03-01' + g % 10, fulfilment => 'mfn',
                                 feedback_stars => CASE WHEN g % 7 = 0 THEN 1 END, buyer => 'n' || g)
FROM generate_series(1, 40) g;
-- eBay transactions over 2023-11-01 .. 2026-04-18 (900 days: the Februaries
-- of 2024 (29 days), 2025 and 2026 (28)), seller e_new only from 2026-02-15
CREATE TABLE t_eb AS
SELECT 'e' || g % 4 AS seller,
       odr_ebay_order(date '2023-11-01' + (g * 13) % 900, 'b' || (g * 7) % (3 + 20 * (g % 4)), 5 + g % 40,
                      CASE WHEN g % 83 = 0 THEN 'seller' WHEN g % 89 = 0 THEN 'buyer' END, g % 151 = 0,
                      '2026-01-01 12:00', CASE WHEN g % 29 = 0 THEN timestamp '2026-01-02' ELSE timestamp '2026-01-01' END) AS o
FROM generate_series(1, 12000) g
UNION ALL
SELECT 'e_new', odr_ebay_order(date '2026-02-15' + g % 40, 'n' || g % 9, 20, CASE WHEN g % 11 = 0 THEN 'seller' END, g % 13 = 0)
FROM generate_series(1, 60) g;
CREATE TABLE t_amz_daily AS
SELECT seller, d AS day, odr_tally(o, 'amazon', d) AS t FROM t_amz, odr_order_tally_days(o) AS d GROUP BY seller, d;
CREATE TABLE t_eb_daily AS
SELECT seller, d AS day, odr_tally(o, 'ebay', d) AS t FROM t_eb, odr_order_tally_days(o) AS d GROUP BY seller, d;

-- the dates: in no order, repeated, the ends of a 29-day (2024) and of a
-- 28-day (2025) February and the days after, before any row and after the
-- last; eBay also its evaluation dates (M2.2: the 20th) of a year
CREATE TABLE t_dates (marketplace text PRIMARY KEY, as_of date[]);
INSERT INTO t_dates VALUES
  ('amazon', ARRAY['2026-03-05', '2024-02-29', '2024-02-28', '2024-03-01', '2025-02-28', '2025-03-01',
                   '2024-03-01', '2023-06-01', '2026-12-31', '2026-03-05', '2024-04-29']::date[]),
  ('ebay', ARRAY(SELECT evaluated_on FROM odr_evaluations('ebay', '2025-04-01', '2026-05-31'))
           || ARRAY['2024-02-29', '2024-03-20', '2024-02-20', '2025-02-28', '2025-03-01', '2024-03-01',
                    '2026-03-20', '2023-10-20', '2023-12-01', '2024-02-29']::date[]);
SELECT marketplace, cardinality(as_of) AS dates, (SELECT count(DISTINCT d) FROM unnest(as_of) d) AS distinct_dates
FROM t_dates ORDER BY 1;

-- pg_temp.at_check(marketplace, rows, input): odr_assess_at element by
-- element against odr_assess on each date (the cross join), every seller
-- and every position of as_of; the levels seen
CREATE FUNCTION pg_temp.at_check(mkt text, rel text, col text,
	OUT standings bigint, OUT equal bigint, OUT as_of_ok bigint, OUT levels text)
LANGUAGE plpgsql AS $fn$
BEGIN
	EXECUTE format($q$
		WITH d AS (SELECT as_of FROM t_dates WHERE marketplace = %1$L),
		at AS (SELECT q.seller, u.i, u.s
		       FROM (SELECT seller, odr_assess_at(%3$I, %1$L, (SELECT as_of FROM d)) AS a FROM %2$I GROUP BY seller) q,
		            unnest(q.a) WITH ORDINALITY AS u(s, i)),
		one AS (SELECT seller, v.i, v.e, odr_assess(%3$I, %1$L, v.e) AS s
		        FROM %2$I, unnest((SELECT as_of FROM d)) WITH ORDINALITY AS v(e, i) GROUP BY seller, v.i, v.e)
		SELECT count(*), count(*) FILTER (WHERE at.s::text = one.s::text),
		       count(*) FILTER (WHERE odr_standing_as_of(at.s) = one.e),
		       string_agg(DISTINCT odr_level(one.s), ', ' ORDER BY odr_level(one.s))
		FROM at FULL JOIN one USING (seller, i)$q$, mkt, rel, col)
	INTO standings, equal, as_of_ok, levels;
END
$fn$;

-- M1.1 - M1.5 (Amazon's windows of days, by order date and by promised
-- delivery date), from orders and from per-day tallies
SELECT 'amazon orders' AS input, * FROM pg_temp.at_check('amazon', 't_amz', 'o')
UNION ALL
SELECT 'amazon tallies', * FROM pg_temp.at_check('amazon', 't_amz_daily', 't');
-- M2.1 - M2.3 (eBay: 3 / 12 whole months before the evaluation's month, by
-- volume; distinct buyers; days since the first transaction)
SELECT 'ebay orders' AS input, * FROM pg_temp.at_check('ebay', 't_eb', 'o')
UNION ALL
SELECT 'ebay tallies', * FROM pg_temp.at_check('ebay', 't_eb_daily', 't');

-- the seller with rows only in 2026: empty windows on the earlier dates,
-- the same standings as odr_assess gives
SELECT e AS as_of, odr_level(s) AS level, odr_metric_value(s, 'transactions') AS transactions,
       odr_metric_value(s, 'days_since_first') AS days_since_first
FROM (SELECT odr_assess_at(t, 'ebay', ARRAY['2026-04-20', '2024-02-20', '2026-02-20', '2026-03-20']::date[]) AS a
      FROM t_eb_daily WHERE seller = 'e_new') q, unnest(q.a, ARRAY['2026-04-20', '2024-02-20', '2026-02-20', '2026-03-20']::date[]) AS u(s, e);

-- one date: the same as odr_assess (orders and tallies); no dates: an empty
-- array; no rows: NULL; NULL rows are skipped (a group of them only: the
-- standings of no orders, as odr_assess)
SELECT (SELECT (odr_assess_at(o, 'ebay', ARRAY[date '2026-01-20']))[1]::text FROM t_eb)
       = (SELECT odr_assess(o, 'ebay', '2026-01-20')::text FROM t_eb) AS one_date_orders,
       (SELECT (odr_assess_at(t, 'amazon', ARRAY[date '2025-02-28']))[1]::text FROM t_amz_daily)
       = (SELECT odr_assess(t, 'amazon', '2025-02-28')::text FROM t_amz_daily) AS one_date_tallies,
       (SELECT odr_assess_at(o, 'ebay', '{}') FROM t_eb) AS no_dates,
       (SELECT odr_assess_at(o, 'ebay', ARRAY[date '2026-01-20']) IS NULL FROM t_eb WHERE false) AS no_rows_null,
       (SELECT odr_assess_at(NULL::odr_order, 'ebay', ARRAY[date '2026-01-20', '2025-01-20'])::text
               = ARRAY[odr_assess(NULL::odr_order, 'ebay', '2026-01-20'), odr_assess(NULL::odr_order, 'ebay', '2025-01-20')]::text) AS null_rows;

-- states merged in parallel (partial states in the workers, serialised)
-- equal the serial ones
SET work_mem = '4MB';
\i test/regress/plan_nodes.sql
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE s_eb AS
SELECT seller, odr_assess_at(t, 'ebay', (SELECT as_of FROM t_dates WHERE marketplace = 'ebay'))::text AS a
FROM t_eb_daily GROUP BY seller;
CREATE TEMP TABLE s_amz AS
SELECT seller, odr_assess_at(o, 'amazon', (SELECT as_of FROM t_dates WHERE marketplace = 'amazon'))::text AS a
FROM t_amz GROUP BY seller;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
ANALYZE t_eb_daily;
ANALYZE t_amz;
SELECT bool_or(node = 'Partial Aggregate' AND in_worker) AS partial_in_workers,
       bool_or(node = 'Finalize Aggregate' AND NOT in_worker) AS finalized_in_leader
FROM pg_temp.plan_nodes($q$SELECT seller, odr_assess_at(t, 'ebay', ARRAY[date '2026-01-20']) FROM t_eb_daily GROUP BY seller$q$);
SELECT bool_or(node = 'Partial Aggregate' AND in_worker) AS partial_in_workers,
       bool_or(node = 'Finalize Aggregate' AND NOT in_worker) AS finalized_in_leader
FROM pg_temp.plan_nodes($q$SELECT seller, odr_assess_at(o, 'amazon', ARRAY[date '2026-01-20']) FROM t_amz GROUP BY seller$q$);
SELECT count(*) AS sellers, count(*) FILTER (WHERE p.a = s.a) AS equal
FROM (SELECT seller, odr_assess_at(t, 'ebay', (SELECT as_of FROM t_dates WHERE marketplace = 'ebay'))::text AS a
      FROM t_eb_daily GROUP BY seller) p JOIN s_eb s USING (seller);
SELECT count(*) AS sellers, count(*) FILTER (WHERE p.a = s.a) AS equal
FROM (SELECT seller, odr_assess_at(o, 'amazon', (SELECT as_of FROM t_dates WHERE marketplace = 'amazon'))::text AS a
      FROM t_amz GROUP BY seller) p JOIN s_amz s USING (seller);
-- one group over all the rows: every worker's state merged in the leader
SELECT odr_assess_at(t, 'ebay', ARRAY['2026-03-20', '2024-02-29']::date[])::text
       = ARRAY[(SELECT odr_assess(t, 'ebay', '2026-03-20') FROM t_eb_daily),
               (SELECT odr_assess(t, 'ebay', '2024-02-29') FROM t_eb_daily)]::text AS all_rows_equal
FROM t_eb_daily;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET work_mem;

-- bad input
\set ON_ERROR_STOP 0
SELECT odr_assess_at(t, 'ebay', NULL) FROM t_eb_daily;
SELECT odr_assess_at(o, 'ebay', ARRAY['2026-01-20', NULL]::date[]) FROM t_eb;
SELECT odr_assess_at(t, 'ebay', ARRAY['2026-01-20', 'infinity']::date[]) FROM t_eb_daily;
SELECT odr_assess_at(t, 'ebay', ARRAY[['2026-01-20'], ['2026-02-20']]::date[]) FROM t_eb_daily;
SELECT odr_assess_at(t, 'ebay', ARRAY['4713-11-24 BC']::date[]) FROM t_eb_daily;
SELECT odr_assess_at(t, 'etsy', ARRAY[date '2026-01-20']) FROM t_eb_daily;
SELECT odr_assess_at(o, NULL, ARRAY[date '2026-01-20']) FROM t_eb;
SELECT odr_assess_at(t, 'amazon', ARRAY[date '2026-01-20']) FROM t_eb_daily;
SELECT odr_assess_at(o, 'amazon', ARRAY[date '2026-01-20']) FROM t_eb;
-- a marketplace, then as_of, that differ between the rows of a group
SELECT odr_assess_at(d.t, v.m, ARRAY[date '2026-01-20'])
FROM (SELECT t FROM t_eb_daily LIMIT 1) d, (VALUES ('ebay'), ('amazon')) v(m);
SELECT odr_assess_at(d.t, 'ebay', v.a)
FROM (SELECT t FROM t_eb_daily LIMIT 1) d, (VALUES (ARRAY[date '2026-01-20']), (ARRAY[date '2026-02-20'])) v(a);
\set ON_ERROR_STOP 1
-- the same dates written differently are the same dates
SELECT cardinality(odr_assess_at(d.t, 'ebay', v.a)) AS dates
FROM (SELECT t FROM t_eb_daily LIMIT 1) d,
     (VALUES (ARRAY[date '2026-01-20', '2026-02-20']), ('[0:1]={2026-01-20,2026-02-20}'::date[])) v(a);
