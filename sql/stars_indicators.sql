-- 1688 service stars: the order-based indicators S3, S5, S6, S7.
-- Every expected value below is worked out by hand in the comment above it.
SET timezone = 'UTC';
\i test/regress/plan_nodes.sql

-- ---------------------------------------------------------------------
-- S3 on-time shipping, one order at a time (odr_shipped_on_time)
-- ---------------------------------------------------------------------
-- S3 no promise: on time if shipped within 48 hours of payment; exactly 48 h is on time
SELECT odr_shipped_on_time('2026-10-01 09:00', NULL, '2026-10-03 08:59', 'infinity') AS "47:59 on time";
SELECT odr_shipped_on_time('2026-10-01 09:00', NULL, '2026-10-03 09:00', 'infinity') AS "48:00 on time";
SELECT odr_shipped_on_time('2026-10-01 09:00', NULL, '2026-10-03 09:01', 'infinity') AS "48:01 late";
-- 48 hours of elapsed time, not two calendar days: across the end of summer time in Berlin (2026-10-25)
SELECT odr_shipped_on_time('2026-10-24 12:00+02', NULL, '2026-10-26 11:00+01', 'infinity') AS "48:00 across DST on time";
-- S3 with a promise: the promise replaces the 48 h rule, both ways
SELECT odr_shipped_on_time('2026-10-01 09:00', '2026-10-01 21:00', '2026-10-01 21:00', 'infinity') AS "at the promise on time";
SELECT odr_shipped_on_time('2026-10-01 09:00', '2026-10-01 21:00', '2026-10-01 21:00:00.000001', 'infinity') AS "1 us after the promise late";
SELECT odr_shipped_on_time('2026-10-01 09:00', '2026-10-08 09:00', '2026-10-06 09:00', 'infinity') AS "7-day promise, day 5 on time";
-- S3 not shipped yet: not counted (NULL) until the deadline has passed, late after it
SELECT odr_shipped_on_time('2026-10-01 09:00', NULL, NULL, '2026-10-03 08:00') AS "pending: NULL";
SELECT odr_shipped_on_time('2026-10-01 09:00', NULL, NULL, '2026-10-03 09:00') AS "at the deadline: NULL";
SELECT odr_shipped_on_time('2026-10-01 09:00', NULL, NULL, '2026-10-03 09:00:00.000001') AS "past the deadline: late";
SELECT odr_shipped_on_time('2026-10-01 09:00', NULL, NULL, 'infinity') AS "as_of infinity: late";
-- ... nothing after as_of is known: a later shipment, a later payment
SELECT odr_shipped_on_time('2026-10-01 09:00', NULL, '2026-10-02 09:00', '2026-10-02 08:00') AS "shipped after as_of: NULL";
SELECT odr_shipped_on_time('2026-10-01 09:00', NULL, '2026-10-05 09:00', '2026-10-04 09:00') AS "shipped after as_of, past deadline: late";
SELECT odr_shipped_on_time('2026-10-05 09:00', NULL, NULL, '2026-10-04 09:00') AS "paid after as_of: NULL";
-- no payment: not counted
SELECT odr_shipped_on_time(NULL, '2026-10-01 21:00', '2026-10-01 20:00', 'infinity') AS "unpaid: NULL";
-- without as_of: judged as of now() (the start of the transaction)
SELECT odr_shipped_on_time('2000-01-01 00:00', NULL, NULL) AS "unshipped since 2000: late";
SELECT odr_shipped_on_time('2000-01-01 00:00', NULL, '2000-01-02 00:00') AS "shipped in 24 h: on time";
SELECT odr_shipped_on_time('2999-01-01 00:00', NULL, NULL) AS "paid in 2999: NULL";
SELECT provolatile FROM pg_proc WHERE oid = 'odr_shipped_on_time(timestamptz, timestamptz, timestamptz)'::regprocedure;
SELECT provolatile FROM pg_proc WHERE oid = 'odr_shipped_on_time(timestamptz, timestamptz, timestamptz, timestamptz)'::regprocedure;

-- ---------------------------------------------------------------------
-- S3 odr_on_time_rate: B-buyer (L3-L6) weighting
-- ---------------------------------------------------------------------
CREATE TABLE s3_orders (seller text, paid_at timestamptz, promised_ship_by timestamptz,
                        shipped_at timestamptz, buyer_level int);
INSERT INTO s3_orders VALUES
  ('a', '2026-10-01 09:00', NULL,               '2026-10-03 08:59', NULL),  -- 47:59 on time, weight 1
  ('a', '2026-10-01 09:00', NULL,               '2026-10-03 09:00', 2),     -- 48:00 on time, weight 1 (L2)
  ('a', '2026-10-01 09:00', NULL,               '2026-10-03 09:01', 3),     -- 48:01 late, weight 2 (L3)
  ('a', '2026-10-01 09:00', '2026-10-01 21:00', '2026-10-01 20:00', 6),     -- on time, weight 2 (L6)
  ('a', '2026-10-30 09:00', NULL,               NULL,               4),     -- pending at as_of 10-31 12:00: left out
  ('a', NULL,               NULL,               NULL,               5),     -- not paid: left out
  ('b', '2026-10-02 09:00', '2026-10-03 09:00', '2026-10-04 09:00', 1),     -- late, weight 1
  ('b', '2026-10-02 09:00', NULL,               NULL,               5);     -- unshipped past deadline: late, weight 2
-- a (as of 2026-10-31 12:00, weight 2): on time 1 + 1 + 2 = 4 of 1 + 1 + 2 + 2 = 6 -> 0.6667
-- b: 0 of 3 -> 0
SELECT seller, round(odr_on_time_rate(paid_at, promised_ship_by, shipped_at, buyer_level,
                                      timestamptz '2026-10-31 12:00')::numeric, 4) AS s3
FROM s3_orders GROUP BY seller ORDER BY seller;
-- the same with every order of equal weight (business_weight 1): a 3 of 4 = 0.75, b 0 of 2 = 0
SELECT seller, odr_on_time_rate(paid_at, promised_ship_by, shipped_at, buyer_level, 1.0,
                                timestamptz '2026-10-31 12:00') AS s3
FROM s3_orders GROUP BY seller ORDER BY seller;
-- business_weight 3: a (1 + 1 + 3) / (1 + 1 + 3 + 3) = 0.625
SELECT odr_on_time_rate(paid_at, promised_ship_by, shipped_at, buyer_level, 3.0,
                        timestamptz '2026-10-31 12:00') AS s3
FROM s3_orders WHERE seller = 'a';
-- as of the end of time the pending order of a (L4, weight 2) is late: 4 / 8 = 0.5
SELECT odr_on_time_rate(paid_at, promised_ship_by, shipped_at, buyer_level, timestamptz 'infinity') AS s3
FROM s3_orders WHERE seller = 'a';
-- as of now() (these orders are long past): the same 0.5
SELECT odr_on_time_rate(paid_at, promised_ship_by, shipped_at, buyer_level) AS s3
FROM s3_orders WHERE seller = 'a';
SELECT odr_on_time_rate(paid_at, promised_ship_by, shipped_at, buyer_level, 2.0) AS s3
FROM s3_orders WHERE seller = 'a';
-- no order counts: NULL, never 0 (no rows; only unpaid or pending orders)
SELECT odr_on_time_rate(paid_at, promised_ship_by, shipped_at, buyer_level) AS s3 FROM s3_orders WHERE false;
SELECT odr_on_time_rate(paid_at, promised_ship_by, shipped_at, buyer_level, timestamptz '2026-10-31 12:00') AS s3
FROM s3_orders WHERE seller = 'a' AND (paid_at IS NULL OR shipped_at IS NULL);
-- the companion function agrees with the aggregate, row by row
SELECT seller, buyer_level, odr_shipped_on_time(paid_at, promised_ship_by, shipped_at, '2026-10-31 12:00') AS on_time
FROM s3_orders ORDER BY seller, paid_at, shipped_at;

-- ---------------------------------------------------------------------
-- S5 quality refund rate
-- ---------------------------------------------------------------------
SELECT odr_quality_reasons();
CREATE TABLE s5_orders (seller text, first_refund_reason text);
INSERT INTO s5_orders VALUES
  ('a', NULL), ('a', NULL), ('a', NULL),            -- no refund
  ('a', 'quality_problem'),                          -- quality
  ('a', 'Not_As_Described'),                         -- quality (ASCII case ignored)
  ('a', 'changed_mind'),                             -- a refund, not for quality
  ('a', 'missing_items'),                            -- not quality by default
  ('a', 'damaged'),                                  -- quality
  ('b', 'counterfeit'), ('b', 'poor_workmanship'),   -- quality
  ('b', NULL), ('b', 'size_mismatch');
-- S5 default list: a 3 of 8 = 0.375; b 2 of 4 = 0.5
SELECT seller, odr_quality_refund_rate(first_refund_reason) AS s5 FROM s5_orders GROUP BY seller ORDER BY seller;
-- own list: the default plus missing_items and size_mismatch: a 4 / 8 = 0.5, b 3 / 4 = 0.75
SELECT seller, odr_quality_refund_rate(first_refund_reason, odr_quality_reasons() || '{missing_items,size_mismatch}') AS s5
FROM s5_orders GROUP BY seller ORDER BY seller;
-- a list in Chinese: only '质量问题' counts: 1 of 3
SELECT odr_quality_refund_rate(r, '{质量问题,与描述不符}') AS s5 FROM (VALUES ('质量问题'), ('不想要了'), (NULL)) v(r);
-- a list that changes from row to row is applied row by row: 1 of 2
SELECT odr_quality_refund_rate(r, l) AS s5
FROM (VALUES ('damaged', '{damaged}'::text[]), ('damaged', '{counterfeit}')) v(r, l);
-- no rows: NULL
SELECT odr_quality_refund_rate(first_refund_reason) AS s5 FROM s5_orders WHERE false;
-- only orders without refunds: 0
SELECT odr_quality_refund_rate(first_refund_reason) AS s5 FROM s5_orders WHERE first_refund_reason IS NULL;
SELECT r, odr_is_quality_refund(r) AS quality, odr_is_quality_refund(r, '{changed_mind}') AS own
FROM (VALUES ('quality_problem'), ('DAMAGED'), ('changed_mind'), (NULL)) v(r);

-- ---------------------------------------------------------------------
-- S6 refund hours
-- ---------------------------------------------------------------------
CREATE TABLE s6_refunds (seller text, requested_at timestamptz, completed_at timestamptz, buyer_level int);
INSERT INTO s6_refunds VALUES
  ('a', '2026-10-01 09:00', '2026-10-01 15:00', NULL),  -- 6 h, weight 1
  ('a', '2026-10-02 09:00', '2026-10-02 12:00', 3),     -- 3 h, weight 2
  ('a', '2026-10-03 09:00', '2026-10-03 09:30', 2),     -- 0.5 h, weight 1
  ('a', '2026-10-04 09:00', NULL,               5),     -- not completed yet: left out
  ('a', NULL,               NULL,               4),     -- no refund: left out
  ('b', '2026-10-05 09:00', NULL,               6);     -- not completed yet: left out
-- a: (6 + 2 x 3 + 0.5) / (1 + 2 + 1) = 12.5 / 4 = 3.125 h; b: no completed refund -> NULL
SELECT seller, odr_refund_hours(requested_at, completed_at, buyer_level) AS s6
FROM s6_refunds GROUP BY seller ORDER BY seller;
-- business_weight 1 (plain mean): (6 + 3 + 0.5) / 3 = 3.1666...
SELECT round(odr_refund_hours(requested_at, completed_at, buyer_level, 1.0)::numeric, 4) AS s6
FROM s6_refunds WHERE seller = 'a';
-- business_weight 4: (6 + 12 + 0.5) / 6 = 3.0833...
SELECT round(odr_refund_hours(requested_at, completed_at, buyer_level, 4)::numeric, 4) AS s6
FROM s6_refunds WHERE seller = 'a';
-- completed the moment it was requested: 0 hours
SELECT odr_refund_hours(r, r, 1) AS s6 FROM (VALUES (timestamptz '2026-10-01 09:00')) v(r);

-- ---------------------------------------------------------------------
-- S3, S6: any finite business_weight gives the true value (issue #19)
-- ---------------------------------------------------------------------
-- a weight so large that the weighted sums pass the largest double used to
-- give S3 0 and S6 Infinity; the value is the limit as the weight grows:
-- the business orders alone.  S3 a: business 1 of 2 on time -> 0.5; b: 0 of 1 -> 0
SELECT seller, odr_on_time_rate(paid_at, promised_ship_by, shipped_at, buyer_level, 1e308,
                                timestamptz '2026-10-31 12:00') AS s3_1e308,
       odr_on_time_rate(paid_at, promised_ship_by, shipped_at, buyer_level, 1.7976931348623157e308,
                        timestamptz '2026-10-31 12:00') AS s3_largest_double
FROM s3_orders GROUP BY seller ORDER BY seller;
-- S6 a: the business refund took 3 h
SELECT odr_refund_hours(requested_at, completed_at, buyer_level, 1e308) AS s6_1e308 FROM s6_refunds WHERE seller = 'a';
-- and the smallest weights: the other orders alone (a: (6 + 0.5) / 2 = 3.25 h), finite and not NaN
SELECT round(odr_refund_hours(requested_at, completed_at, buyer_level, 1e-300)::numeric, 10) AS s6_1e_300,
       round(odr_refund_hours(requested_at, completed_at, buyer_level, 4.9e-324)::numeric, 10) AS s6_smallest_double
FROM s6_refunds WHERE seller = 'a';
-- a weight that does not overflow keeps its exact weighted value: (1 + 1 + 1e300) / (1 + 1 + 2e300) = 0.5
SELECT odr_on_time_rate(paid_at, promised_ship_by, shipped_at, buyer_level, 1e300,
                        timestamptz '2026-10-31 12:00') AS s3_1e300
FROM s3_orders WHERE seller = 'a';

-- ---------------------------------------------------------------------
-- S7 dispute rate
-- ---------------------------------------------------------------------
CREATE TABLE s7_orders (seller text, ruling text);
INSERT INTO s7_orders VALUES
  ('a', NULL), ('a', NULL), ('a', NULL), ('a', NULL), ('a', NULL), ('a', NULL),  -- no dispute
  ('a', 'seller'),    -- counts
  ('a', 'Both'),      -- counts (ASCII case ignored)
  ('a', 'buyer'),     -- ruled the buyer's responsibility: does not count
  ('a', 'pending'),   -- not ruled yet: does not count
  ('b', 'none'), ('b', 'SELLER');
-- a: 2 of 10 = 0.2; b: 1 of 2 = 0.5
SELECT seller, odr_dispute_rate(ruling) AS s7 FROM s7_orders GROUP BY seller ORDER BY seller;
SELECT odr_dispute_rate(ruling) AS s7 FROM s7_orders WHERE false;
SELECT ruling, odr_dispute_counted(ruling) FROM (VALUES ('seller'), ('both'), ('buyer'), ('none'), ('pending'), (NULL)) v(ruling);

-- the aggregates also work as window functions: a running rate 0, 1/2, 1/3, 2/4
SELECT n, ruling, odr_dispute_rate(ruling) OVER (ORDER BY n) AS running
FROM (VALUES (1, NULL), (2, 'seller'), (3, 'buyer'), (4, 'both')) v(n, ruling) ORDER BY n;

-- ---------------------------------------------------------------------
-- Bad input: each on its own line, SQLSTATE and message
-- ---------------------------------------------------------------------
CREATE FUNCTION s_err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
-- buyer levels outside 1..6 (22023), in S3 and S6
SELECT s_err($$SELECT odr_on_time_rate(now(), NULL, now(), 0)$$);
SELECT s_err($$SELECT odr_on_time_rate(now(), NULL, now(), 7)$$);
SELECT s_err($$SELECT odr_on_time_rate(NULL, NULL, NULL, -1)$$);
SELECT s_err($$SELECT odr_refund_hours(now(), now(), 7)$$);
SELECT s_err($$SELECT odr_refund_hours(NULL, NULL, 0, 2.0)$$);
-- business weights: NULL (22004), not positive or not finite (22023), different on two rows (22023)
SELECT s_err($$SELECT odr_on_time_rate(now(), NULL, now(), 3, NULL::float8)$$);
SELECT s_err($$SELECT odr_on_time_rate(now(), NULL, now(), 3, 0)$$);
SELECT s_err($$SELECT odr_on_time_rate(now(), NULL, now(), 3, -2)$$);
SELECT s_err($$SELECT odr_on_time_rate(now(), NULL, now(), 3, 'NaN'::float8)$$);
SELECT s_err($$SELECT odr_on_time_rate(now(), NULL, now(), 3, 'Infinity'::float8, now())$$);
SELECT s_err($$SELECT odr_refund_hours(now(), now(), 3, NULL)$$);
SELECT s_err($$SELECT odr_refund_hours(now(), now(), 3, '-Infinity')$$);
SELECT s_err($$SELECT odr_refund_hours(now(), now(), 3, w) FROM (VALUES (2.0), (3.0)) v(w)$$);
-- S3 negative durations (22023)
SELECT s_err($$SELECT odr_shipped_on_time('2026-10-01 09:00', NULL, '2026-10-01 08:59:59')$$);
SELECT s_err($$SELECT odr_shipped_on_time('2026-10-01 09:00', '2026-10-01 08:00', NULL, 'infinity')$$);
SELECT s_err($$SELECT odr_on_time_rate('2026-10-01 09:00', NULL, '2026-09-30 09:00', 1)$$);
-- S3 as_of NULL (22004), infinite timestamps (22008)
SELECT s_err($$SELECT odr_shipped_on_time('2026-10-01 09:00', NULL, NULL, NULL)$$);
SELECT s_err($$SELECT odr_on_time_rate('2026-10-01 09:00', NULL, NULL, 1, NULL::timestamptz)$$);
SELECT s_err($$SELECT odr_shipped_on_time('2026-10-01 09:00', NULL, NULL, '-infinity')$$);
SELECT s_err($$SELECT odr_shipped_on_time('infinity', NULL, NULL)$$);
SELECT s_err($$SELECT odr_shipped_on_time('2026-10-01 09:00', 'infinity', NULL)$$);
SELECT s_err($$SELECT odr_shipped_on_time('2026-10-01 09:00', NULL, '-infinity')$$);
-- S6 completion before request (22023), completion without request (22004), infinite (22008)
SELECT s_err($$SELECT odr_refund_hours('2026-10-01 09:00', '2026-10-01 08:00', 1)$$);
SELECT s_err($$SELECT odr_refund_hours(NULL, '2026-10-01 08:00', 1)$$);
SELECT s_err($$SELECT odr_refund_hours('2026-10-01 09:00', 'infinity', 1)$$);
-- S7 unknown rulings (22023)
SELECT s_err($$SELECT odr_dispute_rate('sellers')$$);
SELECT s_err($$SELECT odr_dispute_rate('')$$);
SELECT s_err($$SELECT odr_dispute_rate(' seller')$$);
SELECT s_err($$SELECT odr_dispute_counted('卖家责任')$$);
-- S5: empty reason (22023); quality_reasons NULL, NULL element (22004), empty, empty element, duplicate (22023), 2-D (2202E)
SELECT s_err($$SELECT odr_quality_refund_rate('')$$);
SELECT s_err($$SELECT odr_is_quality_refund('')$$);
SELECT s_err($$SELECT odr_quality_refund_rate('damaged', NULL)$$);
SELECT s_err($$SELECT odr_quality_refund_rate('damaged', '{damaged,NULL}')$$);
SELECT s_err($$SELECT odr_quality_refund_rate('damaged', '{}')$$);
SELECT s_err($$SELECT odr_quality_refund_rate(NULL, '{}')$$);
SELECT s_err($$SELECT odr_quality_refund_rate('damaged', '{damaged,""}')$$);
SELECT s_err($$SELECT odr_quality_refund_rate('damaged', '{damaged,counterfeit,Damaged}')$$);
SELECT s_err($$SELECT odr_is_quality_refund('damaged', '{{damaged},{counterfeit}}')$$);
SELECT s_err($$SELECT odr_is_quality_refund('damaged', NULL)$$);
-- a bad list on a later row is caught although the first list was fine
SELECT s_err($$SELECT odr_quality_refund_rate(r, l) FROM (VALUES ('damaged', '{damaged}'::text[]), ('damaged', '{x,X}')) v(r, l)$$);
-- the message and detail as a client sees them
\set VERBOSITY default
SELECT odr_on_time_rate('2026-10-01 09:00', NULL, '2026-09-30 09:00', 7);
SELECT odr_on_time_rate('2026-10-01 09:00', NULL, '2026-09-30 09:00', 1);
SELECT odr_refund_hours('2026-10-01 09:00', '2026-10-01 08:00', 1);
SELECT odr_dispute_rate('seller''s fault');
-- one bad row fails the whole aggregate: the detail gives every timestamp of
-- the order (and the promised hours), the hint the WHERE clauses that find it
SELECT odr_on_time_rate(paid_at, promised_ship_by, shipped_at, buyer_level, timestamptz 'infinity')
FROM (VALUES (timestamptz '2026-10-01 09:00', timestamptz '2026-10-03 09:00', timestamptz '2026-10-02 09:00', 1),
             ('2026-10-01 09:00', '2026-10-01 08:30', NULL, 3)) AS o(paid_at, promised_ship_by, shipped_at, buyer_level);
SELECT odr_on_time_rate(paid_at, promised_ship_by, shipped_at, buyer_level, timestamptz 'infinity')
FROM (VALUES (timestamptz '2026-10-01 09:00:00.25', timestamptz '2026-10-03 09:00', timestamptz '2026-10-01 09:00', 1)) AS o(paid_at, promised_ship_by, shipped_at, buyer_level);
SELECT odr_refund_hours(NULL, '2026-10-01 08:00', 1);
-- ... and the hint's query finds the row
CREATE TABLE s3_bad (id int, paid_at timestamptz, promised_ship_by timestamptz, shipped_at timestamptz, buyer_level int);
INSERT INTO s3_bad SELECT g, timestamptz '2026-10-01' + g * interval '1 hour', NULL,
                          timestamptz '2026-10-01' + g * interval '1 hour' + interval '5 hours', 1
FROM generate_series(1, 1000) g;
UPDATE s3_bad SET shipped_at = paid_at - interval '90 minutes' WHERE id = 617;
SELECT s_err($$SELECT odr_on_time_rate(paid_at, promised_ship_by, shipped_at, buyer_level) FROM s3_bad$$);
SELECT id FROM s3_bad WHERE paid_at = '2026-10-26 17:00:00+00' AND shipped_at = '2026-10-26 15:30:00+00';
SELECT id FROM s3_bad WHERE shipped_at < paid_at OR promised_ship_by < paid_at;
DROP TABLE s3_bad;

-- ---------------------------------------------------------------------
-- Forced parallel plans give the serial result (combine, serialise, deserialise)
-- ---------------------------------------------------------------------
CREATE TABLE s_par AS
SELECT g AS id, g % 7 AS seller,
       timestamptz '2026-09-01' + g * interval '37 seconds' AS paid_at,
       CASE WHEN g % 3 = 0 THEN timestamptz '2026-09-01' + g * interval '37 seconds' + (g % 97) * interval '1 hour' END AS promised_ship_by,
       CASE WHEN g % 11 <> 0 THEN timestamptz '2026-09-01' + g * interval '37 seconds' + (g % 61) * interval '1 hour' END AS shipped_at,
       CASE WHEN g % 5 = 0 THEN NULL ELSE 1 + g % 6 END AS buyer_level,
       (ARRAY[NULL, 'quality_problem', 'changed_mind', 'damaged', NULL, 'missing_items', 'Counterfeit'])[1 + (g / 7) % 7] AS reason,
       CASE WHEN g % 4 <> 0 THEN timestamptz '2026-09-01' + g * interval '13 seconds' END AS requested_at,
       CASE WHEN g % 4 <> 0 AND g % 9 <> 0 THEN timestamptz '2026-09-01' + g * interval '13 seconds' + (g % 173) * interval '17 minutes' END AS completed_at,
       (ARRAY['seller', NULL, NULL, 'buyer', NULL, 'both', 'none', NULL, 'pending', NULL, NULL])[1 + g % 11] AS ruling
FROM generate_series(1, 60000) g;
ANALYZE s_par;
SET max_parallel_workers_per_gather = 0;  -- the serial reference
CREATE TEMP TABLE s_serial AS
SELECT seller,
       odr_on_time_rate(paid_at, promised_ship_by, shipped_at, buyer_level, timestamptz '2026-09-20') AS s3,
       odr_on_time_rate(paid_at, promised_ship_by, shipped_at, buyer_level, 3.0) AS s3w,
       odr_quality_refund_rate(reason) AS s5,
       odr_quality_refund_rate(reason, '{changed_mind,DAMAGED}') AS s5l,
       odr_refund_hours(requested_at, completed_at, buyer_level) AS s6,
       odr_refund_hours(requested_at, completed_at, buyer_level, 1.5) AS s6w,
       odr_dispute_rate(ruling) AS s7
FROM s_par GROUP BY seller;
CREATE TEMP TABLE s_serial_1e308 AS
SELECT odr_refund_hours(requested_at, completed_at, buyer_level, 1e308) AS s6 FROM s_par;
CREATE TEMP TABLE s_serial_total AS
SELECT odr_on_time_rate(paid_at, promised_ship_by, shipped_at, buyer_level, timestamptz '2026-09-20') AS s3,
       odr_quality_refund_rate(reason) AS s5,
       odr_refund_hours(requested_at, completed_at, buyer_level) AS s6,
       odr_dispute_rate(ruling) AS s7
FROM s_par;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT bool_or(node = 'Partial Aggregate' AND in_worker) AS partial_in_workers,
       bool_or(node = 'Finalize Aggregate' AND NOT in_worker) AS finalized_in_leader
FROM pg_temp.plan_nodes($q$SELECT odr_on_time_rate(paid_at, promised_ship_by, shipped_at, buyer_level, timestamptz '2026-09-20'),
       odr_quality_refund_rate(reason), odr_refund_hours(requested_at, completed_at, buyer_level),
       odr_dispute_rate(ruling)
FROM s_par$q$);
SELECT p.s3 = s.s3 AS s3_equal, p.s5 = s.s5 AS s5_equal, p.s6 = s.s6 AS s6_equal, p.s7 = s.s7 AS s7_equal
FROM (SELECT odr_on_time_rate(paid_at, promised_ship_by, shipped_at, buyer_level, timestamptz '2026-09-20') AS s3,
             odr_quality_refund_rate(reason) AS s5,
             odr_refund_hours(requested_at, completed_at, buyer_level) AS s6,
             odr_dispute_rate(ruling) AS s7
      FROM s_par) p, s_serial_total s;
-- the totals are not trivial: every indicator strictly between its extremes
SELECT s3 > 0 AND s3 < 1 AS s3_between, s5 > 0 AND s5 < 1 AS s5_between, s6 > 0 AS s6_positive,
       s7 > 0 AND s7 < 1 AS s7_between FROM s_serial_total;
SELECT bool_or(node = 'Partial Aggregate' AND in_worker) AS partial_in_workers,
       bool_or(node = 'Finalize Aggregate' AND NOT in_worker) AS finalized_in_leader
FROM pg_temp.plan_nodes($q$SELECT seller, odr_on_time_rate(paid_at, promised_ship_by, shipped_at, buyer_level, 3.0) FROM s_par GROUP BY seller$q$);
SELECT count(*) AS sellers,
       count(*) FILTER (WHERE p.s3 = s.s3 AND p.s3w = s.s3w AND p.s5 = s.s5 AND p.s5l = s.s5l
                          AND p.s6 = s.s6 AND p.s6w = s.s6w AND p.s7 = s.s7) AS all_equal
FROM (SELECT seller,
             odr_on_time_rate(paid_at, promised_ship_by, shipped_at, buyer_level, timestamptz '2026-09-20') AS s3,
             odr_on_time_rate(paid_at, promised_ship_by, shipped_at, buyer_level, 3.0) AS s3w,
             odr_quality_refund_rate(reason) AS s5,
             odr_quality_refund_rate(reason, '{changed_mind,DAMAGED}') AS s5l,
             odr_refund_hours(requested_at, completed_at, buyer_level) AS s6,
             odr_refund_hours(requested_at, completed_at, buyer_level, 1.5) AS s6w,
             odr_dispute_rate(ruling) AS s7
      FROM s_par GROUP BY seller) p
JOIN s_serial s USING (seller);
-- the same numbers recomputed in plain SQL (S3 as of 2026-09-20 with weight 2; S6 weight 2)
SELECT abs(s.s3 - x.s3) < 1e-12 AS s3_matches_sql, abs(s.s6 - x.s6) < 1e-9 AS s6_matches_sql
FROM s_serial_total s, (
  SELECT sum(w * ontime::int) / sum(w) AS s3,
         (SELECT sum(CASE WHEN buyer_level BETWEEN 3 AND 6 THEN 2 ELSE 1 END * extract(epoch FROM completed_at - requested_at) / 3600)
                 / sum(CASE WHEN buyer_level BETWEEN 3 AND 6 THEN 2 ELSE 1 END)
          FROM s_par WHERE completed_at IS NOT NULL) AS s6
  FROM (SELECT CASE WHEN buyer_level BETWEEN 3 AND 6 THEN 2.0 ELSE 1.0 END AS w,
               CASE WHEN paid_at > timestamptz '2026-09-20' THEN NULL
                    WHEN shipped_at <= timestamptz '2026-09-20'
                         THEN shipped_at <= coalesce(promised_ship_by, paid_at + interval '48 hours')
                    WHEN timestamptz '2026-09-20' > coalesce(promised_ship_by, paid_at + interval '48 hours') THEN false END AS ontime
        FROM s_par) o
  WHERE ontime IS NOT NULL) x;
-- a weight of 1e308 gives the serial value in parallel too
SELECT (SELECT odr_refund_hours(requested_at, completed_at, buyer_level, 1e308) FROM s_par)
       = (SELECT s6 FROM s_serial_1e308) AS s6_1e308_equal,
       (SELECT odr_refund_hours(requested_at, completed_at, buyer_level, 1e308) FROM s_par) < 'Infinity' AS finite;
-- a weight that differs between the rows of a group is caught in the workers too
-- (which of the two weights is named first depends on the workers: SQLSTATE only)
SELECT left(s_err($$SELECT odr_refund_hours(requested_at, completed_at, buyer_level, 1.0 + (id > 30000)::int) FROM s_par$$), 6) AS sqlstate;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

DROP TABLE s_par, s3_orders, s5_orders, s6_refunds, s7_orders;
DROP FUNCTION s_err(text);
RESET timezone;
