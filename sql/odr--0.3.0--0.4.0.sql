/*
 * odr 0.3.0 -> 0.4.0.  Every object new or changed in 0.4.0, in the same
 * words as sql/odr.sql (test/upgrade.sh checks that an updated database
 * equals a fresh install, object by object and result by result).
 *
 * odr_create_warehouse takes a time_zone: a timestamptz day column is read
 * in that zone (by default the creating session's TimeZone), fixed into the
 * daily view.  Under 0.3.0 the view cast it with ::date, which takes the
 * TimeZone of whichever session refreshes: a refresh by a job in another
 * zone moved orders between days.  Warehouses created under 0.3.0 from a
 * timestamptz column keep that cast; create them again (see README,
 * Upgrades); odr_refresh_warehouse now warns when it refreshes one.
 * Warehouses over a date or timestamp column are not affected.
 */

\echo Use "ALTER EXTENSION odr UPDATE TO '0.4.0'" to load this file. \quit

-- ---------------------------------------------------------------------
-- Warehouse: the day of a timestamptz in one fixed time zone
-- ---------------------------------------------------------------------

DROP FUNCTION odr_create_warehouse(regclass, name, name, name, text, integer, text);

CREATE FUNCTION odr_create_warehouse(
	source regclass,
	seller_column name,
	day_column name,
	defects_column name,
	prefix text DEFAULT 'odr_',
	window_days integer DEFAULT 90,
	policy text DEFAULT NULL,
	time_zone text DEFAULT NULL)
RETURNS SETOF regclass
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	nsp name;
	src text := source::text;
	day_type regtype;
	day_of text;
	zone_asked text;
	zone text;
	defects_type regtype;
	seller_type regtype;
	tier_of text;
	card_of text;
	proj_of text;
	daily text;
	segments text;
	q text;
BEGIN
	IF window_days IS NULL OR window_days < 1 THEN
		RAISE EXCEPTION 'window_days % is not a positive number of days', window_days
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF prefix IS NULL OR seller_column IS NULL OR day_column IS NULL OR defects_column IS NULL THEN
		RAISE EXCEPTION 'source, seller_column, day_column, defects_column and prefix must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	SELECT n.nspname INTO nsp FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE c.oid = source;
	SELECT a.atttypid::regtype INTO seller_type FROM pg_attribute a
	WHERE a.attrelid = source AND a.attname = seller_column AND a.attnum > 0 AND NOT a.attisdropped;
	SELECT a.atttypid::regtype INTO day_type FROM pg_attribute a
	WHERE a.attrelid = source AND a.attname = day_column AND a.attnum > 0 AND NOT a.attisdropped;
	SELECT a.atttypid::regtype INTO defects_type FROM pg_attribute a
	WHERE a.attrelid = source AND a.attname = defects_column AND a.attnum > 0 AND NOT a.attisdropped;
	IF seller_type IS NULL OR day_type IS NULL OR defects_type IS NULL THEN
		RAISE EXCEPTION 'column "%" of "%" does not exist',
			CASE WHEN seller_type IS NULL THEN seller_column
			     WHEN day_type IS NULL THEN day_column ELSE defects_column END, src
			USING ERRCODE = 'undefined_column';
	END IF;
	IF defects_type <> '@extschema@.odr_defects'::regtype THEN
		RAISE EXCEPTION 'column "%" of "%" is %, not odr_defects', defects_column, src, defects_type
			USING ERRCODE = 'datatype_mismatch',
			      HINT = 'Classify the orders with odr_classify() in a view and pass the view.';
	END IF;
	IF day_type NOT IN ('date'::regtype, 'timestamp'::regtype, 'timestamptz'::regtype) THEN
		RAISE EXCEPTION 'column "%" of "%" is %, not a date or timestamp', day_column, src, day_type
			USING ERRCODE = 'datatype_mismatch';
	END IF;
	-- The day of an order.  A timestamptz is turned into a day in one fixed
	-- zone, written into the view: a plain ::date would take the TimeZone of
	-- whichever session refreshes, and a refresh by a job running in another
	-- zone would move orders between days.
	IF day_type = 'timestamptz'::regtype THEN
		-- a zone name (daylight saving time included), spelt as PostgreSQL does
		zone_asked := coalesce(time_zone, current_setting('TimeZone'));
		SELECT n.name INTO zone FROM pg_timezone_names n
		WHERE lower(n.name) = lower(zone_asked)
		ORDER BY n.name = zone_asked DESC, n.name LIMIT 1;
		IF zone IS NULL THEN
			RAISE EXCEPTION '% "%" is not a recognized time zone',
				CASE WHEN time_zone IS NULL THEN 'the session''s TimeZone' ELSE 'time_zone' END, zone_asked
				USING ERRCODE = 'invalid_parameter_value',
				      DETAIL = 'A zone is a time zone name PostgreSQL knows (pg_timezone_names); abbreviations such as CST and offsets such as UTC+8 are not accepted, as they ignore daylight saving time.',
				      HINT = 'Pass time_zone by name, such as ''Asia/Shanghai''.';
		END IF;
		day_of := format('(%I AT TIME ZONE %L)::date', day_column, zone);
		IF time_zone IS NULL THEN
			RAISE NOTICE 'the days of "%" are taken in time zone "%" (the session''s TimeZone)', day_column, zone
				USING HINT = 'Pass time_zone to choose another; the zone is fixed into the views.';
		END IF;
	ELSIF time_zone IS NOT NULL THEN
		RAISE EXCEPTION 'time_zone applies only to a timestamptz day column; column "%" of "%" is %', day_column, src, day_type
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'A date or timestamp already is the local day; leave time_zone out.';
	ELSE
		day_of := format('%I::date', day_column);
	END IF;
	IF policy IS NOT NULL THEN
		PERFORM @extschema@.odr_tier('()'::@extschema@.odr_summary, policy);  -- unknown policy: 22023
		tier_of := format('@extschema@.odr_tier(%%s, %L)', policy);
		card_of := format('@extschema@.odr_scorecard(%%s, %L)', policy);
		proj_of := format('@extschema@.odr_projection(%%s, %%s, %%s, %L)', policy);
	ELSE
		tier_of := '@extschema@.odr_tier(%s)';
		card_of := '@extschema@.odr_scorecard(%s)';
		proj_of := '@extschema@.odr_projection(%s, %s, %s)';
	END IF;
	daily := format('%I.%I', nsp, prefix || 'daily');
	segments := format('%I.%I', nsp, prefix || 'segments');

	-- per (seller, day) summaries
	EXECUTE format($q$
		CREATE MATERIALIZED VIEW %s AS
		SELECT %I AS seller_id, %s AS day, @extschema@.odr_agg(%I) AS summary
		FROM %s GROUP BY 1, 2 ORDER BY 1, 2$q$, daily, seller_column, day_of, defects_column, src);
	EXECUTE format('CREATE UNIQUE INDEX %I ON %s (seller_id, day)', prefix || 'daily_key', daily);
	EXECUTE format('CREATE INDEX %I ON %s (day)', prefix || 'daily_day', daily);
	EXECUTE format('COMMENT ON MATERIALIZED VIEW %s IS %L', daily,
		format('odr: one odr_summary per seller and day of %s (REFRESH MATERIALIZED VIEW CONCURRENTLY works)', src));
	RETURN NEXT daily::regclass;

	-- the per-day summaries rolled up by run of days in the same month-end
	-- windows (odr_assessment_segment): about 25 rows per seller and year
	-- instead of one per day with orders, and the same month-end results
	EXECUTE format($q$
		CREATE MATERIALIZED VIEW %s AS
		SELECT seller_id, @extschema@.odr_assessment_segment(day, %s) AS segment,
		       min(day) AS first_day, max(day) AS last_day, @extschema@.odr_rollup(summary) AS summary
		FROM %s GROUP BY 1, 2 ORDER BY 1, 3$q$, segments, window_days, daily);
	EXECUTE format('CREATE UNIQUE INDEX %I ON %s (seller_id, first_day)', prefix || 'segments_key', segments);
	EXECUTE format('CREATE INDEX %I ON %s (first_day)', prefix || 'segments_first_day', segments);
	EXECUTE format('CREATE INDEX %I ON %s (last_day)', prefix || 'segments_last_day', segments);
	EXECUTE format('COMMENT ON MATERIALIZED VIEW %s IS %L', segments,
		format('odr: the summaries of %s rolled up per seller and run of days in the same %s-day month-end windows (odr_assessment_segment); refresh it after %s, or refresh both with odr_refresh_warehouse(%L)',
		       daily, window_days, daily, daily));
	RETURN NEXT segments::regclass;

	-- month-end assessments: every seller at every month end after its first
	-- order, in one pass over the runs (odr_rollup_at; a run's first day lies
	-- in the same windows as its other days, and no month end falls between
	-- the first day of its run and a seller's first order)
	q := format($q$
		CREATE VIEW %I.%I AS
		SELECT a.as_of, x.seller_id, a.summary,
		       @extschema@.odr_orders(a.summary) AS orders, @extschema@.odr_defective(a.summary) AS defective,
		       @extschema@.odr_rate(a.summary) AS odr, %s AS tier
		FROM (SELECT d.seller_id,
		             @extschema@.odr_rollup_at(d.first_day, d.summary, e.month_ends, %s, true) AS assessments  -- since_first_day
		      FROM %s AS d,
		           (SELECT ARRAY(SELECT @extschema@.odr_month_ends(min(first_day), max(last_day)) FROM %s) AS month_ends) AS e
		      GROUP BY d.seller_id) AS x,
		     unnest(x.assessments) AS a$q$,
		nsp, prefix || 'month_end', format(tier_of, 'a.summary'), window_days, segments, segments);
	EXECUTE q;
	EXECUTE format('COMMENT ON VIEW %I.%I IS %L', nsp, prefix || 'month_end',
		format('odr: every seller''s assessment at every month end (A1, A2) over %s days, from %s', window_days, daily));
	RETURN NEXT format('%I.%I', nsp, prefix || 'month_end')::regclass;

	-- daily rolling history: every seller, every day from its first order to
	-- the last day of data; the grid is dense, so a ROWS frame of window_days
	-- rows is exactly the window (and cheaper than a RANGE frame on dates)
	EXECUTE format($q$
		CREATE VIEW %I.%I AS
		WITH span AS (SELECT max(day) AS last_day FROM %s),
		     sellers AS (SELECT seller_id, min(day) AS first_day FROM %s GROUP BY seller_id),
		     grid AS (SELECT s.seller_id, s.first_day + i AS day
		              FROM span, sellers AS s, generate_series(0, span.last_day - s.first_day) AS i),
		     rolled AS (SELECT g.seller_id, g.day,
		                       @extschema@.odr_rollup(d.summary) OVER (PARTITION BY g.seller_id ORDER BY g.day
		                           ROWS BETWEEN %s PRECEDING AND CURRENT ROW) AS summary
		                FROM grid AS g LEFT JOIN %s AS d ON d.seller_id = g.seller_id AND d.day = g.day)
		SELECT day, seller_id, summary,
		       @extschema@.odr_orders(summary) AS orders, @extschema@.odr_defective(summary) AS defective,
		       @extschema@.odr_rate(summary) AS odr, %s AS tier
		FROM rolled$q$,
		nsp, prefix || 'daily_history', daily, daily, window_days - 1, daily, format(tier_of, 'summary'));
	EXECUTE format('COMMENT ON VIEW %I.%I IS %L', nsp, prefix || 'daily_history',
		format('odr: every seller''s rolling %s-day ODR and tier for every day, from %s', window_days, daily));
	RETURN NEXT format('%I.%I', nsp, prefix || 'daily_history')::regclass;

	-- the days a seller changed tier
	EXECUTE format($q$
		CREATE VIEW %I.%I AS
		SELECT day, seller_id, previous_tier, tier, odr, orders, defective
		FROM (SELECT day, seller_id, tier, odr, orders, defective,
		             lag(tier) OVER (PARTITION BY seller_id ORDER BY day) AS previous_tier
		      FROM %I.%I) AS h
		WHERE previous_tier IS DISTINCT FROM tier AND previous_tier IS NOT NULL$q$,
		nsp, prefix || 'tier_changes', nsp, prefix || 'daily_history');
	EXECUTE format('COMMENT ON VIEW %I.%I IS %L', nsp, prefix || 'tier_changes',
		'odr: the days a seller crossed a tier cut-off, with the tier before and after');
	RETURN NEXT format('%I.%I', nsp, prefix || 'tier_changes')::regclass;

	-- BI scorecard: the latest month end, standard SQL types only
	EXECUTE format($q$
		CREATE VIEW %I.%I AS
		SELECT m.as_of, m.seller_id, c.orders, c.defective, c.odr, c.tier, c.next_tier,
		       c.more_orders_to_next, c.fewer_defects_to_next,
		       c.negative_feedback, c.dsr_item, c.dsr_communication, c.dsr_shipping,
		       c.unshipped, c.arbitration, c.dispute_timeout,
		       c.seller_responsible_arbitration_rate, c.positive_feedback_rate,
		       c.dsr_item_avg, c.dsr_communication_avg, c.dsr_shipping_avg, c.policy_name
		FROM %I.%I AS m, LATERAL %s AS c
		WHERE m.as_of = (SELECT max(as_of) FROM %I.%I)$q$,
		nsp, prefix || 'scorecard', nsp, prefix || 'month_end', format(card_of, 'm.summary'),
		nsp, prefix || 'month_end');
	EXECUTE format('COMMENT ON VIEW %I.%I IS %L', nsp, prefix || 'scorecard',
		'odr: each seller at the latest month end, as plain columns (bigint, double precision, text, date) for BI tools');
	RETURN NEXT format('%I.%I', nsp, prefix || 'scorecard')::regclass;

	-- projection: the coming month end over the orders known so far, next to the current one
	EXECUTE format($q$
		CREATE VIEW %I.%I AS
		SELECT w.as_of, w.current_as_of, w.projected_as_of, x.seller_id, p.*
		FROM (SELECT max(day) AS as_of FROM %s) AS d,
		     LATERAL @extschema@.odr_projection_windows(d.as_of, %s) AS w0,
		     LATERAL (SELECT d.as_of, w0.*) AS w,
		     LATERAL (SELECT seller_id,
		                     @extschema@.odr_rollup(summary) FILTER (WHERE day BETWEEN w.current_from AND w.current_as_of) AS cur,
		                     @extschema@.odr_rollup(summary) FILTER (WHERE day BETWEEN w.leaving_from AND w.leaving_to) AS leaving,
		                     @extschema@.odr_rollup(summary) FILTER (WHERE day BETWEEN w.entering_from AND w.entering_to) AS entering
		              FROM %s WHERE day BETWEEN w.current_from AND w.as_of
		              GROUP BY seller_id) AS x,
		     LATERAL %s AS p$q$,
		nsp, prefix || 'projection', daily, window_days, daily,
		format(proj_of, 'x.cur', 'x.leaving', 'x.entering'));
	EXECUTE format('COMMENT ON VIEW %I.%I IS %L', nsp, prefix || 'projection',
		'odr: as of the last day of data, each seller''s current month-end result next to the projection for the coming month end (A2, M2)');
	RETURN NEXT format('%I.%I', nsp, prefix || 'projection')::regclass;
END
$fn$;
COMMENT ON FUNCTION odr_create_warehouse(regclass, name, name, name, text, integer, text, text) IS
	'Create, in the schema of source, a materialised view <prefix>daily of one odr_summary per (seller, day) (a timestamptz day column is read in time_zone, by default the session''s TimeZone, fixed into the view), a materialised view <prefix>segments of those rolled up per run of days in the same month-end windows (both with unique indexes: REFRESH ... CONCURRENTLY works; odr_refresh_warehouse refreshes both in order), and the views <prefix>month_end (from the runs), <prefix>daily_history, <prefix>tier_changes, <prefix>scorecard and <prefix>projection. Returns the objects created.';

-- odr_refresh_warehouse warns about a daily view of an earlier release that
-- casts a timestamptz with ::date
CREATE OR REPLACE FUNCTION odr_refresh_warehouse(daily regclass, concurrently boolean DEFAULT true)
RETURNS SETOF regclass
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	rel regclass;
BEGIN
	IF daily IS NULL THEN
		RAISE EXCEPTION 'daily must not be NULL'
			USING ERRCODE = 'null_value_not_allowed',
			      HINT = 'Pass the per-day materialised view, for example odr_refresh_warehouse(''odr_daily'').';
	END IF;
	IF $2 IS NULL THEN  -- concurrently (a keyword in expressions)
		RAISE EXCEPTION 'concurrently must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = daily AND c.relkind = 'm') THEN
		RAISE EXCEPTION '"%" is not a materialized view', daily
			USING ERRCODE = 'wrong_object_type',
			      HINT = 'Pass the <prefix>daily materialised view that odr_create_warehouse created.';
	END IF;
	-- A warehouse made before 0.4.0 from a timestamptz column casts it with
	-- ::date, date(timestamptz), whose day follows the refreshing session's
	-- TimeZone: say so (the refresh goes on, as it always did).
	IF EXISTS (SELECT 1 FROM pg_rewrite r
	           WHERE r.ev_class = daily
	             AND r.ev_action::text LIKE ('%:funcid ' || 'date(timestamptz)'::regprocedure::oid || ' %')) THEN
		RAISE WARNING '"%" turns a timestamptz into a day with ::date, so its days follow the TimeZone of the session that refreshes it (now "%")',
			daily, current_setting('TimeZone')
			USING DETAIL = 'Warehouses created before odr 0.4.0 from a timestamptz day column do so; odr_create_warehouse now fixes one time zone into the view.',
			      HINT = format('Drop the warehouse (DROP MATERIALIZED VIEW %s CASCADE) and create it again with odr_create_warehouse(..., time_zone => ''Asia/Shanghai''), or the zone the days are assessed in.', daily);
	END IF;
	-- daily first, then every materialised view built on it (directly or
	-- through views), each after all the ones it reads
	FOR rel IN
		WITH RECURSIVE dep(oid, depth) AS (
			SELECT daily::oid, 0
			UNION
			SELECT r.ev_class, dep.depth + 1
			FROM dep
			JOIN pg_depend d ON d.refclassid = 'pg_class'::regclass AND d.refobjid = dep.oid
			                AND d.classid = 'pg_rewrite'::regclass
			JOIN pg_rewrite r ON r.oid = d.objid
			JOIN pg_class c ON c.oid = r.ev_class AND c.relkind IN ('m', 'v')
			WHERE r.ev_class <> dep.oid AND dep.depth < 1000)
		SELECT dep.oid::regclass
		FROM dep JOIN pg_class c ON c.oid = dep.oid AND c.relkind = 'm'
		GROUP BY dep.oid
		ORDER BY max(dep.depth), dep.oid::regclass::text
	LOOP
		EXECUTE format('REFRESH MATERIALIZED VIEW %s%s', CASE WHEN $2 THEN 'CONCURRENTLY ' END, rel);
		RETURN NEXT rel;
	END LOOP;
END
$fn$;
COMMENT ON FUNCTION odr_refresh_warehouse(regclass, boolean) IS
	'Refresh a warehouse: the per-day materialised view daily, then every materialised view built on it (<prefix>segments and your own), in dependency order, CONCURRENTLY by default so readers are never blocked. Returns the views refreshed, in order.';
