\set ON_ERROR_STOP 1
\set QUIET 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS odr;
BEGIN;
SELECT plan(38);
SET LOCAL timezone = 'UTC';

-- 1688 service stars, S4: the 3-minute response rate (shared/rules.md).
-- Each rule at its boundary, the catalogue entries, every error with its
-- SQLSTATE, and random message sets against a plain-SQL statement of S4.

-- ---------------------------------------------------------------------
-- Catalogue
-- ---------------------------------------------------------------------
SELECT is_aggregate('odr_response_rate', ARRAY['text','timestamp with time zone','text','boolean','boolean','text'], 'odr_response_rate is an aggregate');
SELECT is_aggregate('odr_response_counted', ARRAY['text','timestamp with time zone','text','boolean','boolean','text'], 'odr_response_counted is an aggregate');
SELECT is_aggregate('odr_response_answered', ARRAY['text','timestamp with time zone','text','boolean','boolean','text'], 'odr_response_answered is an aggregate');
SELECT function_returns('odr_response_rate', ARRAY['text','timestamp with time zone','text','boolean','boolean','text'], 'double precision', 'odr_response_rate returns float8');
SELECT function_returns('odr_response_counted', ARRAY['text','timestamp with time zone','text','boolean','boolean','text'], 'bigint', 'odr_response_counted returns bigint');
SELECT function_returns('odr_in_response_hours', ARRAY['timestamp with time zone','text'], 'boolean', 'odr_in_response_hours returns boolean');
SELECT is((SELECT count(*) FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
           WHERE p.proname IN ('odr_response_rate', 'odr_response_counted', 'odr_response_answered')
             AND a.aggcombinefn <> 0 AND a.aggserialfn <> 0 AND a.aggdeserialfn <> 0
             AND p.proparallel = 's' AND a.aggtransfn = 'odr_response_transfn'::regproc),
          3::bigint, 'the three aggregates share one transition function, with combine, serialise, deserialise, PARALLEL SAFE');
SELECT volatility_is('odr_in_response_hours', ARRAY['timestamp with time zone','text'], 'immutable',
                     'odr_in_response_hours is IMMUTABLE: the zone is an argument');

-- ---------------------------------------------------------------------
-- S4 rules at their boundaries (zone Asia/Shanghai, UTC+8; local times)
-- ---------------------------------------------------------------------
CREATE TEMP TABLE m (k text, buyer text, sent_at timestamptz, sender text, is_auto_reply boolean, is_official boolean);
INSERT INTO m VALUES
 ('0859', 'a', '2024-03-04 08:59+08', 'buyer', false, false), ('0859', 'a', '2024-03-04 08:59:10+08', 'seller', false, false),
 ('0859', 'a', '2024-03-04 09:30+08', 'buyer', false, false), ('0859', 'a', '2024-03-04 09:30:10+08', 'seller', false, false),
 ('0900', 'a', '2024-03-04 09:00+08', 'buyer', false, false), ('0900', 'a', '2024-03-04 09:02:59+08', 'seller', false, false),
 ('2059', 'a', '2024-03-04 20:59+08', 'buyer', false, false), ('2059', 'a', '2024-03-04 21:02+08', 'seller', false, false),
 ('2100', 'a', '2024-03-04 21:00+08', 'buyer', false, false), ('2100', 'a', '2024-03-04 21:00:01+08', 'seller', false, false),
 ('late', 'a', '2024-03-04 10:00+08', 'buyer', false, false), ('late', 'a', '2024-03-04 10:03:01+08', 'seller', false, false),
 ('auto', 'a', '2024-03-04 10:00+08', 'buyer', false, false), ('auto', 'a', '2024-03-04 10:00:03+08', 'seller', true, false),
 ('auto', 'a', '2024-03-04 10:02+08', 'seller', false, false),
 ('autoonly', 'a', '2024-03-04 10:00+08', 'buyer', false, false), ('autoonly', 'a', '2024-03-04 10:00:03+08', 'seller', true, false),
 ('official', 'a', '2024-03-04 07:00+08', 'buyer', false, true), ('official', 'a', '2024-03-04 10:00+08', 'buyer', false, false),
 ('official', 'a', '2024-03-04 10:00:30+08', 'seller', false, true), ('official', 'a', '2024-03-04 10:01+08', 'seller', false, false),
 ('officialonly', 'a', '2024-03-04 10:00+08', 'buyer', false, false), ('officialonly', 'a', '2024-03-04 10:01+08', 'seller', false, true),
 ('same', 'a', '2024-03-04 10:00+08', 'seller', false, false), ('same', 'a', '2024-03-04 10:00+08', 'buyer', false, false),
 ('before', 'a', '2024-03-04 09:59:59+08', 'seller', false, false), ('before', 'a', '2024-03-04 10:00+08', 'buyer', false, false),
 ('two', 'a', '2024-03-04 10:00+08', 'buyer', false, false), ('two', 'b', '2024-03-04 10:01+08', 'buyer', false, false),
 ('two', 'b', '2024-03-04 10:02+08', 'seller', false, false), ('two', 'a', '2024-03-04 10:03:30+08', 'seller', false, false);
CREATE TEMP VIEW r AS
SELECT k, odr_response_counted(buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai') AS counted,
          odr_response_answered(buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai') AS answered,
          odr_response_rate(buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai') AS rate
FROM m GROUP BY k;

SELECT is((SELECT (counted, answered)::text FROM r WHERE k = '0859'), '(0,0)', 'S4: a first message at 08:59 does not count, nor the 09:30 one after it');
SELECT is((SELECT (counted, answered)::text FROM r WHERE k = '0900'), '(1,1)', 'S4: a first message at 09:00 counts; a reply after 2:59 is in time');
SELECT is((SELECT (counted, answered)::text FROM r WHERE k = '2059'), '(1,1)', 'S4: a first message at 20:59 counts; a reply after exactly 3:00 is in time');
SELECT is((SELECT (counted, answered)::text FROM r WHERE k = '2100'), '(0,0)', 'S4: a first message at 21:00 does not count');
SELECT is((SELECT (counted, answered)::text FROM r WHERE k = 'late'), '(1,0)', 'S4: a reply after 3:01 is late');
SELECT is((SELECT (counted, answered)::text FROM r WHERE k = 'auto'), '(1,1)', 'S4: an automatic reply, then a human reply within 3 minutes: answered');
SELECT is((SELECT (counted, answered)::text FROM r WHERE k = 'autoonly'), '(1,0)', 'S4: an automatic reply alone is no reply');
SELECT is((SELECT (counted, answered)::text FROM r WHERE k = 'official'), '(1,1)', 'S4: official messages are ignored (not the first message, not a reply)');
SELECT is((SELECT (counted, answered)::text FROM r WHERE k = 'officialonly'), '(1,0)', 'S4: an official reply is no reply');
SELECT is((SELECT (counted, answered)::text FROM r WHERE k = 'same'), '(1,1)', 'S4: a reply at the same instant answers');
SELECT is((SELECT (counted, answered)::text FROM r WHERE k = 'before'), '(1,0)', 'S4: a seller message before the buyer''s is no reply to it');
SELECT is((SELECT (counted, answered)::text FROM r WHERE k = 'two'), '(2,1)', 'S4: pairing is per buyer: interleaved conversations');
SELECT is((SELECT rate FROM r WHERE k = 'two'), 0.5::float8, 'S4: odr_response_rate = answered / counted');
SELECT is((SELECT rate FROM r WHERE k = '0859'), NULL::float8, 'S4: odr_response_rate is NULL when nothing counts');

-- zones: the same instants, another local day
SELECT is(odr_response_counted(b, t, 'buyer', false, false, 'Asia/Shanghai'), 0::bigint,
          'S4 zone: 00:30Z and 14:30Z are 08:30 and 22:30 of one day in Asia/Shanghai: nothing counts')
FROM (VALUES ('a', timestamptz '2024-03-04 00:30Z'), ('a', '2024-03-04 14:30Z')) v(b, t);
SELECT is(odr_response_counted(b, t, 'buyer', false, false, 'America/New_York'), 2::bigint,
          'S4 zone: ... and 19:30 and 09:30 of two days in America/New_York: both count')
FROM (VALUES ('a', timestamptz '2024-03-04 00:30Z'), ('a', '2024-03-04 14:30Z')) v(b, t);
SELECT ok(NOT odr_in_response_hours('2024-03-09 13:00Z', 'America/New_York') AND odr_in_response_hours('2024-03-10 13:00Z', 'America/New_York'),
          'S4 DST: 13:00Z is 08:00 EST before 10 March 2024 and 09:00 EDT after');
SELECT ok(NOT odr_in_response_hours('2024-03-04 03:29:59Z', 'Asia/Kolkata') AND odr_in_response_hours('2024-03-04 03:30Z', 'Asia/Kolkata'),
          'S4 half-hour zone: 09:00 in Asia/Kolkata (+05:30) is 03:30Z');

-- ---------------------------------------------------------------------
-- Errors
-- ---------------------------------------------------------------------
SELECT throws_ok($$SELECT odr_response_rate('a', now(), 'agent', false, false, 'Asia/Shanghai')$$,
                 '22023', 'unknown sender "agent"', 'an unknown sender is 22023 naming it');
SELECT lives_ok($$SELECT odr_response_rate('a', now(), 'platform', false, true, 'Asia/Shanghai')$$,
                'the sender of an official message is not checked');
SELECT throws_ok($$SELECT odr_response_rate('a', now(), 'buyer', false, false, 'Mars/Olympus')$$,
                 '22023', 'zone "Mars/Olympus" is not a recognized time zone', 'an unknown zone is 22023 naming it');
SELECT throws_ok($$SELECT odr_response_rate(b, now(), 'buyer', false, false, z)
                   FROM (VALUES ('a', 'Asia/Shanghai'), ('b', 'Asia/Tokyo')) v(b, z)$$,
                 '22023', 'zone must be the same for every row of a group', 'a zone changing within a group is 22023');
SELECT throws_ok($$SELECT odr_response_rate('a', now(), 'buyer', false, false, NULL)$$,
                 '22004', 'zone must not be NULL', 'a NULL zone is 22004');
SELECT throws_ok($$SELECT odr_response_rate('a', 'infinity', 'buyer', false, false, 'UTC')$$,
                 '22008', 'sent_at must be a finite timestamp, not infinity', 'an infinite sent_at is 22008');

-- ---------------------------------------------------------------------
-- Random message sets against S4 written in plain SQL
-- ---------------------------------------------------------------------
-- 30 sellers, 40 buyers, 5-15 March 2024 (New York changes to DST on the
-- 10th); buyer messages on a 15-second grid, seller messages mostly 0-4
-- minutes after one of them (some before), some automatic or official.
SELECT setseed(0.4242);
CREATE TEMP TABLE rnd AS
WITH q AS (
  SELECT g, 's' || (random() * 29)::int AS seller, 'b' || (random() * 39)::int AS buyer,
         timestamptz '2024-03-05 00:00Z' + ((random() * 10 * 5760)::int * 15) * interval '1 second' AS t
  FROM generate_series(1, 6000) g)
SELECT seller, buyer, t AS sent_at, 'buyer' AS sender, random() < 0.03 AS is_auto_reply, random() < 0.03 AS is_official FROM q
UNION ALL
SELECT seller, buyer, t + ((random() * 16)::int * 15 - CASE WHEN random() < 0.1 THEN 120 ELSE 0 END) * interval '1 second',
       CASE WHEN random() < 0.5 THEN 'seller' ELSE 'SELLER' END, random() < 0.15, random() < 0.05
FROM q WHERE random() < 0.7;

CREATE TEMP TABLE zones (z text);
INSERT INTO zones VALUES ('Asia/Shanghai'), ('America/New_York'), ('Asia/Kolkata');

-- S4 in SQL: per seller, buyer and local day the first buyer message; counted
-- when 09:00 <= local time < 21:00; answered when a human seller message of
-- the same conversation lies in [first, first + 3 min].
CREATE TEMP TABLE reference AS
WITH kept AS (
  SELECT seller, buyer, sent_at, lower(sender) AS role, z
  FROM rnd, zones
  WHERE NOT coalesce(is_official, false) AND NOT coalesce(is_auto_reply, false)),
firsts AS (
  SELECT DISTINCT ON (z, seller, buyer, (sent_at AT TIME ZONE z)::date) z, seller, buyer, sent_at
  FROM kept WHERE role = 'buyer'
  ORDER BY z, seller, buyer, (sent_at AT TIME ZONE z)::date, sent_at),
counted AS (
  SELECT * FROM firsts
  WHERE (sent_at AT TIME ZONE z)::time >= '09:00' AND (sent_at AT TIME ZONE z)::time < '21:00'),
answered AS (
  SELECT DISTINCT c.z, c.seller, c.buyer, c.sent_at
  FROM counted c JOIN kept s ON s.z = c.z AND s.seller = c.seller AND s.buyer = c.buyer AND s.role = 'seller'
   AND s.sent_at >= c.sent_at AND s.sent_at <= c.sent_at + interval '3 minutes')
SELECT c.z, c.seller, count(*) AS counted, count(a.sent_at) AS answered
FROM counted c LEFT JOIN answered a USING (z, seller, buyer, sent_at)
GROUP BY c.z, c.seller;

SELECT ok((SELECT count(*) FROM reference) >= 80 AND (SELECT count(*) FROM reference WHERE answered > 0 AND answered < counted) >= 40,
          'the random data gives partly answered sellers in every zone');
SELECT results_eq(
  $$SELECT z, seller, odr_response_counted(buyer, sent_at, sender, is_auto_reply, is_official, z),
           odr_response_answered(buyer, sent_at, sender, is_auto_reply, is_official, z)
    FROM rnd, zones GROUP BY z, seller
    HAVING odr_response_counted(buyer, sent_at, sender, is_auto_reply, is_official, z) > 0
    ORDER BY 1, 2$$,
  $$SELECT z, seller, counted, answered FROM reference ORDER BY 1, 2$$,
  'S4: odr_response_counted / _answered equal the plain-SQL statement of S4 on random data, in three zones');
SELECT results_eq(
  $$SELECT z, seller, odr_response_rate(buyer, sent_at, sender, is_auto_reply, is_official, z)
    FROM rnd, zones GROUP BY z, seller
    HAVING odr_response_counted(buyer, sent_at, sender, is_auto_reply, is_official, z) > 0
    ORDER BY 1, 2$$,
  $$SELECT z, seller, answered::float8 / counted FROM reference ORDER BY 1, 2$$,
  'S4: odr_response_rate = answered / counted on the same data');
SELECT results_eq(
  $$SELECT z, seller, odr_response_counted(buyer, sent_at, sender, is_auto_reply, is_official, z ORDER BY md5(sent_at::text || buyer)),
           odr_response_answered(buyer, sent_at, sender, is_auto_reply, is_official, z ORDER BY sent_at DESC)
    FROM rnd, zones GROUP BY z, seller ORDER BY 1, 2$$,
  $$SELECT z, seller, odr_response_counted(buyer, sent_at, sender, is_auto_reply, is_official, z),
           odr_response_answered(buyer, sent_at, sender, is_auto_reply, is_official, z)
    FROM rnd, zones GROUP BY z, seller ORDER BY 1, 2$$,
  'S4: the input order does not matter (shuffled and reversed rows)');

-- forced parallel plans give the serial result
CREATE TEMP TABLE serial_result AS
SELECT seller, odr_response_counted(buyer, sent_at, sender, is_auto_reply, is_official, 'America/New_York') AS c,
       odr_response_answered(buyer, sent_at, sender, is_auto_reply, is_official, 'America/New_York') AS a
FROM rnd GROUP BY seller;
CREATE TABLE resp_par AS SELECT * FROM rnd;
ANALYZE resp_par;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
	line text;
	plan text := '';
BEGIN
	FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
		plan := plan || line || E'\n';
	END LOOP;
	RETURN plan;
END $f$;
SELECT matches(pg_temp.plan_of($$SELECT seller, odr_response_counted(buyer, sent_at, sender, is_auto_reply, is_official, 'America/New_York')
                                FROM resp_par GROUP BY seller$$),
               'Partial \w*Aggregate', 'with parallel costs at zero the plan has a Partial Aggregate');
SELECT results_eq(
  $$SELECT seller, odr_response_counted(buyer, sent_at, sender, is_auto_reply, is_official, 'America/New_York'),
           odr_response_answered(buyer, sent_at, sender, is_auto_reply, is_official, 'America/New_York')
    FROM resp_par GROUP BY seller ORDER BY seller$$,
  $$SELECT seller, c, a FROM serial_result ORDER BY seller$$,
  'forced parallel aggregation equals the serial result');

SELECT * FROM finish();
ROLLBACK;
