-- Issue 14 (0.8.0): odr_assess(t, as_of) and odr_assess_at(t, as_of date[])
-- over per-day tallies, under the marketplace each tally names (it was
-- counted for it).  Byte for byte what odr_assess(t, marketplace, as_of) and
-- odr_assess_at(t, marketplace, as_of) give (Amazon M1, eBay M2), serially,
-- in parallel and as a window aggregate; NULL tallies; bad input.  Without
-- the marketplace argument the call has no collatable input, so postgres_fdw
-- can ship it to a shard (test/shards.sh checks the pushdown).
SET client_min_messages = warning;
SET TimeZone = 'UTC';

CREATE TABLE ot_amz AS
SELECT 'a' || g % 5 AS seller,
       odr_amazon_order(order_date => date '2025-06-01' + (g * 7) % 300, fulfilment => CASE WHEN g % 4 = 0 THEN 'afn' ELSE 'mfn' END,
                        feedback_stars => CASE WHEN g % (50 + 50 * (g % 5)) = 0 THEN 1 ELSE 5 END,
                        claim_status => CASE WHEN g % 301 = 0 THEN 'granted' END, chargeback => g % 907 = 0,
                        expected_ship_at => (date '2025-06-01' + (g * 7) % 300 + 1) + time '12:00',
                        shipped_at => CASE WHEN g % 37 <> 0 THEN (date '2025-06-01' + (g * 7) % 300 + 1) + time '12:00'
                                                                 + CASE WHEN g % 41 = 0 THEN 1 ELSE -1 END * interval '1 hour' END,
                        cancelled_at => CASE WHEN g % 37 = 0 THEN (date '2025-06-01' + (g * 7) % 300) + time '18:00' END,
                        cancelled_by => CASE WHEN g % 37 = 0 THEN (ARRAY['seller', 'auto', 'buyer'])[1 + g % 3] END,
                        promised_delivery_date => date '2025-06-01' + (g * 7) % 300 + g % 12,
                        tracking_valid => g % 29 <> 0, buyer => 'b' || g % 97) AS o
FROM generate_series(1, 6000) g;
CREATE TABLE ot_eb AS
SELECT 'e' || g % 4 AS seller,
       odr_ebay_order(date '2024-11-01' + (g * 13) % 500, 'b' || (g * 7) % (3 + 20 * (g % 4)), 5 + g % 40,
                      CASE WHEN g % 83 = 0 THEN 'seller' WHEN g % 89 = 0 THEN 'buyer' END, g % 151 = 0,
                      '2026-01-01 12:00', CASE WHEN g % 29 = 0 THEN timestamp '2026-01-02' ELSE timestamp '2026-01-01' END) AS o
FROM generate_series(1, 6000) g;
-- one table of both marketplaces' tallies, as a warehouse keeping several
CREATE TABLE ot_daily AS
SELECT 'amazon' AS marketplace, seller, d AS day, odr_tally(o, 'amazon', d) AS t FROM ot_amz, odr_order_tally_days(o) AS d GROUP BY seller, d
UNION ALL
SELECT 'ebay', seller, d, odr_tally(o, 'ebay', d) FROM ot_eb, odr_order_tally_days(o) AS d GROUP BY seller, d;
-- and a few NULL tallies (a left join's empty days)
INSERT INTO ot_daily SELECT 'amazon', 'a1', date '2026-01-15', NULL;
INSERT INTO ot_daily SELECT 'ebay', 'e_none', date '2026-01-15', NULL;
ANALYZE ot_daily;

-- the dates: eBay's evaluations (M2.2: the 20th) and Amazon's month ends,
-- in no order, repeated, before any row and after the last
CREATE TABLE ot_dates (marketplace text PRIMARY KEY, as_of date[]);
INSERT INTO ot_dates VALUES
  ('amazon', ARRAY['2026-03-31', '2025-08-31', '2026-03-31', '2025-01-31', '2026-12-31', '2025-12-31']::date[]),
  ('ebay', ARRAY(SELECT evaluated_on FROM odr_evaluations('ebay', '2025-04-01', '2026-05-31'))
           || ARRAY['2024-10-20', '2026-02-20']::date[]);

-- odr_assess: the same bytes, seller by seller, on every date (e_none, whose
-- tallies are all NULL, apart: below)
SELECT d.marketplace, count(*) AS standings,
       count(*) FILTER (WHERE own IS NOT DISTINCT FROM named) AS equal,
       count(*) FILTER (WHERE own IS NULL) AS null_standings
FROM ot_dates d, unnest(d.as_of) AS a(as_of),
     LATERAL (SELECT seller, odr_assess(t, a.as_of)::text AS own, odr_assess(t, d.marketplace, a.as_of)::text AS named
              FROM ot_daily x WHERE x.marketplace = d.marketplace AND seller <> 'e_none' GROUP BY seller) s
GROUP BY d.marketplace ORDER BY 1;
-- odr_assess_at: the same arrays
SELECT d.marketplace, count(*) AS sellers,
       count(*) FILTER (WHERE own IS NOT DISTINCT FROM named) AS equal,
       count(*) FILTER (WHERE own IS NULL) AS null_arrays
FROM ot_dates d,
     LATERAL (SELECT seller, odr_assess_at(t, d.as_of)::text AS own, odr_assess_at(t, d.marketplace, d.as_of)::text AS named
              FROM ot_daily x WHERE x.marketplace = d.marketplace AND seller <> 'e_none' GROUP BY seller) s
GROUP BY d.marketplace ORDER BY 1;
-- the levels they give (M1: Amazon's ODR, M2: eBay's levels)
SELECT marketplace, odr_level(s) AS level, count(*) AS standings
FROM (SELECT x.marketplace, odr_assess(t, a.as_of) AS s
      FROM ot_daily x JOIN ot_dates d USING (marketplace), unnest(d.as_of) AS a(as_of)
      GROUP BY x.marketplace, seller, a.as_of) q
GROUP BY 1, 2 ORDER BY 1, 2;
-- a group of NULL tallies only has no standing (it names no marketplace;
-- odr_assess(t, marketplace, as_of) gives the marketplace's empty standing);
-- one with no rows neither
SELECT (SELECT odr_assess(t, 'ebay', '2026-01-20') FROM ot_daily WHERE seller = 'e_none') IS NOT NULL AS named_empty_standing,
       (SELECT odr_assess(t, '2026-01-20') FROM ot_daily WHERE seller = 'e_none') IS NULL AS only_nulls,
       (SELECT odr_assess_at(t, '{2026-01-20}') FROM ot_daily WHERE seller = 'e_none') IS NULL AS only_nulls_at,
       (SELECT odr_assess(t, '2026-01-20') FROM ot_daily WHERE false) IS NULL AS no_rows,
       (SELECT odr_assess_at(t, '{}') FROM ot_daily WHERE marketplace = 'ebay')::text AS no_dates;

-- as a window aggregate: the same as grouped
SELECT count(*) AS rows, count(*) FILTER (WHERE w IS NOT DISTINCT FROM g) AS equal
FROM (SELECT seller, odr_assess(t, date '2026-03-20') OVER (PARTITION BY seller)::text AS w
      FROM ot_daily WHERE marketplace = 'ebay') a
JOIN (SELECT seller, odr_assess(t, date '2026-03-20')::text AS g FROM ot_daily WHERE marketplace = 'ebay' GROUP BY seller) b
USING (seller);

-- in parallel: partial states in the workers, merged in the leader, equal
-- the serial ones
\i test/regress/plan_nodes.sql
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE ot_serial AS
SELECT marketplace, seller, odr_assess(t, '2026-03-31')::text AS a,
       odr_assess_at(t, '{2026-03-20,2025-12-31,2026-01-20}')::text AS a_at
FROM ot_daily GROUP BY marketplace, seller;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT bool_or(node = 'Partial Aggregate' AND in_worker) AS partial_in_workers,
       bool_or(node = 'Finalize Aggregate' AND NOT in_worker) AS finalized_in_leader
FROM pg_temp.plan_nodes($q$SELECT marketplace, seller, odr_assess(t, '2026-03-31'), odr_assess_at(t, '{2026-03-20}') FROM ot_daily GROUP BY marketplace, seller$q$);
SELECT count(*) AS groups, count(*) FILTER (WHERE p.a IS NOT DISTINCT FROM s.a AND p.a_at IS NOT DISTINCT FROM s.a_at) AS equal
FROM (SELECT marketplace, seller, odr_assess(t, '2026-03-31')::text AS a,
             odr_assess_at(t, '{2026-03-20,2025-12-31,2026-01-20}')::text AS a_at
      FROM ot_daily GROUP BY marketplace, seller) p
JOIN ot_serial s USING (marketplace, seller);
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;

-- bad input: each with its SQLSTATE, nothing returned
\set VERBOSITY sqlstate
-- tallies of two marketplaces in one group (22023)
SELECT odr_assess(t, '2026-03-31') FROM ot_daily;
SELECT odr_assess_at(t, '{2026-03-31}') FROM ot_daily;
-- a NULL as_of (22004), a NULL date in it (22004), a 2-D array (22023)
SELECT odr_assess(t, NULL) FROM ot_daily WHERE marketplace = 'ebay';
SELECT odr_assess_at(t, NULL) FROM ot_daily WHERE marketplace = 'ebay';
SELECT odr_assess_at(t, '{2026-03-31,NULL}') FROM ot_daily WHERE marketplace = 'ebay';
SELECT odr_assess_at(t, '{{2026-03-31},{2026-04-30}}') FROM ot_daily WHERE marketplace = 'ebay';
-- as_of differing between rows of a group (22023), infinite (22023)
SELECT odr_assess(t, day) FROM ot_daily WHERE marketplace = 'ebay';
SELECT odr_assess_at(t, ARRAY[day]) FROM ot_daily WHERE marketplace = 'ebay';
SELECT odr_assess(t, 'infinity') FROM ot_daily WHERE marketplace = 'ebay';
\set VERBOSITY default
