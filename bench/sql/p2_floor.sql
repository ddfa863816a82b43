-- P2 floor of (b), (c): read every per-day summary once, grouped by seller (what odr_rollup_at over odr_daily reads)
SELECT seller_id, count(*) AS days, count(summary) AS summaries
FROM odr_daily
GROUP BY seller_id
