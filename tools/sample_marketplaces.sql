-- The Amazon and eBay sides of the odr demo: the same sellers as
-- tools/sample.sql (sample_sellers must exist), selling on Amazon and eBay too.
--   psql -X -v ON_ERROR_STOP=1 [-v amazon_orders=60000] [-v ebay_orders=360000] \
--        [-v as_of=2026-10-31] -f tools/sample_marketplaces.sql
--
-- Nothing is random: every "random" number is a hash of the order number and
-- a salt (hashint8), so the sample is the same on every run and machine. Each
-- seller's defect_propensity (the knob of its AliExpress orders) scales its
-- bad experiences here too, so a careless shop tends to be careless
-- everywhere, but each marketplace counts different things (M1, M2), and the
-- levels need not agree.
--
-- Tables made here (dropped first if they exist):
--   sample_amazon_orders  the 92 days of order date ending on as_of: channel
--                         (mfn / afn), feedback, A-to-z claim, chargeback,
--                         shipping and cancel times, promised delivery date,
--                         tracking (M1)
--   sample_ebay_orders    the 12 months ending on as_of: buyer, amount,
--                         cancels, cases closed without seller resolution,
--                         late shipments (M2)
\if :{?amazon_orders}
\else
\set amazon_orders 60000
\endif
\if :{?ebay_orders}
\else
\set ebay_orders 360000
\endif
\if :{?as_of}
\else
\set as_of 2026-10-31
\endif

SET client_min_messages = warning;
SET jit = off;
DROP TABLE IF EXISTS sample_amazon_orders, sample_ebay_orders;

CREATE OR REPLACE FUNCTION pg_temp.u(k bigint, salt int) RETURNS double precision
LANGUAGE sql IMMUTABLE
RETURN (hashint8(k * 1000003 + salt)::bigint & 2147483647)::double precision / 2147483648.0::double precision;

-- where each seller's share of the volume starts in [0, 1)
CREATE TEMP TABLE sample_bounds AS
SELECT array_agg(lo ORDER BY seller_id) AS lo
FROM (SELECT seller_id,
             coalesce(sum(volume_weight) OVER (ORDER BY seller_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
             / sum(volume_weight) OVER () AS lo
      FROM sample_sellers) AS x;

-- ---------------------------------------------------------------------
-- Amazon (M1): 92 days of order date, 35% Amazon-fulfilled (afn, whose
-- shipping Amazon does: half the defects, no late shipment or cancel)
-- ---------------------------------------------------------------------
CREATE TABLE sample_amazon_orders (
	order_id bigint PRIMARY KEY,
	seller_id int NOT NULL,
	order_date date NOT NULL,
	fulfilment text NOT NULL CHECK (fulfilment IN ('mfn', 'afn')),
	feedback_stars int NULL,
	claim_status text NULL,
	chargeback boolean NOT NULL,
	expected_ship_at timestamptz NULL,
	shipped_at timestamptz NULL,
	cancelled_at timestamptz NULL,
	cancelled_by text NULL,
	promised_delivery_date date NULL,
	tracking_valid boolean NULL,
	buyer text NOT NULL
);
COMMENT ON TABLE sample_amazon_orders IS 'odr demo: generated, deterministic Amazon orders of the sample sellers (M1 facts)';

INSERT INTO sample_amazon_orders
WITH o AS (
	SELECT g AS order_id, width_bucket(pg_temp.u(g, 201), b.lo) AS seller_id,
	       (:'as_of')::date - floor(92 * pg_temp.u(g, 202))::int AS order_date,
	       CASE WHEN pg_temp.u(g, 203) < 0.35 THEN 'afn' ELSE 'mfn' END AS fulfilment,
	       pg_temp.u(g, 204) AS r_bad, pg_temp.u(g, 205) AS r_kind, pg_temp.u(g, 206) AS r_rated,
	       pg_temp.u(g, 207) AS r_late, pg_temp.u(g, 208) AS r_cancel, pg_temp.u(g, 209) AS r_track,
	       pg_temp.u(g, 210) AS r_hour
	FROM generate_series(1, :amazon_orders) AS g, sample_bounds AS b
), f AS (
	SELECT o.*, s.defect_propensity AS p,
	       o.r_bad < s.defect_propensity * CASE o.fulfilment WHEN 'afn' THEN 0.025 ELSE 0.05 END AS bad,
	       o.fulfilment = 'mfn' AND o.r_cancel < s.defect_propensity * 0.06 AS cancelled,
	       o.order_date::timestamp AT TIME ZONE 'UTC' + interval '2 days' + make_interval(mins => floor(600 * o.r_hour)::int) AS expected_ship_at
	FROM o JOIN sample_sellers AS s USING (seller_id)
)
SELECT f.order_id, f.seller_id, f.order_date, f.fulfilment,
       -- negative feedback (1-2 stars) for 60% of the bad orders; the rest rated 4-5 or not at all
       CASE WHEN f.bad AND f.r_kind < 0.6 THEN 1 + floor(2 * f.r_rated)::int
            WHEN f.r_rated < 0.4 THEN 4 + floor(2 * f.r_rated / 0.4)::int END,
       -- an A-to-z claim for 30% of the bad orders (open or granted); a few denied ones among the good
       CASE WHEN f.bad AND f.r_kind >= 0.6 AND f.r_kind < 0.9 THEN CASE WHEN f.r_rated < 0.5 THEN 'open' ELSE 'granted' END
            WHEN NOT f.bad AND f.r_kind < 0.01 THEN 'denied' END,
       f.bad AND f.r_kind >= 0.9,
       CASE WHEN f.fulfilment = 'mfn' THEN f.expected_ship_at END,
       -- seller-fulfilled: shipped before the expected time, or late (M1.2); cancelled ones never ship
       CASE WHEN f.fulfilment = 'afn' THEN f.expected_ship_at - interval '1 day'
            WHEN f.cancelled THEN NULL
            WHEN f.r_late < f.p * 0.12 THEN f.expected_ship_at + make_interval(mins => 120 + floor(2880 * f.r_late / (f.p * 0.12))::int)
            ELSE f.expected_ship_at - make_interval(mins => 60 + floor(1200 * f.r_late)::int) END,
       CASE WHEN f.cancelled THEN f.expected_ship_at - interval '1 day' END,
       CASE WHEN f.cancelled THEN CASE WHEN f.r_cancel < f.p * 0.04 THEN 'seller' ELSE 'auto' END END,
       f.order_date + 5,
       CASE WHEN f.cancelled THEN NULL ELSE f.r_track >= f.p * 0.1 END,
       'buyer-' || (hashint8(f.order_id * 7 + 3)::bigint & 1048575)
FROM f;
CREATE INDEX ON sample_amazon_orders (seller_id);

-- ---------------------------------------------------------------------
-- eBay (M2): the 12 months ending on as_of, three times the AliExpress volume
-- (so the biggest shops pass the 400 transactions of the 3-month lookback,
-- M2.2); buyers from a pool per seller so that a few buy twice (the
-- distinct-buyer floors of M2.3 count people)
-- ---------------------------------------------------------------------
CREATE TABLE sample_ebay_orders (
	transaction_id bigint PRIMARY KEY,
	seller_id int NOT NULL,
	transaction_date date NOT NULL,
	buyer text NOT NULL,
	amount_usd numeric(10,2) NOT NULL,
	cancelled_by text NULL,
	case_closed_without_seller_resolution boolean NOT NULL,
	expected_ship_at timestamptz NULL,
	shipped_at timestamptz NULL
);
COMMENT ON TABLE sample_ebay_orders IS 'odr demo: generated, deterministic eBay transactions of the sample sellers (M2 facts)';

INSERT INTO sample_ebay_orders
WITH o AS (
	SELECT g AS transaction_id, width_bucket(pg_temp.u(g, 301), b.lo) AS seller_id,
	       (:'as_of')::date - floor(365 * pg_temp.u(g, 302))::int AS transaction_date,
	       pg_temp.u(g, 303) AS r_bad, pg_temp.u(g, 304) AS r_kind, pg_temp.u(g, 305) AS r_late,
	       pg_temp.u(g, 306) AS r_amount, pg_temp.u(g, 307) AS r_buyer, pg_temp.u(g, 308) AS r_cancel
	FROM generate_series(1, :ebay_orders) AS g, sample_bounds AS b
), f AS (
	SELECT o.*, s.defect_propensity AS p,
	       o.transaction_date::timestamp AT TIME ZONE 'UTC' + interval '1 day 18 hours' AS expected_ship_at
	FROM o JOIN sample_sellers AS s USING (seller_id)
)
SELECT f.transaction_id, f.seller_id, f.transaction_date,
       format('buyer-%s-%s', f.seller_id, floor(5000 * f.r_buyer)::int),
       round((3 + 150 * power(f.r_amount, 2))::numeric, 2),
       CASE WHEN f.r_bad < f.p * 0.10 THEN 'seller'                -- a defect (M2.1)
            WHEN f.r_cancel < 0.02 THEN 'buyer' END,               -- buyer-requested: not a defect
       f.r_bad >= f.p * 0.10 AND f.r_bad < f.p * 0.13,             -- a case closed without seller resolution
       f.expected_ship_at,
       CASE WHEN f.r_bad < f.p * 0.10 THEN NULL
            WHEN f.r_late < f.p * 0.25 THEN f.expected_ship_at + interval '20 hours'
            ELSE f.expected_ship_at - interval '20 hours' END
FROM f;
CREATE INDEX ON sample_ebay_orders (seller_id);

DROP TABLE sample_bounds;
ANALYZE sample_amazon_orders, sample_ebay_orders;
