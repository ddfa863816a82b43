-- Parallel aggregation (combine function) gives the serial result.
CREATE TABLE p_orders AS
SELECT g AS id, g % 13 AS seller,
       odr_classify(feedback_stars => 1 + (g * 7919) % 5, dsr_item => 1 + (g * 31) % 5,
                    unshipped => g % 23 = 0, arbitration => g % 41 = 0,
                    arbitration_seller_responsible => g % 82 = 0) AS d
FROM generate_series(1, 100000) g;
ANALYZE p_orders;
SET work_mem = '4MB';  -- the plans shown below, whatever the server's setting
SET max_parallel_workers_per_gather = 0;  -- the serial reference
CREATE TEMP TABLE serial_result AS
SELECT seller, odr_agg(d) AS s FROM p_orders GROUP BY seller;
CREATE TEMP TABLE serial_total AS SELECT odr_agg(d) AS s FROM p_orders;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT seller, odr_agg(d) FROM p_orders GROUP BY seller;
SELECT count(*) AS sellers, count(*) FILTER (WHERE p.s = s.s) AS equal
FROM (SELECT seller, odr_agg(d) AS s FROM p_orders GROUP BY seller) p
JOIN serial_result s USING (seller);
EXPLAIN (COSTS OFF) SELECT odr_agg(d) FROM p_orders;
SELECT (SELECT odr_agg(d) FROM p_orders) = (SELECT s FROM serial_total) AS total_equal;
-- rollup in parallel
CREATE TABLE p_daily AS SELECT seller, id % 90 AS day, odr_agg(d) AS s FROM p_orders GROUP BY 1, 2;
ANALYZE p_daily;
EXPLAIN (COSTS OFF) SELECT odr_rollup(s) FROM p_daily;
SELECT (SELECT odr_rollup(s) FROM p_daily) = (SELECT s FROM serial_total) AS rollup_equal;
-- tiers evaluated inside the workers (policy read there through SPI, and the
-- session's odr.default_policy passed on to them) equal the serial ones
INSERT INTO odr_policy (name, min_orders, excellent_below, good_below, pass_below)
VALUES ('one_order', 1, 0.01, 0.02, 0.5);
SET odr.default_policy = 'one_order';
EXPLAIN (COSTS OFF) SELECT odr_tier(odr_summary_of(odr_classify(unshipped => id % 3 = 0))) AS t, count(*) FROM p_orders GROUP BY 1;
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
