-- pgbench (test/load.sh): what a reader sees while refreshes run, in one
-- snapshot: odr_daily never holds more orders than the orders table, and
-- every (seller, day) of the data loaded before the run is there with at
-- least its orders (a half-applied refresh would lose some). load_assert
-- raises an error otherwise, which aborts the client and fails the test.
-- A total smaller than this client's previous read is recorded in
-- load_regressions (reported, not an error: see README, Load).
SELECT load_assert(x.seen <= x.raw AND x.seed_short = 0,
                   format('odr_daily has %s orders, orders has %s rows, %s seed days short',
                          x.seen, x.raw, x.seed_short)) AS ok, x.seen
FROM (SELECT (SELECT coalesce(sum(odr_orders(summary)), 0) FROM odr_daily) AS seen,
             (SELECT count(*) FROM orders) AS raw,
             (SELECT count(*) FROM load_seed_days s LEFT JOIN odr_daily d USING (seller_id, day)
              WHERE d.summary IS NULL OR odr_orders(d.summary) < s.orders) AS seed_short) AS x
\gset
\if :seen < :last_seen
INSERT INTO load_regressions (client, previous, seen) VALUES (:client_id, :last_seen, :seen);
\endif
\set last_seen :seen
