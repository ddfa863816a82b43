\set ON_ERROR_STOP 1
\set QUIET 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS odr;
BEGIN;
SELECT plan(20);

-- the API (S1, S2, S8)
SELECT has_function('odr_peer_score', ARRAY['text', 'double precision'], 'odr_peer_score(indicator, value) exists');
SELECT is((SELECT prokind FROM pg_proc WHERE oid = 'odr_peer_score(text, double precision)'::regprocedure), 'w',
          'odr_peer_score is a window function');
SELECT function_returns('odr_star_composite', 'double precision', 'odr_star_composite returns a plain number');
SELECT function_returns('odr_stars', 'numeric', 'odr_stars returns a plain number');
SELECT function_returns('odr_star_weak_spots', 'text[]', 'odr_star_weak_spots returns the indicator names');
SELECT is((SELECT count(*)::int FROM unnest(string_to_array(
              regexp_replace(pg_get_function_result('odr_star_scorecard(regclass, text)'::regprocedure), '^TABLE\((.*)\)$', '\1'), ', ')) AS c
           WHERE c !~ ' (text|double precision|numeric)$'), 0,
          'odr_star_scorecard returns only text, double precision and numeric columns (BI)');
SELECT results_eq($$SELECT name, w_on_time_rate, w_response_rate, w_quality_refund_rate, w_refund_hours, w_dispute_rate, weak_below, window_days
                    FROM odr_star_policy WHERE builtin$$,
                  $$VALUES ('1688'::text, 0.35::float8, 0.20::float8, 0.15::float8, 0.15::float8, 0.15::float8, 4::float8, 30)$$,
                  'S8, S9: the built-in 1688 policy has the default weights, weak spots below 4 and a 30-day window');
SELECT results_eq($$SELECT stars, min_composite FROM odr_star_level WHERE policy = '1688' ORDER BY stars$$,
                  $$VALUES (3.0::numeric, '-Infinity'::float8), (3.5, 3.5), (4.0, 4.0), (4.5, 4.5), (5.0, 5.0)$$,
                  'S1, S8: 1688 levels: the composite rounded down to the half star, 3 to 5');

-- S2 properties on generated peer groups: scores lie in 0..5, the best of a
-- group scores 5 and the worst 0, lower-is-better indicators reverse the order
CREATE TEMP TABLE g AS
SELECT i % 7 AS grp, (hashint4(i) & 1023) / 1023.0 AS v FROM generate_series(1, 700) i;
SELECT ok((SELECT bool_and(s BETWEEN 0 AND 5) FROM (SELECT odr_peer_score('on_time_rate', v) OVER (PARTITION BY grp) AS s FROM g) x),
          'S2: every score lies between 0 and 5');
SELECT ok((SELECT bool_and(s = 5) AND count(*) > 0
           FROM (SELECT v, max(v) OVER (PARTITION BY grp) AS top, count(*) OVER (PARTITION BY grp, v) AS same,
                        odr_peer_score('response_rate', v) OVER (PARTITION BY grp) AS s FROM g) x
           WHERE v = top AND same = 1),
          'S2: a group''s single best value scores 5 (higher is better)');
SELECT ok((SELECT bool_and(abs(a.s + b.s - 5) < 1e-9) FROM
             (SELECT grp, v, count(*) OVER (PARTITION BY grp, v) AS same,
                     odr_peer_score('on_time_rate', v) OVER (PARTITION BY grp) AS s FROM g) a
             JOIN (SELECT grp, v, odr_peer_score('dispute_rate', v) OVER (PARTITION BY grp) AS s FROM g) b USING (grp, v)
           WHERE a.same = 1),
          'S2: for an untied value, a lower-is-better indicator gives 5 minus the higher-is-better score');
SELECT is((SELECT array_agg(DISTINCT s) FROM (SELECT odr_peer_score('refund_hours', v) OVER (PARTITION BY grp) AS s
                                              FROM (SELECT grp, 1.0::float8 AS v FROM g) t) x),
          ARRAY[5::float8], 'S2: when every peer ties, nobody does better: 5 each');

-- policies: readable by all, writable by the owner only, built-ins read-only
INSERT INTO odr_star_policy (name, w_on_time_rate, w_response_rate, w_quality_refund_rate, w_refund_hours, w_dispute_rate)
VALUES ('tap_mine', 0.2, 0.2, 0.2, 0.2, 0.2);
INSERT INTO odr_star_level (policy, stars, min_composite) VALUES ('tap_mine', 1, '-Infinity'), ('tap_mine', 5, 4);
CREATE ROLE odr_tap_star_analyst;
SET LOCAL ROLE odr_tap_star_analyst;
SELECT is((SELECT count(*)::int FROM odr_star_policy WHERE name IN ('1688', 'tap_mine')), 2, 'an unprivileged role can read the star policies');
SELECT is(odr_stars(4.2, 'tap_mine'), 5.0, 'an unprivileged role can use a user star policy');
SELECT throws_ok($$INSERT INTO odr_star_policy (name, w_on_time_rate, w_response_rate, w_quality_refund_rate, w_refund_hours, w_dispute_rate) VALUES ('x', 1, 0, 0, 0, 0)$$,
                 '42501', NULL, 'an unprivileged role cannot add a star policy (42501)');
SELECT throws_ok($$UPDATE odr_star_level SET min_composite = 0 WHERE policy = 'tap_mine'$$, '42501', NULL,
                 'an unprivileged role cannot change star levels (42501)');
SELECT throws_ok($$DELETE FROM odr_star_policy WHERE name = 'tap_mine'$$, '42501', NULL,
                 'an unprivileged role cannot delete a star policy (42501)');
RESET ROLE;
SELECT throws_ok($$UPDATE odr_star_policy SET weak_below = 3 WHERE name = '1688'$$, '55000', NULL,
                 'even the owner cannot change the built-in star policy (55000)');
SELECT throws_ok($$TRUNCATE odr_star_policy CASCADE$$, '55000', NULL,
                 'nor TRUNCATE the star policies (55000)');
SELECT is((SELECT min_composite FROM odr_star_level WHERE policy = 'tap_mine' AND stars = 5), 4::float8,
          'the rejected writes changed nothing');

SELECT * FROM finish();
ROLLBACK;
