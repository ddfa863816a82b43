-- Judging one order: rules A5-A14 (shared/rules.md), one case each.
-- A5 overall rating: 3 stars or fewer is negative feedback, 4 is not
SELECT odr_classify(feedback_stars => 3) AS a5_3, odr_classify(feedback_stars => 4) AS a5_4;
-- A6 DSR item as described: 3 or fewer
SELECT odr_classify(dsr_item => 3) AS a6_3, odr_classify(dsr_item => 4) AS a6_4;
-- A7 DSR communication: 3 or fewer
SELECT odr_classify(dsr_communication => 3) AS a7_3, odr_classify(dsr_communication => 4) AS a7_4;
-- A8 DSR shipping: exactly 1 star
SELECT odr_classify(dsr_shipping => 1) AS a8_1, odr_classify(dsr_shipping => 2) AS a8_2;
-- A9, A10, A11 events
SELECT odr_classify(unshipped => true) AS a9,
       odr_classify(arbitration => true) AS a10,
       odr_classify(dispute_timeout => true) AS a11;
-- Nothing happened; NULL arguments mean "no such event"
SELECT odr_classify() AS nothing,
       odr_classify(feedback_stars => NULL, unshipped => NULL, arbitration => NULL) AS nulls;
-- A12: several reasons on one order; it is one defective order
SELECT d, odr_is_defective(d), odr_reasons(d), array_length(odr_reasons(d), 1) AS reasons
FROM (SELECT odr_classify(feedback_stars => 1, dsr_item => 2, dsr_communication => 3,
                          dsr_shipping => 1, unshipped => true, arbitration => true,
                          dispute_timeout => true) AS d) x;
SELECT odr_orders(s), odr_defective(s), odr_reason_count(s, 'negative_feedback') AS neg,
       odr_reason_count(s, 'unshipped') AS unshipped
FROM (SELECT odr_agg(odr_classify(feedback_stars => 1, unshipped => true)) AS s) x;
-- A13: a closed "item not received" dispute drops the ratings, not the events
SELECT odr_classify(feedback_stars => 1, dsr_item => 1, dsr_shipping => 1,
                    not_received_closed => true) AS a13_ratings_dropped,
       odr_classify(feedback_stars => 5, not_received_closed => true) AS a13_good_rating_dropped,
       odr_classify(feedback_stars => 1, unshipped => true, dispute_timeout => true,
                    not_received_closed => true) AS a13_events_kept;
-- A16 facts: ruling against the seller, orders under US$5
SELECT odr_classify(arbitration => true, arbitration_seller_responsible => true) AS ruled,
       odr_classify(feedback_stars => 5, order_amount_usd => 4.99) AS under_5,
       odr_classify(feedback_stars => 5, order_amount_usd => 5) AS exactly_5;
-- helpers
SELECT odr_has_reason('{dsr_item,unshipped}', 'unshipped') AS yes,
       odr_has_reason('{dsr_item,unshipped}', 'arbitration') AS no,
       odr_rating('{dsr_item} item=2 shipping=4', 'item') AS item,
       odr_rating('{dsr_item} item=2 shipping=4', 'shipping') AS shipping,
       odr_rating('{dsr_item} item=2 shipping=4', 'feedback') AS feedback;
SELECT odr_reason_names();
-- A11 from timestamps: 5 days (120 h) to respond
SELECT odr_dispute_timed_out('2026-10-01 00:00Z', NULL, '2026-10-06 00:00Z') AS no_reply_closed_at_deadline,
       odr_dispute_timed_out('2026-10-01 00:00Z', NULL, '2026-10-05 23:59Z') AS closed_before_deadline,
       odr_dispute_timed_out('2026-10-01 00:00Z', '2026-10-06 00:00Z', '2026-10-09Z') AS replied_at_deadline,
       odr_dispute_timed_out('2026-10-01 00:00Z', '2026-10-06 00:00:00.000001Z', '2026-10-09Z') AS replied_late,
       odr_dispute_timed_out('2026-10-01 00:00Z', NULL, NULL) AS still_open,
       odr_dispute_timed_out(NULL, NULL, NULL) AS no_dispute,
       odr_dispute_timed_out('2026-10-01 00:00Z', NULL, '2026-10-03Z', response_days => 2) AS two_days;
-- A9 from timestamps
SELECT odr_unshipped('2026-10-01 12:00Z', '2026-10-01 12:00Z', '2026-10-31Z') AS shipped_at_deadline,
       odr_unshipped('2026-10-01 12:00Z', '2026-10-01 12:01Z', '2026-10-31Z') AS shipped_late,
       odr_unshipped('2026-10-01 12:00Z', NULL, '2026-10-31Z') AS never_shipped,
       odr_unshipped('2026-10-01 12:00Z', NULL, '2026-10-01 12:00Z') AS not_due_yet,
       odr_unshipped(NULL, NULL, '2026-10-31Z') AS no_deadline;
-- IMMUTABLE: usable in a generated column and an index
CREATE TABLE orders_gen (
	id int PRIMARY KEY,
	rating int,
	escalated bool,
	verdict odr_defects GENERATED ALWAYS AS (odr_classify(feedback_stars => rating, arbitration => escalated)) STORED
);
CREATE INDEX ON orders_gen (odr_is_defective(verdict));
INSERT INTO orders_gen (id, rating, escalated) VALUES (1, 5, false), (2, 2, false), (3, NULL, true);
SELECT id, verdict, odr_is_defective(verdict) FROM orders_gen ORDER BY id;
SELECT verdict, count(*) FROM orders_gen GROUP BY verdict ORDER BY verdict;
DROP TABLE orders_gen;
