/*
 * odr 0.1.0 -> 0.2.0.  Every object new in 0.2.0, in the same words as
 * sql/odr.sql (test/upgrade.sh checks that an updated database equals a fresh
 * install, object by object and result by result).
 */

\echo Use "ALTER EXTENSION odr UPDATE TO '0.2.0'" to load this file. \quit

-- ---------------------------------------------------------------------
-- Policies: TRUNCATE guard, writes for the extension's owner (trusted)
-- ---------------------------------------------------------------------

-- TRUNCATE skips row triggers: refuse it while built-in policies are there
-- (delete user policies with DELETE ... WHERE NOT builtin instead).
CREATE FUNCTION odr_policy_truncate_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM @extschema@.odr_policy p WHERE p.builtin) THEN
		RAISE EXCEPTION 'cannot truncate %: it holds built-in policies', TG_TABLE_NAME
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      HINT = 'Delete user policies with DELETE FROM odr_policy WHERE NOT builtin (their conditions go with them).';
	END IF;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION odr_policy_truncate_guard() IS 'Keeps TRUNCATE from removing the built-in policies and their conditions';
CREATE TRIGGER odr_policy_truncate_guard BEFORE TRUNCATE ON odr_policy
	FOR EACH STATEMENT EXECUTE FUNCTION odr_policy_truncate_guard();
CREATE TRIGGER odr_policy_condition_truncate_guard BEFORE TRUNCATE ON odr_policy_condition
	FOR EACH STATEMENT EXECUTE FUNCTION odr_policy_truncate_guard();

-- The role that ran CREATE EXTENSION may write its own policies.  When odr is
-- installed as a trusted extension by a non-superuser, the tables belong to
-- the bootstrap superuser; this grant lets the installing role (the
-- extension's owner) add and change user policies; built-in rows stay
-- read-only through the guards above.
GRANT INSERT, UPDATE, DELETE ON odr_policy, odr_policy_condition TO @extowner@;
-- 1688 service stars: S4 3-minute response rate (3分钟旺旺响应率)
-- ---------------------------------------------------------------------
-- One row per message.  The three aggregates share their transition
-- function, so a query using several of them keeps one state per group:
-- a 16-byte record per buyer message and per human seller reply, the buyer
-- keys interned.  The final functions sort the records (any input order)
-- and apply S4 in the seller's zone.  The zone is an argument, so nothing
-- depends on session settings: IMMUTABLE, like timezone(text, timestamptz).

CREATE FUNCTION odr_response_transfn(internal, text, timestamptz, text, boolean, boolean, text) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_response_combinefn(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_response_serialfn(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odr_response_deserialfn(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odr_response_rate_finalfn(internal) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_response_counted_finalfn(internal) RETURNS bigint
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_response_answered_finalfn(internal) RETURNS bigint
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_response_transfn(internal, text, timestamptz, text, boolean, boolean, text) IS
	'odr_response_rate / odr_response_counted / odr_response_answered transition: keeps a buyer message or a human seller reply';
COMMENT ON FUNCTION odr_response_combinefn(internal, internal) IS 'odr_response_rate / _counted / _answered combine function';
COMMENT ON FUNCTION odr_response_serialfn(internal) IS 'odr_response_rate / _counted / _answered state serialisation (parallel query)';
COMMENT ON FUNCTION odr_response_deserialfn(bytea, internal) IS 'odr_response_rate / _counted / _answered state deserialisation (parallel query)';
COMMENT ON FUNCTION odr_response_rate_finalfn(internal) IS 'odr_response_rate final function';
COMMENT ON FUNCTION odr_response_counted_finalfn(internal) IS 'odr_response_counted final function';
COMMENT ON FUNCTION odr_response_answered_finalfn(internal) IS 'odr_response_answered final function';

CREATE AGGREGATE odr_response_rate(buyer text, sent_at timestamptz, sender text,
                                   is_auto_reply boolean, is_official boolean, zone text) (
	SFUNC = odr_response_transfn,
	STYPE = internal,
	FINALFUNC = odr_response_rate_finalfn,
	COMBINEFUNC = odr_response_combinefn,
	SERIALFUNC = odr_response_serialfn,
	DESERIALFUNC = odr_response_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_response_rate(text, timestamptz, text, boolean, boolean, text) IS
	'S4: share 0..1 of counted buyer-days (a buyer''s first message of the seller''s local day in zone, arriving 09:00-21:00) answered by a human seller reply within 3 minutes (0:00..3:00 inclusive); automatic replies are no replies, official messages are ignored; NULL when nothing counts';

CREATE AGGREGATE odr_response_counted(buyer text, sent_at timestamptz, sender text,
                                      is_auto_reply boolean, is_official boolean, zone text) (
	SFUNC = odr_response_transfn,
	STYPE = internal,
	FINALFUNC = odr_response_counted_finalfn,
	COMBINEFUNC = odr_response_combinefn,
	SERIALFUNC = odr_response_serialfn,
	DESERIALFUNC = odr_response_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_response_counted(text, timestamptz, text, boolean, boolean, text) IS
	'S4: the denominator of odr_response_rate: buyer-days whose first message arrives 09:00-21:00 in the seller''s zone (0 when none)';

CREATE AGGREGATE odr_response_answered(buyer text, sent_at timestamptz, sender text,
                                       is_auto_reply boolean, is_official boolean, zone text) (
	SFUNC = odr_response_transfn,
	STYPE = internal,
	FINALFUNC = odr_response_answered_finalfn,
	COMBINEFUNC = odr_response_combinefn,
	SERIALFUNC = odr_response_serialfn,
	DESERIALFUNC = odr_response_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_response_answered(text, timestamptz, text, boolean, boolean, text) IS
	'S4: the numerator of odr_response_rate: counted buyer-days answered by a human seller reply within 3 minutes (0 when none)';

CREATE FUNCTION odr_in_response_hours(sent_at timestamptz, zone text) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_in_response_hours(timestamptz, text) IS
	'S4: whether sent_at falls in the counted hours, 09:00 (inclusive) to 21:00 (exclusive) local time in zone; a buyer''s first message of the day counts only then';

-- ---------------------------------------------------------------------
-- odr_agg_at / odr_rollup_at since the group's first day (0.2.0)
-- ---------------------------------------------------------------------

CREATE FUNCTION odr_at_defects_transfn(internal, date, odr_defects, date[], integer, boolean) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_at_summary_transfn(internal, date, odr_summary, date[], integer, boolean) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_at_finalfn(internal, date, odr_defects, date[], integer, boolean) RETURNS odr_assessment[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_at_finalfn(internal, date, odr_summary, date[], integer, boolean) RETURNS odr_assessment[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_at_defects_transfn(internal, date, odr_defects, date[], integer, boolean) IS 'odr_agg_at (since_first_day) transition';
COMMENT ON FUNCTION odr_at_summary_transfn(internal, date, odr_summary, date[], integer, boolean) IS 'odr_rollup_at (since_first_day) transition';
COMMENT ON FUNCTION odr_at_finalfn(internal, date, odr_defects, date[], integer, boolean) IS 'odr_agg_at (since_first_day) final function';
COMMENT ON FUNCTION odr_at_finalfn(internal, date, odr_summary, date[], integer, boolean) IS 'odr_rollup_at (since_first_day) final function';

CREATE AGGREGATE odr_agg_at(day date, defects odr_defects, as_of date[], days integer, since_first_day boolean) (
	SFUNC = odr_at_defects_transfn,
	STYPE = internal,
	FINALFUNC = odr_at_finalfn,
	FINALFUNC_EXTRA,
	COMBINEFUNC = odr_at_combinefn,
	SERIALFUNC = odr_at_serialfn,
	DESERIALFUNC = odr_at_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_agg_at(date, odr_defects, date[], integer, boolean) IS
	'A1, A2: odr_agg_at; with since_first_day true, only the dates on or after the group''s earliest day (a seller''s assessments since it started)';

CREATE AGGREGATE odr_rollup_at(day date, summary odr_summary, as_of date[], days integer, since_first_day boolean) (
	SFUNC = odr_at_summary_transfn,
	STYPE = internal,
	FINALFUNC = odr_at_finalfn,
	FINALFUNC_EXTRA,
	COMBINEFUNC = odr_at_combinefn,
	SERIALFUNC = odr_at_serialfn,
	DESERIALFUNC = odr_at_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_rollup_at(date, odr_summary, date[], integer, boolean) IS
	'A1, A2: odr_rollup_at; with since_first_day true, only the dates on or after the group''s earliest day (a seller''s assessments since it started)';

-- odr_create_warehouse: the month-end view takes each seller's first day from
-- odr_rollup_at (since_first_day) instead of a separate min(day)
CREATE OR REPLACE FUNCTION odr_create_warehouse(
	source regclass,
	seller_column name,
	day_column name,
	defects_column name,
	prefix text DEFAULT 'odr_',
	window_days integer DEFAULT 90,
	policy text DEFAULT NULL)
RETURNS SETOF regclass
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	nsp name;
	src text := source::text;
	day_type regtype;
	defects_type regtype;
	seller_type regtype;
	tier_of text;
	card_of text;
	proj_of text;
	daily text;
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

	-- per (seller, day) summaries
	EXECUTE format($q$
		CREATE MATERIALIZED VIEW %s AS
		SELECT %I AS seller_id, %I::date AS day, @extschema@.odr_agg(%I) AS summary
		FROM %s GROUP BY 1, 2 ORDER BY 1, 2$q$, daily, seller_column, day_column, defects_column, src);
	EXECUTE format('CREATE UNIQUE INDEX %I ON %s (seller_id, day)', prefix || 'daily_key', daily);
	EXECUTE format('CREATE INDEX %I ON %s (day)', prefix || 'daily_day', daily);
	EXECUTE format('COMMENT ON MATERIALIZED VIEW %s IS %L', daily,
		format('odr: one odr_summary per seller and day of %s (REFRESH MATERIALIZED VIEW CONCURRENTLY works)', src));
	RETURN NEXT daily::regclass;

	-- month-end assessments: every seller at every month end after its first
	-- order, in one pass over the per-day summaries (odr_rollup_at)
	q := format($q$
		CREATE VIEW %I.%I AS
		SELECT a.as_of, x.seller_id, a.summary,
		       @extschema@.odr_orders(a.summary) AS orders, @extschema@.odr_defective(a.summary) AS defective,
		       @extschema@.odr_rate(a.summary) AS odr, %s AS tier
		FROM (SELECT d.seller_id,
		             @extschema@.odr_rollup_at(d.day, d.summary, e.month_ends, %s, true) AS assessments  -- since_first_day
		      FROM %s AS d,
		           (SELECT ARRAY(SELECT @extschema@.odr_month_ends(min(day), max(day)) FROM %s) AS month_ends) AS e
		      GROUP BY d.seller_id) AS x,
		     unnest(x.assessments) AS a$q$,
		nsp, prefix || 'month_end', format(tier_of, 'a.summary'), window_days, daily, daily);
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
-- 1688 service stars: the order-based indicators S3, S5, S6, S7
-- ---------------------------------------------------------------------
-- The four aggregates share one fixed-size internal state (counts kept apart
-- for business buyers, levels 3..6) and one combine / serialise / deserialise
-- function, so they run in parallel and a parallel plan gives the serial
-- result exactly.

CREATE FUNCTION odr_indicator_combinefn(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_indicator_serialfn(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odr_indicator_deserialfn(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odr_indicator_rate_finalfn(internal) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_indicator_hours_finalfn(internal) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_indicator_combinefn(internal, internal) IS 'odr_on_time_rate / odr_quality_refund_rate / odr_refund_hours / odr_dispute_rate combine function';
COMMENT ON FUNCTION odr_indicator_serialfn(internal) IS 'Indicator aggregate state serialisation (parallel query)';
COMMENT ON FUNCTION odr_indicator_deserialfn(bytea, internal) IS 'Indicator aggregate state deserialisation (parallel query)';
COMMENT ON FUNCTION odr_indicator_rate_finalfn(internal) IS 'odr_on_time_rate / odr_quality_refund_rate / odr_dispute_rate final function: the weighted share, NULL when no order counts';
COMMENT ON FUNCTION odr_indicator_hours_finalfn(internal) IS 'odr_refund_hours final function: the weighted mean in hours, NULL when no refund was completed';

-- S3 on-time shipping
CREATE FUNCTION odr_shipped_on_time(
	paid_at timestamptz,
	promised_ship_by timestamptz,
	shipped_at timestamptz)
RETURNS boolean
	AS 'MODULE_PATHNAME', 'odr_shipped_on_time_fn' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_shipped_on_time(timestamptz, timestamptz, timestamptz) IS
	'S3: shipped by promised_ship_by, or within 48 hours of paid_at when there is no promise (at the deadline is on time); judged as of now(): an order not shipped yet is late once its deadline has passed, NULL (not counted yet) before. NULL paid_at: NULL (not counted).';
CREATE FUNCTION odr_shipped_on_time(
	paid_at timestamptz,
	promised_ship_by timestamptz,
	shipped_at timestamptz,
	as_of timestamptz)
RETURNS boolean
	AS 'MODULE_PATHNAME', 'odr_shipped_on_time_as_of_fn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_shipped_on_time(timestamptz, timestamptz, timestamptz, timestamptz) IS
	'S3: odr_shipped_on_time judged as of as_of (nothing later is known; as_of infinity: every order not shipped is late). NULL when the order does not count (yet).';

CREATE FUNCTION odr_on_time_transfn(internal, timestamptz, timestamptz, timestamptz, integer) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION odr_on_time_weight_transfn(internal, timestamptz, timestamptz, timestamptz, integer, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION odr_on_time_as_of_transfn(internal, timestamptz, timestamptz, timestamptz, integer, timestamptz) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_on_time_weight_as_of_transfn(internal, timestamptz, timestamptz, timestamptz, integer, double precision, timestamptz) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_on_time_transfn(internal, timestamptz, timestamptz, timestamptz, integer) IS 'odr_on_time_rate transition (business weight 2, as of now())';
COMMENT ON FUNCTION odr_on_time_weight_transfn(internal, timestamptz, timestamptz, timestamptz, integer, double precision) IS 'odr_on_time_rate transition (as of now())';
COMMENT ON FUNCTION odr_on_time_as_of_transfn(internal, timestamptz, timestamptz, timestamptz, integer, timestamptz) IS 'odr_on_time_rate transition (business weight 2)';
COMMENT ON FUNCTION odr_on_time_weight_as_of_transfn(internal, timestamptz, timestamptz, timestamptz, integer, double precision, timestamptz) IS 'odr_on_time_rate transition';

CREATE AGGREGATE odr_on_time_rate(paid_at timestamptz, promised_ship_by timestamptz, shipped_at timestamptz, buyer_level integer) (
	SFUNC = odr_on_time_transfn,
	STYPE = internal,
	FINALFUNC = odr_indicator_rate_finalfn,
	COMBINEFUNC = odr_indicator_combinefn,
	SERIALFUNC = odr_indicator_serialfn,
	DESERIALFUNC = odr_indicator_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_on_time_rate(timestamptz, timestamptz, timestamptz, integer) IS
	'S3: weighted share (0..1) of orders shipped on time (odr_shipped_on_time, as of now()); orders of business buyers (buyer_level 3..6) weigh 2, others 1; NULL when no order counts';
CREATE AGGREGATE odr_on_time_rate(paid_at timestamptz, promised_ship_by timestamptz, shipped_at timestamptz, buyer_level integer, business_weight double precision) (
	SFUNC = odr_on_time_weight_transfn,
	STYPE = internal,
	FINALFUNC = odr_indicator_rate_finalfn,
	COMBINEFUNC = odr_indicator_combinefn,
	SERIALFUNC = odr_indicator_serialfn,
	DESERIALFUNC = odr_indicator_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_on_time_rate(timestamptz, timestamptz, timestamptz, integer, double precision) IS
	'S3: odr_on_time_rate with orders of business buyers (buyer_level 3..6) weighing business_weight (finite, > 0, the same on every row)';
CREATE AGGREGATE odr_on_time_rate(paid_at timestamptz, promised_ship_by timestamptz, shipped_at timestamptz, buyer_level integer, as_of timestamptz) (
	SFUNC = odr_on_time_as_of_transfn,
	STYPE = internal,
	FINALFUNC = odr_indicator_rate_finalfn,
	COMBINEFUNC = odr_indicator_combinefn,
	SERIALFUNC = odr_indicator_serialfn,
	DESERIALFUNC = odr_indicator_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_on_time_rate(timestamptz, timestamptz, timestamptz, integer, timestamptz) IS
	'S3: odr_on_time_rate with every order judged as of as_of instead of now()';
CREATE AGGREGATE odr_on_time_rate(paid_at timestamptz, promised_ship_by timestamptz, shipped_at timestamptz, buyer_level integer, business_weight double precision, as_of timestamptz) (
	SFUNC = odr_on_time_weight_as_of_transfn,
	STYPE = internal,
	FINALFUNC = odr_indicator_rate_finalfn,
	COMBINEFUNC = odr_indicator_combinefn,
	SERIALFUNC = odr_indicator_serialfn,
	DESERIALFUNC = odr_indicator_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_on_time_rate(timestamptz, timestamptz, timestamptz, integer, double precision, timestamptz) IS
	'S3: odr_on_time_rate with business_weight, every order judged as of as_of';

-- S5 quality refunds
CREATE FUNCTION odr_quality_reasons() RETURNS text[]
	AS 'MODULE_PATHNAME', 'odr_quality_reasons_fn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_quality_reasons() IS
	'S5: the default quality refund reasons: quality_problem, not_as_described, damaged, counterfeit, poor_workmanship';
CREATE FUNCTION odr_is_quality_refund(first_refund_reason text) RETURNS boolean
	AS 'MODULE_PATHNAME', 'odr_is_quality_refund_fn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_is_quality_refund(text) IS
	'S5: the first refund reason is one of odr_quality_reasons() (ASCII case ignored); false for NULL (no refund)';
CREATE FUNCTION odr_is_quality_refund(first_refund_reason text, quality_reasons text[]) RETURNS boolean
	AS 'MODULE_PATHNAME', 'odr_is_quality_refund_list_fn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_is_quality_refund(text, text[]) IS
	'S5: the first refund reason is one of quality_reasons (ASCII case ignored); false for NULL (no refund)';

CREATE FUNCTION odr_quality_refund_transfn(internal, text) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_quality_refund_list_transfn(internal, text, text[]) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_quality_refund_transfn(internal, text) IS 'odr_quality_refund_rate transition (default quality reasons)';
COMMENT ON FUNCTION odr_quality_refund_list_transfn(internal, text, text[]) IS 'odr_quality_refund_rate transition';

CREATE AGGREGATE odr_quality_refund_rate(first_refund_reason text) (
	SFUNC = odr_quality_refund_transfn,
	STYPE = internal,
	FINALFUNC = odr_indicator_rate_finalfn,
	COMBINEFUNC = odr_indicator_combinefn,
	SERIALFUNC = odr_indicator_serialfn,
	DESERIALFUNC = odr_indicator_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_quality_refund_rate(text) IS
	'S5: share (0..1) of orders (one row each; NULL reason = no refund) whose first refund reason is one of odr_quality_reasons(); NULL with no rows';
CREATE AGGREGATE odr_quality_refund_rate(first_refund_reason text, quality_reasons text[]) (
	SFUNC = odr_quality_refund_list_transfn,
	STYPE = internal,
	FINALFUNC = odr_indicator_rate_finalfn,
	COMBINEFUNC = odr_indicator_combinefn,
	SERIALFUNC = odr_indicator_serialfn,
	DESERIALFUNC = odr_indicator_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_quality_refund_rate(text, text[]) IS
	'S5: odr_quality_refund_rate with your own list of quality reasons';

-- S6 refund hours
CREATE FUNCTION odr_refund_hours_transfn(internal, timestamptz, timestamptz, integer) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_refund_hours_weight_transfn(internal, timestamptz, timestamptz, integer, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_refund_hours_transfn(internal, timestamptz, timestamptz, integer) IS 'odr_refund_hours transition (business weight 2)';
COMMENT ON FUNCTION odr_refund_hours_weight_transfn(internal, timestamptz, timestamptz, integer, double precision) IS 'odr_refund_hours transition';

CREATE AGGREGATE odr_refund_hours(requested_at timestamptz, completed_at timestamptz, buyer_level integer) (
	SFUNC = odr_refund_hours_transfn,
	STYPE = internal,
	FINALFUNC = odr_indicator_hours_finalfn,
	COMBINEFUNC = odr_indicator_combinefn,
	SERIALFUNC = odr_indicator_serialfn,
	DESERIALFUNC = odr_indicator_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_refund_hours(timestamptz, timestamptz, integer) IS
	'S6: weighted mean hours from refund request to completion; refunds of business buyers (buyer_level 3..6) weigh 2, others 1; not completed yet (NULL completed_at) or no refund: left out; NULL when none is completed';
CREATE AGGREGATE odr_refund_hours(requested_at timestamptz, completed_at timestamptz, buyer_level integer, business_weight double precision) (
	SFUNC = odr_refund_hours_weight_transfn,
	STYPE = internal,
	FINALFUNC = odr_indicator_hours_finalfn,
	COMBINEFUNC = odr_indicator_combinefn,
	SERIALFUNC = odr_indicator_serialfn,
	DESERIALFUNC = odr_indicator_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_refund_hours(timestamptz, timestamptz, integer, double precision) IS
	'S6: odr_refund_hours with refunds of business buyers (buyer_level 3..6) weighing business_weight (finite, > 0, the same on every row)';

-- S7 disputes
CREATE FUNCTION odr_dispute_counted(ruling text) RETURNS boolean
	AS 'MODULE_PATHNAME', 'odr_dispute_counted_fn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_dispute_counted(text) IS
	'S7: the dispute was ruled the seller''s or both parties'' responsibility (seller, both); false for buyer, none, pending and NULL (no dispute); ASCII case ignored; other text is an error';
CREATE FUNCTION odr_dispute_transfn(internal, text) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_dispute_transfn(internal, text) IS 'odr_dispute_rate transition';
CREATE AGGREGATE odr_dispute_rate(ruling text) (
	SFUNC = odr_dispute_transfn,
	STYPE = internal,
	FINALFUNC = odr_indicator_rate_finalfn,
	COMBINEFUNC = odr_indicator_combinefn,
	SERIALFUNC = odr_indicator_serialfn,
	DESERIALFUNC = odr_indicator_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_dispute_rate(text) IS
	'S7: share (0..1) of orders (one row each; NULL ruling = no dispute) with a dispute ruled the seller''s or both parties'' responsibility; NULL with no rows';

-- ---------------------------------------------------------------------
-- 1688 service stars: peer scores, composite and stars (S1, S2, S8, S9)
-- ---------------------------------------------------------------------

CREATE FUNCTION odr_peer_score(indicator text, value double precision) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
COMMENT ON FUNCTION odr_peer_score(text, double precision) IS
	'S2: window function, OVER (PARTITION BY category): the seller''s score 0..5 among its peers, 5 x (1 - the share of the other peers doing strictly better; a tie costs nothing); lower is better for quality_refund_rate, refund_hours and dispute_rate; NULL without a value or without peers';

CREATE TABLE odr_star_policy (
	name text PRIMARY KEY CHECK (name OPERATOR(pg_catalog.<>) ''::text),
	description text NOT NULL DEFAULT '',
	builtin boolean NOT NULL DEFAULT false,
	w_on_time_rate double precision NOT NULL CHECK (w_on_time_rate OPERATOR(pg_catalog.>=) 0::double precision),
	w_response_rate double precision NOT NULL CHECK (w_response_rate OPERATOR(pg_catalog.>=) 0::double precision),
	w_quality_refund_rate double precision NOT NULL CHECK (w_quality_refund_rate OPERATOR(pg_catalog.>=) 0::double precision),
	w_refund_hours double precision NOT NULL CHECK (w_refund_hours OPERATOR(pg_catalog.>=) 0::double precision),
	w_dispute_rate double precision NOT NULL CHECK (w_dispute_rate OPERATOR(pg_catalog.>=) 0::double precision),
	weak_below double precision NOT NULL DEFAULT 4 CHECK (weak_below OPERATOR(pg_catalog.>=) 0::double precision
		AND weak_below OPERATOR(pg_catalog.<=) 5::double precision),
	window_days integer NOT NULL DEFAULT 30 CHECK (window_days OPERATOR(pg_catalog.>) 0),
	CONSTRAINT odr_star_policy_weights_sum_to_1 CHECK (
		pg_catalog.abs(w_on_time_rate OPERATOR(pg_catalog.+) w_response_rate OPERATOR(pg_catalog.+) w_quality_refund_rate
		               OPERATOR(pg_catalog.+) w_refund_hours OPERATOR(pg_catalog.+) w_dispute_rate
		               OPERATOR(pg_catalog.-) 1::double precision) OPERATOR(pg_catalog.<) 1e-9::double precision)
);
COMMENT ON TABLE odr_star_policy IS 'S8, S9: 1688 star policies: the weight of each indicator score in the composite (summing to 1), the score below which an indicator is a weak spot (S2), the window; built-in rows are read-only';
COMMENT ON COLUMN odr_star_policy.name IS 'Policy name, passed to odr_star_scorecard(..., policy) and the other star functions';
COMMENT ON COLUMN odr_star_policy.weak_below IS 'S2: an indicator scoring below this is a weak spot (服务短板)';
COMMENT ON COLUMN odr_star_policy.window_days IS 'S9: the days the indicators are computed over (informative: the indicator queries choose their rows)';

CREATE TABLE odr_star_level (
	policy text NOT NULL REFERENCES odr_star_policy (name) ON UPDATE CASCADE ON DELETE CASCADE,
	stars numeric(2,1) NOT NULL CHECK (stars OPERATOR(pg_catalog.>=) 0::numeric AND stars OPERATOR(pg_catalog.<=) 5::numeric),
	min_composite double precision NOT NULL CHECK (min_composite OPERATOR(pg_catalog.<=) 5::double precision
		AND min_composite OPERATOR(pg_catalog.=) min_composite),
	builtin boolean NOT NULL DEFAULT false,
	PRIMARY KEY (policy, stars)
);
COMMENT ON TABLE odr_star_level IS 'S1, S8: the star levels of each policy: a composite of at least min_composite earns stars (the highest level reached; below every level, the lowest)';

INSERT INTO odr_star_policy (name, description, builtin, w_on_time_rate, w_response_rate,
                             w_quality_refund_rate, w_refund_hours, w_dispute_rate, weak_below, window_days)
VALUES ('1688', '1688 service stars (rules.md S2, S8, S9): logistics 35% (on-time shipping), consultation 20% (3-minute response), product 15% (quality refunds), after-sales 30% (refund time 15%, disputes 15%); weak spot below 4; 30 days',
        true, 0.35, 0.20, 0.15, 0.15, 0.15, 4, 30);
INSERT INTO odr_star_level (policy, stars, min_composite, builtin)
VALUES ('1688', 3.0, '-Infinity', true), ('1688', 3.5, 3.5, true), ('1688', 4.0, 4.0, true),
       ('1688', 4.5, 4.5, true), ('1688', 5.0, 5.0, true);

CREATE FUNCTION odr_star_policy_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	builtin_row boolean := false;
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		IF EXISTS (SELECT 1 FROM @extschema@.odr_star_policy p WHERE p.builtin) THEN
			RAISE EXCEPTION 'cannot truncate %: it holds built-in star policies', TG_TABLE_NAME
				USING ERRCODE = 'object_not_in_prerequisite_state',
				      HINT = 'Delete user policies with DELETE FROM odr_star_policy WHERE NOT builtin.';
		END IF;
		RETURN NULL;
	END IF;
	IF TG_OP <> 'INSERT' THEN
		builtin_row := OLD.builtin;
	END IF;
	IF TG_OP <> 'DELETE' THEN
		builtin_row := builtin_row OR NEW.builtin;
	END IF;
	IF TG_TABLE_NAME = 'odr_star_level' THEN
		builtin_row := builtin_row OR EXISTS (
			SELECT 1 FROM @extschema@.odr_star_policy p
			WHERE p.builtin AND p.name IN (CASE WHEN TG_OP <> 'DELETE' THEN NEW.policy END,
			                               CASE WHEN TG_OP <> 'INSERT' THEN OLD.policy END));
	END IF;
	IF builtin_row THEN
		RAISE EXCEPTION 'built-in star policies cannot be changed'
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      HINT = 'Add a policy of your own under another name (copy the built-in one and change it).';
	END IF;
	IF TG_OP = 'DELETE' THEN
		RETURN OLD;
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION odr_star_policy_guard() IS 'Keeps the built-in star policies and their levels read-only (also against TRUNCATE)';
CREATE TRIGGER odr_star_policy_guard BEFORE INSERT OR UPDATE OR DELETE ON odr_star_policy
	FOR EACH ROW EXECUTE FUNCTION odr_star_policy_guard();
CREATE TRIGGER odr_star_level_guard BEFORE INSERT OR UPDATE OR DELETE ON odr_star_level
	FOR EACH ROW EXECUTE FUNCTION odr_star_policy_guard();
CREATE TRIGGER odr_star_policy_truncate_guard BEFORE TRUNCATE ON odr_star_policy
	FOR EACH STATEMENT EXECUTE FUNCTION odr_star_policy_guard();
CREATE TRIGGER odr_star_level_truncate_guard BEFORE TRUNCATE ON odr_star_level
	FOR EACH STATEMENT EXECUTE FUNCTION odr_star_policy_guard();

SELECT pg_catalog.pg_extension_config_dump('odr_star_policy', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('odr_star_level', 'WHERE NOT builtin');
GRANT SELECT ON odr_star_policy, odr_star_level TO PUBLIC;
GRANT INSERT, UPDATE, DELETE ON odr_star_policy, odr_star_level TO @extowner@;

-- The policy row for a name (NULL: odr.default_star_policy), or an error.
CREATE FUNCTION odr_star_policy_of(policy text DEFAULT NULL) RETURNS odr_star_policy
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	p @extschema@.odr_star_policy;
	wanted text := coalesce(policy, nullif(current_setting('odr.default_star_policy', true), ''), '1688');
BEGIN
	SELECT * INTO p FROM @extschema@.odr_star_policy s WHERE s.name = wanted;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'unknown star policy "%"', wanted
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'SELECT name FROM odr_star_policy lists the star policies.';
	END IF;
	RETURN p;
END
$$;
COMMENT ON FUNCTION odr_star_policy_of(text) IS 'S8: the star policy of that name (default: the setting odr.default_star_policy, default 1688); 22023 for an unknown name';

CREATE FUNCTION odr_star_composite(on_time_score double precision, response_score double precision,
                                   quality_refund_score double precision, refund_hours_score double precision,
                                   dispute_score double precision, policy text DEFAULT NULL)
RETURNS double precision
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	p @extschema@.odr_star_policy := @extschema@.odr_star_policy_of(policy);
	scores double precision[] := ARRAY[on_time_score, response_score, quality_refund_score, refund_hours_score, dispute_score];
	weights double precision[] := ARRAY[p.w_on_time_rate, p.w_response_rate, p.w_quality_refund_rate, p.w_refund_hours, p.w_dispute_rate];
	names text[] := ARRAY['on_time_score', 'response_score', 'quality_refund_score', 'refund_hours_score', 'dispute_score'];
	num double precision := 0;
	den double precision := 0;
BEGIN
	FOR i IN 1..5 LOOP
		IF scores[i] IS NULL THEN
			CONTINUE;
		END IF;
		IF NOT (scores[i] >= 0 AND scores[i] <= 5) THEN
			RAISE EXCEPTION '% % is out of range', names[i], scores[i]
				USING ERRCODE = 'numeric_value_out_of_range', DETAIL = 'An indicator score lies between 0 and 5 (S2).';
		END IF;
		num := num + weights[i] * scores[i];
		den := den + weights[i];
	END LOOP;
	IF den = 0 THEN
		RETURN NULL;
	END IF;
	RETURN least(5, greatest(0, num / den));  -- no rounding error past the bounds
END
$$;
COMMENT ON FUNCTION odr_star_composite(double precision, double precision, double precision, double precision, double precision, text) IS
	'S8: the composite experience score 0..5, the weighted mean of the indicator scores with the policy''s weights; an indicator without a score (NULL) is left out and the others'' weights are scaled up; NULL when none is scored';

CREATE FUNCTION odr_stars(composite double precision, policy text DEFAULT NULL) RETURNS numeric
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	p @extschema@.odr_star_policy := @extschema@.odr_star_policy_of(policy);
	result numeric;
BEGIN
	IF composite IS NULL THEN
		RETURN NULL;
	END IF;
	IF NOT (composite >= 0 AND composite <= 5) THEN
		RAISE EXCEPTION 'composite % is out of range', composite
			USING ERRCODE = 'numeric_value_out_of_range', DETAIL = 'A composite score lies between 0 and 5 (S8).';
	END IF;
	SELECT coalesce(max(l.stars) FILTER (WHERE l.min_composite <= composite), min(l.stars)) INTO result
	FROM @extschema@.odr_star_level l WHERE l.policy = p.name;
	IF result IS NULL THEN
		RAISE EXCEPTION 'star policy "%" has no levels', p.name
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      HINT = 'Add its levels to odr_star_level.';
	END IF;
	RETURN result;
END
$$;
COMMENT ON FUNCTION odr_stars(double precision, text) IS
	'S1, S8: the stars a composite earns under the policy''s levels (1688: rounded down to the half star, 3 to 5)';

CREATE FUNCTION odr_star_weak_spots(on_time_score double precision, response_score double precision,
                                    quality_refund_score double precision, refund_hours_score double precision,
                                    dispute_score double precision, policy text DEFAULT NULL)
RETURNS text[]
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	p @extschema@.odr_star_policy := @extschema@.odr_star_policy_of(policy);
BEGIN
	-- validates the scores as the composite does
	PERFORM @extschema@.odr_star_composite(on_time_score, response_score, quality_refund_score,
	                                        refund_hours_score, dispute_score, p.name);
	RETURN ARRAY(
		SELECT s.name
		FROM (VALUES ('on_time_rate', on_time_score, p.w_on_time_rate),
		             ('response_rate', response_score, p.w_response_rate),
		             ('quality_refund_rate', quality_refund_score, p.w_quality_refund_rate),
		             ('refund_hours', refund_hours_score, p.w_refund_hours),
		             ('dispute_rate', dispute_score, p.w_dispute_rate)) AS s(name, score, weight)
		WHERE s.score < p.weak_below
		ORDER BY s.weight * (5 - s.score) DESC, s.name);
END
$$;
COMMENT ON FUNCTION odr_star_weak_spots(double precision, double precision, double precision, double precision, double precision, text) IS
	'S2, S8: the weak spots (indicators scoring below the policy''s weak_below, 4 for 1688), the one that costs the composite most first (weight x (5 - score))';

CREATE FUNCTION odr_star_scorecard(indicators regclass, policy text DEFAULT NULL)
RETURNS TABLE (seller_id text, category text,
               on_time_rate double precision, on_time_score double precision,
               response_rate double precision, response_score double precision,
               quality_refund_rate double precision, quality_refund_score double precision,
               refund_hours double precision, refund_hours_score double precision,
               dispute_rate double precision, dispute_score double precision,
               composite double precision, stars numeric, weak_spots text, weak_spot_points double precision)
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	p @extschema@.odr_star_policy := @extschema@.odr_star_policy_of(policy);
	col text;
BEGIN
	IF indicators IS NULL THEN
		RAISE EXCEPTION 'indicators must not be NULL'
			USING ERRCODE = 'null_value_not_allowed',
			      HINT = 'Pass the table or view of indicator values, e.g. odr_star_scorecard(''my_indicators'').';
	END IF;
	FOREACH col IN ARRAY ARRAY['seller_id', 'category', 'on_time_rate', 'response_rate',
	                           'quality_refund_rate', 'refund_hours', 'dispute_rate'] LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_attribute a
		               WHERE a.attrelid = indicators AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped) THEN
			RAISE EXCEPTION 'column "%" of % does not exist', col, indicators
				USING ERRCODE = 'undefined_column',
				      HINT = 'The indicator table needs seller_id, category, on_time_rate, response_rate, quality_refund_rate, refund_hours and dispute_rate.';
		END IF;
	END LOOP;
	EXECUTE format('SELECT seller_id::text FROM %s GROUP BY seller_id::text, category::text HAVING count(*) > 1 LIMIT 1',
	               indicators) INTO col;
	IF col IS NOT NULL THEN
		RAISE EXCEPTION 'seller "%" appears more than once in a category of %', col, indicators
			USING ERRCODE = 'cardinality_violation',
			      HINT = 'The indicator table has one row per seller and category: aggregate first.';
	END IF;
	RETURN QUERY EXECUTE format($q$
		SELECT s.seller_id, s.category,
		       s.on_time_rate, s.on_time_score, s.response_rate, s.response_score,
		       s.quality_refund_rate, s.quality_refund_score, s.refund_hours, s.refund_hours_score,
		       s.dispute_rate, s.dispute_score, c.composite,
		       @extschema@.odr_stars(c.composite, %1$L),
		       array_to_string(@extschema@.odr_star_weak_spots(s.on_time_score, s.response_score, s.quality_refund_score,
		                                                       s.refund_hours_score, s.dispute_score, %1$L), ', '),
		       (SELECT coalesce(sum(x.w * (5 - x.score)), 0)
		        FROM (VALUES (%2$s::float8, s.on_time_score), (%3$s, s.response_score), (%4$s, s.quality_refund_score),
		                     (%5$s, s.refund_hours_score), (%6$s, s.dispute_score)) AS x(w, score)
		        WHERE x.score < %7$s)
		FROM (SELECT i.seller_id::text AS seller_id, i.category::text AS category,
		             i.on_time_rate::float8 AS on_time_rate,
		             @extschema@.odr_peer_score('on_time_rate', i.on_time_rate::float8) OVER w AS on_time_score,
		             i.response_rate::float8 AS response_rate,
		             @extschema@.odr_peer_score('response_rate', i.response_rate::float8) OVER w AS response_score,
		             i.quality_refund_rate::float8 AS quality_refund_rate,
		             @extschema@.odr_peer_score('quality_refund_rate', i.quality_refund_rate::float8) OVER w AS quality_refund_score,
		             i.refund_hours::float8 AS refund_hours,
		             @extschema@.odr_peer_score('refund_hours', i.refund_hours::float8) OVER w AS refund_hours_score,
		             i.dispute_rate::float8 AS dispute_rate,
		             @extschema@.odr_peer_score('dispute_rate', i.dispute_rate::float8) OVER w AS dispute_score
		      FROM %8$s AS i
		      WINDOW w AS (PARTITION BY i.category)) AS s,
		     LATERAL (SELECT @extschema@.odr_star_composite(s.on_time_score, s.response_score, s.quality_refund_score,
		                                                    s.refund_hours_score, s.dispute_score, %1$L) AS composite) AS c
		ORDER BY s.category, s.seller_id$q$,
		p.name, p.w_on_time_rate, p.w_response_rate, p.w_quality_refund_rate, p.w_refund_hours, p.w_dispute_rate,
		p.weak_below, indicators);
END
$$;
COMMENT ON FUNCTION odr_star_scorecard(regclass, text) IS
	'S1-S9: one row per seller of a table of indicator values (seller_id, category, on_time_rate, response_rate, quality_refund_rate, refund_hours, dispute_rate): each value and its peer score within the category, composite, stars, weak spots (costliest first) and the composite points they cost (weight x (5 - score), summed); plain SQL types only';
