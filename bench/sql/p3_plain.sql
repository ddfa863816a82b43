-- P3 plain: the same dense grid of days and the same ROWS frame as odr_daily_history, with
-- sum() over the plain daily counts (the best shape a competent user writes; see FINDINGS.md)
WITH span AS (SELECT max(day) AS last_day FROM bench_daily_counts),
     sellers AS (SELECT seller_id, min(day) AS first_day FROM bench_daily_counts GROUP BY seller_id),
     grid AS (SELECT s.seller_id, s.first_day + i AS day
              FROM span, sellers AS s, generate_series(0, span.last_day - s.first_day) AS i),
     rolled AS (SELECT g.seller_id, g.day,
                       coalesce(sum(c.orders) OVER w, 0) AS orders,
                       coalesce(sum(c.defective) OVER w, 0) AS defective
                FROM grid AS g LEFT JOIN bench_daily_counts AS c ON c.seller_id = g.seller_id AND c.day = g.day
                WINDOW w AS (PARTITION BY g.seller_id ORDER BY g.day ROWS BETWEEN 89 PRECEDING AND CURRENT ROW))
SELECT day, seller_id, orders, defective, defective::float8 / NULLIF(orders, 0) AS odr,
       CASE WHEN orders < 90 THEN 'unassessed'
            WHEN defective::float8 / orders < 0.03 THEN 'excellent'
            WHEN defective::float8 / orders < 0.06 THEN 'good'
            WHEN defective::float8 / orders < 0.12 THEN 'pass'
            ELSE 'fail' END AS tier
FROM rolled
