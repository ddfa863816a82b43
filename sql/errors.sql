-- Every bad input: a clear error with its SQLSTATE, and nothing changed.
CREATE FUNCTION err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
-- A14: ratings outside 1..5 (22003), for each rating parameter
SELECT err('SELECT odr_classify(feedback_stars => 6)');
SELECT err('SELECT odr_classify(feedback_stars => 0)');
SELECT err('SELECT odr_classify(dsr_item => -1)');
SELECT err('SELECT odr_classify(dsr_communication => 7)');
SELECT err('SELECT odr_classify(dsr_shipping => 0)');
-- amounts
SELECT err('SELECT odr_classify(order_amount_usd => -0.01)');
SELECT err('SELECT odr_classify(order_amount_usd => ''NaN'')');
SELECT err('SELECT odr_classify(order_amount_usd => ''Infinity'')');
-- contradictions (22023)
SELECT err('SELECT odr_classify(arbitration_seller_responsible => true)');
-- timestamps
SELECT err('SELECT odr_dispute_timed_out(''2026-10-01Z'', NULL, ''2026-09-30Z'')');
SELECT err('SELECT odr_dispute_timed_out(''2026-10-01Z'', ''2026-09-30Z'', NULL)');
SELECT err('SELECT odr_dispute_timed_out(''2026-10-01Z'', NULL, NULL, response_days => 0)');
SELECT err('SELECT odr_dispute_timed_out(''2026-10-01Z'', NULL, NULL, response_days => NULL)');
SELECT err('SELECT odr_dispute_timed_out(NULL, NULL, ''2026-10-01Z'')');
SELECT err('SELECT odr_dispute_timed_out(''infinity'', NULL, NULL)');
-- a deadline past the last timestamp is no overflow
SELECT err('SELECT odr_dispute_timed_out(''294276-12-30Z'', NULL, NULL)');
SELECT err('SELECT odr_unshipped(''2026-10-01Z'', NULL, NULL)');
SELECT err('SELECT odr_unshipped(''-infinity'', NULL, ''2026-10-01Z'')');
-- odr_defects text input (22P02; 22003 for a rating out of range)
SELECT err($q$SELECT ''::odr_defects$q$);
SELECT err($q$SELECT 'negative_feedback'::odr_defects$q$);
SELECT err($q$SELECT '{'::odr_defects$q$);
SELECT err($q$SELECT '{,}'::odr_defects$q$);
SELECT err($q$SELECT '{unshipped,}'::odr_defects$q$);
SELECT err($q$SELECT '{late_delivery}'::odr_defects$q$);
SELECT err($q$SELECT '{unshipped,unshipped}'::odr_defects$q$);
SELECT err($q$SELECT '{}x'::odr_defects$q$);
SELECT err($q$SELECT '{} stars=3'::odr_defects$q$);
SELECT err($q$SELECT '{} feedback=6'::odr_defects$q$);
SELECT err($q$SELECT '{} feedback=55'::odr_defects$q$);
SELECT err($q$SELECT '{} feedback='::odr_defects$q$);
SELECT err($q$SELECT '{} feedback=2'::odr_defects$q$);
SELECT err($q$SELECT '{negative_feedback} feedback=4'::odr_defects$q$);
SELECT err($q$SELECT '{} seller_responsible'::odr_defects$q$);
SELECT err($q$SELECT '{} feedback=5 feedback=5'::odr_defects$q$);
-- odr_summary text input
SELECT err($q$SELECT ''::odr_summary$q$);
SELECT err($q$SELECT '(orders=1'::odr_summary$q$);
SELECT err($q$SELECT '(orders=1) x'::odr_summary$q$);
SELECT err($q$SELECT '(orders=a)'::odr_summary$q$);
SELECT err($q$SELECT '(sellers=1)'::odr_summary$q$);
SELECT err($q$SELECT '(orders=1,orders=1)'::odr_summary$q$);
SELECT err($q$SELECT '(orders=-1)'::odr_summary$q$);
SELECT err($q$SELECT '(orders=9223372036854775808)'::odr_summary$q$);
SELECT err($q$SELECT '(orders=1,defective=2,unshipped=2)'::odr_summary$q$);
SELECT err($q$SELECT '(orders=2,defective=2,unshipped=1)'::odr_summary$q$);
SELECT err($q$SELECT '(orders=2,defective=1,unshipped=2)'::odr_summary$q$);
SELECT err($q$SELECT '(orders=2,defective=1,arbitration=1,seller_responsible=2)'::odr_summary$q$);
SELECT err($q$SELECT '(orders=2,rated=1,positive=2)'::odr_summary$q$);
SELECT err($q$SELECT '(orders=2,dsr_item_sum=11,dsr_item_ratings=2)'::odr_summary$q$);
SELECT err($q$SELECT '(orders=1,dsr_item_sum=1,dsr_item_ratings=2)'::odr_summary$q$);
-- binary input (22P03): each field goes through COPY (FORMAT binary), as a
-- client sends it; a bytea column's binary COPY carries the same bytes.
CREATE TABLE bin_in (d odr_defects);
CREATE TABLE bin_sum (s odr_summary);
CREATE FUNCTION recv_into(tab text, field bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	path text := current_setting('data_directory') || '/odr_recv_test.bin';
BEGIN
	EXECUTE format('COPY (SELECT %L::bytea) TO %L WITH (FORMAT binary)', field, path);
	RETURN err(format('COPY %I FROM %L WITH (FORMAT binary)', tab, path));
END $$;
SELECT recv_into('bin_in', '\x00000010') AS unshipped_ok;
SELECT recv_into('bin_in', '\x000010') AS three_bytes;
SELECT recv_into('bin_in', '\x00400000') AS reserved_bit;
SELECT recv_into('bin_in', '\x00000400') AS feedback_2_without_reason;
SELECT recv_into('bin_in', '\x00007000') AS item_rating_7;
SELECT d FROM bin_in;
SELECT recv_into('bin_sum', odr_summary_send('(orders=3,defective=1,unshipped=1)')) AS summary_ok;
SELECT recv_into('bin_sum', substring(b FROM 1 FOR length(b) - 1)) AS one_byte_short
FROM (SELECT odr_summary_send('(orders=3)') AS b) x;
SELECT recv_into('bin_sum', '\x0000') AS two_bytes;
SELECT recv_into('bin_sum', overlay(b PLACING '\x00000002' FROM 1)) AS version_2
FROM (SELECT odr_summary_send('(orders=3)') AS b) x;
SELECT recv_into('bin_sum', overlay(b PLACING '\x00000001' FROM 5)) AS reserved_flags
FROM (SELECT odr_summary_send('(orders=3)') AS b) x;
SELECT recv_into('bin_sum', overlay(b PLACING '\x0000000000000009' FROM 17)) AS defective_above_orders
FROM (SELECT odr_summary_send('(orders=3,defective=1,unshipped=1)') AS b) x;
SELECT recv_into('bin_sum', overlay(b PLACING '\xffffffffffffffff' FROM 9)) AS negative_orders
FROM (SELECT odr_summary_send('(orders=3)') AS b) x;
SELECT s FROM bin_sum;
SELECT err($q$SELECT odr_tier('(orders=100)'::odr_summary, 'no_such_policy')$q$);
SELECT err($q$SELECT odr_tier('(orders=100)'::odr_summary, NULL)$q$) AS null_policy_is_strict;
SELECT err($q$SELECT odr_has_reason('{}', 'late')$q$);
SELECT err($q$SELECT odr_reason_count('()', 'late')$q$);
SELECT err($q$SELECT odr_count('()', 'sellers')$q$);
SELECT err($q$SELECT odr_metric('()', 'nps')$q$);
SELECT err($q$SELECT odr_rating('{}', 'price')$q$);
-- summary arithmetic
SELECT err($q$SELECT '(orders=1)'::odr_summary - '(orders=2)'::odr_summary$q$);
SELECT err($q$SELECT '(orders=2,defective=1,unshipped=1)'::odr_summary - '(orders=1)'::odr_summary - '(orders=1)'::odr_summary$q$);
SELECT err($q$SELECT '(orders=9223372036854775807)'::odr_summary + '(orders=1)'::odr_summary$q$);
SELECT err($q$SELECT odr_rollup(s) FROM (VALUES ('(orders=9223372036854775807)'::odr_summary), ('(orders=1)')) v(s)$q$);
SELECT err($q$SELECT odr_agg_invfn('(orders=1)', '{}')$q$);
-- odr_agg_at / odr_rollup_at (issue #19).  A window that starts before the
-- first date of type date is refused with 22008, as odr_window refuses it
-- (it used to wrap around in 32 bits: XX000 invalid memory alloc request)
SELECT err($q$SELECT odr_agg_at(d, '{}', '{0001-01-01}', 2147483647) FROM (VALUES (date '2000-01-01')) v(d)$q$);
SELECT err($q$SELECT odr_agg_at(d, '{}', '{2000-01-01}', 2147483647) FROM (VALUES (date '2000-01-01')) v(d)$q$);
SELECT err($q$SELECT odr_rollup_at(d, '(orders=1)', '{2026-10-31,0001-01-01}', 2147483647) FROM (VALUES (date '0001-01-01')) v(d)$q$);
SELECT err($q$SELECT odr_window('0001-01-01', 2147483647)$q$) AS the_same_window;
-- the longest window ending on 2000-01-01 starts on the first date, 4714-11-24 BC; one day more is refused
SELECT odr_agg_at(d, '{}', '{2000-01-01}', 2451546) FROM (VALUES (date '4714-11-24 BC'), ('2000-01-01')) v(d);
SELECT err($q$SELECT odr_agg_at(d, '{}', '{2000-01-01}', 2451547) FROM (VALUES (date '2000-01-01')) v(d)$q$);
-- as_of, days and since_first_day define the group's windows: one that
-- varies between the rows of a group is 22023 on the row where it changes
-- (it used to be ignored: the first row's value was used)
SELECT err($q$SELECT odr_agg_at(d, '{}', '{2026-10-31}', n) FROM (VALUES (date '2026-10-01', 90), ('2026-10-02', 30)) v(d, n)$q$);
SELECT err($q$SELECT odr_agg_at(d, '{}', a, 90) FROM (VALUES (date '2026-10-01', '{2026-10-31}'::date[]), ('2026-10-02', '{2026-11-30}')) v(d, a)$q$);
SELECT err($q$SELECT odr_agg_at(d, '{}', ARRAY[date '2026-10-31' + g % 2], 90) FROM (SELECT date '2026-10-01' AS d, g FROM generate_series(1, 3) g) v$q$) AS computed_per_row;
SELECT err($q$SELECT odr_agg_at(d, '{}', '{2026-10-31}', 90, g > 1) FROM (SELECT date '2026-10-01' AS d, g FROM generate_series(1, 2) g) v$q$);
SELECT err($q$SELECT odr_rollup_at(d, '(orders=1)', '{2026-10-31}', n) FROM (VALUES (date '2026-10-01', 90), ('2026-10-02', 91)) v(d, n)$q$);
SELECT err($q$SELECT odr_agg_at(d, '{}', a, 90) FROM (VALUES (date '2026-10-01', '{2026-10-31}'::date[]), ('2026-10-02', NULL)) v(d, a)$q$) AS null_on_a_later_row;
SELECT err($q$SELECT odr_agg_at(d, '{}', '{2026-10-31}', n) FROM (VALUES (date '2026-10-01', 90), ('2026-10-02', NULL)) v(d, n)$q$) AS null_on_a_later_row;
SELECT err($q$SELECT odr_agg_at(d, '{}', '{2026-10-31}', 90, f) FROM (VALUES (date '2026-10-01', true), ('2026-10-02', NULL)) v(d, f)$q$) AS null_on_a_later_row;
SELECT err($q$SELECT odr_agg_at(d, '{}', a, 90) FROM (VALUES (date '2026-10-01', '{2026-10-31}'::date[]), ('2026-10-02', '{2026-10-31,NULL}')) v(d, a)$q$) AS bad_dates_on_a_later_row;
-- the same dates in another order or repeated are the same windows: no error
SELECT odr_agg_at(d, '{}', a, 90) FROM (VALUES (date '2026-10-01', '{2026-10-31,2026-11-30}'::date[]), ('2026-10-02', '{2026-11-30,2026-10-31,2026-11-30}')) v(d, a);
-- odr_agg_at over timestamptz: time_zone is a zone name of pg_timezone_names (22023 otherwise, 22004 for NULL)
SELECT err($q$SELECT odr_agg_at(t, '{}', '{2026-10-31}', 90, 'CST') FROM (VALUES (timestamptz '2026-10-01 12:00+00')) v(t)$q$);
SELECT err($q$SELECT odr_agg_at(t, '{}', '{2026-10-31}', 90, 'UTC+8') FROM (VALUES (timestamptz '2026-10-01 12:00+00')) v(t)$q$);
SELECT err($q$SELECT odr_agg_at(t, '{}', '{2026-10-31}', 90, '+08:00') FROM (VALUES (timestamptz '2026-10-01 12:00+00')) v(t)$q$);
SELECT err($q$SELECT odr_agg_at(t, '{}', '{2026-10-31}', 90, 'Mars/Olympus') FROM (VALUES (timestamptz '2026-10-01 12:00+00')) v(t)$q$);
SELECT err($q$SELECT odr_agg_at(t, '{}', '{2026-10-31}', 90, '') FROM (VALUES (timestamptz '2026-10-01 12:00+00')) v(t)$q$);
SELECT err($q$SELECT odr_agg_at(t, '{}', '{2026-10-31}', 90, NULL) FROM (VALUES (timestamptz '2026-10-01 12:00+00')) v(t)$q$);
SELECT err($q$SELECT odr_agg_at(t, '{}', '{2026-10-31}', 90, z) FROM (VALUES (timestamptz '2026-10-01 12:00+00', 'Asia/Shanghai'), (NULL, 'Asia/Tokio')) v(t, z)$q$) AS checked_on_every_row;
-- ... and only with a timestamptz day: a date or timestamp would be cast in the session's TimeZone first
SELECT err($q$SELECT odr_agg_at(d, '{}', '{2026-10-31}', 90, 'Asia/Shanghai'::text) FROM (VALUES (date '2026-10-01')) v(d)$q$);
SELECT err($q$SELECT odr_agg_at(t, '{}', '{2026-10-31}', 90, 'Asia/Shanghai'::text) FROM (VALUES (timestamp '2026-10-01 12:00')) v(t)$q$);
SELECT err($q$SELECT odr_agg_at(t, '{}', '{2026-10-31}', 90) FROM (VALUES (timestamptz '2026-10-01 12:00+00')) v(t)$q$) AS no_zone;
-- the message, detail and hint as a client sees them
SELECT odr_agg_at(d, '{}', '{0001-01-01}', 2147483647) FROM (VALUES (date '2000-01-01')) v(d);
SELECT odr_agg_at(d, '{}', a, 90) FROM (VALUES (date '2026-10-01', '{2026-10-31}'::date[]), ('2026-10-02', '{2026-11-30,2026-10-31}')) v(d, a);
SELECT odr_agg_at(t, '{}', '{2026-10-31}', 90, 'CST') FROM (VALUES (timestamptz '2026-10-01 12:00+00')) v(t);
-- policies: built-in ones are read-only; bad cut-offs are rejected
SELECT err($q$UPDATE odr_policy SET pass_below = 0.2 WHERE name = 'aliexpress'$q$);
SELECT err($q$DELETE FROM odr_policy WHERE name = 'aliexpress'$q$);
SELECT err($q$INSERT INTO odr_policy (name, excellent_below, good_below, pass_below, builtin) VALUES ('x', 0.01, 0.02, 0.03, true)$q$);
SELECT err($q$INSERT INTO odr_policy (name, excellent_below, good_below, pass_below) VALUES ('x', 0.05, 0.02, 0.03)$q$);
SELECT err($q$INSERT INTO odr_policy (name, excellent_below, good_below, pass_below) VALUES ('x', 0.01, 0.02, 1.5)$q$);
SELECT err($q$INSERT INTO odr_policy (name, excellent_below, good_below, pass_below) VALUES ('x', 'NaN', 0.02, 0.03)$q$);
SELECT err($q$INSERT INTO odr_policy (name, min_orders, excellent_below, good_below, pass_below) VALUES ('x', -1, 0.01, 0.02, 0.03)$q$);
SELECT err($q$INSERT INTO odr_policy_condition VALUES ('aliexpress', 'excellent', 'odr', 'max', 0.01)$q$);
SELECT err($q$INSERT INTO odr_policy_condition VALUES ('nope', 'excellent', 'odr', 'max', 0.01)$q$);
INSERT INTO odr_policy (name, excellent_below, good_below, pass_below) VALUES ('mine', 0.01, 0.02, 0.03);
SELECT err($q$INSERT INTO odr_policy_condition VALUES ('mine', 'fail', 'odr', 'max', 0.01)$q$);
SELECT err($q$INSERT INTO odr_policy_condition VALUES ('mine', 'good', 'nps', 'max', 0.01)$q$);
SELECT err($q$INSERT INTO odr_policy_condition VALUES ('mine', 'good', 'odr', 'below', 0.01)$q$);
SELECT err($q$INSERT INTO odr_policy_condition VALUES ('mine', 'good', 'odr', 'max', 'Infinity')$q$);
SELECT err($q$SET odr.default_policy = ''$q$);
DELETE FROM odr_policy WHERE name = 'mine';
-- loses nothing: a bad row in a batch leaves the table as it was
CREATE TABLE verdicts (id int, d odr_defects);
INSERT INTO verdicts VALUES (1, '{}');
SELECT err($q$INSERT INTO verdicts SELECT g, odr_classify(feedback_stars => 3 + g) FROM generate_series(2, 4) g$q$);
SELECT * FROM verdicts;
SELECT name FROM odr_policy ORDER BY name;
DROP TABLE verdicts, bin_in, bin_sum;
DROP FUNCTION recv_into(text, bytea);
DROP FUNCTION err(text);
