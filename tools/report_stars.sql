-- The 1688 service-stars section of the odr demo (rules.md S1-S9), over the
-- sample of tools/sample_stars.sql.
--   psql -X -v ON_ERROR_STOP=1 -f tools/report_stars.sql
--
-- 1. the five indicators of every seller over the 30 days ending 2026-10-31
--    (S9), from the raw rows, each with one odr aggregate (S3-S7);
-- 2. peer scores within each category, composite and stars (S2, S8) with
--    odr_star_scorecard over those values;
-- 3. the distribution of stars, per category, and the five best and five
--    weakest sellers with their weak spots (scores below 4, costliest first).
\pset footer off
SET client_min_messages = warning;

-- 1. indicators from the raw rows (the seller's day is Asia/Shanghai's)
DROP TABLE IF EXISTS demo_star_indicators;
CREATE TABLE demo_star_indicators AS
SELECT s.seller_id::text AS seller_id, s.category,
       o.on_time_rate, m.response_rate, o.quality_refund_rate, o.refund_hours, o.dispute_rate
FROM sample_1688_sellers AS s
LEFT JOIN (SELECT seller_id,
                  -- S3: unshipped orders are late once their deadline has passed by the end of the window
                  odr_on_time_rate(paid_at, promised_ship_by, shipped_at, buyer_level,
                                   timestamptz '2026-11-01 00:00:00+08') AS on_time_rate,
                  odr_quality_refund_rate(first_refund_reason) AS quality_refund_rate,  -- S5
                  odr_refund_hours(refund_requested_at, refund_completed_at, buyer_level) AS refund_hours,  -- S6
                  odr_dispute_rate(dispute_ruling) AS dispute_rate  -- S7
           FROM sample_1688_orders
           GROUP BY seller_id) AS o USING (seller_id)
LEFT JOIN (SELECT seller_id,
                  odr_response_rate(buyer_id, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai') AS response_rate  -- S4
           FROM sample_1688_messages
           GROUP BY seller_id) AS m USING (seller_id);

\echo
\echo '1688 service stars, 30 days ending 2026-10-31 (S9), peers = sellers of the same category (S2)'
\echo
-- 2. scores, composite, stars
DROP TABLE IF EXISTS demo_star_card;
CREATE TABLE demo_star_card AS SELECT * FROM odr_star_scorecard('demo_star_indicators');

SELECT category, count(*) AS sellers,
       count(*) FILTER (WHERE stars = 5) AS "5",
       count(*) FILTER (WHERE stars = 4.5) AS "4.5",
       count(*) FILTER (WHERE stars = 4) AS "4",
       count(*) FILTER (WHERE stars = 3.5) AS "3.5",
       count(*) FILTER (WHERE stars = 3) AS "3",
       count(*) FILTER (WHERE stars IS NULL) AS unscored
FROM demo_star_card GROUP BY ROLLUP (category) ORDER BY category NULLS LAST;

\echo 'The five best sellers'
SELECT seller_id, category, stars, round(composite::numeric, 2) AS composite,
       round(on_time_rate::numeric, 3) AS on_time, round(response_rate::numeric, 3) AS response,
       round(quality_refund_rate::numeric, 3) AS quality_refund, round(refund_hours::numeric, 1) AS refund_h,
       round(dispute_rate::numeric, 4) AS dispute, coalesce(nullif(weak_spots, ''), '-') AS weak_spots
FROM demo_star_card WHERE composite IS NOT NULL
ORDER BY composite DESC, seller_id LIMIT 5;

\echo 'The five weakest sellers, and what to fix first (weak spots: scores below 4, costliest first)'
SELECT seller_id, category, stars, round(composite::numeric, 2) AS composite,
       round(on_time_score::numeric, 2) AS on_time_s, round(response_score::numeric, 2) AS response_s,
       round(quality_refund_score::numeric, 2) AS quality_s, round(refund_hours_score::numeric, 2) AS refund_s,
       round(dispute_score::numeric, 2) AS dispute_s, coalesce(nullif(weak_spots, ''), '-') AS weak_spots
FROM demo_star_card WHERE composite IS NOT NULL
ORDER BY composite, seller_id LIMIT 5;
