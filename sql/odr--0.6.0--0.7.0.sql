/*
 * odr 0.6.0 -> 0.7.0.  Names nothing unqualified (README: Security): every
 * operator OPERATOR(pg_catalog.op), every call schema-qualified, as in
 * sql/odr.sql.
 */

\echo Use "ALTER EXTENSION odr UPDATE TO '0.7.0'" to load this file. \quit

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
