\set ON_ERROR_STOP 1
\set QUIET 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS odr;
BEGIN;
SELECT plan(12);

-- The rules for safe extension scripts (README "Security"), checked on the
-- catalog so a new function that breaks one fails here.
CREATE TEMP VIEW odr_functions AS
SELECT p.oid, p.oid::regprocedure::text AS name, l.lanname, p.prosecdef, p.proconfig,
       p.prosqlbody IS NOT NULL AS standard_body
FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'odr');

SELECT is((SELECT string_agg(name, ', ') FROM odr_functions WHERE prosecdef), NULL,
          'no odr function is SECURITY DEFINER');
SELECT is((SELECT string_agg(name, ', ') FROM odr_functions
           WHERE lanname NOT IN ('c', 'internal')
             AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (proconfig), false)
             AND NOT (lanname = 'sql' AND standard_body)), NULL,
          'every SQL or PL/pgSQL function pins search_path or has an SQL-standard body bound at creation');
SELECT is((SELECT string_agg(name, ', ') FROM odr_functions WHERE lanname = 'plpgsql'
             AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (proconfig), false)), NULL,
          'every PL/pgSQL function runs with search_path = pg_catalog, pg_temp');
SELECT is((SELECT string_agg(name, ', ') FROM odr_functions WHERE lanname NOT IN ('c', 'sql', 'plpgsql', 'internal')), NULL,
          'odr uses no other language than C, SQL and PL/pgSQL');
SELECT is((SELECT extrelocatable FROM pg_extension WHERE extname = 'odr'), false,
          'odr is not relocatable (its functions name the schema it was installed in)');
SELECT is((SELECT trusted FROM pg_available_extension_versions WHERE name = 'odr' AND version = (SELECT extversion FROM pg_extension WHERE extname = 'odr')),
          true, 'odr.control marks odr trusted (README: Security)');

-- The caller's search_path cannot redirect odr: a schema that shadows
-- pg_catalog's operators and odr's own names changes no result.
CREATE SCHEMA odr_tap_evil;
CREATE FUNCTION odr_tap_evil.texteq_evil(text, text) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE OPERATOR odr_tap_evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = odr_tap_evil.texteq_evil);
CREATE FUNCTION odr_tap_evil.odr_rate(odr_summary) RETURNS double precision LANGUAGE sql AS 'SELECT 0.99::float8';
CREATE TABLE odr_tap_evil.odr_policy (LIKE odr_policy);
INSERT INTO odr_tap_evil.odr_policy SELECT * FROM odr_policy;
UPDATE odr_tap_evil.odr_policy SET excellent_below = 0.9;
INSERT INTO odr_policy (name, excellent_below, good_below, pass_below) VALUES ('tap_sec', 0.06, 0.07, 0.08);
CREATE TEMP TABLE expected AS
SELECT odr_tier('(orders=100,defective=5,unshipped=5)'::odr_summary) AS tier,
       (SELECT odr FROM odr_scorecard('(orders=100,defective=5,unshipped=5)')) AS odr,
       (odr_report('(orders=100,defective=5,unshipped=5)', '2026-10-31') ->> 'tier') AS report_tier,
       odr_tier('(orders=100,defective=5,unshipped=5)'::odr_summary, 'tap_sec') AS named_tier;
-- (computed under the hostile path, checked after it: pgTAP itself uses =)
SET LOCAL search_path = odr_tap_evil, public, pg_catalog, pg_temp;
CREATE TEMP TABLE got AS
SELECT odr_tier('(orders=100,defective=5,unshipped=5)'::odr_summary) AS tier,
       (SELECT odr FROM odr_scorecard('(orders=100,defective=5,unshipped=5)')) AS odr,
       (odr_report('(orders=100,defective=5,unshipped=5)', '2026-10-31') ->> 'tier') AS report_tier,
       odr_tier('(orders=100,defective=5,unshipped=5)'::odr_summary, 'tap_sec') AS named_tier;
RESET search_path;
SELECT is((SELECT tier FROM got), (SELECT tier FROM expected),
          'odr_tier reads its own policy table whatever the search_path');
SELECT is((SELECT odr FROM got), (SELECT odr FROM expected),
          'odr_scorecard calls its own functions whatever the search_path');
SELECT is((SELECT report_tier FROM got), (SELECT report_tier FROM expected),
          'odr_report is unaffected by a shadowing = operator');
SELECT is((SELECT named_tier FROM got), (SELECT named_tier FROM expected),
          'a named policy is looked up with pg_catalog''s =, not a shadowing one');

-- TRUNCATE skips row triggers; a statement guard keeps the built-in policies
SELECT throws_ok($$TRUNCATE odr_policy CASCADE$$, '55000', NULL,
                 'even the owner cannot TRUNCATE odr_policy while it holds built-in policies (55000)');
SELECT throws_ok($$TRUNCATE odr_policy_condition$$, '55000', NULL,
                 'nor TRUNCATE odr_policy_condition (55000)');

SELECT * FROM finish();
ROLLBACK;
