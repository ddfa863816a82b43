-- P1 floor: the cheapest query reading the same rows and columns (seller, day, verdict)
SELECT seller_id, count(*) AS orders, count(defects) AS verdicts
FROM bench_orders
WHERE finished_on BETWEEN date '2026-10-31' - 89 AND date '2026-10-31'
GROUP BY seller_id
