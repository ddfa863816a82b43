-- Issue 15: one seller, every platform.  odr_level_share puts a level on its
-- marketplace's own ladder (0 lowest .. 1 highest); odr_standings_side_by_side
-- lists a seller's standings worst first, as plain columns.
SET client_min_messages = warning;
SET extra_float_digits = 0;

-- every built-in ladder, lowest to highest
SELECT l.marketplace, l.name AS level, l.rank, odr_level_share(l.marketplace, l.name) AS share
FROM odr_marketplace_level l JOIN odr_marketplace m ON m.name = l.marketplace AND m.builtin
ORDER BY l.marketplace, l.rank;
-- bad input: unknown marketplace or level (22023); NULL gives NULL
SELECT odr_level_share('etsy', 'star');
SELECT odr_level_share('ebay', 'gold');
SELECT odr_level_share(NULL, 'good') IS NULL AS null_marketplace, odr_level_share('amazon', NULL) IS NULL AS null_level;

-- three sellers graded on AliExpress (A), Amazon (M1), eBay (M2) and Walmart (M3)
CREATE TABLE ep_ali AS
SELECT 'shop-' || (1 + g % 3) AS seller, date '2026-03-31' - g % 90 AS finished_on,
       odr_classify(feedback_stars => CASE WHEN g % (5 + 40 * (g % 3)) = 0 THEN 1 ELSE 5 END) AS defects
FROM generate_series(1, 900) g;
CREATE TABLE ep_amazon AS
SELECT 'shop-' || (1 + g % 3) AS seller,
       odr_amazon_order(date '2026-03-31' - g % 60, 'mfn', CASE WHEN g % 3 = 0 AND g % 7 = 0 THEN 1 END) AS o
FROM generate_series(1, 600) g;
CREATE TABLE ep_ebay AS
SELECT 'shop-' || (1 + g % 3) AS seller,
       odr_ebay_order(date '2025-03-01' + g % 380, 'b' || g % 97, 25,
                      CASE WHEN g % 3 = 1 AND g % 11 = 0 THEN 'seller' END) AS o
FROM generate_series(1, 1500) g;
CREATE TABLE ep_walmart AS
SELECT 'shop-' || (1 + g % 3) AS seller,
       odr_walmart_order(order_date => date '2026-03-31' - g % 30, cancelled_by => CASE WHEN g % 3 = 2 AND g % 5 = 0 THEN 'seller' END,
                         shipped_at => timestamptz '2026-03-01 10:00', tracking_valid => true,
                         expected_delivery_date => date '2026-03-31' - g % 30,
                         delivered_at => (date '2026-03-31' - g % 30)::timestamp AT TIME ZONE 'UTC') AS o
FROM generate_series(1, 600) g;
CREATE TABLE ep_standings AS
SELECT seller,
       (SELECT odr_assess(odr_aliexpress_order(defects, finished_on), 'aliexpress', '2026-03-31') FROM ep_ali a WHERE a.seller = s.seller) AS ali,
       (SELECT odr_assess(o, 'amazon', '2026-03-31') FROM ep_amazon a WHERE a.seller = s.seller) AS amazon,
       (SELECT odr_assess(o, 'ebay', '2026-03-20') FROM ep_ebay a WHERE a.seller = s.seller) AS ebay,
       (SELECT odr_assess(o, 'walmart', '2026-03-31') FROM ep_walmart a WHERE a.seller = s.seller) AS walmart,
       (SELECT odr_assess(o, 'walmart_pro_seller', '2026-03-31') FROM ep_walmart a WHERE a.seller = s.seller) AS badge
FROM (VALUES ('shop-1'), ('shop-2'), ('shop-3')) s(seller);

-- each seller's standings, worst first
SELECT s.seller, v.*
FROM ep_standings s, odr_standings_side_by_side(ARRAY[s.ali, s.amazon, s.ebay, s.walmart, s.badge]) v
ORDER BY s.seller, v.position;

-- checked against the tables: the order is by share (then marketplace), the
-- share is (rank - lowest) / (highest - lowest), the failed standards are
-- odr_explain's failed ones in the marketplace's order
SELECT count(*) AS rows,
       count(*) FILTER (WHERE v.level_share = (v.level_rank - r.lo)::float8 / (r.hi - r.lo)) AS share_from_ranks,
       count(*) FILTER (WHERE v.best_level = r.best) AS best_level_right,
       count(*) FILTER (WHERE v.failed_standards = f.failed) AS failed_right,
       bool_and(v.position = w.expected) AS worst_first
FROM ep_standings s,
     LATERAL (SELECT u.*, row_number() OVER (ORDER BY u.level_share, u.marketplace) AS expected
              FROM odr_standings_side_by_side(ARRAY[s.ali, s.amazon, s.ebay, s.walmart, s.badge]) u) w,
     LATERAL (SELECT w.*) v,
     LATERAL (SELECT min(l.rank) AS lo, max(l.rank) AS hi, (array_agg(l.name ORDER BY l.rank DESC))[1] AS best
              FROM odr_marketplace_level l WHERE l.marketplace = v.marketplace) r,
     LATERAL (SELECT coalesce(array_agg(st.name ORDER BY st.position), '{}') AS failed
              FROM odr_marketplace_standard st
              WHERE st.marketplace = v.marketplace
                AND st.name IN (SELECT e.standard FROM odr_explain(CASE v.marketplace WHEN 'aliexpress' THEN s.ali
                                                                 WHEN 'amazon' THEN s.amazon WHEN 'ebay' THEN s.ebay
                                                                 WHEN 'walmart' THEN s.walmart ELSE s.badge END) e
                                WHERE e.state = 'failed')) f;

-- a seller absent from a marketplace: NULL standings are skipped; no standing, no row
SELECT count(*) AS rows FROM ep_standings s, odr_standings_side_by_side(ARRAY[s.ali, NULL, s.ebay]) v WHERE s.seller = 'shop-1';
SELECT count(*) AS rows FROM odr_standings_side_by_side('{}'::odr_standing[]);
SELECT count(*) AS rows FROM odr_standings_side_by_side(NULL);
-- the same marketplace twice (two dates): both rows, the earlier first on a tie
SELECT position, marketplace, as_of, level
FROM ep_standings s,
     odr_standings_side_by_side(ARRAY[s.amazon,
                                      (SELECT odr_assess(o, 'amazon', '2026-02-28') FROM ep_amazon a WHERE a.seller = s.seller)]) v
WHERE s.seller = 'shop-2' ORDER BY position;

DROP TABLE ep_ali, ep_amazon, ep_ebay, ep_walmart, ep_standings;
