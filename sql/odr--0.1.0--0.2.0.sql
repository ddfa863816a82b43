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
