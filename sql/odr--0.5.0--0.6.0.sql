/*
 * odr 0.5.0 -> 0.6.0.  Names nothing unqualified (README: Security): every
 * operator OPERATOR(pg_catalog.op), every call schema-qualified, as in
 * sql/odr.sql.
 */

\echo Use "ALTER EXTENSION odr UPDATE TO '0.6.0'" to load this file. \quit

-- ---------------------------------------------------------------------
-- The incremental refresh costs what changed (#16, bench/incremental.sh):
-- the log is claimed one row per key; daily's touched rows are found once
-- and updated, deleted or inserted in one statement; the touched runs of
-- segments are updated with the same sums instead of rolled up again from
-- daily; a new incremental warehouse's tables keep a tenth of each page
-- free for in-place (HOT) updates.  (Warehouses made before keep their
-- tables as they are, and are refreshed the same new way.)
-- ---------------------------------------------------------------------

CREATE OR REPLACE FUNCTION odr_create_warehouse(
	source regclass,
	seller_column name,
	day_column name,
	defects_column name,
	prefix text DEFAULT 'odr_',
	window_days integer DEFAULT 90,
	policy text DEFAULT NULL,
	time_zone text DEFAULT NULL,
	incremental boolean DEFAULT false)
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
	seller_base oid;
	seller_eq text;
	tier_of text;
	card_of text;
	proj_of text;
	daily text;
	segments text;
	q text;
	-- incremental => true
	src_kind "char";
	bases regclass[];
	base regclass;
	base_seller name;
	base_day name;
	att smallint;
	rule_tree text;
	changes text;
	claimed text;
	key_match text;
	s_day_of text;
	t_day_of text;
	recompute text;
	capture text;
	grantee oid;
	delta boolean;
	live_sql text;
BEGIN
	IF window_days IS NULL OR window_days < 1 THEN
		RAISE EXCEPTION 'window_days % is not a positive number of days', window_days
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF source IS NULL OR prefix IS NULL OR seller_column IS NULL OR day_column IS NULL OR defects_column IS NULL THEN
		RAISE EXCEPTION '% must not be NULL',
			CASE WHEN source IS NULL THEN 'source' WHEN seller_column IS NULL THEN 'seller_column'
			     WHEN day_column IS NULL THEN 'day_column' WHEN defects_column IS NULL THEN 'defects_column'
			     ELSE 'prefix' END
			USING ERRCODE = 'null_value_not_allowed',
			      HINT = 'source, seller_column, day_column, defects_column and prefix must all be given.';
	END IF;
	IF incremental IS NULL THEN
		RAISE EXCEPTION 'incremental must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	-- every name made from prefix must fit in an identifier (NAMEDATALEN - 1
	-- bytes); PostgreSQL would truncate longer ones, and two of them
	-- (<prefix>segments_first_day, <prefix>segments_last_day) could collide
	IF octet_length(prefix) + octet_length('segments_first_day') > 63 THEN
		RAISE EXCEPTION 'prefix "%" is too long: % bytes, at most %', prefix, octet_length(prefix), 63 - octet_length('segments_first_day')
			USING ERRCODE = 'name_too_long',
			      DETAIL = 'The longest name odr_create_warehouse makes is <prefix>segments_first_day, and a name has at most 63 bytes.';
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
	-- the sellers are joined with the equality of their type's default btree
	-- operator class, wherever it lives (a citext or a domain in the user's
	-- schema): the views are parsed with search_path = pg_catalog, where a
	-- user type's "=" is not found (or a cast to text would compare otherwise)
	seller_base := seller_type;
	WHILE (SELECT t.typtype FROM pg_type t WHERE t.oid = seller_base) = 'd' LOOP
		SELECT t.typbasetype INTO seller_base FROM pg_type t WHERE t.oid = seller_base;
	END LOOP;
	SELECT format('OPERATOR(%I.%s)', n.nspname, o.oprname) INTO seller_eq
	FROM pg_opclass oc
	JOIN pg_am am ON am.oid = oc.opcmethod AND am.amname = 'btree'
	JOIN pg_amop ao ON ao.amopfamily = oc.opcfamily AND ao.amopstrategy = 3
	                AND ao.amoplefttype = oc.opcintype AND ao.amoprighttype = oc.opcintype
	JOIN pg_operator o ON o.oid = ao.amopopr
	JOIN pg_namespace n ON n.oid = o.oprnamespace
	WHERE oc.opcdefault
	  AND (oc.opcintype = seller_base
	       OR EXISTS (SELECT 1 FROM pg_cast k WHERE k.castsource = seller_base AND k.casttarget = oc.opcintype
	                                          AND k.castmethod = 'b'))
	ORDER BY oc.opcintype = seller_base DESC, oc.oid
	LIMIT 1;
	IF seller_eq IS NULL THEN
		RAISE EXCEPTION 'column "%" of "%" is %, which has no default btree operator class', seller_column, src, seller_type
			USING ERRCODE = 'undefined_function',
			      DETAIL = 'The sellers of a warehouse are grouped, sorted and joined by their type''s default btree operator class.',
			      HINT = 'Pass a seller column of a type with an ordering, or cast it in a view (for example to text).';
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

	-- incremental => true: the changes are captured on the one table the
	-- source is or reads, by triggers that log the (seller, day) keys they
	-- touch; the seller and the day must therefore be plain columns of it
	IF incremental THEN
		SELECT c.relkind INTO src_kind FROM pg_class c WHERE c.oid = source;
		IF src_kind = 'r' THEN
			base := source;
			base_seller := seller_column;
			base_day := day_column;
		ELSIF src_kind = 'v' THEN
			SELECT array_agg(DISTINCT d.refobjid::regclass ORDER BY d.refobjid::regclass) INTO bases
			FROM pg_rewrite r
			JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
			                AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> source
			WHERE r.ev_class = source AND r.rulename = '_RETURN';
			IF coalesce(cardinality(bases), 0) <> 1 OR (SELECT c.relkind FROM pg_class c WHERE c.oid = bases[1]) <> 'r' THEN
				RAISE EXCEPTION 'incremental warehouse over view "%": the view must read exactly one table, directly, and it reads %', src,
					CASE WHEN bases IS NULL THEN 'none' ELSE array_to_string(bases::text[], ', ') END
					USING ERRCODE = 'feature_not_supported',
					      DETAIL = 'The changes are captured by triggers on the one table under the view; a view of a view, a join or a subquery over another table cannot be captured.',
					      HINT = 'Classify the orders of one table in the view, or create the warehouse without incremental.';
			END IF;
			base := bases[1];
			SELECT r.ev_action::text INTO rule_tree FROM pg_rewrite r WHERE r.ev_class = source AND r.rulename = '_RETURN';
			FOR i IN 1 .. 2 LOOP
				SELECT a.attnum INTO att FROM pg_attribute a
				WHERE a.attrelid = source AND a.attname = CASE i WHEN 1 THEN seller_column ELSE day_column END;
				IF NOT pg_column_is_updatable(source, att, false) THEN
					RAISE EXCEPTION 'incremental warehouse over view "%": column "%" is not a plain column of "%"', src,
						CASE i WHEN 1 THEN seller_column ELSE day_column END, base
						USING ERRCODE = 'invalid_parameter_value',
						      DETAIL = 'The (seller, day) an order belongs to is captured from the rows of the table under the view, so the seller and day columns must be its columns, unchanged.',
						      HINT = 'Select the seller and day columns of the table as they are; compute only the verdict in the view.';
				END IF;
				q := NULL;
				SELECT a.attname INTO q FROM pg_attribute a
				WHERE a.attrelid = base
				  AND a.attnum = (regexp_match(rule_tree, '\{TARGETENTRY :expr \{VAR :varno \d+ :varattno (\d+) [^{}]*\} :resno ' || att || ' '))[1]::smallint;
				IF q IS NULL THEN
					RAISE EXCEPTION 'incremental warehouse over view "%": column "%" is not a plain column of "%"', src,
						CASE i WHEN 1 THEN seller_column ELSE day_column END, base
						USING ERRCODE = 'invalid_parameter_value',
						      HINT = 'Select the seller and day columns of the table as they are; compute only the verdict in the view.';
				END IF;
				IF i = 1 THEN base_seller := q; ELSE base_day := q; END IF;
			END LOOP;
		ELSE
			RAISE EXCEPTION '"%" is not a table or a view: an incremental warehouse captures the changes of a table', src
				USING ERRCODE = 'feature_not_supported',
				      DETAIL = 'Changes are captured by triggers with transition tables, which a partitioned or foreign table, or a materialised view, does not offer.',
				      HINT = 'Create the warehouse without incremental, or over a table (or a view of one table).';
		END IF;
		IF EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhparent = base) THEN
			RAISE EXCEPTION 'table "%" has inheritance children: an incremental warehouse cannot capture their changes', base
				USING ERRCODE = 'feature_not_supported',
				      HINT = 'Create the warehouse without incremental.';
		END IF;
		-- over a table, the log carries the summaries of the rows written
		-- and removed (the table's verdicts); over a view, the keys only
		delta := src_kind = 'r';
		-- no write may commit between the first computation and the
		-- capture: writers wait until the warehouse is made (readers do not)
		EXECUTE format('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', base);
		changes := format('%I.%I', nsp, prefix || 'changes');
		claimed := format('%I.%I', nsp, prefix || 'claimed');
		capture := format('%I.%I', nsp, prefix || 'capture');
		-- the day of an order of the source (alias s) and of a captured row (t)
		IF day_type = 'timestamptz'::regtype THEN
			s_day_of := format('(s.%I AT TIME ZONE %L)::date', day_column, zone);
			t_day_of := format('(t.%I AT TIME ZONE %L)::date', base_day, zone);
			-- the range lets an index on the day column be used; a day in a
			-- zone lies within a day either side of its UTC midnight
			key_match := format('s.%1$I OPERATOR(pg_catalog.>=) ((k.day OPERATOR(pg_catalog.-) 1)::timestamp AT TIME ZONE %2$L)'
			                    ' AND s.%1$I OPERATOR(pg_catalog.<=) ((k.day OPERATOR(pg_catalog.+) 2)::timestamp AT TIME ZONE %2$L)'
			                    ' AND %3$s OPERATOR(pg_catalog.=) k.day', day_column, zone, s_day_of);
		ELSIF day_type = 'timestamp'::regtype THEN
			s_day_of := format('s.%I::date', day_column);
			t_day_of := format('t.%I::date', base_day);
			key_match := format('s.%1$I OPERATOR(pg_catalog.>=) k.day::timestamp'
			                    ' AND s.%1$I OPERATOR(pg_catalog.<=) (k.day OPERATOR(pg_catalog.+) 1)::timestamp'
			                    ' AND %2$s OPERATOR(pg_catalog.=) k.day', day_column, s_day_of);
		ELSE
			s_day_of := format('s.%I', day_column);
			t_day_of := format('t.%I', base_day);
			key_match := format('s.%I OPERATOR(pg_catalog.=) k.day', day_column);
		END IF;
		key_match := format('s.%I %s k.seller_id AND %s', seller_column, seller_eq, key_match);
		-- the (seller, day) rows of the keys logged in %1$s, recomputed from
		-- the source; a key with a NULL (TRUNCATE logs one) recomputes all
		recompute := $q$
		SELECT s.%2$I AS seller_id, %3$s AS day, @extschema@.odr_agg(s.%4$I) AS summary
		FROM %5$s AS s
		WHERE EXISTS (SELECT FROM %1$s AS f WHERE f.seller_id IS NULL OR f.day IS NULL)
		GROUP BY 1, 2
		UNION ALL
		SELECT s.%2$I, %3$s, @extschema@.odr_agg(s.%4$I)
		FROM (SELECT DISTINCT c.seller_id, c.day FROM %1$s AS c) AS k
		JOIN %5$s AS s ON %6$s
		WHERE NOT EXISTS (SELECT FROM %1$s AS f WHERE f.seller_id IS NULL OR f.day IS NULL)
		GROUP BY 1, 2$q$;
	END IF;

	-- per (seller, day) summaries.  Incremental: a table whose pages keep a
	-- tenth free, so that a refresh updates its rows in place (HOT: no new
	-- index entries) rather than moving them
	IF incremental THEN
		EXECUTE format($q$
			CREATE TABLE %s WITH (fillfactor = 90) AS
			SELECT %I AS seller_id, %s AS day, @extschema@.odr_agg(%I) AS summary
			FROM %s GROUP BY 1, 2 ORDER BY 1, 2$q$, daily, seller_column, day_of, defects_column, src);
	ELSE
	EXECUTE format($q$
		CREATE MATERIALIZED VIEW %s AS
		SELECT %I AS seller_id, %s AS day, @extschema@.odr_agg(%I) AS summary
		FROM %s GROUP BY 1, 2 ORDER BY 1, 2$q$, daily, seller_column, day_of, defects_column, src);
	END IF;
	EXECUTE format('CREATE UNIQUE INDEX %I ON %s (seller_id, day)', prefix || 'daily_key', daily);
	EXECUTE format('CREATE INDEX %I ON %s (day)', prefix || 'daily_day', daily);
	IF incremental THEN
		EXECUTE format('COMMENT ON TABLE %s IS %L', daily,
			format('odr: one odr_summary per seller and day of %s, kept by odr_refresh_warehouse(%L) from the changes logged in %s', src, daily, changes));
	ELSE
	EXECUTE format('COMMENT ON MATERIALIZED VIEW %s IS %L', daily,
		format('odr: one odr_summary per seller and day of %s (REFRESH MATERIALIZED VIEW CONCURRENTLY works)', src));
	END IF;
	RETURN NEXT daily::regclass;

	-- the per-day summaries rolled up by run of days in the same month-end
	-- windows (odr_assessment_segment): about 25 rows per seller and year
	-- instead of one per day with orders, and the same month-end results
	EXECUTE format($q$
		CREATE %s %s AS
		SELECT seller_id, @extschema@.odr_assessment_segment(day, %s) AS segment,
		       min(day) AS first_day, max(day) AS last_day, @extschema@.odr_rollup(summary) AS summary
		FROM %s GROUP BY 1, 2 ORDER BY 1, 3$q$,
		CASE WHEN incremental THEN 'TABLE' ELSE 'MATERIALIZED VIEW' END,
		segments || CASE WHEN incremental THEN ' WITH (fillfactor = 90)' ELSE '' END, window_days, daily);
	EXECUTE format('CREATE UNIQUE INDEX %I ON %s (seller_id, first_day)', prefix || 'segments_key', segments);
	EXECUTE format('CREATE INDEX %I ON %s (first_day)', prefix || 'segments_first_day', segments);
	EXECUTE format('CREATE INDEX %I ON %s (last_day)', prefix || 'segments_last_day', segments);
	IF incremental THEN
		EXECUTE format('COMMENT ON TABLE %s IS %L', segments,
			format('odr: the summaries of %s rolled up per seller and run of days in the same %s-day month-end windows (odr_assessment_segment), kept by odr_refresh_warehouse(%L) with %s',
			       daily, window_days, daily, daily));
	ELSE
	EXECUTE format('COMMENT ON MATERIALIZED VIEW %s IS %L', segments,
		format('odr: the summaries of %s rolled up per seller and run of days in the same %s-day month-end windows (odr_assessment_segment); refresh it after %s, or refresh both with odr_refresh_warehouse(%L)',
		       daily, window_days, daily, daily));
	END IF;
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
		                FROM grid AS g LEFT JOIN %s AS d ON d.seller_id %s g.seller_id AND d.day = g.day)
		SELECT day, seller_id, summary,
		       @extschema@.odr_orders(summary) AS orders, @extschema@.odr_defective(summary) AS defective,
		       @extschema@.odr_rate(summary) AS odr, %s AS tier
		FROM rolled$q$,
		nsp, prefix || 'daily_history', daily, daily, window_days - 1, daily, seller_eq, format(tier_of, 'summary'));
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

	IF NOT incremental THEN
		RETURN;
	END IF;

	-- the change log.  Over a table (delta): per statement and (seller,
	-- day), the summary of the rows written (plus) and of the rows removed
	-- (minus), so that a refresh adds and subtracts them without reading the
	-- table.  Over a view of a table: the (seller, day) keys touched, which a
	-- refresh recomputes from the view.  A key with a NULL seller or day
	-- (a TRUNCATE, a row without a seller, a day or a verdict) rebuilds all.
	EXECUTE format('CREATE TABLE %s AS SELECT seller_id, day, summary AS plus, summary AS minus FROM %s WITH NO DATA',
		changes, daily);
	EXECUTE format('COMMENT ON TABLE %s IS %L', changes,
		CASE WHEN delta
		     THEN format('odr: the changes to %s since the last odr_refresh_warehouse(%L): per statement and (seller, day), the summary of the orders written (plus) and removed (minus); a key with a NULL rebuilds everything', base, daily)
		     ELSE format('odr: the (seller, day) keys of %s that writes to %s touched since the last odr_refresh_warehouse(%L), recomputed from %s; a key with a NULL rebuilds everything', daily, base, daily, src) END);
	RETURN NEXT changes::regclass;
	-- the changes a refresh is applying (empty outside one)
	EXECUTE format('CREATE UNLOGGED TABLE %s AS SELECT seller_id, day, plus, minus FROM %s WITH NO DATA', claimed, changes);
	EXECUTE format('ALTER TABLE %s ADD COLUMN window_days integer NOT NULL DEFAULT %s', claimed, window_days);
	EXECUTE format('COMMENT ON TABLE %s IS %L', claimed,
		format('odr: the changes of %s that odr_refresh_warehouse(%L) is applying; empty outside a refresh', changes, daily));
	RETURN NEXT claimed::regclass;

	-- the keys being applied, recomputed from the source (and everything,
	-- for a rebuild)
	EXECUTE format('CREATE VIEW %I.%I AS %s', nsp, prefix || 'recomputed',
		format(recompute, claimed, seller_column, s_day_of, defects_column, src, key_match));
	EXECUTE format('COMMENT ON VIEW %I.%I IS %L', nsp, prefix || 'recomputed',
		format('odr: the rows of %s for the keys in %s recomputed from %s, or all of them when a key has a NULL (what a refresh writes)', daily, claimed, src));
	RETURN NEXT format('%I.%I', nsp, prefix || 'recomputed')::regclass;

	-- the touched (seller, day) rows as a refresh would make them now
	IF delta THEN
		live_sql := format($q$
		SELECT x.seller_id, x.day, x.summary
		FROM (SELECT k.seller_id, k.day,
		             (COALESCE(d.summary, '()'::@extschema@.odr_summary) OPERATOR(@extschema@.+) COALESCE(k.plus, '()'::@extschema@.odr_summary))
		               OPERATOR(@extschema@.-) COALESCE(k.minus, '()'::@extschema@.odr_summary) AS summary
		      FROM (SELECT c.seller_id, c.day, @extschema@.odr_rollup(c.plus) AS plus, @extschema@.odr_rollup(c.minus) AS minus
		            FROM %1$s AS c GROUP BY c.seller_id, c.day) AS k
		      LEFT JOIN %2$s AS d ON d.seller_id %3$s k.seller_id AND d.day OPERATOR(pg_catalog.=) k.day
		      WHERE NOT EXISTS (SELECT FROM %1$s AS f WHERE f.seller_id IS NULL OR f.day IS NULL)) AS x
		WHERE @extschema@.odr_orders(x.summary) OPERATOR(pg_catalog.>) 0
		UNION ALL
		SELECT s.%4$I AS seller_id, %5$s AS day, @extschema@.odr_agg(s.%6$I) AS summary
		FROM %7$s AS s
		WHERE EXISTS (SELECT FROM %1$s AS f WHERE f.seller_id IS NULL OR f.day IS NULL)
		GROUP BY 1, 2$q$, changes, daily, seller_eq, seller_column, s_day_of, defects_column, src);
	ELSE
		live_sql := format(recompute, changes, seller_column, s_day_of, defects_column, src, key_match);
	END IF;

	-- fresh without a refresh: the stored rows whose keys were not touched,
	-- and the touched ones as a refresh would make them
	EXECUTE format($q$
		CREATE VIEW %1$I.%2$I AS
		SELECT d.seller_id, d.day, d.summary
		FROM %3$s AS d
		WHERE NOT EXISTS (SELECT FROM %4$s AS f WHERE f.seller_id IS NULL OR f.day IS NULL)
		  AND NOT EXISTS (SELECT FROM %4$s AS c WHERE c.seller_id %5$s d.seller_id AND c.day OPERATOR(pg_catalog.=) d.day)
		UNION ALL
		%6$s$q$, nsp, prefix || 'daily_live', daily, changes, seller_eq, live_sql);
	EXECUTE format('COMMENT ON VIEW %I.%I IS %L', nsp, prefix || 'daily_live',
		format('odr: %s as a refresh would make it now: the stored rows untouched since the last refresh and the touched (seller, day) rows %s (a cost that grows with the unrefreshed changes)',
		       daily, CASE WHEN delta THEN format('with the changes logged in %s applied', changes) ELSE format('recomputed from %s', src) END));
	RETURN NEXT format('%I.%I', nsp, prefix || 'daily_live')::regclass;

	-- the current results without a refresh: each seller's rolling window
	-- ending on the last day of data, and its last month end
	EXECUTE format($q$
		CREATE VIEW %1$I.%2$I AS
		SELECT w.as_of, x.seller_id, x.summary,
		       @extschema@.odr_orders(x.summary) AS orders, @extschema@.odr_defective(x.summary) AS defective,
		       @extschema@.odr_rate(x.summary) AS odr, %8$s AS tier,
		       w.month_end, x.month_end_summary,
		       @extschema@.odr_orders(x.month_end_summary) AS month_end_orders,
		       @extschema@.odr_defective(x.month_end_summary) AS month_end_defective,
		       @extschema@.odr_rate(x.month_end_summary) AS month_end_odr, %9$s AS month_end_tier
		FROM (SELECT l.as_of, @extschema@.odr_last_assessment(l.as_of) AS month_end
		      FROM (SELECT pg_catalog.max(u.day) AS as_of
		            FROM ((SELECT d.day FROM %3$s AS d
		                   WHERE d.day IS NOT NULL
		                     AND NOT EXISTS (SELECT FROM %4$s AS f WHERE f.seller_id IS NULL OR f.day IS NULL)
		                     AND NOT EXISTS (SELECT FROM %4$s AS c WHERE c.seller_id %5$s d.seller_id AND c.day OPERATOR(pg_catalog.=) d.day)
		                   ORDER BY d.day DESC LIMIT 1)
		                  UNION ALL
		                  SELECT r.day FROM (%6$s) AS r) AS u) AS l) AS w,
		     LATERAL (SELECT v.seller_id,
		                     COALESCE(@extschema@.odr_rollup(v.summary) FILTER (
		                         WHERE v.day OPERATOR(pg_catalog.>=) (w.as_of OPERATOR(pg_catalog.-) %7$s)),
		                         '()'::@extschema@.odr_summary) AS summary,
		                     COALESCE(@extschema@.odr_rollup(v.summary) FILTER (
		                         WHERE v.day OPERATOR(pg_catalog.>=) (w.month_end OPERATOR(pg_catalog.-) %7$s)
		                           AND v.day OPERATOR(pg_catalog.<=) w.month_end),
		                         '()'::@extschema@.odr_summary) AS month_end_summary
		              FROM %1$I.%10$I AS v
		              WHERE v.day OPERATOR(pg_catalog.>=) (w.month_end OPERATOR(pg_catalog.-) %7$s)
		                AND v.day OPERATOR(pg_catalog.<=) w.as_of
		              GROUP BY v.seller_id) AS x$q$,
		nsp, prefix || 'now', daily, changes, seller_eq, live_sql, window_days - 1,
		format(tier_of, 'x.summary'), format(tier_of, 'x.month_end_summary'), prefix || 'daily_live');
	EXECUTE format('COMMENT ON VIEW %I.%I IS %L', nsp, prefix || 'now',
		format('odr: without a refresh, each seller with an order in either window: its rolling %s-day result ending on the last day of data (as_of) and its result at the last month end on or before it, including the changes not yet refreshed', window_days));
	RETURN NEXT format('%I.%I', nsp, prefix || 'now')::regclass;

	-- the capture: statement-level triggers with transition tables log the
	-- old and new rows (a row moved to another seller or day touches both);
	-- it runs as whoever writes, so it is pinned to pg_catalog and names
	-- everything by schema
	IF delta THEN
		q := format($body$
BEGIN
	IF TG_OP OPERATOR(pg_catalog.=) 'TRUNCATE' THEN
		INSERT INTO %1$s (seller_id, day) VALUES (NULL, NULL);
		RETURN NULL;
	END IF;
	IF TG_OP OPERATOR(pg_catalog.<>) 'DELETE' THEN
		INSERT INTO %1$s (seller_id, day, plus)
		SELECT CASE WHEN pg_catalog.bool_or(t.%4$I IS NULL) THEN NULL ELSE t.%2$I END, %3$s, @extschema@.odr_agg(t.%4$I)
		FROM odr_new AS t GROUP BY t.%2$I, %3$s;
	END IF;
	IF TG_OP OPERATOR(pg_catalog.<>) 'INSERT' THEN
		INSERT INTO %1$s (seller_id, day, minus)
		SELECT CASE WHEN pg_catalog.bool_or(t.%4$I IS NULL) THEN NULL ELSE t.%2$I END, %3$s, @extschema@.odr_agg(t.%4$I)
		FROM odr_old AS t GROUP BY t.%2$I, %3$s;
	END IF;
	RETURN NULL;
END
$body$, changes, base_seller, t_day_of, defects_column);
	ELSE
		q := format($body$
BEGIN
	IF TG_OP OPERATOR(pg_catalog.=) 'INSERT' THEN
		INSERT INTO %1$s (seller_id, day) SELECT DISTINCT t.%2$I, %3$s FROM odr_new AS t;
	ELSIF TG_OP OPERATOR(pg_catalog.=) 'UPDATE' THEN
		INSERT INTO %1$s (seller_id, day) SELECT t.%2$I, %3$s FROM odr_old AS t UNION SELECT t.%2$I, %3$s FROM odr_new AS t;
	ELSIF TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN
		INSERT INTO %1$s (seller_id, day) SELECT DISTINCT t.%2$I, %3$s FROM odr_old AS t;
	ELSE
		INSERT INTO %1$s (seller_id, day) VALUES (NULL, NULL);
	END IF;
	RETURN NULL;
END
$body$, changes, base_seller, t_day_of);
	END IF;
	EXECUTE format($q$
		CREATE FUNCTION %1$s() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS %2$L$q$,
		capture, q);
	EXECUTE format('COMMENT ON FUNCTION %s() IS %L', capture,
		format('odr: logs into %s the (seller, day) keys that a write to %s touches (trigger of %s)', changes, base, daily));
	EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS odr_new FOR EACH STATEMENT EXECUTE FUNCTION %s()',
		prefix || 'capture_insert', base, capture);
	EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %s REFERENCING OLD TABLE AS odr_old NEW TABLE AS odr_new FOR EACH STATEMENT EXECUTE FUNCTION %s()',
		prefix || 'capture_update', base, capture);
	EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS odr_old FOR EACH STATEMENT EXECUTE FUNCTION %s()',
		prefix || 'capture_delete', base, capture);
	EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION %s()',
		prefix || 'capture_truncate', base, capture);
	FOREACH q IN ARRAY ARRAY['insert', 'update', 'delete', 'truncate'] LOOP
		EXECUTE format('COMMENT ON TRIGGER %I ON %s IS %L', prefix || 'capture_' || q, base,
			format('odr: logs the keys a %s touches into %s', upper(q), changes));
	END LOOP;
	-- whoever may write the table may log its keys (the capture runs as the writer)
	FOR grantee IN
		SELECT DISTINCT a.grantee
		FROM pg_class c, aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) AS a
		WHERE c.oid = base AND a.privilege_type IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE')
		  AND a.grantee <> (SELECT r.oid FROM pg_roles r WHERE r.rolname = current_user)
	LOOP
		EXECUTE format('GRANT INSERT ON %s TO %s', changes,
			CASE WHEN grantee = 0 THEN 'PUBLIC' ELSE quote_ident((SELECT r.rolname FROM pg_roles r WHERE r.oid = grantee)) END);
	END LOOP;
END
$fn$;

CREATE OR REPLACE FUNCTION odr_refresh_warehouse(daily regclass, concurrently boolean DEFAULT true)
RETURNS SETOF regclass
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	rel regclass;
	seeds oid[] := ARRAY[daily::oid];
	wh_owner oid;
	nsp name;
	pfx text;
	segments regclass;
	changes regclass;
	claimed regclass;
	recomputed regclass;
	seller_base oid;
	seller_eq text;
	n_keys bigint;
	rebuild boolean;
	is_delta boolean;
	window_days integer;
	hashjoin text;
	mergejoin text;
BEGIN
	IF daily IS NULL THEN
		RAISE EXCEPTION 'daily must not be NULL'
			USING ERRCODE = 'null_value_not_allowed',
			      HINT = 'Pass the per-day materialised view, for example odr_refresh_warehouse(''odr_daily'').';
	END IF;
	IF $2 IS NULL THEN  -- concurrently (a keyword in expressions)
		RAISE EXCEPTION 'concurrently must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	-- an incremental warehouse (odr_create_warehouse(..., incremental =>
	-- true)): daily is a table, and its other objects, all of daily's owner,
	-- are named after it
	SELECT c.relowner, n.nspname, left(c.relname, -5) INTO wh_owner, nsp, pfx
	FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE c.oid = daily AND c.relkind = 'r' AND right(c.relname, 5) = 'daily';
	IF wh_owner IS NOT NULL THEN
		segments := to_regclass(format('%I.%I', nsp, pfx || 'segments'));
		changes := to_regclass(format('%I.%I', nsp, pfx || 'changes'));
		claimed := to_regclass(format('%I.%I', nsp, pfx || 'claimed'));
		recomputed := to_regclass(format('%I.%I', nsp, pfx || 'recomputed'));
		IF segments IS NULL OR changes IS NULL OR claimed IS NULL OR recomputed IS NULL
		   OR EXISTS (SELECT 1 FROM pg_class c
		              WHERE c.oid IN (segments, changes, claimed, recomputed)
		                AND (c.relowner <> wh_owner OR c.relkind <> CASE WHEN c.oid = recomputed THEN 'v' ELSE 'r' END)) THEN
			wh_owner := NULL;
		END IF;
	END IF;
	IF wh_owner IS NULL AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = daily AND c.relkind = 'm') THEN
		RAISE EXCEPTION '"%" is not a materialized view', daily
			USING ERRCODE = 'wrong_object_type',
			      DETAIL = 'Nor is it the <prefix>daily table of an incremental warehouse (with <prefix>segments, <prefix>changes, <prefix>claimed and <prefix>recomputed of the same owner).',
			      HINT = 'Pass the <prefix>daily materialised view or table that odr_create_warehouse created.';
	END IF;
	IF wh_owner IS NOT NULL THEN
		-- The refresh reads the source (a view, perhaps, and the seller
		-- type's equality) with the rights of the role that runs it: only the
		-- owner may, so nobody runs the owner's code with rights of its own.
		IF wh_owner <> (SELECT r.oid FROM pg_roles r WHERE r.rolname = current_user) THEN
			RAISE EXCEPTION 'only the owner of "%" may refresh it', daily
				USING ERRCODE = 'insufficient_privilege',
				      DETAIL = 'An incremental refresh reads the source with the rights of the role that runs it.',
				      HINT = format('Run it as %I, its owner (SET ROLE %I, or schedule the pg_cron job as %I).', pg_get_userbyid(wh_owner), pg_get_userbyid(wh_owner), pg_get_userbyid(wh_owner));
		END IF;
		-- one refresh at a time: a second one waits here, then takes only
		-- what was logged after the first (readers and writers never wait)
		EXECUTE format('LOCK TABLE %s IN EXCLUSIVE MODE', daily);
		EXECUTE format('SELECT EXISTS (SELECT FROM %s AS c WHERE c.seller_id IS NULL OR c.day IS NULL)', changes)
			INTO rebuild;
		IF NOT rebuild THEN
			-- take the changes logged so far, and only those: a write that
			-- commits from now on leaves its changes in the log for the next
			-- refresh.  They are claimed one row per key (the summaries of
			-- all the statements that wrote it rolled up; over a view, the
			-- key alone), so that every later step touches each key once.
			EXECUTE format($q$
				WITH c AS (DELETE FROM %1$s RETURNING seller_id, day, plus, minus),
				     k AS (INSERT INTO %2$s (seller_id, day, plus, minus)
				           SELECT c.seller_id, c.day,
				                  CASE WHEN pg_catalog.count(c.plus) OPERATOR(pg_catalog.>) 0 THEN @extschema@.odr_rollup(c.plus) END,
				                  CASE WHEN pg_catalog.count(c.minus) OPERATOR(pg_catalog.>) 0 THEN @extschema@.odr_rollup(c.minus) END
				           FROM c GROUP BY c.seller_id, c.day
				           RETURNING seller_id, day, plus, minus, window_days)
				SELECT pg_catalog.count(*), pg_catalog.bool_or(k.seller_id IS NULL OR k.day IS NULL),
				       pg_catalog.bool_or(k.plus IS NOT NULL OR k.minus IS NOT NULL), pg_catalog.min(k.window_days)
				FROM k$q$, changes, claimed)
				INTO n_keys, rebuild, is_delta, window_days;
			IF rebuild THEN
				-- a rebuild logged just now: give the changes back
				EXECUTE format('INSERT INTO %s (seller_id, day, plus, minus) SELECT k.seller_id, k.day, k.plus, k.minus FROM %s AS k',
					changes, claimed);
				EXECUTE format('TRUNCATE %s', claimed);
			END IF;
		END IF;
		IF rebuild THEN
			-- A TRUNCATE, or a row without a seller, a day or a verdict:
			-- everything again, from the source.  The log is emptied by the
			-- very statement that reads the source (one snapshot), so a write
			-- committing meanwhile is either in both or in neither.
			EXECUTE format('INSERT INTO %s (seller_id, day) VALUES (NULL, NULL)', claimed);
			EXECUTE format('SELECT min(k.window_days) FROM %s AS k', claimed) INTO window_days;
			n_keys := 1;
			EXECUTE format('DELETE FROM %s', daily);
			EXECUTE format('WITH c AS (DELETE FROM %s RETURNING 1) INSERT INTO %s (seller_id, day, summary) SELECT r.seller_id, r.day, r.summary FROM %s AS r ORDER BY 1, 2',
				changes, daily, recomputed);
			EXECUTE format('DELETE FROM %s', segments);
			EXECUTE format($q$
				INSERT INTO %s (seller_id, segment, first_day, last_day, summary)
				SELECT d.seller_id, @extschema@.odr_assessment_segment(d.day, %s),
				       pg_catalog.min(d.day), pg_catalog.max(d.day), @extschema@.odr_rollup(d.summary)
				FROM %s AS d GROUP BY 1, 2 ORDER BY 1, 3$q$, segments, window_days, daily);
		ELSIF n_keys > 0 THEN
			-- the sellers' equality, as odr_create_warehouse found it
			SELECT a.atttypid INTO seller_base FROM pg_attribute a
			WHERE a.attrelid = daily AND a.attname = 'seller_id' AND NOT a.attisdropped;
			WHILE (SELECT t.typtype FROM pg_type t WHERE t.oid = seller_base) = 'd' LOOP
				SELECT t.typbasetype INTO seller_base FROM pg_type t WHERE t.oid = seller_base;
			END LOOP;
			SELECT format('OPERATOR(%I.%s)', n.nspname, o.oprname) INTO seller_eq
			FROM pg_opclass oc
			JOIN pg_am am ON am.oid = oc.opcmethod AND am.amname = 'btree'
			JOIN pg_amop ao ON ao.amopfamily = oc.opcfamily AND ao.amopstrategy = 3
			                AND ao.amoplefttype = oc.opcintype AND ao.amoprighttype = oc.opcintype
			JOIN pg_operator o ON o.oid = ao.amopopr
			JOIN pg_namespace n ON n.oid = o.oprnamespace
			WHERE oc.opcdefault
			  AND (oc.opcintype = seller_base
			       OR EXISTS (SELECT 1 FROM pg_cast k WHERE k.castsource = seller_base AND k.casttarget = oc.opcintype
			                                          AND k.castmethod = 'b'))
			ORDER BY oc.opcintype = seller_base DESC, oc.oid
			LIMIT 1;
			-- The warehouse's own rows are found through its unique indexes,
			-- key by key: a hash or merge join would read the whole of daily
			-- or segments, a cost that grows with the history, not with the
			-- change.  (The source is read by whatever plan the planner
			-- finds: through an index of the user's, or not.)
			hashjoin := current_setting('enable_hashjoin');
			mergejoin := current_setting('enable_mergejoin');
			PERFORM set_config('enable_hashjoin', 'off', true);
			PERFORM set_config('enable_mergejoin', 'off', true);
			IF is_delta THEN
				-- Each touched (seller, day) row, found once through the
				-- unique index (in key order: the probes walk the index
				-- forward): itself plus what was written, minus what was
				-- removed (a summary of orders adds and subtracts exactly; a
				-- key without a row starts from the empty summary).  In one
				-- statement, by the row found: a row left without orders
				-- goes, the others are updated, and a key without a row is
				-- inserted.
				EXECUTE format($q$
					WITH k AS MATERIALIZED (
					         SELECT c.seller_id, c.day, d.ctid AS tid,
					                (COALESCE(d.summary, '()'::@extschema@.odr_summary) OPERATOR(@extschema@.+) COALESCE(c.plus, '()'::@extschema@.odr_summary))
					                  OPERATOR(@extschema@.-) COALESCE(c.minus, '()'::@extschema@.odr_summary) AS summary
					         FROM (SELECT c.seller_id, c.day, c.plus, c.minus FROM %2$s AS c ORDER BY c.seller_id, c.day) AS c
					         LEFT JOIN %1$s AS d ON d.seller_id %3$s c.seller_id AND d.day OPERATOR(pg_catalog.=) c.day),
					     u AS (UPDATE %1$s AS d SET summary = k.summary FROM k
					           WHERE d.ctid OPERATOR(pg_catalog.=) k.tid AND @extschema@.odr_orders(k.summary) OPERATOR(pg_catalog.>) 0),
					     x AS (DELETE FROM %1$s AS d USING k
					           WHERE d.ctid OPERATOR(pg_catalog.=) k.tid AND @extschema@.odr_orders(k.summary) OPERATOR(pg_catalog.=) 0)
					INSERT INTO %1$s (seller_id, day, summary)
					SELECT k.seller_id, k.day, k.summary FROM k
					WHERE k.tid IS NULL AND @extschema@.odr_orders(k.summary) OPERATOR(pg_catalog.>) 0$q$, daily, claimed, seller_eq);
				-- Each touched run of days the same way: itself plus the
				-- summaries written to its days, minus those removed (the
				-- same sums as daily's).  Its first and last day are read
				-- again from daily's index only where they may have moved: a
				-- run that is new, or a touched day on or outside its ends.
				EXECUTE format($q$
					WITH t AS MATERIALIZED (
					         SELECT c.seller_id, @extschema@.odr_assessment_segment(c.day, c.window_days) AS segment,
					                pg_catalog.min(c.day) AS first_touched, pg_catalog.max(c.day) AS last_touched,
					                @extschema@.odr_rollup(c.plus) AS plus, @extschema@.odr_rollup(c.minus) AS minus
					         FROM %2$s AS c GROUP BY 1, 2 ORDER BY 1, 2),
					     g AS MATERIALIZED (
					         SELECT t.seller_id, t.segment, s.ctid AS tid,
					                (COALESCE(s.summary, '()'::@extschema@.odr_summary) OPERATOR(@extschema@.+) COALESCE(t.plus, '()'::@extschema@.odr_summary))
					                  OPERATOR(@extschema@.-) COALESCE(t.minus, '()'::@extschema@.odr_summary) AS summary,
					                CASE WHEN s.ctid IS NULL OR t.first_touched OPERATOR(pg_catalog.<=) s.first_day
					                     THEN (SELECT d.day FROM %4$s AS d
					                           WHERE d.seller_id %3$s t.seller_id
					                             AND d.day OPERATOR(pg_catalog.>=) pg_catalog.lower(t.segment)
					                             AND d.day OPERATOR(pg_catalog.<) pg_catalog.upper(t.segment)
					                           ORDER BY d.day LIMIT 1)
					                     ELSE s.first_day END AS first_day,
					                CASE WHEN s.ctid IS NULL OR t.last_touched OPERATOR(pg_catalog.>=) s.last_day
					                     THEN (SELECT d.day FROM %4$s AS d
					                           WHERE d.seller_id %3$s t.seller_id
					                             AND d.day OPERATOR(pg_catalog.>=) pg_catalog.lower(t.segment)
					                             AND d.day OPERATOR(pg_catalog.<) pg_catalog.upper(t.segment)
					                           ORDER BY d.day DESC LIMIT 1)
					                     ELSE s.last_day END AS last_day
					         FROM t
					         LEFT JOIN %1$s AS s ON s.seller_id %3$s t.seller_id
					                             AND s.first_day OPERATOR(pg_catalog.>=) pg_catalog.lower(t.segment)
					                             AND s.first_day OPERATOR(pg_catalog.<) pg_catalog.upper(t.segment)),
					     u AS (UPDATE %1$s AS s SET summary = g.summary, first_day = g.first_day, last_day = g.last_day FROM g
					           WHERE s.ctid OPERATOR(pg_catalog.=) g.tid AND @extschema@.odr_orders(g.summary) OPERATOR(pg_catalog.>) 0),
					     x AS (DELETE FROM %1$s AS s USING g
					           WHERE s.ctid OPERATOR(pg_catalog.=) g.tid AND @extschema@.odr_orders(g.summary) OPERATOR(pg_catalog.=) 0)
					INSERT INTO %1$s (seller_id, segment, first_day, last_day, summary)
					SELECT g.seller_id, g.segment, g.first_day, g.last_day, g.summary FROM g
					WHERE g.tid IS NULL AND @extschema@.odr_orders(g.summary) OPERATOR(pg_catalog.>) 0$q$, segments, claimed, seller_eq, daily);
			ELSE
				-- the planner needs to know how many keys it recomputes from
				-- the source
				EXECUTE format('ANALYZE %s', claimed);
				EXECUTE format($q$
					DELETE FROM %s AS d USING %s AS k
					WHERE d.seller_id %s k.seller_id AND d.day OPERATOR(pg_catalog.=) k.day$q$, daily, claimed, seller_eq);
				PERFORM set_config('enable_hashjoin', hashjoin, true);
				PERFORM set_config('enable_mergejoin', mergejoin, true);
				-- the touched (seller, day) rows, recomputed from the source
				EXECUTE format('INSERT INTO %s (seller_id, day, summary) SELECT r.seller_id, r.day, r.summary FROM %s AS r',
					daily, recomputed);
				PERFORM set_config('enable_hashjoin', 'off', true);
				PERFORM set_config('enable_mergejoin', 'off', true);
				-- the touched runs of days, rolled up again from daily
				EXECUTE format($q$
					DELETE FROM %1$s AS g
					USING (SELECT DISTINCT k.seller_id, @extschema@.odr_assessment_segment(k.day, k.window_days) AS segment FROM %2$s AS k) AS k
					WHERE g.seller_id %3$s k.seller_id
					  AND g.first_day OPERATOR(pg_catalog.>=) pg_catalog.lower(k.segment)
					  AND g.first_day OPERATOR(pg_catalog.<) pg_catalog.upper(k.segment)$q$, segments, claimed, seller_eq);
				EXECUTE format($q$
					INSERT INTO %1$s (seller_id, segment, first_day, last_day, summary)
					SELECT d.seller_id, k.segment, pg_catalog.min(d.day), pg_catalog.max(d.day), @extschema@.odr_rollup(d.summary)
					FROM (SELECT DISTINCT k.seller_id, @extschema@.odr_assessment_segment(k.day, k.window_days) AS segment FROM %2$s AS k) AS k
					JOIN %4$s AS d ON d.seller_id %3$s k.seller_id
					              AND d.day OPERATOR(pg_catalog.>=) pg_catalog.lower(k.segment)
					              AND d.day OPERATOR(pg_catalog.<) pg_catalog.upper(k.segment)
					GROUP BY d.seller_id, k.segment$q$, segments, claimed, seller_eq, daily);
			END IF;
			PERFORM set_config('enable_hashjoin', hashjoin, true);
			PERFORM set_config('enable_mergejoin', mergejoin, true);
		END IF;
		IF n_keys > 0 THEN
			EXECUTE format('TRUNCATE %s', claimed);
		END IF;
		RETURN NEXT daily;
		RETURN NEXT segments;
		seeds := seeds || segments::oid;
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
	-- through views), each after all the ones it reads.  Only the
	-- warehouse's own objects: those of daily's owner (odr_create_warehouse
	-- makes every object of a warehouse as one role).  A view or materialised
	-- view another role builds on top is neither refreshed nor followed: it
	-- can neither break this refresh nor ride along with it.  (An incremental
	-- warehouse: what is built on its daily and segments tables.)
	FOR rel IN
		WITH RECURSIVE dep(oid, depth) AS (
			SELECT s.oid, 0 FROM unnest(seeds) AS s(oid)
			UNION
			SELECT r.ev_class, dep.depth + 1
			FROM dep
			JOIN pg_depend d ON d.refclassid = 'pg_class'::regclass AND d.refobjid = dep.oid
			                AND d.classid = 'pg_rewrite'::regclass
			JOIN pg_rewrite r ON r.oid = d.objid
			JOIN pg_class c ON c.oid = r.ev_class AND c.relkind IN ('m', 'v')
			                AND c.relowner = (SELECT o.relowner FROM pg_class o WHERE o.oid = daily)
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
