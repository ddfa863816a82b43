-- pgbench (test/load.sh): the BI scorecard (latest month end, plain columns).
SELECT tier, count(*) AS sellers, sum(orders) AS orders, avg(odr) AS odr, avg(positive_feedback_rate) AS positive
FROM odr_scorecard GROUP BY tier;
