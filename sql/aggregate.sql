-- odr_agg over a small hand-checked set (A12, A15, A16)
CREATE TABLE orders_small (
	id int, seller int, rating int, item int, comm int, ship int,
	unshipped bool, escalated bool, ruled bool, inr_closed bool, amount numeric);
INSERT INTO orders_small VALUES
	-- seller 1: 6 orders, 3 defective
	(1, 1, 5,    5,    5,    5,    false, false, false, false, 20),
	(2, 1, 2,    4,    4,    4,    false, false, false, false, 20),   -- A5
	(3, 1, 5,    NULL, NULL, 1,    false, false, false, false, 20),   -- A8
	(4, 1, NULL, NULL, NULL, NULL, true,  true,  true,  false, 20),   -- A9 + A10, ruled
	(5, 1, 1,    1,    NULL, NULL, false, false, false, true,  20),   -- A13: ratings dropped
	(6, 1, 4,    3,    NULL, NULL, false, false, false, false, 3),    -- A6; under US$5
	-- seller 2: 2 orders, none defective, no ratings
	(7, 2, NULL, NULL, NULL, NULL, false, false, false, false, NULL),
	(8, 2, NULL, NULL, NULL, NULL, false, false, false, false, NULL);
CREATE VIEW classified_small AS
SELECT id, seller,
       odr_classify(feedback_stars => rating, dsr_item => item, dsr_communication => comm,
                    dsr_shipping => ship, unshipped => unshipped, arbitration => escalated,
                    arbitration_seller_responsible => ruled, not_received_closed => inr_closed,
                    order_amount_usd => amount) AS d
FROM orders_small;
SELECT id, d FROM classified_small ORDER BY id;
SELECT seller, odr_orders(s) AS orders, odr_defective(s) AS defective, odr_rate(s) AS odr,
       odr_seller_responsible_rate(s) AS ruled_rate,
       odr_positive_feedback_rate(s) AS positive_rate,
       odr_dsr_item_avg(s) AS item_avg, odr_dsr_communication_avg(s) AS comm_avg,
       odr_dsr_shipping_avg(s) AS ship_avg
FROM (SELECT seller, odr_agg(d) AS s FROM classified_small GROUP BY seller) x ORDER BY seller;
-- seller 1 by reason (an order with two reasons counts under each)
SELECT * FROM odr_reason_breakdown((SELECT odr_agg(d) FROM classified_small WHERE seller = 1));
SELECT odr_count(s, 'rated') AS rated, odr_count(s, 'positive') AS positive,
       odr_count(s, 'dsr_shipping_sum') AS ship_sum, odr_count(s, 'dsr_shipping_ratings') AS ship_n,
       odr_metric(s, 'odr') AS odr, odr_metric(s, 'positive_feedback_rate') AS positive_rate
FROM (SELECT odr_agg(d) AS s FROM classified_small WHERE seller = 1) x;
-- A15: no orders: an empty summary, its rate undefined (NULL), never 0
SELECT s, odr_orders(s), odr_rate(s), odr_positive_feedback_rate(s), odr_tier(s)
FROM (SELECT odr_agg(d) AS s FROM classified_small WHERE false) x;
-- NULL verdicts are not counted
SELECT odr_orders(odr_agg(d)) FROM (VALUES (NULL::odr_defects), ('{}'), (NULL)) v(d);
DROP VIEW classified_small;
DROP TABLE orders_small;
