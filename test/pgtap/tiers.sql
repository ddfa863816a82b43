\set ON_ERROR_STOP 1
\set QUIET 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS odr;
BEGIN;
SELECT plan(102);

-- Tiers and policies (A4, A17, A18): odr_tier, odr_to_next_tier,
-- odr_scorecard, odr_policy and odr_policy_condition, odr.default_policy.
RESET odr.default_policy;

-- ---------------------------------------------------------------------
-- A4: minimum volume
-- ---------------------------------------------------------------------
SELECT is(odr_tier('(orders=89)'::odr_summary), 'unassessed'::odr_tier, 'A4: 89 orders are not assessed');
SELECT is(odr_tier('(orders=90)'::odr_summary), 'excellent'::odr_tier, 'A4: 90 orders are assessed (boundary)');
SELECT is(odr_tier('(orders=89,defective=40,unshipped=40)'::odr_summary), 'unassessed'::odr_tier, 'A4: 89 orders with a 45% ODR are unassessed, not fail');
SELECT is(odr_tier('(orders=90,defective=40,unshipped=40)'::odr_summary), 'fail'::odr_tier, 'A4: 90 orders with a 44% ODR are assessed and fail');
SELECT is(odr_tier('()'::odr_summary), 'unassessed'::odr_tier, 'A4, A15: no orders at all is unassessed (not NULL)');
SELECT is(odr_tier(odr_agg(d)), 'unassessed'::odr_tier, 'A4: odr_agg over no rows grades as unassessed')
FROM (SELECT NULL::odr_defects AS d WHERE false) x;
SELECT is(odr_tier(odr_agg(odr_classify())), 'excellent'::odr_tier, 'A4: 90 clean orders from odr_agg are excellent')
FROM generate_series(1, 90);
SELECT is(odr_tier(odr_agg(odr_classify())), 'unassessed'::odr_tier, 'A4: 89 clean orders from odr_agg are unassessed')
FROM generate_series(1, 89);

-- ---------------------------------------------------------------------
-- A17: cut-offs, a rate exactly on one falls in the worse tier
-- ---------------------------------------------------------------------
SELECT is(odr_tier('(orders=100)'::odr_summary), 'excellent'::odr_tier, 'A17: 0% is excellent');
SELECT is(odr_tier('(orders=100,defective=2,unshipped=2)'::odr_summary), 'excellent'::odr_tier, 'A17: 2/100 = 2% is excellent');
SELECT is(odr_tier('(orders=100,defective=3,unshipped=3)'::odr_summary), 'good'::odr_tier, 'A17: 3/100 = 3.00% is good, not excellent (on the cut-off)');
SELECT is(odr_tier('(orders=100,defective=5,unshipped=5)'::odr_summary), 'good'::odr_tier, 'A17: 5% is good');
SELECT is(odr_tier('(orders=100,defective=6,unshipped=6)'::odr_summary), 'pass'::odr_tier, 'A17: 6/100 = 6% is pass, not good (on the cut-off)');
SELECT is(odr_tier('(orders=100,defective=11,unshipped=11)'::odr_summary), 'pass'::odr_tier, 'A17: 11% is pass');
SELECT is(odr_tier('(orders=100,defective=12,unshipped=12)'::odr_summary), 'fail'::odr_tier, 'A17: 12/100 = 12% is fail (on the cut-off)');
SELECT is(odr_tier('(orders=100,defective=100,unshipped=100)'::odr_summary), 'fail'::odr_tier, 'A17: 100% is fail');
SELECT is(odr_tier('(orders=200,defective=5,unshipped=5)'::odr_summary), 'excellent'::odr_tier, 'A17: 5/200 = 2.5% is excellent');
SELECT is(odr_tier('(orders=200,defective=6,unshipped=6)'::odr_summary), 'good'::odr_tier, 'A17: 6/200 = 3% is good');
SELECT is(odr_tier('(orders=300,defective=18,unshipped=18)'::odr_summary), 'pass'::odr_tier, 'A17: 18/300 = 6% is pass');
SELECT is(odr_tier('(orders=300,defective=35,unshipped=35)'::odr_summary), 'pass'::odr_tier, 'A17: 35/300 = 11.67% is pass');
SELECT is(odr_tier('(orders=300,defective=36,unshipped=36)'::odr_summary), 'fail'::odr_tier, 'A17: 36/300 = 12% is fail');
SELECT is(odr_tier('(orders=100,defective=3,negative_feedback=3,dsr_item=3,unshipped=3)'::odr_summary), 'good'::odr_tier,
          'A12, A17: the tier follows defective orders, not the sum of the reasons (3 orders with 3 reasons each = 3%)');

-- explicit policy vs default
SELECT is(odr_default_policy(), 'aliexpress', 'odr.default_policy is aliexpress by default');
SELECT is(odr_tier('(orders=100,defective=3,unshipped=3)'::odr_summary, 'aliexpress'), 'good'::odr_tier, 'A17: explicit aliexpress policy: 3% is good');
SELECT is(odr_tier('(orders=100,defective=2,unshipped=2)'::odr_summary, 'aliexpress'), 'excellent'::odr_tier, 'A17: explicit aliexpress policy: 2% is excellent');
SELECT is(odr_tier('(orders=89)'::odr_summary, 'aliexpress'), 'unassessed'::odr_tier, 'A4: explicit aliexpress policy: 89 orders unassessed');
SELECT is((SELECT ARRAY[min_orders::float8, window_days, excellent_below, good_below, pass_below] FROM odr_policy WHERE name = 'aliexpress'),
          ARRAY[90, 90, 0.03, 0.06, 0.12]::float8[], 'A1, A4, A17: the built-in aliexpress policy holds the documented defaults');
SELECT is((SELECT count(*) FROM odr_policy_condition WHERE policy = 'aliexpress'), 0::bigint, 'A17: the default policy has no extra conditions');
SELECT throws_ok($$SELECT odr_tier('(orders=100)'::odr_summary::odr_summary, 'no_such_policy')$$, '22023', 'unknown policy "no_such_policy"', 'odr_tier: unknown policy is 22023');
SELECT throws_ok($$SELECT odr_to_next_tier('(orders=100)'::odr_summary, 'no_such_policy')$$, '22023', 'unknown policy "no_such_policy"', 'odr_to_next_tier: unknown policy is 22023');
SELECT throws_ok($$SELECT * FROM odr_scorecard('(orders=100)'::odr_summary, 'no_such_policy')$$, '22023', 'unknown policy "no_such_policy"', 'odr_scorecard: unknown policy is 22023');

-- ---------------------------------------------------------------------
-- user policies
-- ---------------------------------------------------------------------
INSERT INTO odr_policy (name, description, min_orders, excellent_below, good_below, pass_below)
VALUES ('tap_strict', 'test: 1% / 2% / 5%, 50 orders', 50, 0.01, 0.02, 0.05);
SELECT is(odr_tier('(orders=50)'::odr_summary, 'tap_strict'), 'excellent'::odr_tier, 'A4: a user policy with min_orders 50 assesses 50 orders');
SELECT is(odr_tier('(orders=49)'::odr_summary, 'tap_strict'), 'unassessed'::odr_tier, 'A4: ... but not 49');
SELECT is(odr_tier('(orders=50)'::odr_summary, 'aliexpress'), 'unassessed'::odr_tier, 'A4: the same 50 orders are unassessed under aliexpress');
SELECT is(odr_tier('(orders=100,defective=1,unshipped=1)'::odr_summary, 'tap_strict'), 'good'::odr_tier, 'A17: user policy: 1% on its excellent cut-off is good');
SELECT is(odr_tier('(orders=200,defective=1,unshipped=1)'::odr_summary, 'tap_strict'), 'excellent'::odr_tier, 'A17: user policy: 0.5% is excellent');
SELECT is(odr_tier('(orders=100,defective=2,unshipped=2)'::odr_summary, 'tap_strict'), 'pass'::odr_tier, 'A17: user policy: 2% on its good cut-off is pass');
SELECT is(odr_tier('(orders=100,defective=4,unshipped=4)'::odr_summary, 'tap_strict'), 'pass'::odr_tier, 'A17: user policy: 4% is pass');
SELECT is(odr_tier('(orders=100,defective=5,unshipped=5)'::odr_summary, 'tap_strict'), 'fail'::odr_tier, 'A17: user policy: 5% on its pass cut-off is fail');
UPDATE odr_policy SET excellent_below = 0.015 WHERE name = 'tap_strict';
SELECT is(odr_tier('(orders=100,defective=1,unshipped=1)'::odr_summary, 'tap_strict'), 'excellent'::odr_tier, 'A17: a user policy can be changed, and the change is used');

-- a change of a policy is seen by the next statement, also when odr_tier is
-- called from a PL/pgSQL function (whose simple expressions keep their state
-- for the whole transaction): STABLE promises stability within one statement
-- only
INSERT INTO odr_policy (name, excellent_below, good_below, pass_below) VALUES ('tap_live', 0.03, 0.06, 0.12);
CREATE FUNCTION pg_temp.tap_tier_of(s odr_summary) RETURNS odr_tier LANGUAGE plpgsql AS $$ BEGIN RETURN odr_tier(s, 'tap_live'); END $$;
SELECT is(pg_temp.tap_tier_of('(orders=100,defective=2,unshipped=2)'), 'excellent'::odr_tier, 'A17: through PL/pgSQL, 2% is excellent under tap_live (3% cut-off)');
UPDATE odr_policy SET excellent_below = 0.01 WHERE name = 'tap_live';
SELECT is(odr_tier('(orders=100,defective=2,unshipped=2)'::odr_summary, 'tap_live'), 'good'::odr_tier, 'A17: after lowering the cut-off to 1%, 2% is good');
SELECT is(pg_temp.tap_tier_of('(orders=100,defective=2,unshipped=2)'), 'good'::odr_tier,
          'A17: ... also through the same PL/pgSQL function in the same transaction (no stale policy)');

-- SET odr.default_policy
SET odr.default_policy = 'tap_strict';
SELECT is(odr_default_policy(), 'tap_strict', 'SET odr.default_policy changes odr_default_policy()');
SELECT is(odr_tier('(orders=100,defective=2,unshipped=2)'::odr_summary), 'pass'::odr_tier, 'SET odr.default_policy: odr_tier(s) follows it (2% is pass under tap_strict)');
SELECT is(odr_tier('(orders=60)'::odr_summary), 'excellent'::odr_tier, 'SET odr.default_policy: its min_orders applies (60 orders assessed)');
SELECT is(odr_tier('(orders=100,defective=2,unshipped=2)'::odr_summary, 'aliexpress'), 'excellent'::odr_tier, 'an explicit policy still wins over the default');
SELECT is(odr_to_next_tier('(orders=100,defective=3,unshipped=3)'), '(good,51,2)'::odr_next_tier,
          'A18 under the default tap_strict: 3/100 (pass) needs 51 more orders (3/151 < 2%) or 2 fewer defects');
SELECT is((SELECT policy_name || ':' || tier FROM odr_scorecard('(orders=100,defective=2,unshipped=2)')), 'tap_strict:pass',
          'odr_scorecard with no policy uses odr.default_policy');
RESET odr.default_policy;
SELECT is(odr_tier('(orders=100,defective=2,unshipped=2)'::odr_summary), 'excellent'::odr_tier, 'RESET odr.default_policy: back to aliexpress');
SELECT throws_ok($$SET odr.default_policy = ''$$, '22023', NULL, 'odr.default_policy cannot be empty');
SET odr.default_policy = 'tap_nowhere';
SELECT throws_ok($$SELECT odr_tier('(orders=100)'::odr_summary::odr_summary)$$, '22023', 'unknown policy "tap_nowhere"',
                 'a default policy that is not in odr_policy is 22023 when used');
RESET odr.default_policy;

-- ---------------------------------------------------------------------
-- conditions (A16, A17)
-- ---------------------------------------------------------------------
INSERT INTO odr_policy (name, excellent_below, good_below, pass_below) VALUES ('tap_capped', 0.03, 0.06, 0.12);
INSERT INTO odr_policy_condition (policy, tier, metric, bound, value)
VALUES ('tap_capped', 'excellent', 'seller_responsible_arbitration_rate', 'max', 0.005);
SELECT is(odr_tier('(orders=200,defective=2,arbitration=2,seller_responsible=2)'::odr_summary, 'aliexpress'), 'excellent'::odr_tier,
          'A17: 1% ODR with a 1% seller-responsible arbitration rate is excellent under aliexpress (no conditions)');
SELECT is(odr_tier('(orders=200,defective=2,arbitration=2,seller_responsible=2)'::odr_summary, 'tap_capped'), 'good'::odr_tier,
          'A17: ... and demoted to good by the condition excellent: seller_responsible_arbitration_rate <= 0.5%');
SELECT is(odr_tier('(orders=200,defective=2,arbitration=2,seller_responsible=1)'::odr_summary, 'tap_capped'), 'excellent'::odr_tier,
          'A17: a rate exactly on a max condition meets it (1/200 = 0.5% <= 0.5%)');
SELECT is(odr_tier('(orders=200,defective=8,arbitration=8,seller_responsible=8)'::odr_summary, 'tap_capped'), 'good'::odr_tier,
          'A17: the excellent condition does not guard good (4% ODR, 4% arbitration rate: good)');
SELECT is((odr_to_next_tier('(orders=200,defective=2,arbitration=2,seller_responsible=2)', 'tap_capped')).next_tier, 'excellent'::odr_tier,
          'A18: a seller demoted to good by a condition has excellent as its next tier');
SELECT is((odr_to_next_tier('(orders=200,defective=2,arbitration=2,seller_responsible=2)', 'tap_capped')).more_orders, 200::bigint,
          'A18: ... 200 more clean orders bring the arbitration rate to 2/400 = 0.5%');
SELECT is((odr_to_next_tier('(orders=200,defective=2,arbitration=2,seller_responsible=2)', 'tap_capped')).fewer_defects, 1::bigint,
          'A18: ... or 1 of its 2 seller-responsible arbitrations had to be defect-free (1/200 = 0.5%): not NULL, since some number does lift it');
INSERT INTO odr_policy (name, excellent_below, good_below, pass_below) VALUES ('tap_liked', 0.03, 0.06, 0.12);
INSERT INTO odr_policy_condition (policy, tier, metric, bound, value) VALUES ('tap_liked', 'pass', 'positive_feedback_rate', 'min', 0.8);
SELECT is(odr_tier('(orders=100,defective=1,negative_feedback=1,rated=10,positive=5)'::odr_summary, 'tap_liked'), 'fail'::odr_tier,
          'A17: a min condition on pass guards every tier from pass up (50% positive < 80%: fail despite a 1% ODR)');
SELECT is(odr_tier('(orders=100,defective=1,negative_feedback=1,rated=10,positive=8)'::odr_summary, 'tap_liked'), 'excellent'::odr_tier,
          'A17: a rate exactly on a min condition meets it (80% >= 80%)');
SELECT is(odr_tier('(orders=100,defective=1,unshipped=1)'::odr_summary, 'tap_liked'), 'excellent'::odr_tier,
          'A17: an undefined metric (no counted rating) does not block');
SELECT is(odr_tier('(orders=89,rated=10,positive=0)'::odr_summary, 'tap_liked'), 'unassessed'::odr_tier,
          'A4: below the minimum volume a seller is unassessed whatever the conditions');
SELECT throws_ok($$INSERT INTO odr_policy_condition (policy, tier, metric, bound, value) VALUES ('tap_liked', 'fail', 'odr', 'max', 0.5)$$,
                 '23514', NULL, 'a condition cannot guard fail');
SELECT throws_ok($$INSERT INTO odr_policy_condition (policy, tier, metric, bound, value) VALUES ('tap_liked', 'good', 'speed', 'max', 0.5)$$,
                 '23514', NULL, 'a condition needs a known metric');
SELECT throws_ok($$INSERT INTO odr_policy_condition (policy, tier, metric, bound, value) VALUES ('tap_liked', 'good', 'odr', 'max', 'Infinity')$$,
                 '23514', NULL, 'a condition value must be finite');
SELECT throws_ok($$INSERT INTO odr_policy_condition (policy, tier, metric, bound, value) VALUES ('tap_missing', 'good', 'odr', 'max', 0.5)$$,
                 '23503', NULL, 'a condition needs an existing policy');

-- ---------------------------------------------------------------------
-- built-in policies are read-only; cut-offs are checked
-- ---------------------------------------------------------------------
SELECT throws_ok($$UPDATE odr_policy SET pass_below = 0.5 WHERE name = 'aliexpress'$$, '55000',
                 'built-in policy "aliexpress" cannot be changed', 'UPDATE of the built-in policy is 55000');
SELECT throws_ok($$DELETE FROM odr_policy WHERE name = 'aliexpress'$$, '55000',
                 'built-in policy "aliexpress" cannot be changed', 'DELETE of the built-in policy is 55000');
SELECT throws_ok($$INSERT INTO odr_policy (name, excellent_below, good_below, pass_below, builtin) VALUES ('tap_fake', 0.03, 0.06, 0.12, true)$$,
                 '55000', NULL, 'a user policy cannot be marked built-in');
SELECT throws_ok($$INSERT INTO odr_policy_condition (policy, tier, metric, bound, value) VALUES ('aliexpress', 'excellent', 'odr', 'max', 0.01)$$,
                 '55000', 'conditions of a built-in policy cannot be changed', 'the built-in policy cannot get conditions');
SELECT is((SELECT ARRAY[excellent_below, good_below, pass_below] FROM odr_policy WHERE name = 'aliexpress'), ARRAY[0.03, 0.06, 0.12]::float8[],
          'the built-in policy is unchanged after the rejected writes');
SELECT throws_ok($$INSERT INTO odr_policy (name, excellent_below, good_below, pass_below) VALUES ('tap_bad', 0.05, 0.04, 0.10)$$,
                 '23514', NULL, 'A17: good_below < excellent_below is rejected by the CHECK');
SELECT throws_ok($$INSERT INTO odr_policy (name, excellent_below, good_below, pass_below) VALUES ('tap_bad', 0.03, 0.13, 0.12)$$,
                 '23514', NULL, 'A17: pass_below < good_below is rejected');
SELECT throws_ok($$INSERT INTO odr_policy (name, excellent_below, good_below, pass_below) VALUES ('tap_bad', 0.03, 0.06, 1.5)$$,
                 '23514', NULL, 'A17: a cut-off above 100% is rejected');
SELECT throws_ok($$INSERT INTO odr_policy (name, excellent_below, good_below, pass_below) VALUES ('tap_bad', -0.01, 0.06, 0.12)$$,
                 '23514', NULL, 'A17: a negative cut-off is rejected');
SELECT throws_ok($$INSERT INTO odr_policy (name, min_orders, excellent_below, good_below, pass_below) VALUES ('tap_bad', -1, 0.03, 0.06, 0.12)$$,
                 '23514', NULL, 'A4: a negative min_orders is rejected');
SELECT throws_ok($$UPDATE odr_policy SET good_below = 0.001 WHERE name = 'tap_strict'$$,
                 '23514', NULL, 'A17: an UPDATE that disorders the cut-offs of a user policy is rejected');

-- ---------------------------------------------------------------------
-- A18: distance to the next tier (aliexpress)
-- ---------------------------------------------------------------------
SELECT is(odr_to_next_tier('(orders=100,defective=3,unshipped=3)'), '(excellent,1,1)'::odr_next_tier,
          'A18: 3/100 (good): next excellent, 1 more clean order (3/101 < 3%) or 1 fewer defect');
SELECT is(odr_to_next_tier('(orders=100,defective=3,unshipped=3)', 'aliexpress'), '(excellent,1,1)'::odr_next_tier,
          'A18: the same with the policy named');
SELECT is(odr_to_next_tier('(orders=200,defective=10,unshipped=10)'), '(excellent,134,5)'::odr_next_tier,
          'A18: 10/200 (good): 134 more orders (10/334 < 3% <= 10/333) or 5 fewer defects (5/200)');
SELECT is(odr_to_next_tier('(orders=100,defective=8,unshipped=8)'), '(good,34,3)'::odr_next_tier,
          'A18: 8/100 (pass): 34 more orders (8/134 < 6% <= 8/133) or 3 fewer defects (5/100)');
SELECT is(odr_to_next_tier('(orders=100,defective=20,unshipped=20)'), '(pass,67,9)'::odr_next_tier,
          'A18: 20/100 (fail): 67 more orders (20/167 < 12% <= 20/166) or 9 fewer defects (11/100)');
SELECT is(odr_to_next_tier('(orders=100,defective=12,unshipped=12)'), '(pass,1,1)'::odr_next_tier,
          'A18: exactly 12% (fail): 1 more order or 1 fewer defect');
SELECT is(odr_to_next_tier('(orders=100,defective=2,unshipped=2)'), NULL::odr_next_tier, 'A18: nothing above excellent (NULL)');
SELECT is(odr_to_next_tier('(orders=90)'), NULL::odr_next_tier, 'A18: 90 clean orders are excellent: NULL');
SELECT is(odr_to_next_tier('(orders=50)'), '(fail,40,)'::odr_next_tier, 'A18: 50 orders (unassessed): 90 - 50 = 40 more orders, no number of fewer defects');
SELECT is(odr_to_next_tier('(orders=89,defective=9,unshipped=9)'), '(fail,1,)'::odr_next_tier, 'A18: 89 orders: 1 more order to be assessed');
SELECT is(odr_to_next_tier('()'), '(fail,90,)'::odr_next_tier, 'A18: no orders: 90 more orders');
-- the distances are the least that work: one fewer does not
SELECT is(ARRAY[odr_tier('(orders=334,defective=10,unshipped=10)'::odr_summary), odr_tier('(orders=333,defective=10,unshipped=10)'::odr_summary),
                odr_tier('(orders=200,defective=5,unshipped=5)'::odr_summary), odr_tier('(orders=200,defective=6,unshipped=6)'::odr_summary)],
          ARRAY['excellent', 'good', 'excellent', 'good']::odr_tier[], 'A18: 134 more orders / 5 fewer defects are the least that reach excellent');

-- ---------------------------------------------------------------------
-- odr_scorecard: plain columns of standard types
-- ---------------------------------------------------------------------
CREATE TEMP TABLE tap_card AS
SELECT * FROM odr_scorecard('(orders=100,defective=3,negative_feedback=1,unshipped=2,arbitration=1,seller_responsible=1,rated=4,positive=3,dsr_item_sum=9,dsr_item_ratings=2)');
SELECT columns_are('tap_card', ARRAY['orders','defective','odr','tier','next_tier','more_orders_to_next','fewer_defects_to_next',
	'negative_feedback','dsr_item','dsr_communication','dsr_shipping','unshipped','arbitration','dispute_timeout',
	'seller_responsible_arbitration_rate','positive_feedback_rate','dsr_item_avg','dsr_communication_avg','dsr_shipping_avg','policy_name'],
	'odr_scorecard: its columns');
SELECT is(ARRAY(SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
                WHERE a.attrelid = 'tap_card'::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum),
          ARRAY['bigint','bigint','double precision','text','text','bigint','bigint',
                'bigint','bigint','bigint','bigint','bigint','bigint','bigint',
                'double precision','double precision','double precision','double precision','double precision','text'],
          'odr_scorecard: every column, in order, has its standard type');
SELECT is((SELECT count(*) FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
           WHERE a.attrelid = 'tap_card'::regclass AND a.attnum > 0
             AND t.typnamespace <> 'pg_catalog'::regnamespace), 0::bigint,
          'odr_scorecard: no column has a type of odr (BI tools see only standard types)');
SELECT is((SELECT count(*) FROM unnest((SELECT proallargtypes FROM pg_proc WHERE oid = 'odr_scorecard(odr_summary,text)'::regprocedure),
                                       (SELECT proargmodes FROM pg_proc WHERE oid = 'odr_scorecard(odr_summary,text)'::regprocedure)) AS x(t, m)
           WHERE m = 'o' AND t NOT IN ('bigint'::regtype, 'double precision'::regtype, 'text'::regtype)), 0::bigint,
          'odr_scorecard: pg_proc lists only bigint, double precision and text OUT parameters');
SELECT col_type_is('tap_card', 'tier', 'text', 'odr_scorecard: tier is text, not the odr_tier enum');
SELECT is((SELECT ROW(orders, defective, odr, tier, next_tier, more_orders_to_next, fewer_defects_to_next)::text FROM tap_card),
          '(100,3,0.03,good,excellent,1,1)', 'odr_scorecard: orders, defective, odr, tier, next tier and distances');
SELECT is((SELECT ARRAY[negative_feedback, dsr_item, dsr_communication, dsr_shipping, unshipped, arbitration, dispute_timeout] FROM tap_card),
          ARRAY[1, 0, 0, 0, 2, 1, 0]::bigint[], 'odr_scorecard: the count of every reason');
SELECT is((SELECT ARRAY[seller_responsible_arbitration_rate, positive_feedback_rate, dsr_item_avg] FROM tap_card),
          ARRAY[0.01, 0.75, 4.5]::float8[], 'odr_scorecard: companion metrics (1/100, 3/4, 9/2)');
SELECT is((SELECT ROW(dsr_communication_avg, dsr_shipping_avg, policy_name)::text FROM tap_card), '(,,aliexpress)',
          'odr_scorecard: undefined averages are NULL; the policy used is aliexpress');
SELECT is((SELECT ROW(tier, next_tier, more_orders_to_next, fewer_defects_to_next, policy_name)::text
           FROM odr_scorecard('(orders=100,defective=3,unshipped=3)', 'tap_capped')),
          '(good,excellent,1,1,tap_capped)', 'odr_scorecard with a named policy reports it');
SELECT is((SELECT ROW(tier, next_tier, more_orders_to_next, fewer_defects_to_next)::text FROM odr_scorecard('(orders=100,defective=2,unshipped=2)')),
          '(excellent,,,)', 'odr_scorecard at excellent: no next tier, no distances');
SELECT is((SELECT ROW(orders, odr, tier, next_tier, more_orders_to_next, fewer_defects_to_next)::text FROM odr_scorecard('()')),
          '(0,,unassessed,fail,90,)', 'odr_scorecard of no orders: odr NULL (A15), unassessed (A4), 90 orders to go');

SELECT * FROM finish();
ROLLBACK;
