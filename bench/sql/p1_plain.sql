-- P1 plain: the same answer from the raw columns, with the defect rules written out
-- (A5-A11; A13: a closed not-received dispute drops every rating) and the tier as a CASE
-- (A4: fewer than 90 orders is unassessed; A17: strictly below 3% / 6% / 12%)
SELECT seller_id, orders, defective, defective::float8 / orders AS odr,
       CASE WHEN orders < 90 THEN 'unassessed'
            WHEN defective::float8 / orders < 0.03 THEN 'excellent'
            WHEN defective::float8 / orders < 0.06 THEN 'good'
            WHEN defective::float8 / orders < 0.12 THEN 'pass'
            ELSE 'fail' END AS tier
FROM (SELECT seller_id, count(*) AS orders,
             count(*) FILTER (WHERE (NOT inr_closed AND (feedback_stars <= 3 OR dsr_item <= 3
                                                         OR dsr_communication <= 3 OR dsr_shipping = 1))
                                    OR unshipped OR arbitration OR dispute_timeout) AS defective
      FROM bench_orders
      WHERE finished_on BETWEEN date '2026-10-31' - 89 AND date '2026-10-31'
      GROUP BY seller_id) AS x
