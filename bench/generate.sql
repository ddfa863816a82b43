-- bench/generate.sql — a deterministic order generator for the odr benchmarks.
--
--   psql -v rows=2000000 -v sellers=2000 -f bench/generate.sql
--
-- Creates bench_orders (in the first schema of search_path) with :rows orders
-- of :sellers sellers finished between 2025-11-01 and 2026-10-31. Every value
-- comes from hashint8extended(order_id, seed), never random(), so the same
-- :rows and :sellers always give the same table.
--
--   seller volume  seller_id = 1 + floor(sellers * u^3): density ~ k^(-2/3)
--                  (Zipf-like; seller 1 has ~8% of all orders, the smallest
--                  ones a few hundred a year at 2M rows)
--   seller quality a factor q in [0.3, 3.0] per seller (q = 0.3 + 2.7 v^2,
--                  v uniform from the seller id): most sellers are good, some
--                  are bad; it scales every defect probability below
--   ratings        55% of orders have no overall rating; of the rest about
--                  6% q are 1-3 stars, the others mostly 5; DSRs (item,
--                  communication, shipping) on 90% of rated orders, low when
--                  the rating is low
--   events         unshipped 0.6% q, arbitration 0.4% q (55% ruled against
--                  the seller), dispute timeout 0.25% q, not-received
--                  dispute closed 0.5% (A13: its ratings do not count)
--   amount         log-uniform US$2.70 .. US$148 (about 8% under US$5)
--
-- The verdict is stored in a generated column, as a user of odr would; the
-- raw columns stay so that plain SQL can compute the same thing.
\set ON_ERROR_STOP on
\if :{?rows}
\else
\set rows 2000000
\endif
\if :{?sellers}
\else
\set sellers 2000
\endif

SET client_min_messages = warning;
DROP TABLE IF EXISTS bench_orders CASCADE;
CREATE UNLOGGED TABLE bench_orders (
    order_id           bigint NOT NULL,
    seller_id          int NOT NULL,
    finished_on        date NOT NULL,
    feedback_stars     int,
    dsr_item           int,
    dsr_communication  int,
    dsr_shipping       int,
    unshipped          bool NOT NULL,
    arbitration        bool NOT NULL,
    seller_responsible bool NOT NULL,
    dispute_timeout    bool NOT NULL,
    inr_closed         bool NOT NULL,
    amount             numeric(10,2) NOT NULL,
    defects            odr_defects GENERATED ALWAYS AS (
        odr_classify(feedback_stars => feedback_stars, dsr_item => dsr_item,
                     dsr_communication => dsr_communication, dsr_shipping => dsr_shipping,
                     unshipped => unshipped, arbitration => arbitration,
                     dispute_timeout => dispute_timeout, not_received_closed => inr_closed,
                     arbitration_seller_responsible => seller_responsible,
                     order_amount_usd => amount)) STORED
);

-- u(seed) = the 53 low bits of hashint8extended(order_id, seed) / 2^53, in [0, 1).
-- OFFSET 0 keeps each level a separate projection, so every uniform is hashed once.
INSERT INTO bench_orders (order_id, seller_id, finished_on, feedback_stars, dsr_item,
                          dsr_communication, dsr_shipping, unshipped, arbitration,
                          seller_responsible, dispute_timeout, inr_closed, amount)
SELECT g, seller_id, finished_on,
       stars,
       CASE WHEN stars IS NULL OR u_dsr >= 0.9 THEN NULL
            WHEN stars <= 3 AND u_d1 < 0.6 THEN 1 + floor(u_d1 / 0.2)::int            -- 1..3
            ELSE CASE WHEN u_d1 < 0.004 * q THEN 1 + floor(u_d1 / (0.002 * q))::int   -- 1..2
                      WHEN u_d1 < 0.03 THEN 3 WHEN u_d1 < 0.2 THEN 4 ELSE 5 END END,
       CASE WHEN stars IS NULL OR u_dsr >= 0.9 THEN NULL
            WHEN stars <= 3 AND u_d2 < 0.4 THEN 1 + floor(u_d2 / 0.1334)::int
            ELSE CASE WHEN u_d2 < 0.003 * q THEN 2 WHEN u_d2 < 0.02 THEN 3
                      WHEN u_d2 < 0.15 THEN 4 ELSE 5 END END,
       CASE WHEN stars IS NULL OR u_dsr >= 0.9 THEN NULL
            WHEN stars <= 3 AND u_d3 < 0.3 THEN 1
            ELSE CASE WHEN u_d3 < 0.002 * q THEN 1 WHEN u_d3 < 0.01 THEN 2
                      WHEN u_d3 < 0.04 THEN 3 WHEN u_d3 < 0.2 THEN 4 ELSE 5 END END,
       u_ev < 0.006 * q,
       u_ev >= 0.006 * q AND u_ev < 0.010 * q,
       u_ev >= 0.006 * q AND u_ev < 0.010 * q AND u_d3 < 0.55,
       u_to < 0.0025 * q,
       u_inr < 0.005,
       round(exp(1.0 + 4.0 * u_amt)::numeric, 2)
FROM (
    SELECT g, seller_id, finished_on, q, u_dsr, u_d1, u_d2, u_d3, u_ev, u_to, u_inr, u_amt,
           CASE WHEN u_r < 0.55 THEN NULL
                WHEN u_r < 0.55 + 0.45 * 0.020 * q THEN 1
                WHEN u_r < 0.55 + 0.45 * 0.035 * q THEN 2
                WHEN u_r < 0.55 + 0.45 * 0.060 * q THEN 3
                WHEN u_r < 0.55 + 0.45 * (0.060 * q + 0.16) THEN 4
                ELSE 5 END AS stars
    FROM (
        SELECT g,
               seller_id,
               date '2025-11-01' + floor(u_day * 365)::int AS finished_on,
               0.3 + 2.7 * power((hashint8extended(seller_id, 7) & 9007199254740991)::float8
                                 / 9007199254740992.0, 2) AS q,
               (hashint8extended(g, 3) & 9007199254740991)::float8 / 9007199254740992.0 AS u_r,
               (hashint8extended(g, 4) & 9007199254740991)::float8 / 9007199254740992.0 AS u_dsr,
               (hashint8extended(g, 5) & 9007199254740991)::float8 / 9007199254740992.0 AS u_d1,
               (hashint8extended(g, 6) & 9007199254740991)::float8 / 9007199254740992.0 AS u_d2,
               (hashint8extended(g, 8) & 9007199254740991)::float8 / 9007199254740992.0 AS u_d3,
               (hashint8extended(g, 9) & 9007199254740991)::float8 / 9007199254740992.0 AS u_ev,
               (hashint8extended(g, 10) & 9007199254740991)::float8 / 9007199254740992.0 AS u_to,
               (hashint8extended(g, 11) & 9007199254740991)::float8 / 9007199254740992.0 AS u_inr,
               (hashint8extended(g, 12) & 9007199254740991)::float8 / 9007199254740992.0 AS u_amt
        FROM (
            SELECT g,
                   1 + floor(:sellers * power((hashint8extended(g, 1) & 9007199254740991)::float8
                                              / 9007199254740992.0, 3))::int AS seller_id,
                   (hashint8extended(g, 2) & 9007199254740991)::float8 / 9007199254740992.0 AS u_day
            FROM (SELECT generate_series(1, :rows::bigint) AS g) AS s   -- streamed, not materialised
            OFFSET 0) AS a
        OFFSET 0) AS b
    OFFSET 0) AS c;

VACUUM (ANALYZE) bench_orders;
