-- Issue 14: per-day tallies rolled up give the standing of the raw orders
-- (Amazon M1, eBay M2), serially and in parallel; the evaluation calendar
-- (M2.2 the 20th, effective the 1st; M2.4 the next evaluation).
SET client_min_messages = warning;
SET TimeZone = 'UTC';

CREATE TABLE r_amz AS
SELECT 'a' || g % 5 AS seller,
       odr_amazon_order(order_date => date '2026-01-01' + (g * 7) % 120, fulfilment => CASE WHEN g % 4 = 0 THEN 'afn' ELSE 'mfn' END,
                        feedback_stars => CASE WHEN g % (50 + 50 * (g % 5)) = 0 THEN 1 ELSE 5 END,
                        claim_status => CASE WHEN g % 301 = 0 THEN 'granted' END, chargeback => g % 907 = 0,
                        expected_ship_at => (date '2026-01-01' + (g * 7) % 120 + 1) + time '12:00',
                        shipped_at => CASE WHEN g % 37 <> 0 THEN (date '2026-01-01' + (g * 7) % 120 + 1) + time '12:00'
                                                                 + CASE WHEN g % 41 = 0 THEN 1 ELSE -1 END * interval '1 hour' END,
                        cancelled_at => CASE WHEN g % 37 = 0 THEN (date '2026-01-01' + (g * 7) % 120) + time '18:00' END,
                        cancelled_by => CASE WHEN g % 37 = 0 THEN (ARRAY['seller', 'auto', 'buyer'])[1 + g % 3] END,
                        -- promised delivery dates straddle the windows' edges
                        promised_delivery_date => date '2026-01-01' + (g * 7) % 120 + g % 12,
                        tracking_valid => g % 29 <> 0, buyer => 'b' || g % 97) AS o
FROM generate_series(1, 8000) g;
CREATE TABLE r_eb AS
SELECT 'e' || g % 4 AS seller,
       odr_ebay_order(date '2024-11-01' + (g * 13) % 560, 'b' || (g * 7) % (3 + 20 * (g % 4)), 5 + g % 40,
                      CASE WHEN g % 83 = 0 THEN 'seller' WHEN g % 89 = 0 THEN 'buyer' END, g % 151 = 0,
                      '2026-01-01 12:00', CASE WHEN g % 29 = 0 THEN timestamp '2026-01-02' ELSE timestamp '2026-01-01' END) AS o
FROM generate_series(1, 9000) g;

-- per-day tallies: each order once per distinct day of its date bases
CREATE TABLE r_amz_daily AS
SELECT seller, d AS day, odr_tally(o, 'amazon', d) AS t FROM r_amz, odr_order_tally_days(o) AS d GROUP BY seller, d;
CREATE TABLE r_eb_daily AS
SELECT seller, d AS day, odr_tally(o, 'ebay', d) AS t FROM r_eb, odr_order_tally_days(o) AS d GROUP BY seller, d;
SELECT (SELECT count(*) FROM r_amz_daily) AS amazon_days, (SELECT count(*) FROM r_eb_daily) AS ebay_days,
       (SELECT count(*) FROM r_amz_daily WHERE odr_tally_day(t) <> day) AS wrong_days,
       (SELECT max(odr_tally_bytes(t)) <= 256 FROM r_amz_daily) AS amazon_small,
       (SELECT max(odr_tally_bytes(t)) <= 256 FROM r_eb_daily) AS ebay_small;

-- M1 every day of March 2026, M2 twelve evaluations: raw rows = rolled-up tallies
CREATE TEMP TABLE r_amz_dates AS SELECT d::date AS d FROM generate_series(date '2026-03-01', '2026-03-31', interval '1 day') d;
SELECT count(*) AS amazon_standings, count(*) FILTER (WHERE r.s::text = x.s::text) AS equal,
       count(DISTINCT odr_level(r.s)) AS levels_seen
FROM (SELECT seller, d, odr_assess(o, 'amazon', d) AS s FROM r_amz, r_amz_dates GROUP BY seller, d) r
JOIN (SELECT seller, d, odr_assess(t, 'amazon', d) AS s FROM r_amz_daily, r_amz_dates GROUP BY seller, d) x USING (seller, d);
CREATE TEMP TABLE r_eb_dates AS SELECT evaluated_on AS e FROM odr_evaluations('ebay', '2025-06-01', '2026-05-31');
SELECT count(*) AS ebay_standings, count(*) FILTER (WHERE r.s::text = x.s::text) AS equal,
       string_agg(DISTINCT odr_level(r.s), ', ') AS levels_seen
FROM (SELECT seller, e, odr_assess(o, 'ebay', e) AS s FROM r_eb, r_eb_dates GROUP BY seller, e) r
JOIN (SELECT seller, e, odr_assess(t, 'ebay', e) AS s FROM r_eb_daily, r_eb_dates GROUP BY seller, e) x USING (seller, e);

-- tallies merged in parallel (partial states in the workers) equal the serial ones
SET work_mem = '4MB';
\i test/regress/plan_nodes.sql
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE r_serial AS
SELECT seller, odr_assess(t, 'ebay', '2026-04-20')::text AS s FROM r_eb_daily GROUP BY seller;
CREATE TEMP TABLE r_serial_tally AS
SELECT seller, d, odr_tally(o, 'amazon', d)::text AS t
FROM r_amz, odr_order_tally_days(o) d WHERE d BETWEEN '2026-03-01' AND '2026-03-10' GROUP BY seller, d;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
ANALYZE r_eb_daily;
ANALYZE r_amz;
SELECT bool_or(node = 'Partial Aggregate' AND in_worker) AS partial_in_workers,
       bool_or(node = 'Finalize Aggregate' AND NOT in_worker) AS finalized_in_leader
FROM pg_temp.plan_nodes($q$SELECT odr_assess(t, 'ebay', '2026-04-20') FROM r_eb_daily$q$);
SELECT count(*) AS sellers, count(*) FILTER (WHERE p.s = s.s) AS equal
FROM (SELECT seller, odr_assess(t, 'ebay', '2026-04-20')::text AS s FROM r_eb_daily GROUP BY seller) p JOIN r_serial s USING (seller);
SELECT bool_or(node = 'Partial Aggregate' AND in_worker) AS partial_in_workers
FROM pg_temp.plan_nodes($q$SELECT odr_tally(o, 'amazon', '2026-03-03') FROM r_amz$q$);
SELECT count(*) AS seller_days, count(*) FILTER (WHERE p.t = s.t) AS equal
FROM (SELECT seller, d, odr_tally(o, 'amazon', d)::text AS t
      FROM r_amz, odr_order_tally_days(o) d WHERE d BETWEEN '2026-03-01' AND '2026-03-10' GROUP BY seller, d) p
JOIN r_serial_tally s USING (seller, d);
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;

-- text and binary forms of a tally
SELECT count(*) AS tallies, count(*) FILTER (WHERE t::text::odr_tally::text = t::text) AS text_round_trip FROM r_eb_daily;
\copy r_eb_daily TO 'results/marketplace_tallies.bin' WITH (FORMAT binary)
CREATE TEMP TABLE r_back (LIKE r_eb_daily);
\copy r_back FROM 'results/marketplace_tallies.bin' WITH (FORMAT binary)
SELECT count(*) FILTER (WHERE a.t::text = b.t::text) AS binary_round_trip FROM r_eb_daily a JOIN r_back b USING (seller, day);

-- ---------------------------------------------------------------------
-- the calendar: M2.2 the 20th, effective the 1st of the next month (a
-- 29-day February included); Amazon daily; M2.4 the next evaluation
-- ---------------------------------------------------------------------
SELECT * FROM odr_evaluations('ebay', '2024-01-20', '2024-04-19');
SELECT * FROM odr_evaluations('amazon', '2024-02-28', '2024-03-01');
SELECT d, odr_next_evaluation('ebay', d) AS ebay_next, odr_next_evaluation('amazon', d) AS amazon_next
FROM (VALUES (date '2026-07-10'), ('2026-07-19'), ('2026-07-20'), ('2026-07-25'), ('2026-12-25'), ('2024-02-29')) v(d);
-- M2.4: on 25 July 2026 the projected level is the 20 August evaluation over
-- the transactions known that day (July partial); the level in effect is
-- that of the evaluation whose effective range holds the day (20 June)
SELECT seller, (SELECT evaluated_on FROM odr_evaluations('ebay', '2026-05-01', '2026-07-25')
                WHERE '2026-07-25' BETWEEN effective_from AND effective_to) AS in_effect_since,
       odr_level(odr_assess(t, 'ebay', '2026-06-20')) AS in_effect,
       odr_next_evaluation('ebay', '2026-07-25') AS projected_on,
       odr_level(odr_assess(t, 'ebay', odr_next_evaluation('ebay', '2026-07-25'))) AS projected,
       odr_metric_value(odr_assess(t, 'ebay', odr_next_evaluation('ebay', '2026-07-25')), 'transactions') AS projected_transactions
FROM r_eb_daily WHERE day <= '2026-07-25' GROUP BY seller ORDER BY seller;

-- bad input
\set ON_ERROR_STOP 0
SELECT odr_tally(o, 'amazon', '2026-03-03') FROM r_eb LIMIT 1;
SELECT odr_tally(o, 'ebay', NULL) FROM r_eb;
SELECT odr_tally(o, 'ebay', d) FROM r_eb, (VALUES (date '2026-01-01'), ('2026-01-02')) v(d);
SELECT odr_tally(o, NULL, '2026-01-01') FROM r_eb;
SELECT odr_tally(o, 'ebay', 'infinity') FROM r_eb;
SELECT odr_assess(t, 'amazon', '2026-04-20') FROM r_eb_daily;
SELECT odr_assess(t, 'ebay', NULL) FROM r_eb_daily;
SELECT odr_assess(t, 'ebay', d) FROM r_eb_daily, (VALUES (date '2026-04-20'), ('2026-05-20')) v(d);
SELECT 'v1:00'::odr_tally;
SELECT 'v1:0g'::odr_tally;
SELECT odr_evaluations('etsy', '2026-01-01', '2026-02-01');
SELECT odr_evaluations('ebay', '-infinity', '2026-02-01');
SELECT odr_evaluations('ebay', '2026-01-01', 'infinity');
SELECT odr_evaluations('amazon', '1800-01-01', '2026-01-01');
SELECT odr_next_evaluation('ebay', 'infinity');
SELECT odr_next_evaluation('mars', '2026-01-01');
\set ON_ERROR_STOP 1
SELECT count(*) AS none_when_reversed FROM odr_evaluations('ebay', '2026-02-01', '2026-01-01');
