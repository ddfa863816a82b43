\set ON_ERROR_STOP 1
\set QUIET 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS odr;
BEGIN;
SELECT plan(16);

-- every object of the extension is documented
SELECT is(
	(SELECT count(*) FROM pg_depend d JOIN pg_proc p ON p.oid = d.objid
	 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'odr')
	   AND d.classid = 'pg_proc'::regclass AND obj_description(p.oid, 'pg_proc') IS NULL),
	0::bigint, 'every function and aggregate of odr has a COMMENT');
-- (from PostgreSQL 17 on, the types PostgreSQL makes by itself join the
-- extension too: the array type of each type, and the row type of each
-- table; those are not types odr defines, but for odr_assessment[] and
-- odr_standing[], which odr adds itself on every major)
SELECT is(
	(SELECT count(*) FROM pg_depend d JOIN pg_type t ON t.oid = d.objid
	 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'odr')
	   AND d.classid = 'pg_type'::regclass AND obj_description(t.oid, 'pg_type') IS NULL
	   AND NOT (t.typelem <> 0 AND t.oid = (SELECT e.typarray FROM pg_type e WHERE e.oid = t.typelem)
	            AND t.oid <> 'odr_assessment[]'::regtype AND t.oid <> 'odr_standing[]'::regtype)
	   AND NOT EXISTS (SELECT FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind <> 'c')),
	0::bigint, 'every type of odr has a COMMENT');
-- postgres_fdw ships odr_agg_at / odr_rollup_at to a shard only when their
-- result type, odr_assessment[], belongs to odr (README: shards)
SELECT ok(
	EXISTS (SELECT FROM pg_depend d
	        WHERE d.classid = 'pg_type'::regclass AND d.objid = 'odr_assessment[]'::regtype
	          AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
	          AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'odr')),
	'odr_assessment[] is a member of odr');
-- and odr_assess_at's, odr_standing[] (0.8.0)
SELECT ok(
	EXISTS (SELECT FROM pg_depend d
	        WHERE d.classid = 'pg_type'::regclass AND d.objid = 'odr_standing[]'::regtype
	          AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
	          AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'odr')),
	'odr_standing[] is a member of odr');
SELECT is(
	(SELECT count(*) FROM pg_depend d JOIN pg_proc p ON p.oid = d.objid
	 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'odr')
	   AND d.classid = 'pg_proc'::regclass AND p.proparallel <> 's'
	   AND p.prorettype <> 'trigger'::regtype
	   AND p.oid <> 'odr_create_warehouse(regclass,name,name,name,text,integer,text,text,boolean)'::regprocedure
	   AND p.oid <> 'odr_create_marketplace_warehouse(regclass,name,name,text,text)'::regprocedure
	   AND p.oid <> 'odr_refresh_warehouse(regclass,boolean)'::regprocedure
	   AND p.oid <> 'odr_check_shards()'::regprocedure),
	0::bigint, 'every function of odr is PARALLEL SAFE (but the triggers, the DDL of odr_create_warehouse and odr_create_marketplace_warehouse, the REFRESH of odr_refresh_warehouse, and odr_check_shards)');
SELECT is(
	(SELECT count(*) FROM pg_depend d JOIN pg_proc p ON p.oid = d.objid
	 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'odr')
	   AND d.classid = 'pg_proc'::regclass AND p.prosecdef),
	0::bigint, 'no function of odr is SECURITY DEFINER');

-- the classification is IMMUTABLE (generated columns, indexes); tiers read policies (STABLE)
SELECT volatility_is('odr_classify', ARRAY['integer','integer','integer','integer','boolean','boolean','boolean','boolean','boolean','numeric'], 'immutable', 'odr_classify is IMMUTABLE');
SELECT volatility_is('odr_tier', ARRAY['odr_summary','text'], 'stable', 'odr_tier(s, policy) is STABLE: it reads odr_policy');
SELECT is_aggregate('odr_agg', ARRAY['odr_defects'], 'odr_agg is an aggregate');
SELECT is_aggregate('odr_rollup', ARRAY['odr_summary'], 'odr_rollup is an aggregate');

-- aggregates: combine function (parallel) and inverse transition (moving windows)
SELECT ok((SELECT aggcombinefn <> 0 AND aggminvtransfn <> 0 FROM pg_aggregate
           WHERE aggfnoid = 'odr_agg(odr_defects)'::regprocedure),
          'odr_agg has a combine function and an inverse transition');
SELECT ok((SELECT aggcombinefn <> 0 AND aggminvtransfn <> 0 FROM pg_aggregate
           WHERE aggfnoid = 'odr_rollup(odr_summary)'::regprocedure),
          'odr_rollup has a combine function and an inverse transition');

-- the types: odr_defects by value in 4 bytes, odr_summary fixed-size (not internal)
SELECT ok((SELECT typbyval AND typlen = 4 FROM pg_type WHERE typname = 'odr_defects'),
          'odr_defects is 4 bytes, passed by value');
SELECT ok((SELECT typlen = 152 AND typalign = 'd' FROM pg_type WHERE typname = 'odr_summary'),
          'odr_summary is a fixed-size (152 bytes) double-aligned type');
SELECT enum_has_labels('odr_tier', ARRAY['unassessed','fail','pass','good','excellent'],
                       'odr_tier is ordered unassessed < fail < pass < good < excellent');
SELECT is((SELECT extversion FROM pg_extension WHERE extname = 'odr'),
          (SELECT default_version FROM pg_available_extensions WHERE name = 'odr'),
          'the installed version is the default version of odr.control');

SELECT * FROM finish();
ROLLBACK;
