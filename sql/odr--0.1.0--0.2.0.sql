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
