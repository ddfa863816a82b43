-- odr's warehouse: odr_daily (one odr_summary per seller and day) and the views on top
SELECT count(*) FROM odr_create_warehouse('bench_orders', 'seller_id', 'finished_on', 'defects');
VACUUM (ANALYZE) odr_daily
