\set ECHO none
-- pg_temp.plan_nodes(query): the nodes of the query's plan, so that a test
-- checks the plan's shape (a partial aggregate in the workers, finalized in
-- the leader) and not its text, which differs between PostgreSQL majors.
-- One row per node: its name without the strategy ("Partial HashAggregate"
-- and "Partial GroupAggregate" are both "Partial Aggregate", a parallel scan
-- is "Parallel Seq Scan"), whether a worker runs it (it is under a Gather or
-- Gather Merge) and what it outputs (EXPLAIN VERBOSE). A function of the
-- session (pg_temp): each test file includes this file (\i, from the top of
-- the source tree, where pg_regress runs) and leaves nothing behind; what
-- it says is not echoed into the test's output.
CREATE FUNCTION pg_temp.plan_nodes(q text, OUT node text, OUT in_worker boolean, OUT output text)
RETURNS SETOF record LANGUAGE plpgsql AS $fn$
DECLARE
	plan json;
BEGIN
	EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF, FORMAT JSON) ' || q INTO plan;
	RETURN QUERY
	WITH RECURSIVE n(p, w) AS (
		SELECT plan->0->'Plan', false
		UNION ALL
		SELECT c, n.w OR n.p->>'Node Type' IN ('Gather', 'Gather Merge')
		FROM n, json_array_elements(n.p->'Plans') AS c)
	SELECT concat_ws(' ', nullif(n.p->>'Partial Mode', 'Simple'),
	                 CASE WHEN (n.p->>'Parallel Aware')::boolean THEN 'Parallel' END,
	                 n.p->>'Node Type'),
	       n.w,
	       coalesce((SELECT string_agg(o, ', ') FROM json_array_elements_text(n.p->'Output') AS o), '')
	FROM n;
END
$fn$;
\set ECHO all
