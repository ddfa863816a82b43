-- Issue 15: Walmart Marketplace (rules M3) as two built-in policies of the
-- engine: walmart (M3.1 standards, M3.2 status) and walmart_pro_seller (M3.3
-- badge).  Orders (odr_walmart_order) and buyer messages
-- (odr_walmart_message) are rows of the same aggregate; every metric, status
-- and badge is checked against a plain-SQL reimplementation of M3 over the
-- raw columns, seller by seller, on several as-of dates.
SET client_min_messages = warning;
SET extra_float_digits = 0;
-- "Days and windows": a timestamp falls on its UTC date whatever the session
SET TimeZone = 'Pacific/Kiritimati';

-- the policies
SELECT marketplace, name, rank, position, mode, standards FROM odr_marketplace_level
WHERE marketplace LIKE 'walmart%' ORDER BY marketplace, position;
SELECT c.marketplace, c.standard, c.metric, c.op, c.threshold, m.numerator, m.denominator, m."window", w.length AS days
FROM odr_marketplace_comparison c
JOIN odr_marketplace_metric m ON m.marketplace = c.marketplace AND m.name = c.metric
JOIN odr_marketplace_window w ON w.marketplace = m.marketplace AND w.name = m."window"
JOIN odr_marketplace_standard s ON s.marketplace = c.marketplace AND s.name = c.standard
WHERE c.marketplace LIKE 'walmart%' ORDER BY c.marketplace, s.position;
SELECT name, basis, when_all FROM odr_marketplace_counter WHERE marketplace = 'walmart' ORDER BY name;
SELECT odr_marketplace_check('walmart') AS walmart, odr_marketplace_check('walmart_pro_seller') AS pro_seller;
-- one order, one message: the same shape for both marketplaces
SELECT (SELECT date_bases = w.date_bases AND events = w.events AND "values" = w."values"
        FROM odr_marketplace WHERE name = 'walmart_pro_seller') AS same_shape
FROM odr_marketplace w WHERE w.name = 'walmart';
SELECT odr_order_events(odr_walmart_order('2026-04-01', cancelled_by => 'seller'), 'walmart_pro_seller') AS order_events,
       odr_order_events(odr_walmart_message('2026-04-01 10:00+00', NULL), 'walmart') AS message_events,
       odr_order_days(odr_walmart_message('2026-04-01 23:30+00', '2026-04-02 00:10+00')) AS message_days;
-- daily (M3.3: recalculated daily)
SELECT count(*) AS evaluations FROM odr_evaluations('walmart', '2026-04-01', '2026-04-30');

-- ---------------------------------------------------------------------
-- generated data: 30 sellers, orders and buyer messages over
-- 2026-01-01 .. 2026-04-30, each seller with its own mix
-- ---------------------------------------------------------------------
CREATE TABLE walmart_t_orders AS
SELECT g AS order_id, s AS seller_id, order_date, cancelled_by,
       CASE WHEN cancelled_by IS NULL AND h13 % 100 < 97 THEN (order_date + 1) + time '15:00' AT TIME ZONE 'UTC' END AS shipped_at,
       h17 % 1000 >= (s % 5) * 4 AS tracking_valid,
       order_date + 3 + h19 % 5 AS expected_delivery_date,
       CASE WHEN cancelled_by IS NULL AND h13 % 100 < 97 AND h23 % 100 < 95 THEN
            CASE WHEN h29 % 1000 < 20 + (s % 7) * 20
                 THEN (order_date + 3 + h19 % 5 + 1 + h29 % 2) + time '00:00' AT TIME ZONE 'UTC'     -- late
                 ELSE (order_date + 3 + h19 % 5 - h29 % 3) + time '23:59:59' AT TIME ZONE 'UTC' END -- on time
       END AS delivered_at,
       h37 % 1000 < 10 + (s % 4) * 20 AS seller_responsible_refund,
       CASE WHEN h41 % 4 = 0 THEN CASE WHEN h43 % 1000 < (s % 5) * 10 THEN 1 + h47 % 2 ELSE 3 + h47 % 3 END END AS item_rating,
       CASE WHEN h53 % 5 = 0 THEN CASE WHEN h59 % 1000 < (s % 3) * 10 THEN 1 + h61 % 2 ELSE 3 + h61 % 3 END END AS seller_rating
FROM (SELECT g, 1 + g % 30 AS s,
             date '2026-01-01' + (hashint4(g * 7) & 2147483647) % 120 AS order_date,
             CASE WHEN (hashint4(g * 11) & 2147483647) % 1000 < 5 + (g % 30 % 6) * 5 THEN 'seller'
                  WHEN (hashint4(g * 11) & 2147483647) % 1000 < 60 THEN 'auto'
                  WHEN (hashint4(g * 11) & 2147483647) % 1000 < 80 THEN 'buyer' END AS cancelled_by,
             hashint4(g * 13) & 2147483647 AS h13, hashint4(g * 17) & 2147483647 AS h17,
             hashint4(g * 19) & 2147483647 AS h19, hashint4(g * 23) & 2147483647 AS h23,
             hashint4(g * 29) & 2147483647 AS h29, hashint4(g * 37) & 2147483647 AS h37,
             hashint4(g * 41) & 2147483647 AS h41, hashint4(g * 43) & 2147483647 AS h43,
             hashint4(g * 47) & 2147483647 AS h47, hashint4(g * 53) & 2147483647 AS h53,
             hashint4(g * 59) & 2147483647 AS h59, hashint4(g * 61) & 2147483647 AS h61
      FROM generate_series(1, 24000) AS g) AS x;
-- one seller in three answers late or never now and then
CREATE TABLE walmart_t_messages AS
SELECT g AS message_id, 1 + g % 30 AS seller_id, received_at,
       CASE WHEN h73 % 1000 < (g % 30 % 8) * 12 THEN NULL                                              -- never
            WHEN h79 % 1000 < (g % 30 % 8) * 12 THEN received_at + interval '48 hours' + (1 + h83 % 86400) * interval '1 second' -- late
            ELSE received_at + (h83 % (48 * 3600 + 1)) * interval '1 second' END AS answered_at        -- in time
FROM (SELECT g, timestamptz '2026-01-01 00:00+00' + ((hashint4(g * 71) & 2147483647) % (120 * 86400)) * interval '1 second' AS received_at,
             hashint4(g * 73) & 2147483647 AS h73, hashint4(g * 79) & 2147483647 AS h79, hashint4(g * 83) & 2147483647 AS h83
      FROM generate_series(1, 6000) AS g) AS x;

-- boundary sellers, all on dates of April 2026 (as_of 2026-04-30)
-- 101: cancellation exactly 2% (1 of 50; auto and buyer cancels do not
--      count, M3 reading) and on-time exactly 90% (9 of 10 delivered, the
--      late one at 00:00:00 UTC of the day after the expected date)
INSERT INTO walmart_t_orders
SELECT 101000 + i, 101, date '2026-04-10',
       CASE i WHEN 1 THEN 'seller' WHEN 2 THEN 'auto' WHEN 3 THEN 'auto' WHEN 4 THEN 'buyer' END,
       CASE WHEN i > 4 THEN timestamptz '2026-04-11 09:00+00' END, i > 4, date '2026-04-15',
       CASE WHEN i BETWEEN 5 AND 13 THEN timestamptz '2026-04-15 23:59:59+00'
            WHEN i = 14 THEN timestamptz '2026-04-16 00:00:00+00' END,
       false, NULL::integer, NULL::integer
FROM generate_series(1, 50) AS i;
INSERT INTO walmart_t_messages
SELECT 101000 + i, 101, timestamptz '2026-04-10 08:00+00' + i * interval '1 hour', timestamptz '2026-04-10 08:30+00' + i * interval '1 hour'
FROM generate_series(1, 20) AS i;
-- 102: messages at the 48-hour edge: received Friday 2026-04-03 12:00,
--      answered Sunday 12:00 (exactly 48 h, weekends included: in time);
--      48 h + 1 s (late); received Saturday, answered Monday 49 h later
--      (late: the weekend counts); never answered (late); 16 in a minute
INSERT INTO walmart_t_orders
SELECT 102000 + i, 102, date '2026-04-10', NULL, timestamptz '2026-04-11 09:00+00', true, date '2026-04-15',
       timestamptz '2026-04-14 10:00+00', false, 5, 5
FROM generate_series(1, 20) AS i;
INSERT INTO walmart_t_messages VALUES
 (102001, 102, '2026-04-03 12:00+00', '2026-04-05 12:00+00'),
 (102002, 102, '2026-04-06 09:00+00', '2026-04-08 09:00:01+00'),
 (102003, 102, '2026-04-04 10:00+00', '2026-04-06 11:00+00'),
 (102004, 102, '2026-04-07 10:00+00', NULL);
INSERT INTO walmart_t_messages
SELECT 102100 + i, 102, timestamptz '2026-04-20 10:00+00', timestamptz '2026-04-20 10:01+00' FROM generate_series(1, 16) AS i;
-- 103: ratings: item 5 and seller 2 (the lower counts: negative), item 1
--      alone (negative), seller 3 alone (rated, not negative), 3 and 3
INSERT INTO walmart_t_orders
SELECT 103000 + i, 103, date '2026-04-10', NULL, timestamptz '2026-04-11 09:00+00', true, date '2026-04-15',
       timestamptz '2026-04-14 10:00+00', false,
       (ARRAY[5, 1, NULL, 3])[i], (ARRAY[2, NULL, 3, 3])[i]
FROM generate_series(1, 10) AS i;
-- 104: five orders, none shipped yet, no messages: only cancellation and
--      refunds are measured; the other rates have an empty denominator
INSERT INTO walmart_t_orders
SELECT 104000 + i, 104, date '2026-04-28', NULL, NULL, NULL, date '2026-05-05', NULL, false, NULL, NULL
FROM generate_series(1, 5) AS i;
-- 105: Pro exactly (M3.3): cancellation 1.5% (3 of 200), on-time 95% (19
--      of 20), response 95% (19 of 20: one at 48 h + 1 s)
INSERT INTO walmart_t_orders
SELECT 105000 + i, 105, date '2026-04-10', CASE WHEN i <= 3 THEN 'seller' END,
       CASE WHEN i > 3 THEN timestamptz '2026-04-11 09:00+00' END, i > 3, date '2026-04-15',
       CASE WHEN i BETWEEN 4 AND 22 THEN timestamptz '2026-04-15 12:00+00' WHEN i = 23 THEN timestamptz '2026-04-17 12:00+00' END,
       false, NULL, NULL
FROM generate_series(1, 200) AS i;
INSERT INTO walmart_t_messages
SELECT 105000 + i, 105, timestamptz '2026-04-20 10:00+00',
       CASE WHEN i = 1 THEN timestamptz '2026-04-22 10:00:01+00' ELSE timestamptz '2026-04-22 10:00+00' END
FROM generate_series(1, 20) AS i;
ANALYZE walmart_t_orders;
ANALYZE walmart_t_messages;

-- the rows the engine reads: orders and messages in one column
CREATE VIEW walmart_t_rows AS
SELECT seller_id, odr_walmart_order(order_date, cancelled_by, shipped_at, tracking_valid, expected_delivery_date,
                                    delivered_at, seller_responsible_refund, item_rating, seller_rating) AS o
FROM walmart_t_orders
UNION ALL
SELECT seller_id, odr_walmart_message(received_at, answered_at) FROM walmart_t_messages;

CREATE TABLE walmart_t_dates (as_of date PRIMARY KEY);
INSERT INTO walmart_t_dates VALUES ('2026-01-20'), ('2026-02-28'), ('2026-03-31'), ('2026-04-15'), ('2026-04-30'), ('2026-05-20');

-- ---------------------------------------------------------------------
-- M3 in plain SQL over the raw columns: every count of every metric
-- ---------------------------------------------------------------------
CREATE TABLE walmart_t_plain AS
WITH sellers AS (
	SELECT seller_id FROM walmart_t_orders UNION SELECT seller_id FROM walmart_t_messages),
o AS (
	SELECT s.seller_id, d.as_of,
	       count(o.*) FILTER (WHERE o.order_date BETWEEN d.as_of - 29 AND d.as_of) AS orders,
	       count(o.*) FILTER (WHERE o.order_date BETWEEN d.as_of - 29 AND d.as_of AND o.cancelled_by = 'seller') AS cancelled,
	       count(o.*) FILTER (WHERE o.order_date BETWEEN d.as_of - 29 AND d.as_of AND o.shipped_at IS NOT NULL) AS shipped,
	       count(o.*) FILTER (WHERE o.order_date BETWEEN d.as_of - 29 AND d.as_of AND o.shipped_at IS NOT NULL AND o.tracking_valid) AS tracked,
	       count(o.*) FILTER (WHERE o.expected_delivery_date BETWEEN d.as_of - 29 AND d.as_of AND o.delivered_at IS NOT NULL) AS delivered,
	       count(o.*) FILTER (WHERE o.expected_delivery_date BETWEEN d.as_of - 29 AND d.as_of AND o.delivered_at IS NOT NULL
	                          AND (o.delivered_at AT TIME ZONE 'UTC')::date <= o.expected_delivery_date) AS on_time,
	       count(o.*) FILTER (WHERE o.order_date BETWEEN d.as_of - 29 AND d.as_of AND o.seller_responsible_refund) AS refunds,
	       count(o.*) FILTER (WHERE o.order_date BETWEEN d.as_of - 59 AND d.as_of AND (o.item_rating IS NOT NULL OR o.seller_rating IS NOT NULL)) AS rated,
	       count(o.*) FILTER (WHERE o.order_date BETWEEN d.as_of - 59 AND d.as_of AND LEAST(o.item_rating, o.seller_rating) <= 2) AS negative,
	       count(o.*) FILTER (WHERE o.order_date BETWEEN d.as_of - 89 AND d.as_of) AS orders_90,
	       count(o.*) FILTER (WHERE o.order_date BETWEEN d.as_of - 89 AND d.as_of AND o.cancelled_by = 'seller') AS cancelled_90,
	       count(o.*) FILTER (WHERE o.expected_delivery_date BETWEEN d.as_of - 89 AND d.as_of AND o.delivered_at IS NOT NULL) AS delivered_90,
	       count(o.*) FILTER (WHERE o.expected_delivery_date BETWEEN d.as_of - 89 AND d.as_of AND o.delivered_at IS NOT NULL
	                          AND (o.delivered_at AT TIME ZONE 'UTC')::date <= o.expected_delivery_date) AS on_time_90
	FROM sellers s CROSS JOIN walmart_t_dates d LEFT JOIN walmart_t_orders o ON o.seller_id = s.seller_id
	GROUP BY 1, 2),
m AS (
	SELECT s.seller_id, d.as_of,
	       count(m.*) FILTER (WHERE (m.received_at AT TIME ZONE 'UTC')::date BETWEEN d.as_of - 29 AND d.as_of) AS messages,
	       count(m.*) FILTER (WHERE (m.received_at AT TIME ZONE 'UTC')::date BETWEEN d.as_of - 29 AND d.as_of
	                          AND m.answered_at <= m.received_at + interval '48 hours') AS answered
	FROM sellers s CROSS JOIN walmart_t_dates d LEFT JOIN walmart_t_messages m ON m.seller_id = s.seller_id
	GROUP BY 1, 2)
SELECT o.*, m.messages, m.answered FROM o JOIN m USING (seller_id, as_of);

-- long form: metric, numerator, denominator (a count: denominator NULL)
CREATE VIEW walmart_t_plain_metrics AS
SELECT p.seller_id, p.as_of, x.marketplace, x.metric, x.num, x.den
FROM walmart_t_plain p, LATERAL (VALUES
	('walmart', 'cancellation_rate', p.cancelled, p.orders),
	('walmart', 'on_time_delivery_rate', p.on_time, p.delivered),
	('walmart', 'valid_tracking_rate', p.tracked, p.shipped),
	('walmart', 'refund_rate', p.refunds, p.orders),
	('walmart', 'seller_response_rate', p.answered, p.messages),
	('walmart', 'negative_feedback_rate', p.negative, p.rated),
	('walmart', 'orders', p.orders, NULL),
	('walmart', 'delivered', p.delivered, NULL),
	('walmart', 'shipped', p.shipped, NULL),
	('walmart', 'messages', p.messages, NULL),
	('walmart', 'rated', p.rated, NULL),
	('walmart_pro_seller', 'on_time_delivery_rate_90', p.on_time_90, p.delivered_90),
	('walmart_pro_seller', 'cancellation_rate_90', p.cancelled_90, p.orders_90),
	('walmart_pro_seller', 'seller_response_rate_30', p.answered, p.messages),
	('walmart_pro_seller', 'orders_90', p.orders_90, NULL),
	('walmart_pro_seller', 'delivered_90', p.delivered_90, NULL),
	('walmart_pro_seller', 'messages_30', p.messages, NULL)) AS x(marketplace, metric, num, den);

-- M3.2 and M3.3 in plain SQL: a rate over an empty denominator is not
-- measured (NULL); a measured failing standard fails the status; a badge
-- needs its three conditions measured and met, the highest wins
CREATE VIEW walmart_t_plain_levels AS
SELECT seller_id, as_of,
       CASE WHEN (orders > 0 AND cancelled > 0.02 * orders)
              OR (delivered > 0 AND on_time < 0.90 * delivered)
              OR (shipped > 0 AND tracked < 0.99 * shipped)
              OR (orders > 0 AND refunds > 0.06 * orders)
              OR (messages > 0 AND answered < 0.95 * messages)
              OR (rated > 0 AND negative > 0.02 * rated)
            THEN 'below_standards' ELSE 'meets_standards' END AS status,
       CASE WHEN delivered_90 > 0 AND orders_90 > 0 AND messages > 0 THEN
            CASE WHEN on_time_90 >= 0.95 * delivered_90 AND cancelled_90 <= 0.015 * orders_90 AND answered >= 0.95 * messages THEN 'pro'
                 WHEN on_time_90 >= 0.925 * delivered_90 AND cancelled_90 <= 0.020 * orders_90 AND answered >= 0.925 * messages THEN 'advanced'
                 WHEN on_time_90 >= 0.90 * delivered_90 AND cancelled_90 <= 0.025 * orders_90 AND answered >= 0.90 * messages THEN 'rising'
                 ELSE 'none' END
            ELSE 'none' END AS badge
FROM walmart_t_plain;

-- the engine: one standing per seller, marketplace and as-of date, over all
-- of the seller's rows (each policy picks its own windows and date bases)
CREATE TABLE walmart_t_engine AS
SELECT r.seller_id, d.as_of,
       odr_assess(r.o, 'walmart', d.as_of) AS s,
       odr_assess(r.o, 'walmart_pro_seller', d.as_of) AS p
FROM walmart_t_rows r CROSS JOIN walmart_t_dates d
GROUP BY 1, 2;

-- M3.1: every metric of every seller on every date, engine vs plain SQL
SELECT count(*) AS metrics_compared,
       count(*) FILTER (WHERE e.numerator IS DISTINCT FROM pm.num
                           OR e.denominator IS DISTINCT FROM pm.den
                           OR e.measured IS DISTINCT FROM (pm.den IS NULL OR pm.den > 0)
                           OR (pm.den > 0 AND abs(e.value - pm.num::float8 / pm.den) > 1e-12)
                           OR (pm.den = 0 AND e.value IS NOT NULL)) AS mismatches,
       count(*) FILTER (WHERE NOT e.measured) AS not_measured
FROM walmart_t_plain_metrics pm
JOIN walmart_t_engine g USING (seller_id, as_of)
LEFT JOIN LATERAL (SELECT * FROM odr_standing_metrics(CASE pm.marketplace WHEN 'walmart' THEN g.s ELSE g.p END) x
                   WHERE x.metric = pm.metric) e ON true;
-- M3.2, M3.3: status and badge of every seller on every date
SELECT count(*) AS sellers_dates,
       count(*) FILTER (WHERE odr_level(g.s) IS DISTINCT FROM l.status) AS status_mismatches,
       count(*) FILTER (WHERE odr_level(g.p) IS DISTINCT FROM l.badge) AS badge_mismatches
FROM walmart_t_plain_levels l FULL JOIN walmart_t_engine g USING (seller_id, as_of);
SELECT as_of, odr_level(s) AS status, odr_level(p) AS badge, count(*) AS sellers
FROM walmart_t_engine WHERE seller_id <= 30 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
-- the same over odr_assess_at (every date in one pass), byte for byte
SELECT count(*) AS compared,
       count(*) FILTER (WHERE a.s::text IS DISTINCT FROM g.s::text OR a.p::text IS DISTINCT FROM g.p::text) AS mismatches
FROM (SELECT r.seller_id, u.as_of, u.s, v.p
      FROM (SELECT seller_id,
                   odr_assess_at(o, 'walmart', (SELECT array_agg(as_of ORDER BY as_of) FROM walmart_t_dates)) AS ss,
                   odr_assess_at(o, 'walmart_pro_seller', (SELECT array_agg(as_of ORDER BY as_of) FROM walmart_t_dates)) AS ps
            FROM walmart_t_rows GROUP BY seller_id) r,
           unnest(r.ss, (SELECT array_agg(as_of ORDER BY as_of) FROM walmart_t_dates)) AS u(s, as_of),
           unnest(r.ps, (SELECT array_agg(as_of ORDER BY as_of) FROM walmart_t_dates)) WITH ORDINALITY AS v(p, as_of2, n)
      WHERE u.as_of = v.as_of2) a
JOIN walmart_t_engine g USING (seller_id, as_of);

-- ---------------------------------------------------------------------
-- the boundary sellers on 2026-04-30
-- ---------------------------------------------------------------------
SELECT g.seller_id, m.metric, m.numerator, m.denominator, round(m.value::numeric, 4) AS value, m.measured
FROM walmart_t_engine g, odr_standing_metrics(g.s) m
WHERE g.seller_id > 100 AND g.as_of = '2026-04-30' AND m.kind = 'rate'
ORDER BY 1, 2;
SELECT g.seller_id, odr_level(g.s) AS status, odr_deciding_standard(g.s) AS deciding,
       odr_level(g.p) AS badge, odr_level_rank(g.p) AS badge_rank, odr_deciding_standard(g.p) AS badge_deciding
FROM walmart_t_engine g WHERE g.seller_id > 100 AND g.as_of = '2026-04-30' ORDER BY 1;
-- M3.1 boundaries, per row: 2% and 90% exactly meet (101); a message
-- answered at exactly 48 h is in time, at 48 h + 1 s late, over a weekend
-- the hours count the same, never answered is late (102)
SELECT message_id, received_at AT TIME ZONE 'UTC' AS received_utc, to_char(received_at AT TIME ZONE 'UTC', 'Dy') AS day,
       answered_at - received_at AS took,
       'answered_in_48h' = ANY (odr_order_events(odr_walmart_message(received_at, answered_at), 'walmart')) AS in_time
FROM walmart_t_messages WHERE message_id BETWEEN 102001 AND 102004 ORDER BY 1;
-- the lower of item and seller rating counts (103)
SELECT order_id, item_rating, seller_rating,
       odr_order_events(odr_walmart_order(order_date, item_rating => item_rating, seller_rating => seller_rating), 'walmart') AS events
FROM walmart_t_orders WHERE order_id BETWEEN 103001 AND 103005 ORDER BY 1;
-- a delivery is on time through 23:59:59 of the expected date (UTC by
-- default; in another time zone, on that zone's date)
SELECT tz, 'delivered_on_time' = ANY (odr_order_events(odr_walmart_order('2026-04-10', shipped_at => '2026-04-11 09:00+00',
           expected_delivery_date => '2026-04-15', delivered_at => '2026-04-15 23:59:59+00', time_zone => tz), 'walmart')) AS on_time
FROM unnest(ARRAY['UTC', 'America/New_York', 'Asia/Tokyo']) AS tz;

-- M3.2: odr_explain names the failing metrics; a rate over no rows is n_a
-- (neither passes nor fails)
SELECT g.seller_id, e.standard, e.state, e.metric, round(e.value::numeric, 4) AS value, e.op, e.threshold
FROM walmart_t_engine g, odr_explain(g.s) e
WHERE g.as_of = '2026-04-30' AND (g.seller_id IN (102, 103, 104) AND e.state <> 'met')
ORDER BY 1, e.position, 2;
SELECT g.seller_id, string_agg(e.metric, ', ' ORDER BY e.metric) AS failing_metrics
FROM walmart_t_engine g, odr_explain(g.s) e
WHERE g.as_of = '2026-04-30' AND e.state = 'failed'
GROUP BY 1 ORDER BY 1;
-- and the plain SQL agrees on which fail, seller by seller, every date
SELECT count(*) AS compared, count(*) FILTER (WHERE e.failing IS DISTINCT FROM p.failing) AS mismatches
FROM (SELECT seller_id, as_of, array_remove(ARRAY[
             CASE WHEN orders > 0 AND cancelled > 0.02 * orders THEN 'cancellation_rate' END,
             CASE WHEN rated > 0 AND negative > 0.02 * rated THEN 'negative_feedback_rate' END,
             CASE WHEN delivered > 0 AND on_time < 0.90 * delivered THEN 'on_time_delivery_rate' END,
             CASE WHEN orders > 0 AND refunds > 0.06 * orders THEN 'refund_rate' END,
             CASE WHEN messages > 0 AND answered < 0.95 * messages THEN 'seller_response_rate' END,
             CASE WHEN shipped > 0 AND tracked < 0.99 * shipped THEN 'valid_tracking_rate' END], NULL) AS failing
      FROM walmart_t_plain) p
JOIN (SELECT g.seller_id, g.as_of,
             COALESCE((SELECT array_agg(x.metric ORDER BY x.metric) FROM odr_explain(g.s) x WHERE x.state = 'failed'), '{}') AS failing
      FROM walmart_t_engine g) e USING (seller_id, as_of);

-- M3.3: what lifts a seller to the next badge
SELECT g.seller_id, odr_level(g.p) AS badge, a.level AS next, a.standard, a.metric, a.op, a.threshold,
       round(a.value::numeric, 4) AS value, a.what, a.n
FROM walmart_t_engine g, odr_advise(g.p) a
WHERE g.as_of = '2026-04-30' AND g.seller_id IN (101, 102, 104, 105)
ORDER BY 1, a.standard;

-- ---------------------------------------------------------------------
-- the warehouse path over the view of orders and messages
-- ---------------------------------------------------------------------
SELECT odr_create_marketplace_warehouse('walmart_t_rows', 'seller_id', 'o', 'walmart', 'walmart_t_w_');
SELECT odr_create_marketplace_warehouse('walmart_t_rows', 'seller_id', 'o', 'walmart_pro_seller', 'walmart_t_p_');
SELECT d.as_of, count(*) AS sellers,
       count(*) FILTER (WHERE w.level IS DISTINCT FROM l.status) AS status_mismatches,
       count(*) FILTER (WHERE p.level IS DISTINCT FROM l.badge) AS badge_mismatches
FROM walmart_t_dates d
JOIN walmart_t_plain_levels l USING (as_of)
JOIN walmart_t_w_evaluations w ON w.seller_id = l.seller_id AND w.evaluated_on = d.as_of
JOIN walmart_t_p_evaluations p ON p.seller_id = l.seller_id AND p.evaluated_on = d.as_of
WHERE d.as_of IN ('2026-03-31', '2026-04-30')
GROUP BY 1 ORDER BY 1;
SELECT m.seller_id, m.metric, m.numerator, m.denominator
FROM walmart_t_w_metrics m WHERE m.evaluated_on = '2026-04-30' AND m.seller_id = 102 AND m.kind = 'rate' ORDER BY 2;

-- ---------------------------------------------------------------------
-- bad input
-- ---------------------------------------------------------------------
-- each constructor's bad values: SQLSTATE and message (naming the argument and the value)
CREATE FUNCTION pg_temp.walmart_t_error(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END
$$;
SELECT q AS bad_input, pg_temp.walmart_t_error('SELECT ' || q) AS error
FROM unnest(ARRAY[
	$$odr_walmart_order('2026-04-01', cancelled_by => 'merchant')$$,
	$$odr_walmart_order('2026-04-01', item_rating => 0)$$,
	$$odr_walmart_order('2026-04-01', item_rating => 6)$$,
	$$odr_walmart_order('2026-04-01', item_rating => 4, seller_rating => 6)$$,
	$$odr_walmart_order('2026-04-01', seller_rating => -1)$$,
	$$odr_walmart_order('2026-04-01', delivered_at => '2026-04-03 10:00+00', time_zone => 'Mars/Olympus')$$,
	$$odr_walmart_message('2026-04-01 10:00+00', NULL, time_zone => 'Mars/Olympus')$$,
	$$odr_assess(odr_amazon_order('2026-04-01', 'mfn'), 'walmart', '2026-04-30')$$]) AS q;
-- NULLs: a message received on no day counts in no window; never answered is late
SELECT odr_order_days(odr_walmart_message(NULL, NULL)) AS no_day,
       odr_order_events(odr_walmart_message('2026-04-01 10:00+00', NULL), 'walmart') AS never_answered;

-- bad policies, on a copy of walmart: refused at commit with 23514, nothing changes
BEGIN;
INSERT INTO odr_marketplace (name, description, date_bases, events, "values")
SELECT 'walmart_copy', 'walmart with my thresholds', date_bases, events, "values" FROM odr_marketplace WHERE name = 'walmart';
INSERT INTO odr_marketplace_counter SELECT 'walmart_copy', name, kind, when_all, when_any, when_none, basis, value, k, description
FROM odr_marketplace_counter WHERE marketplace = 'walmart';
INSERT INTO odr_marketplace_window SELECT 'walmart_copy', name, kind, length, lag, primary_window, fallback_window, volume_counter, volume_min, description
FROM odr_marketplace_window WHERE marketplace = 'walmart';
INSERT INTO odr_marketplace_metric SELECT 'walmart_copy', name, kind, numerator, denominator, "window", description
FROM odr_marketplace_metric WHERE marketplace = 'walmart';
INSERT INTO odr_marketplace_standard SELECT 'walmart_copy', name, position, description
FROM odr_marketplace_standard WHERE marketplace = 'walmart';
INSERT INTO odr_marketplace_comparison SELECT 'walmart_copy', standard, position, metric, op,
       CASE WHEN standard = 'seller_response' THEN 0.80 ELSE threshold END, rounding, digits, applies_metric, applies_min, applies_max
FROM odr_marketplace_comparison WHERE marketplace = 'walmart';
INSERT INTO odr_marketplace_level SELECT 'walmart_copy', name, rank, position, mode, standards, description
FROM odr_marketplace_level WHERE marketplace = 'walmart';
COMMIT;
-- a walmart order is graded by the copy too (same shape); 102's response of 85% meets 80%
SELECT odr_level(odr_assess(o, 'walmart', '2026-04-30')) AS walmart, odr_level(odr_assess(o, 'walmart_copy', '2026-04-30')) AS walmart_copy
FROM walmart_t_rows WHERE seller_id = 102;
\set VERBOSITY sqlstate
\set ON_ERROR_STOP 0
UPDATE odr_marketplace_window SET length = 0 WHERE marketplace = 'walmart_copy' AND name = 'days_30';
UPDATE odr_marketplace_level SET standards = '{cancellation,late_shipment}' WHERE marketplace = 'walmart_copy' AND name = 'below_standards';
\set VERBOSITY default
UPDATE odr_marketplace_window SET length = 0 WHERE marketplace = 'walmart_copy' AND name = 'days_30';
UPDATE odr_marketplace_level SET standards = '{cancellation,late_shipment}' WHERE marketplace = 'walmart_copy' AND name = 'below_standards';
INSERT INTO odr_marketplace_comparison (marketplace, standard, position, metric, op, threshold)
VALUES ('walmart_copy', 'cancellation', 2, 'late_shipment_rate', '<', 0.04);
UPDATE odr_marketplace_counter SET basis = 'ship_date' WHERE marketplace = 'walmart_copy' AND name = 'shipped';
-- the built-in ones are read-only
UPDATE odr_marketplace_comparison SET threshold = 0.03 WHERE marketplace = 'walmart' AND standard = 'cancellation';
DELETE FROM odr_marketplace_level WHERE marketplace = 'walmart_pro_seller' AND name = 'pro';
\set ON_ERROR_STOP 1
SELECT (SELECT length FROM odr_marketplace_window WHERE marketplace = 'walmart_copy' AND name = 'days_30') AS days_30,
       (SELECT standards FROM odr_marketplace_level WHERE marketplace = 'walmart_copy' AND name = 'below_standards') AS below_standards;
DELETE FROM odr_marketplace WHERE name = 'walmart_copy';
SELECT count(*) AS walmart_rows_left FROM odr_marketplace_metric WHERE marketplace LIKE 'walmart%';
