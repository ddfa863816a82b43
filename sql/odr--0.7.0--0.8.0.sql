/*
 * odr 0.7.0 -> 0.8.0.  Names nothing unqualified (README: Security): every
 * operator OPERATOR(pg_catalog.op), every call schema-qualified, as in
 * sql/odr.sql.
 */

\echo Use "ALTER EXTENSION odr UPDATE TO '0.8.0'" to load this file. \quit

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
