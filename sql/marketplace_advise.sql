-- Issue 14: levels compared (the policy's order, not an enum) and what
-- would lift a seller to the next better level (Amazon M1, eBay M2.3).
SET client_min_messages = warning;

SELECT odr_level_rank('ebay', 'top_rated') AS top, odr_level_rank('ebay', 'above_standard') AS above,
       odr_level_rank('ebay', 'below_standard') AS below, odr_level_rank('amazon', 'good') AS good;
SELECT a.name AS a, b.name AS b, odr_level_better('ebay', a.name, b.name) AS a_better
FROM odr_marketplace_level a, odr_marketplace_level b
WHERE a.marketplace = 'ebay' AND b.marketplace = 'ebay' ORDER BY a.rank DESC, b.rank DESC;
-- sellers sorted by level, best first, whatever the names
SELECT l.name FROM odr_marketplace_level l WHERE marketplace = 'ebay' ORDER BY odr_level_rank('ebay', l.name) DESC;

-- Amazon: 100 seller-fulfilled orders, 2 with negative feedback (2%): bad;
-- 1% is not below 1% (M1.1), so 101 more good orders are needed (2 / 201 < 1%),
-- or 2 fewer defects (1 / 100 is still on the cap)
CREATE TEMP TABLE adv_amz AS
SELECT odr_assess(odr_amazon_order(date '2026-03-31' - g % 60, 'mfn', CASE WHEN g <= 2 THEN 1 ELSE 5 END), 'amazon', '2026-03-31') AS s
FROM generate_series(1, 100) g;
SELECT odr_level(s), a.* FROM adv_amz, odr_advise(s) a;
-- check the answer by adding what it says: 101 good orders give good, 100 do not
SELECT n, odr_level(odr_assess(o, 'amazon', '2026-03-31')) AS level
FROM (VALUES (100), (101)) v(n),
     LATERAL (SELECT odr_amazon_order(date '2026-03-31' - g % 60, 'mfn', CASE WHEN g <= 2 THEN 1 ELSE 5 END) AS o
              FROM generate_series(1, 100 + v.n) g) x
GROUP BY n ORDER BY n;

-- eBay: a seller below standard (defects 6% from 6 distinct buyers): to
-- above standard, 200 more transactions (6 of 300 is 2%, within the cap) or
-- 4 fewer defects; by distinct buyers the answer is unknown (counted exactly
-- only up to k = 5, the floor)
CREATE TEMP TABLE adv_eb AS
SELECT odr_assess(odr_ebay_order(date '2026-01-01' + g % 90, 'b' || g, 10, CASE WHEN g <= 6 THEN 'seller' END), 'ebay', '2026-04-20') AS s
FROM generate_series(1, 100) g;
SELECT odr_level(s), a.* FROM adv_eb, odr_advise(s) a;
-- above standard but not top rated: what Top Rated needs
CREATE TEMP TABLE adv_eb2 AS
SELECT odr_assess(odr_ebay_order(date '2026-02-01' + g % 50, 'b' || g, 5, CASE WHEN g <= 4 THEN 'seller' END), 'ebay', '2026-04-20') AS s
FROM generate_series(1, 300) g;
SELECT odr_level(s), a.* FROM adv_eb2, odr_advise(s) a ORDER BY a.standard, a.metric;
-- a top rated seller: nothing to advise
SELECT count(*) AS advice_at_the_top
FROM (SELECT odr_assess(odr_ebay_order(date '2025-06-01' + g % 300, 'b' || g, 20), 'ebay', '2026-04-20') AS s
      FROM generate_series(1, 500) g) q, odr_advise(q.s);

-- M1: the SP-API-shaped report (performanceMetrics of the account health report)
SELECT jsonb_pretty(odr_amazon_report(s)) FROM adv_amz;
SELECT odr_amazon_report(s) -> 'performanceMetrics' -> 'orderDefectRate' -> 'afn' AS afn_without_orders FROM adv_amz;

\set ON_ERROR_STOP 0
SELECT odr_level_rank('ebay', 'gold');
SELECT odr_level_better('ebay', 'top_rated', 'good');
SELECT odr_level_better('etsy', 'a', 'b');
\set ON_ERROR_STOP 1
