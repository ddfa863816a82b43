-- P2 plain, month ends from generate_series: the same, as many users would first write it
-- (the planner computes the month-end expression once per joined row)
SELECT as_of, seller_id, orders, defective, defective::float8 / orders AS odr,
       CASE WHEN orders < 90 THEN 'unassessed'
            WHEN defective::float8 / orders < 0.03 THEN 'excellent'
            WHEN defective::float8 / orders < 0.06 THEN 'good'
            WHEN defective::float8 / orders < 0.12 THEN 'pass'
            ELSE 'fail' END AS tier
FROM (SELECT m.as_of, o.seller_id, count(*) AS orders,
             count(*) FILTER (WHERE (NOT o.inr_closed AND (o.feedback_stars <= 3 OR o.dsr_item <= 3
                                                           OR o.dsr_communication <= 3 OR o.dsr_shipping = 1))
                                    OR o.unshipped OR o.arbitration OR o.dispute_timeout) AS defective
      FROM (SELECT (d + interval '1 month' - interval '1 day')::date AS as_of
            FROM generate_series(date '2025-11-01', date '2026-10-01', interval '1 month') AS d) AS m
      JOIN bench_orders AS o ON o.finished_on BETWEEN m.as_of - 89 AND m.as_of
      GROUP BY m.as_of, o.seller_id) AS x
