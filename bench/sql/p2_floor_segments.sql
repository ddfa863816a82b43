-- P2 floor of (a): read every run summary once, grouped by seller (what odr_month_end reads)
SELECT seller_id, count(*) AS runs, count(summary) AS summaries
FROM odr_segments
GROUP BY seller_id
