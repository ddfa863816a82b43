/*
 * odr 0.7.0 -> 0.8.0.  Names nothing unqualified (README: Security): every
 * operator OPERATOR(pg_catalog.op), every call schema-qualified, as in
 * sql/odr.sql.
 */

\echo Use "ALTER EXTENSION odr UPDATE TO '0.8.0'" to load this file. \quit

-- =====================================================================
-- odr_standing[] (odr_assess_at's result type) joins odr, as
-- odr_assessment[] did: postgres_fdw may then ship odr_assess_at.
-- =====================================================================
DO $do$
BEGIN
	IF NOT EXISTS (
		SELECT FROM pg_catalog.pg_depend AS d
		WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_type'::pg_catalog.regclass::pg_catalog.oid
		  AND d.objid OPERATOR(pg_catalog.=) '@extschema@.odr_standing[]'::pg_catalog.regtype::pg_catalog.oid
		  AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass::pg_catalog.oid
		  AND d.deptype OPERATOR(pg_catalog.=) 'e'::pg_catalog."char") THEN
		EXECUTE 'ALTER EXTENSION odr ADD TYPE @extschema@.odr_standing[]';
	END IF;
END
$do$;
COMMENT ON TYPE odr_standing[] IS 'Standings in date order, as odr_assess_at returns them';

-- =====================================================================
-- odr_assess(t, as_of) and odr_assess_at(t, as_of[]) over tallies, under
-- the marketplace each tally names: shippable to postgres_fdw shards.
-- =====================================================================
-- odr_assess / odr_assess_at over tallies, under the marketplace each tally
-- names (it was counted for it): no marketplace argument, so no collatable
-- input, and postgres_fdw may ship them to a shard keeping the tallies
-- (postgres_fdw sends an aggregate only when a collatable input comes from
-- a column of the foreign table; a marketplace name literal does not).
CREATE FUNCTION @extschema@.odr_assess_own_tally_transfn(internal, odr_tally, date) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_assess_own_tally_transfn(internal, odr_tally, date) IS 'Support of odr_assess over per-day tallies, under their own marketplace';
CREATE AGGREGATE odr_assess(t odr_tally, as_of date) (
	SFUNC = odr_assess_own_tally_transfn,
	STYPE = internal,
	FINALFUNC = odr_assess_finalfn,
	COMBINEFUNC = odr_assess_combinefn,
	SERIALFUNC = odr_assess_serialfn,
	DESERIALFUNC = odr_assess_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_assess(odr_tally, date) IS
	'Issue 14: odr_assess(t, marketplace, as_of) under the marketplace the tallies were counted for (each names it; all the same, 22023 otherwise): the same standing, byte for byte; shippable to postgres_fdw shards; NULL when every tally is NULL';
CREATE FUNCTION @extschema@.odr_assess_at_own_tally_transfn(internal, odr_tally, date[]) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_assess_at_own_tally_transfn(internal, odr_tally, date[]) IS 'Support of odr_assess_at over per-day tallies, under their own marketplace';
CREATE AGGREGATE odr_assess_at(t odr_tally, as_of date[]) (
	SFUNC = odr_assess_at_own_tally_transfn,
	STYPE = internal,
	FINALFUNC = odr_assess_at_finalfn,
	COMBINEFUNC = odr_assess_at_combinefn,
	SERIALFUNC = odr_assess_at_serialfn,
	DESERIALFUNC = odr_assess_at_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_assess_at(odr_tally, date[]) IS
	'Issue 14: odr_assess_at(t, marketplace, as_of) under the marketplace the tallies were counted for (each names it; all the same, 22023 otherwise): the same standings, byte for byte; shippable to postgres_fdw shards; NULL when every tally is NULL';

-- ---------------------------------------------------------------------
-- Issue 20 (policy language): evaluation calendars weekly (evaluation_day
-- is the ISO weekday, Monday 1 .. Sunday 7) and quarter_end.  The CHECK
-- constraints are dropped and re-added by name, as sql/odr.sql defines them;
-- day_of_month keeps its meaning (evaluation_day 1..28, required).
-- ---------------------------------------------------------------------
ALTER TABLE @extschema@.odr_marketplace
	DROP CONSTRAINT odr_marketplace_evaluated_check,
	DROP CONSTRAINT odr_marketplace_evaluation_day,
	ADD CONSTRAINT odr_marketplace_evaluated_check
		CHECK (evaluated OPERATOR(pg_catalog.=) ANY ('{daily,weekly,month_end,quarter_end,day_of_month}'::text[])),
	ADD CONSTRAINT odr_marketplace_evaluation_day CHECK
		((evaluated OPERATOR(pg_catalog.=) ANY ('{day_of_month,weekly}'::text[])) OPERATOR(pg_catalog.=) (evaluation_day IS NOT NULL)),
	ADD CONSTRAINT odr_marketplace_evaluation_weekday CHECK
		(evaluated OPERATOR(pg_catalog.<>) 'weekly'::text OR evaluation_day OPERATOR(pg_catalog.<=) 7);
COMMENT ON COLUMN @extschema@.odr_marketplace.evaluated IS 'When the marketplace grades: daily, weekly (on ISO weekday evaluation_day), month_end (the last day of each month), quarter_end (31 March, 30 June, 30 September, 31 December) or day_of_month (evaluation_day of each month)';
COMMENT ON COLUMN @extschema@.odr_marketplace.evaluation_day IS 'day_of_month: the day of the month of the evaluation (1..28; eBay: 20, M2.2); weekly: the ISO weekday (1 Monday .. 7 Sunday); NULL otherwise';
