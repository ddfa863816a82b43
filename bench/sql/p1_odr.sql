-- P1 odr: every seller's ODR and tier over the 90 days ending 2026-10-31, from the stored verdicts
SELECT seller_id, odr_orders(s) AS orders, odr_defective(s) AS defective,
       odr_rate(s) AS odr, odr_tier(s) AS tier
FROM (SELECT seller_id, odr_agg(defects) AS s
      FROM bench_orders
      WHERE finished_on BETWEEN date '2026-10-31' - 89 AND date '2026-10-31'
      GROUP BY seller_id) AS x
