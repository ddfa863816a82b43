-- The month-end report of the odr demo: psql variable as_of (default 2026-10-31).
\if :{?as_of}
\else
\set as_of 2026-10-31
\endif
\pset footer off
\set QUIET on

CREATE TEMP TABLE assessment AS
SELECT seller_id, s, odr_tier(s) AS tier
FROM (SELECT seller_id, odr_agg(defects) AS s
      FROM sample_classified
      WHERE finished_on <@ odr_window(:'as_of')
      GROUP BY seller_id) AS x;

\echo
\echo 'AliExpress seller service level at' :as_of '(A1: the 90 days ending that day; A17: excellent < 3%, good < 6%, pass < 12%; A4: at least 90 orders)'
\echo
SELECT count(*) AS sellers, sum(odr_orders(s)) AS orders, sum(odr_defective(s)) AS defective,
       round(100.0 * sum(odr_defective(s)) / NULLIF(sum(odr_orders(s)), 0), 2) AS "ODR %"
FROM assessment;

\echo 'Tier distribution'
SELECT t.tier, count(a.seller_id) AS sellers
FROM unnest(enum_range(NULL::odr_tier)) AS t(tier)
LEFT JOIN assessment AS a ON a.tier = t.tier
GROUP BY t.tier ORDER BY t.tier DESC;

CREATE TEMP VIEW ranked AS
SELECT a.seller_id, odr_orders(a.s) AS orders, odr_defective(a.s) AS defective,
       round(100 * odr_rate(a.s)::numeric, 2) AS "ODR %", a.tier,
       (SELECT string_agg(format('%s (%s)', b.reason, b.orders), ', ' ORDER BY b.orders DESC, b.reason)
        FROM (SELECT * FROM odr_reason_breakdown(a.s) WHERE orders > 0
              ORDER BY orders DESC, reason LIMIT 2) AS b) AS top_reasons,
       CASE WHEN n IS NULL THEN '(top tier)'
            ELSE format('%s: %s more clean orders%s', (n).next_tier,
                        coalesce((n).more_orders::text, 'no number of'),
                        CASE WHEN (n).fewer_defects IS NOT NULL
                             THEN format(' or %s fewer defects', (n).fewer_defects) ELSE '' END)
       END AS to_next_tier,
       odr_rate(a.s) AS rate
FROM assessment AS a, LATERAL (SELECT odr_to_next_tier(a.s) AS n) AS d
WHERE a.tier <> 'unassessed';

\echo 'Best five assessed sellers'
SELECT seller_id, orders, defective, "ODR %", tier, top_reasons, to_next_tier
FROM ranked ORDER BY rate, orders DESC, seller_id LIMIT 5;

\echo 'Worst five assessed sellers'
SELECT seller_id, orders, defective, "ODR %", tier, top_reasons, to_next_tier
FROM ranked ORDER BY rate DESC, orders DESC, seller_id LIMIT 5;

\echo 'Why orders were defective (all assessed sellers; an order with several reasons counts under each)'
SELECT b.reason, b.orders, round(100 * b.share_of_defective::numeric, 1) AS "% of defective orders"
FROM odr_reason_breakdown((SELECT odr_rollup(s) FROM assessment)) AS b
ORDER BY b.orders DESC, b.reason;
