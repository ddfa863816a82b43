-- A deterministic sample of marketplace orders for the odr demo.
-- psql variables: orders (default 150000), sellers (default 300).
-- Every "random" number is a hash of the order or seller number, so the
-- sample is the same on every run and every machine.
\if :{?orders}
\else
\set orders 150000
\endif
\if :{?sellers}
\else
\set sellers 300
\endif

DROP TABLE IF EXISTS sample_orders CASCADE;

-- u(k, salt): a uniform number in [0, 1) from a hash
CREATE FUNCTION pg_temp.u(k bigint, salt int) RETURNS double precision
LANGUAGE sql IMMUTABLE
RETURN ((hashint8(k * 1000003 + salt)::bigint & 2147483647) / 2147483648.0);

CREATE TABLE sample_orders AS
WITH sellers AS (
	-- a seller's propensity to defects: most are good, a tail is bad
	SELECT s AS seller_id,
	       0.0015 + 0.05 * power(pg_temp.u(s, 1), 2) AS p
	FROM generate_series(1, :sellers) AS s
), o AS (
	SELECT g AS order_id,
	       -- skewed volumes: low seller numbers sell far more
	       1 + floor(:sellers * power(pg_temp.u(g, 2), 1.45))::int AS seller_id,
	       date '2025-11-01' + floor(365 * pg_temp.u(g, 3))::int AS finished_on,
	       pg_temp.u(g, 4) AS r_rated, pg_temp.u(g, 5) AS r_rating, pg_temp.u(g, 6) AS r_dsr,
	       pg_temp.u(g, 7) AS r_ship, pg_temp.u(g, 8) AS r_dispute, pg_temp.u(g, 9) AS r_reply,
	       pg_temp.u(g, 10) AS r_escalate, pg_temp.u(g, 11) AS r_amount, pg_temp.u(g, 12) AS r_inr
	FROM generate_series(1, :orders) AS g
)
SELECT o.order_id, o.seller_id, o.finished_on,
       -- 45% of buyers rate the order
       CASE WHEN o.r_rated < 0.45 THEN
            CASE WHEN o.r_rating < s.p * 2.5 THEN 1 + floor(3 * o.r_dsr)::int
                 WHEN o.r_rating < 0.25 THEN 4 ELSE 5 END END AS feedback_stars,
       CASE WHEN o.r_rated < 0.45 THEN CASE WHEN o.r_dsr < s.p * 1.5 THEN 3 ELSE 5 END END AS dsr_item,
       CASE WHEN o.r_rated < 0.45 THEN CASE WHEN o.r_dsr > 1 - s.p THEN 2 ELSE 5 END END AS dsr_communication,
       CASE WHEN o.r_rated < 0.45 THEN CASE WHEN o.r_rating > 1 - s.p / 2 THEN 1 ELSE 4 END END AS dsr_shipping,
       round((2 + 150 * power(o.r_amount, 2))::numeric, 2) AS order_amount_usd,
       (o.finished_on - 12)::timestamptz + interval '14 hours' AS ship_deadline,
       CASE WHEN o.r_ship < s.p * 0.5 THEN NULL                                    -- never shipped
            WHEN o.r_ship < s.p * 0.8 THEN (o.finished_on - 11)::timestamptz      -- shipped late
            ELSE (o.finished_on - 13)::timestamptz + interval '9 hours' END AS shipped_at,
       CASE WHEN o.r_dispute < s.p * 1.2 THEN (o.finished_on - 9)::timestamptz END AS dispute_opened_at,
       CASE WHEN o.r_dispute < s.p * 1.2 AND o.r_reply > s.p * 2 THEN (o.finished_on - 8)::timestamptz END AS seller_responded_at,
       CASE WHEN o.r_dispute < s.p * 1.2 THEN (o.finished_on - 2)::timestamptz END AS dispute_closed_at,
       o.r_dispute < s.p * 1.2 AND o.r_escalate < 0.15 AS escalated,
       o.r_dispute < s.p * 1.2 AND o.r_escalate < 0.07 AS ruled_against_seller,
       o.r_dispute < s.p * 1.2 AND o.r_inr < 0.2 AS inr_dispute_closed
FROM o JOIN sellers AS s USING (seller_id);

ALTER TABLE sample_orders ADD PRIMARY KEY (order_id);
CREATE INDEX ON sample_orders (finished_on);
COMMENT ON TABLE sample_orders IS 'odr demo: generated, deterministic marketplace orders (raw facts as a warehouse keeps them)';

-- The verdicts, derived from the raw facts the way a warehouse would:
-- A9 and A11 from timestamps, then odr_classify (A5-A14, A16 facts).
CREATE VIEW sample_classified AS
SELECT order_id, seller_id, finished_on,
       odr_classify(
           feedback_stars => feedback_stars,
           dsr_item => dsr_item,
           dsr_communication => dsr_communication,
           dsr_shipping => dsr_shipping,
           unshipped => odr_unshipped(ship_deadline, shipped_at, as_of => finished_on::timestamptz),
           arbitration => escalated,
           dispute_timeout => odr_dispute_timed_out(dispute_opened_at, seller_responded_at, dispute_closed_at),
           not_received_closed => inr_dispute_closed,
           arbitration_seller_responsible => ruled_against_seller,
           order_amount_usd => order_amount_usd) AS defects
FROM sample_orders;
COMMENT ON VIEW sample_classified IS 'odr demo: each sample order judged by odr_classify';
ANALYZE sample_orders;
