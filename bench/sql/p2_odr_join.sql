-- P2 odr (b): per-day summaries joined to the twelve assessment windows, rolled up
SELECT as_of, seller_id, odr_orders(s) AS orders, odr_defective(s) AS defective,
       odr_rate(s) AS odr, odr_tier(s) AS tier
FROM (SELECT w.as_of, d.seller_id, odr_rollup(d.summary) AS s
      FROM odr_assessment_windows('2025-11-01', '2026-10-31') AS w
      JOIN odr_daily AS d ON d.day BETWEEN w.window_start AND w.window_end
      GROUP BY 1, 2) AS x
