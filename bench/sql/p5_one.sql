-- P5 one group: odr_agg over :n generated orders (generate_series in the select list streams;
-- in FROM it would be materialised in a tuplestore and grow with :n)
SELECT odr_orders(s) AS orders, (SELECT sum(total_bytes) FROM pg_backend_memory_contexts) AS context_bytes
FROM (SELECT odr_agg(odr_classify(unshipped => g % 17 = 0, feedback_stars => 1 + (g % 5)::int)) AS s
      FROM (SELECT generate_series(1, :n) AS g) AS q) AS x
