\set ON_ERROR_STOP 1
\set QUIET 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS odr;
BEGIN;
SELECT plan(8);

CREATE ROLE odr_tap_analyst NOLOGIN;
SET LOCAL ROLE odr_tap_analyst;
SELECT is((SELECT count(*) FROM odr_policy WHERE name = 'aliexpress'), 1::bigint, 'anyone can read the policies');
SELECT is((SELECT count(*) FROM odr_policy_condition), 0::bigint, 'anyone can read the policy conditions');
SELECT throws_ok($$INSERT INTO odr_policy (name, excellent_below, good_below, pass_below) VALUES ('mine', 0.01, 0.02, 0.03)$$,
                 '42501', NULL, 'an unprivileged role cannot add a policy');
SELECT throws_ok($$UPDATE odr_policy SET pass_below = 0.5$$, '42501', NULL, 'an unprivileged role cannot change a policy');
SELECT throws_ok($$DELETE FROM odr_policy_condition$$, '42501', NULL, 'an unprivileged role cannot delete conditions');
SELECT is(odr_tier('(orders=100,defective=1,unshipped=1)'::odr_summary), 'excellent'::odr_tier, 'an unprivileged role can grade sellers');
RESET ROLE;
SELECT throws_ok($$UPDATE odr_policy SET pass_below = 0.5 WHERE name = 'aliexpress'$$, '55000',
                 'built-in policy "aliexpress" cannot be changed', 'even the owner cannot change a built-in policy');
SELECT lives_ok($$INSERT INTO odr_policy (name, excellent_below, good_below, pass_below) VALUES ('mine', 0.01, 0.02, 0.03)$$,
                'the owner adds a policy of its own');

SELECT * FROM finish();
ROLLBACK;
