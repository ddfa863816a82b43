-- The plain-SQL warehouse: orders and defective orders per (seller, day), the defect rules written out
CREATE MATERIALIZED VIEW bench_daily_counts AS
SELECT seller_id, finished_on AS day, count(*)::int AS orders,
       (count(*) FILTER (WHERE (NOT inr_closed AND (feedback_stars <= 3 OR dsr_item <= 3
                                                    OR dsr_communication <= 3 OR dsr_shipping = 1))
                               OR unshipped OR arbitration OR dispute_timeout))::int AS defective
FROM bench_orders
GROUP BY 1, 2;
CREATE UNIQUE INDEX bench_daily_counts_key ON bench_daily_counts (seller_id, day);
CREATE INDEX bench_daily_counts_day ON bench_daily_counts (day);
VACUUM (ANALYZE) bench_daily_counts
