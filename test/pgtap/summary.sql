\set ON_ERROR_STOP 1
\set QUIET 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS odr;
BEGIN;
SELECT plan(102);

-- odr_summary: counts over a set of orders (A12, A15, A16), its aggregates,
-- arithmetic, accessors and text / jsonb forms.
--
-- A hand-built set of orders; every expected number below is counted by hand
-- from this table (see the comment on each row).
CREATE TEMP TABLE tap_orders (id integer PRIMARY KEY, day date NOT NULL, d odr_defects);
INSERT INTO tap_orders VALUES
	-- 1: clean, rated 5, DSR 5/5/5                 -> rated, positive
	(1, '2026-10-01', odr_classify(feedback_stars => 5, dsr_item => 5, dsr_communication => 5, dsr_shipping => 5)),
	-- 2: fb 2, item 3, comm 4, ship 1              -> negative_feedback, dsr_item, dsr_shipping; rated, not positive
	(2, '2026-10-01', odr_classify(feedback_stars => 2, dsr_item => 3, dsr_communication => 4, dsr_shipping => 1)),
	-- 3: unshipped                                 -> unshipped
	(3, '2026-10-01', odr_classify(unshipped => true)),
	-- 4: arbitration ruled against the seller, fb 4 -> arbitration, seller_responsible; rated, positive
	(4, '2026-10-02', odr_classify(feedback_stars => 4, arbitration => true, arbitration_seller_responsible => true)),
	-- 5: arbitration and dispute timeout           -> arbitration, dispute_timeout
	(5, '2026-10-02', odr_classify(arbitration => true, dispute_timeout => true)),
	-- 6: A13 not-received closed, fb 1, item 1     -> nothing (ratings dropped), still an order
	(6, '2026-10-02', odr_classify(feedback_stars => 1, dsr_item => 1, not_received_closed => true)),
	-- 7: US$3, fb 4, comm 2                        -> dsr_communication; not rated (A16 small order); comm DSR counted
	(7, '2026-10-03', odr_classify(feedback_stars => 4, dsr_communication => 2, order_amount_usd => 3)),
	-- 8: nothing at all                            -> clean
	(8, '2026-10-03', odr_classify()),
	-- 9: no verdict (NULL)                         -> skipped by odr_agg
	(9, '2026-10-03', NULL),
	-- 10: fb 3, ship 2                             -> negative_feedback; rated, not positive; ship DSR counted
	(10, '2026-10-03', odr_classify(feedback_stars => 3, dsr_shipping => 2));
-- By hand: orders 9 (row 9 skipped); defective 6 (rows 2,3,4,5,7,10);
-- negative_feedback 2 (2,10), dsr_item 1 (2), dsr_communication 1 (7), dsr_shipping 1 (2),
-- unshipped 1 (3), arbitration 2 (4,5), dispute_timeout 1 (5); seller_responsible 1 (4);
-- rated 4 (1,2,4,10), positive 2 (1,4);
-- DSR item 5+3 = 8 over 2; communication 5+4+2 = 11 over 3; shipping 5+1+2 = 8 over 3.
CREATE TEMP TABLE tap_s AS SELECT odr_agg(d) AS s FROM tap_orders;

SELECT is(odr_orders(s), 9::bigint, 'A15: odr_agg counts 9 assessed orders (the NULL verdict is skipped)') FROM tap_s;
SELECT is(odr_defective(s), 6::bigint, 'A12: 6 defective orders, each counted once') FROM tap_s;
SELECT is(odr_reason_count(s, 'negative_feedback'), 2::bigint, 'A5: negative_feedback 2 (the A13 order is not one)') FROM tap_s;
SELECT is(odr_reason_count(s, 'dsr_item'), 1::bigint, 'A6: dsr_item 1 (the A13 order is not one)') FROM tap_s;
SELECT is(odr_reason_count(s, 'dsr_communication'), 1::bigint, 'A7: dsr_communication 1') FROM tap_s;
SELECT is(odr_reason_count(s, 'dsr_shipping'), 1::bigint, 'A8: dsr_shipping 1 (shipping 2 is not one)') FROM tap_s;
SELECT is(odr_reason_count(s, 'unshipped'), 1::bigint, 'A9: unshipped 1') FROM tap_s;
SELECT is(odr_reason_count(s, 'arbitration'), 2::bigint, 'A10: arbitration 2') FROM tap_s;
SELECT is(odr_reason_count(s, 'dispute_timeout'), 1::bigint, 'A11: dispute_timeout 1') FROM tap_s;
SELECT is(odr_count(s, 'seller_responsible'), 1::bigint, 'A16: seller_responsible 1') FROM tap_s;
SELECT is(odr_count(s, 'rated'), 4::bigint, 'A16: 4 counted ratings (A13 and the small order left out)') FROM tap_s;
SELECT is(odr_count(s, 'positive'), 2::bigint, 'A16: 2 positive ratings (4-5 stars)') FROM tap_s;
SELECT is(ARRAY[odr_count(s, 'dsr_item_sum'), odr_count(s, 'dsr_item_ratings')], ARRAY[8, 2]::bigint[], 'A16: DSR item sum 8 over 2 ratings') FROM tap_s;
SELECT is(ARRAY[odr_count(s, 'dsr_communication_sum'), odr_count(s, 'dsr_communication_ratings')], ARRAY[11, 3]::bigint[], 'A16: DSR communication sum 11 over 3 ratings') FROM tap_s;
SELECT is(ARRAY[odr_count(s, 'dsr_shipping_sum'), odr_count(s, 'dsr_shipping_ratings')], ARRAY[8, 3]::bigint[], 'A16: DSR shipping sum 8 over 3 ratings') FROM tap_s;
SELECT is(s,
          '(orders=9,defective=6,negative_feedback=2,dsr_item=1,dsr_communication=1,dsr_shipping=1,unshipped=1,arbitration=2,dispute_timeout=1,seller_responsible=1,rated=4,positive=2,dsr_item_sum=8,dsr_communication_sum=11,dsr_shipping_sum=8,dsr_item_ratings=2,dsr_communication_ratings=3,dsr_shipping_ratings=3)'::odr_summary,
          'the whole summary equals the hand count, all 18 counts') FROM tap_s;
SELECT is(odr_count(s, 'orders'), odr_orders(s), 'odr_count(orders) = odr_orders') FROM tap_s;
SELECT is(odr_count(s, 'defective'), odr_defective(s), 'odr_count(defective) = odr_defective') FROM tap_s;
SELECT is(odr_count(s, 'unshipped'), 1::bigint, 'odr_count takes a reason name too') FROM tap_s;
SELECT throws_ok($$SELECT odr_count('()'::odr_summary, 'late')$$, '22023', 'unknown count "late"', 'odr_count: an unknown name is 22023');
SELECT throws_ok($$SELECT odr_reason_count('()'::odr_summary, 'rated')$$, '22023', 'unknown reason "rated"',
                 'odr_reason_count: a count that is not a reason is 22023');
SELECT throws_ok($$SELECT odr_reason_count('()'::odr_summary, 'late')$$, '22023', 'unknown reason "late"', 'odr_reason_count: an unknown reason is 22023');

-- rates (A15, A16)
SELECT is(odr_rate(s), 6::float8 / 9, 'A15: ODR = 6 / 9') FROM tap_s;
SELECT is(odr_seller_responsible_rate(s), 1::float8 / 9, 'A16: seller-responsibility arbitration rate = 1 / 9 (orders, not arbitrations)') FROM tap_s;
SELECT is(odr_positive_feedback_rate(s), 0.5::float8, 'A16: positive-feedback rate = 2 / 4') FROM tap_s;
SELECT is(odr_dsr_item_avg(s), 4::float8, 'A16: DSR item average = 8 / 2') FROM tap_s;
SELECT is(odr_dsr_communication_avg(s), 11::float8 / 3, 'A16: DSR communication average = 11 / 3') FROM tap_s;
SELECT is(odr_dsr_shipping_avg(s), 8::float8 / 3, 'A16: DSR shipping average = 8 / 3') FROM tap_s;
SELECT is(odr_metric(s, 'odr'), 6::float8 / 9, 'odr_metric(odr)') FROM tap_s;
SELECT is(odr_metric(s, 'orders'), 9::float8, 'odr_metric(orders)') FROM tap_s;
SELECT is(odr_metric(s, 'defective'), 6::float8, 'odr_metric(defective)') FROM tap_s;
SELECT is(odr_metric(s, 'seller_responsible_arbitration_rate'), 1::float8 / 9, 'odr_metric(seller_responsible_arbitration_rate)') FROM tap_s;
SELECT is(odr_metric(s, 'positive_feedback_rate'), 0.5::float8, 'odr_metric(positive_feedback_rate)') FROM tap_s;
SELECT is(odr_metric(s, 'dsr_item_avg'), 4::float8, 'odr_metric(dsr_item_avg)') FROM tap_s;
SELECT is(odr_metric(s, 'dsr_communication_avg'), 11::float8 / 3, 'odr_metric(dsr_communication_avg)') FROM tap_s;
SELECT is(odr_metric(s, 'dsr_shipping_avg'), 8::float8 / 3, 'odr_metric(dsr_shipping_avg)') FROM tap_s;
SELECT throws_ok($$SELECT odr_metric('()'::odr_summary, 'speed')$$, '22023', 'unknown metric "speed"', 'odr_metric: an unknown metric is 22023');

-- A15: no orders
SELECT is(odr_agg(d), '()'::odr_summary, 'A15: odr_agg over no rows is the empty summary, not NULL') FROM tap_orders WHERE false;
SELECT is(odr_orders(odr_agg(d)), 0::bigint, 'A15: ... with 0 orders') FROM tap_orders WHERE false;
SELECT is(odr_rate(odr_agg(d)), NULL::float8, 'A15: the ODR of no orders is NULL (not 0, no division error)') FROM tap_orders WHERE false;
SELECT is(odr_rate(odr_agg(d)), NULL::float8, 'A15: ... also when the only rows have NULL verdicts') FROM tap_orders WHERE d IS NULL;
SELECT is(odr_seller_responsible_rate('()'), NULL::float8, 'A16: no orders, no seller-responsibility rate');
SELECT is(odr_positive_feedback_rate('(orders=5)'), NULL::float8, 'A16: orders but no counted rating: positive-feedback rate NULL');
SELECT is(ARRAY[odr_dsr_item_avg('(orders=5)'), odr_dsr_communication_avg('(orders=5)'), odr_dsr_shipping_avg('(orders=5)')],
          ARRAY[NULL, NULL, NULL]::float8[], 'A16: no DSR, no DSR averages (NULL)');
SELECT is(odr_metric('()', 'odr'), NULL::float8, 'odr_metric(odr) of no orders is NULL');
SELECT is(odr_metric('()', 'orders'), 0::float8, 'odr_metric(orders) of no orders is 0');
SELECT is(odr_rate('(orders=4)'), 0::float8, 'A15: orders without defects: the ODR is 0');

-- NULL verdicts
SELECT is(odr_agg(d), odr_agg(d) FILTER (WHERE d IS NOT NULL), 'odr_agg skips NULL verdicts') FROM tap_orders;
SELECT is(odr_agg(d), '()'::odr_summary, 'odr_agg of only NULL verdicts is the empty summary') FROM tap_orders WHERE d IS NULL;

-- odr_summary_of: one order
SELECT is(odr_summary_of(d), odr_agg(d), 'odr_summary_of(d) = odr_agg over that one order') FROM tap_orders WHERE id = 2 GROUP BY d;
SELECT is(odr_summary_of(odr_classify(feedback_stars => 1, not_received_closed => true)), '(orders=1)'::odr_summary,
          'A13: the summary of a dropped-rating order is one order and nothing else');

-- ---------------------------------------------------------------------
-- odr_rollup of per-day summaries = odr_agg of the same rows
-- ---------------------------------------------------------------------
CREATE TEMP TABLE tap_daily AS SELECT day, odr_agg(d) AS s FROM tap_orders GROUP BY day;
SELECT is((SELECT count(*) FROM tap_daily), 3::bigint, 'three days of per-day summaries');
SELECT is((SELECT odr_rollup(s) FROM tap_daily), (SELECT s FROM tap_s), 'odr_rollup of the per-day summaries = odr_agg of all the orders');
SELECT is((SELECT odr_rollup(s) FROM tap_daily WHERE day >= '2026-10-02'),
          (SELECT odr_agg(d) FROM tap_orders WHERE day >= '2026-10-02'), 'odr_rollup of two days = odr_agg of those days');
SELECT is((SELECT odr_rollup(s) FROM tap_daily WHERE false), '()'::odr_summary, 'odr_rollup of no rows is the empty summary');
SELECT is((SELECT s FROM tap_daily WHERE day = '2026-10-01'),
          '(orders=3,defective=2,negative_feedback=1,dsr_item=1,dsr_shipping=1,unshipped=1,rated=2,positive=1,dsr_item_sum=8,dsr_item_ratings=2,dsr_communication_sum=9,dsr_communication_ratings=2,dsr_shipping_sum=6,dsr_shipping_ratings=2)'::odr_summary,
          'the summary of 2026-10-01 (rows 1-3) by hand');
-- moving windows use the inverse transition functions
SELECT is(ARRAY(SELECT odr_agg(d) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM tap_orders ORDER BY id),
          ARRAY(SELECT (SELECT odr_agg(o2.d) FROM tap_orders o2 WHERE o2.id BETWEEN o1.id - 2 AND o1.id) FROM tap_orders o1 ORDER BY id),
          'odr_agg over a moving 3-row window (inverse transition) = odr_agg of the same rows');
SELECT is(ARRAY(SELECT odr_rollup(s) OVER (ORDER BY day ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM tap_daily ORDER BY day),
          ARRAY(SELECT (SELECT odr_agg(o.d) FROM tap_orders o WHERE o.day BETWEEN t.day - 1 AND t.day) FROM tap_daily t ORDER BY day),
          'odr_rollup over a moving 2-day window (inverse transition) = odr_agg of those days');

-- ---------------------------------------------------------------------
-- + and -
-- ---------------------------------------------------------------------
SELECT is((SELECT a.s + b.s + c.s FROM tap_daily a, tap_daily b, tap_daily c
           WHERE a.day = '2026-10-01' AND b.day = '2026-10-02' AND c.day = '2026-10-03'),
          (SELECT s FROM tap_s), '+: the sum of the three days is the summary of all orders');
SELECT is((SELECT a.s + b.s FROM tap_daily a, tap_daily b WHERE a.day = '2026-10-01' AND b.day = '2026-10-03'),
          (SELECT b.s + a.s FROM tap_daily a, tap_daily b WHERE a.day = '2026-10-01' AND b.day = '2026-10-03'), '+ is commutative');
SELECT is((SELECT t.s - a.s FROM tap_s t, tap_daily a WHERE a.day = '2026-10-01'),
          (SELECT odr_agg(d) FROM tap_orders WHERE day > '2026-10-01'), '-: all orders minus the first day = the orders of the other days');
SELECT is((SELECT t.s - t.s FROM tap_s t), '()'::odr_summary, '-: s - s is the empty summary');
SELECT is('(orders=2,defective=1,unshipped=1)'::odr_summary + '()'::odr_summary, '(orders=2,defective=1,unshipped=1)'::odr_summary,
          '+: the empty summary is neutral');
SELECT throws_ok($$SELECT '(orders=2,defective=1,unshipped=1)'::odr_summary - '(orders=3)'::odr_summary$$, '22003',
                 'odr_summary subtraction would leave orders negative', '-: taking away more orders than there are is 22003');
SELECT throws_ok($$SELECT '(orders=2,defective=1,unshipped=1)'::odr_summary - '(orders=1,defective=1,arbitration=1)'::odr_summary$$, '22003',
                 'odr_summary subtraction would leave arbitration negative', '-: taking away a reason the left side does not have is 22003');
SELECT throws_ok($$SELECT '(orders=2,defective=2,unshipped=1,arbitration=1)'::odr_summary - '(orders=1,defective=1,unshipped=1,arbitration=1)'::odr_summary$$,
                 '22023', 'odr_summary subtraction leaves an inconsistent summary',
                 '-: a right side that is not part of the left (counts stay >= 0 but contradict each other) is 22023');
SELECT throws_ok($$SELECT '(orders=9223372036854775807)'::odr_summary + '(orders=1)'::odr_summary$$, '22003',
                 'odr_summary count orders is out of range', '+: overflow of a count is 22003, not a wrap-around');

-- ---------------------------------------------------------------------
-- jsonb
-- ---------------------------------------------------------------------
SELECT is(ARRAY(SELECT jsonb_object_keys(s::jsonb) ORDER BY 1),
          ARRAY['defective','dsr','odr','orders','positive','positive_feedback_rate','rated','reasons','seller_responsible','seller_responsible_arbitration_rate'],
          'jsonb: the top-level keys') FROM tap_s;
SELECT is(ARRAY(SELECT jsonb_object_keys(s::jsonb -> 'reasons') ORDER BY 1),
          ARRAY['arbitration','dispute_timeout','dsr_communication','dsr_item','dsr_shipping','negative_feedback','unshipped'],
          'jsonb: one key per reason') FROM tap_s;
SELECT is(s::jsonb -> 'reasons', '{"negative_feedback": 2, "dsr_item": 1, "dsr_communication": 1, "dsr_shipping": 1, "unshipped": 1, "arbitration": 2, "dispute_timeout": 1}'::jsonb,
          'jsonb: the reason counts') FROM tap_s;
SELECT is(jsonb_build_array(s::jsonb -> 'orders', s::jsonb -> 'defective', s::jsonb -> 'seller_responsible', s::jsonb -> 'rated', s::jsonb -> 'positive'),
          '[9, 6, 1, 4, 2]'::jsonb, 'jsonb: orders, defective, seller_responsible, rated, positive') FROM tap_s;
SELECT is((s::jsonb ->> 'odr')::float8, 6::float8 / 9, 'jsonb: odr reads back to the same double') FROM tap_s;
SELECT is((s::jsonb ->> 'seller_responsible_arbitration_rate')::float8, 1::float8 / 9, 'jsonb: seller_responsible_arbitration_rate') FROM tap_s;
SELECT is(s::jsonb -> 'positive_feedback_rate', '0.5'::jsonb, 'jsonb: positive_feedback_rate') FROM tap_s;
SELECT is(s::jsonb #> '{dsr,item}', '{"sum": 8, "ratings": 2, "average": 4}'::jsonb, 'jsonb: dsr item sum, ratings, average') FROM tap_s;
SELECT is((s::jsonb #>> '{dsr,communication,average}')::float8, 11::float8 / 3, 'jsonb: dsr communication average') FROM tap_s;
SELECT is(s::jsonb #> '{dsr,shipping,ratings}', '3'::jsonb, 'jsonb: dsr shipping ratings') FROM tap_s;
SELECT is('()'::odr_summary::jsonb,
          '{"orders": 0, "defective": 0, "odr": null, "reasons": {"negative_feedback": 0, "dsr_item": 0, "dsr_communication": 0, "dsr_shipping": 0, "unshipped": 0, "arbitration": 0, "dispute_timeout": 0}, "seller_responsible": 0, "seller_responsible_arbitration_rate": null, "rated": 0, "positive": 0, "positive_feedback_rate": null, "dsr": {"item": {"sum": 0, "ratings": 0, "average": null}, "communication": {"sum": 0, "ratings": 0, "average": null}, "shipping": {"sum": 0, "ratings": 0, "average": null}}}'::jsonb,
          'jsonb of the empty summary: zero counts, JSON null rates (A15)');

-- ---------------------------------------------------------------------
-- text round trips
-- ---------------------------------------------------------------------
SELECT is(s::text::odr_summary, s, 'odr_summary: s::text::odr_summary = s') FROM tap_s;
SELECT is(s::text::odr_summary, s, 'odr_summary: text round trip of every per-day summary') FROM tap_daily;
SELECT is(' ( orders = 3 , unshipped=1, defective=1 ) '::odr_summary, '(orders=3,defective=1,unshipped=1)'::odr_summary,
          'odr_summary text input: any order of counts, spaces allowed');
SELECT throws_ok($$SELECT '(orders=5,defective=6,unshipped=6)'::odr_summary$$, '22P02', NULL, 'odr_summary text input: defective > orders is rejected (22P02)');
SELECT throws_ok($$SELECT '(orders=5,defective=2,unshipped=1)'::odr_summary$$, '22P02', NULL, 'odr_summary text input: more defective orders than the reasons allow is rejected');
SELECT throws_ok($$SELECT '(orders=-1)'::odr_summary$$, '22003', NULL, 'odr_summary text input: a negative count is 22003');

SELECT is(d::text::odr_defects, d, 'odr_defects text round trip: ' || d::text)
FROM (VALUES (odr_classify(feedback_stars => 3)),
             (odr_classify(dsr_item => 2)),
             (odr_classify(dsr_communication => 1)),
             (odr_classify(dsr_shipping => 1)),
             (odr_classify(unshipped => true)),
             (odr_classify(arbitration => true)),
             (odr_classify(dispute_timeout => true)),
             (odr_classify(arbitration => true, arbitration_seller_responsible => true, feedback_stars => 5, order_amount_usd => 1)),
             (odr_classify(feedback_stars => 4, dsr_item => 5, dsr_communication => 4, dsr_shipping => 2)),
             (odr_classify(1, 1, 1, 1, true, true, true, false, true, 0.5))) AS v(d);
SELECT is(odr_classify(1, 1, 1, 1, true, true, true, false, true, 0.5)::text,
          '{negative_feedback,dsr_item,dsr_communication,dsr_shipping,unshipped,arbitration,dispute_timeout} feedback=1 item=1 communication=1 shipping=1 under_5_usd seller_responsible',
          'odr_defects text form: every reason and every fact, in canonical order');
SELECT is('{dispute_timeout, arbitration,negative_feedback}  seller_responsible feedback=2'::odr_defects::text,
          '{negative_feedback,arbitration,dispute_timeout} feedback=2 seller_responsible',
          'odr_defects text input in any order comes out in canonical order');
SELECT throws_ok($$SELECT '{negative_feedback} feedback=6'::odr_defects$$, '22003', NULL, 'A14: odr_defects text input with feedback=6 is 22003');
SELECT throws_ok($$SELECT '{} shipping=0'::odr_defects$$, '22003', NULL, 'A14: odr_defects text input with shipping=0 is 22003');
SELECT throws_ok($$SELECT '{} feedback=3'::odr_defects$$, '22P02', NULL, 'A5: odr_defects text with feedback=3 but no negative_feedback is rejected');
SELECT throws_ok($$SELECT '{} seller_responsible'::odr_defects$$, '22P02', NULL, 'A16: odr_defects text with seller_responsible but no arbitration is rejected');

SELECT * FROM finish();
ROLLBACK;
