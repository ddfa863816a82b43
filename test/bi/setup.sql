-- A small warehouse for the BI client tests (deterministic).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS odr;
CREATE TABLE bi_orders AS
SELECT g AS order_id, g % 37 AS seller_id, date '2025-11-01' + (g * 7 % 365) AS finished_on,
       odr_classify(feedback_stars => CASE WHEN g % 3 = 0 THEN 1 + g % 5 END,
                    unshipped => g % (17 + g % 37) = 0, arbitration => g % 101 = 0) AS defects
FROM generate_series(1, 20000) g;
SELECT count(*) FROM odr_create_warehouse('bi_orders', 'seller_id', 'finished_on', 'defects');
-- a view that is NOT BI-friendly, to check that the checks can fail
CREATE VIEW bi_not_plain AS SELECT seller_id, orders, summary FROM odr_month_end;
