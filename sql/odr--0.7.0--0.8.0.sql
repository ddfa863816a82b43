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

-- M3.1 from a raw chat log (issue 15): the S4 message records of a seller
-- paired into buyer messages and their answers.  One row per message, as
-- odr_response_rate takes them (without a zone: Walmart counts elapsed
-- time); the state, combine, serialise and deserialise functions are S4's,
-- so it runs in parallel.  Every buyer message gives one element: its
-- buyer, received_at, and the first human seller message of the same
-- conversation at the same instant or later (NULL when none).  Automatic
-- replies are no answers and official messages are ignored, as in S4 (a
-- default reading: M3 only says every buyer message counts).  Feed each
-- element to odr_walmart_message(received_at, answered_at, time_zone).
CREATE TYPE odr_message_reply AS (buyer text, received_at timestamptz, answered_at timestamptz);
COMMENT ON TYPE odr_message_reply IS
	'M3.1: a buyer message (buyer, received_at) and the first human seller message of the same conversation at the same instant or later (answered_at; NULL when none), as odr_message_replies gives them';
CREATE FUNCTION odr_message_replies_transfn(internal, text, timestamptz, text, boolean, boolean) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_message_replies_transfn(internal, text, timestamptz, text, boolean, boolean) IS
	'odr_message_replies transition: keeps a buyer message or a human seller reply (the S4 records, no zone)';
CREATE FUNCTION odr_message_replies_finalfn(internal) RETURNS odr_message_reply[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_message_replies_finalfn(internal) IS 'odr_message_replies final function';
CREATE AGGREGATE odr_message_replies(buyer text, sent_at timestamptz, sender text,
                                     is_auto_reply boolean, is_official boolean) (
	SFUNC = odr_message_replies_transfn,
	STYPE = internal,
	FINALFUNC = odr_message_replies_finalfn,
	COMBINEFUNC = odr_response_combinefn,
	SERIALFUNC = odr_response_serialfn,
	DESERIALFUNC = odr_response_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_message_replies(text, timestamptz, text, boolean, boolean) IS
	'M3.1: every buyer message of a chat log with its first human seller answer (same conversation, same instant or later; NULL when none), ordered by buyer (bytes) and time, for odr_walmart_message(received_at, answered_at, time_zone); automatic replies are no answers, official messages are ignored; NULL buyer, sent_at or sender: 22004; an empty array when there is no buyer message';
