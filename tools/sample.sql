-- A deterministic sample of marketplace orders for the odr demo.
--   psql -X -v ON_ERROR_STOP=1 [-v orders=120000] [-v sellers=300] -f tools/sample.sql
--
-- One year of finished orders (2025-11-01 .. 2026-10-31, the business growing
-- through the year) for a few hundred sellers. Nothing is random: every
-- "random" number is a hash of the order or seller number (hashint8), so the
-- sample is identical on every run and every machine, and all timestamps are
-- built in UTC, whatever the session's TimeZone.
--
-- Tables and views made here (dropped first if they exist):
--   sample_sellers     the sellers and the generator's knobs for each
--   sample_orders      the raw facts of each order, as a warehouse keeps them
--   sample_classified  (view) each order's verdict: A9 and A11 derived from the
--                      timestamps with odr_unshipped / odr_dispute_timed_out,
--                      then odr_classify (A5-A14)
\if :{?orders}
\else
\set orders 120000
\endif
\if :{?sellers}
\else
\set sellers 300
\endif

SET client_min_messages = warning;
-- The generator is one big expression: compiling it with JIT would take
-- longer than running it.
SET jit = off;
DROP VIEW IF EXISTS sample_classified;
DROP TABLE IF EXISTS sample_orders, sample_sellers;

-- u(k, salt): a uniform number in [0, 1), the same for the same (k, salt)
CREATE OR REPLACE FUNCTION pg_temp.u(k bigint, salt int) RETURNS double precision
LANGUAGE sql IMMUTABLE
RETURN (hashint8(k * 1000003 + salt)::bigint & 2147483647)::double precision / 2147483648.0::double precision;

-- ---------------------------------------------------------------------
-- Sellers
-- ---------------------------------------------------------------------
CREATE TABLE sample_sellers (
	seller_id int PRIMARY KEY,
	seller_name text NOT NULL,
	volume_weight double precision NOT NULL,
	defect_propensity double precision NOT NULL,
	cause_mix double precision[] NOT NULL
);
COMMENT ON TABLE sample_sellers IS 'odr demo: the sellers; volume_weight, defect_propensity and cause_mix are the generator''s knobs (the report does not read them)';
COMMENT ON COLUMN sample_sellers.volume_weight IS 'Relative sales volume: a long tail of small shops (a quarter of them), most in the middle, a few big ones';
COMMENT ON COLUMN sample_sellers.defect_propensity IS 'Share of the seller''s orders the generator gives a bad experience (varied: from the best shops to the worst)';
COMMENT ON COLUMN sample_sellers.cause_mix IS 'Where each of the seven bad-experience causes starts in [0, 1) (cumulative): each seller has its own weak spots';

INSERT INTO sample_sellers
SELECT s, format('shop-%s', lpad(s::text, 4, '0')),
       CASE WHEN pg_temp.u(s, 101) < 0.25
            THEN 0.05 + 0.55 * pg_temp.u(s, 102)             -- small shop
            ELSE 1 + 3 * power(pg_temp.u(s, 102), 4) END,    -- regular, a few big
       0.008 + 0.19 * power(pg_temp.u(s, 103), 2.3),
       ARRAY(SELECT coalesce(sum(x) OVER (ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
                    / sum(x) OVER ()
             FROM unnest(ARRAY[0.30, 0.14, 0.09, 0.07, 0.22, 0.08, 0.10]) WITH ORDINALITY AS c(base, k),
                  LATERAL (SELECT c.base * (0.2 + 1.8 * power(pg_temp.u(s, 110 + k::int), 2)) AS x) AS m
             ORDER BY k)
FROM generate_series(1, :sellers) AS s;

-- ---------------------------------------------------------------------
-- Orders: the raw facts
-- ---------------------------------------------------------------------
CREATE TABLE sample_orders (
	order_id bigint PRIMARY KEY,
	seller_id int NOT NULL REFERENCES sample_sellers,
	finished_on date NOT NULL,
	feedback_stars int NULL,
	dsr_item int NULL,
	dsr_communication int NULL,
	dsr_shipping int NULL,
	order_amount_usd numeric(10,2) NOT NULL,
	ship_deadline timestamptz NOT NULL,
	shipped_at timestamptz NULL,
	dispute_opened_at timestamptz NULL,
	seller_responded_at timestamptz NULL,
	dispute_closed_at timestamptz NULL,
	escalated bool NOT NULL,
	ruled_against_seller bool NOT NULL,
	inr_dispute_closed bool NOT NULL
);
COMMENT ON TABLE sample_orders IS 'odr demo: generated, deterministic marketplace orders (raw facts as a warehouse keeps them)';
COMMENT ON COLUMN sample_orders.finished_on IS 'A3: the day the transaction ended (completed or closed); places the order in a window';
COMMENT ON COLUMN sample_orders.escalated IS 'A10: the dispute went to the platform for a ruling';
COMMENT ON COLUMN sample_orders.ruled_against_seller IS 'A16: the platform ruled against the seller (only when escalated)';
COMMENT ON COLUMN sample_orders.inr_dispute_closed IS 'A13: an item-not-received dispute on the order has ended';

-- Each order is either a good experience or has one main cause of a bad one
-- (with the seller's propensity and mix); the facts are then made to match,
-- with the overlaps real orders have (a late parcel also rated 1 star, an
-- unanswered dispute also rated badly on communication, ...):
--   1 low overall rating        2 item not as described   3 poor communication
--   4 slow delivery (DSR 1)     5 not shipped in time     6 dispute not answered in 5 days
--   7 dispute escalated to arbitration
-- Good orders: 45% rated (mostly 5 stars, DSR shipping 2-3 sometimes, which
-- A8 does not count), shipped before the deadline, 3% with a dispute the
-- seller answered in time; 40% of disputes are item-not-received disputes,
-- whose ratings (often 1 star) A13 leaves out.
INSERT INTO sample_orders
WITH bounds AS (
	-- where each seller's share of the volume starts in [0, 1)
	SELECT array_agg(lo ORDER BY seller_id) AS lo
	FROM (SELECT seller_id,
	             coalesce(sum(volume_weight) OVER (ORDER BY seller_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
	             / sum(volume_weight) OVER () AS lo
	      FROM sample_sellers) AS x
), o AS (
	SELECT g AS order_id,
	       width_bucket(pg_temp.u(g, 1), b.lo) AS seller_id,
	       -- volume grows linearly through the year (three times as many
	       -- orders at the end as at the start): density 1 + 2x on [0, 1)
	       date '2025-11-01' + least(364, floor(365 * (sqrt(1 + 8 * pg_temp.u(g, 2)) - 1) / 2))::int AS finished_on,
	       pg_temp.u(g, 3) AS r_bad, pg_temp.u(g, 4) AS r_cause, pg_temp.u(g, 5) AS r_rated,
	       pg_temp.u(g, 6) AS r_stars, pg_temp.u(g, 7) AS r_item, pg_temp.u(g, 8) AS r_comm,
	       pg_temp.u(g, 9) AS r_shipdsr, pg_temp.u(g, 10) AS r_ship, pg_temp.u(g, 11) AS r_close,
	       pg_temp.u(g, 12) AS r_reply, pg_temp.u(g, 13) AS r_ruling, pg_temp.u(g, 14) AS r_amount,
	       pg_temp.u(g, 15) AS r_dispute, pg_temp.u(g, 16) AS r_inr, pg_temp.u(g, 17) AS r_hour
	FROM generate_series(1, :orders) AS g, bounds AS b
), c AS (
	SELECT o.*,
	       CASE WHEN o.r_bad < s.defect_propensity THEN width_bucket(o.r_cause, s.cause_mix) ELSE 0 END AS cause,
	       -- the buyer paid ~25 days before the transaction ended; the
	       -- deadline to ship is a few days after payment
	       (o.finished_on - 25)::timestamp AT TIME ZONE 'UTC'
	           + make_interval(mins => floor(1440 * o.r_hour)::int) AS ship_deadline
	FROM o JOIN sample_sellers AS s USING (seller_id)
), f AS (
	SELECT c.*,
	       c.cause = 5 AND c.r_ship < 0.55 AS never_shipped,
	       c.cause IN (6, 7) OR (c.cause = 0 AND c.r_dispute < 0.03) AS disputed
	FROM c
), d AS (
	SELECT f.*,
	       CASE WHEN f.disputed THEN f.r_inr < CASE f.cause WHEN 6 THEN 0.5 WHEN 7 THEN 0.3 ELSE 0.4 END
	            ELSE false END AS inr,
	       CASE WHEN f.disputed THEN f.ship_deadline + make_interval(mins => 3 * 1440 + floor(2 * 1440 * f.r_close)::int) END AS opened_at
	FROM f
), r AS (
	SELECT d.*,
	       CASE WHEN d.cause IN (1, 2, 3, 4) THEN true
	            WHEN d.cause = 5 THEN NOT d.never_shipped AND d.r_rated < 0.3
	            WHEN d.cause IN (6, 7) THEN d.r_rated < 0.3
	            WHEN d.inr THEN d.r_rated < 0.6
	            ELSE d.r_rated < 0.45 END AS rated,
	       CASE WHEN NOT d.disputed THEN NULL
	            WHEN d.cause = 6 THEN
	                CASE WHEN d.r_reply < 0.6 THEN NULL                                -- never answered
	                     ELSE d.opened_at + make_interval(mins => 5 * 1440 + 60 + floor(3 * 1440 * d.r_reply)::int) END  -- too late
	            ELSE d.opened_at + make_interval(mins => 60 + floor(4 * 1440 * d.r_reply)::int) END AS responded_at
	FROM d
)
SELECT r.order_id, r.seller_id, r.finished_on,
       -- overall rating (A5: 3 stars or fewer is negative)
       CASE WHEN NOT r.rated THEN NULL
            WHEN r.cause = 1 THEN 1 + floor(3 * r.r_stars)::int
            WHEN r.cause = 2 THEN 3 + floor(2 * r.r_stars)::int
            WHEN r.cause IN (3, 4) THEN 4 + floor(2 * r.r_stars)::int
            WHEN r.cause IN (5, 6, 7) THEN 1 + floor(2 * r.r_stars)::int
            WHEN r.inr THEN 1
            WHEN r.r_stars < 0.8 THEN 5 ELSE 4 END,
       -- DSR item as described (A6: 3 or fewer)
       CASE WHEN NOT r.rated THEN NULL
            WHEN r.cause = 2 THEN 1 + floor(3 * r.r_item)::int
            WHEN r.cause = 1 AND r.r_item < 0.4 THEN 2 + floor(2 * r.r_item / 0.4)::int
            WHEN r.inr THEN 1
            WHEN r.r_item < 0.75 THEN 5 ELSE 4 END,
       -- DSR communication (A7: 3 or fewer)
       CASE WHEN NOT r.rated THEN NULL
            WHEN r.cause = 3 THEN 1 + floor(3 * r.r_comm)::int
            WHEN r.cause = 6 AND r.r_comm < 0.5 THEN 2
            WHEN r.inr THEN 3
            WHEN r.r_comm < 0.8 THEN 5 ELSE 4 END,
       -- DSR shipping speed (A8: only 1 star counts)
       CASE WHEN NOT r.rated THEN NULL
            WHEN r.cause = 4 THEN 1
            WHEN r.cause = 5 OR r.inr THEN 1 + floor(2 * r.r_shipdsr)::int
            WHEN r.r_shipdsr < 0.60 THEN 5
            WHEN r.r_shipdsr < 0.85 THEN 4
            WHEN r.r_shipdsr < 0.95 THEN 3 ELSE 2 END,
       round((1.5 + 180 * power(r.r_amount, 3))::numeric, 2),
       r.ship_deadline,
       -- A9: never shipped (the order was closed), shipped late, or in time
       CASE WHEN r.never_shipped THEN NULL
            WHEN r.cause = 5 THEN r.ship_deadline + make_interval(mins => 360 + floor(4 * 1440 * r.r_ship)::int)
            ELSE r.ship_deadline - make_interval(mins => 60 + floor(4 * 1440 * r.r_ship)::int) END,
       r.opened_at,
       r.responded_at,
       -- an unanswered dispute ends at the 5-day deadline (A11); the others
       -- a day or more after the seller's answer; arbitration takes longest
       CASE WHEN NOT r.disputed THEN NULL
            WHEN r.cause = 6 AND r.responded_at IS NULL THEN r.opened_at + interval '5 days'
            WHEN r.cause = 7 THEN r.opened_at + make_interval(mins => 10 * 1440 + floor(2 * 1440 * r.r_close)::int)
            ELSE r.responded_at + make_interval(mins => 1440 + floor(4 * 1440 * r.r_close)::int) END,
       r.cause = 7,
       r.cause = 7 AND r.r_ruling < 0.6,
       r.inr
FROM r;

CREATE INDEX ON sample_orders (finished_on);
CREATE INDEX ON sample_orders (seller_id);

-- ---------------------------------------------------------------------
-- The verdicts: the flags derived from the raw facts (A9 as of the end of
-- the day the order finished, A11 with the 5 days AliExpress gives), then
-- odr_classify (A5-A14, and the facts A16 needs)
-- ---------------------------------------------------------------------
CREATE VIEW sample_classified AS
SELECT order_id, seller_id, finished_on,
       odr_classify(
           feedback_stars => feedback_stars,
           dsr_item => dsr_item,
           dsr_communication => dsr_communication,
           dsr_shipping => dsr_shipping,
           unshipped => odr_unshipped(ship_deadline, shipped_at,
                                      as_of => (finished_on + 1)::timestamp AT TIME ZONE 'UTC'),
           arbitration => escalated,
           dispute_timeout => odr_dispute_timed_out(dispute_opened_at, seller_responded_at, dispute_closed_at),
           not_received_closed => inr_dispute_closed,
           arbitration_seller_responsible => ruled_against_seller,
           order_amount_usd => order_amount_usd) AS defects
FROM sample_orders;
COMMENT ON VIEW sample_classified IS 'odr demo: each sample order judged by odr_classify, its A9 and A11 flags derived from the raw timestamps';

ANALYZE sample_sellers, sample_orders;
