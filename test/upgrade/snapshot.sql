-- Everything the odr extension consists of in this database, one row per
-- object: its identity and a full description by name (never by OID), so two
-- databases can be compared with diff.  test/upgrade.sh compares a database
-- walked through ALTER EXTENSION odr UPDATE with a fresh install.
CREATE FUNCTION pg_temp.rows_of(t regclass) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
	EXECUTE format('SELECT string_agg(x::text, %L ORDER BY x::text) FROM %s x', ' | ', t) INTO r;
	RETURN coalesce(r, '(empty)');
END $$;

WITH ext AS (
	SELECT oid, extname, extrelocatable, extnamespace::regnamespace::text AS schema,
	       extconfig, extcondition
	FROM pg_extension WHERE extname = 'odr'
), member AS (
	SELECT d.classid, d.objid, pg_describe_object(d.classid, d.objid, 0) AS identity
	FROM pg_depend d, ext
	WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
), described AS (
	-- functions, procedures and window functions: their whole definition
	SELECT m.identity, pg_get_functiondef(p.oid) || E'\nacl ' || coalesce(p.proacl::text, '-') AS detail
	FROM member m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
	WHERE p.prokind <> 'a'
	UNION ALL
	-- aggregates
	SELECT m.identity,
	       format('args %s returns %s strict %s parallel %s volatile %s acl %s kind %s trans %s final %s combine %s serial %s deserial %s '
	              'mtrans %s minv %s mfinal %s stype %s mstype %s init %s minit %s sortop %s finalextra %s mfinalextra %s finalmodify %s mfinalmodify %s space %s mspace %s',
	              pg_get_function_arguments(p.oid), pg_get_function_result(p.oid), p.proisstrict, p.proparallel, p.provolatile,
	              coalesce(p.proacl::text, '-'), a.aggkind, a.aggtransfn, a.aggfinalfn, a.aggcombinefn, a.aggserialfn,
	              a.aggdeserialfn, a.aggmtransfn, a.aggminvtransfn, a.aggmfinalfn, a.aggtranstype::regtype,
	              a.aggmtranstype::regtype, a.agginitval, a.aggminitval, a.aggsortop::regoperator, a.aggfinalextra,
	              a.aggmfinalextra, a.aggfinalmodify, a.aggmfinalmodify, a.aggtransspace, a.aggmtransspace)
	FROM member m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
	JOIN pg_aggregate a ON a.aggfnoid = p.oid
	UNION ALL
	-- types: storage, I/O functions, enum labels, composite attributes
	SELECT m.identity,
	       format('type %s len %s byval %s category %s preferred %s in %s out %s recv %s send %s typmodin %s analyze %s align %s storage %s elem %s array %s default %s acl %s',
	              t.typtype, t.typlen, t.typbyval, t.typcategory, t.typispreferred, t.typinput, t.typoutput,
	              t.typreceive, t.typsend, t.typmodin, t.typanalyze, t.typalign, t.typstorage,
	              t.typelem::regtype, t.typarray::regtype, t.typdefault, coalesce(t.typacl::text, '-'))
	       || coalesce(E'\nlabels ' || (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
	                                    FROM pg_enum e WHERE e.enumtypid = t.oid), '')
	       || coalesce(E'\nattributes ' || (SELECT string_agg(format('%s %s', a.attname, format_type(a.atttypid, a.atttypmod)), ', ' ORDER BY a.attnum)
	                                        FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '')
	FROM member m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
	UNION ALL
	-- tables, views, sequences, indexes: columns, constraints, indexes, triggers, view text
	SELECT m.identity,
	       format('kind %s acl %s options %s', c.relkind, coalesce(c.relacl::text, '-'), coalesce(c.reloptions::text, '-'))
	       || coalesce(E'\ncolumns ' || (SELECT string_agg(format('%s %s%s%s%s', a.attname, format_type(a.atttypid, a.atttypmod),
	                                                              CASE WHEN a.attnotnull THEN ' not null' ELSE '' END,
	                                                              coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), ''),
	                                                              coalesce(' comment ' || col_description(c.oid, a.attnum), '')),
	                                                       ', ' ORDER BY a.attnum)
	                                     FROM pg_attribute a LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
	                                     WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '')
	       || coalesce(E'\nconstraints ' || (SELECT string_agg(format('%s: %s', co.conname, pg_get_constraintdef(co.oid)), '; ' ORDER BY co.conname)
	                                         FROM pg_constraint co WHERE co.conrelid = c.oid), '')
	       || coalesce(E'\nindexes ' || (SELECT string_agg(pg_get_indexdef(i.indexrelid), '; ' ORDER BY 1)
	                                     FROM pg_index i WHERE i.indrelid = c.oid), '')
	       || coalesce(E'\ntriggers ' || (SELECT string_agg(pg_get_triggerdef(tg.oid), '; ' ORDER BY tg.tgname)
	                                      FROM pg_trigger tg WHERE tg.tgrelid = c.oid AND NOT tg.tgisinternal), '')
	       || coalesce(E'\nview ' || CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END, '')
	       || coalesce(E'\nrows ' || CASE WHEN c.relkind = 'r' THEN
	                     pg_temp.rows_of(c.oid::regclass) END, '')
	FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
	UNION ALL
	-- operators
	SELECT m.identity,
	       format('code %s result %s commutator %s negator %s restrict %s join %s merges %s hashes %s',
	              o.oprcode, o.oprresult::regtype, o.oprcom::regoperator, o.oprnegate::regoperator,
	              o.oprrest, o.oprjoin, o.oprcanmerge, o.oprcanhash)
	FROM member m JOIN pg_operator o ON m.classid = 'pg_operator'::regclass AND o.oid = m.objid
	UNION ALL
	-- operator classes and families: their operators and support functions
	SELECT m.identity,
	       format('method %s', am.amname)
	       || coalesce(E'\noperators ' || (SELECT string_agg(format('%s %s', ao.amopstrategy, ao.amopopr::regoperator), ', ' ORDER BY ao.amopstrategy, ao.amopopr::regoperator::text)
	                                       FROM pg_amop ao WHERE ao.amopfamily = f.oid), '')
	       || coalesce(E'\nfunctions ' || (SELECT string_agg(format('%s %s', ap.amprocnum, ap.amproc::regprocedure), ', ' ORDER BY ap.amprocnum, ap.amproc::regprocedure::text)
	                                       FROM pg_amproc ap WHERE ap.amprocfamily = f.oid), '')
	FROM member m JOIN pg_opfamily f ON m.classid = 'pg_opfamily'::regclass AND f.oid = m.objid
	JOIN pg_am am ON am.oid = f.opfmethod
	UNION ALL
	SELECT m.identity, format('method %s type %s family %s default %s', am.amname, oc.opcintype::regtype,
	                          (SELECT opfname FROM pg_opfamily WHERE oid = oc.opcfamily), oc.opcdefault)
	FROM member m JOIN pg_opclass oc ON m.classid = 'pg_opclass'::regclass AND oc.oid = m.objid
	JOIN pg_am am ON am.oid = oc.opcmethod
	UNION ALL
	-- casts
	SELECT m.identity, format('function %s context %s method %s', ca.castfunc::regprocedure, ca.castcontext, ca.castmethod)
	FROM member m JOIN pg_cast ca ON m.classid = 'pg_cast'::regclass AND ca.oid = m.objid
	UNION ALL
	-- anything else: its identity alone
	SELECT m.identity, '(' || m.classid::regclass::text || ')'
	FROM member m
	WHERE m.classid NOT IN ('pg_proc'::regclass, 'pg_type'::regclass, 'pg_class'::regclass, 'pg_operator'::regclass,
	                        'pg_opfamily'::regclass, 'pg_opclass'::regclass, 'pg_cast'::regclass)
)
SELECT identity || E'\n  ' || replace(detail, E'\n', E'\n  ')
       || coalesce(E'\n  comment ' || (SELECT obj_description(m.objid, m.classid::regclass::name) FROM member m
                                      WHERE m.identity = described.identity LIMIT 1), '')
FROM described
UNION ALL
-- the extension itself: schema, relocatability, which tables pg_dump dumps and how
SELECT format('extension %s schema %s relocatable %s', extname, schema, extrelocatable)
       || E'\n  config ' || coalesce((SELECT string_agg(format('%s %s', c::regclass, w), '; ' ORDER BY c::regclass::text)
                                      FROM unnest(extconfig, extcondition) AS u(c, w)), '-')
FROM ext
ORDER BY 1;
