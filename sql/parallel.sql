-- Parallel aggregation (combine function) gives the serial result.
CREATE TABLE p_orders AS
SELECT g AS id, g % 13 AS seller,
       odr_classify(feedback_stars => 1 + (g * 7919) % 5, dsr_item => 1 + (g * 31) % 5,
                    unshipped => g % 23 = 0, arbitration => g % 41 = 0,
                    arbitration_seller_responsible => g % 82 = 0) AS d
FROM generate_series(1, 100000) g;
ANALYZE p_orders;
SET work_mem = '4MB';  -- the plans checked below, whatever the server's setting
\i test/regress/plan_nodes.sql
SET max_parallel_workers_per_gather = 0;  -- the serial reference
CREATE TEMP TABLE serial_result AS
SELECT seller, odr_agg(d) AS s FROM p_orders GROUP BY seller;
CREATE TEMP TABLE serial_total AS SELECT odr_agg(d) AS s FROM p_orders;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
-- (each plan: a partial aggregate in the workers, finalized in the leader)
SELECT bool_or(node = 'Partial Aggregate' AND in_worker) AS partial_in_workers,
       bool_or(node = 'Finalize Aggregate' AND NOT in_worker) AS finalized_in_leader
FROM pg_temp.plan_nodes($q$SELECT seller, odr_agg(d) FROM p_orders GROUP BY seller$q$);
SELECT count(*) AS sellers, count(*) FILTER (WHERE p.s = s.s) AS equal
FROM (SELECT seller, odr_agg(d) AS s FROM p_orders GROUP BY seller) p
JOIN serial_result s USING (seller);
SELECT bool_or(node = 'Partial Aggregate' AND in_worker) AS partial_in_workers,
       bool_or(node = 'Finalize Aggregate' AND NOT in_worker) AS finalized_in_leader
FROM pg_temp.plan_nodes($q$SELECT odr_agg(d) FROM p_orders$q$);
SELECT (SELECT odr_agg(d) FROM p_orders) = (SELECT s FROM serial_total) AS total_equal;
-- rollup in parallel
CREATE TABLE p_daily AS SELECT seller, id % 90 AS day, odr_agg(d) AS s FROM p_orders GROUP BY 1, 2;
ANALYZE p_daily;
SELECT bool_or(node = 'Partial Aggregate' AND in_worker) AS partial_in_workers,
       bool_or(node = 'Finalize Aggregate' AND NOT in_worker) AS finalized_in_leader
FROM pg_temp.plan_nodes($q$SELECT odr_rollup(s) FROM p_daily$q$);
SELECT (SELECT odr_rollup(s) FROM p_daily) = (SELECT s FROM serial_total) AS rollup_equal;
-- odr_agg_at in parallel (issue #19): the same assessments as serially; every
-- worker checks each row it reads against its group's first row, and the
-- leader checks the partial states before it combines them
CREATE FUNCTION p_err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
CREATE TEMP VIEW p_timed AS
SELECT id, seller, d, date '2026-01-01' + id % 200 AS day,
       timestamptz '2026-01-01 00:00+08' + (id % 200) * interval '24 hours' + (id % 1440) * interval '1 minute' AS at
FROM p_orders;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_at AS
SELECT seller, odr_agg_at(day, d, '{2026-03-31,2026-06-30}', 90) AS s,
       odr_agg_at(at, d, '{2026-03-31,2026-06-30}', 90, 'Asia/Shanghai') AS tz
FROM p_timed GROUP BY seller;
SET max_parallel_workers_per_gather = 2;
SELECT bool_or(node = 'Partial Aggregate' AND in_worker) AS partial_in_workers,
       bool_or(node = 'Finalize Aggregate' AND NOT in_worker) AS finalized_in_leader
FROM pg_temp.plan_nodes($q$SELECT seller, odr_agg_at(day, d, '{2026-03-31,2026-06-30}', 90),
       odr_agg_at(at, d, '{2026-03-31,2026-06-30}', 90, 'Asia/Shanghai')
FROM p_timed GROUP BY seller$q$);
SELECT count(*) AS sellers, count(*) FILTER (WHERE p.s = s.s AND p.tz = s.tz AND p.tz = p.s) AS equal
FROM (SELECT seller, odr_agg_at(day, d, '{2026-03-31,2026-06-30}', 90) AS s,
             odr_agg_at(at, d, '{2026-03-31,2026-06-30}', 90, 'Asia/Shanghai') AS tz
      FROM p_timed GROUP BY seller) p
JOIN serial_at s USING (seller);
-- no rows in a parallel plan: NULL, as serially
SELECT bool_or(node = 'Partial Aggregate' AND in_worker) AS partial_in_workers,
       bool_or(node = 'Finalize Aggregate' AND NOT in_worker) AS finalized_in_leader
FROM pg_temp.plan_nodes($q$SELECT odr_agg_at(day, d, '{2026-03-31}', 90) FROM p_timed WHERE abs(id) < 0$q$);
SELECT odr_agg_at(day, d, '{2026-03-31}', 90) IS NULL AS no_rows_null FROM p_timed WHERE abs(id) < 0;
-- as_of, days or since_first_day that vary within a group: 22023 in the
-- parallel plan (which of the two values a worker meets first varies: SQLSTATE only) ...
SELECT left(p_err($q$SELECT seller, odr_agg_at(day, d, '{2026-03-31}', 90 + (id > 50000)::int) FROM p_timed GROUP BY seller$q$), 6) AS days_vary;
SELECT left(p_err($q$SELECT seller, odr_agg_at(day, d, CASE WHEN id > 50000 THEN '{2026-03-31}'::date[] ELSE '{2026-06-30}' END, 90) FROM p_timed GROUP BY seller$q$), 6) AS as_of_vary;
SELECT left(p_err($q$SELECT seller, odr_rollup_at(day, odr_summary_of(d), '{2026-03-31}', 90, id > 50000) FROM p_timed GROUP BY seller$q$), 6) AS since_first_vary;
SELECT left(p_err($q$SELECT odr_agg_at(day, d, '{2026-03-31}', 90 + (id > 99990)::int) FROM p_timed$q$), 6) AS days_vary_in_one_group;
-- ... and in the serial one, where the first row in table order comes first
SET max_parallel_workers_per_gather = 0;
SELECT p_err($q$SELECT seller, odr_agg_at(day, d, '{2026-03-31}', 90 + (id > 50000)::int) FROM p_timed GROUP BY seller$q$) AS days_vary;
SELECT p_err($q$SELECT seller, odr_agg_at(day, d, CASE WHEN id > 50000 THEN '{2026-03-31}'::date[] ELSE '{2026-06-30}' END, 90) FROM p_timed GROUP BY seller$q$) AS as_of_vary;
-- partial states with different windows are never merged: with partitionwise
-- aggregation each partition gives a partial state per group, and the
-- combine function meets them (rows of one partition agree, the two differ)
CREATE TABLE p_parts (part int, seller int, day date, d odr_defects) PARTITION BY LIST (part);
CREATE TABLE p_parts_30 PARTITION OF p_parts FOR VALUES IN (30);
CREATE TABLE p_parts_90 PARTITION OF p_parts FOR VALUES IN (90);
INSERT INTO p_parts SELECT p, g % 3, date '2026-01-01' + g % 60, '{}' FROM generate_series(1, 300) g, (VALUES (30), (90)) v(p);
ANALYZE p_parts;
CREATE TEMP TABLE p_parts_whole AS SELECT seller, odr_agg_at(day, d, '{2026-02-28}', 90) AS s FROM p_parts GROUP BY seller;
SET enable_partitionwise_aggregate = on;
-- (one partial aggregate per partition, combined by one finalize)
SELECT count(*) FILTER (WHERE node = 'Partial Aggregate') AS partial_aggregates,
       count(*) FILTER (WHERE node = 'Finalize Aggregate') AS finalize_aggregates
FROM pg_temp.plan_nodes($q$SELECT seller, odr_agg_at(day, d, '{2026-02-28}', part) FROM p_parts GROUP BY seller$q$);
SELECT p_err($q$SELECT seller, odr_agg_at(day, d, '{2026-02-28}', part) FROM p_parts GROUP BY seller$q$) AS days_differ;
SELECT p_err($q$SELECT seller, odr_agg_at(day, d, CASE part WHEN 30 THEN '{2026-02-28}'::date[] ELSE '{2026-01-31,2026-02-28}' END, 90) FROM p_parts GROUP BY seller$q$) AS as_of_differs;
SELECT p_err($q$SELECT seller, odr_agg_at(day, d, '{2026-02-28}', 90, part = 30) FROM p_parts GROUP BY seller$q$) AS since_first_day_differs;
-- the same windows in both partitions combine to the answer without partitionwise aggregation
SELECT count(*) FILTER (WHERE x.s = w.s) AS equal, count(*) AS sellers
FROM (SELECT seller, odr_agg_at(day, d, '{2026-02-28}', 90) AS s FROM p_parts GROUP BY seller) x
JOIN p_parts_whole w USING (seller);
RESET enable_partitionwise_aggregate;
SET max_parallel_workers_per_gather = 2;
DROP TABLE p_parts;
DROP VIEW p_timed;
DROP FUNCTION p_err(text);
-- tiers evaluated inside the workers (policy read there through SPI, and the
-- session's odr.default_policy passed on to them) equal the serial ones
INSERT INTO odr_policy (name, min_orders, excellent_below, good_below, pass_below)
VALUES ('one_order', 1, 0.01, 0.02, 0.5);
SET odr.default_policy = 'one_order';
-- (the workers compute odr_tier)
SELECT bool_or(in_worker AND output LIKE '%odr_tier(%') AS tier_in_workers
FROM pg_temp.plan_nodes($q$SELECT odr_tier(odr_summary_of(odr_classify(unshipped => id % 3 = 0))) AS t, count(*) FROM p_orders GROUP BY 1$q$);
CREATE TEMP TABLE parallel_tiers AS
SELECT odr_tier(odr_summary_of(odr_classify(unshipped => id % 3 = 0))) AS t, count(*) AS n FROM p_orders GROUP BY 1;
SET max_parallel_workers_per_gather = 0;
SELECT t, n, n = (SELECT count(*) FROM p_orders WHERE odr_tier(odr_summary_of(odr_classify(unshipped => id % 3 = 0))) = t) AS serial_equal
FROM parallel_tiers ORDER BY t;
RESET odr.default_policy;
DELETE FROM odr_policy WHERE name = 'one_order';
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
DROP TABLE p_daily;
DROP TABLE p_orders;
