-- P5 grouped: the same orders spread over 2000 sellers (HashAggregate, one summary per seller)
SELECT count(*) AS sellers, sum(odr_orders(s)) AS orders,
       (SELECT sum(total_bytes) FROM pg_backend_memory_contexts) AS context_bytes
FROM (SELECT g % 2000 AS seller_id,
             odr_agg(odr_classify(unshipped => g % 17 = 0, feedback_stars => 1 + (g % 5)::int)) AS s
      FROM (SELECT generate_series(1, :n) AS g) AS q
      GROUP BY 1) AS x
