-- The same sellers graded by AliExpress (A), Amazon (M1) and eBay (M2), side
-- by side, over the tables of tools/sample.sql and tools/sample_marketplaces.sql.
--   psql -X -v ON_ERROR_STOP=1 [-v as_of=2026-10-31] -f tools/report_marketplaces.sql
-- AliExpress: the 90 days ending on as_of (A1), the default policy's tiers;
-- Amazon: account health on as_of (ODR over 60 days of order date per channel,
-- late shipment 10/30 days, cancels 7 days, valid tracking 30 days);
-- eBay: the level of the last evaluation (the 20th) on or before as_of, over
-- the 3 or 12 whole months before it (M2.2).
\if :{?as_of}
\else
\set as_of 2026-10-31
\endif
\set QUIET on
\pset footer off
\pset null ''
SET client_min_messages = warning;
SET jit = off;

SELECT d AS as_of, e AS ebay_on,
       format('The same sellers on three marketplaces, as of %s', d) AS title,
       format('Amazon (M1): account health on %s: good / bad (ODR < 1%% per channel, late shipment, cancels, tracking)', d) AS amazon_line,
       format('eBay (M2): the evaluation of %s (the 20th): top_rated / above_standard / below_standard', e) AS ebay_line
FROM (SELECT (:'as_of')::date AS d) AS x,
     LATERAL (SELECT max(evaluated_on) AS e FROM odr_evaluations('ebay', x.d - 40, x.d)) AS y
\gset

-- one row per seller: the three grades and what they rest on
CREATE TEMP TABLE grades AS
WITH ali AS (
	SELECT seller_id, odr_agg(defects) AS summary
	FROM sample_classified
	WHERE finished_on BETWEEN (:'as_of')::date - 89 AND :'as_of'
	GROUP BY seller_id
), odr_assess_ali AS (
	SELECT seller_id, odr_assess(odr_aliexpress_order(defects, finished_on), 'aliexpress', :'as_of') AS s
	FROM sample_classified
	GROUP BY seller_id
), amazon AS (
	SELECT seller_id,
	       odr_assess(odr_amazon_order(order_date, fulfilment, feedback_stars, claim_status, chargeback,
	                                   expected_ship_at, shipped_at, cancelled_at, cancelled_by,
	                                   promised_delivery_date, tracking_valid, buyer),
	                  'amazon', :'as_of') AS s
	FROM sample_amazon_orders
	GROUP BY seller_id
), ebay AS (
	SELECT seller_id,
	       odr_assess(odr_ebay_order(transaction_date, buyer, amount_usd, cancelled_by,
	                                 case_closed_without_seller_resolution, expected_ship_at, shipped_at),
	                  'ebay', :'ebay_on') AS s
	FROM sample_ebay_orders
	GROUP BY seller_id
)
SELECT s.seller_name AS seller,
       odr_orders(coalesce(ali.summary, '()')) AS ali_orders,
       odr_rate(coalesce(ali.summary, '()')) AS ali_odr,
       odr_tier(coalesce(ali.summary, '()'))::text AS ali_tier,
       odr_tier(coalesce(ali.summary, '()')) AS ali_rank,
       odr_metric_value(amazon.s, 'orders_mfn') + odr_metric_value(amazon.s, 'orders_afn') AS amazon_orders,
       odr_metric_value(amazon.s, 'odr_mfn') AS amazon_odr_mfn,
       odr_metric_value(amazon.s, 'odr_afn') AS amazon_odr_afn,
       odr_level(amazon.s) AS amazon_level,
       odr_level_rank(amazon.s) AS amazon_rank,
       odr_deciding_standard(amazon.s) AS amazon_deciding,
       odr_metric_value(ebay.s, 'transactions') AS ebay_transactions,
       (SELECT m."window" FROM odr_standing_metrics(ebay.s) AS m WHERE m.metric = 'transactions') AS ebay_lookback,
       odr_metric_value(ebay.s, 'defect_rate') AS ebay_defect_rate,
       odr_level(ebay.s) AS ebay_level,
       odr_level_rank(ebay.s) AS ebay_rank,
       odr_deciding_standard(ebay.s) AS ebay_deciding,
       ARRAY[odr_assess_ali.s, amazon.s, ebay.s] AS standings
FROM sample_sellers AS s
LEFT JOIN ali USING (seller_id)
LEFT JOIN odr_assess_ali USING (seller_id)
LEFT JOIN amazon USING (seller_id)
LEFT JOIN ebay USING (seller_id);

\echo
\echo '================================================================================'
\echo ' ' :title
\echo '  AliExpress (A): the 90 days of finished orders ending on it: excellent / good / pass / fail'
\echo ' ' :amazon_line
\echo ' ' :ebay_line
\echo '================================================================================'
\echo
\echo 'Levels per marketplace (best first; the order is each policy''s own)'
SELECT marketplace, level, sellers FROM (
	SELECT 'aliexpress' AS marketplace, ali_tier AS level, count(*) AS sellers,
	       array_position(enum_range(NULL::odr_tier), ali_rank) AS rank
	FROM grades GROUP BY ali_tier, ali_rank
	UNION ALL
	SELECT 'amazon', coalesce(amazon_level, '(no orders)'), count(*), coalesce(amazon_rank, -1)
	FROM grades GROUP BY amazon_level, amazon_rank
	UNION ALL
	SELECT 'ebay', coalesce(ebay_level, '(no transactions)'), count(*), coalesce(ebay_rank, -1)
	FROM grades GROUP BY ebay_level, ebay_rank) AS x
ORDER BY marketplace, rank DESC;

\echo 'AliExpress tier against eBay level (sellers): a careless shop tends to be careless everywhere'
SELECT ali_tier AS "AliExpress tier",
       count(*) FILTER (WHERE ebay_level = 'top_rated') AS top_rated,
       count(*) FILTER (WHERE ebay_level = 'above_standard') AS above_standard,
       count(*) FILTER (WHERE ebay_level = 'below_standard') AS below_standard,
       count(*) FILTER (WHERE amazon_level = 'good') AS "Amazon good",
       count(*) FILTER (WHERE amazon_level = 'bad') AS "Amazon bad"
FROM grades
GROUP BY ali_tier, ali_rank
ORDER BY ali_rank DESC;

\echo 'The 5 best and the 5 worst assessed AliExpress sellers, graded by all three (rates in %)'
(SELECT seller, ali_orders AS "ali orders", round(100 * ali_odr::numeric, 2) AS "ali ODR", ali_tier AS "ali tier",
        amazon_orders::bigint AS "amz orders", round(100 * amazon_odr_mfn::numeric, 2) AS "amz ODR mfn",
        amazon_level AS "amz level", coalesce(amazon_deciding, '-') AS "amz decided by",
        ebay_transactions::bigint AS "ebay tx", ebay_lookback AS "lookback",
        round(100 * ebay_defect_rate::numeric, 2) AS "ebay defects", ebay_level AS "ebay level",
        coalesce(ebay_deciding, '-') AS "ebay decided by"
 FROM grades WHERE ali_rank > 'unassessed' ORDER BY ali_odr, ali_orders DESC, seller LIMIT 5)
UNION ALL
(SELECT seller, ali_orders, round(100 * ali_odr::numeric, 2), ali_tier,
        amazon_orders::bigint, round(100 * amazon_odr_mfn::numeric, 2),
        amazon_level, coalesce(amazon_deciding, '-'),
        ebay_transactions::bigint, ebay_lookback,
        round(100 * ebay_defect_rate::numeric, 2), ebay_level, coalesce(ebay_deciding, '-')
 FROM grades WHERE ali_rank > 'unassessed' ORDER BY ali_odr DESC, ali_orders DESC, seller LIMIT 5);

\echo 'One seller, every platform: the standings of 4 sellers worst first (odr_standings_side_by_side;'
\echo 'share: the level on its marketplace''s own ladder, 0 lowest .. 1 highest; AliExpress on the engine)'
SELECT g.seller, v.position AS "#", v.marketplace, v.as_of, v.level, round(v.level_share::numeric, 2) AS share,
       v.best_level AS "best level", coalesce(v.deciding_standard, '-') AS "decided by",
       array_to_string(v.failed_standards, ', ') AS "failed standards"
FROM (SELECT * FROM grades WHERE seller IN ('shop-0036', 'shop-0093', 'shop-0185', 'shop-0211')) AS g,
     odr_standings_side_by_side(g.standings) AS v
ORDER BY g.seller, v.position;

\echo '"decided by": the standard that set the level (Amazon: the first missed target; eBay: the'
\echo 'standard that put the seller below standard, or kept it from top rated). odr_explain and'
\echo 'odr_advise (README: Marketplaces) say more, per seller.'
\echo
