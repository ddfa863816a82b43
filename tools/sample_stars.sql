-- A deterministic sample for the 1688 service stars (rules.md S1-S9), after
-- tools/sample.sql (it reuses sample_sellers).
--   psql -X -v ON_ERROR_STOP=1 [-v orders=40000] -f tools/sample_stars.sql
--
-- 30 days of a 1688 shop's life (S9: 2026-10-02 .. 2026-10-31, the seller's
-- local time is Asia/Shanghai) for every seller of sample_sellers, each in a
-- category (its peer group, S2) and with its own habits: how punctually it
-- ships, how fast a human answers the chat, how often its goods come back
-- for quality, how slowly it refunds, how often it loses a dispute. Nothing
-- is random: every "random" number is a hash of a row number (hashint8), and
-- every timestamp is built from a local date and time in Asia/Shanghai, so
-- the sample is the same on every machine and under any session TimeZone.
--
-- Tables made here (dropped first if they exist):
--   sample_1688_sellers   category and habits of each seller
--   sample_1688_orders    one row per order: shipping (S3), first refund
--                         reason (S5), refund request and completion (S6),
--                         dispute ruling (S7), buyer level (L1-L6 or none)
--   sample_1688_messages  chat messages (S4): buyer, time, sender role,
--                         auto-reply and official-account flags
\if :{?orders}
\else
\set orders 40000
\endif

SET client_min_messages = warning;
SET jit = off;
DROP TABLE IF EXISTS sample_1688_messages, sample_1688_orders, sample_1688_sellers;

CREATE FUNCTION pg_temp.u(k bigint, salt int) RETURNS double precision
LANGUAGE sql IMMUTABLE
RETURN (hashint8(k * 1000003 + salt)::bigint & 2147483647)::double precision / 2147483648.0::double precision;

-- a local Asia/Shanghai moment, day d (0 = 2026-10-02) at h hours past midnight
CREATE FUNCTION pg_temp.local_at(d int, h double precision) RETURNS timestamptz
LANGUAGE sql IMMUTABLE
RETURN ((date '2026-10-02' + d)::timestamp + make_interval(secs => h * 3600)) AT TIME ZONE 'Asia/Shanghai';

CREATE TABLE sample_1688_sellers (
	seller_id int PRIMARY KEY,  -- a seller of sample_sellers
	category text NOT NULL,
	late_shipping double precision NOT NULL,
	slow_reply double precision NOT NULL,
	quality_issues double precision NOT NULL,
	refund_hours double precision NOT NULL,
	dispute_losses double precision NOT NULL
);
COMMENT ON TABLE sample_1688_sellers IS 'odr demo: each seller''s 1688 category (its peer group, S2) and the generator''s knobs (the report does not read them)';

INSERT INTO sample_1688_sellers
SELECT seller_id,
       (ARRAY['apparel', 'electronics', 'home', 'beauty'])[1 + floor(4 * pg_temp.u(seller_id, 201))::int],
       0.02 + 0.30 * power(pg_temp.u(seller_id, 202), 2),      -- share of orders shipped late
       0.05 + 0.90 * power(pg_temp.u(seller_id, 203), 1.5),    -- chance a human answers after 3 minutes
       0.005 + 0.08 * power(pg_temp.u(seller_id, 204), 3),     -- share of orders refunded for quality
       6 + 90 * power(pg_temp.u(seller_id, 205), 2),           -- typical hours to complete a refund
       0.001 + 0.02 * power(pg_temp.u(seller_id, 206), 3)      -- share of orders with a dispute lost
FROM sample_sellers;

CREATE TABLE sample_1688_orders (
	order_id bigint PRIMARY KEY,
	seller_id int NOT NULL REFERENCES sample_1688_sellers,
	buyer_level int NULL CHECK (buyer_level BETWEEN 1 AND 6),
	paid_at timestamptz NOT NULL,
	promised_ship_by timestamptz NULL,
	shipped_at timestamptz NULL,
	first_refund_reason text NULL,
	refund_requested_at timestamptz NULL,
	refund_completed_at timestamptz NULL,
	dispute_ruling text NULL
);
COMMENT ON TABLE sample_1688_orders IS 'odr demo: generated, deterministic 1688 orders of 30 days (S3, S5, S6, S7 facts)';
COMMENT ON COLUMN sample_1688_orders.buyer_level IS 'Business buyer level 1-6 (L1-L6); NULL for a buyer without a level. L3-L6 weigh more in S3 and S6';
COMMENT ON COLUMN sample_1688_orders.promised_ship_by IS 'S3: the promised handling deadline; NULL when the listing promised none (then 48 hours after payment)';

INSERT INTO sample_1688_orders
WITH bounds AS (
	SELECT array_agg(lo ORDER BY seller_id) AS lo
	FROM (SELECT seller_id,
	             coalesce(sum(volume_weight) OVER (ORDER BY seller_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
	             / sum(volume_weight) OVER () AS lo
	      FROM sample_sellers) AS x
), o AS (
	SELECT g AS order_id, width_bucket(pg_temp.u(g, 301), b.lo) AS seller_id,
	       pg_temp.local_at(floor(28 * pg_temp.u(g, 302))::int, 8 + 14 * pg_temp.u(g, 303)) AS paid_at,
	       pg_temp.u(g, 304) AS r_level, pg_temp.u(g, 305) AS r_promise, pg_temp.u(g, 306) AS r_late,
	       pg_temp.u(g, 307) AS r_hours, pg_temp.u(g, 308) AS r_refund, pg_temp.u(g, 309) AS r_reason,
	       pg_temp.u(g, 310) AS r_done, pg_temp.u(g, 311) AS r_refund_hours, pg_temp.u(g, 312) AS r_dispute,
	       pg_temp.u(g, 313) AS r_ruling
	FROM generate_series(1, :orders) AS g, bounds AS b
), f AS (
	SELECT o.*, s.late_shipping, s.quality_issues, s.refund_hours, s.dispute_losses,
	       CASE WHEN o.r_promise < 0.7 THEN o.paid_at + interval '72 hours' END AS promise,
	       CASE WHEN o.r_refund < s.quality_issues THEN 'quality'
	            WHEN o.r_refund < s.quality_issues + 0.04 THEN 'other' END AS refund_kind
	FROM o JOIN sample_1688_sellers s USING (seller_id)
)
SELECT order_id, seller_id,
       CASE WHEN r_level < 0.45 THEN NULL ELSE 1 + floor(6 * (r_level - 0.45) / 0.55)::int END,
       paid_at, promise,
       -- on time: within the promise (or 48 h); late: up to 3 days after it;
       -- 1% not shipped yet
       CASE WHEN r_hours > 0.99 THEN NULL
            WHEN r_late < late_shipping
                 THEN coalesce(promise, paid_at + interval '48 hours') + make_interval(secs => 3600 * (1 + 70 * r_hours))
            ELSE paid_at + make_interval(secs => 3600 * (2 + 44 * r_hours)) END,
       CASE refund_kind
            WHEN 'quality' THEN (ARRAY['quality_problem', 'not_as_described', 'damaged', 'counterfeit'])[1 + floor(4 * r_reason)::int]
            WHEN 'other' THEN (ARRAY['changed_mind', 'wrong_size', 'late_delivery', 'ordered_by_mistake'])[1 + floor(4 * r_reason)::int] END,
       CASE WHEN refund_kind IS NOT NULL THEN paid_at + interval '5 days' END,
       -- 8% of refunds are not completed yet
       CASE WHEN refund_kind IS NOT NULL AND r_done >= 0.08
            THEN paid_at + interval '5 days' + make_interval(secs => 3600 * refund_hours * (0.3 + 1.4 * r_refund_hours)) END,
       CASE WHEN r_dispute < dispute_losses * 2.5
            THEN (ARRAY['seller', 'both', 'buyer', 'seller', 'buyer'])[1 + floor(5 * r_ruling)::int] END
FROM f;

CREATE TABLE sample_1688_messages (
	message_id bigint PRIMARY KEY,
	seller_id int NOT NULL REFERENCES sample_1688_sellers,
	buyer_id text NOT NULL,
	sent_at timestamptz NOT NULL,
	sender text NOT NULL CHECK (sender IN ('buyer', 'seller')),
	is_auto_reply boolean NOT NULL,
	is_official boolean NOT NULL
);
COMMENT ON TABLE sample_1688_messages IS 'odr demo: generated chat messages of 30 days (S4): buyers'' questions, auto-replies, human replies, official notices';

-- Conversations: a buyer writes at some local hour (some before 09:00 or
-- after 21:00), the shop's auto-reply may answer at once, a human answers
-- within 3 minutes or later (the seller's slow_reply), some buyers write
-- again the same day, some get an official platform notice in between.
-- Rows are inserted in a shuffled order: S4 must not depend on it.
INSERT INTO sample_1688_messages
WITH conv AS (
	SELECT c AS conv_id, o.seller_id, format('buyer-%s', o.order_id % 9973) AS buyer_id,
	       floor(28 * pg_temp.u(c, 401))::int AS day,
	       7 + 16 * pg_temp.u(c, 402) AS hour,
	       pg_temp.u(c, 403) AS r_auto, pg_temp.u(c, 404) AS r_slow, pg_temp.u(c, 405) AS r_delay,
	       pg_temp.u(c, 406) AS r_again, pg_temp.u(c, 407) AS r_official
	FROM generate_series(1, greatest(1, :orders * 3 / 2)) AS c
	JOIN sample_1688_orders o ON o.order_id = 1 + (c - 1) % :orders
), msg AS (
	SELECT conv_id, seller_id, buyer_id, pg_temp.local_at(day, hour) AS sent_at, 'buyer' AS sender, false AS auto, false AS official
	FROM conv
	UNION ALL
	SELECT conv_id, seller_id, buyer_id, pg_temp.local_at(day, hour) + interval '5 seconds', 'seller', true, false
	FROM conv WHERE r_auto < 0.5
	UNION ALL
	SELECT c.conv_id, c.seller_id, c.buyer_id,
	       pg_temp.local_at(c.day, c.hour) + CASE WHEN c.r_slow < s.slow_reply
	                                              THEN make_interval(secs => 181 + 3600 * c.r_delay)
	                                              ELSE make_interval(secs => 10 + 170 * c.r_delay) END,
	       'seller', false, false
	FROM conv c JOIN sample_1688_sellers s USING (seller_id)
	UNION ALL
	SELECT conv_id, seller_id, buyer_id, pg_temp.local_at(day, hour) + interval '40 minutes', 'buyer', false, false
	FROM conv WHERE r_again < 0.3
	UNION ALL
	SELECT conv_id, seller_id, buyer_id, pg_temp.local_at(day, hour) + interval '20 seconds', 'seller', false, true
	FROM conv WHERE r_official < 0.05
)
SELECT row_number() OVER (ORDER BY hashint8(conv_id * 31 + extract(epoch FROM sent_at)::bigint), sent_at, sender, auto, official),
       seller_id, buyer_id, sent_at, sender, auto, official
FROM msg
ORDER BY 1;

ANALYZE sample_1688_sellers, sample_1688_orders, sample_1688_messages;
