-- P2 plain from daily counts: the plain-SQL warehouse (bench_daily_counts) joined to the windows
SELECT as_of, seller_id, orders, defective, defective::float8 / orders AS odr,
       CASE WHEN orders < 90 THEN 'unassessed'
            WHEN defective::float8 / orders < 0.03 THEN 'excellent'
            WHEN defective::float8 / orders < 0.06 THEN 'good'
            WHEN defective::float8 / orders < 0.12 THEN 'pass'
            ELSE 'fail' END AS tier
FROM (SELECT w.as_of, c.seller_id, sum(c.orders)::bigint AS orders, sum(c.defective)::bigint AS defective
      FROM odr_assessment_windows('2025-11-01', '2026-10-31') AS w
      JOIN bench_daily_counts AS c ON c.day BETWEEN w.window_start AND w.window_end
      GROUP BY w.as_of, c.seller_id) AS x
