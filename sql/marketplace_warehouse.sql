-- Issue 14: the warehouse path of a marketplace.  odr_create_marketplace_warehouse
-- builds the per-day tallies, every evaluation of the marketplace's calendar
-- (eBay: the 20th, M2.2; Amazon: daily, M1), metrics as plain columns, and
-- the current and projected levels (M2.4); checked against odr_assess over
-- the raw orders, refreshed with odr_refresh_warehouse.
SET client_min_messages = warning;
SET extra_float_digits = 0;

-- eBay transactions of 5 sellers over 2025-01-01 .. 2026-06-30 (seller 5
-- starts in 2026: no evaluation before its first day)
CREATE TABLE wh_ebay (seller text, transaction_date date, buyer text, amount_usd numeric,
                      cancelled_by text, case_closed boolean, expected_ship_at timestamptz, shipped_at timestamptz);
INSERT INTO wh_ebay
SELECT 'shop-' || (1 + g % 5), CASE WHEN g % 5 = 4 THEN date '2026-01-01' + g % 180 ELSE date '2025-01-01' + g % 546 END,
       'buyer-' || (hashint4(g) & 2147483647) % 300, 5 + g % 40,
       CASE WHEN (hashint4(g * 3) & 2147483647) % 100 < 1 + g % 5 THEN 'seller' WHEN g % 97 = 0 THEN 'buyer' END,
       (hashint4(g * 7) & 2147483647) % 1000 < 2 * (g % 5),
       timestamptz '2026-01-01 12:00', timestamptz '2026-01-01 12:00' + ((hashint4(g * 11) & 2147483647) % 100 - 95) * interval '1 hour'
FROM generate_series(1, 12000) AS g;
CREATE VIEW wh_ebay_orders AS
SELECT seller, odr_ebay_order(transaction_date, buyer, amount_usd, cancelled_by, case_closed, expected_ship_at, shipped_at) AS o
FROM wh_ebay;

SELECT * FROM odr_create_marketplace_warehouse('wh_ebay_orders', 'seller', 'o', 'ebay', 'eb_');
SELECT count(*) AS days, min(day), max(day) FROM eb_daily;
-- M2.2: the evaluations are the 20ths within the data; seller 5 from 2026 only
SELECT seller_id, count(*) AS evaluations, min(evaluated_on), max(evaluated_on)
FROM eb_evaluations GROUP BY 1 ORDER BY 1;
SELECT DISTINCT evaluated_on, effective_from, effective_to FROM eb_evaluations
WHERE evaluated_on BETWEEN '2026-01-01' AND '2026-03-31' ORDER BY 1;

-- every level, deciding standard and standing equals odr_assess over the raw
-- transactions on the same date (an independent pass per date)
SELECT count(*) AS seller_evaluations,
       count(*) FILTER (WHERE r.st::text = l.standing::text) AS same_standing,
       count(*) FILTER (WHERE odr_level(r.st) = l.level AND odr_level_rank(r.st) = l.level_rank
                          AND odr_deciding_standard(r.st) IS NOT DISTINCT FROM l.deciding_standard) AS same_level
FROM eb_evaluations l
JOIN (SELECT e.evaluated_on, x.seller, odr_assess(x.o, 'ebay', e.evaluated_on) AS st
      FROM odr_evaluations('ebay', '2025-01-01', '2026-06-30') e, wh_ebay_orders x
      GROUP BY 1, 2) r ON r.seller = l.seller_id AND r.evaluated_on = l.evaluated_on;
SELECT level, count(*) FROM eb_evaluations GROUP BY 1 ORDER BY 1;

-- the metrics as plain columns: one row per metric of the policy, per evaluation
SELECT count(*) = (SELECT count(*) FROM eb_evaluations) * (SELECT count(*) FROM odr_marketplace_metric WHERE marketplace = 'ebay')
       AS every_metric_of_every_evaluation
FROM eb_metrics;
SELECT metric, kind, "window", first_day, last_day, value, numerator, denominator FROM eb_metrics
WHERE seller_id = 'shop-2' AND evaluated_on = '2026-05-20' ORDER BY metric;

-- the current level (the latest evaluation in effect today) and the
-- projected one (the next evaluation over the transactions known: M2.4)
SELECT count(*) AS sellers,
       count(*) FILTER (WHERE c.projected_on = odr_next_evaluation('ebay', current_date)) AS projected_on_next,
       count(*) FILTER (WHERE c.projected_level = odr_level(r.projected)) AS same_projected,
       count(*) FILTER (WHERE c.level IS NOT DISTINCT FROM odr_level(r.current)) AS same_current
FROM eb_current c
JOIN (SELECT seller,
             odr_assess(o, 'ebay', odr_next_evaluation('ebay', current_date)) AS projected,
             odr_assess(o, 'ebay', (SELECT max(evaluated_on) FROM odr_evaluations('ebay', current_date - 400, current_date)
                                    WHERE effective_from <= current_date)) AS current
      FROM wh_ebay_orders GROUP BY seller) r ON r.seller = c.seller_id;

-- a refresh takes new transactions: a bad month for shop-1 puts it below standard
INSERT INTO wh_ebay
SELECT 'shop-1', date '2026-05-01' + g % 30, 'late-buyer-' || g, 10, 'seller', false, NULL, NULL
FROM generate_series(1, 60) g;
SELECT level FROM eb_evaluations WHERE seller_id = 'shop-1' AND evaluated_on = '2026-06-20';
SELECT odr_refresh_warehouse('eb_daily');
SELECT level, deciding_standard FROM eb_evaluations WHERE seller_id = 'shop-1' AND evaluated_on = '2026-06-20';

-- Amazon: evaluated daily (M1), 60 days of order date and the other windows
CREATE TABLE wh_amazon AS
SELECT 'shop-' || (1 + g % 3) AS seller, date '2026-01-01' + g % 90 AS order_date,
       CASE WHEN g % 3 = 0 THEN 'afn' ELSE 'mfn' END AS fulfilment,
       CASE WHEN g % 53 = 0 THEN 1 WHEN g % 2 = 0 THEN 5 END AS feedback_stars,
       CASE WHEN g % 211 = 0 THEN 'granted' END AS claim_status, g % 401 = 0 AS chargeback,
       (date '2026-01-01' + g % 90) + time '18:00' AS expected_ship_at,
       (date '2026-01-01' + g % 90) + CASE WHEN g % 37 = 0 THEN time '20:00' ELSE time '10:00' END AS shipped_at,
       date '2026-01-05' + g % 90 AS promised_delivery_date, g % 29 <> 0 AS tracking_valid
FROM generate_series(1, 6000) AS g;
CREATE VIEW wh_amazon_orders AS
SELECT seller, odr_amazon_order(order_date, fulfilment, feedback_stars, claim_status, chargeback,
                                expected_ship_at, shipped_at, NULL, NULL, promised_delivery_date, tracking_valid) AS o
FROM wh_amazon;
SELECT * FROM odr_create_marketplace_warehouse('wh_amazon_orders', 'seller', 'o', 'amazon', 'am_');
-- every day from the first order date to the last promised delivery date
SELECT count(*) AS evaluations, count(DISTINCT evaluated_on) AS days, min(evaluated_on), max(evaluated_on) FROM am_evaluations;
SELECT count(*) AS seller_days,
       count(*) FILTER (WHERE r.st::text = l.standing::text) AS same_standing
FROM am_evaluations l
JOIN (SELECT e.evaluated_on, x.seller, odr_assess(x.o, 'amazon', e.evaluated_on) AS st
      FROM odr_evaluations('amazon', '2026-01-01', '2026-04-04') e, wh_amazon_orders x
      GROUP BY 1, 2) r ON r.seller = l.seller_id AND r.evaluated_on = l.evaluated_on;
SELECT seller_id, evaluated_on, level, deciding_standard FROM am_evaluations
WHERE evaluated_on = '2026-03-01' ORDER BY 1;

-- bad input: a clear error, and nothing made
SELECT odr_create_marketplace_warehouse(NULL, 'seller', 'o', 'ebay');
SELECT odr_create_marketplace_warehouse('wh_ebay_orders', 'seller', 'o', NULL);
SELECT odr_create_marketplace_warehouse('wh_ebay_orders', 'seller', 'o', 'etsy', 'x_');
SELECT odr_create_marketplace_warehouse('wh_ebay_orders', 'seller', 'nope', 'ebay', 'x_');
SELECT odr_create_marketplace_warehouse('wh_ebay', 'seller', 'buyer', 'ebay', 'x_');
SELECT odr_create_marketplace_warehouse('wh_ebay_orders', 'seller', 'o', 'ebay', repeat('p', 50));
-- orders built for another marketplace
SELECT odr_create_marketplace_warehouse('wh_amazon_orders', 'seller', 'o', 'ebay', 'x_');
-- a name already taken: the error, and none of the warehouse's objects left
CREATE TABLE y_metrics (x int);
SELECT odr_create_marketplace_warehouse('wh_ebay_orders', 'seller', 'o', 'ebay', 'y_');
SELECT relname FROM pg_class WHERE relname LIKE 'x\_%' OR relname LIKE 'y\_%' ORDER BY 1;

DROP TABLE y_metrics;
DROP MATERIALIZED VIEW eb_daily, am_daily CASCADE;
DROP VIEW wh_ebay_orders, wh_amazon_orders;
DROP TABLE wh_ebay, wh_amazon;
