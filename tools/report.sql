-- The month-end report of the odr demo, over the tables of tools/sample.sql.
--   psql -X -v ON_ERROR_STOP=1 [-v as_of=2026-10-31] -f tools/report.sql
-- as_of is the assessment date (A2: a month end); the window is the 90 days
-- ending on it (A1), tiers follow the default policy (A4, A17).
\if :{?as_of}
\else
\set as_of 2026-10-31
\endif
\set QUIET on
\pset footer off
\pset null ''
SET client_min_messages = warning;
SET jit = off;

-- the assessment date (validated), its window and the policy's numbers
SELECT d - 89 AS window_from, d AS window_to,
       format('odr month-end report: %s (%s)', d,
              CASE WHEN d = odr_last_assessment(d) THEN 'a month end, A2'
                   ELSE 'not a month end; A2 assesses on month ends' END) AS title,
       format('window (A1): %s .. %s, the 90 days ending on it, by the day each order finished (A3)',
              d - 89, d) AS window_line,
       format('policy %s: excellent < %s%%, good < %s%%, pass < %s%%, else fail (A17);',
              p.name, 100 * p.excellent_below, 100 * p.good_below, 100 * p.pass_below) AS policy_line,
       format('unassessed below %s orders in the window (A4)', p.min_orders) AS volume_line
FROM (SELECT (:'as_of')::date AS d) AS x
JOIN odr_policy AS p ON p.name = odr_default_policy()
\gset

-- Every seller's assessment: the orders that finished in the window (A1,
-- A3); a seller with none there has an empty summary (unassessed, A4).
CREATE TEMP TABLE assessment AS
SELECT s.seller_id, coalesce(w.summary, '()'::odr_summary) AS summary
FROM sample_sellers AS s
LEFT JOIN (SELECT seller_id, odr_agg(defects) AS summary
           FROM sample_classified
           WHERE finished_on BETWEEN :'window_from' AND :'window_to'
           GROUP BY seller_id) AS w USING (seller_id);

CREATE TEMP VIEW card AS
SELECT a.seller_id, c.*, c.tier::odr_tier AS tier_rank,
       -- the two most frequent reasons (canonical order breaks ties)
       coalesce((SELECT string_agg(format('%s %s', b.reason, b.orders), ', ' ORDER BY b.orders DESC, b.k)
                 FROM (SELECT r.reason, r.orders, r.k
                       FROM odr_reason_breakdown(a.summary) WITH ORDINALITY AS r(reason, orders, so, sd, k)
                       WHERE r.orders > 0
                       ORDER BY r.orders DESC, r.k LIMIT 2) AS b), '-') AS top_reasons
FROM assessment AS a, LATERAL odr_scorecard(a.summary) AS c;

\echo
\echo '================================================================================'
\echo ' ' :title
\echo ' ' :window_line
\echo ' ' :policy_line
\echo ' ' :volume_line
\echo '================================================================================'
\echo
\echo 'All sellers'
SELECT count(*) AS sellers,
       count(*) FILTER (WHERE tier_rank > 'unassessed') AS assessed,
       sum(orders) AS orders,
       sum(defective) AS defective,
       round(100.0 * sum(defective) / NULLIF(sum(orders), 0), 2) AS "ODR %",
       round(100.0 * sum(defective) FILTER (WHERE tier_rank > 'unassessed')
             / NULLIF(sum(orders) FILTER (WHERE tier_rank > 'unassessed'), 0), 2) AS "ODR % of assessed"
FROM card;

\echo 'Tier distribution (A17; an ODR exactly on a cut-off falls in the worse tier)'
SELECT t.tier, count(c.seller_id) AS sellers,
       coalesce(sum(c.orders), 0) AS orders,
       round(100 * min(c.odr)::numeric, 2) AS "lowest ODR %",
       round(100 * max(c.odr)::numeric, 2) AS "highest ODR %"
FROM unnest(enum_range(NULL::odr_tier)) AS t(tier)
LEFT JOIN card AS c ON c.tier_rank = t.tier
GROUP BY t.tier
ORDER BY t.tier;

\echo 'The 5 best assessed sellers (lowest ODR; more orders first on a tie)'
SELECT seller_id AS seller, orders, defective, round(100 * odr::numeric, 2) AS "ODR %", tier,
       top_reasons AS "top reasons (orders)",
       coalesce(next_tier, '(top tier)') AS "next tier",
       more_orders_to_next AS "+ clean orders", fewer_defects_to_next AS "or - defects"
FROM card
WHERE tier_rank > 'unassessed'
ORDER BY odr, orders DESC, seller_id
LIMIT 5;

\echo 'The 5 worst assessed sellers (highest ODR; more orders first on a tie)'
SELECT seller_id AS seller, orders, defective, round(100 * odr::numeric, 2) AS "ODR %", tier,
       top_reasons AS "top reasons (orders)",
       coalesce(next_tier, '(top tier)') AS "next tier",
       more_orders_to_next AS "+ clean orders", fewer_defects_to_next AS "or - defects"
FROM card
WHERE tier_rank > 'unassessed'
ORDER BY odr DESC, orders DESC, seller_id
LIMIT 5;

\echo 'Defect reasons over all assessed sellers (A12: an order with several reasons counts under each)'
SELECT b.reason, b.orders,
       round(100 * b.share_of_orders::numeric, 2) AS "% of orders",
       round(100 * b.share_of_defective::numeric, 1) AS "% of defective orders"
FROM odr_reason_breakdown((SELECT odr_rollup(a.summary)
                           FROM assessment AS a
                           WHERE odr_tier(a.summary) > 'unassessed')) AS b
ORDER BY b.orders DESC, b.reason;

\echo '"+ clean orders": the fewest extra defect-free orders that would reach the next tier;'
\echo '"or - defects": the fewest defective orders that would have had to be defect-free (A18).'
\echo
