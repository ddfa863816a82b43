\set ON_ERROR_STOP 1
\set QUIET 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS odr;
BEGIN;
SELECT plan(25);

-- An unprivileged role may read the policies and use every function, but
-- not change the policy tables (42501); even the owner cannot change a
-- built-in policy (55000).  The role exists only inside this transaction.
CREATE ROLE odr_tap_analyst NOLOGIN;
-- the owner adds a policy of its own first, so the role can be tested on it
SELECT lives_ok($$INSERT INTO odr_policy (name, excellent_below, good_below, pass_below) VALUES ('tap_mine', 0.01, 0.02, 0.03)$$,
                'the owner adds a policy of its own');
SELECT lives_ok($$INSERT INTO odr_policy_condition (policy, tier, metric, bound, value) VALUES ('tap_mine', 'excellent', 'orders', 'min', 200)$$,
                'the owner adds a condition to its policy');
SELECT table_privs_are('odr_policy', 'odr_tap_analyst', ARRAY['SELECT'], 'odr_policy: an unprivileged role has SELECT only');
SELECT table_privs_are('odr_policy_condition', 'odr_tap_analyst', ARRAY['SELECT'], 'odr_policy_condition: an unprivileged role has SELECT only');

SET LOCAL ROLE odr_tap_analyst;
SELECT is(current_user::text, 'odr_tap_analyst', 'running as the unprivileged role');
SELECT is((SELECT count(*) FROM odr_policy WHERE name IN ('aliexpress', 'tap_mine')), 2::bigint, 'an unprivileged role can SELECT odr_policy');
SELECT is((SELECT count(*) FROM odr_policy_condition WHERE policy = 'tap_mine'), 1::bigint, 'an unprivileged role can SELECT odr_policy_condition');
SELECT throws_ok($$INSERT INTO odr_policy (name, excellent_below, good_below, pass_below) VALUES ('tap_theirs', 0.01, 0.02, 0.03)$$,
                 '42501', NULL, 'an unprivileged role cannot INSERT into odr_policy (42501)');
SELECT throws_ok($$UPDATE odr_policy SET pass_below = 0.5$$, '42501', NULL, 'an unprivileged role cannot UPDATE odr_policy (42501)');
SELECT throws_ok($$UPDATE odr_policy SET pass_below = 0.5 WHERE name = 'tap_mine'$$, '42501', NULL,
                 'an unprivileged role cannot UPDATE a user policy either (42501)');
SELECT throws_ok($$DELETE FROM odr_policy WHERE name = 'tap_mine'$$, '42501', NULL, 'an unprivileged role cannot DELETE from odr_policy (42501)');
SELECT throws_ok($$TRUNCATE odr_policy_condition$$, '42501', NULL, 'an unprivileged role cannot TRUNCATE odr_policy_condition (42501)');
SELECT throws_ok($$INSERT INTO odr_policy_condition (policy, tier, metric, bound, value) VALUES ('tap_mine', 'good', 'odr', 'max', 0.5)$$,
                 '42501', NULL, 'an unprivileged role cannot INSERT into odr_policy_condition (42501)');
SELECT throws_ok($$UPDATE odr_policy_condition SET value = 0$$, '42501', NULL, 'an unprivileged role cannot UPDATE odr_policy_condition (42501)');
SELECT throws_ok($$DELETE FROM odr_policy_condition$$, '42501', NULL, 'an unprivileged role cannot DELETE from odr_policy_condition (42501)');
-- ... but can use every function
SELECT is(odr_tier(odr_agg(odr_classify(unshipped => i = 1))), 'excellent'::odr_tier, 'an unprivileged role can classify, aggregate and grade (1/100)')
FROM generate_series(1, 100) AS i;
SELECT is(odr_tier('(orders=100,defective=1,unshipped=1)'::odr_summary, 'tap_mine'), 'good'::odr_tier,
          'an unprivileged role can grade under a user policy (1% on its 1% cut-off: good)');
SELECT is(odr_tier('(orders=150)'::odr_summary, 'tap_mine'), 'good'::odr_tier,
          'an unprivileged role reads the condition of a user policy (150 clean orders < 200 orders: good, not excellent)');
SELECT is(odr_to_next_tier('(orders=100,defective=3,unshipped=3)'), '(excellent,1,1)'::odr_next_tier, 'an unprivileged role can ask for the distance to the next tier');
SELECT is((SELECT tier FROM odr_scorecard('(orders=100,defective=3,unshipped=3)')), 'good', 'an unprivileged role can read a scorecard');
SET LOCAL odr.default_policy = 'tap_mine';
SELECT is(odr_tier('(orders=200,defective=1,unshipped=1)'::odr_summary), 'excellent'::odr_tier, 'an unprivileged role can SET odr.default_policy and use it');
RESET odr.default_policy;
RESET ROLE;

SELECT is(current_user::text, session_user::text, 'back to the owner');
SELECT throws_ok($$UPDATE odr_policy SET pass_below = 0.5 WHERE name = 'aliexpress'$$, '55000',
                 'built-in policy "aliexpress" cannot be changed', 'even the owner cannot UPDATE a built-in policy (55000)');
SELECT throws_ok($$DELETE FROM odr_policy WHERE name = 'aliexpress'$$, '55000',
                 'built-in policy "aliexpress" cannot be changed', 'even the owner cannot DELETE a built-in policy (55000)');
SELECT is((SELECT pass_below FROM odr_policy WHERE name = 'tap_mine'), 0.03::float8, 'the rejected writes of the unprivileged role changed nothing');

SELECT * FROM finish();
ROLLBACK;
