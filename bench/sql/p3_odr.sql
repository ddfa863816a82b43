-- P3 odr: every seller's rolling 90-day ODR and tier for every day (the odr_daily_history view:
-- odr_rollup(summary) OVER (PARTITION BY seller_id ORDER BY day ROWS BETWEEN 89 PRECEDING
-- AND CURRENT ROW) over a dense grid of every seller's days, LEFT JOIN odr_daily)
SELECT day, seller_id, orders, defective, odr, tier FROM odr_daily_history
