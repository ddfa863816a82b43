-- Plant traps for odr's install and update scripts and its callers
-- (test/traps.sh; README "Security").  Run by the attacker, a role that is not
-- a superuser but owns the database, before odr is installed:
--   psql -v schema=public -v functions='{lower,upper,...}' -f test/traps/plant.sql
--
-- In :schema it creates
--   * an operator for every operator name of pg_catalog over every pair of
--     numeric, text, date and timestamp types (and the prefix operators of
--     those types), each an exact match for its operand types;
--   * a function for every signature of every built-in named in :functions
--     (the built-ins odr's SQL calls: test/traps/calls.sql lists them), the
--     polymorphic ones made concrete over the same types, so that each is a
--     better match than pg_catalog's for those arguments;
--   * the aggregates min, max and sum likewise.
-- Every trap computes what pg_catalog would (so nothing else notices it) and
-- first calls odr_trap_hit, which records the trap, the role running it, the
-- call stack, and, if that role is a superuser, makes the attacker one
-- (the escalation a real attacker would try).  Pass: no row in
-- public.odr_trap_log from odr's code, and the attacker no superuser.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
-- the plant script's own statements bind to pg_catalog, not to its traps
SET search_path = pg_catalog, pg_temp;
-- (psql does not substitute variables inside the dollar-quoted DO bodies)
SELECT pg_catalog.set_config('odr_trap.schema', :'schema', false),
       pg_catalog.set_config('odr_trap.functions', :'functions', false) \g /dev/null

CREATE TABLE IF NOT EXISTS public.odr_trap_log (
	trap text NOT NULL,
	run_by name NOT NULL,
	superuser boolean NOT NULL,
	context text,
	at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp());
GRANT SELECT, INSERT ON public.odr_trap_log TO PUBLIC;

CREATE OR REPLACE FUNCTION public.odr_trap_hit(trap text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	stack text;
	su boolean;
BEGIN
	GET DIAGNOSTICS stack = PG_CONTEXT;
	SELECT r.rolsuper INTO su FROM pg_roles r WHERE r.rolname = current_user;
	-- recorded: a trap run by a superuser, or from odr's code (a frame of an
	-- odr_ function other than the traps'); a trap run by the user's own SQL
	-- (it shadows the user's operators too) is only counted, in the session
	IF su OR stack ~ '(^|\n)[^\n]*odr_(?!trap)' THEN
		INSERT INTO public.odr_trap_log (trap, run_by, superuser, context) VALUES (trap, current_user, su, stack);
	ELSE
		PERFORM pg_catalog.set_config('odr_trap.user_hits',
			(coalesce(nullif(pg_catalog.current_setting('odr_trap.user_hits', true), ''), '0')::bigint + 1)::text, false);
	END IF;
	IF su THEN
		-- what the attacker wants: become a superuser
		EXECUTE pg_catalog.format('ALTER ROLE %I SUPERUSER',
			(SELECT d.datdba::regrole::text FROM pg_database d WHERE d.datname = current_database()));
	END IF;
END $$;

CREATE TEMP TABLE trap_types (t text PRIMARY KEY, r text);
INSERT INTO trap_types VALUES
	('smallint', 'int4range'), ('integer', 'int4range'), ('bigint', 'int8range'), ('numeric', 'numrange'),
	('real', NULL), ('double precision', NULL), ('text', NULL), ('character varying', NULL), ('name', NULL),
	('character', NULL), ('date', 'daterange'), ('timestamp without time zone', 'tsrange'),
	('timestamp with time zone', 'tstzrange'), ('interval', NULL), ('time without time zone', NULL),
	('boolean', NULL);

-- binary and prefix operators
DO $plant$
DECLARE
	sch text := pg_catalog.current_setting('odr_trap.schema');
	op text;
	lt text;
	rt text;
	res text;
	n integer := 0;
BEGIN
	FOR op IN SELECT DISTINCT o.oprname FROM pg_catalog.pg_operator o
	          WHERE o.oprnamespace = 'pg_catalog'::regnamespace AND o.oprkind = 'b' ORDER BY 1 LOOP
		FOR lt IN SELECT t FROM trap_types ORDER BY t LOOP
			FOR rt IN SELECT t FROM trap_types ORDER BY t LOOP
				BEGIN
					-- the type pg_catalog's operator gives these operands (none: no trap)
					EXECUTE pg_catalog.format('SELECT pg_catalog.pg_typeof(NULL::%s OPERATOR(pg_catalog.%s) NULL::%s)::text', lt, op, rt) INTO res;
					EXECUTE pg_catalog.format($f$
						CREATE FUNCTION %1$I.odr_trap_op_%2$s(%3$s, %4$s) RETURNS %5$s
						LANGUAGE plpgsql AS $b$BEGIN PERFORM public.odr_trap_hit(%6$L); RETURN $1 OPERATOR(pg_catalog.%7$s) $2; END$b$$f$,
						sch, n, lt, rt, res, pg_catalog.format('%s.%s(%s, %s)', sch, op, lt, rt), op);
					EXECUTE pg_catalog.format('CREATE OPERATOR %I.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = %I.odr_trap_op_%s)',
						sch, op, lt, rt, sch, n);
					n := n + 1;
				EXCEPTION WHEN OTHERS THEN
					NULL;  -- no such operator in pg_catalog for these types
				END;
			END LOOP;
		END LOOP;
	END LOOP;
	FOR op IN SELECT DISTINCT o.oprname FROM pg_catalog.pg_operator o
	          WHERE o.oprnamespace = 'pg_catalog'::regnamespace AND o.oprkind = 'l' ORDER BY 1 LOOP
		FOR rt IN SELECT t FROM trap_types ORDER BY t LOOP
			BEGIN
				EXECUTE pg_catalog.format('SELECT pg_catalog.pg_typeof(OPERATOR(pg_catalog.%s) NULL::%s)::text', op, rt) INTO res;
				EXECUTE pg_catalog.format($f$
					CREATE FUNCTION %1$I.odr_trap_op_%2$s(%3$s) RETURNS %4$s
					LANGUAGE plpgsql AS $b$BEGIN PERFORM public.odr_trap_hit(%5$L); RETURN OPERATOR(pg_catalog.%6$s) $1; END$b$$f$,
					sch, n, rt, res, pg_catalog.format('%s.%s(NONE, %s)', sch, op, rt), op);
				EXECUTE pg_catalog.format('CREATE OPERATOR %I.%s (RIGHTARG = %s, FUNCTION = %I.odr_trap_op_%s)', sch, op, rt, sch, n);
				n := n + 1;
			EXCEPTION WHEN OTHERS THEN
				NULL;
			END;
		END LOOP;
	END LOOP;
	RAISE WARNING 'traps: % operators in schema %', n, sch;
END
$plant$;

-- functions and aggregates named in :functions, every signature, the
-- polymorphic ones over each type of trap_types
DO $plant$
DECLARE
	sch text := pg_catalog.current_setting('odr_trap.schema');
	names text[] := pg_catalog.current_setting('odr_trap.functions')::text[];
	p record;
	t record;
	args text[];
	arg text;
	res text;
	sig text;
	call text;
	n integer := 0;
	poly boolean;
	bad boolean;
BEGIN
	FOR p IN SELECT f.oid, f.proname, f.prokind, f.proretset, f.prorettype::regtype::text AS ret,
	                ARRAY(SELECT a::regtype::text FROM pg_catalog.unnest(f.proargtypes::oid[]) AS a) AS argtypes
	         FROM pg_catalog.pg_proc f
	         WHERE f.pronamespace = 'pg_catalog'::regnamespace AND f.proname = ANY (names)
	           AND f.prokind IN ('f', 'a', 'w') AND f.pronargs > 0
	         ORDER BY f.oid LOOP
		poly := EXISTS (SELECT 1 FROM pg_catalog.unnest(p.argtypes || p.ret) AS x
		                WHERE x IN ('anyelement', 'anyarray', 'anynonarray', 'anyrange', 'anycompatible',
		                            'anycompatiblearray', 'anycompatiblenonarray', 'anycompatiblerange'));
		FOR t IN SELECT y.t, y.r FROM trap_types AS y WHERE poly OR y.t = 'integer' ORDER BY y.t LOOP
			args := '{}';
			bad := false;
			FOREACH arg IN ARRAY p.argtypes LOOP
				arg := CASE WHEN arg IN ('anyelement', 'anynonarray', 'anycompatible', 'anycompatiblenonarray') THEN t.t
				            WHEN arg IN ('anyarray', 'anycompatiblearray') THEN t.t || '[]'
				            WHEN arg IN ('anyrange', 'anycompatiblerange') THEN t.r
				            ELSE arg END;
				bad := bad OR arg IS NULL OR arg IN ('"any"', 'internal', 'cstring', 'anyenum', 'anymultirange',
				                                     'anycompatiblemultirange', 'record', 'trigger', 'void');
				args := args || arg;
			END LOOP;
			CONTINUE WHEN bad;
			IF p.prokind = 'a' THEN
				-- min, max and sum over one argument, with a constant-size state
				CONTINUE WHEN pg_catalog.cardinality(args) <> 1 OR p.proname <> ALL ('{min,max,sum}');
				BEGIN
					EXECUTE pg_catalog.format('SELECT pg_catalog.pg_typeof(pg_catalog.%I(x))::text FROM (VALUES (NULL::%s)) v(x)', p.proname, args[1]) INTO res;
					EXECUTE pg_catalog.format($f$
						CREATE FUNCTION %1$I.odr_trap_sfn_%2$s(%3$s, %4$s) RETURNS %3$s
						LANGUAGE plpgsql AS $b$BEGIN PERFORM public.odr_trap_hit(%5$L); RETURN %6$s; END$b$$f$,
						sch, n, res, args[1], pg_catalog.format('%s.%s(%s)', sch, p.proname, args[1]),
						CASE p.proname WHEN 'min' THEN 'LEAST($1, $2)' WHEN 'max' THEN 'GREATEST($1, $2)'
						     ELSE 'coalesce($1 OPERATOR(pg_catalog.+) $2::' || res || ', $1, $2::' || res || ')' END);
					EXECUTE pg_catalog.format('CREATE AGGREGATE %1$I.%2$I(%3$s) (SFUNC = %1$I.odr_trap_sfn_%4$s, STYPE = %5$s)',
						sch, p.proname, args[1], n, res);
					n := n + 1;
				EXCEPTION WHEN OTHERS THEN
					NULL;
				END;
				CONTINUE;
			END IF;
			CONTINUE WHEN p.prokind = 'w';
			sig := pg_catalog.array_to_string(args, ', ');
			call := (SELECT pg_catalog.string_agg('$' || i, ', ' ORDER BY i) FROM pg_catalog.generate_series(1, pg_catalog.cardinality(args)) AS i);
			BEGIN
				IF p.proretset THEN
					EXECUTE pg_catalog.format('SELECT pg_catalog.pg_typeof(x)::text FROM pg_catalog.%I(%s) AS x LIMIT 0', p.proname,
						(SELECT pg_catalog.string_agg('NULL::' || a, ', ') FROM pg_catalog.unnest(args) AS a)) INTO res;
					res := CASE WHEN p.ret IN ('anyelement', 'anycompatible') THEN t.t ELSE p.ret END;
					CONTINUE WHEN res IN ('record', 'anyarray', 'anyrange');
					EXECUTE pg_catalog.format($f$
						CREATE FUNCTION %1$I.%2$I(%3$s) RETURNS SETOF %4$s
						LANGUAGE plpgsql AS $b$BEGIN PERFORM public.odr_trap_hit(%5$L); RETURN QUERY SELECT * FROM pg_catalog.%2$I(%6$s); END$b$$f$,
						sch, p.proname, sig, res, pg_catalog.format('%s.%s(%s)', sch, p.proname, sig), call);
				ELSE
					EXECUTE pg_catalog.format('SELECT pg_catalog.pg_typeof(pg_catalog.%I(%s))::text', p.proname,
						(SELECT pg_catalog.string_agg('NULL::' || a, ', ') FROM pg_catalog.unnest(args) AS a)) INTO res;
					CONTINUE WHEN res IN ('record', 'void', 'unknown');
					EXECUTE pg_catalog.format($f$
						CREATE FUNCTION %1$I.%2$I(%3$s) RETURNS %4$s
						LANGUAGE plpgsql AS $b$BEGIN PERFORM public.odr_trap_hit(%5$L); RETURN pg_catalog.%2$I(%6$s); END$b$$f$,
						sch, p.proname, sig, res, pg_catalog.format('%s.%s(%s)', sch, p.proname, sig), call);
				END IF;
				n := n + 1;
			EXCEPTION WHEN OTHERS THEN
				NULL;  -- a signature that is already planted, or not callable this way
			END;
		END LOOP;
	END LOOP;
	RAISE WARNING 'traps: % functions and aggregates in schema %', n, sch;
END
$plant$;
