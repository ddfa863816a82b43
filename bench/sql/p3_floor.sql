-- P3 floor: the same rows, grid and sliding frame with the cheapest aggregate, count()
WITH span AS (SELECT max(day) AS last_day FROM odr_daily),
     sellers AS (SELECT seller_id, min(day) AS first_day FROM odr_daily GROUP BY seller_id),
     grid AS (SELECT s.seller_id, s.first_day + i AS day
              FROM span, sellers AS s, generate_series(0, span.last_day - s.first_day) AS i),
     rolled AS (SELECT g.seller_id, g.day,
                       count(d.summary) OVER (PARTITION BY g.seller_id ORDER BY g.day
                                              ROWS BETWEEN 89 PRECEDING AND CURRENT ROW) AS days
                FROM grid AS g LEFT JOIN odr_daily AS d ON d.seller_id = g.seller_id AND d.day = g.day)
SELECT day, seller_id, days FROM rolled
