\set ON_ERROR_STOP 1
\set QUIET 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS odr;
BEGIN;
SET LOCAL timezone = 'UTC';
SELECT plan(48);

-- the agreed API (notes/stars_design.md): names, signatures, float8 results
SELECT has_function('odr_on_time_rate', ARRAY['timestamp with time zone', 'timestamp with time zone', 'timestamp with time zone', 'integer'], 'S3: odr_on_time_rate(paid_at, promised_ship_by, shipped_at, buyer_level)');
SELECT has_function('odr_on_time_rate', ARRAY['timestamp with time zone', 'timestamp with time zone', 'timestamp with time zone', 'integer', 'double precision'], 'S3: ... with business_weight');
SELECT has_function('odr_shipped_on_time', ARRAY['timestamp with time zone', 'timestamp with time zone', 'timestamp with time zone'], 'S3: odr_shipped_on_time(paid_at, promised_ship_by, shipped_at)');
SELECT has_function('odr_quality_refund_rate', ARRAY['text'], 'S5: odr_quality_refund_rate(first_refund_reason)');
SELECT has_function('odr_quality_refund_rate', ARRAY['text', 'text[]'], 'S5: ... with quality_reasons');
SELECT has_function('odr_refund_hours', ARRAY['timestamp with time zone', 'timestamp with time zone', 'integer'], 'S6: odr_refund_hours(requested_at, completed_at, buyer_level)');
SELECT has_function('odr_refund_hours', ARRAY['timestamp with time zone', 'timestamp with time zone', 'integer', 'double precision'], 'S6: ... with business_weight');
SELECT has_function('odr_dispute_rate', ARRAY['text'], 'S7: odr_dispute_rate(ruling)');
SELECT is(
	(SELECT count(*) FROM pg_proc p JOIN pg_aggregate a ON a.aggfnoid = p.oid
	 WHERE p.proname IN ('odr_on_time_rate', 'odr_quality_refund_rate', 'odr_refund_hours', 'odr_dispute_rate')
	   AND p.prorettype = 'float8'::regtype AND p.proparallel = 's'
	   AND a.aggcombinefn <> 0 AND a.aggserialfn <> 0 AND a.aggdeserialfn <> 0),
	9::bigint, 'the nine indicator aggregates return float8, are PARALLEL SAFE, with combine, serialise and deserialise');
SELECT volatility_is('odr_shipped_on_time', ARRAY['timestamp with time zone', 'timestamp with time zone', 'timestamp with time zone'], 'stable',
                     'S3: odr_shipped_on_time without as_of reads now(): STABLE');
SELECT volatility_is('odr_shipped_on_time', ARRAY['timestamp with time zone', 'timestamp with time zone', 'timestamp with time zone', 'timestamp with time zone'], 'immutable',
                     'S3: odr_shipped_on_time with as_of: IMMUTABLE');

-- S3: the 48-hour rule at its boundary
SELECT ok(odr_shipped_on_time('2026-10-01 09:00', NULL, '2026-10-03 08:59', 'infinity'), 'S3: no promise, shipped at 47:59: on time');
SELECT ok(odr_shipped_on_time('2026-10-01 09:00', NULL, '2026-10-03 09:00', 'infinity'), 'S3: no promise, shipped at 48:00: on time');
SELECT ok(NOT odr_shipped_on_time('2026-10-01 09:00', NULL, '2026-10-03 09:01', 'infinity'), 'S3: no promise, shipped at 48:01: late');
SELECT ok(NOT odr_shipped_on_time('2026-10-01 09:00', '2026-10-01 12:00', '2026-10-01 13:00', 'infinity'), 'S3: after the promise: late, although within 48 h');
SELECT ok(odr_shipped_on_time('2026-10-01 09:00', '2026-10-06 09:00', '2026-10-05 09:00', 'infinity'), 'S3: before a 5-day promise: on time, although after 48 h');
SELECT is(odr_shipped_on_time('2026-10-01 09:00', NULL, NULL, '2026-10-02 09:00'), NULL, 'S3: not shipped, deadline still ahead: not counted yet');
SELECT is(odr_shipped_on_time('2026-10-01 09:00', NULL, NULL, '2026-10-04 09:00'), false, 'S3: not shipped, deadline passed: late');
SELECT is(odr_shipped_on_time(NULL, NULL, NULL, '2026-10-04 09:00'), NULL, 'S3: not paid: not counted');
-- S3 weighting
SELECT is(odr_on_time_rate(p, NULL, s, l, timestamptz '2026-11-01'), 1::float8 / 3, 'S3: an on-time L2 order weighs 1, a late L3 order 2: 1/3 on time')
FROM (VALUES (timestamptz '2026-10-01 09:00', timestamptz '2026-10-01 10:00', 2),
             (timestamptz '2026-10-01 09:00', timestamptz '2026-10-04 10:00', 3)) v(p, s, l);
SELECT is(odr_on_time_rate(p, NULL, s, l, 1.0, timestamptz '2026-11-01'), 0.5::float8, 'S3: business_weight 1: every order alike')
FROM (VALUES (timestamptz '2026-10-01 09:00', timestamptz '2026-10-01 10:00', 2),
             (timestamptz '2026-10-01 09:00', timestamptz '2026-10-04 10:00', 3)) v(p, s, l);
SELECT is(odr_on_time_rate(p, NULL, s, l, timestamptz '2026-11-01'), NULL, 'S3: no row counts: NULL')
FROM (VALUES (NULL::timestamptz, NULL::timestamptz, 4)) v(p, s, l);

-- S5
SELECT is(odr_quality_reasons(), ARRAY['quality_problem', 'not_as_described', 'damaged', 'counterfeit', 'poor_workmanship'], 'S5: the default quality reasons');
SELECT is(odr_quality_refund_rate(r), 0.5::float8, 'S5: 2 quality refunds (case ignored) of 4 orders')
FROM (VALUES ('DAMAGED'), ('quality_problem'), ('changed_mind'), (NULL)) v(r);
SELECT is(odr_quality_refund_rate(r, '{changed_mind}'), 0.25::float8, 'S5: an own list replaces the default')
FROM (VALUES ('DAMAGED'), ('quality_problem'), ('changed_mind'), (NULL)) v(r);
SELECT ok(NOT odr_is_quality_refund(NULL), 'S5: no refund is no quality refund');

-- S6
SELECT is(odr_refund_hours(r, c, l), 3::float8, 'S6: (1 h + 2 x 4 h) / (1 + 2) = 3 h; a refund not completed yet is left out')
FROM (VALUES (timestamptz '2026-10-01 00:00', timestamptz '2026-10-01 01:00', 1),
             (timestamptz '2026-10-01 00:00', timestamptz '2026-10-01 04:00', 6),
             (timestamptz '2026-10-01 00:00', NULL, 6)) v(r, c, l);
SELECT is(odr_refund_hours(r, c, l), NULL, 'S6: only refunds not completed yet: NULL')
FROM (VALUES (timestamptz '2026-10-01 00:00', NULL::timestamptz, 1)) v(r, c, l);

-- S7
SELECT is(odr_dispute_rate(r), 0.2::float8, 'S7: seller and both count, buyer, none and pending do not: 2 of 10')
FROM (VALUES ('seller'), ('both'), ('buyer'), ('none'), ('pending'), (NULL), (NULL), (NULL), (NULL), (NULL)) v(r);
SELECT ok(odr_dispute_counted('Both') AND NOT odr_dispute_counted('buyer'), 'S7: odr_dispute_counted');

-- bad input
SELECT throws_ok($$SELECT odr_on_time_rate(now(), NULL, now(), 7)$$, '22023', 'buyer_level 7 is out of range', 'S3: buyer level 7');
SELECT throws_ok($$SELECT odr_refund_hours(now(), now(), 0)$$, '22023', 'buyer_level 0 is out of range', 'S6: buyer level 0');
SELECT throws_ok($$SELECT odr_on_time_rate(now(), NULL, now(), 3, 0)$$, '22023', 'business_weight 0 is not a positive finite number', 'S3: weight 0');
SELECT throws_ok($$SELECT odr_refund_hours(now(), now(), 3, 'NaN')$$, '22023', 'business_weight NaN is not a positive finite number', 'S6: weight NaN');
SELECT throws_ok($$SELECT odr_refund_hours(now(), now(), 3, NULL)$$, '22004', 'business_weight must not be NULL', 'S6: weight NULL');
SELECT throws_ok($$SELECT odr_on_time_rate(now(), NULL, now(), 3, w) FROM (VALUES (2.0), (2.5)) v(w)$$, '22023',
                 'business_weight 2.5 differs from business_weight 2 of an earlier row', 'S3: two weights in one group');
SELECT throws_ok($$SELECT odr_shipped_on_time('2026-10-01 09:00', NULL, '2026-10-01 08:00')$$, '22023',
                 'shipped_at 2026-10-01 08:00:00+00 is before paid_at 2026-10-01 09:00:00+00', 'S3: shipped before paid');
SELECT throws_ok($$SELECT odr_shipped_on_time('2026-10-01 09:00', '2026-09-30 09:00', NULL)$$, '22023',
                 'promised_ship_by 2026-09-30 09:00:00+00 is before paid_at 2026-10-01 09:00:00+00', 'S3: promised before paid');
SELECT throws_ok($$SELECT odr_shipped_on_time(now(), NULL, NULL, NULL)$$, '22004', 'as_of must not be NULL', 'S3: as_of NULL');
SELECT throws_ok($$SELECT odr_shipped_on_time('infinity', NULL, NULL)$$, '22008', 'paid_at must be a finite timestamp, not infinity', 'S3: infinite paid_at');
SELECT throws_ok($$SELECT odr_refund_hours('2026-10-01 09:00', '2026-10-01 08:00', 1)$$, '22023',
                 'completed_at 2026-10-01 08:00:00+00 is before requested_at 2026-10-01 09:00:00+00', 'S6: completed before requested');
SELECT throws_ok($$SELECT odr_refund_hours(NULL, now(), 1)$$, '22004', 'requested_at is NULL but completed_at is not', 'S6: completed, never requested');
SELECT throws_ok($$SELECT odr_dispute_rate('seller_fault')$$, '22023', 'unknown ruling "seller_fault"', 'S7: unknown ruling');
SELECT throws_ok($$SELECT odr_quality_refund_rate('')$$, '22023', 'first_refund_reason is empty', 'S5: empty reason');
SELECT throws_ok($$SELECT odr_quality_refund_rate('x', '{}')$$, '22023', 'quality_reasons is empty', 'S5: empty list');
SELECT throws_ok($$SELECT odr_quality_refund_rate('x', '{a,A}')$$, '22023', 'quality_reasons lists "A" twice (elements 1 and 2)', 'S5: duplicate reason');
SELECT throws_ok($$SELECT odr_quality_refund_rate('x', '{a,NULL}')$$, '22004', 'quality_reasons element 2 is NULL', 'S5: NULL reason in the list');
SELECT throws_ok($$SELECT odr_quality_refund_rate('x', NULL)$$, '22004', 'quality_reasons must not be NULL', 'S5: NULL list');

SELECT * FROM finish();
ROLLBACK;
