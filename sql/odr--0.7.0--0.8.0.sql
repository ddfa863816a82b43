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

-- ---------------------------------------------------------------------
-- Issue 20, construct 8: working days.  A business calendar is rows: the
-- ISO weekdays that are not working days and the holidays.  A
-- business_days window (odr_marketplace_window.calendar) counts working
-- days; odr_business_deadline puts a deadline N working days after a start.
-- ---------------------------------------------------------------------
CREATE TABLE @extschema@.odr_business_calendar (
	name text PRIMARY KEY CHECK (name OPERATOR(pg_catalog.<>) ''::text),
	weekend integer[] NOT NULL DEFAULT '{6,7}'::integer[],
	description text NOT NULL DEFAULT '',
	CONSTRAINT odr_business_calendar_weekend CHECK
		(weekend OPERATOR(pg_catalog.<@) '{1,2,3,4,5,6,7}'::integer[]
		 AND NOT ('{1,2,3,4,5,6,7}'::integer[] OPERATOR(pg_catalog.<@) weekend))
);
COMMENT ON TABLE @extschema@.odr_business_calendar IS
	'Issue 20, construct 8: business calendars (one per country, say). A working day is a day whose ISO weekday is not in weekend and that is not one of the calendar''s odr_business_holiday days. Used by business_days windows (odr_marketplace_window.calendar) and odr_business_deadline. A change takes effect at the next statement; tallies counted for a marketplace before a change of a calendar its windows use are refused (fingerprint).';
COMMENT ON COLUMN @extschema@.odr_business_calendar.name IS 'Calendar name, named by odr_marketplace_window.calendar and odr_business_deadline';
COMMENT ON COLUMN @extschema@.odr_business_calendar.weekend IS 'The ISO weekdays (1 Monday .. 7 Sunday) that are not working days: {6,7} Saturday and Sunday (the default), {5,6} Friday and Saturday, {} weekends included; not all seven';
COMMENT ON COLUMN @extschema@.odr_business_calendar.description IS 'What the calendar is (country, source of its holidays)';

CREATE TABLE @extschema@.odr_business_holiday (
	calendar text NOT NULL REFERENCES @extschema@.odr_business_calendar (name) ON UPDATE CASCADE ON DELETE CASCADE,
	day date NOT NULL CHECK (pg_catalog.isfinite(day)),
	description text NOT NULL DEFAULT '',
	PRIMARY KEY (calendar, day)
);
COMMENT ON TABLE @extschema@.odr_business_holiday IS
	'Issue 20, construct 8: the holidays of a business calendar: days that are not working days whatever their weekday';
COMMENT ON COLUMN @extschema@.odr_business_holiday.calendar IS 'The calendar (odr_business_calendar.name) the holiday belongs to';
COMMENT ON COLUMN @extschema@.odr_business_holiday.day IS 'The day off (finite)';
COMMENT ON COLUMN @extschema@.odr_business_holiday.description IS 'What the holiday is';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.odr_business_calendar', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.odr_business_holiday', '');
GRANT SELECT ON @extschema@.odr_business_calendar, @extschema@.odr_business_holiday TO PUBLIC;
GRANT INSERT, UPDATE, DELETE ON @extschema@.odr_business_calendar, @extschema@.odr_business_holiday TO @extowner@;

ALTER TABLE @extschema@.odr_marketplace_window
	DROP CONSTRAINT odr_marketplace_window_kind_check,
	ADD CONSTRAINT odr_marketplace_window_kind_check
		CHECK (kind OPERATOR(pg_catalog.=) ANY ('{days,months,weeks,quarters,month_to_date,lifetime,by_volume,business_days}'::text[])),
	ADD COLUMN calendar text REFERENCES @extschema@.odr_business_calendar (name) ON UPDATE CASCADE;
COMMENT ON TABLE @extschema@.odr_marketplace_window IS
	'Where a marketplace''s metrics look, from the evaluation day: days (the length days ending on it, minus lag), months / weeks / quarters (whole ones before its month, ISO week, quarter), month_to_date, lifetime, or by_volume (primary_window when volume_counter over it reaches volume_min, else fallback_window), or business_days (from the length-th working day of calendar counting back from the evaluation day minus lag, that day included when it is a working day, up to that day: days off inside the window belong to it)';
COMMENT ON COLUMN @extschema@.odr_marketplace_window.kind IS 'days, months, weeks, quarters, month_to_date, lifetime, by_volume or business_days';
COMMENT ON COLUMN @extschema@.odr_marketplace_window.length IS 'Days, months, weeks, quarters or working days (>= 1; business_days: at most 3660; month_to_date: whole months before, >= 0; ignored by lifetime and by_volume)';
COMMENT ON COLUMN @extschema@.odr_marketplace_window.calendar IS 'business_days: the odr_business_calendar whose working days it counts; NULL otherwise';

CREATE FUNCTION @extschema@.odr_business_deadline(start timestamptz, business_days integer, calendar text,
                                                   time_zone text DEFAULT 'UTC')
RETURNS timestamptz
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	wk integer[];
	hol date[];
	loc timestamp;
	d date;
	tod interval;
	n integer := 0;
BEGIN
	IF start IS NULL THEN
		RAISE EXCEPTION 'start must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF business_days IS NULL THEN
		RAISE EXCEPTION 'business_days must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF calendar IS NULL THEN
		RAISE EXCEPTION 'calendar must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF time_zone IS NULL THEN
		RAISE EXCEPTION 'time_zone must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF NOT pg_catalog.isfinite(start) THEN
		RAISE EXCEPTION 'start must be finite, not %', start USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF business_days OPERATOR(pg_catalog.<) 0 OR business_days OPERATOR(pg_catalog.>) 36600 THEN
		RAISE EXCEPTION 'business_days must be 0 .. 36600, not %', business_days USING ERRCODE = 'invalid_parameter_value';
	END IF;
	SELECT c.weekend INTO wk FROM @extschema@.odr_business_calendar AS c WHERE c.name OPERATOR(pg_catalog.=) calendar;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'calendar "%" does not exist', calendar
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'SELECT name FROM odr_business_calendar lists the calendars.';
	END IF;
	hol := ARRAY(SELECT h.day FROM @extschema@.odr_business_holiday AS h
	             WHERE h.calendar OPERATOR(pg_catalog.=) odr_business_deadline.calendar ORDER BY h.day);
	loc := pg_catalog.timezone(time_zone, start);
	d := loc::date;
	tod := loc OPERATOR(pg_catalog.-) d::timestamp;
	-- a start on a day off starts the clock at 00:00 of the next working day
	WHILE (((d OPERATOR(pg_catalog.-) '2000-01-03'::date) OPERATOR(pg_catalog.%) 7 OPERATOR(pg_catalog.+) 7) OPERATOR(pg_catalog.%) 7 OPERATOR(pg_catalog.+) 1) OPERATOR(pg_catalog.=) ANY (wk)
	      OR d OPERATOR(pg_catalog.=) ANY (hol) LOOP
		d := d OPERATOR(pg_catalog.+) 1;
		tod := '00:00'::interval;
	END LOOP;
	WHILE n OPERATOR(pg_catalog.<) business_days LOOP
		d := d OPERATOR(pg_catalog.+) 1;
		IF NOT ((((d OPERATOR(pg_catalog.-) '2000-01-03'::date) OPERATOR(pg_catalog.%) 7 OPERATOR(pg_catalog.+) 7) OPERATOR(pg_catalog.%) 7 OPERATOR(pg_catalog.+) 1) OPERATOR(pg_catalog.=) ANY (wk)
		        OR d OPERATOR(pg_catalog.=) ANY (hol)) THEN
			n := n OPERATOR(pg_catalog.+) 1;
		END IF;
	END LOOP;
	RETURN pg_catalog.timezone(time_zone, d::timestamp OPERATOR(pg_catalog.+) tod);
END
$$;
COMMENT ON FUNCTION @extschema@.odr_business_deadline(timestamptz, integer, text, text) IS
	'Issue 20, construct 8: the deadline business_days working days of calendar after start, read in time_zone: the same time of day on the business_days-th working day after start''s day (a holiday or weekend on the deadline moves it to the next working day); a start on a day off counts from 00:00 of the next working day; 0 days: start (or that 00:00). 22004 for a NULL argument, 22023 for an unknown calendar, an infinite start or business_days outside 0 .. 36600.';
