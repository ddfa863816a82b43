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
SELECT pg_catalog.pg_extension_config_dump('odr_marketplace_counter', 'WHERE marketplace NOT IN (''aliexpress'', ''amazon'', ''ebay'', ''walmart'', ''walmart_pro_seller'')');
SELECT pg_catalog.pg_extension_config_dump('odr_marketplace_window', 'WHERE marketplace NOT IN (''aliexpress'', ''amazon'', ''ebay'', ''walmart'', ''walmart_pro_seller'')');
SELECT pg_catalog.pg_extension_config_dump('odr_marketplace_metric', 'WHERE marketplace NOT IN (''aliexpress'', ''amazon'', ''ebay'', ''walmart'', ''walmart_pro_seller'')');
SELECT pg_catalog.pg_extension_config_dump('odr_marketplace_standard', 'WHERE marketplace NOT IN (''aliexpress'', ''amazon'', ''ebay'', ''walmart'', ''walmart_pro_seller'')');
SELECT pg_catalog.pg_extension_config_dump('odr_marketplace_comparison', 'WHERE marketplace NOT IN (''aliexpress'', ''amazon'', ''ebay'', ''walmart'', ''walmart_pro_seller'')');
SELECT pg_catalog.pg_extension_config_dump('odr_marketplace_level', 'WHERE marketplace NOT IN (''aliexpress'', ''amazon'', ''ebay'', ''walmart'', ''walmart_pro_seller'')');

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
			                    CASE WHEN marketplace IN ('amazon', 'ebay', 'aliexpress', 'walmart') THEN marketplace WHEN marketplace = 'walmart_pro_seller' THEN 'walmart' ELSE '<marketplace>' END, order_column);
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
	'Issue 14: the warehouse of a marketplace over a table or view with one odr_order column (odr_amazon_order, odr_ebay_order, odr_aliexpress_order, odr_walmart_order and odr_walmart_message, odr_order): <prefix>daily (per-day odr_tally, materialised), <prefix>evaluations (every evaluation of the marketplace calendar: level, rank, deciding standard, effective dates, standing; materialised), <prefix>metrics (every metric as plain columns), <prefix>current (today''s level and the projected one). Refresh with odr_refresh_warehouse(''<prefix>daily'').';
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

-- =====================================================================
-- Issue 15: Walmart (rules M3) as two built-in marketplaces of the engine,
-- walmart (M3.1, M3.2) and walmart_pro_seller (M3.3), with the same shape;
-- odr_walmart_order and odr_walmart_message build their rows.  As for
-- aliexpress above: the guards are off while the built-in rows go in, the
-- rows are checked before they go back on.  (pg_extension_config_dump above
-- already leaves walmart and walmart_pro_seller out of dumps.)
-- =====================================================================
ALTER TABLE @extschema@.odr_marketplace DISABLE TRIGGER odr_marketplace_guard;
ALTER TABLE @extschema@.odr_marketplace_counter DISABLE TRIGGER odr_marketplace_part_guard;
ALTER TABLE @extschema@.odr_marketplace_window DISABLE TRIGGER odr_marketplace_part_guard;
ALTER TABLE @extschema@.odr_marketplace_metric DISABLE TRIGGER odr_marketplace_part_guard;
ALTER TABLE @extschema@.odr_marketplace_standard DISABLE TRIGGER odr_marketplace_part_guard;
ALTER TABLE @extschema@.odr_marketplace_comparison DISABLE TRIGGER odr_marketplace_part_guard;
ALTER TABLE @extschema@.odr_marketplace_level DISABLE TRIGGER odr_marketplace_part_guard;

-- Walmart Marketplace (rules M3) as two policies of the same engine:
-- walmart grades the M3.1 standards into the M3.2 status, walmart_pro_seller
-- the M3.3 badge ladder.  Both have the same date bases, events and values,
-- so one order (odr_walmart_order) or one buyer message (odr_walmart_message)
-- is graded by either; messages go to the same aggregate as the orders.
INSERT INTO @extschema@.odr_marketplace (name, description, builtin, date_bases, events, "values", evaluated, evaluation_day, effective_after)
VALUES
 ('walmart', 'Walmart Marketplace seller performance standards (rules M3.1, M3.2) for seller-fulfilled orders: over 30 days, cancellation rate <= 2%, on-time delivery >= 90% (by expected delivery date), valid tracking >= 99%, refund rate <= 6%, seller response within 48 h >= 95% (by message date); over 60 days negative feedback <= 2%; below_standards when a measured standard fails, else meets_standards; graded daily',
  true, '{order_date,expected_delivery_date,message_date}',
  '{cancelled_by_seller,shipped,tracking_valid,delivered,delivered_on_time,seller_refund,rated,negative_feedback,message,answered_in_48h}', '{}',
  'daily', NULL, 'same_day'),
 ('walmart_pro_seller', 'Walmart Pro Seller badge (rules M3.3), recalculated daily: pro (on-time delivery >= 95% and cancellation <= 1.5% over 90 days, response >= 95% over 30 days) > advanced (92.5%, 2.0%, 92.5%) > rising (90%, 2.5%, 90%) > none; a badge needs its three conditions measured and met; the same orders and messages as walmart',
  true, '{order_date,expected_delivery_date,message_date}',
  '{cancelled_by_seller,shipped,tracking_valid,delivered,delivered_on_time,seller_refund,rated,negative_feedback,message,answered_in_48h}', '{}',
  'daily', NULL, 'same_day');

INSERT INTO @extschema@.odr_marketplace_counter (marketplace, name, kind, when_all, when_any, when_none, basis, value, k, description)
SELECT m, c.name, 'count', c.when_all, '{}', '{}', c.basis, NULL, NULL, c.description
FROM (VALUES ('walmart'), ('walmart_pro_seller')) AS mk(m),
 (VALUES
  ('orders', '{}'::text[], 'order_date', 'M3.1: every seller-fulfilled order, by order date (cancelled ones included)'),
  ('cancelled', '{cancelled_by_seller}', 'order_date', 'M3.1: orders cancelled by the seller (not auto-cancels, not buyer-requested)'),
  ('shipped', '{shipped}', 'order_date', 'M3.1: shipped orders, by order date'),
  ('tracked', '{shipped,tracking_valid}', 'order_date', 'M3.1: of those, with valid tracking'),
  ('delivered', '{delivered}', 'expected_delivery_date', 'M3.1: delivered orders, by expected delivery date'),
  ('on_time', '{delivered,delivered_on_time}', 'expected_delivery_date', 'M3.1: of those, delivered on or before the expected delivery date'),
  ('refunds', '{seller_refund}', 'order_date', 'M3.1: orders refunded for a reason on the seller''s side'),
  ('rated', '{rated}', 'order_date', 'M3.1: orders with an item or a seller rating'),
  ('negative', '{rated,negative_feedback}', 'order_date', 'M3.1: of those, the lower rating present is 1 or 2 stars'),
  ('messages', '{message}', 'message_date', 'M3.1: buyer messages, by the day received'),
  ('answered', '{message,answered_in_48h}', 'message_date', 'M3.1: of those, answered within 48 hours of elapsed time (weekends included)'))
 AS c(name, when_all, basis, description);

INSERT INTO @extschema@.odr_marketplace_window (marketplace, name, kind, length, lag, primary_window, fallback_window, volume_counter, volume_min, description) VALUES
 ('walmart', 'days_30', 'days', 30, 0, NULL, NULL, NULL, NULL, 'M3.1: the 30 days ending on the as-of date'),
 ('walmart', 'days_60', 'days', 60, 0, NULL, NULL, NULL, NULL, 'M3.1: 60 days (negative feedback)'),
 ('walmart_pro_seller', 'days_30', 'days', 30, 0, NULL, NULL, NULL, NULL, 'M3.3: 30 days (seller response)'),
 ('walmart_pro_seller', 'days_90', 'days', 90, 0, NULL, NULL, NULL, NULL, 'M3.3: 90 days (on-time delivery, cancellation)');

INSERT INTO @extschema@.odr_marketplace_metric (marketplace, name, kind, numerator, denominator, "window", description) VALUES
 ('walmart', 'cancellation_rate', 'rate', 'cancelled', 'orders', 'days_30', 'M3.1: orders cancelled by the seller / orders, 30 days'),
 ('walmart', 'on_time_delivery_rate', 'rate', 'on_time', 'delivered', 'days_30', 'M3.1: delivered by the expected delivery date / delivered orders, 30 days of expected delivery date'),
 ('walmart', 'valid_tracking_rate', 'rate', 'tracked', 'shipped', 'days_30', 'M3.1: orders with valid tracking / shipped orders, 30 days'),
 ('walmart', 'refund_rate', 'rate', 'refunds', 'orders', 'days_30', 'M3.1: seller-responsible refunds / orders, 30 days'),
 ('walmart', 'seller_response_rate', 'rate', 'answered', 'messages', 'days_30', 'M3.1: buyer messages answered within 48 hours / messages, 30 days of message date'),
 ('walmart', 'negative_feedback_rate', 'rate', 'negative', 'rated', 'days_60', 'M3.1: orders rated 1-2 stars (the lower of item and seller rating) / rated orders, 60 days'),
 ('walmart', 'orders', 'count', 'orders', NULL, 'days_30', 'M3.1: orders of the 30 days'),
 ('walmart', 'delivered', 'count', 'delivered', NULL, 'days_30', 'M3.1: delivered orders of the 30 days of expected delivery date'),
 ('walmart', 'shipped', 'count', 'shipped', NULL, 'days_30', 'M3.1: shipped orders of the 30 days'),
 ('walmart', 'messages', 'count', 'messages', NULL, 'days_30', 'M3.1: buyer messages of the 30 days'),
 ('walmart', 'rated', 'count', 'rated', NULL, 'days_60', 'M3.1: rated orders of the 60 days'),
 ('walmart_pro_seller', 'on_time_delivery_rate_90', 'rate', 'on_time', 'delivered', 'days_90', 'M3.3: delivered by the expected delivery date / delivered orders, 90 days of expected delivery date'),
 ('walmart_pro_seller', 'cancellation_rate_90', 'rate', 'cancelled', 'orders', 'days_90', 'M3.3: orders cancelled by the seller / orders, 90 days'),
 ('walmart_pro_seller', 'seller_response_rate_30', 'rate', 'answered', 'messages', 'days_30', 'M3.3: buyer messages answered within 48 hours / messages, 30 days'),
 ('walmart_pro_seller', 'orders_90', 'count', 'orders', NULL, 'days_90', 'M3.3: orders of the 90 days'),
 ('walmart_pro_seller', 'delivered_90', 'count', 'delivered', NULL, 'days_90', 'M3.3: delivered orders of the 90 days'),
 ('walmart_pro_seller', 'messages_30', 'count', 'messages', NULL, 'days_30', 'M3.3: buyer messages of the 30 days');

INSERT INTO @extschema@.odr_marketplace_standard (marketplace, name, position, description) VALUES
 ('walmart', 'cancellation', 1, 'M3.1: cancellation rate within 2%'),
 ('walmart', 'on_time_delivery', 2, 'M3.1: on-time delivery at least 90%'),
 ('walmart', 'valid_tracking', 3, 'M3.1: valid tracking at least 99%'),
 ('walmart', 'refunds', 4, 'M3.1: refund rate within 6%'),
 ('walmart', 'seller_response', 5, 'M3.1: seller response within 48 hours at least 95%'),
 ('walmart', 'negative_feedback', 6, 'M3.1: negative feedback within 2%'),
 ('walmart_pro_seller', 'pro_on_time', 1, 'M3.3 Pro: on-time delivery at least 95% over 90 days'),
 ('walmart_pro_seller', 'pro_cancellation', 2, 'M3.3 Pro: cancellation within 1.5% over 90 days'),
 ('walmart_pro_seller', 'pro_response', 3, 'M3.3 Pro: seller response at least 95% over 30 days'),
 ('walmart_pro_seller', 'advanced_on_time', 4, 'M3.3 Advanced: on-time delivery at least 92.5% over 90 days'),
 ('walmart_pro_seller', 'advanced_cancellation', 5, 'M3.3 Advanced: cancellation within 2.0% over 90 days'),
 ('walmart_pro_seller', 'advanced_response', 6, 'M3.3 Advanced: seller response at least 92.5% over 30 days'),
 ('walmart_pro_seller', 'rising_on_time', 7, 'M3.3 Rising: on-time delivery at least 90% over 90 days'),
 ('walmart_pro_seller', 'rising_cancellation', 8, 'M3.3 Rising: cancellation within 2.5% over 90 days'),
 ('walmart_pro_seller', 'rising_response', 9, 'M3.3 Rising: seller response at least 90% over 30 days');

INSERT INTO @extschema@.odr_marketplace_comparison (marketplace, standard, position, metric, op, threshold) VALUES
 ('walmart', 'cancellation', 1, 'cancellation_rate', '<=', 0.02),
 ('walmart', 'on_time_delivery', 1, 'on_time_delivery_rate', '>=', 0.90),
 ('walmart', 'valid_tracking', 1, 'valid_tracking_rate', '>=', 0.99),
 ('walmart', 'refunds', 1, 'refund_rate', '<=', 0.06),
 ('walmart', 'seller_response', 1, 'seller_response_rate', '>=', 0.95),
 ('walmart', 'negative_feedback', 1, 'negative_feedback_rate', '<=', 0.02),
 ('walmart_pro_seller', 'pro_on_time', 1, 'on_time_delivery_rate_90', '>=', 0.95),
 ('walmart_pro_seller', 'pro_cancellation', 1, 'cancellation_rate_90', '<=', 0.015),
 ('walmart_pro_seller', 'pro_response', 1, 'seller_response_rate_30', '>=', 0.95),
 ('walmart_pro_seller', 'advanced_on_time', 1, 'on_time_delivery_rate_90', '>=', 0.925),
 ('walmart_pro_seller', 'advanced_cancellation', 1, 'cancellation_rate_90', '<=', 0.020),
 ('walmart_pro_seller', 'advanced_response', 1, 'seller_response_rate_30', '>=', 0.925),
 ('walmart_pro_seller', 'rising_on_time', 1, 'on_time_delivery_rate_90', '>=', 0.90),
 ('walmart_pro_seller', 'rising_cancellation', 1, 'cancellation_rate_90', '<=', 0.025),
 ('walmart_pro_seller', 'rising_response', 1, 'seller_response_rate_30', '>=', 0.90);

INSERT INTO @extschema@.odr_marketplace_level (marketplace, name, rank, position, mode, standards, description) VALUES
 ('walmart', 'below_standards', 0, 1, 'any_failed', '{cancellation,on_time_delivery,valid_tracking,refunds,seller_response,negative_feedback}', 'M3.2: a measured standard fails (odr_explain names each failing metric; a metric over no orders or messages is n/a)'),
 ('walmart', 'meets_standards', 1, 2, 'otherwise', '{}', 'M3.2: no measured standard fails'),
 ('walmart_pro_seller', 'pro', 3, 1, 'all_met', '{pro_on_time,pro_cancellation,pro_response}', 'M3.3: Pro Seller'),
 ('walmart_pro_seller', 'advanced', 2, 2, 'all_met', '{advanced_on_time,advanced_cancellation,advanced_response}', 'M3.3: Advanced'),
 ('walmart_pro_seller', 'rising', 1, 3, 'all_met', '{rising_on_time,rising_cancellation,rising_response}', 'M3.3: Rising'),
 ('walmart_pro_seller', 'none', 0, 4, 'otherwise', '{}', 'M3.3: no badge (a condition not measured is not met)');

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

-- M3: one Walmart seller-fulfilled order, for odr_assess(o, 'walmart', as_of)
-- and odr_assess(o, 'walmart_pro_seller', as_of) alike.  A cancel counts
-- when by the seller (not auto, not buyer-requested); on time is delivered
-- (on its date in time_zone) on or before the expected delivery date;
-- negative feedback is the lower of the ratings present at 1 or 2 stars.
CREATE FUNCTION odr_walmart_order(order_date date, cancelled_by text DEFAULT NULL,
	shipped_at timestamptz DEFAULT NULL, tracking_valid boolean DEFAULT NULL,
	expected_delivery_date date DEFAULT NULL, delivered_at timestamptz DEFAULT NULL,
	seller_responsible_refund boolean DEFAULT false,
	item_rating integer DEFAULT NULL, seller_rating integer DEFAULT NULL,
	time_zone text DEFAULT 'UTC')
RETURNS odr_order
LANGUAGE sql STABLE PARALLEL SAFE
RETURN @extschema@.odr_order('walmart',
	ARRAY[order_date, expected_delivery_date, NULL::date],
	ARRAY[
		@extschema@.odr_choice(cancelled_by, 'cancelled_by', '{seller,auto,buyer}') OPERATOR(pg_catalog.=) 'seller',
		shipped_at IS NOT NULL,
		COALESCE(tracking_valid, false),
		delivered_at IS NOT NULL,
		pg_catalog.timezone(COALESCE(time_zone, 'UTC'), delivered_at)::date OPERATOR(pg_catalog.<=) expected_delivery_date,
		COALESCE(seller_responsible_refund, false),
		item_rating IS NOT NULL OR seller_rating IS NOT NULL,
		LEAST(@extschema@.odr_choice(item_rating::text, 'item_rating', '{1,2,3,4,5}')::integer,
		      @extschema@.odr_choice(seller_rating::text, 'seller_rating', '{1,2,3,4,5}')::integer) OPERATOR(pg_catalog.<=) 2,
		false,
		false]::boolean[],
	NULL::numeric[], NULL::text);
COMMENT ON FUNCTION odr_walmart_order(date, text, timestamptz, boolean, date, timestamptz, boolean, integer, integer, text) IS
	'M3: a Walmart seller-fulfilled order''s facts for odr_assess(o, ''walmart'' or ''walmart_pro_seller'', as_of): cancelled_by seller, auto or buyer; item_rating and seller_rating 1..5; delivered_at falls on its date in time_zone (default UTC)';

-- M3.1: one buyer message, on the day it was received (in time_zone),
-- answered in time at or before received_at + 48 hours of elapsed time
-- (weekends included); never answered is late.  Fed to the same aggregate
-- as the orders (UNION ALL): orders have no message event.
CREATE FUNCTION odr_walmart_message(received_at timestamptz, answered_at timestamptz DEFAULT NULL,
	time_zone text DEFAULT 'UTC')
RETURNS odr_order
LANGUAGE sql STABLE PARALLEL SAFE
RETURN @extschema@.odr_order('walmart',
	ARRAY[NULL::date, NULL::date, pg_catalog.timezone(COALESCE(time_zone, 'UTC'), received_at)::date],
	ARRAY[false, false, false, false, false, false, false, false,
		true,
		COALESCE(answered_at OPERATOR(pg_catalog.<=) (received_at OPERATOR(pg_catalog.+) '48 hours'::interval), false)]::boolean[],
	NULL::numeric[], NULL::text);
COMMENT ON FUNCTION odr_walmart_message(timestamptz, timestamptz, text) IS
	'M3.1: a buyer message''s facts for odr_assess(m, ''walmart'' or ''walmart_pro_seller'', as_of), on the day received in time_zone (default UTC): answered in time at or before received_at + 48 hours; NULL answered_at: late';

-- ---------------------------------------------------------------------
-- One seller, every platform (issue 15): standings of several
-- marketplaces side by side, worst first, as plain columns
-- ---------------------------------------------------------------------

CREATE FUNCTION odr_level_share(marketplace text, level text) RETURNS double precision
LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT CASE WHEN x.top OPERATOR(pg_catalog.=) x.bottom THEN 1::double precision
	            ELSE (x.rank OPERATOR(pg_catalog.-) x.bottom)::double precision
	                 OPERATOR(pg_catalog./) (x.top OPERATOR(pg_catalog.-) x.bottom)::double precision END
	FROM (SELECT @extschema@.odr_level_rank(odr_level_share.marketplace, odr_level_share.level) AS rank,
	             (SELECT pg_catalog.min(l.rank) FROM @extschema@.odr_marketplace_level AS l
	              WHERE l.marketplace OPERATOR(pg_catalog.=) odr_level_share.marketplace) AS bottom,
	             (SELECT pg_catalog.max(l.rank) FROM @extschema@.odr_marketplace_level AS l
	              WHERE l.marketplace OPERATOR(pg_catalog.=) odr_level_share.marketplace) AS top) AS x;
END;
COMMENT ON FUNCTION odr_level_share(text, text) IS
	'Where a level stands on its marketplace''s own ladder, from 0 (the lowest level) to 1 (the highest): comparable across marketplaces (22023 for an unknown marketplace or level)';

CREATE FUNCTION odr_standings_side_by_side(standings odr_standing[],
	OUT "position" integer, OUT marketplace text, OUT as_of date, OUT level text, OUT level_rank integer,
	OUT level_share double precision, OUT best_level text, OUT deciding_standard text, OUT failed_standards text[])
RETURNS SETOF record
LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT (pg_catalog.row_number() OVER (ORDER BY x.level_share, x.marketplace, x.as_of, x.k))::integer,
	       x.marketplace, x.as_of, x.level, x.level_rank, x.level_share,
	       (SELECT l.name FROM @extschema@.odr_marketplace_level AS l
	        WHERE l.marketplace OPERATOR(pg_catalog.=) x.marketplace ORDER BY l.rank DESC LIMIT 1),
	       x.deciding_standard,
	       ARRAY(SELECT e.standard FROM @extschema@.odr_explain(x.s) AS e
	             JOIN @extschema@.odr_marketplace_standard AS st
	               ON st.marketplace OPERATOR(pg_catalog.=) x.marketplace AND st.name OPERATOR(pg_catalog.=) e.standard
	             WHERE e.state OPERATOR(pg_catalog.=) 'failed'
	             GROUP BY e.standard, st."position" ORDER BY st."position")
	FROM (SELECT u.s, u.k,
	             @extschema@.odr_standing_marketplace(u.s) AS marketplace,
	             @extschema@.odr_standing_as_of(u.s) AS as_of,
	             @extschema@.odr_level(u.s) AS level,
	             @extschema@.odr_level_rank(u.s) AS level_rank,
	             @extschema@.odr_level_share(@extschema@.odr_standing_marketplace(u.s), @extschema@.odr_level(u.s)) AS level_share,
	             @extschema@.odr_deciding_standard(u.s) AS deciding_standard
	      FROM pg_catalog.unnest(standings) WITH ORDINALITY AS u(s, k)
	      WHERE u.s IS NOT NULL) AS x
	ORDER BY 1;
END;
COMMENT ON FUNCTION odr_standings_side_by_side(odr_standing[]) IS
	'One seller on every marketplace it is assessed on: one row per standing (NULLs skipped), worst first by level_share (0: the marketplace''s lowest level, 1: its highest), with the level, its rank, the marketplace''s best level, the deciding standard and every failed standard; plain columns for BI';

-- odr_advise: more_value's n in the value's unit (it was in the engine's 1/10000)
COMMENT ON FUNCTION @extschema@.odr_advise(@extschema@.odr_standing) IS
	'What would lift the seller to the next better level, per comparison in the way, all else equal: what (more_orders, more_good_orders, fewer_defects, more_value, wait_days, unreachable, unknown, not_measured) and the least n (more_value: in the value''s unit, rounded up); no row at the best level';
