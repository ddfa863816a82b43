-- Tiers under the default policy (A4, A17) and the distance to the next (A18)
SELECT name, min_orders, excellent_below, good_below, pass_below, builtin FROM odr_policy;
SELECT odr_default_policy();
-- summaries of N orders with D defects (one unshipped order per defect)
CREATE FUNCTION t_sum(n bigint, d bigint) RETURNS odr_summary
LANGUAGE sql IMMUTABLE
RETURN format('(orders=%s,defective=%s,unshipped=%s)', n, d, d)::odr_summary;
-- A4: fewer than 90 orders is unassessed, whatever the rate
SELECT n, d, odr_tier(t_sum(n, d)) FROM (VALUES (0, 0), (89, 0), (89, 50), (90, 0), (90, 50)) v(n, d);
-- A17: 100 orders; a rate exactly on a cut-off falls in the worse tier
SELECT d AS defects, odr_rate(t_sum(100, d)), odr_tier(t_sum(100, d)), odr_tier(t_sum(100, d), 'aliexpress') AS named
FROM generate_series(0, 13) d;
-- enum order
SELECT 'unassessed'::odr_tier < 'fail' AND 'fail' < 'pass'::odr_tier AND 'pass' < 'good'::odr_tier
       AND 'good' < 'excellent'::odr_tier AS ordered;
-- A18: distance to the next tier
SELECT n, d, odr_tier(t_sum(n, d)), odr_to_next_tier(t_sum(n, d))
FROM (VALUES (0, 0), (50, 0), (89, 20), (100, 3), (100, 5), (100, 12), (1000, 130), (100, 2)) v(n, d);
-- the distance is exact: one order fewer (or one defect more) does not reach
SELECT n, d, (x).next_tier,
       odr_tier(t_sum(n + (x).more_orders, d)) >= (x).next_tier AS more_reaches,
       odr_tier(t_sum(n + (x).more_orders - 1, d)) < (x).next_tier AS one_less_does_not,
       odr_tier(t_sum(n, d - (x).fewer_defects)) >= (x).next_tier AS fewer_reaches,
       odr_tier(t_sum(n, d - (x).fewer_defects + 1)) < (x).next_tier AS one_more_does_not
FROM (VALUES (100, 3), (250, 40), (977, 31), (5000, 900)) v(n, d),
     LATERAL (SELECT odr_to_next_tier(t_sum(n, d)) AS x) y;
-- a policy of one's own, by name and as the default
INSERT INTO odr_policy (name, description, min_orders, excellent_below, good_below, pass_below)
VALUES ('strict', 'half the default cut-offs', 50, 0.015, 0.03, 0.06);
SELECT odr_tier(t_sum(100, 2), 'strict') AS strict_2, odr_tier(t_sum(60, 0), 'strict') AS strict_60_orders;
SET odr.default_policy = 'strict';
SELECT odr_default_policy(), odr_tier(t_sum(100, 2)) AS default_now_strict;
RESET odr.default_policy;
SELECT odr_tier(t_sum(100, 2)) AS back_to_aliexpress;
-- conditions on companion metrics (A16, A17): excellent needs at most 0.5% arbitrations
-- ruled against the seller
INSERT INTO odr_policy_condition VALUES ('strict', 'excellent', 'seller_responsible_arbitration_rate', 'max', 0.005);
SELECT odr_tier(s, 'strict') AS with_rulings, odr_to_next_tier(s, 'strict')
FROM (SELECT '(orders=1000,defective=10,arbitration=10,seller_responsible=10)'::odr_summary AS s) x;
SELECT odr_tier(s, 'strict') AS few_rulings
FROM (SELECT '(orders=1000,defective=10,arbitration=10,seller_responsible=5)'::odr_summary AS s) x;
-- an undefined metric does not block: a floor on positive feedback, no ratings at all
INSERT INTO odr_policy_condition VALUES ('strict', 'good', 'positive_feedback_rate', 'min', 0.9);
SELECT odr_tier('(orders=1000,defective=0)'::odr_summary, 'strict') AS no_ratings,
       odr_tier('(orders=1000,defective=0,rated=100,positive=80)'::odr_summary, 'strict') AS low_positive;
-- a condition that can never hold would make its tier unreachable: refused
-- (#19 finding 8), and nothing is written; the bounds of each range are fine
\set VERBOSITY terse
INSERT INTO odr_policy_condition VALUES ('strict', 'pass', 'positive_feedback_rate', 'min', 2);
INSERT INTO odr_policy_condition VALUES ('strict', 'pass', 'defective', 'max', -1);
INSERT INTO odr_policy_condition VALUES ('strict', 'pass', 'odr', 'max', -0.01);
INSERT INTO odr_policy_condition VALUES ('strict', 'pass', 'dsr_item_avg', 'min', 5.5);
INSERT INTO odr_policy_condition VALUES ('strict', 'pass', 'dsr_shipping_avg', 'max', 0.5);
UPDATE odr_policy_condition SET value = 1.5 WHERE policy = 'strict' AND metric = 'positive_feedback_rate';
\set VERBOSITY default
SELECT metric, bound, value FROM odr_policy_condition WHERE policy = 'strict' ORDER BY metric;
INSERT INTO odr_policy_condition VALUES ('strict', 'pass', 'odr', 'max', 0), ('strict', 'pass', 'dsr_item_avg', 'min', 5),
                                        ('strict', 'pass', 'orders', 'min', 1e9), ('strict', 'pass', 'defective', 'max', 0);
DELETE FROM odr_policy_condition WHERE policy = 'strict' AND tier = 'pass';
-- the scorecard: plain columns for BI tools
SELECT * FROM odr_scorecard('(orders=200,defective=9,negative_feedback=5,unshipped=4,arbitration=1,seller_responsible=1,rated=150,positive=140,dsr_item_sum=700,dsr_item_ratings=150)');
SELECT * FROM odr_scorecard(t_sum(100, 5), 'strict');
-- every scorecard column has a standard SQL type
SELECT u.n AS column, format_type(u.t, NULL) AS type
FROM pg_proc, unnest(proargnames, proallargtypes, proargmodes) AS u(n, t, m)
WHERE proname = 'odr_scorecard' AND u.m = 'o';
DELETE FROM odr_policy WHERE name = 'strict';
SELECT count(*) AS conditions_left FROM odr_policy_condition;
DROP FUNCTION t_sum(bigint, bigint);
