-- Issue 15: a marketplace odr does not ship, defined with INSERTs alone —
-- its facts, counters, windows, metrics, standards, levels and calendar —
-- then graded, explained, advised and warehoused like a built-in one, and
-- checked against a plain-SQL reading of the same rules.  The example is
-- shaped like a "star seller" programme (the numbers are illustrative):
-- evaluated on the 1st of each month over the 3 whole months before; star
-- seller when at least 95% of orders shipped on time with tracking, at
-- least 95% of first messages answered within 24 hours, reviews averaging
-- at least 4.8, and at least 5 orders and US$300 of sales.
SET client_min_messages = warning;
SET extra_float_digits = 0;

BEGIN;
INSERT INTO odr_marketplace (name, description, date_bases, events, "values", evaluated, evaluation_day, effective_after)
VALUES ('star_shop', 'An example programme: star seller over the 3 whole months before the 1st',
        '{order_date,message_date}', '{order,shipped_on_time,reviewed,message,answered_in_24h}',
        '{review_stars,amount_usd}', 'day_of_month', 1, 'same_day');
INSERT INTO odr_marketplace_counter (marketplace, name, kind, when_all, basis, value) VALUES
 ('star_shop', 'orders', 'count', '{order}', 'order_date', NULL),
 ('star_shop', 'on_time', 'count', '{order,shipped_on_time}', 'order_date', NULL),
 ('star_shop', 'reviews', 'count', '{order,reviewed}', 'order_date', NULL),
 ('star_shop', 'review_stars', 'sum', '{order,reviewed}', 'order_date', 'review_stars'),
 ('star_shop', 'sales', 'sum', '{order}', 'order_date', 'amount_usd'),
 ('star_shop', 'messages', 'count', '{message}', 'message_date', NULL),
 ('star_shop', 'answered', 'count', '{message,answered_in_24h}', 'message_date', NULL);
INSERT INTO odr_marketplace_window (marketplace, name, kind, length) VALUES
 ('star_shop', 'months_3', 'months', 3);
INSERT INTO odr_marketplace_metric (marketplace, name, kind, numerator, denominator, "window") VALUES
 ('star_shop', 'on_time_rate', 'rate', 'on_time', 'orders', 'months_3'),
 ('star_shop', 'response_rate', 'rate', 'answered', 'messages', 'months_3'),
 ('star_shop', 'review_average', 'average', 'review_stars', 'reviews', 'months_3'),
 ('star_shop', 'orders', 'count', 'orders', NULL, 'months_3'),
 ('star_shop', 'sales', 'sum', 'sales', NULL, 'months_3');
INSERT INTO odr_marketplace_standard (marketplace, name, position) VALUES
 ('star_shop', 'shipping', 1), ('star_shop', 'messages', 2), ('star_shop', 'reviews', 3),
 ('star_shop', 'orders', 4), ('star_shop', 'sales', 5);
INSERT INTO odr_marketplace_comparison (marketplace, standard, position, metric, op, threshold) VALUES
 ('star_shop', 'shipping', 1, 'on_time_rate', '>=', 0.95),
 ('star_shop', 'messages', 1, 'response_rate', '>=', 0.95),
 ('star_shop', 'reviews', 1, 'review_average', '>=', 4.8),
 ('star_shop', 'orders', 1, 'orders', '>=', 5),
 ('star_shop', 'sales', 1, 'sales', '>=', 300);
INSERT INTO odr_marketplace_level (marketplace, name, rank, position, mode, standards) VALUES
 ('star_shop', 'star_seller', 1, 1, 'all_met', '{shipping,messages,reviews,orders,sales}'),
 ('star_shop', 'not_yet', 0, 2, 'otherwise', '{}');
COMMIT;
SELECT odr_marketplace_check('star_shop');
SELECT * FROM odr_evaluations('star_shop', '2026-01-01', '2026-04-30');

-- facts from plain tables through the generic constructor: an order has
-- order_date, a message message_date (each has no day on the other basis)
CREATE TABLE ys_orders (shop text, order_date date, shipped_on_time boolean, review_stars int, amount_usd numeric);
CREATE TABLE ys_messages (shop text, received_at timestamptz, answered_at timestamptz);
INSERT INTO ys_orders
SELECT 'shop-' || (1 + g % 4), date '2025-12-01' + g % 120,
       g % (10 + 30 * (g % 4)) <> 0,
       CASE WHEN g % 3 = 0 THEN CASE WHEN g % (4 + 20 * (g % 4)) = 0 THEN 3 ELSE 5 END END,
       5 + g % 20
FROM generate_series(1, 400) g;
INSERT INTO ys_orders VALUES ('shop-5', '2026-02-10', true, 5, 100), ('shop-5', '2026-02-11', true, 5, 100);
INSERT INTO ys_messages
SELECT 'shop-' || (1 + g % 4), timestamptz '2025-12-01 09:00' + g * interval '7 hours',
       CASE WHEN g % (8 + 40 * (g % 4)) = 0 THEN NULL
            ELSE timestamptz '2025-12-01 09:00' + g * interval '7 hours'
                 + (g % CASE g % 4 WHEN 1 THEN 20 ELSE 30 END) * interval '1 hour' END
FROM generate_series(1, 300) g;
CREATE VIEW ys_facts AS
SELECT shop, odr_order('star_shop', ARRAY[order_date, NULL], ARRAY[true, shipped_on_time, review_stars IS NOT NULL, false, false],
                       ARRAY[coalesce(review_stars, 0), amount_usd]) AS o
FROM ys_orders
UNION ALL
SELECT shop, odr_order('star_shop', ARRAY[NULL, (received_at AT TIME ZONE 'UTC')::date],
                       ARRAY[false, false, false, true, answered_at <= received_at + interval '24 hours'])
FROM ys_messages;

-- the level on 1 April 2026 (January to March) with the metrics behind it
SELECT shop, odr_level(s) AS level, odr_deciding_standard(s) AS deciding,
       round(odr_metric_value(s, 'on_time_rate')::numeric, 4) AS on_time,
       round(odr_metric_value(s, 'response_rate')::numeric, 4) AS response,
       round(odr_metric_value(s, 'review_average')::numeric, 3) AS reviews,
       odr_metric_value(s, 'orders') AS orders, odr_metric_value(s, 'sales') AS sales
FROM (SELECT shop, odr_assess(o, 'star_shop', '2026-04-01') AS s FROM ys_facts GROUP BY shop) q
ORDER BY shop;

-- the same rules in plain SQL, on every evaluation: the levels agree
WITH ev AS (SELECT evaluated_on, (date_trunc('month', evaluated_on) - interval '3 months')::date AS f,
                   (date_trunc('month', evaluated_on) - interval '1 day')::date AS l
            FROM odr_evaluations('star_shop', '2026-01-01', '2026-04-30')),
o AS (SELECT ev.evaluated_on, x.shop, count(*) AS orders, count(*) FILTER (WHERE shipped_on_time) AS on_time,
             avg(review_stars) AS review_average, sum(amount_usd) AS sales
      FROM ev JOIN ys_orders x ON x.order_date BETWEEN ev.f AND ev.l GROUP BY 1, 2),
m AS (SELECT ev.evaluated_on, y.shop, count(*) AS messages,
             count(*) FILTER (WHERE answered_at <= received_at + interval '24 hours') AS answered
      FROM ev JOIN ys_messages y ON (y.received_at AT TIME ZONE 'UTC')::date BETWEEN ev.f AND ev.l GROUP BY 1, 2),
plain AS (
	SELECT ev.evaluated_on, s.shop,
	       CASE WHEN coalesce(o.orders, 0) > 0 AND o.on_time >= 0.95 * o.orders
	             AND coalesce(m.messages, 0) > 0 AND m.answered >= 0.95 * m.messages
	             AND o.review_average >= 4.8 AND coalesce(o.orders, 0) >= 5 AND coalesce(o.sales, 0) >= 300
	            THEN 'star_seller' ELSE 'not_yet' END AS level
	FROM ev CROSS JOIN (SELECT DISTINCT shop FROM ys_facts) s
	LEFT JOIN o ON o.evaluated_on = ev.evaluated_on AND o.shop = s.shop
	LEFT JOIN m ON m.evaluated_on = ev.evaluated_on AND m.shop = s.shop),
engine AS (
	SELECT e.evaluated_on, f.shop, odr_level(odr_assess(f.o, 'star_shop', e.evaluated_on)) AS level
	FROM odr_evaluations('star_shop', '2026-01-01', '2026-04-30') e, ys_facts f GROUP BY 1, 2)
SELECT count(*) AS shop_evaluations, count(*) FILTER (WHERE p.level = g.level) AS same_level,
       count(*) FILTER (WHERE g.level = 'star_seller') AS stars
FROM plain p JOIN engine g USING (evaluated_on, shop);

-- why, and what would make a star seller
SELECT e.standard, e.state, e.metric, round(e.value::numeric, 4) AS value, e.op, e.threshold
FROM (SELECT odr_assess(o, 'star_shop', '2026-04-01') AS s FROM ys_facts WHERE shop = 'shop-1') q, odr_explain(q.s) e
ORDER BY e.position, e.standard;
-- (more_value: US$ in the value's unit, rounded up: shop-5 has sold 200 of the 300)
SELECT q.shop, a.level, a.standard, a.metric, a.what, a.n
FROM (SELECT shop, odr_assess(o, 'star_shop', '2026-04-01') AS s FROM ys_facts GROUP BY shop) q, odr_advise(q.s) a
ORDER BY q.shop, a.standard;

-- the warehouse views, from the rows alone
SELECT * FROM odr_create_marketplace_warehouse('ys_facts', 'shop', 'o', 'star_shop', 'ys_');
SELECT seller_id, evaluated_on, effective_from, effective_to, level, deciding_standard
FROM ys_evaluations ORDER BY seller_id, evaluated_on;
SELECT seller_id, metric, value, numerator, denominator FROM ys_metrics
WHERE evaluated_on = '2026-03-01' AND seller_id = 'shop-2' ORDER BY metric;

-- a changed threshold is an UPDATE, and applies at once
UPDATE odr_marketplace_comparison SET threshold = 0.85 WHERE marketplace = 'star_shop' AND standard = 'messages';
SELECT shop, odr_level(odr_assess(o, 'star_shop', '2026-04-01')) AS level FROM ys_facts GROUP BY shop ORDER BY shop;

-- bad definitions are refused with 23514 and change nothing: a window of 0
-- days, a rate without a denominator, levels that do not end with otherwise,
-- a level naming a standard that does not exist
INSERT INTO odr_marketplace_window (marketplace, name, kind, length) VALUES ('star_shop', 'days_0', 'days', 0);
INSERT INTO odr_marketplace_metric (marketplace, name, kind, numerator, denominator, "window")
VALUES ('star_shop', 'broken_rate', 'rate', 'on_time', NULL, 'months_3');
UPDATE odr_marketplace_level SET mode = 'all_met', standards = '{orders}' WHERE marketplace = 'star_shop' AND name = 'not_yet';
UPDATE odr_marketplace_level SET standards = '{shipping,nothing}' WHERE marketplace = 'star_shop' AND name = 'star_seller';
SELECT count(*) AS windows FROM odr_marketplace_window WHERE marketplace = 'star_shop';

DROP MATERIALIZED VIEW ys_daily CASCADE;
DROP VIEW ys_facts;
DROP TABLE ys_orders, ys_messages;
DELETE FROM odr_marketplace WHERE name = 'star_shop';
