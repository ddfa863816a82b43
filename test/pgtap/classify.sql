\set ON_ERROR_STOP 1
\set QUIET 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS odr;
BEGIN;
SELECT plan(128);

-- Judging one order: odr_classify and the functions that read a verdict
-- (rules A5-A16 of shared/rules.md).  Every rule is checked on both sides of
-- its boundary, so that an off-by-one in either direction fails a test.

-- ---------------------------------------------------------------------
-- A5 negative_feedback: overall rating 3 stars or fewer
-- ---------------------------------------------------------------------
SELECT is(odr_reasons(odr_classify(feedback_stars => 1)), ARRAY['negative_feedback'], 'A5: overall rating of 1 star is negative feedback');
SELECT is(odr_reasons(odr_classify(feedback_stars => 2)), ARRAY['negative_feedback'], 'A5: overall rating of 2 stars is negative feedback');
SELECT is(odr_reasons(odr_classify(feedback_stars => 3)), ARRAY['negative_feedback'], 'A5: overall rating of exactly 3 stars is negative feedback (boundary)');
SELECT is(odr_reasons(odr_classify(feedback_stars => 4)), '{}'::text[], 'A5: overall rating of 4 stars is not a defect (boundary)');
SELECT is(odr_reasons(odr_classify(feedback_stars => 5)), '{}'::text[], 'A5: overall rating of 5 stars is not a defect');

-- ---------------------------------------------------------------------
-- A6 dsr_item, A7 dsr_communication: 3 stars or fewer
-- ---------------------------------------------------------------------
SELECT is(odr_reasons(odr_classify(dsr_item => 1)), ARRAY['dsr_item'], 'A6: DSR item as described of 1 star is a defect');
SELECT is(odr_reasons(odr_classify(dsr_item => 3)), ARRAY['dsr_item'], 'A6: DSR item as described of exactly 3 stars is a defect (boundary)');
SELECT is(odr_reasons(odr_classify(dsr_item => 4)), '{}'::text[], 'A6: DSR item as described of 4 stars is not a defect (boundary)');
SELECT is(odr_reasons(odr_classify(dsr_item => 5)), '{}'::text[], 'A6: DSR item as described of 5 stars is not a defect');
SELECT is(odr_reasons(odr_classify(dsr_communication => 1)), ARRAY['dsr_communication'], 'A7: DSR communication of 1 star is a defect');
SELECT is(odr_reasons(odr_classify(dsr_communication => 3)), ARRAY['dsr_communication'], 'A7: DSR communication of exactly 3 stars is a defect (boundary)');
SELECT is(odr_reasons(odr_classify(dsr_communication => 4)), '{}'::text[], 'A7: DSR communication of 4 stars is not a defect (boundary)');
SELECT is(odr_reasons(odr_classify(dsr_communication => 5)), '{}'::text[], 'A7: DSR communication of 5 stars is not a defect');

-- ---------------------------------------------------------------------
-- A8 dsr_shipping: exactly 1 star
-- ---------------------------------------------------------------------
SELECT is(odr_reasons(odr_classify(dsr_shipping => 1)), ARRAY['dsr_shipping'], 'A8: shipping DSR of exactly 1 star is a defect');
SELECT is(odr_reasons(odr_classify(dsr_shipping => 2)), '{}'::text[], 'A8: shipping DSR of 2 stars is not a defect (boundary)');
SELECT is(odr_reasons(odr_classify(dsr_shipping => 3)), '{}'::text[], 'A8: shipping DSR of 3 stars is not a defect (the bar is lower than A6/A7)');
SELECT is(odr_reasons(odr_classify(dsr_shipping => 5)), '{}'::text[], 'A8: shipping DSR of 5 stars is not a defect');

-- ---------------------------------------------------------------------
-- A9-A11: events
-- ---------------------------------------------------------------------
SELECT is(odr_reasons(odr_classify(unshipped => true)), ARRAY['unshipped'], 'A9: an unshipped paid order is a defect');
SELECT is(odr_reasons(odr_classify(unshipped => false)), '{}'::text[], 'A9: unshipped => false is no defect');
SELECT is(odr_reasons(odr_classify(arbitration => true)), ARRAY['arbitration'], 'A10: an arbitration is a defect');
SELECT is(odr_reasons(odr_classify(arbitration => false)), '{}'::text[], 'A10: arbitration => false is no defect');
SELECT is(odr_reasons(odr_classify(dispute_timeout => true)), ARRAY['dispute_timeout'], 'A11: a dispute timeout is a defect');
SELECT is(odr_reasons(odr_classify(dispute_timeout => false)), '{}'::text[], 'A11: dispute_timeout => false is no defect');
SELECT is(odr_classify(), '{}'::odr_defects, 'A5-A11: an order with no rating and no event is not defective');
SELECT is(odr_classify(arbitration => true, arbitration_seller_responsible => true)::text, '{arbitration} seller_responsible',
          'A10, A16: an arbitration ruled against the seller is the reason arbitration plus the seller_responsible fact');

-- ---------------------------------------------------------------------
-- NULL arguments mean "no such rating / event"
-- ---------------------------------------------------------------------
SELECT is(odr_classify(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL), '{}'::odr_defects,
          'NULL for every argument: no rating, no event, no defect');
SELECT is(odr_classify(feedback_stars => 2, unshipped => NULL, arbitration => NULL, dispute_timeout => NULL),
          '{negative_feedback} feedback=2'::odr_defects, 'NULL event flags are no event (only the rating counts)');
SELECT is(odr_rating(odr_classify(feedback_stars => NULL, dsr_item => 4), 'feedback'), NULL::integer,
          'a NULL rating is no rating (odr_rating gives NULL)');
SELECT is(odr_classify(feedback_stars => 5, not_received_closed => NULL), '{} feedback=5'::odr_defects,
          'A13: a NULL not_received_closed does not drop the ratings');
SELECT is(odr_classify(arbitration => true, arbitration_seller_responsible => NULL), '{arbitration}'::odr_defects,
          'A16: a NULL arbitration_seller_responsible is no ruling against the seller');
SELECT is(odr_classify(feedback_stars => 5, order_amount_usd => NULL), '{} feedback=5'::odr_defects,
          'A16: a NULL order amount is not a small order');

-- ---------------------------------------------------------------------
-- odr_is_defective, odr_has_reason, odr_reasons, odr_rating
-- ---------------------------------------------------------------------
SELECT ok(odr_is_defective(odr_classify(feedback_stars => 3)), 'odr_is_defective: true with one reason');
SELECT ok(NOT odr_is_defective(odr_classify(feedback_stars => 4, dsr_item => 4, dsr_communication => 4, dsr_shipping => 2)),
          'odr_is_defective: false with ratings just above every bar (A5-A8)');
SELECT ok(odr_is_defective(odr_classify(feedback_stars => 5, dsr_shipping => 1)), 'odr_is_defective: a 5-star order with a 1-star shipping DSR is defective (A8)');
SELECT ok(odr_has_reason(odr_classify(feedback_stars => 1, unshipped => true), 'unshipped'), 'odr_has_reason: unshipped present');
SELECT ok(odr_has_reason(odr_classify(feedback_stars => 1, unshipped => true), 'negative_feedback'), 'odr_has_reason: negative_feedback present');
SELECT ok(NOT odr_has_reason(odr_classify(feedback_stars => 1, unshipped => true), 'arbitration'), 'odr_has_reason: arbitration absent');
SELECT throws_ok($$SELECT odr_has_reason('{}'::odr_defects, 'late')$$, '22023', 'unknown reason "late"', 'odr_has_reason: an unknown reason is 22023');
SELECT is(odr_reasons(odr_classify(dispute_timeout => true, arbitration => true, unshipped => true, dsr_shipping => 1,
                                   dsr_communication => 2, dsr_item => 3, feedback_stars => 1)),
          ARRAY['negative_feedback','dsr_item','dsr_communication','dsr_shipping','unshipped','arbitration','dispute_timeout'],
          'odr_reasons: all seven reasons, in canonical order');
SELECT is(odr_reasons(odr_classify(dispute_timeout => true, feedback_stars => 2)), ARRAY['negative_feedback','dispute_timeout'],
          'odr_reasons: canonical order whatever the arguments');
SELECT is(odr_reason_names(), ARRAY['negative_feedback','dsr_item','dsr_communication','dsr_shipping','unshipped','arbitration','dispute_timeout'],
          'odr_reason_names: the seven reasons A5-A11');
SELECT is(odr_rating(odr_classify(feedback_stars => 4, dsr_item => 2, dsr_communication => 5, dsr_shipping => 1), 'feedback'), 4, 'odr_rating: feedback');
SELECT is(odr_rating(odr_classify(feedback_stars => 4, dsr_item => 2, dsr_communication => 5, dsr_shipping => 1), 'item'), 2, 'odr_rating: item');
SELECT is(odr_rating(odr_classify(feedback_stars => 4, dsr_item => 2, dsr_communication => 5, dsr_shipping => 1), 'communication'), 5, 'odr_rating: communication');
SELECT is(odr_rating(odr_classify(feedback_stars => 4, dsr_item => 2, dsr_communication => 5, dsr_shipping => 1), 'shipping'), 1, 'odr_rating: shipping');
SELECT is(odr_rating(odr_classify(feedback_stars => 4), 'shipping'), NULL::integer, 'odr_rating: NULL for a rating not given');
SELECT throws_ok($$SELECT odr_rating(odr_classify(feedback_stars => 4), 'speed')$$, '22023', 'unknown dimension "speed"',
                 'odr_rating: an unknown dimension is 22023');

-- ---------------------------------------------------------------------
-- A12: count once
-- ---------------------------------------------------------------------
SELECT is(odr_defective(odr_agg(d)), 1::bigint, 'A12: an order with four reasons is one defective order')
FROM (VALUES (odr_classify(feedback_stars => 2, dsr_item => 1, unshipped => true, dispute_timeout => true))) v(d);
SELECT is(ARRAY[odr_reason_count(s, 'negative_feedback'), odr_reason_count(s, 'dsr_item'), odr_reason_count(s, 'dsr_communication'),
                odr_reason_count(s, 'dsr_shipping'), odr_reason_count(s, 'unshipped'), odr_reason_count(s, 'arbitration'),
                odr_reason_count(s, 'dispute_timeout')],
          ARRAY[1, 1, 0, 0, 1, 0, 1]::bigint[],
          'A12: ... and counts once under each of its reasons in odr_reason_count')
FROM (SELECT odr_agg(d) AS s
      FROM (VALUES (odr_classify(feedback_stars => 2, dsr_item => 1, unshipped => true, dispute_timeout => true))) v(d)) x;
SELECT is(odr_rate(odr_agg(d)), 0.5::float8, 'A12, A15: two orders, one with three reasons: ODR is 1/2, not 3/2')
FROM (VALUES (odr_classify(feedback_stars => 1, dsr_communication => 1, arbitration => true)), (odr_classify(feedback_stars => 5))) v(d);

-- ---------------------------------------------------------------------
-- A13: a closed not-received dispute drops the ratings
-- ---------------------------------------------------------------------
SELECT is(odr_reasons(odr_classify(feedback_stars => 1, dsr_item => 1, dsr_communication => 1, dsr_shipping => 1, not_received_closed => true)),
          '{}'::text[], 'A13: no A5-A8 reason from the ratings of a closed not-received dispute');
SELECT ok(NOT odr_is_defective(odr_classify(feedback_stars => 3, not_received_closed => true)), 'A13: a 3-star rating of such an order is no defect');
SELECT ok(odr_is_defective(odr_classify(feedback_stars => 3, not_received_closed => false)), 'A13: not_received_closed => false keeps it a defect');
SELECT is(odr_rating(odr_classify(feedback_stars => 5, dsr_item => 5, not_received_closed => true), 'feedback'), NULL::integer,
          'A13: a good rating is dropped too (odr_rating feedback is NULL)');
SELECT is(odr_rating(odr_classify(feedback_stars => 5, dsr_item => 5, not_received_closed => true), 'item'), NULL::integer,
          'A13: ... and so is its DSR (odr_rating item is NULL)');
SELECT is(odr_reasons(odr_classify(feedback_stars => 1, unshipped => true, arbitration => true, dispute_timeout => true, not_received_closed => true)),
          ARRAY['unshipped','arbitration','dispute_timeout'], 'A13: A9-A11 still apply to such an order');
SELECT is(odr_orders(s), 2::bigint, 'A13: the order stays in the denominator')
FROM (SELECT odr_agg(d) AS s FROM (VALUES (odr_classify(feedback_stars => 5)), (odr_classify(feedback_stars => 1, not_received_closed => true))) v(d)) x;
SELECT is(odr_rate(s), 0::float8, 'A13: ... and the ODR is 0/2, not NULL and not 1/2')
FROM (SELECT odr_agg(d) AS s FROM (VALUES (odr_classify(feedback_stars => 5)), (odr_classify(feedback_stars => 1, not_received_closed => true))) v(d)) x;
SELECT is(ARRAY[odr_count(s, 'rated'), odr_count(s, 'positive')], ARRAY[1, 1]::bigint[],
          'A13, A16: its rating is not counted in the positive-feedback rate (1 rated, 1 positive)')
FROM (SELECT odr_agg(d) AS s FROM (VALUES (odr_classify(feedback_stars => 5)), (odr_classify(feedback_stars => 1, not_received_closed => true))) v(d)) x;
SELECT is(odr_positive_feedback_rate(s), NULL::float8, 'A13, A16: a dropped 5-star rating does not make a positive-feedback rate either')
FROM (SELECT odr_agg(d) AS s FROM (VALUES (odr_classify(feedback_stars => 5, not_received_closed => true))) v(d)) x;
SELECT is(ARRAY[odr_dsr_item_avg(s), odr_dsr_communication_avg(s), odr_dsr_shipping_avg(s)], ARRAY[5, 4, 3]::float8[],
          'A13, A16: its DSRs are left out of the store DSR averages')
FROM (SELECT odr_agg(d) AS s FROM (VALUES (odr_classify(dsr_item => 5, dsr_communication => 4, dsr_shipping => 3)),
                                          (odr_classify(dsr_item => 1, dsr_communication => 1, dsr_shipping => 1, not_received_closed => true))) v(d)) x;

-- ---------------------------------------------------------------------
-- A14: ratings are whole stars 1..5; anything else is 22003
-- ---------------------------------------------------------------------
SELECT throws_ok($$SELECT odr_classify(feedback_stars => 0)$$, '22003', 'feedback_stars 0 is out of range', 'A14: feedback_stars 0 is rejected');
SELECT throws_ok($$SELECT odr_classify(feedback_stars => 6)$$, '22003', 'feedback_stars 6 is out of range', 'A14: feedback_stars 6 is rejected');
SELECT throws_ok($$SELECT odr_classify(feedback_stars => -1)$$, '22003', 'feedback_stars -1 is out of range', 'A14: feedback_stars -1 is rejected');
SELECT throws_ok($$SELECT odr_classify(dsr_item => 0)$$, '22003', 'dsr_item 0 is out of range', 'A14: dsr_item 0 is rejected');
SELECT throws_ok($$SELECT odr_classify(dsr_item => 6)$$, '22003', 'dsr_item 6 is out of range', 'A14: dsr_item 6 is rejected');
SELECT throws_ok($$SELECT odr_classify(dsr_item => -1)$$, '22003', 'dsr_item -1 is out of range', 'A14: dsr_item -1 is rejected');
SELECT throws_ok($$SELECT odr_classify(dsr_communication => 0)$$, '22003', 'dsr_communication 0 is out of range', 'A14: dsr_communication 0 is rejected');
SELECT throws_ok($$SELECT odr_classify(dsr_communication => 6)$$, '22003', 'dsr_communication 6 is out of range', 'A14: dsr_communication 6 is rejected');
SELECT throws_ok($$SELECT odr_classify(dsr_communication => -1)$$, '22003', 'dsr_communication -1 is out of range', 'A14: dsr_communication -1 is rejected');
SELECT throws_ok($$SELECT odr_classify(dsr_shipping => 0)$$, '22003', 'dsr_shipping 0 is out of range', 'A14: dsr_shipping 0 is rejected');
SELECT throws_ok($$SELECT odr_classify(dsr_shipping => 6)$$, '22003', 'dsr_shipping 6 is out of range', 'A14: dsr_shipping 6 is rejected');
SELECT throws_ok($$SELECT odr_classify(dsr_shipping => -1)$$, '22003', 'dsr_shipping -1 is out of range', 'A14: dsr_shipping -1 is rejected');
SELECT throws_ok($$SELECT odr_classify(feedback_stars => 6, not_received_closed => true)$$, '22003', 'feedback_stars 6 is out of range',
                 'A14: a bad rating is rejected even when A13 would drop it');
SELECT lives_ok($$SELECT odr_classify(1, 1, 1, 1), odr_classify(5, 5, 5, 5)$$, 'A14: 1 and 5 stars are accepted for every rating');

-- ---------------------------------------------------------------------
-- order_amount_usd (A16)
-- ---------------------------------------------------------------------
SELECT is(odr_classify(feedback_stars => 5, order_amount_usd => 4.99)::text, '{} feedback=5 under_5_usd', 'A16: US$4.99 is a small order');
SELECT is(odr_classify(feedback_stars => 5, order_amount_usd => 5)::text, '{} feedback=5', 'A16: exactly US$5 is not under US$5 (boundary)');
SELECT is(odr_classify(feedback_stars => 5, order_amount_usd => 0)::text, '{} feedback=5 under_5_usd', 'A16: US$0 is a small order');
SELECT is(odr_positive_feedback_rate(odr_agg(d)), 0.5::float8, 'A16: ratings of orders under US$5 are excluded from the positive-feedback rate')
FROM (VALUES (odr_classify(feedback_stars => 5, order_amount_usd => 5)), (odr_classify(feedback_stars => 2, order_amount_usd => 100)),
             (odr_classify(feedback_stars => 1, order_amount_usd => 4.99)), (odr_classify(feedback_stars => 1, order_amount_usd => 0.01))) v(d);
SELECT is(odr_positive_feedback_rate(odr_agg(d)), 0::float8, 'A16: ... good ratings of small orders too (0 of 1, not 1 of 2)')
FROM (VALUES (odr_classify(feedback_stars => 1, order_amount_usd => 10)), (odr_classify(feedback_stars => 5, order_amount_usd => 4))) v(d);
SELECT is(odr_reasons(odr_classify(feedback_stars => 1, order_amount_usd => 4.99)), ARRAY['negative_feedback'],
          'A5, A16: a bad rating on a small order is still negative feedback (only the positive-feedback rate leaves it out)');
SELECT throws_ok($$SELECT odr_classify(order_amount_usd => -0.01)$$, '22003', 'order_amount_usd -0.01 is out of range', 'a negative order amount is 22003');
SELECT throws_ok($$SELECT odr_classify(order_amount_usd => 'NaN')$$, '22003', 'order_amount_usd NaN is out of range', 'a NaN order amount is 22003');
SELECT throws_ok($$SELECT odr_classify(order_amount_usd => 'Infinity')$$, '22003', 'order_amount_usd Infinity is out of range', 'an infinite order amount is 22003');
SELECT throws_ok($$SELECT odr_classify(order_amount_usd => '-Infinity')$$, '22003', NULL, 'a -infinite order amount is 22003');

-- a ruling without an arbitration
SELECT throws_ok($$SELECT odr_classify(arbitration_seller_responsible => true)$$, '22023',
                 'arbitration_seller_responsible is true but arbitration is false',
                 'A10, A16: arbitration_seller_responsible without arbitration is 22023');
SELECT throws_ok($$SELECT odr_classify(arbitration => NULL, arbitration_seller_responsible => true)$$, '22023', NULL,
                 'A10, A16: ... also when arbitration is NULL (no arbitration)');

-- ---------------------------------------------------------------------
-- odr_dispute_timed_out (A11)
-- ---------------------------------------------------------------------
SELECT ok(NOT odr_dispute_timed_out('2026-10-01 00:00:00Z', '2026-10-06 00:00:00Z', '2026-10-10 00:00:00Z'),
          'A11: a response exactly at the 5-day deadline is in time');
SELECT ok(odr_dispute_timed_out('2026-10-01 00:00:00Z', '2026-10-06 00:00:00.000001Z', '2026-10-10 00:00:00Z'),
          'A11: a response one microsecond after the deadline is a timeout');
SELECT ok(NOT odr_dispute_timed_out('2026-10-01 00:00:00Z', '2026-10-02 00:00:00Z', '2026-10-10 00:00:00Z'),
          'A11: a response on day 1 is in time');
SELECT ok(NOT odr_dispute_timed_out('2026-10-01 00:00:00Z', NULL, '2026-10-05 23:59:59.999999Z'),
          'A11: no response, but the dispute closed before the deadline: not timed out');
SELECT ok(odr_dispute_timed_out('2026-10-01 00:00:00Z', NULL, '2026-10-06 00:00:00Z'),
          'A11: no response and the dispute ended exactly at the deadline: timed out');
SELECT ok(odr_dispute_timed_out('2026-10-01 00:00:00Z', NULL, '2026-10-20 00:00:00Z'),
          'A11: no response and the dispute ended after the deadline: timed out');
SELECT ok(NOT odr_dispute_timed_out('2026-10-01 00:00:00Z', NULL, NULL),
          'A11: no response but the dispute is still open: not (yet) ended by a timeout');
SELECT ok(NOT odr_dispute_timed_out(NULL, NULL, NULL), 'A11: no dispute (opened_at NULL) is false');
SELECT ok(odr_dispute_timed_out('2026-10-01 00:00:00Z', '2026-10-04 00:00:00.000001Z', '2026-10-10 00:00:00Z', 3),
          'A11: response_days = 3: a response after 3 days is a timeout');
SELECT ok(NOT odr_dispute_timed_out('2026-10-01 00:00:00Z', '2026-10-04 00:00:00Z', '2026-10-10 00:00:00Z', 3),
          'A11: response_days = 3: a response at 3 days is in time');
-- in a session whose time zone changes clocks (calendar days would be 23 hours here)
SET LOCAL TimeZone = 'America/New_York';
SELECT ok(NOT odr_dispute_timed_out('2026-03-07 12:00 America/New_York', '2026-03-12 12:30 America/New_York', '2026-03-20Z'),
          'A11: 5 days are 5 x 24 hours, also across a DST change (12:30 EDT is before 13:00 EDT = 120 hours after 12:00 EST)');
SELECT ok(odr_dispute_timed_out('2026-03-07 12:00 America/New_York', '2026-03-12 13:00:01 America/New_York', '2026-03-20Z'),
          'A11: ... and 13:00:01 EDT is after it');
RESET TimeZone;
SELECT throws_ok($$SELECT odr_dispute_timed_out('2026-10-01Z', NULL, '2026-10-09Z', 0)$$, '22023',
                 'response_days 0 is not a positive number of days', 'A11: response_days 0 is 22023');
SELECT throws_ok($$SELECT odr_dispute_timed_out('2026-10-01Z', NULL, '2026-10-09Z', -1)$$, '22023', NULL, 'A11: negative response_days is 22023');
SELECT throws_ok($$SELECT odr_dispute_timed_out('2026-10-01Z', NULL, '2026-10-09Z', NULL)$$, '22004',
                 'response_days must not be NULL', 'A11: NULL response_days is 22004');
SELECT throws_ok($$SELECT odr_dispute_timed_out('2026-10-01Z', NULL, '2026-09-30Z')$$, '22023',
                 'closed_at is before opened_at', 'A11: closed before opened is 22023');
SELECT throws_ok($$SELECT odr_dispute_timed_out('2026-10-01Z', '2026-09-30Z', NULL)$$, '22023',
                 'seller_responded_at is before opened_at', 'A11: responded before opened is 22023');
SELECT throws_ok($$SELECT odr_dispute_timed_out(NULL, NULL, '2026-10-09Z')$$, '22004',
                 'opened_at is NULL but closed_at is not', 'A11: a closed dispute that was never opened is 22004');
SELECT throws_ok($$SELECT odr_dispute_timed_out('infinity', NULL, NULL)$$, '22008',
                 'opened_at must be a finite timestamp, not infinity', 'A11: infinite opened_at is 22008');
SELECT throws_ok($$SELECT odr_dispute_timed_out('2026-10-01Z', 'infinity', NULL)$$, '22008',
                 'seller_responded_at must be a finite timestamp, not infinity', 'A11: infinite seller_responded_at is 22008');
SELECT throws_ok($$SELECT odr_dispute_timed_out('2026-10-01Z', NULL, '-infinity')$$, '22008',
                 'closed_at must be a finite timestamp, not -infinity', 'A11: -infinite closed_at is 22008');

-- ---------------------------------------------------------------------
-- odr_unshipped (A9)
-- ---------------------------------------------------------------------
SELECT ok(NOT odr_unshipped('2026-10-01 12:00Z', '2026-10-01 12:00Z', '2026-10-31Z'), 'A9: shipped exactly at the deadline is on time');
SELECT ok(odr_unshipped('2026-10-01 12:00Z', '2026-10-01 12:00:00.000001Z', '2026-10-31Z'), 'A9: shipped one microsecond after the deadline counts as unshipped');
SELECT ok(NOT odr_unshipped('2026-10-01 12:00Z', '2026-09-30 08:00Z', '2026-10-31Z'), 'A9: shipped before the deadline is on time');
SELECT ok(odr_unshipped('2026-10-01 12:00Z', NULL, '2026-10-31Z'), 'A9: never shipped, deadline passed: unshipped');
SELECT ok(NOT odr_unshipped('2026-10-01 12:00Z', NULL, '2026-10-01 12:00Z'), 'A9: as_of exactly at the deadline: not unshipped yet');
SELECT ok(odr_unshipped('2026-10-01 12:00Z', NULL, '2026-10-01 12:00:00.000001Z'), 'A9: as_of one microsecond after the deadline: unshipped');
SELECT ok(NOT odr_unshipped('2026-10-01 12:00Z', NULL, '2026-09-30Z'), 'A9: as_of before the deadline: not unshipped');
SELECT ok(NOT odr_unshipped(NULL, NULL, '2026-10-31Z'), 'A9: no deadline (nothing to ship) is false');
SELECT ok(NOT odr_unshipped(NULL, '2026-10-01Z', '2026-10-31Z'), 'A9: no deadline with a shipment is false');
SELECT throws_ok($$SELECT odr_unshipped('2026-10-01Z', NULL, NULL)$$, '22004', 'as_of must not be NULL', 'A9: NULL as_of is 22004');
SELECT throws_ok($$SELECT odr_unshipped('infinity', NULL, '2026-10-31Z')$$, '22008', NULL, 'A9: infinite ship_deadline is 22008');
SELECT throws_ok($$SELECT odr_unshipped('2026-10-01Z', NULL, 'infinity')$$, '22008', NULL, 'A9: infinite as_of is 22008');

-- the flags feed odr_classify
SELECT is(odr_reasons(odr_classify(unshipped => odr_unshipped('2026-10-01Z', NULL, '2026-10-31Z'),
                                   dispute_timeout => odr_dispute_timed_out('2026-10-01Z', NULL, '2026-10-31Z'))),
          ARRAY['unshipped','dispute_timeout'], 'A9, A11: the flags computed from timestamps feed odr_classify');

-- ---------------------------------------------------------------------
-- IMMUTABLE: usable in a generated column and an expression index
-- ---------------------------------------------------------------------
CREATE TEMP TABLE tap_orders (
	id integer PRIMARY KEY,
	feedback integer,
	shipped_late boolean,
	verdict odr_defects GENERATED ALWAYS AS (odr_classify(feedback_stars => feedback, unshipped => shipped_late)) STORED
);
INSERT INTO tap_orders (id, feedback, shipped_late)
SELECT i, 1 + i % 5, i % 7 = 0 FROM generate_series(1, 2000) AS i;
SELECT is((SELECT verdict FROM tap_orders WHERE id = 7), '{negative_feedback,unshipped} feedback=3'::odr_defects,
          'odr_classify in a GENERATED ALWAYS AS ... STORED column (id 7: 3 stars, shipped late)');
SELECT is((SELECT verdict FROM tap_orders WHERE id = 4), '{} feedback=5'::odr_defects, 'generated column: id 4 (5 stars, on time)');
UPDATE tap_orders SET feedback = 4, shipped_late = false WHERE id = 7;
SELECT is((SELECT verdict FROM tap_orders WHERE id = 7), '{} feedback=4'::odr_defects, 'generated column follows an UPDATE of its inputs');
SELECT is((SELECT count(*) FROM tap_orders WHERE odr_is_defective(verdict)),
          (SELECT count(*) FROM tap_orders WHERE feedback <= 3 OR shipped_late), 'generated column: defective = rating <= 3 or late, over 2000 rows');

CREATE INDEX tap_orders_defective ON tap_orders (odr_is_defective(odr_classify(feedback_stars => feedback, unshipped => shipped_late)));
CREATE INDEX tap_orders_verdict ON tap_orders ((odr_classify(feedback_stars => feedback)));
SELECT ok((SELECT indexprs IS NOT NULL AND indisvalid FROM pg_index WHERE indexrelid = 'tap_orders_defective'::regclass),
          'odr_classify in an expression index (CREATE INDEX accepts it: IMMUTABLE)');
ANALYZE tap_orders;
CREATE FUNCTION pg_temp.tap_plan(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE line text; plan text := '';
BEGIN
	FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP plan := plan || line || E'\n'; END LOOP;
	RETURN plan;
END $$;
SET LOCAL enable_seqscan = off;
SELECT matches(pg_temp.tap_plan($$SELECT id FROM tap_orders WHERE odr_classify(feedback_stars => feedback) = '{negative_feedback} feedback=1'$$),
               'tap_orders_verdict', 'the expression index on odr_classify is used by the planner');
SELECT is((SELECT count(*) FROM tap_orders WHERE odr_classify(feedback_stars => feedback) = '{negative_feedback} feedback=1'),
          400::bigint, 'the expression index finds the 400 one-star orders');
RESET enable_seqscan;

SELECT * FROM finish();
ROLLBACK;
