-- 1688 service stars: peer scores (S2), composite and stars (S1, S8), the
-- star policies as data, the scorecard.  Values are hand-checked.
CREATE TABLE ind (seller_id text, category text, on_time_rate float8, response_rate float8,
                  quality_refund_rate float8, refund_hours float8, dispute_rate float8);
INSERT INTO ind VALUES
 ('a', 'toys',  0.99, 0.95, 0.01, 10, 0.000),
 ('b', 'toys',  0.95, 0.80, 0.02, 20, 0.010),
 ('c', 'toys',  0.90, 0.60, 0.02, 30, 0.020),
 ('d', 'toys',  0.80, 0.40, 0.05, 48, 0.050),
 ('e', 'shoes', 0.97, 0.90, 0.03, 12, 0.010),
 ('f', 'shoes', 0.93, NULL, 0.01, 24, 0.000),
 ('g', 'tea',   0.99, 0.99, 0.00,  5, 0.000);

-- S2: 5 x (1 - the share of the other peers doing strictly better), so a
-- tie costs nothing; higher is better for on_time_rate, lower for the rates
-- of refunds and disputes and for refund hours.
-- toys on_time: nobody beats a -> 5, one of three beats b -> 3.33, c -> 1.67, d -> 0.
-- toys quality refunds (lower is better): a 0.01 -> 5; b and c tie at 0.02,
-- only a does better -> 5 x (1 - 1/3) = 3.33 each; d 0.05 -> 0.
SELECT seller_id, category,
       round((odr_peer_score('on_time_rate', on_time_rate) OVER w)::numeric, 4) AS on_time,
       round((odr_peer_score('quality_refund_rate', quality_refund_rate) OVER w)::numeric, 4) AS quality_refund,
       round((odr_peer_score('response_rate', response_rate) OVER w)::numeric, 4) AS response
FROM ind WINDOW w AS (PARTITION BY category) ORDER BY category, seller_id;
-- a lone seller (tea) and a seller whose only peer has no value (e's
-- response) have no score: NULL; a NULL value (f's response) has none either
-- every peer tied: 5 each (no peer does better)
SELECT odr_peer_score('refund_hours', v) OVER () FROM (VALUES (3.0::float8), (3.0), (3.0)) AS t(v);
-- an empty peer group gives no rows
SELECT odr_peer_score('dispute_rate', dispute_rate) OVER () FROM ind WHERE false;
-- the window frame does not matter: peers are the whole partition
SELECT seller_id, round((odr_peer_score('on_time_rate', on_time_rate) OVER (PARTITION BY category ORDER BY seller_id))::numeric, 4) AS framed
FROM ind WHERE category = 'toys' ORDER BY seller_id;

-- S8: the composite is the weighted mean of the scores (1688: 0.35, 0.20,
-- 0.15, 0.15, 0.15); NULL scores are left out and the other weights scaled up
SELECT odr_star_composite(5, 5, 5, 5, 5) AS all_5,
       odr_star_composite(0, 5, 5, 5, 5) AS on_time_0,        -- 5 x 0.65
       round(odr_star_composite(4, 3, 2, 1, 0)::numeric, 6) AS mixed,  -- 1.4 + 0.6 + 0.3 + 0.15 + 0 = 2.45
       odr_star_composite(NULL, 5, 0, NULL, NULL) AS two,     -- (0.2 x 5) / 0.35
       odr_star_composite(NULL, NULL, NULL, NULL, NULL) AS none;
-- S1, S8: rounded down to the half star, 3 to 5
SELECT c, odr_stars(c) AS stars
FROM unnest(ARRAY[0, 2.99, 3.49, 3.5, 3.99, 4.0, 4.49, 4.5, 4.99, 5.0]::float8[]) AS c;
SELECT odr_stars(NULL) AS no_composite;
-- S2: weak spots, costliest first (weight x (5 - score)); ties by name
SELECT odr_star_weak_spots(3.9, 3.9, 3.9, 3.9, 3.9) AS equal_scores,
       odr_star_weak_spots(4, 2, 1, 4.5, NULL) AS some,
       odr_star_weak_spots(5, 5, 5, 5, 5) AS none;

-- the scorecard: plain columns, one row per seller
SELECT seller_id, category, round(on_time_score::numeric, 2) AS on_time, round(response_score::numeric, 2) AS response,
       round(quality_refund_score::numeric, 2) AS quality, round(refund_hours_score::numeric, 2) AS refund,
       round(dispute_score::numeric, 2) AS dispute, round(composite::numeric, 3) AS composite, stars,
       weak_spots, round(weak_spot_points::numeric, 3) AS weak_points
FROM odr_star_scorecard('ind');
-- only plain SQL types come out (BI tools read them)
SELECT pg_get_function_result('odr_star_scorecard(regclass, text)'::regprocedure) AS scorecard_columns;
-- serial and parallel give the same scorecard
CREATE TABLE many_ind AS
SELECT g::text AS seller_id, (ARRAY['a', 'b', 'c'])[1 + g % 3] AS category,
       (g * 37 % 100) / 100.0 AS on_time_rate, (g * 53 % 100) / 100.0 AS response_rate,
       (g * 11 % 50) / 1000.0 AS quality_refund_rate, (g * 7 % 96)::float8 AS refund_hours,
       (g * 13 % 20) / 1000.0 AS dispute_rate
FROM generate_series(1, 3000) g;
CREATE TEMP TABLE serial_card AS SELECT * FROM odr_star_scorecard('many_ind');
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SELECT count(*) AS rows, count(*) FILTER (WHERE s IS NOT DISTINCT FROM p) AS equal
FROM serial_card s FULL JOIN odr_star_scorecard('many_ind') p USING (seller_id);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
SELECT stars, count(*) FROM serial_card GROUP BY stars ORDER BY stars;

-- star policies are data: a user policy with other weights and levels
INSERT INTO odr_star_policy (name, w_on_time_rate, w_response_rate, w_quality_refund_rate, w_refund_hours, w_dispute_rate, weak_below)
VALUES ('ship_first', 0.6, 0.1, 0.1, 0.1, 0.1, 3);
INSERT INTO odr_star_level (policy, stars, min_composite)
VALUES ('ship_first', 1, '-Infinity'), ('ship_first', 2, 2), ('ship_first', 3, 3.25), ('ship_first', 4, 4.5);
SELECT round(odr_star_composite(0, 5, 5, 5, 5, 'ship_first')::numeric, 6) AS composite,  -- 0.4 x 5
       odr_stars(2, 'ship_first') AS at_2, odr_stars(3.2, 'ship_first') AS at_3_2, odr_stars(4.9, 'ship_first') AS at_4_9,
       odr_star_weak_spots(2.9, 3, 1, 5, 5, 'ship_first') AS weak_below_3;
SET odr.default_star_policy = 'ship_first';
SELECT odr_stars(3.3) AS default_policy_from_setting;
RESET odr.default_star_policy;
SELECT seller_id, stars, weak_spots FROM odr_star_scorecard('ind', 'ship_first') WHERE category = 'toys';

-- bad input: each with its SQLSTATE
CREATE FUNCTION err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT err($q$SELECT odr_peer_score('speed', on_time_rate) OVER () FROM ind$q$);
SELECT err($q$SELECT odr_peer_score(NULL, on_time_rate) OVER () FROM ind$q$);
SELECT err($q$SELECT odr_peer_score(CASE WHEN seller_id = 'a' THEN 'on_time_rate' ELSE 'response_rate' END, on_time_rate) OVER () FROM ind$q$);
SELECT err($q$SELECT odr_peer_score('dispute_rate', 1.5) OVER () FROM ind$q$);
SELECT err($q$SELECT odr_peer_score('refund_hours', -1) OVER () FROM ind$q$);
SELECT err($q$SELECT odr_peer_score('on_time_rate', 'NaN') OVER () FROM ind$q$);
SELECT err($q$SELECT odr_peer_score('on_time_rate', 0.5)$q$);
SELECT err($q$SELECT odr_star_composite(6, 5, 5, 5, 5)$q$);
SELECT err($q$SELECT odr_star_composite(5, 5, 5, 5, -0.1)$q$);
SELECT err($q$SELECT odr_star_composite(5, 5, 5, 5, 'NaN')$q$);
SELECT err($q$SELECT odr_stars(5.5)$q$);
SELECT err($q$SELECT odr_stars(4, 'nope')$q$);
SELECT err($q$SELECT odr_star_weak_spots(1, 2, 3, 4, 9)$q$);
SELECT err($q$SELECT * FROM odr_star_scorecard('ind', 'nope')$q$);
CREATE TABLE ind_short (seller_id text, category text, on_time_rate float8);
SELECT err($q$SELECT * FROM odr_star_scorecard('ind_short')$q$);
SELECT err($q$SELECT * FROM odr_star_scorecard('no_such_table')$q$);
SELECT err($q$SELECT * FROM odr_star_scorecard(NULL)$q$);
CREATE TABLE ind_twice AS SELECT * FROM ind UNION ALL SELECT * FROM ind WHERE seller_id = 'b';
SELECT err($q$SELECT * FROM odr_star_scorecard('ind_twice')$q$);
SELECT err($q$INSERT INTO odr_star_policy (name, w_on_time_rate, w_response_rate, w_quality_refund_rate, w_refund_hours, w_dispute_rate) VALUES ('bad', 0.5, 0.5, 0.5, 0, 0)$q$);
SELECT err($q$INSERT INTO odr_star_policy (name, w_on_time_rate, w_response_rate, w_quality_refund_rate, w_refund_hours, w_dispute_rate) VALUES ('neg', 1.2, -0.2, 0, 0, 0)$q$);
SELECT err($q$INSERT INTO odr_star_level (policy, stars, min_composite) VALUES ('ship_first', 6, 5)$q$);
SELECT err($q$INSERT INTO odr_star_level (policy, stars, min_composite) VALUES ('missing', 4, 4)$q$);
SELECT err($q$UPDATE odr_star_policy SET w_on_time_rate = 0.35 WHERE name = '1688'$q$);
SELECT err($q$DELETE FROM odr_star_policy WHERE name = '1688'$q$);
SELECT err($q$INSERT INTO odr_star_level (policy, stars, min_composite) VALUES ('1688', 2.5, 2.5)$q$);
SELECT err($q$UPDATE odr_star_level SET min_composite = 3 WHERE policy = '1688' AND stars = 3.5$q$);
SELECT err($q$INSERT INTO odr_star_policy (name, builtin, w_on_time_rate, w_response_rate, w_quality_refund_rate, w_refund_hours, w_dispute_rate) VALUES ('fake', true, 1, 0, 0, 0, 0)$q$);
SELECT err($q$TRUNCATE odr_star_level$q$);
SELECT err($q$SET odr.default_star_policy = ''$q$);
-- nothing of the rejected writes stayed
SELECT name, builtin FROM odr_star_policy ORDER BY name;
SELECT policy, count(*) FROM odr_star_level GROUP BY policy ORDER BY policy;
-- a policy without levels
INSERT INTO odr_star_policy (name, w_on_time_rate, w_response_rate, w_quality_refund_rate, w_refund_hours, w_dispute_rate)
VALUES ('no_levels', 0.2, 0.2, 0.2, 0.2, 0.2);
SELECT err($q$SELECT odr_stars(4, 'no_levels')$q$);
