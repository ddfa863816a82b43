-- P2 floor: read every per-day summary once, grouped by seller (what odr_month_end reads)
SELECT seller_id, count(*) AS days, count(summary) AS summaries
FROM odr_daily
GROUP BY seller_id
