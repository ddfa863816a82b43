-- A small deterministic warehouse for the BI client tests (test/bi_odbc.sh,
-- test/bi_jdbc.sh): 6,000 orders of 36 sellers over a year (2025-10-01 to
-- 2026-09-30), no random(). Sellers 1-6 have ~500 orders each (assessed,
-- with defect rates from 0% to ~10%, so several tiers), sellers 7-36 ~100
-- each (too few orders: unassessed). Some sellers have no DSR ratings, so
-- the scorecard has NULL averages; excellent sellers have a NULL next tier.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS odr;

CREATE TABLE bi_orders (
	order_id bigint PRIMARY KEY,
	seller_id integer NOT NULL,
	finished_on date NOT NULL,
	feedback_stars integer,
	dsr_item integer,
	dsr_shipping integer,
	unshipped boolean NOT NULL,
	arbitration boolean NOT NULL
);
INSERT INTO bi_orders
SELECT g,
       s,
       date '2025-10-01' + (g * 37) % 365,
       CASE WHEN (g * 13) % 100 < (s % 6) * 2 THEN 1 + g % 3
            WHEN g % 3 = 0 THEN 4 + g % 2 END,
       CASE WHEN s % 5 <> 0 AND g % 5 = 0 THEN 3 + (g / 5) % 3 END,
       CASE WHEN s % 5 <> 0 AND g % 7 = 0 THEN 2 + (g / 7) % 4 END,
       g % 211 = 0,
       g % 307 = 0
FROM generate_series(1, 6000) AS g,
     LATERAL (SELECT CASE WHEN g % 2 = 0 THEN 1 + (g / 2) % 6 ELSE 7 + (g / 2) % 30 END AS s) AS x;

CREATE VIEW bi_classified AS
SELECT order_id, seller_id, finished_on,
       odr_classify(feedback_stars => feedback_stars, dsr_item => dsr_item,
                    dsr_shipping => dsr_shipping, unshipped => unshipped,
                    arbitration => arbitration) AS defects
FROM bi_orders;

SELECT count(*) FROM odr_create_warehouse('bi_classified', 'seller_id', 'finished_on', 'defects');

-- NOT BI-friendly on purpose: an odr_summary column and an enum (odr_tier),
-- so that the tests can show their column check does fail
CREATE VIEW bi_not_plain AS
SELECT seller_id, orders, summary, tier FROM odr_month_end;
