\set ON_ERROR_STOP 1
\set QUIET 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS odr;
BEGIN;
SELECT plan(44);

-- A5-A8: the rating rules, each at its boundary
SELECT ok(odr_has_reason(odr_classify(feedback_stars => 3), 'negative_feedback'), 'A5: overall rating 3 is negative feedback');
SELECT ok(NOT odr_is_defective(odr_classify(feedback_stars => 4)), 'A5: overall rating 4 is not');
SELECT ok(odr_has_reason(odr_classify(dsr_item => 3), 'dsr_item'), 'A6: item as described 3 is a defect');
SELECT ok(NOT odr_is_defective(odr_classify(dsr_item => 4)), 'A6: item as described 4 is not');
SELECT ok(odr_has_reason(odr_classify(dsr_communication => 3), 'dsr_communication'), 'A7: communication 3 is a defect');
SELECT ok(NOT odr_is_defective(odr_classify(dsr_communication => 4)), 'A7: communication 4 is not');
SELECT ok(odr_has_reason(odr_classify(dsr_shipping => 1), 'dsr_shipping'), 'A8: shipping speed 1 is a defect');
SELECT ok(NOT odr_is_defective(odr_classify(dsr_shipping => 2)), 'A8: shipping speed 2 is not');
-- A9-A11: events
SELECT is(odr_reasons(odr_classify(unshipped => true)), ARRAY['unshipped'], 'A9: unshipped');
SELECT is(odr_reasons(odr_classify(arbitration => true)), ARRAY['arbitration'], 'A10: arbitration');
SELECT is(odr_reasons(odr_classify(dispute_timeout => true)), ARRAY['dispute_timeout'], 'A11: dispute timeout');
SELECT ok(odr_dispute_timed_out('2026-10-01 00:00Z', NULL, '2026-10-06 00:00Z'), 'A11: no response in 5 days, closed at the deadline');
SELECT ok(NOT odr_dispute_timed_out('2026-10-01 00:00Z', '2026-10-06 00:00Z', '2026-10-09Z'), 'A11: a response exactly at the deadline is in time');
SELECT ok(odr_unshipped('2026-10-01 12:00Z', '2026-10-01 12:01Z', '2026-10-31Z'), 'A9: a shipment after the deadline counts as none');
SELECT ok(NOT odr_unshipped('2026-10-01 12:00Z', '2026-10-01 12:00Z', '2026-10-31Z'), 'A9: a shipment at the deadline is in time');
-- A12: counted once
SELECT is(odr_defective(odr_agg(d)), 1::bigint, 'A12: an order with two reasons is one defective order')
FROM (VALUES (odr_classify(feedback_stars => 1, unshipped => true))) v(d);
SELECT is(odr_reason_count(odr_agg(d), 'unshipped') + odr_reason_count(odr_agg(d), 'negative_feedback'), 2::bigint,
          'A12: ... and counts under each of its reasons')
FROM (VALUES (odr_classify(feedback_stars => 1, unshipped => true))) v(d);
-- A13
SELECT is(odr_classify(feedback_stars => 1, dsr_item => 1, not_received_closed => true), '{}'::odr_defects,
          'A13: ratings of a closed not-received dispute are ignored');
SELECT is(odr_orders(odr_agg(odr_classify(feedback_stars => 1, not_received_closed => true))), 1::bigint,
          'A13: the order stays in the denominator');
SELECT is(odr_positive_feedback_rate(odr_agg(d)), 1.0::float8, 'A13: ... and its rating leaves the positive-feedback rate')
FROM (VALUES (odr_classify(feedback_stars => 5)), (odr_classify(feedback_stars => 1, not_received_closed => true))) v(d);
-- A14: bad ratings, each parameter
SELECT throws_ok($$SELECT odr_classify(feedback_stars => 6)$$, '22003', 'feedback_stars 6 is out of range', 'A14: feedback_stars 6');
SELECT throws_ok($$SELECT odr_classify(dsr_item => 0)$$, '22003', 'dsr_item 0 is out of range', 'A14: dsr_item 0');
SELECT throws_ok($$SELECT odr_classify(dsr_communication => -1)$$, '22003', 'dsr_communication -1 is out of range', 'A14: dsr_communication -1');
SELECT throws_ok($$SELECT odr_classify(dsr_shipping => 9)$$, '22003', 'dsr_shipping 9 is out of range', 'A14: dsr_shipping 9');
-- A15
SELECT is(odr_rate(odr_agg(d)), NULL::float8, 'A15: no orders, no rate (NULL, not 0)') FROM (SELECT NULL::odr_defects AS d WHERE false) x;
SELECT is(odr_rate('(orders=200,defective=9,unshipped=9)'), 0.045::float8, 'A15: 9 / 200 = 4.5%');
-- A16
SELECT is(odr_positive_feedback_rate(odr_agg(d)), 0.5::float8, 'A16: orders under US$5 leave the positive-feedback rate')
FROM (VALUES (odr_classify(feedback_stars => 5)), (odr_classify(feedback_stars => 2)),
             (odr_classify(feedback_stars => 1, order_amount_usd => 4.99))) v(d);
SELECT is(odr_seller_responsible_rate(odr_agg(d)), 0.25::float8, 'A16: arbitrations ruled against the seller / orders')
FROM (VALUES (odr_classify(arbitration => true, arbitration_seller_responsible => true)), (odr_classify(arbitration => true)),
             (odr_classify()), (odr_classify())) v(d);
SELECT is(odr_dsr_item_avg(odr_agg(d)), 4.0::float8, 'A16: store DSR average')
FROM (VALUES (odr_classify(dsr_item => 5)), (odr_classify(dsr_item => 3))) v(d);
-- A4, A17
SELECT is(odr_tier('(orders=89)'::odr_summary), 'unassessed'::odr_tier, 'A4: 89 orders are not assessed');
SELECT is(odr_tier('(orders=90)'::odr_summary), 'excellent'::odr_tier, 'A4: 90 orders are');
SELECT is(odr_tier('(orders=100,defective=3,unshipped=3)'::odr_summary), 'good'::odr_tier, 'A17: exactly 3% is good, not excellent');
SELECT is(odr_tier('(orders=100,defective=6,unshipped=6)'::odr_summary), 'pass'::odr_tier, 'A17: exactly 6% is pass');
SELECT is(odr_tier('(orders=100,defective=12,unshipped=12)'::odr_summary), 'fail'::odr_tier, 'A17: exactly 12% is fail');
SELECT is(odr_tier('(orders=100,defective=11,unshipped=11)'::odr_summary), 'pass'::odr_tier, 'A17: 11% is pass');
SELECT throws_ok($$SELECT odr_tier('(orders=100)'::odr_summary, 'no_such_policy')$$, '22023', 'unknown policy "no_such_policy"', 'unknown policy');
-- A18
SELECT is(odr_to_next_tier('(orders=100,defective=3,unshipped=3)'), '(excellent,1,1)'::odr_next_tier, 'A18: 3/100 needs 1 more clean order or 1 fewer defect');
SELECT is(odr_to_next_tier('(orders=50)'), '(fail,40,)'::odr_next_tier, 'A18: 50 orders need 40 more to be assessed');
SELECT is(odr_to_next_tier('(orders=100,defective=2,unshipped=2)'), NULL::odr_next_tier, 'A18: nothing above excellent');
-- A1, A2
SELECT is(odr_window('2026-10-31'), '[2026-08-03,2026-11-01)'::daterange, 'A1: the 90 days ending on the assessment date');
SELECT is(ARRAY(SELECT odr_month_ends('2024-01-15', '2024-03-31')), '{2024-01-31,2024-02-29,2024-03-31}'::date[], 'A2: month ends, leap year');
-- bad input in the types
SELECT throws_ok($$SELECT '(orders=5,defective=6)'::odr_summary$$, '22P02', NULL, 'inconsistent odr_summary text is rejected');
SELECT throws_ok($$SELECT '{late}'::odr_defects$$, '22P02', NULL, 'unknown reason in odr_defects text is rejected');
SELECT throws_ok($$SELECT odr_reason_count('()', 'late')$$, '22023', 'unknown reason "late"', 'unknown reason name');

SELECT * FROM finish();
ROLLBACK;
