/*
 * odr 0.6.0 -> 0.7.0.  Names nothing unqualified (README: Security): every
 * operator OPERATOR(pg_catalog.op), every call schema-qualified, as in
 * sql/odr.sql.
 */

\echo Use "ALTER EXTENSION odr UPDATE TO '0.7.0'" to load this file. \quit

-- =====================================================================
-- Issue 14: AliExpress as a built-in marketplace of the engine (rules
-- A1-A17), beside amazon and ebay; odr_aliexpress_order builds its orders.
-- The guards refuse built-in rows, so they are off while the rows go in
-- (the validating constraint triggers stay on and compile the policy).
-- =====================================================================
ALTER TABLE @extschema@.odr_marketplace DISABLE TRIGGER odr_marketplace_guard;
ALTER TABLE @extschema@.odr_marketplace_counter DISABLE TRIGGER odr_marketplace_part_guard;
ALTER TABLE @extschema@.odr_marketplace_window DISABLE TRIGGER odr_marketplace_part_guard;
ALTER TABLE @extschema@.odr_marketplace_metric DISABLE TRIGGER odr_marketplace_part_guard;
ALTER TABLE @extschema@.odr_marketplace_standard DISABLE TRIGGER odr_marketplace_part_guard;
ALTER TABLE @extschema@.odr_marketplace_comparison DISABLE TRIGGER odr_marketplace_part_guard;
ALTER TABLE @extschema@.odr_marketplace_level DISABLE TRIGGER odr_marketplace_part_guard;

-- AliExpress (rules A1-A17) as a policy of the same engine: what odr_tier
-- decides from odr_agg under the default policy, from the engine's rows.
-- Orders enter through odr_aliexpress_order(odr_classify(...), finished_on).
INSERT INTO @extschema@.odr_marketplace (name, description, builtin, date_bases, events, "values", evaluated, evaluation_day, effective_after)
VALUES
 ('aliexpress', 'AliExpress seller service level (rules A1-A17) on the engine: assessed at every month end over the 90 days of finish date; unassessed under 90 orders, then excellent (ODR < 3%), good (< 6%), pass (< 12%), else fail; the same tiers as odr_tier under the default policy',
  true, '{finished_on}',
  '{negative_feedback,dsr_item,dsr_communication,dsr_shipping,unshipped,arbitration,dispute_timeout,seller_responsible,rating_counted,rating_positive,item_rated,communication_rated,shipping_rated}',
  '{item_stars,communication_stars,shipping_stars}',
  'month_end', NULL, 'same_day');

INSERT INTO @extschema@.odr_marketplace_counter (marketplace, name, kind, when_all, when_any, when_none, basis, value, k, description) VALUES
 ('aliexpress', 'orders', 'count', '{}', '{}', '{}', 'finished_on', NULL, NULL, 'A3, A15: every assessed order, by the day it finished'),
 ('aliexpress', 'defective', 'count', '{}', '{negative_feedback,dsr_item,dsr_communication,dsr_shipping,unshipped,arbitration,dispute_timeout}', '{}', 'finished_on', NULL, NULL, 'A12: orders with any defect reason, counted once'),
 ('aliexpress', 'negative_feedback', 'count', '{negative_feedback}', '{}', '{}', 'finished_on', NULL, NULL, 'A5'),
 ('aliexpress', 'dsr_item', 'count', '{dsr_item}', '{}', '{}', 'finished_on', NULL, NULL, 'A6'),
 ('aliexpress', 'dsr_communication', 'count', '{dsr_communication}', '{}', '{}', 'finished_on', NULL, NULL, 'A7'),
 ('aliexpress', 'dsr_shipping', 'count', '{dsr_shipping}', '{}', '{}', 'finished_on', NULL, NULL, 'A8'),
 ('aliexpress', 'unshipped', 'count', '{unshipped}', '{}', '{}', 'finished_on', NULL, NULL, 'A9'),
 ('aliexpress', 'arbitration', 'count', '{arbitration}', '{}', '{}', 'finished_on', NULL, NULL, 'A10'),
 ('aliexpress', 'dispute_timeout', 'count', '{dispute_timeout}', '{}', '{}', 'finished_on', NULL, NULL, 'A11'),
 ('aliexpress', 'seller_responsible', 'count', '{seller_responsible}', '{}', '{}', 'finished_on', NULL, NULL, 'A16: arbitration ruled against the seller'),
 ('aliexpress', 'ratings_counted', 'count', '{rating_counted}', '{}', '{}', 'finished_on', NULL, NULL, 'A16: overall ratings counted (not under US$5, not A13)'),
 ('aliexpress', 'ratings_positive', 'count', '{rating_counted,rating_positive}', '{}', '{}', 'finished_on', NULL, NULL, 'A16: of those, 4 or 5 stars'),
 ('aliexpress', 'item_ratings', 'count', '{item_rated}', '{}', '{}', 'finished_on', NULL, NULL, 'A16: counted DSR "item as described" ratings'),
 ('aliexpress', 'item_stars', 'sum', '{item_rated}', '{}', '{}', 'finished_on', 'item_stars', NULL, 'A16: their stars'),
 ('aliexpress', 'communication_ratings', 'count', '{communication_rated}', '{}', '{}', 'finished_on', NULL, NULL, 'A16: counted DSR "communication" ratings'),
 ('aliexpress', 'communication_stars', 'sum', '{communication_rated}', '{}', '{}', 'finished_on', 'communication_stars', NULL, 'A16: their stars'),
 ('aliexpress', 'shipping_ratings', 'count', '{shipping_rated}', '{}', '{}', 'finished_on', NULL, NULL, 'A16: counted DSR "shipping speed" ratings'),
 ('aliexpress', 'shipping_stars', 'sum', '{shipping_rated}', '{}', '{}', 'finished_on', 'shipping_stars', NULL, 'A16: their stars');

INSERT INTO @extschema@.odr_marketplace_window (marketplace, name, kind, length, lag, primary_window, fallback_window, volume_counter, volume_min, description) VALUES
 ('aliexpress', 'days_90', 'days', 90, 0, NULL, NULL, NULL, NULL, 'A1: the 90 days ending on the assessment date');

INSERT INTO @extschema@.odr_marketplace_metric (marketplace, name, kind, numerator, denominator, "window", description) VALUES
 ('aliexpress', 'odr', 'rate', 'defective', 'orders', 'days_90', 'A15: defective orders / assessed orders'),
 ('aliexpress', 'orders', 'count', 'orders', NULL, 'days_90', 'A4, A15: assessed orders'),
 ('aliexpress', 'defective', 'count', 'defective', NULL, 'days_90', 'A12: defective orders'),
 ('aliexpress', 'negative_feedback', 'count', 'negative_feedback', NULL, 'days_90', 'A5, A18: orders with this reason'),
 ('aliexpress', 'dsr_item', 'count', 'dsr_item', NULL, 'days_90', 'A6, A18'),
 ('aliexpress', 'dsr_communication', 'count', 'dsr_communication', NULL, 'days_90', 'A7, A18'),
 ('aliexpress', 'dsr_shipping', 'count', 'dsr_shipping', NULL, 'days_90', 'A8, A18'),
 ('aliexpress', 'unshipped', 'count', 'unshipped', NULL, 'days_90', 'A9, A18'),
 ('aliexpress', 'arbitration', 'count', 'arbitration', NULL, 'days_90', 'A10, A18'),
 ('aliexpress', 'dispute_timeout', 'count', 'dispute_timeout', NULL, 'days_90', 'A11, A18'),
 ('aliexpress', 'seller_responsible_arbitration_rate', 'rate', 'seller_responsible', 'orders', 'days_90', 'A16: arbitrations ruled against the seller / assessed orders'),
 ('aliexpress', 'positive_feedback_rate', 'rate', 'ratings_positive', 'ratings_counted', 'days_90', 'A16: 4-5 star ratings / counted ratings'),
 ('aliexpress', 'dsr_item_avg', 'average', 'item_stars', 'item_ratings', 'days_90', 'A16: store average of the DSR "item as described"'),
 ('aliexpress', 'dsr_communication_avg', 'average', 'communication_stars', 'communication_ratings', 'days_90', 'A16: store average of the DSR "communication"'),
 ('aliexpress', 'dsr_shipping_avg', 'average', 'shipping_stars', 'shipping_ratings', 'days_90', 'A16: store average of the DSR "shipping speed"');

INSERT INTO @extschema@.odr_marketplace_standard (marketplace, name, position, description) VALUES
 ('aliexpress', 'assessed', 1, 'A4: at least 90 assessed orders in the window'),
 ('aliexpress', 'excellent_odr', 2, 'A17: ODR below 3%'),
 ('aliexpress', 'good_odr', 3, 'A17: ODR below 6%'),
 ('aliexpress', 'pass_odr', 4, 'A17: ODR below 12%');

INSERT INTO @extschema@.odr_marketplace_comparison (marketplace, standard, position, metric, op, threshold) VALUES
 ('aliexpress', 'assessed', 1, 'orders', '>=', 90),
 ('aliexpress', 'excellent_odr', 1, 'odr', '<', 0.03),
 ('aliexpress', 'good_odr', 1, 'odr', '<', 0.06),
 ('aliexpress', 'pass_odr', 1, 'odr', '<', 0.12);

INSERT INTO @extschema@.odr_marketplace_level (marketplace, name, rank, position, mode, standards, description) VALUES
 ('aliexpress', 'unassessed', 0, 1, 'any_failed', '{assessed}', 'A4: fewer than 90 assessed orders (a tier of its own, not a failure)'),
 ('aliexpress', 'excellent', 4, 2, 'all_met', '{excellent_odr}', 'A17: ODR below 3%'),
 ('aliexpress', 'good', 3, 3, 'all_met', '{good_odr}', 'A17: ODR below 6%'),
 ('aliexpress', 'pass', 2, 4, 'all_met', '{pass_odr}', 'A17: ODR below 12%'),
 ('aliexpress', 'fail', 1, 5, 'otherwise', '{}', 'A17: ODR of 12% or more');

-- check the new rows now (their validating triggers are deferred), so that
-- the guards can be turned back on: ALTER TABLE refuses pending trigger events
SET CONSTRAINTS @extschema@.odr_marketplace_validate IMMEDIATE;
SET CONSTRAINTS @extschema@.odr_marketplace_validate DEFERRED;
ALTER TABLE @extschema@.odr_marketplace ENABLE TRIGGER odr_marketplace_guard;
ALTER TABLE @extschema@.odr_marketplace_counter ENABLE TRIGGER odr_marketplace_part_guard;
ALTER TABLE @extschema@.odr_marketplace_window ENABLE TRIGGER odr_marketplace_part_guard;
ALTER TABLE @extschema@.odr_marketplace_metric ENABLE TRIGGER odr_marketplace_part_guard;
ALTER TABLE @extschema@.odr_marketplace_standard ENABLE TRIGGER odr_marketplace_part_guard;
ALTER TABLE @extschema@.odr_marketplace_comparison ENABLE TRIGGER odr_marketplace_part_guard;
ALTER TABLE @extschema@.odr_marketplace_level ENABLE TRIGGER odr_marketplace_part_guard;

-- pg_dump leaves the built-in rows out
SELECT pg_catalog.pg_extension_config_dump('odr_marketplace_counter', 'WHERE marketplace NOT IN (''aliexpress'', ''amazon'', ''ebay'')');
SELECT pg_catalog.pg_extension_config_dump('odr_marketplace_window', 'WHERE marketplace NOT IN (''aliexpress'', ''amazon'', ''ebay'')');
SELECT pg_catalog.pg_extension_config_dump('odr_marketplace_metric', 'WHERE marketplace NOT IN (''aliexpress'', ''amazon'', ''ebay'')');
SELECT pg_catalog.pg_extension_config_dump('odr_marketplace_standard', 'WHERE marketplace NOT IN (''aliexpress'', ''amazon'', ''ebay'')');
SELECT pg_catalog.pg_extension_config_dump('odr_marketplace_comparison', 'WHERE marketplace NOT IN (''aliexpress'', ''amazon'', ''ebay'')');
SELECT pg_catalog.pg_extension_config_dump('odr_marketplace_level', 'WHERE marketplace NOT IN (''aliexpress'', ''amazon'', ''ebay'')');

-- A1-A17: an AliExpress order's facts for odr_assess(o, 'aliexpress', as_of),
-- from odr_classify's verdict and the day the order finished (A3).  A NULL
-- verdict gives a NULL order (not counted, as odr_agg skips it); the A16
-- facts (seller responsibility, counted ratings) come from the verdict's own
-- one-order summary, so they follow odr_agg's rules exactly.
CREATE FUNCTION odr_aliexpress_order(defects odr_defects, finished_on date)
RETURNS odr_order
LANGUAGE sql STABLE PARALLEL SAFE
RETURN CASE WHEN defects IS NOT NULL THEN @extschema@.odr_order('aliexpress',
	ARRAY[finished_on],
	ARRAY[
		@extschema@.odr_has_reason(defects, 'negative_feedback'),
		@extschema@.odr_has_reason(defects, 'dsr_item'),
		@extschema@.odr_has_reason(defects, 'dsr_communication'),
		@extschema@.odr_has_reason(defects, 'dsr_shipping'),
		@extschema@.odr_has_reason(defects, 'unshipped'),
		@extschema@.odr_has_reason(defects, 'arbitration'),
		@extschema@.odr_has_reason(defects, 'dispute_timeout'),
		@extschema@.odr_seller_responsible_rate(@extschema@.odr_summary_of(defects)) OPERATOR(pg_catalog.>) 0::double precision,
		@extschema@.odr_positive_feedback_rate(@extschema@.odr_summary_of(defects)) IS NOT NULL,
		@extschema@.odr_positive_feedback_rate(@extschema@.odr_summary_of(defects)) OPERATOR(pg_catalog.>) 0::double precision,
		@extschema@.odr_dsr_item_avg(@extschema@.odr_summary_of(defects)) IS NOT NULL,
		@extschema@.odr_dsr_communication_avg(@extschema@.odr_summary_of(defects)) IS NOT NULL,
		@extschema@.odr_dsr_shipping_avg(@extschema@.odr_summary_of(defects)) IS NOT NULL]::boolean[],
	ARRAY[
		@extschema@.odr_dsr_item_avg(@extschema@.odr_summary_of(defects)),
		@extschema@.odr_dsr_communication_avg(@extschema@.odr_summary_of(defects)),
		@extschema@.odr_dsr_shipping_avg(@extschema@.odr_summary_of(defects))]::numeric[],
	NULL::text) END;
COMMENT ON FUNCTION odr_aliexpress_order(odr_defects, date) IS
	'A1-A17: an AliExpress order''s facts for odr_assess(o, ''aliexpress'', as_of), from its verdict (odr_classify) and the day it finished; NULL verdict: NULL order (not counted)';
-- odr_assess_at: the standings on many dates in one pass (the marketplace
-- analogue of odr_agg_at): the days are cut at every window's edges of every
-- date, each row goes into the tally of its interval once, and each date's
-- windows are merged from the intervals they cover
CREATE FUNCTION odr_assess_at_transfn(internal, odr_order, text, date[]) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_assess_at_transfn(internal, odr_order, text, date[]) IS 'Support of odr_assess_at over orders';
CREATE FUNCTION odr_assess_at_tally_transfn(internal, odr_tally, text, date[]) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_assess_at_tally_transfn(internal, odr_tally, text, date[]) IS 'Support of odr_assess_at over per-day tallies';
CREATE FUNCTION odr_assess_at_combinefn(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_assess_at_combinefn(internal, internal) IS 'Support of odr_assess_at (parallel)';
CREATE FUNCTION odr_assess_at_serialfn(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_assess_at_serialfn(internal) IS 'Support of odr_assess_at (parallel)';
CREATE FUNCTION odr_assess_at_deserialfn(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_assess_at_deserialfn(bytea, internal) IS 'Support of odr_assess_at (parallel)';
CREATE FUNCTION odr_assess_at_finalfn(internal) RETURNS odr_standing[]
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_assess_at_finalfn(internal) IS 'Support of odr_assess_at';
CREATE AGGREGATE odr_assess_at(o odr_order, marketplace text, as_of date[]) (
	SFUNC = odr_assess_at_transfn,
	STYPE = internal,
	FINALFUNC = odr_assess_at_finalfn,
	COMBINEFUNC = odr_assess_at_combinefn,
	SERIALFUNC = odr_assess_at_serialfn,
	DESERIALFUNC = odr_assess_at_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_assess_at(odr_order, text, date[]) IS
	'Issue 14: a seller''s standings on many dates in one pass: element i is odr_assess(o, marketplace, as_of[i]) over the same orders, byte for byte; the dates in any order, repeats allowed (one standing per element); marketplace and as_of are the same for every row of a group; NULL orders are skipped';
CREATE AGGREGATE odr_assess_at(t odr_tally, marketplace text, as_of date[]) (
	SFUNC = odr_assess_at_tally_transfn,
	STYPE = internal,
	FINALFUNC = odr_assess_at_finalfn,
	COMBINEFUNC = odr_assess_at_combinefn,
	SERIALFUNC = odr_assess_at_serialfn,
	DESERIALFUNC = odr_assess_at_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_assess_at(odr_tally, text, date[]) IS
	'Issue 14: a seller''s standings on many dates from its per-day tallies, each read once: element i is odr_assess(t, marketplace, as_of[i]) over the same tallies, byte for byte (eBay: the evaluation dates of odr_evaluations); the dates in any order, repeats allowed';

-- ---------------------------------------------------------------------
-- The warehouse path of a marketplace (issue 14): per-day tallies in a
-- materialised view, every evaluation of the marketplace's calendar from
-- them, plain columns for BI, the current and the projected level
-- ---------------------------------------------------------------------

CREATE FUNCTION odr_create_marketplace_warehouse(
	source regclass,
	seller_column name,
	order_column name,
	marketplace text,
	prefix text DEFAULT 'odr_')
RETURNS SETOF regclass
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	nsp name;
	src text := source::text;
	seller_type regtype;
	order_type regtype;
	daily text;
	levels text;
	metrics text;
	current_v text;
BEGIN
	IF source IS NULL OR seller_column IS NULL OR order_column IS NULL OR marketplace IS NULL OR prefix IS NULL THEN
		RAISE EXCEPTION '% must not be NULL',
			CASE WHEN source IS NULL THEN 'source' WHEN seller_column IS NULL THEN 'seller_column'
			     WHEN order_column IS NULL THEN 'order_column' WHEN marketplace IS NULL THEN 'marketplace'
			     ELSE 'prefix' END
			USING ERRCODE = 'null_value_not_allowed',
			      HINT = 'source, seller_column, order_column, marketplace and prefix must all be given.';
	END IF;
	-- an unknown or broken marketplace: 22023 / 23514, from the engine
	PERFORM @extschema@.odr_marketplace_check(marketplace);
	-- the longest name made from prefix is <prefix>evaluations_key
	IF octet_length(prefix) + octet_length('evaluations_key') > 63 THEN
		RAISE EXCEPTION 'prefix "%" is too long: % bytes, at most %', prefix, octet_length(prefix), 63 - octet_length('evaluations_key')
			USING ERRCODE = 'name_too_long',
			      DETAIL = 'The longest name odr_create_marketplace_warehouse makes is <prefix>evaluations_key, and a name has at most 63 bytes.';
	END IF;
	SELECT n.nspname INTO nsp FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE c.oid = source;
	SELECT a.atttypid::regtype INTO seller_type FROM pg_attribute a
	WHERE a.attrelid = source AND a.attname = seller_column AND a.attnum > 0 AND NOT a.attisdropped;
	SELECT a.atttypid::regtype INTO order_type FROM pg_attribute a
	WHERE a.attrelid = source AND a.attname = order_column AND a.attnum > 0 AND NOT a.attisdropped;
	IF seller_type IS NULL OR order_type IS NULL THEN
		RAISE EXCEPTION 'column "%" of "%" does not exist',
			CASE WHEN seller_type IS NULL THEN seller_column ELSE order_column END, src
			USING ERRCODE = 'undefined_column';
	END IF;
	IF order_type <> '@extschema@.odr_order'::regtype THEN
		RAISE EXCEPTION 'column "%" of "%" is %, not odr_order', order_column, src, order_type
			USING ERRCODE = 'datatype_mismatch',
			      HINT = format('Build each order''s facts in a view, for example odr_%s_order(...) AS %I, and pass the view.',
			                    CASE WHEN marketplace IN ('amazon', 'ebay', 'aliexpress') THEN marketplace ELSE '<marketplace>' END, order_column);
	END IF;
	daily := format('%I.%I', nsp, prefix || 'daily');
	levels := format('%I.%I', nsp, prefix || 'evaluations');
	metrics := format('%I.%I', nsp, prefix || 'metrics');
	current_v := format('%I.%I', nsp, prefix || 'current');

	-- one tally per seller and day: each order counted on each distinct day
	-- of its date bases (odr_order_tally_days); an order built for another
	-- marketplace is an error here, not a silent zero
	EXECUTE format($q$
		CREATE MATERIALIZED VIEW %1$s AS
		SELECT s.%2$I AS seller_id, d.day, @extschema@.odr_tally(s.%3$I, %4$L, d.day) AS tally
		FROM %5$s AS s, @extschema@.odr_order_tally_days(s.%3$I) AS d(day)
		GROUP BY 1, 2$q$, daily, seller_column, order_column, marketplace, src);
	EXECUTE format('CREATE UNIQUE INDEX %I ON %s (seller_id, day)', prefix || 'daily_key', daily);
	EXECUTE format('COMMENT ON MATERIALIZED VIEW %s IS %L', daily,
		format('odr: the per-day tallies of marketplace %s over %s (one row per seller and day); refresh with odr_refresh_warehouse(%L)',
		       marketplace, src, daily));
	RETURN NEXT daily::regclass;

	-- every evaluation of the calendar from the first day of the data to the
	-- last, for each seller from its own first day, in one pass over the
	-- tallies (odr_assess_at)
	EXECUTE format($q$
		CREATE MATERIALIZED VIEW %1$s AS
		WITH span AS (
			SELECT pg_catalog.min(t.day) AS first_day, pg_catalog.max(t.day) AS last_day FROM %2$s AS t),
		dates AS (
			SELECT pg_catalog.array_agg(e.evaluated_on ORDER BY e.evaluated_on) AS ds
			FROM span, @extschema@.odr_evaluations(%3$L, span.first_day, span.last_day) AS e),
		graded AS (
			SELECT t.seller_id, pg_catalog.min(t.day) AS first_day,
			       @extschema@.odr_assess_at(t.tally, %3$L, (SELECT dates.ds FROM dates)) AS standings
			FROM %2$s AS t
			WHERE (SELECT dates.ds FROM dates) IS NOT NULL
			GROUP BY t.seller_id)
		SELECT g.seller_id, e.evaluated_on, e.effective_from, e.effective_to,
		       @extschema@.odr_level(u.standing) AS level,
		       @extschema@.odr_level_rank(u.standing) AS level_rank,
		       @extschema@.odr_deciding_standard(u.standing) AS deciding_standard,
		       u.standing
		FROM graded AS g,
		     pg_catalog.unnest(g.standings) AS u(standing),
		     @extschema@.odr_evaluations(%3$L, @extschema@.odr_standing_as_of(u.standing),
		                                 @extschema@.odr_standing_as_of(u.standing)) AS e
		WHERE e.evaluated_on OPERATOR(pg_catalog.>=) g.first_day$q$, levels, daily, marketplace);
	EXECUTE format('CREATE UNIQUE INDEX %I ON %s (seller_id, evaluated_on)', prefix || 'evaluations_key', levels);
	EXECUTE format('COMMENT ON MATERIALIZED VIEW %s IS %L', levels,
		format('odr: each seller''s level under marketplace %s on every evaluation of its calendar, from the seller''s first day to the last day of %s: level, rank, deciding standard, when it is in effect, and the standing',
		       marketplace, daily));
	RETURN NEXT levels::regclass;

	-- plain columns for BI: one row per seller, evaluation and metric; the
	-- numerator of a sum or an average in the value's own unit (the engine
	-- keeps sums in 1/10000 of it)
	EXECUTE format($q$
		CREATE VIEW %1$s AS
		SELECT l.seller_id, l.evaluated_on, l.level, m.metric, m.kind, m."window", m.first_day, m.last_day,
		       m.value,
		       CASE WHEN m.kind OPERATOR(pg_catalog.=) ANY ('{sum,average}'::text[])
		            THEN pg_catalog.trim_scale(m.numerator::pg_catalog.numeric OPERATOR(pg_catalog./) 10000::pg_catalog.numeric)
		            ELSE m.numerator::pg_catalog.numeric END AS numerator,
		       m.denominator
		FROM %2$s AS l, @extschema@.odr_standing_metrics(l.standing) AS m$q$, metrics, levels);
	EXECUTE format('COMMENT ON VIEW %s IS %L', metrics,
		format('odr: every metric of marketplace %s behind each level of %s, as plain columns', marketplace, levels));
	RETURN NEXT metrics::regclass;

	-- the level in effect today (the latest evaluation whose effect has
	-- begun) and the projected one: the next evaluation over the orders
	-- known so far (eBay M2.4; a daily marketplace: tomorrow's)
	EXECUTE format($q$
		CREATE VIEW %1$s AS
		SELECT g.seller_id,
		       CASE WHEN g.first_day OPERATOR(pg_catalog.<=) x.evaluated_on THEN x.evaluated_on END AS evaluated_on,
		       CASE WHEN g.first_day OPERATOR(pg_catalog.<=) x.evaluated_on THEN x.effective_from END AS effective_from,
		       CASE WHEN g.first_day OPERATOR(pg_catalog.<=) x.evaluated_on THEN x.effective_to END AS effective_to,
		       CASE WHEN g.first_day OPERATOR(pg_catalog.<=) x.evaluated_on THEN @extschema@.odr_level(g.current_standing) END AS level,
		       CASE WHEN g.first_day OPERATOR(pg_catalog.<=) x.evaluated_on THEN @extschema@.odr_level_rank(g.current_standing) END AS level_rank,
		       CASE WHEN g.first_day OPERATOR(pg_catalog.<=) x.evaluated_on THEN @extschema@.odr_deciding_standard(g.current_standing) END AS deciding_standard,
		       x.projected_on,
		       @extschema@.odr_level(g.projected_standing) AS projected_level,
		       @extschema@.odr_level_rank(g.projected_standing) AS projected_level_rank,
		       @extschema@.odr_deciding_standard(g.projected_standing) AS projected_deciding_standard
		FROM (SELECT e.evaluated_on, e.effective_from, e.effective_to,
		             @extschema@.odr_next_evaluation(%3$L, CURRENT_DATE) AS projected_on
		      FROM @extschema@.odr_evaluations(%3$L, CURRENT_DATE OPERATOR(pg_catalog.-) 400, CURRENT_DATE) AS e
		      WHERE e.effective_from OPERATOR(pg_catalog.<=) CURRENT_DATE
		      ORDER BY e.evaluated_on DESC LIMIT 1) AS x,
		     LATERAL (SELECT t.seller_id, pg_catalog.min(t.day) AS first_day,
		                     @extschema@.odr_assess(t.tally, %3$L, x.evaluated_on) AS current_standing,
		                     @extschema@.odr_assess(t.tally, %3$L, x.projected_on) AS projected_standing
		              FROM %2$s AS t GROUP BY t.seller_id) AS g$q$, current_v, daily, marketplace);
	EXECUTE format('COMMENT ON VIEW %s IS %L', current_v,
		format('odr: per seller, the level of marketplace %s in effect today (its latest evaluation whose effect has begun; NULL before the seller''s first day) and the projected level of the next evaluation over the orders known so far, from %s',
		       marketplace, daily));
	RETURN NEXT current_v::regclass;
END
$fn$;
COMMENT ON FUNCTION odr_create_marketplace_warehouse(regclass, name, name, text, text) IS
	'Issue 14: the warehouse of a marketplace over a table or view with one odr_order column (odr_amazon_order, odr_ebay_order, odr_aliexpress_order, odr_order): <prefix>daily (per-day odr_tally, materialised), <prefix>evaluations (every evaluation of the marketplace calendar: level, rank, deciding standard, effective dates, standing; materialised), <prefix>metrics (every metric as plain columns), <prefix>current (today''s level and the projected one). Refresh with odr_refresh_warehouse(''<prefix>daily'').';
-- The built-in marketplaces' constructors in C (issue 14): the same
-- signatures, defaults, validation and odr_order bytes as the LANGUAGE sql
-- functions of 0.6.0, without building and taking apart arrays on every row.
CREATE OR REPLACE FUNCTION odr_amazon_order(order_date date, fulfilment text, feedback_stars integer DEFAULT NULL,
	claim_status text DEFAULT NULL, chargeback boolean DEFAULT false,
	expected_ship_at timestamptz DEFAULT NULL, shipped_at timestamptz DEFAULT NULL,
	cancelled_at timestamptz DEFAULT NULL, cancelled_by text DEFAULT NULL,
	promised_delivery_date date DEFAULT NULL, tracking_valid boolean DEFAULT NULL, buyer text DEFAULT NULL)
RETURNS odr_order
AS 'MODULE_PATHNAME', 'odr_amazon_order' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_amazon_order(date, text, integer, text, boolean, timestamptz, timestamptz, timestamptz, text, date, boolean, text) IS
	'M1: an Amazon order''s facts for odr_assess(o, ''amazon'', as_of): fulfilment mfn or afn; claim_status open, granted, denied, withdrawn or won_on_appeal; cancelled_by seller, auto or buyer';

CREATE OR REPLACE FUNCTION odr_ebay_order(transaction_date date, buyer text, amount_usd numeric DEFAULT 0,
	cancelled_by text DEFAULT NULL, case_closed_without_seller_resolution boolean DEFAULT false,
	expected_ship_at timestamptz DEFAULT NULL, shipped_at timestamptz DEFAULT NULL)
RETURNS odr_order
AS 'MODULE_PATHNAME', 'odr_ebay_order' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_ebay_order(date, text, numeric, text, boolean, timestamptz, timestamptz) IS
	'M2: an eBay transaction''s facts for odr_assess(o, ''ebay'', evaluation_date): cancelled_by seller, auto or buyer';

-- odr_standing_metrics: the unit of a sum's numerator, said
COMMENT ON FUNCTION @extschema@.odr_standing_metrics(@extschema@.odr_standing) IS
	'Every metric of the standing: the window it looked at (a by_volume window: the one chosen) and its days, numerator, denominator, value; at_least: a distinct count at its k (a lower bound). The numerator of a sum or an average metric is in 1/10000 of the value''s unit (the engine''s fixed point; value is in the unit)';
