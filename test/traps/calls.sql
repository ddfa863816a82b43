-- The built-in functions odr's SQL calls, as a text array literal (one line):
-- every name called in odr's functions (SQL bodies as PostgreSQL deparses
-- them, PL/pgSQL source), in the CHECK constraints and defaults of its
-- tables and in the views of the warehouses in this database, that names a
-- function of pg_catalog.  (pg_depend cannot say: PostgreSQL records no
-- dependency on pinned built-ins.)  Run in a database with odr installed and
-- a warehouse of each kind created (test/traps.sh makes them).  -At output.
WITH ext AS (SELECT oid FROM pg_extension WHERE extname = 'odr'),
member AS (
	SELECT d.classid, d.objid FROM pg_depend d, ext
	WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'),
texts AS (
	SELECT CASE WHEN l.lanname = 'sql' THEN pg_get_functiondef(f.oid) ELSE f.prosrc END AS t
	FROM member m JOIN pg_proc f ON m.classid = 'pg_proc'::regclass AND f.oid = m.objid
	JOIN pg_language l ON l.oid = f.prolang AND l.lanname IN ('plpgsql', 'sql')
	WHERE f.prokind = 'f'
	UNION ALL
	SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN member m ON m.classid = 'pg_class'::regclass AND m.objid = c.conrelid
	UNION ALL
	SELECT pg_get_expr(a.adbin, a.adrelid) FROM pg_attrdef a JOIN member m ON m.classid = 'pg_class'::regclass AND m.objid = a.adrelid
	UNION ALL
	SELECT pg_get_viewdef(c.oid) FROM pg_class c
	WHERE c.relkind IN ('v', 'm') AND c.relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)),
called AS (
	SELECT DISTINCT lower(x[1]) AS proname FROM texts, LATERAL regexp_matches(texts.t, '([A-Za-z_][A-Za-z0-9_]*)\s*\(', 'g') AS x)
SELECT '{' || string_agg(c.proname, ',' ORDER BY c.proname) || '}'
FROM called c
WHERE EXISTS (SELECT 1 FROM pg_proc p WHERE p.proname = c.proname AND p.pronamespace = 'pg_catalog'::regnamespace);
