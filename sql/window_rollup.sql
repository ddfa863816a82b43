-- Sliding windows (moving aggregate with inverse transition) and rollups
-- give exactly the direct computation.
CREATE TABLE w_orders AS
SELECT g AS id, g % 5 AS seller, date '2026-01-01' + (g * 7 % 200) AS day,
       odr_classify(feedback_stars => CASE WHEN g % 4 = 0 THEN 1 + g % 5 END,
                    dsr_shipping => CASE WHEN g % 6 = 0 THEN 1 + g % 5 END,
                    unshipped => g % 19 = 0, arbitration => g % 29 = 0,
                    arbitration_seller_responsible => g % 58 = 0,
                    dispute_timeout => g % 31 = 0) AS d
FROM generate_series(1, 6000) g;
-- A1: a 90-day RANGE window per order equals recomputing each window
SELECT count(*) AS rows,
       count(*) FILTER (WHERE w.s = (SELECT odr_agg(o2.d) FROM w_orders o2
                                     WHERE o2.seller = w.seller
                                       AND o2.day BETWEEN w.day - 89 AND w.day)) AS equal
FROM (SELECT seller, day,
             odr_agg(d) OVER (PARTITION BY seller ORDER BY day
                              RANGE BETWEEN '89 days' PRECEDING AND CURRENT ROW) AS s
      FROM w_orders) w;
-- the moving-aggregate plan really is used: an inverse function exists
SELECT aggfnoid::regprocedure, aggmtransfn, aggminvtransfn
FROM pg_aggregate WHERE aggfnoid IN ('odr_agg(odr_defects)'::regprocedure, 'odr_rollup(odr_summary)'::regprocedure)
ORDER BY 1::text;
-- per-day summaries rolled up equal the direct aggregate
CREATE TABLE w_daily AS
SELECT seller, day, odr_agg(d) AS s FROM w_orders GROUP BY seller, day;
SELECT count(*) AS sellers,
       count(*) FILTER (WHERE r.s = a.s) AS equal
FROM (SELECT seller, odr_rollup(s) AS s FROM w_daily GROUP BY seller) r
JOIN (SELECT seller, odr_agg(d) AS s FROM w_orders GROUP BY seller) a USING (seller);
-- daily rolling 90-day history from per-day summaries equals recomputation from raw rows
SELECT count(*) AS days,
       count(*) FILTER (WHERE h.s = (SELECT odr_agg(o.d) FROM w_orders o
                                     WHERE o.seller = h.seller
                                       AND o.day BETWEEN h.day - 89 AND h.day)) AS equal
FROM (SELECT seller, day,
             odr_rollup(s) OVER (PARTITION BY seller ORDER BY day
                                 RANGE BETWEEN '89 days' PRECEDING AND CURRENT ROW) AS s
      FROM w_daily) h;
-- ROWS frames and a frame that shrinks from the front
SELECT count(*) FILTER (WHERE a = b) AS equal, count(*) AS rows
FROM (SELECT odr_agg(d) OVER (ORDER BY id ROWS BETWEEN 10 PRECEDING AND 5 FOLLOWING) AS a,
             odr_rollup(odr_summary_of(d)) OVER (ORDER BY id ROWS BETWEEN 10 PRECEDING AND 5 FOLLOWING) AS b
      FROM w_orders) x;
-- a whole-seller total equals the sum of its parts
SELECT odr_rollup(s) = (SELECT odr_agg(d) FROM w_orders) AS total_equal FROM w_daily;
DROP TABLE w_daily;
DROP TABLE w_orders;
