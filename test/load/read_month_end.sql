-- pgbench (test/load.sh): every month end, every seller (odr_rollup_at over odr_daily).
SELECT as_of, count(*) AS sellers, sum(orders) AS orders, sum(defective) AS defective,
       count(*) FILTER (WHERE tier = 'excellent') AS excellent
FROM odr_month_end GROUP BY as_of ORDER BY as_of;
