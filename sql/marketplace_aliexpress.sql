-- Issue 14: AliExpress (rules A1-A17) as a built-in policy of the marketplace
-- engine.  The same tiers, rates and advice as odr_agg / odr_tier /
-- odr_scorecard under the default policy, checked on generated orders, on
-- every month end (A2), from raw rows and from per-day tallies.
SET client_min_messages = warning;
SET extra_float_digits = 0;

-- the policy: its levels in priority order, with their ranks (A4, A17)
SELECT name, rank, position, mode, standards FROM odr_marketplace_level
WHERE marketplace = 'aliexpress' ORDER BY position;
SELECT standard, metric, op, threshold FROM odr_marketplace_comparison
WHERE marketplace = 'aliexpress' ORDER BY standard, position;
SELECT odr_marketplace_check('aliexpress');
-- A2: every month end
SELECT * FROM odr_evaluations('aliexpress', '2026-01-01', '2026-03-31');
-- A17: the order of the tiers is the policy's
SELECT odr_level_better('aliexpress', 'excellent', 'good') AS excellent_above_good,
       odr_level_better('aliexpress', 'fail', 'unassessed') AS fail_above_unassessed,
       odr_level_rank('aliexpress', 'pass') AS pass_rank;

-- generated orders: 60 sellers over 2025-10-01 .. 2026-03-31, each with its
-- own volume and defect mix; every reason, A13 exclusions, ratings under
-- US$5, arbitrations ruled against the seller
CREATE TABLE ali_orders AS
SELECT g AS order_id, 1 + g % 60 AS seller_id,
       date '2025-10-01' + (hashint4(g * 7) & 2147483647) % 182 AS finished_on,
       odr_classify(
           feedback_stars => CASE WHEN g % 3 = 0 THEN NULL WHEN (hashint4(g * 11) & 2147483647) % 800 < g % 60 THEN 1 + (hashint4(g * 111) & 2147483647) % 3 ELSE 4 + g % 2 END,
           dsr_item => CASE WHEN g % 4 = 0 THEN NULL WHEN (hashint4(g * 13) & 2147483647) % 800 < g % 60 THEN 1 + (hashint4(g * 113) & 2147483647) % 3 ELSE 4 + g % 2 END,
           dsr_communication => CASE WHEN g % 4 = 1 THEN NULL WHEN (hashint4(g * 17) & 2147483647) % 800 < g % 60 THEN 1 + (hashint4(g * 117) & 2147483647) % 3 ELSE 4 + g % 2 END,
           dsr_shipping => CASE WHEN g % 4 = 2 THEN NULL WHEN (hashint4(g * 19) & 2147483647) % 800 < g % 60 THEN 1 + (hashint4(g * 119) & 2147483647) % 3 ELSE 4 + g % 2 END,
           unshipped => (hashint4(g * 23) & 2147483647) % 1000 < g % 60,
           arbitration => (hashint4(g * 29) & 2147483647) % 100 < 1,
           dispute_timeout => (hashint4(g * 31) & 2147483647) % 100 < 1,
           not_received_closed => (hashint4(g * 37) & 2147483647) % 100 < 3,
           arbitration_seller_responsible => (hashint4(g * 29) & 2147483647) % 100 < 1 AND (hashint4(g * 41) & 2147483647) % 2 = 0,
           order_amount_usd => ((hashint4(g * 43) & 2147483647) % 4000) / 100.0) AS defects
FROM generate_series(1, 30000) AS g
WHERE g % 60 < 10 OR (hashint4(g * 47) & 2147483647) % 60 >= g % 60;
-- boundary sellers (A4, A17): 90 orders exactly (assessed), 89 (not), an ODR
-- exactly on each cut-off (3 of 100, 6 of 100, 12 of 100: the worse tier)
INSERT INTO ali_orders
SELECT 100000 + s * 1000 + i, s, date '2026-03-15',
       CASE WHEN i <= d THEN odr_classify(feedback_stars => 1) ELSE odr_classify(feedback_stars => 5) END
FROM (VALUES (101, 90, 0), (102, 89, 0), (103, 100, 3), (104, 100, 6), (105, 100, 12), (106, 100, 2)) AS b(s, n, d),
     generate_series(1, b.n) AS i;
INSERT INTO ali_orders VALUES (200000, 107, '2026-03-15', NULL);   -- a NULL verdict is not counted
ANALYZE ali_orders;

CREATE TABLE ali_evals AS SELECT evaluated_on FROM odr_evaluations('aliexpress', '2025-12-01', '2026-03-31');

-- the classic path: odr_agg over the 90 days (A1), odr_scorecard
CREATE TABLE ali_classic AS
SELECT o.seller_id, e.evaluated_on, odr_agg(o.defects) AS s
FROM ali_evals e, ali_orders o
WHERE o.finished_on BETWEEN e.evaluated_on - 89 AND e.evaluated_on
GROUP BY 1, 2;
-- the engine: odr_assess over every row (the policy picks its window)
CREATE TABLE ali_engine AS
SELECT o.seller_id, e.evaluated_on,
       odr_assess(odr_aliexpress_order(o.defects, o.finished_on), 'aliexpress', e.evaluated_on) AS st
FROM ali_evals e, ali_orders o
GROUP BY 1, 2;

-- tiers and every metric agree, seller by seller, month end by month end
SELECT count(*) AS seller_month_ends,
       count(*) FILTER (WHERE odr_tier(c.s)::text = odr_level(g.st)) AS same_tier,
       count(*) FILTER (WHERE odr_rate(c.s) IS NOT DISTINCT FROM odr_metric_value(g.st, 'odr')) AS same_odr,
       count(*) FILTER (WHERE odr_orders(c.s) = odr_metric_value(g.st, 'orders')) AS same_orders,
       count(*) FILTER (WHERE odr_seller_responsible_rate(c.s) IS NOT DISTINCT FROM odr_metric_value(g.st, 'seller_responsible_arbitration_rate')) AS same_a16_arbitration,
       count(*) FILTER (WHERE odr_positive_feedback_rate(c.s) IS NOT DISTINCT FROM odr_metric_value(g.st, 'positive_feedback_rate')) AS same_a16_positive,
       count(*) FILTER (WHERE odr_dsr_item_avg(c.s) IS NOT DISTINCT FROM odr_metric_value(g.st, 'dsr_item_avg')
                          AND odr_dsr_communication_avg(c.s) IS NOT DISTINCT FROM odr_metric_value(g.st, 'dsr_communication_avg')
                          AND odr_dsr_shipping_avg(c.s) IS NOT DISTINCT FROM odr_metric_value(g.st, 'dsr_shipping_avg')) AS same_a16_dsr
FROM ali_classic c JOIN ali_engine g USING (seller_id, evaluated_on);
-- each reason's count (A12: an order with several reasons counts under each)
SELECT count(*) AS reason_counts,
       count(*) FILTER (WHERE r.orders = odr_metric_value(g.st, r.reason)) AS same
FROM ali_classic c JOIN ali_engine g USING (seller_id, evaluated_on),
     odr_reason_breakdown(c.s) AS r;
-- sellers with no order in the window: unassessed on both paths
SELECT count(*) AS empty_windows, count(*) FILTER (WHERE odr_level(g.st) = 'unassessed') AS unassessed
FROM ali_engine g LEFT JOIN ali_classic c USING (seller_id, evaluated_on)
WHERE c.seller_id IS NULL;
-- the tiers seen (every one of A17's, so the comparison above covers them)
SELECT odr_level(st) AS tier, count(*) FROM ali_engine GROUP BY 1 ORDER BY 1;
-- the boundary sellers on 2026-03-31 (A4: 90 is enough; A17: on a cut-off, the worse tier)
SELECT seller_id, odr_metric_value(st, 'orders') AS orders, odr_metric_value(st, 'odr') AS odr,
       odr_level(st) AS engine_tier, odr_tier(c.s) AS classic_tier
FROM ali_engine g JOIN ali_classic c USING (seller_id, evaluated_on)
WHERE evaluated_on = '2026-03-31' AND seller_id > 100 ORDER BY seller_id;

-- A18: what would lift a seller: the engine's advice for the next tier matches
-- odr_scorecard's distance (more clean orders, or fewer defects)
SELECT count(*) AS advised,
       count(*) FILTER (WHERE a.n = sc.more_orders_to_next) AS same_more_orders,
       count(*) FILTER (WHERE a.alternative = 'fewer_defects' AND a.alternative_n IS NOT DISTINCT FROM sc.fewer_defects_to_next
                          OR a.alternative IS NULL AND sc.fewer_defects_to_next IS NULL) AS same_fewer_defects
FROM ali_classic c JOIN ali_engine g USING (seller_id, evaluated_on),
     odr_scorecard(c.s) AS sc, odr_advise(g.st) AS a
WHERE a.metric IN ('odr', 'orders');
SELECT a.level, a.standard, a.metric, a.value, a.op, a.threshold, a.what, a.n, a.alternative, a.alternative_n,
       sc.next_tier, sc.more_orders_to_next, sc.fewer_defects_to_next
FROM ali_classic c JOIN ali_engine g USING (seller_id, evaluated_on),
     odr_scorecard(c.s) AS sc, odr_advise(g.st) AS a
WHERE evaluated_on = '2026-03-31' AND seller_id IN (3, 102, 103)
ORDER BY seller_id;

-- per-day tallies roll up to the same standings (the warehouse's daily grain)
CREATE TABLE ali_daily AS
SELECT seller_id, d, odr_tally(o, 'aliexpress', d) AS t
FROM (SELECT seller_id, odr_aliexpress_order(defects, finished_on) AS o FROM ali_orders) x,
     odr_order_tally_days(o) AS d
GROUP BY 1, 2;
SELECT count(*) AS seller_month_ends,
       count(*) FILTER (WHERE r.st::text = g.st::text) AS same_standing
FROM (SELECT seller_id, e.evaluated_on, odr_assess(t, 'aliexpress', e.evaluated_on) AS st
      FROM ali_evals e, ali_daily GROUP BY 1, 2) r
JOIN ali_engine g USING (seller_id, evaluated_on);

-- bad input: a NULL verdict is a NULL order; the built-in rows are read-only
SELECT odr_aliexpress_order(NULL, '2026-03-31') IS NULL AS null_order;
-- a NULL finish day: the order has no day and counts in no window
SELECT odr_order_days(odr_aliexpress_order(odr_classify(feedback_stars => 1), NULL)) AS days,
       odr_metric_value(odr_assess(odr_aliexpress_order(odr_classify(feedback_stars => 1), NULL), 'aliexpress', '2026-03-31'), 'orders') AS orders_counted;
UPDATE odr_marketplace_comparison SET threshold = 0.05 WHERE marketplace = 'aliexpress' AND standard = 'excellent_odr';
DELETE FROM odr_marketplace WHERE name = 'aliexpress';

DROP TABLE ali_orders, ali_evals, ali_classic, ali_engine, ali_daily;
