-- pgbench (test/load.sh): one seller's rolling history, tier changes and projection.
\set seller random(1, 80)
SELECT day, orders, odr, tier FROM odr_daily_history WHERE seller_id = :seller ORDER BY day DESC LIMIT 7;
SELECT count(*) FROM odr_tier_changes WHERE seller_id = :seller;
SELECT current_tier, projected_tier, tier_change FROM odr_projection WHERE seller_id = :seller;
