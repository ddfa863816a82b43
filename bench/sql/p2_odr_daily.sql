-- P2 odr (c): straight from the per-day summaries, without the runs: odr_rollup_at over odr_daily, one pass
SELECT a.as_of, x.seller_id, odr_orders(a.summary) AS orders, odr_defective(a.summary) AS defective,
       odr_rate(a.summary) AS odr, odr_tier(a.summary) AS tier
FROM (SELECT d.seller_id,
             odr_rollup_at(d.day, d.summary, e.month_ends, 90, true) AS assessments
      FROM odr_daily AS d,
           (SELECT ARRAY(SELECT odr_month_ends(min(day), max(day)) FROM odr_daily) AS month_ends) AS e
      GROUP BY d.seller_id) AS x,
     unnest(x.assessments) AS a
