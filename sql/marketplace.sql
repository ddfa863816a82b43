-- Issue 14: the policy engine from SQL, Amazon (rules M1) and eBay (M2).
-- Every answer is checked against plain SQL written here, independently.
SET client_min_messages = warning;

-- The built-in marketplaces compile, their levels by rank
SELECT odr_marketplace_check('amazon') AS amazon_ok, odr_marketplace_check('ebay') AS ebay_ok;
SELECT marketplace, name, rank, position, mode FROM odr_marketplace_level ORDER BY marketplace, position;
SELECT name, evaluated, evaluation_day, effective_after, date_bases, events, "values" FROM odr_marketplace ORDER BY name;

-- ---------------------------------------------------------------------
-- Amazon (M1) on generated orders, as-of 2026-03-31
-- ---------------------------------------------------------------------
CREATE TABLE amz AS
SELECT g AS id, 'a' || g % 7 AS seller,
       date '2026-01-01' + (g * 7) % 100 AS order_date,
       CASE WHEN g % 4 = 0 THEN 'afn' ELSE 'mfn' END AS fulfilment,
       CASE WHEN g % 4 <> 0 AND g % (40 + 60 * (g % 7)) = 1 THEN 1 + g % 2 WHEN g % 4 = 0 AND g % (100 + 60 * (g % 7)) = 0 THEN 1
            WHEN g % 9 = 2 THEN 3 WHEN g % 9 = 3 THEN 5 END AS stars,
       CASE WHEN g % 101 = 0 THEN (ARRAY['open','granted','denied','withdrawn','won_on_appeal'])[1 + (g * 13) % 5] END AS claim,
       g % 1009 = 0 AS chargeback,
       (date '2026-01-01' + (g * 7) % 100 + 2) + time '12:00' AS expected,
       CASE WHEN g % 61 <> 0 THEN (date '2026-01-01' + (g * 7) % 100 + 2) + time '12:00'
                                  + CASE WHEN g % (15 + 15 * (g % 7)) = 0 THEN 1 WHEN g % 13 = 0 THEN 0 ELSE -2 END * interval '1 hour' END AS shipped,
       CASE WHEN g % 61 = 0 THEN (date '2026-01-01' + (g * 7) % 100 + 1) + time '08:00'
            WHEN g % (67 + 60 * (g % 7)) = 0 THEN (date '2026-01-01' + (g * 7) % 100 + 2) + time '23:00' END AS cancelled_at,
       CASE WHEN g % 61 = 0 THEN (ARRAY['seller','auto','buyer'])[1 + g % 3] WHEN g % (67 + 60 * (g % 7)) = 0 THEN 'seller' END AS cancelled_by,
       date '2026-01-01' + (g * 7) % 100 + 5 + g % 10 AS promised,
       g % (8 + 30 * (g % 7)) <> 0 AS tracking,
       'buyer' || g % 300 AS buyer
FROM generate_series(1, 6000) g;
-- (timestamps are timestamp without time zone here: a fixed session zone)
SET TimeZone = 'UTC';

CREATE VIEW amz_facts AS
SELECT seller, order_date, odr_amazon_order(order_date => order_date, fulfilment => fulfilment, feedback_stars => stars,
       claim_status => claim, chargeback => chargeback, expected_ship_at => expected, shipped_at => shipped,
       cancelled_at => cancelled_at, cancelled_by => cancelled_by, promised_delivery_date => promised,
       tracking_valid => tracking, buyer => buyer) AS o
FROM amz;

CREATE TABLE amz_standing AS
SELECT seller, odr_assess(o, 'amazon', date '2026-03-31') AS s FROM amz_facts GROUP BY seller;

-- the same counts in plain SQL (M1.1 - M1.5)
CREATE TEMP TABLE amz_expected AS
WITH d AS (SELECT date '2026-03-31' AS d),
x AS (SELECT a.*, (stars IN (1, 2) OR claim IN ('open', 'granted') OR chargeback) AS defect,
             shipped > expected AS late,
             cancelled_by IN ('seller', 'auto') AND (shipped IS NULL OR cancelled_at < shipped) AS pre_cancel
      FROM amz a)
SELECT seller, 'odr_mfn' AS metric, count(*) FILTER (WHERE defect) AS num, count(*) AS den
  FROM x, d WHERE fulfilment = 'mfn' AND order_date BETWEEN d - 59 AND d GROUP BY seller
UNION ALL
SELECT seller, 'odr_afn', count(*) FILTER (WHERE defect), count(*)
  FROM x, d WHERE fulfilment = 'afn' AND order_date BETWEEN d - 59 AND d GROUP BY seller
UNION ALL
SELECT seller, 'late_shipment_rate_10', count(*) FILTER (WHERE late), count(*)
  FROM x, d WHERE fulfilment = 'mfn' AND shipped IS NOT NULL AND order_date BETWEEN d - 9 AND d GROUP BY seller
UNION ALL
SELECT seller, 'late_shipment_rate_30', count(*) FILTER (WHERE late), count(*)
  FROM x, d WHERE fulfilment = 'mfn' AND shipped IS NOT NULL AND order_date BETWEEN d - 29 AND d GROUP BY seller
UNION ALL
SELECT seller, 'cancel_rate_7', count(*) FILTER (WHERE pre_cancel), count(*)
  FROM x, d WHERE fulfilment = 'mfn' AND order_date BETWEEN d - 6 AND d GROUP BY seller
UNION ALL
SELECT seller, 'valid_tracking_rate_30', count(*) FILTER (WHERE tracking), count(*)
  FROM x, d WHERE fulfilment = 'mfn' AND shipped IS NOT NULL AND promised BETWEEN d - 29 AND d GROUP BY seller
UNION ALL
SELECT seller, 'young_orders', count(*), NULL FROM x, d WHERE order_date BETWEEN d - 29 AND d GROUP BY seller
UNION ALL
SELECT seller, 'claims_mfn', count(*) FILTER (WHERE claim IN ('open', 'granted')), NULL
  FROM x, d WHERE fulfilment = 'mfn' AND order_date BETWEEN d - 59 AND d GROUP BY seller
UNION ALL
SELECT seller, 'negative_feedback_afn', count(*) FILTER (WHERE stars IN (1, 2)), NULL
  FROM x, d WHERE fulfilment = 'afn' AND order_date BETWEEN d - 59 AND d GROUP BY seller
UNION ALL
SELECT seller, 'chargebacks_mfn', count(*) FILTER (WHERE chargeback), NULL
  FROM x, d WHERE fulfilment = 'mfn' AND order_date BETWEEN d - 59 AND d GROUP BY seller;

-- M1.1 - M1.5: every count equals the plain SQL's (no row either way)
WITH got AS (
	SELECT a.seller, m.metric, m.numerator AS num, m.denominator AS den
	FROM amz_standing a, odr_standing_metrics(a.s) m
	WHERE m.metric IN (SELECT metric FROM amz_expected))
SELECT 'missing' AS side, * FROM (TABLE amz_expected EXCEPT TABLE got) x
UNION ALL
SELECT 'extra', * FROM (TABLE got EXCEPT TABLE amz_expected) y;
SELECT count(*) AS sellers, count(DISTINCT metric) AS metrics FROM amz_expected;

-- the level (good / bad) equals the plain SQL's: bad when a measured target is missed
WITH r AS (SELECT seller, metric, num::numeric / NULLIF(den, 0) AS rate FROM amz_expected),
lv AS (SELECT seller,
              CASE WHEN bool_or((metric IN ('odr_mfn', 'odr_afn') AND rate >= 0.01)
                                OR (metric LIKE 'late_shipment_rate_%' AND rate >= 0.04)
                                OR (metric = 'cancel_rate_7' AND rate >= 0.025)
                                OR (metric = 'valid_tracking_rate_30' AND rate < 0.95))
                   THEN 'bad' ELSE 'good' END AS level
       FROM r GROUP BY seller)
SELECT a.seller, odr_level(a.s) AS level, odr_level_rank(a.s) AS rank, odr_deciding_standard(a.s) AS deciding,
       lv.level = odr_level(a.s) AS as_plain_sql,
       round(odr_metric_value(a.s, 'odr_mfn')::numeric, 6) AS odr_mfn
FROM amz_standing a JOIN lv USING (seller) ORDER BY seller;

-- M1 boundaries, one seller each, as-of 2026-03-31
CREATE TABLE amz_b (seller text, order_date date, fulfilment text, stars int, claim text,
                    expected timestamp, shipped timestamp, cancelled_by text, cancelled_at timestamp,
                    promised date, tracking boolean);
-- M1.1 a rate exactly on the cap: 1 defect in 100 orders is 1%, not below 1%: bad
INSERT INTO amz_b (seller, order_date, fulfilment, stars)
SELECT 'cap_100', date '2026-03-31' - g % 60, 'mfn', CASE WHEN g = 1 THEN 2 ELSE 5 END FROM generate_series(1, 100) g;
-- ... 1 in 101 is below: good; 3 stars is not negative (M1.1)
INSERT INTO amz_b (seller, order_date, fulfilment, stars)
SELECT 'cap_101', date '2026-03-31' - g % 60, 'mfn', CASE WHEN g = 1 THEN 1 WHEN g = 2 THEN 3 ELSE 5 END FROM generate_series(1, 101) g;
-- M1.1 the window's edges: day as_of - 59 is in, as_of - 60 is out
INSERT INTO amz_b (seller, order_date, fulfilment, stars)
VALUES ('edge', date '2026-03-31' - 59, 'afn', 1), ('edge', date '2026-03-31' - 60, 'afn', 1), ('edge', date '2026-03-31', 'afn', 5);
-- M1.1 a claim opened, then denied: no longer a defect
INSERT INTO amz_b (seller, order_date, fulfilment, claim)
SELECT 'claim', date '2026-03-01' + g % 20, 'afn', CASE WHEN g = 1 THEN 'open' END FROM generate_series(1, 80) g;
-- M1.2 shipped exactly at the expected time is not late; a second later is
-- M1.3 buyer cancels do not count, auto cancels do, a cancel after shipping does not
-- M1.4 an order dated outside the 30 days whose promised delivery date is inside
INSERT INTO amz_b (seller, order_date, fulfilment, expected, shipped, cancelled_by, cancelled_at, promised, tracking) VALUES
 ('ship', '2026-03-30', 'mfn', '2026-03-31 10:00', '2026-03-31 10:00', NULL, NULL, '2026-04-03', true),
 ('ship', '2026-03-30', 'mfn', '2026-03-31 10:00', '2026-03-31 10:00:01', NULL, NULL, '2026-04-03', true),
 ('ship', '2026-03-29', 'mfn', NULL, NULL, 'buyer', '2026-03-29 12:00', NULL, NULL),
 ('ship', '2026-03-29', 'mfn', NULL, NULL, 'auto', '2026-03-29 12:00', NULL, NULL),
 ('ship', '2026-03-28', 'mfn', '2026-03-29 10:00', '2026-03-29 09:00', 'seller', '2026-03-29 12:00', '2026-03-30', false),
 ('ship', '2026-02-25', 'mfn', '2026-02-26 10:00', '2026-02-26 09:00', NULL, NULL, '2026-03-05', true);
CREATE TEMP TABLE amz_b_standing AS
SELECT seller, odr_assess(odr_amazon_order(order_date, fulfilment, stars, claim, false, expected, shipped,
                                           cancelled_at, cancelled_by, promised, tracking), 'amazon', '2026-03-31') AS s
FROM amz_b GROUP BY seller;
SELECT seller, odr_level(s), odr_deciding_standard(s), m.metric, m.numerator, m.denominator, m.first_day, m.last_day
FROM amz_b_standing, odr_standing_metrics(s) m
WHERE m.metric IN ('odr_mfn', 'odr_afn', 'late_shipment_rate_10', 'cancel_rate_7', 'valid_tracking_rate_30', 'young_orders')
  AND (m.denominator > 0 OR m.metric = 'young_orders')
ORDER BY seller, m.metric;
UPDATE amz_b SET claim = 'denied' WHERE seller = 'claim' AND claim = 'open';
SELECT seller, odr_level(s), odr_metric_value(s, 'odr_afn') AS odr_afn
FROM (SELECT seller, odr_assess(odr_amazon_order(order_date, fulfilment, stars, claim), 'amazon', '2026-03-31') AS s
      FROM amz_b WHERE seller = 'claim' GROUP BY seller) q;
-- explain: each standard, each comparison
SELECT e.* FROM amz_b_standing, odr_explain(s) e WHERE seller = 'ship' ORDER BY e.standard;

-- ---------------------------------------------------------------------
-- eBay (M2) on generated transactions, evaluated on twelve 20ths
-- ---------------------------------------------------------------------
CREATE TABLE eb AS
SELECT g AS id, (ARRAY['e0','e0','e0','e1','e1','e2','e3'])[1 + g % 7] AS seller,
       date '2024-06-01' + (g * 17) % 720 AS day,
       'b' || (g * 7) % (CASE WHEN g % 7 = 6 THEN 4 ELSE 40 END) AS buyer,
       (10 + g % 50)::numeric + 0.25 AS amount,
       CASE WHEN g % 97 = 0 THEN 'seller' WHEN g % 89 = 0 THEN 'buyer' WHEN g % 83 = 0 THEN 'auto' END AS cancelled_by,
       g % 211 = 0 OR (g % 7 = 6 AND g % 23 = 0) AS case_closed,
       timestamp '2026-01-01 12:00' AS expected,
       CASE WHEN g % 31 = 0 THEN timestamp '2026-01-01 12:00:01' ELSE timestamp '2026-01-01 11:00' END AS shipped
FROM generate_series(1, 12000) g;
CREATE TEMP TABLE eb_dates AS SELECT (date '2025-06-20' + m * interval '1 month')::date AS e FROM generate_series(0, 11) m;
CREATE TABLE eb_standing AS
SELECT seller, e, odr_assess(odr_ebay_order(day, buyer, amount, cancelled_by, case_closed, expected, shipped), 'ebay', e) AS s
FROM eb, eb_dates GROUP BY seller, e;

-- M2.1 - M2.3 in plain SQL
CREATE TEMP TABLE eb_expected AS
WITH w AS (
	SELECT e, (date_trunc('month', e) - interval '3 months')::date AS f3, (date_trunc('month', e) - interval '12 months')::date AS f12,
	       (date_trunc('month', e) - interval '1 day')::date AS l FROM eb_dates),
v AS (SELECT seller, w.*, count(*) FILTER (WHERE day BETWEEN f3 AND l) AS n3 FROM eb, w GROUP BY seller, w.e, w.f3, w.f12, w.l),
lb AS (
	SELECT v.seller, v.e, CASE WHEN n3 >= 400 THEN 'months_3' ELSE 'months_12' END AS lookback,
	       count(x.*) AS tx,
	       count(x.*) FILTER (WHERE x.cancelled_by = 'seller' OR x.case_closed) AS defects,
	       count(DISTINCT x.buyer) FILTER (WHERE x.cancelled_by = 'seller' OR x.case_closed) AS dbuyers,
	       count(x.*) FILTER (WHERE x.case_closed) AS cases,
	       count(DISTINCT x.buyer) FILTER (WHERE x.case_closed) AS cbuyers,
	       count(x.*) FILTER (WHERE x.shipped > x.expected) AS late,
	       count(DISTINCT x.buyer) FILTER (WHERE x.shipped > x.expected) AS lbuyers
	FROM v LEFT JOIN eb x ON x.seller = v.seller
	     AND x.day BETWEEN CASE WHEN v.n3 >= 400 THEN v.f3 ELSE v.f12 END AND v.l
	GROUP BY v.seller, v.e, v.n3),
y AS (
	SELECT v.seller, v.e,
	       count(x.*) FILTER (WHERE x.day BETWEEN v.f12 AND v.l) AS tx12,
	       coalesce(sum(x.amount) FILTER (WHERE x.day BETWEEN v.f12 AND v.l AND x.cancelled_by IS NULL), 0) AS sales12,
	       v.e - min(x.day) AS tenure
	FROM v LEFT JOIN eb x ON x.seller = v.seller AND x.day <= v.e GROUP BY v.seller, v.e)
SELECT lb.*, y.tx12, y.sales12, y.tenure,
       CASE WHEN (50 * defects > tx AND dbuyers >= 5) OR (1000 * cases > 3 * tx AND cbuyers >= 3) THEN 'below_standard'
            WHEN (200 * defects <= tx OR dbuyers <= 3) AND (1000 * cases <= 3 * tx OR cbuyers <= 2)
                 AND (100 * late <= 3 * tx OR lbuyers <= 5) AND tenure >= 90 AND tx12 >= 100 AND sales12 >= 1000
            THEN 'top_rated' ELSE 'above_standard' END AS level
FROM lb JOIN y USING (seller, e);

-- every seller on every evaluation date: the same level and counts as plain SQL
SELECT count(*) AS evaluations,
       count(*) FILTER (WHERE odr_level(s.s) = x.level) AS same_level,
       count(*) FILTER (WHERE odr_metric_value(s.s, 'transactions') = x.tx
                          AND odr_metric_value(s.s, 'defects') = x.defects
                          AND odr_metric_value(s.s, 'defect_buyers') = least(x.dbuyers, 5)
                          AND odr_metric_value(s.s, 'cases') = x.cases
                          AND odr_metric_value(s.s, 'case_buyers') = least(x.cbuyers, 3)
                          AND odr_metric_value(s.s, 'late') = x.late
                          AND odr_metric_value(s.s, 'late_buyers') = least(x.lbuyers, 6)
                          AND odr_metric_value(s.s, 'transactions_12m') = x.tx12
                          AND odr_metric_value(s.s, 'sales_12m') = x.sales12
                          AND odr_metric_value(s.s, 'days_since_first') IS NOT DISTINCT FROM x.tenure) AS same_counts,
       count(*) FILTER (WHERE (SELECT m."window" FROM odr_standing_metrics(s.s) m WHERE m.metric = 'transactions') = x.lookback) AS same_lookback
FROM eb_standing s JOIN eb_expected x USING (seller, e);
SELECT level, count(*) FROM eb_expected GROUP BY level ORDER BY level;
SELECT lookback, count(*) FROM eb_expected GROUP BY lookback ORDER BY lookback;

-- M2 boundaries, evaluated on 2026-04-20 (months: 2026-01-01 .. 2026-03-31; 12: 2025-04-01 ..)
CREATE TABLE eb_b (seller text, day date, buyer text, amount numeric, cancelled_by text, case_closed boolean);
-- M2.2 the 400th transaction: 400 in the 3 months -> 3 months; 399 -> 12
INSERT INTO eb_b SELECT 'v400', date '2026-01-01' + g % 90, 'b' || g, 10, NULL, false FROM generate_series(1, 400) g;
INSERT INTO eb_b SELECT 'v399', date '2026-01-01' + g % 90, 'b' || g, 10, NULL, false FROM generate_series(1, 399) g;
INSERT INTO eb_b VALUES ('v400', '2025-12-31', 'old', 10, 'seller', false), ('v399', '2025-12-31', 'old', 10, 'seller', false);
-- M2.3 a count exactly on the floor: 6 defects (2.4%) from 5 distinct buyers -> below standard;
-- from 4 -> not; a rate exactly on the cap: 5 of 250 = 2% -> not
INSERT INTO eb_b SELECT 'floor5', date '2026-01-01' + g % 90, 'b' || g, 10,
                        CASE WHEN g <= 6 THEN 'seller' END, false FROM generate_series(1, 250) g;
UPDATE eb_b SET buyer = 'b1' WHERE seller = 'floor5' AND buyer = 'b6';
INSERT INTO eb_b SELECT 'floor4', date '2026-01-01' + g % 90, 'b' || least(g, 300 + g % 2), 10,
                        CASE WHEN g <= 6 THEN 'seller' END, false FROM generate_series(1, 250) g;
UPDATE eb_b SET buyer = CASE WHEN buyer IN ('b5', 'b6') THEN 'b1' ELSE buyer END WHERE seller = 'floor4';
INSERT INTO eb_b SELECT 'cap', date '2026-01-01' + g % 90, 'b' || g, 10,
                        CASE WHEN g <= 5 THEN 'seller' END, false FROM generate_series(1, 250) g;
-- M2.3 Top Rated eligibility: exactly 90 days since the first transaction qualifies, 89 does not;
-- 100 transactions and US$1,000 (cancelled ones' sales excluded)
INSERT INTO eb_b SELECT 'tenure90', date '2026-04-20' - 90 + g % 70, 'b' || g, 10, NULL, false FROM generate_series(0, 99) g;
INSERT INTO eb_b SELECT 'tenure89', date '2026-04-20' - 89 + g % 69, 'b' || g, 10, NULL, false FROM generate_series(0, 99) g;
INSERT INTO eb_b SELECT 'sales1000', date '2026-01-01' + g % 80, 'b' || g, 10, CASE WHEN g = 0 THEN 'buyer' END, false FROM generate_series(0, 100) g;
INSERT INTO eb_b SELECT 'sales990', date '2026-01-01' + g % 80, 'b' || g, 10, CASE WHEN g = 0 THEN 'buyer' END, false FROM generate_series(0, 99) g;
INSERT INTO eb_b VALUES ('sales1000', '2025-06-01', 'first', 0, NULL, false), ('sales990', '2025-06-01', 'first', 0, NULL, false);
SELECT seller, odr_level(s), odr_deciding_standard(s),
       (SELECT m."window" FROM odr_standing_metrics(s) m WHERE m.metric = 'transactions') AS lookback,
       odr_metric_value(s, 'transactions') AS tx, odr_metric_value(s, 'defects') AS defects,
       odr_metric_value(s, 'defect_buyers') AS defect_buyers, odr_metric_value(s, 'defect_rate') AS defect_rate,
       odr_metric_value(s, 'days_since_first') AS tenure, odr_metric_value(s, 'sales_12m') AS sales_12m
FROM (SELECT seller, odr_assess(odr_ebay_order(day, buyer, amount, cancelled_by, case_closed), 'ebay', '2026-04-20') AS s
      FROM eb_b GROUP BY seller) q ORDER BY seller;
-- M2.2 the 20th of a 29-day and of a 28-day February, and the 20th of March after each
INSERT INTO eb_b VALUES ('leap', '2024-02-29', 'x', 10, NULL, false), ('leap', '2024-01-31', 'y', 10, NULL, false),
                        ('noleap', '2026-02-28', 'x', 10, NULL, false), ('noleap', '2026-01-31', 'y', 10, NULL, false);
SELECT seller, e, m."window", m.first_day, m.last_day, m.numerator AS transactions
FROM (VALUES (date '2024-02-20'), ('2024-03-20'), ('2026-02-20'), ('2026-03-20')) d(e),
     LATERAL (SELECT seller, odr_assess(odr_ebay_order(day, buyer, amount), 'ebay', d.e) AS s
              FROM eb_b WHERE seller = CASE WHEN d.e < '2025-01-01' THEN 'leap' ELSE 'noleap' END GROUP BY seller) q,
     odr_standing_metrics(q.s) m
WHERE m.metric IN ('transactions', 'transactions_12m') ORDER BY e, m.metric;

-- ---------------------------------------------------------------------
-- A marketplace of the user's: the same orders, other thresholds
-- ---------------------------------------------------------------------
BEGIN;
INSERT INTO odr_marketplace (name, description, date_bases, events, "values")
SELECT 'amazon_strict', 'Amazon with an ODR target of 0.5%', date_bases, events, "values" FROM odr_marketplace WHERE name = 'amazon';
INSERT INTO odr_marketplace_counter SELECT 'amazon_strict', name, kind, when_all, when_any, when_none, basis, value, k, description
FROM odr_marketplace_counter WHERE marketplace = 'amazon';
INSERT INTO odr_marketplace_window SELECT 'amazon_strict', name, kind, length, lag, primary_window, fallback_window, volume_counter, volume_min, description
FROM odr_marketplace_window WHERE marketplace = 'amazon';
INSERT INTO odr_marketplace_metric SELECT 'amazon_strict', name, kind, numerator, denominator, "window", description
FROM odr_marketplace_metric WHERE marketplace = 'amazon';
INSERT INTO odr_marketplace_standard SELECT 'amazon_strict', name, position, description
FROM odr_marketplace_standard WHERE marketplace = 'amazon';
INSERT INTO odr_marketplace_comparison SELECT 'amazon_strict', standard, position, metric, op,
       CASE WHEN standard LIKE 'odr_%' THEN 0.005 ELSE threshold END, rounding, digits, applies_metric, applies_min, applies_max
FROM odr_marketplace_comparison WHERE marketplace = 'amazon';
INSERT INTO odr_marketplace_level SELECT 'amazon_strict', name, rank, position, mode, standards, description
FROM odr_marketplace_level WHERE marketplace = 'amazon';
COMMIT;
SELECT seller, odr_level(s) AS amazon, odr_level(x) AS amazon_strict
FROM (SELECT seller, odr_assess(odr_amazon_order(order_date, fulfilment, stars), 'amazon', '2026-03-31') AS s,
             odr_assess(odr_amazon_order(order_date, fulfilment, stars), 'amazon_strict', '2026-03-31') AS x
      FROM amz_b WHERE seller LIKE 'cap%' GROUP BY seller) q ORDER BY seller;
-- a threshold is a row update
UPDATE odr_marketplace_comparison SET threshold = 0.011 WHERE marketplace = 'amazon_strict' AND standard = 'odr_mfn';
SELECT odr_level(odr_assess(odr_amazon_order(order_date, fulfilment, stars), 'amazon_strict', '2026-03-31')) AS cap_100
FROM amz_b WHERE seller = 'cap_100';

-- bad policies change nothing (checked at commit; SQLSTATE and the element named)
\set VERBOSITY sqlstate
\set ON_ERROR_STOP 0
UPDATE odr_marketplace_metric SET denominator = NULL WHERE marketplace = 'amazon_strict' AND name = 'odr_mfn';
\set VERBOSITY default
UPDATE odr_marketplace_metric SET denominator = NULL WHERE marketplace = 'amazon_strict' AND name = 'odr_mfn';
DELETE FROM odr_marketplace_level WHERE marketplace = 'amazon_strict' AND mode = 'otherwise';
UPDATE odr_marketplace_counter SET when_all = '{mfn,refund}' WHERE marketplace = 'amazon_strict' AND name = 'orders_mfn';
UPDATE odr_marketplace_window SET length = 0 WHERE marketplace = 'amazon_strict' AND name = 'days_7';
UPDATE odr_marketplace_counter SET kind = 'distinct', k = 1 WHERE marketplace = 'amazon_strict' AND name = 'orders';
UPDATE odr_marketplace_comparison SET threshold = 'NaN' WHERE marketplace = 'amazon_strict' AND standard = 'odr_mfn';
-- built-in marketplaces are read-only
UPDATE odr_marketplace SET description = '' WHERE name = 'amazon';
UPDATE odr_marketplace_comparison SET threshold = 0.02 WHERE marketplace = 'amazon' AND standard = 'odr_mfn';
DELETE FROM odr_marketplace_level WHERE marketplace = 'ebay';
TRUNCATE odr_marketplace_level;
INSERT INTO odr_marketplace (name, builtin, date_bases) VALUES ('mine', true, '{d}');
\set ON_ERROR_STOP 1
SELECT (SELECT denominator FROM odr_marketplace_metric WHERE marketplace = 'amazon_strict' AND name = 'odr_mfn') AS unchanged,
       (SELECT count(*) FROM odr_marketplace_level WHERE marketplace = 'amazon_strict') AS levels;
-- renaming a marketplace follows into its rows
UPDATE odr_marketplace SET name = 'amazon_tight' WHERE name = 'amazon_strict';
SELECT count(*) AS rows_renamed FROM odr_marketplace_comparison WHERE marketplace = 'amazon_tight';
DELETE FROM odr_marketplace WHERE NOT builtin;
SELECT count(*) AS user_rows_left FROM odr_marketplace_metric WHERE marketplace NOT IN ('amazon', 'ebay');

-- ---------------------------------------------------------------------
-- odr_order: the generic constructor, text and binary forms
-- ---------------------------------------------------------------------
SELECT odr_order('ebay', ARRAY[date '2026-01-05'], ARRAY[true, true, NULL, false], ARRAY[12.5], 'buyer-1') AS o;
SELECT odr_order_events(odr_ebay_order('2026-01-05', 'b', 12.5, 'seller', true), 'ebay') AS events,
       odr_order_days(odr_amazon_order('2026-01-05', 'afn', promised_delivery_date => '2026-01-09')) AS days;
SELECT o::text::odr_order::text = o::text AS text_round_trip
FROM (SELECT odr_amazon_order('2026-01-05', 'mfn', 1, buyer => 'x') AS o) q;
SELECT s::text::odr_standing::text = s::text AS standing_round_trip, odr_standing_marketplace(s), odr_standing_as_of(s)
FROM amz_standing WHERE seller = 'a1';
-- binary round trip with COPY (FORMAT binary): orders and standings
CREATE TEMP TABLE facts_bin AS SELECT seller, o FROM amz_facts ORDER BY seller, order_date LIMIT 50;
\copy facts_bin TO 'results/marketplace_facts.bin' WITH (FORMAT binary)
CREATE TEMP TABLE facts_back (LIKE facts_bin);
\copy facts_back FROM 'results/marketplace_facts.bin' WITH (FORMAT binary)
SELECT count(*) AS orders, count(*) FILTER (WHERE b.o::text = f.o::text) AS equal
FROM (SELECT row_number() OVER () AS i, * FROM facts_bin) f JOIN (SELECT row_number() OVER () AS i, * FROM facts_back) b USING (i);
\copy amz_standing TO 'results/marketplace_standing.bin' WITH (FORMAT binary)
CREATE TEMP TABLE standing_back (LIKE amz_standing);
\copy standing_back FROM 'results/marketplace_standing.bin' WITH (FORMAT binary)
SELECT count(*) AS standings, count(*) FILTER (WHERE b.s::text = a.s::text AND odr_level(b.s) = odr_level(a.s)) AS equal
FROM amz_standing a JOIN standing_back b USING (seller);

-- ---------------------------------------------------------------------
-- bad input: SQLSTATE and the argument named
-- ---------------------------------------------------------------------
\set ON_ERROR_STOP 0
SELECT odr_order('etsy', ARRAY[date '2026-01-01'], ARRAY[true]);
SELECT odr_order('ebay', ARRAY[date '2026-01-01', NULL], ARRAY[true, true, true, true]);
SELECT odr_order('ebay', ARRAY[date '2026-01-01'], ARRAY[true]);
SELECT odr_order('ebay', ARRAY[date '2026-01-01'], ARRAY[true, true, true, true], ARRAY[1, 2]);
SELECT odr_order('ebay', ARRAY[date 'infinity'], ARRAY[true, true, true, true]);
SELECT odr_order('ebay', ARRAY[date '2026-01-01'], ARRAY[true, true, true, true], ARRAY['NaN'::numeric]);
SELECT odr_order('ebay', NULL, ARRAY[true, true, true, true]);
SELECT odr_order(NULL, ARRAY[date '2026-01-01'], ARRAY[true, true, true, true]);
SELECT odr_amazon_order('2026-01-01', 'fba');
SELECT odr_amazon_order('2026-01-01', NULL);
SELECT odr_amazon_order('2026-01-01', 'mfn', feedback_stars => 0);
SELECT odr_amazon_order('2026-01-01', 'mfn', claim_status => 'lost');
SELECT odr_amazon_order('2026-01-01', 'mfn', cancelled_by => 'amazon');
SELECT odr_ebay_order('2026-01-01', 'b', cancelled_by => 'ebay');
SELECT odr_choice('x', NULL, '{a}');
SELECT odr_assess(odr_ebay_order('2026-01-01', 'b'), 'amazon', '2026-01-31');
SELECT odr_assess(odr_ebay_order('2026-01-01', 'b'), 'ebay', NULL);
SELECT odr_assess(odr_ebay_order('2026-01-01', 'b'), 'ebay', 'infinity');
SELECT odr_assess(odr_ebay_order('2026-01-01', 'b'), NULL, '2026-01-31');
SELECT odr_assess(odr_ebay_order('2026-01-01', 'b'), m, '2026-01-31') FROM (VALUES ('ebay'), ('amazon')) v(m);
SELECT odr_assess(odr_ebay_order('2026-01-01', 'b'), 'ebay', d) FROM (VALUES (date '2026-01-31'), ('2026-02-28')) v(d);
SELECT odr_metric_value(s, 'odr') FROM amz_standing WHERE seller = 'a1';
SELECT odr_order_events(odr_ebay_order('2026-01-01', 'b'), 'amazon');
SELECT 'v2 shape=0 events=0 buyer=0 values=[] days=[2026-01-01]'::odr_order;
SELECT 'v1 shape=0 events=0 buyer=0 values=[] days=[]'::odr_order;
SELECT 'v1 shape=0 events=0 buyer=0 values=[x] days=[2026-01-01]'::odr_order;
SELECT 'v1 shape=0 events=0 buyer=0 values=[] days=[2026-02-30]'::odr_order;
SELECT 'v1 shape=0 events=0 buyer=0 values=[] days=[2026-01-01] '::odr_order;
SELECT 'v1:00'::odr_standing;
SELECT 'x'::odr_standing;
SELECT odr_level('v1:01000300000000000000000078797a'::odr_standing);
\set ON_ERROR_STOP 1

-- ---------------------------------------------------------------------
-- parallel: partial states in the workers, the same standings
-- ---------------------------------------------------------------------
SET work_mem = '4MB';
\i test/regress/plan_nodes.sql
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE eb_serial AS
SELECT seller, odr_assess(odr_ebay_order(day, buyer, amount, cancelled_by, case_closed, expected, shipped), 'ebay', '2026-04-20')::text AS s
FROM eb GROUP BY seller;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
ANALYZE eb;
SELECT bool_or(node = 'Partial Aggregate' AND in_worker) AS partial_in_workers,
       bool_or(node = 'Finalize Aggregate' AND NOT in_worker) AS finalized_in_leader
FROM pg_temp.plan_nodes($q$SELECT odr_assess(odr_ebay_order(day, buyer, amount, cancelled_by, case_closed, expected, shipped), 'ebay', '2026-04-20') FROM eb$q$);
SELECT count(*) AS sellers, count(*) FILTER (WHERE p.s = s.s) AS equal
FROM (SELECT seller, odr_assess(odr_ebay_order(day, buyer, amount, cancelled_by, case_closed, expected, shipped), 'ebay', '2026-04-20')::text AS s
      FROM eb GROUP BY seller) p JOIN eb_serial s USING (seller);
RESET ALL;
