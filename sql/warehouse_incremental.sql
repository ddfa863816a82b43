-- The incremental warehouse (odr_create_warehouse(..., incremental => true)):
-- a randomised property test.  Many rounds of mixed writes to the source
-- tables (inserts, updates of every column the warehouse reads, moving
-- orders to another seller or day, deletes, TRUNCATE, COPY, NULL sellers),
-- with and without refreshes in between; after every refresh every view of
-- the warehouse equals a full recomputation from the raw rows (a fresh
-- non-incremental warehouse made over the same source), and before it the
-- fresh-without-a-refresh views (<prefix>daily_live, <prefix>now) equal the
-- raw rows already.  Three warehouses: over a view of one table (date day,
-- integer seller), and over a table by a timestamptz day in a zone (text
-- seller, 30-day windows, a policy) and by a timestamp day.
SET datestyle = ISO;
SET client_min_messages = warning;
\set VERBOSITY terse
SELECT setseed(0.16);

CREATE TABLE pt_orders (
	id int PRIMARY KEY,
	seller int,
	finished_on date,
	stars int,
	unshipped boolean,
	arb boolean,
	note text);
CREATE INDEX ON pt_orders (seller, finished_on);
CREATE VIEW pt_classified AS
SELECT id, seller, finished_on,
       odr_classify(feedback_stars => stars, unshipped => unshipped, arbitration => arb) AS defects
FROM pt_orders;
CREATE TABLE pt_tz (
	id int PRIMARY KEY,
	seller text,
	at timestamptz,
	at_local timestamp,
	defects odr_defects);
CREATE INDEX ON pt_tz (seller, at);
CREATE INDEX ON pt_tz (seller, at_local);

INSERT INTO pt_orders
SELECT g, g % 8, date '2026-01-01' + (g * 37 % 150), 1 + g % 5, g % 11 = 0, g % 29 = 0, 'seed'
FROM generate_series(1, 1500) g;
INSERT INTO pt_tz
SELECT g, 's' || g % 6, timestamptz '2026-01-01 00:00+00' + (g * 7919 % 3600) * interval '1 hour',
       timestamp '2026-01-01' + (g * 104729 % 3600) * interval '1 hour',
       odr_classify(feedback_stars => 1 + g % 5, dsr_shipping => 1 + g % 3)
FROM generate_series(1, 1200) g;

SELECT * FROM odr_create_warehouse('pt_classified', 'seller', 'finished_on', 'defects', prefix => 'pa_', incremental => true);
SELECT count(*) FROM odr_create_warehouse('pt_tz', 'seller', 'at', 'defects', prefix => 'pb_', window_days => 30,
                                          policy => 'aliexpress', time_zone => 'Asia/Shanghai', incremental => true);
SELECT count(*) FROM odr_create_warehouse('pt_tz', 'seller', 'at_local', 'defects', prefix => 'pc_', incremental => true);
-- the tables are the ones of a materialised warehouse, with the same keys
SELECT c.relname, c.relkind, pg_get_indexdef(i.indexrelid) AS key
FROM pg_class c JOIN pg_index i ON i.indrelid = c.oid AND i.indisunique
WHERE c.relname IN ('pa_daily', 'pa_segments') ORDER BY 1;
SELECT tgname, tgrelid::regclass FROM pg_trigger WHERE tgname LIKE 'p__capture%' ORDER BY 1;

-- Warehouse p against the raw rows of src (day_of: the day of a source row):
-- "live", before a refresh: <prefix>daily_live and <prefix>now; "stored",
-- after one: also <prefix>daily and <prefix>segments, and the change log
-- must be empty; "full": also every view on top equals the same view of a
-- fresh full warehouse (made with create_ref, prefix ref_).  Raises on a
-- difference.
CREATE FUNCTION pt_check(p text, create_ref text, src text, seller text, day_of text, defects text,
                         days int, mode text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v text;
	n bigint;
	raw_daily text := format('SELECT %s AS seller_id, %s AS day, odr_agg(%s) AS summary FROM %s GROUP BY 1, 2',
	                         seller, day_of, defects, src);
BEGIN
	IF mode <> 'live' THEN
		EXECUTE format('SELECT count(*) FROM ((TABLE %1$I EXCEPT ALL %2$s) UNION ALL (%2$s EXCEPT ALL TABLE %1$I)) x',
		               p || 'daily', raw_daily) INTO n;
		IF n <> 0 THEN
			RAISE EXCEPTION '%daily: % rows differ from the raw rows', p, n;
		END IF;
		EXECUTE format($q$
			WITH raw AS (SELECT seller_id, odr_assessment_segment(day, %2$s) AS segment, min(day) AS first_day,
			                    max(day) AS last_day, odr_rollup(summary) AS summary
			             FROM (%3$s) d GROUP BY 1, 2)
			SELECT count(*) FROM ((TABLE %1$I EXCEPT ALL TABLE raw) UNION ALL (TABLE raw EXCEPT ALL TABLE %1$I)) x$q$,
			p || 'segments', days, raw_daily) INTO n;
		IF n <> 0 THEN
			RAISE EXCEPTION '%segments: % rows differ from the raw rows', p, n;
		END IF;
		EXECUTE format('SELECT (SELECT count(*) FROM %I) + (SELECT count(*) FROM %I)', p || 'changes', p || 'claimed') INTO n;
		IF n <> 0 THEN
			RAISE EXCEPTION '%: % keys left in the log after a refresh', p, n;
		END IF;
	END IF;
	IF mode = 'full' THEN
		EXECUTE 'SELECT count(*) FROM ' || create_ref;
		FOREACH v IN ARRAY ARRAY['daily', 'segments', 'month_end', 'daily_history', 'tier_changes', 'scorecard', 'projection'] LOOP
			EXECUTE format('SELECT count(*) FROM ((TABLE %1$I EXCEPT ALL TABLE %2$I) UNION ALL (TABLE %2$I EXCEPT ALL TABLE %1$I)) x',
			               p || v, 'ref_' || v) INTO n;
			IF n <> 0 THEN
				RAISE EXCEPTION '%: % rows differ from a full recomputation', p || v, n;
			END IF;
		END LOOP;
		DROP MATERIALIZED VIEW ref_daily CASCADE;
	END IF;
	EXECUTE format('SELECT count(*) FROM ((TABLE %1$I EXCEPT ALL %2$s) UNION ALL (%2$s EXCEPT ALL TABLE %1$I)) x',
	               p || 'daily_live', raw_daily) INTO n;
	IF n <> 0 THEN
		RAISE EXCEPTION '%daily_live: % rows differ from the raw rows', p, n;
	END IF;
	EXECUTE format($q$
		WITH raw AS (SELECT %3$s AS seller_id, %4$s AS day, %5$s AS defects FROM %2$s),
		     w AS (SELECT l.as_of, odr_last_assessment(l.as_of) AS month_end FROM (SELECT max(day) AS as_of FROM raw) l),
		     expected AS (
		       SELECT w.as_of, r.seller_id,
		              coalesce(odr_agg(r.defects) FILTER (WHERE r.day >= w.as_of - %6$s), '()') AS summary,
		              w.month_end,
		              coalesce(odr_agg(r.defects) FILTER (WHERE r.day BETWEEN w.month_end - %6$s AND w.month_end), '()') AS month_end_summary
		       FROM raw r, w WHERE r.day BETWEEN w.month_end - %6$s AND w.as_of
		       GROUP BY w.as_of, w.month_end, r.seller_id),
		     got AS (SELECT as_of, seller_id, summary, month_end, month_end_summary FROM %1$I)
		SELECT count(*) FROM ((TABLE expected EXCEPT ALL TABLE got) UNION ALL (TABLE got EXCEPT ALL TABLE expected)) x$q$,
		p || 'now', src, seller, day_of, defects, days - 1) INTO n;
	IF n <> 0 THEN
		RAISE EXCEPTION '%now: % rows differ from the raw rows', p, n;
	END IF;
END
$$;
CREATE FUNCTION pt_check_all(mode text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pt_check('pa_', $r$odr_create_warehouse('pt_classified', 'seller', 'finished_on', 'defects', prefix => 'ref_')$r$,
	                 'pt_classified', 'seller', 'finished_on', 'defects', 90, mode);
	PERFORM pt_check('pb_', $r$odr_create_warehouse('pt_tz', 'seller', 'at', 'defects', prefix => 'ref_', window_days => 30,
	                                                policy => 'aliexpress', time_zone => 'Asia/Shanghai')$r$,
	                 'pt_tz', 'seller', $d$(at AT TIME ZONE 'Asia/Shanghai')::date$d$, 'defects', 30, mode);
	PERFORM pt_check('pc_', $r$odr_create_warehouse('pt_tz', 'seller', 'at_local', 'defects', prefix => 'ref_')$r$,
	                 'pt_tz', 'seller', 'at_local::date', 'defects', 90, mode);
END
$$;
CREATE TABLE pt_log (round int, refreshed boolean, orders bigint, tz_orders bigint, keys bigint);

-- One round of random writes: inserts (now and then a NULL seller or day),
-- updates of the rating, the seller, the day, an unrelated column, deletes;
-- a TRUNCATE in the given rounds.
CREATE FUNCTION pt_round(r int, truncate_in int[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	next_id int := (SELECT coalesce(max(id), 0) FROM pt_orders) + 1;
	next_tz int := (SELECT coalesce(max(id), 0) FROM pt_tz) + 1;
	k int := 1 + floor(random() * 40)::int;
BEGIN
	IF r = ANY (truncate_in) THEN
		TRUNCATE pt_orders;
		TRUNCATE pt_tz;
	END IF;
	INSERT INTO pt_orders
	SELECT next_id + g, floor(random() * 10)::int, date '2026-01-01' + floor(random() * 170)::int,
	       1 + floor(random() * 5)::int, random() < 0.1, random() < 0.05, 'round ' || r
	FROM generate_series(0, k - 1) g;
	INSERT INTO pt_tz
	SELECT next_tz + g, 's' || floor(random() * 8)::int,
	       timestamptz '2026-01-01 00:00+00' + floor(random() * 4000) * interval '1 hour' + floor(random() * 60) * interval '1 minute',
	       timestamp '2026-01-01' + floor(random() * 4000) * interval '1 hour',
	       odr_classify(feedback_stars => 1 + floor(random() * 5)::int, unshipped => random() < 0.1)
	FROM generate_series(0, k - 1) g;
	IF r % 7 = 3 THEN   -- an order without a seller, or without a day
		INSERT INTO pt_orders VALUES (next_id + k, NULL, date '2026-03-01', 1, true, false, 'no seller');
		INSERT INTO pt_tz VALUES (next_tz + k, 's1', NULL, NULL, '{}');
	END IF;
	-- a late rating, a dispute ruled later
	UPDATE pt_orders SET stars = 1 + floor(random() * 5)::int, arb = random() < 0.2 WHERE random() < 0.03;
	UPDATE pt_tz SET defects = odr_classify(feedback_stars => 1 + floor(random() * 5)::int, arbitration => true) WHERE random() < 0.03;
	-- orders moved to another seller, or to another day
	UPDATE pt_orders SET seller = floor(random() * 10)::int WHERE random() < 0.01;
	UPDATE pt_orders SET finished_on = finished_on + floor(random() * 61)::int - 30 WHERE random() < 0.01;
	UPDATE pt_tz SET seller = 's' || floor(random() * 8)::int WHERE random() < 0.01;
	UPDATE pt_tz SET at = at + floor(random() * 1440) * interval '1 minute' - interval '12 hours',
	                 at_local = at_local + floor(random() * 72) * interval '1 hour' - interval '36 hours'
	WHERE random() < 0.02;
	-- a column the warehouse does not read; nothing at all
	UPDATE pt_orders SET note = 'touched' WHERE random() < 0.02;
	UPDATE pt_orders SET note = 'never' WHERE false;
	DELETE FROM pt_orders WHERE random() < 0.01;
	DELETE FROM pt_tz WHERE random() < 0.01;
END
$$;

-- 30 rounds: the fresh views are checked after every round, and a refresh
-- (two rounds in three) by the check of the stored rows; every fifth round
-- that refreshes also compares every view with a full recomputation
DO $$
DECLARE
	refreshed boolean;
BEGIN
	FOR r IN 1 .. 30 LOOP
		PERFORM pt_round(r, ARRAY[17]);
		PERFORM pt_check_all('live');
		refreshed := random() < 0.67;
		INSERT INTO pt_log VALUES (r, refreshed, (SELECT count(*) FROM pt_orders), (SELECT count(*) FROM pt_tz),
		                           (SELECT count(*) FROM pa_changes) + (SELECT count(*) FROM pb_changes));
		IF refreshed THEN
			PERFORM odr_refresh_warehouse('pa_daily');
			PERFORM odr_refresh_warehouse('pb_daily');
			PERFORM odr_refresh_warehouse('pc_daily');
			PERFORM pt_check_all(CASE WHEN r % 5 = 0 THEN 'full' ELSE 'stored' END);
		END IF;
	END LOOP;
END
$$;
SELECT count(*) AS rounds, count(*) FILTER (WHERE refreshed) AS refreshes,
       count(*) FILTER (WHERE orders < 200) AS rounds_after_truncate, max(orders) AS most_orders,
       max(tz_orders) AS most_tz_orders, min(keys) > 0 AS keys_logged_every_round
FROM pt_log;

-- COPY is captured like INSERT, over a view (keys) and over a table (summaries)
SELECT count(*) FROM odr_refresh_warehouse('pa_daily');
COPY pt_orders (id, seller, finished_on, stars, unshipped, arb, note) FROM stdin;
900001	3	2026-02-10	1	t	f	copy
900002	3	2026-02-10	5	f	f	copy
900003	12	2026-05-01	2	f	t	copy
\.
SELECT * FROM pa_changes ORDER BY 1, 2;
-- over a table, the log carries the summaries of what was written and
-- removed (a refresh adds and subtracts them); over a view, the keys only
SELECT count(*) FROM odr_refresh_warehouse('pb_daily');
COPY pt_tz (id, seller, at, at_local, defects) FROM stdin;
900001	s9	2026-03-01 17:00:00+00	2026-03-01 17:00:00	{unshipped}
900002	s9	2026-03-01 15:00:00+00	2026-03-01 15:00:00	{}
\.
UPDATE pt_tz SET seller = 's8' WHERE id = 900002;
SELECT seller_id, day, odr_orders(plus) AS plus_orders, odr_defective(plus) AS plus_defective,
       odr_orders(minus) AS minus_orders FROM pb_changes ORDER BY 1, 2, 3, 5;
SELECT pt_check_all('live');
SELECT count(*) FROM odr_refresh_warehouse('pa_daily');
SELECT count(*) FROM odr_refresh_warehouse('pb_daily');
SELECT count(*) FROM odr_refresh_warehouse('pc_daily');
SELECT pt_check_all('full');
SELECT seller_id, day, odr_orders(summary) FROM pa_daily WHERE seller_id = 12;

-- A refresh that is rolled back leaves the log as it was: the next one
-- applies it
UPDATE pt_orders SET seller = 12 WHERE id BETWEEN 900001 AND 900002;
SELECT count(*) AS logged FROM pa_changes;
BEGIN;
SELECT * FROM odr_refresh_warehouse('pa_daily');
SELECT count(*) AS logged_in_refresh FROM pa_changes;
ROLLBACK;
SELECT count(*) AS logged_after_rollback FROM pa_changes;
SELECT seller_id, day, odr_orders(summary) FROM pa_daily WHERE seller_id = 12 ORDER BY day;
SELECT count(*) FROM odr_refresh_warehouse('pa_daily');
SELECT seller_id, day, odr_orders(summary) FROM pa_daily WHERE seller_id = 12 ORDER BY day;
SELECT pt_check_all('full');

-- A materialised view of the owner's on top of an incremental warehouse is
-- refreshed after it; a refresh with nothing logged changes nothing
CREATE MATERIALIZED VIEW pa_report AS SELECT as_of, count(*) AS sellers, sum(orders) AS orders FROM pa_month_end GROUP BY as_of;
CREATE UNIQUE INDEX ON pa_report (as_of);
INSERT INTO pt_orders VALUES (900010, 5, '2026-04-30', 5, false, false, 'late');
SELECT * FROM odr_refresh_warehouse('pa_daily');
SELECT (SELECT count(*) FROM pa_report r
        JOIN (SELECT as_of, count(*) AS sellers, sum(orders) AS orders FROM pa_month_end GROUP BY as_of) m
        USING (as_of, sellers, orders)) = (SELECT count(*) FROM pa_month_end WHERE false) + (SELECT count(DISTINCT as_of) FROM pa_month_end)
       AS report_follows;
SELECT * FROM odr_refresh_warehouse('pa_daily');
DROP MATERIALIZED VIEW pa_report;

-- Only the owner refreshes an incremental warehouse (the refresh reads the
-- source with the caller's rights); another role may write the table, and
-- its keys are logged
CREATE ROLE regress_odr_writer;
GRANT SELECT, INSERT, UPDATE, DELETE ON pt_orders TO regress_odr_writer;
-- pa_ was made before the grant: its log needs one of its own
GRANT INSERT ON pa_changes TO regress_odr_writer;
SELECT count(*) FROM odr_create_warehouse('pt_classified', 'seller', 'finished_on', 'defects', prefix => 'pw_', incremental => true);
SELECT has_table_privilege('regress_odr_writer', 'pw_changes', 'INSERT') AS writer_may_log,
       has_table_privilege('regress_odr_writer', 'pw_changes', 'SELECT') AS writer_may_read_log;
SET ROLE regress_odr_writer;
INSERT INTO pt_orders VALUES (900020, 6, '2026-05-05', 1, true, false, 'by the writer');
UPDATE pt_orders SET stars = 1 WHERE id = 900010;
SELECT * FROM odr_refresh_warehouse('pw_daily');
RESET ROLE;
SELECT count(*) FROM odr_refresh_warehouse('pw_daily');
SELECT pt_check_all('live');

-- Dropping an incremental warehouse: the capture function with its
-- triggers, then the tables with the views on them; the source is
-- writable as before
DROP FUNCTION pw_capture() CASCADE;
DROP TABLE pw_daily, pw_segments, pw_changes, pw_claimed CASCADE;
SELECT count(*) AS left_over FROM pg_class WHERE relname LIKE 'pw\_%';
SELECT count(*) AS triggers_left FROM pg_trigger WHERE tgname LIKE 'pw\_%';
DELETE FROM pt_orders WHERE id = 900020;
REVOKE ALL ON pt_orders FROM regress_odr_writer;
REVOKE ALL ON pa_changes FROM regress_odr_writer;
DROP ROLE regress_odr_writer;

-- What an incremental warehouse refuses: a view of more than one table, a
-- seller or day that is not a plain column of the table, a materialised
-- view, a NULL
CREATE TABLE pt_sellers (seller int PRIMARY KEY, name text);
CREATE VIEW pt_joined AS SELECT c.*, s.name FROM pt_classified c JOIN pt_sellers s USING (seller);
SELECT odr_create_warehouse('pt_joined', 'seller', 'finished_on', 'defects', prefix => 'px_', incremental => true);
CREATE VIEW pt_two AS SELECT o.id, o.seller, o.finished_on, odr_classify(feedback_stars => o.stars) AS defects
FROM pt_orders o WHERE o.seller IN (SELECT seller FROM pt_sellers);
SELECT odr_create_warehouse('pt_two', 'seller', 'finished_on', 'defects', prefix => 'px_', incremental => true);
CREATE VIEW pt_shifted AS SELECT id, seller + 0 AS seller, finished_on, odr_classify(feedback_stars => stars) AS defects FROM pt_orders;
SELECT odr_create_warehouse('pt_shifted', 'seller', 'finished_on', 'defects', prefix => 'px_', incremental => true);
CREATE VIEW pt_shifted_day AS
SELECT id, seller, finished_on + 1 AS finished_on,
       odr_classify(feedback_stars => stars, unshipped => unshipped, arbitration => arb) AS defects
FROM pt_orders;
SELECT odr_create_warehouse('pt_shifted_day', 'seller', 'finished_on', 'defects', prefix => 'px_', incremental => true);
CREATE MATERIALIZED VIEW pt_mat AS SELECT * FROM pt_classified WITH NO DATA;
SELECT odr_create_warehouse('pt_mat', 'seller', 'finished_on', 'defects', prefix => 'px_', incremental => true);
SELECT odr_create_warehouse('pt_classified', 'seller', 'finished_on', 'defects', prefix => 'px_', incremental => NULL);
SELECT count(*) AS nothing_made FROM pg_class WHERE relname LIKE 'px\_%';
-- a table that merely ends in "daily" is no warehouse
CREATE TABLE px_daily (seller_id int, day date, summary odr_summary);
SELECT odr_refresh_warehouse('px_daily');
DROP TABLE px_daily;
DROP MATERIALIZED VIEW pt_mat;
DROP VIEW pt_joined, pt_two, pt_shifted, pt_shifted_day;
DROP TABLE pt_sellers;

-- A view that renames and reorders the table's columns, with a WHERE: the
-- captured keys follow the columns under the names
CREATE VIEW pt_renamed AS
SELECT odr_classify(feedback_stars => stars) AS verdict, finished_on AS closed, id, seller AS shop
FROM pt_orders WHERE note IS DISTINCT FROM 'hidden';
SELECT count(*) FROM odr_create_warehouse('pt_renamed', 'shop', 'closed', 'verdict', prefix => 'pr_', incremental => true);
DO $$
BEGIN
	UPDATE pt_orders SET note = 'hidden' WHERE id % 50 = 0;
	UPDATE pt_orders SET seller = 11, finished_on = finished_on + 3 WHERE id % 45 = 0;
END
$$;
SELECT count(*) FROM odr_refresh_warehouse('pr_daily');
SELECT count(*) AS differ
FROM ((TABLE pr_daily EXCEPT ALL SELECT shop, closed, odr_agg(verdict) FROM pt_renamed GROUP BY 1, 2)
      UNION ALL (SELECT shop, closed, odr_agg(verdict) FROM pt_renamed GROUP BY 1, 2 EXCEPT ALL TABLE pr_daily)) x;
SELECT pt_check_all('live');
