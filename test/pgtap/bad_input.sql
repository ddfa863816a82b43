\set ON_ERROR_STOP 1
\set QUIET 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS odr;
BEGIN;
SELECT plan(19);

-- Bad input, everywhere (issue #6).  The inventory below names, for every
-- function of odr, where its bad input is tested; a function added without
-- an entry fails the first test.  Then sweeps that hold for all of them.
CREATE TEMP TABLE bad_input_inventory (proname name PRIMARY KEY, tested_in text NOT NULL);
INSERT INTO bad_input_inventory VALUES
 -- types: text and binary input
 ('odr_defects_in', 'sql/defects_io.sql, sql/errors.sql, this file (every prefix, mutations)'),
 ('odr_defects_recv', 'sql/errors.sql (short, long, reserved bits, contradictions), sql/defects_io.sql (binary COPY round trip)'),
 ('odr_summary_in', 'sql/summary_io.sql, sql/errors.sql, this file (every prefix, mutations, bigint limits)'),
 ('odr_summary_recv', 'sql/errors.sql (short, long, version 2, reserved flags, inconsistent counts), sql/summary_io.sql'),
 ('odr_defects_out', 'output of validated values only; round trips in sql/defects_io.sql and this file'),
 ('odr_defects_send', 'output; binary round trip in sql/defects_io.sql'),
 ('odr_summary_out', 'output; round trips in sql/summary_io.sql and this file'),
 ('odr_summary_send', 'output; binary round trip in sql/summary_io.sql'),
 ('odr_summary_jsonb', 'cast; sql/summary_io.sql'),
 -- comparison and hashing of validated values: no bad input besides NULL (strict)
 ('odr_defects_cmp', 'strict, total order; sql/defects_io.sql'), ('odr_defects_eq', 'strict'), ('odr_defects_ne', 'strict'),
 ('odr_defects_lt', 'strict'), ('odr_defects_le', 'strict'), ('odr_defects_gt', 'strict'), ('odr_defects_ge', 'strict'),
 ('odr_defects_hash', 'strict'),
 ('odr_summary_cmp', 'strict, total order; sql/summary_io.sql'), ('odr_summary_eq', 'strict'), ('odr_summary_ne', 'strict'),
 ('odr_summary_lt', 'strict'), ('odr_summary_le', 'strict'), ('odr_summary_gt', 'strict'), ('odr_summary_ge', 'strict'),
 ('odr_summary_hash', 'strict'),
 ('odr_summary_plus', 'this file (bigint overflow 22003)'), ('odr_summary_minus', 'sql/errors.sql, this file (negative result 22003)'),
 -- classification
 ('odr_classify', 'sql/errors.sql (ratings 0, 6, -1, a ruling without arbitration), this file (nothing written)'),
 ('odr_rating', 'sql/errors.sql'), ('odr_has_reason', 'sql/errors.sql (unknown reason)'), ('odr_is_defective', 'strict'),
 ('odr_reasons', 'strict'), ('odr_reason_names', 'no arguments'),
 ('odr_unshipped', 'sql/errors.sql, sql/classify.sql (infinite and inverted timestamps)'),
 ('odr_dispute_timed_out', 'sql/errors.sql, sql/classify.sql'),
 ('odr_summary_of', 'strict'),
 -- aggregates and their support functions (reached only through the aggregates)
 ('odr_agg', 'sql/aggregate.sql, sql/errors.sql'), ('odr_rollup', 'sql/errors.sql, this file (overflow)'),
 ('odr_agg_transfn', 'support of odr_agg'), ('odr_agg_invfn', 'support of odr_agg (window)'),
 ('odr_rollup_transfn', 'support of odr_rollup'), ('odr_rollup_invfn', 'support of odr_rollup (window)'),
 ('odr_summary_finalfn', 'support'),
 ('odr_agg_at', 'sql/warehouse.sql (NULL dates, infinite dates, days 0, NULL since_first_day)'), ('odr_rollup_at', 'sql/warehouse.sql'),
 ('odr_at_defects_transfn', 'support'), ('odr_at_summary_transfn', 'support'), ('odr_at_combinefn', 'support'),
 ('odr_at_serialfn', 'support'), ('odr_at_deserialfn', 'support (rejects a malformed state)'), ('odr_at_finalfn', 'support'),
 -- reading a summary
 ('odr_orders', 'strict'), ('odr_defective', 'strict'), ('odr_rate', 'strict'), ('odr_count', 'sql/errors.sql (unknown field)'),
 ('odr_reason_count', 'sql/errors.sql (unknown reason)'), ('odr_metric', 'sql/errors.sql (unknown metric)'),
 ('odr_seller_responsible_rate', 'strict'), ('odr_positive_feedback_rate', 'strict'),
 ('odr_dsr_item_avg', 'strict'), ('odr_dsr_communication_avg', 'strict'), ('odr_dsr_shipping_avg', 'strict'),
 ('odr_reason_breakdown', 'strict'),
 -- tiers and policies
 ('odr_tier', 'sql/tiers.sql, sql/errors.sql (unknown policy)'), ('odr_to_next_tier', 'sql/errors.sql'),
 ('odr_scorecard', 'sql/errors.sql'), ('odr_default_policy', 'no arguments; sql/errors.sql (empty setting)'),
 ('odr_policy_guard', 'test/pgtap/privileges.sql (55000)'), ('odr_policy_condition_guard', 'test/pgtap/privileges.sql'),
 ('odr_policy_truncate_guard', 'test/pgtap/security.sql'),
 -- calendar and warehouse
 ('odr_month_ends', 'sql/calendar.sql'), ('odr_window', 'sql/calendar.sql'), ('odr_next_assessment', 'sql/calendar.sql'),
 ('odr_last_assessment', 'sql/calendar.sql'), ('odr_assessment_windows', 'sql/calendar.sql'),
 ('odr_assessment_segment', 'sql/calendar.sql (days < 1, infinite and out-of-range dates)'),
 ('odr_refresh_warehouse', 'sql/warehouse.sql (22004, 42809, 55000 rolls everything back)'),
 ('odr_projection_windows', 'sql/calendar.sql'), ('odr_projection', 'sql/warehouse.sql'), ('odr_report', 'sql/warehouse.sql'),
 ('odr_create_warehouse', 'sql/warehouse.sql, this file (nothing created)'), ('odr_check_shards', 'test/shards.sh (55000)'),
 ('odr_create_marketplace_warehouse', 'sql/marketplace_warehouse.sql (NULLs 22004, unknown marketplace 22023, missing column 42703, not odr_order 42804, long prefix 42622, a name taken 42P07, orders built for another marketplace: nothing created)'),
 -- 1688: S4
 ('odr_response_rate', 'sql/stars_response.sql'), ('odr_response_counted', 'sql/stars_response.sql'),
 ('odr_response_answered', 'sql/stars_response.sql'), ('odr_in_response_hours', 'sql/stars_response.sql'),
 ('odr_response_transfn', 'support'), ('odr_response_combinefn', 'support'), ('odr_response_serialfn', 'support'),
 ('odr_response_deserialfn', 'support'), ('odr_response_rate_finalfn', 'support'),
 ('odr_response_counted_finalfn', 'support'), ('odr_response_answered_finalfn', 'support'),
 -- 1688: S3, S5, S6, S7
 ('odr_on_time_rate', 'sql/stars_indicators.sql'), ('odr_shipped_on_time', 'sql/stars_indicators.sql'),
 ('odr_quality_refund_rate', 'sql/stars_indicators.sql'), ('odr_is_quality_refund', 'sql/stars_indicators.sql'),
 ('odr_quality_reasons', 'no arguments'), ('odr_refund_hours', 'sql/stars_indicators.sql'),
 ('odr_dispute_rate', 'sql/stars_indicators.sql'), ('odr_dispute_counted', 'sql/stars_indicators.sql'),
 ('odr_on_time_transfn', 'support'), ('odr_on_time_weight_transfn', 'support'), ('odr_on_time_as_of_transfn', 'support'),
 ('odr_on_time_weight_as_of_transfn', 'support'), ('odr_quality_refund_transfn', 'support'),
 ('odr_quality_refund_list_transfn', 'support'), ('odr_refund_hours_transfn', 'support'),
 ('odr_refund_hours_weight_transfn', 'support'), ('odr_dispute_transfn', 'support'),
 ('odr_indicator_combinefn', 'support'), ('odr_indicator_serialfn', 'support'), ('odr_indicator_deserialfn', 'support'),
 ('odr_indicator_rate_finalfn', 'support'), ('odr_indicator_hours_finalfn', 'support'),
 -- 1688: S2, S8
 ('odr_peer_score', 'sql/stars_scores.sql'), ('odr_star_composite', 'sql/stars_scores.sql'), ('odr_stars', 'sql/stars_scores.sql'),
 ('odr_star_weak_spots', 'sql/stars_scores.sql'), ('odr_star_scorecard', 'sql/stars_scores.sql'),
 ('odr_star_policy_of', 'sql/stars_scores.sql (unknown policy)'), ('odr_star_policy_guard', 'sql/stars_scores.sql, test/pgtap/stars_scores.sql'),
 -- issue 14: marketplaces (sql/marketplace.sql, "bad input" and "bad policies")
 ('odr_marketplace_check', 'sql/marketplace.sql (bad policies: 23514 naming the element, unknown marketplace 22023)'),
 ('odr_marketplace_guard', 'sql/marketplace.sql (55000)'), ('odr_marketplace_part_guard', 'sql/marketplace.sql (55000)'),
 ('odr_marketplace_truncate_guard', 'sql/marketplace.sql (55000)'), ('odr_marketplace_validate', 'sql/marketplace.sql (bad policies change nothing)'),
 ('odr_order_in', 'sql/marketplace.sql, this file (every prefix, mutations)'), ('odr_order_out', 'output; round trip in sql/marketplace.sql'),
 ('odr_order_recv', 'validating like odr_order_in; binary COPY round trip in sql/marketplace.sql'), ('odr_order_send', 'output'),
 ('odr_order', 'sql/marketplace.sql (unknown marketplace, lengths, NULLs, infinite dates, NaN)'),
 ('odr_order_days', 'strict'), ('odr_order_events', 'sql/marketplace.sql (another marketplace''s order)'),
 ('odr_choice', 'sql/marketplace.sql'), ('odr_amazon_order', 'sql/marketplace.sql (fulfilment, feedback_stars, claim_status, cancelled_by)'),
 ('odr_ebay_order', 'sql/marketplace.sql (cancelled_by)'),
 ('odr_aliexpress_order', 'sql/marketplace_aliexpress.sql (a NULL verdict is a NULL order; a verdict is valid by its type; a NULL day counts in no window)'),
 ('odr_level_share', 'sql/marketplace_every_platform.sql (unknown marketplace or level 22023; strict)'), ('odr_standings_side_by_side', 'sql/marketplace_every_platform.sql (strict; NULL elements skipped; an empty array gives no row)'),
 ('odr_walmart_order', 'sql/marketplace_walmart.sql (cancelled_by, item_rating, seller_rating 0 and 6, time_zone)'),
 ('odr_walmart_message', 'sql/marketplace_walmart.sql (time_zone; a NULL received_at counts in no window, a NULL answered_at is late)'),
 ('odr_message_replies', 'sql/marketplace_walmart_messages.sql, test/pgtap/walmart_messages.sql (unknown sender 22023, NULL buyer / sent_at / sender 22004, infinite sent_at 22008; official rows are ignored whatever they hold)'),
 ('odr_message_replies_transfn', 'support of odr_message_replies'), ('odr_message_replies_finalfn', 'support of odr_message_replies'),
 ('odr_standing_in', 'sql/marketplace.sql, this file (every prefix, mutations)'), ('odr_standing_out', 'output'),
 ('odr_standing_recv', 'validating its layout like odr_standing_in; binary COPY round trip in sql/marketplace.sql'), ('odr_standing_send', 'output'),
 ('odr_assess', 'sql/marketplace.sql (NULL and infinite as_of, NULL or changing marketplace, another marketplace''s order)'),
 ('odr_assess_transfn', 'support'), ('odr_assess_combinefn', 'support'), ('odr_assess_serialfn', 'support'),
 ('odr_assess_deserialfn', 'support'), ('odr_assess_finalfn', 'support'),
 ('odr_standing_marketplace', 'strict; sql/marketplace.sql'), ('odr_standing_as_of', 'strict; sql/marketplace.sql'),
 ('odr_level', 'sql/marketplace.sql (a standing of an unknown marketplace)'),
 ('odr_level_rank', 'of a standing: strict; of a marketplace''s level: sql/marketplace_advise.sql (unknown level)'),
 ('odr_deciding_standard', 'strict'), ('odr_metric_value', 'sql/marketplace.sql (unknown metric)'),
 ('odr_standing_metrics', 'strict'), ('odr_explain', 'strict'),
 ('odr_tally_in', 'sql/marketplace_rollup.sql, this file (every prefix, mutations)'), ('odr_tally_out', 'output'),
 ('odr_tally_recv', 'validating its header; binary COPY round trip in sql/marketplace_rollup.sql'), ('odr_tally_send', 'output'),
 ('odr_tally', 'sql/marketplace_rollup.sql (NULL or infinite day, changing day or marketplace, another marketplace''s order)'),
 ('odr_tally_transfn', 'support'), ('odr_tally_combinefn', 'support'), ('odr_tally_serialfn', 'support'),
 ('odr_tally_deserialfn', 'support'), ('odr_tally_finalfn', 'support'), ('odr_assess_tally_transfn', 'support'),
 ('odr_assess_at', 'sql/marketplace_at.sql (NULL as_of or element, infinite or out-of-range dates, a 2-D array, NULL, unknown or changing marketplace, changing as_of, another marketplace''s order or tally)'),
 ('odr_assess_at_transfn', 'support'), ('odr_assess_at_tally_transfn', 'support'), ('odr_assess_at_combinefn', 'support'),
 ('odr_assess_at_serialfn', 'support'), ('odr_assess_at_deserialfn', 'support (rejects a malformed state)'), ('odr_assess_at_finalfn', 'support'),
 ('odr_assess_own_tally_transfn', 'support of odr_assess(t, as_of); sql/marketplace_own_tally.sql (NULL, changing or infinite as_of, tallies of two marketplaces)'),
 ('odr_assess_at_own_tally_transfn', 'support of odr_assess_at(t, as_of); sql/marketplace_own_tally.sql (NULL as_of or element, a 2-D array, changing as_of, tallies of two marketplaces)'),
 ('odr_order_tally_days', 'strict'), ('odr_tally_day', 'strict'), ('odr_tally_bytes', 'strict'),
 ('odr_evaluations', 'sql/marketplace_rollup.sql (unknown marketplace, infinite dates, more than 200 years)'),
 ('odr_next_evaluation', 'sql/marketplace_rollup.sql'),
 ('odr_business_deadline', 'sql/policy_business_days.sql (NULL start, business_days, calendar or time_zone 22004; negative or too many days, infinite start, unknown calendar or time zone 22023)'),
 ('odr_level_better', 'sql/marketplace_advise.sql (unknown level, unknown marketplace)'), ('odr_advise', 'strict; sql/marketplace_advise.sql'),
 ('odr_amazon_report', 'strict; sql/marketplace_advise.sql (a channel without orders: not measured)');

CREATE TEMP VIEW odr_functions AS
SELECT p.oid, p.proname, p.prokind, p.proisstrict, p.proretset, p.pronargs, p.proargtypes, p.prorettype
FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'odr');

SELECT is((SELECT string_agg(DISTINCT proname, ', ') FROM odr_functions WHERE proname NOT IN (SELECT proname FROM bad_input_inventory)),
          NULL, 'every function of odr says where its bad input is tested');
SELECT is((SELECT string_agg(proname, ', ') FROM bad_input_inventory WHERE proname NOT IN (SELECT proname FROM odr_functions)),
          NULL, 'the inventory names no function odr does not have');

-- NULL in every argument: a STRICT function returns NULL; no function crashes.
-- (every plain function and set-returning function callable from SQL,
-- with every argument NULL of its type)
CREATE TEMP TABLE null_calls AS
SELECT f.proname, f.proisstrict,
       format('SELECT %s(%s)', f.oid::regproc::text,
              (SELECT string_agg(format('NULL::%s', format_type(t, NULL)), ', ' ORDER BY o)
               FROM unnest(f.proargtypes::oid[]) WITH ORDINALITY AS a(t, o))) AS q
FROM odr_functions f
WHERE f.prokind = 'f' AND f.pronargs > 0
  AND NOT (f.proargtypes::oid[] && ARRAY['internal'::regtype::oid, 'cstring'::regtype::oid])
  AND f.prorettype NOT IN ('trigger'::regtype, 'internal'::regtype)
  AND f.proname NOT IN ('odr_create_warehouse');
CREATE FUNCTION pg_temp.outcome(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
	EXECUTE 'SELECT count(*) FILTER (WHERE x IS NOT NULL)::text FROM (' || q || ') AS t(x)' INTO r;
	RETURN 'rows with a value: ' || r;
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;
SELECT is((SELECT string_agg(proname || ' -> ' || pg_temp.outcome(q), '; ') FROM null_calls
           WHERE proisstrict AND pg_temp.outcome(q) <> 'rows with a value: 0'), NULL,
          'every STRICT function returns NULL (or no row) for NULL arguments');
SELECT is((SELECT string_agg(proname || ' -> ' || pg_temp.outcome(q), '; ') FROM null_calls
           WHERE NOT proisstrict AND pg_temp.outcome(q) NOT IN ('rows with a value: 0', 'rows with a value: 1', '22004', '22023')),
          NULL, 'a non-STRICT function given only NULLs answers or raises 22004 / 22023, nothing else');
SELECT cmp_ok((SELECT count(*) FROM null_calls), '>=', 40::bigint, 'the NULL sweep reached at least 40 functions');

-- Text input: every prefix of a rich value parses to a value that prints and
-- parses back to itself, or fails with 22P02 / 22003; never anything else.
CREATE FUNCTION pg_temp.parse(t text, typ text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text; back text;
BEGIN
	EXECUTE format('SELECT %L::%s::text', t, typ) INTO r;
	EXECUTE format('SELECT %L::%s::text', r, typ) INTO back;
	RETURN CASE WHEN r = back THEN 'ok' ELSE 'round trip changed: ' || r || ' -> ' || back END;
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;
CREATE TEMP TABLE rich (typ text, v text);
INSERT INTO rich VALUES
 ('odr_defects', odr_classify(feedback_stars => 2, dsr_item => 3, dsr_communication => 1, dsr_shipping => 1,
                              unshipped => true, arbitration => true, arbitration_seller_responsible => true,
                              dispute_timeout => true, order_amount_usd => 3)::text),
 ('odr_summary', (SELECT odr_agg(odr_classify(feedback_stars => 1 + g % 5, dsr_item => 1 + g % 5, dsr_communication => 1 + g % 4,
                                              dsr_shipping => 1 + g % 3, unshipped => g % 7 = 0, arbitration => g % 11 = 0,
                                              arbitration_seller_responsible => g % 22 = 0, dispute_timeout => g % 13 = 0,
                                              order_amount_usd => g % 9))::text
                  FROM generate_series(1, 997) g)),
 ('odr_order', odr_amazon_order('2026-01-05', 'mfn', 1, 'open', true, '2026-01-06', '2026-01-07', buyer => 'b',
                                promised_delivery_date => '2026-01-12', tracking_valid => true)::text),
 ('odr_order', odr_ebay_order('2026-01-05', 'b', 123.4567)::text),
 ('odr_tally', (SELECT odr_tally(odr_ebay_order('2026-01-01', 'b' || g, g, CASE WHEN g % 5 = 0 THEN 'seller' END, g % 7 = 0), 'ebay', '2026-01-01')::text
                FROM generate_series(1, 20) g)),
 ('odr_standing', (SELECT odr_assess(odr_ebay_order('2026-01-01'::date + g, 'b' || g % 3, g, CASE WHEN g % 5 = 0 THEN 'seller' END), 'ebay', '2026-03-20')::text
                   FROM generate_series(1, 90) g));
CREATE TEMP TABLE prefix_outcomes AS
SELECT r.typ, substr(r.v, 1, n) AS t, pg_temp.parse(substr(r.v, 1, n), r.typ) AS outcome
FROM rich r, generate_series(0, length(r.v)) n;
SELECT is((SELECT string_agg(DISTINCT outcome, ', ' ORDER BY outcome) FROM prefix_outcomes WHERE typ = 'odr_defects'),
          '22P02, ok', 'every prefix of an odr_defects text parses and round-trips, or fails with 22P02');
SELECT is((SELECT string_agg(DISTINCT outcome, ', ' ORDER BY outcome) FROM prefix_outcomes WHERE typ = 'odr_summary'),
          '22P02, ok', 'every prefix of an odr_summary text parses and round-trips, or fails with 22P02');
SELECT is((SELECT string_agg(DISTINCT outcome, ', ' ORDER BY outcome) FROM prefix_outcomes WHERE typ = 'odr_order'),
          '22P02, ok', 'every prefix of an odr_order text parses and round-trips, or fails with 22P02');
SELECT is((SELECT string_agg(DISTINCT outcome, ', ' ORDER BY outcome) FROM prefix_outcomes WHERE typ = 'odr_standing'),
          '22P02, ok', 'every prefix of an odr_standing text parses and round-trips, or fails with 22P02');
SELECT is((SELECT string_agg(DISTINCT outcome, ', ' ORDER BY outcome) FROM prefix_outcomes WHERE typ = 'odr_tally'),
          '22P02, ok', 'every prefix of an odr_tally text parses and round-trips, or fails with 22P02');
-- mutations: each byte replaced by a troublesome character, 12 ways
CREATE TEMP TABLE mutation_outcomes AS
SELECT r.typ, pg_temp.parse(overlay(r.v PLACING c FROM i FOR 1), r.typ) AS outcome
FROM rich r, generate_series(1, length(r.v)) i,
     unnest(ARRAY['(', ')', '{', '}', ',', '=', '-', '9', ' ', 'x', '', '99999999999999999999']) c;
SELECT is((SELECT string_agg(DISTINCT outcome, ', ' ORDER BY outcome) FROM mutation_outcomes
           WHERE outcome NOT IN ('ok', '22P02', '22003', '22023')), NULL,
          'every one-character mutation parses and round-trips or fails with 22P02 / 22003 / 22023');
SELECT cmp_ok((SELECT count(*) FROM mutation_outcomes), '>', 1000::bigint, 'more than 1000 mutated inputs were tried');

-- bigint limits: the largest counts parse; sums past them are 22003, never a wrap
SELECT is(pg_temp.parse('(orders=9223372036854775807,defective=9223372036854775807,unshipped=9223372036854775807)', 'odr_summary'),
          'ok', 'a summary at the bigint limit parses and round-trips');
SELECT is(pg_temp.parse('(orders=9223372036854775808)', 'odr_summary'), '22003', 'a count past the bigint limit is 22003');
SELECT throws_ok($$SELECT '(orders=9223372036854775807)'::odr_summary + '(orders=1)'::odr_summary$$, '22003', NULL,
                 'adding past the bigint limit is 22003 (no wrap)');
SELECT throws_ok($$SELECT odr_rollup(s) FROM (VALUES ('(orders=9223372036854775807)'::odr_summary), ('(orders=1)')) AS t(s)$$,
                 '22003', NULL, 'odr_rollup past the bigint limit is 22003');
SELECT throws_ok($$SELECT '(orders=1)'::odr_summary - '(orders=2)'::odr_summary$$, '22003', NULL,
                 'a subtraction below zero is 22003');

-- no side effect: a statement that fails on one bad row writes nothing
CREATE TEMP TABLE verdicts (id int, d odr_defects);
SELECT throws_ok($$INSERT INTO verdicts SELECT g, odr_classify(feedback_stars => CASE WHEN g = 500 THEN 6 ELSE 5 END)
                   FROM generate_series(1, 1000) g$$, '22003', NULL, 'a rating of 6 in row 500 of 1000 fails the INSERT (22003)');
SELECT is((SELECT count(*) FROM verdicts), 0::bigint, '... and nothing was inserted');

SELECT * FROM finish();
ROLLBACK;
