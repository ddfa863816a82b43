-- P2 plain: every seller at the twelve month ends, straight from the raw orders
-- (odr_assessment_windows only lists the month ends and their windows: plain dates)
SELECT as_of, seller_id, orders, defective, defective::float8 / orders AS odr,
       CASE WHEN orders < 90 THEN 'unassessed'
            WHEN defective::float8 / orders < 0.03 THEN 'excellent'
            WHEN defective::float8 / orders < 0.06 THEN 'good'
            WHEN defective::float8 / orders < 0.12 THEN 'pass'
            ELSE 'fail' END AS tier
FROM (SELECT w.as_of, o.seller_id, count(*) AS orders,
             count(*) FILTER (WHERE (NOT o.inr_closed AND (o.feedback_stars <= 3 OR o.dsr_item <= 3
                                                           OR o.dsr_communication <= 3 OR o.dsr_shipping = 1))
                                    OR o.unshipped OR o.arbitration OR o.dispute_timeout) AS defective
      FROM odr_assessment_windows('2025-11-01', '2026-10-31') AS w
      JOIN bench_orders AS o ON o.finished_on BETWEEN w.window_start AND w.window_end
      GROUP BY w.as_of, o.seller_id) AS x
