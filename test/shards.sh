#!/usr/bin/env bash
# Scale-out on postgres_fdw shards (TAP output; test/SHARDS.md explains).
#
# Three throwaway clusters on loopback (tools/cluster.sh): a coordinator and
# two shards, odr on each. On the coordinator, orders is hash-partitioned by
# seller_id into two postgres_fdw foreign partitions (one per shard) and a
# local one; the same rows also go into a plain single-node table. Then:
#   a. per-seller month-end assessment: pushed to the shards (odr_agg in the
#      Remote SQL), same rows as single node;
#   b. not pushed when an aggregate argument is not IMMUTABLE or the server
#      does not list odr in "extensions"; same rows anyway;
#   c. per-(seller, day) summaries pushed to the shards and rolled up on the
#      coordinator into month-end assessments and a daily 90-day history;
#      rows over the wire with and without pushdown;
#   d. grouping by something else than the partition key (not pushed on 15);
#   e. odr_check_shards(): the same odr everywhere;
#   f. async_capable: both shards work at the same time.
# Needs PostgreSQL 15 with postgres_fdw and odr installed. Every cluster is
# stopped on exit; the whole run is bounded by ODR_SHARDS_TIMEOUT seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
v=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" odr.control)  # the version being tested
ve=${v//./\\.}  # as a regular expression

export PGCONNECT_TIMEOUT=10
export PGOPTIONS="-c client_min_messages=warning -c statement_timeout=120s -c timezone=UTC"
unset PGSERVICE PGPASSFILE

dirs=()
watchdog=
n=0
failed=0
cleanup() {
  local d
  if [ -n "$watchdog" ]; then kill "$watchdog" 2>/dev/null || true; fi
  for d in "${dirs[@]}"; do
    "$root/tools/cluster.sh" stop "$d" || true
  done
}
trap cleanup EXIT
trap 'echo "not ok $((n + 1)) - interrupted (signal or ODR_SHARDS_TIMEOUT)"; exit 130' INT TERM
# the whole run is bounded: past the limit the script is sent TERM (its
# trap reports "not ok", the EXIT trap stops the clusters); each statement
# is bounded by statement_timeout as well. The watchdog holds no pipe open.
limit=${ODR_SHARDS_TIMEOUT:-300}
(
  trap 'kill "$pause" 2>/dev/null; exit 0' TERM
  sleep "$limit" &
  pause=$!
  wait "$pause"
  kill -TERM $$
) </dev/null >/dev/null 2>&1 &
watchdog=$!

# start a cluster; sets <name>_host and <name>_port
# shellcheck disable=SC2034  # the hosts are read indirectly, in sql()
coord_host='' coord_port='' shard1_host='' shard1_port='' shard2_host='' shard2_port=''
start() {
  local name=$1 d env
  d=$(mktemp -d "/tmp/odr-shards-$name.XXXXXX")
  dirs+=("$d")
  env=$("$root/tools/cluster.sh" start "$d")
  printf -v "${name}_host" '%s' "$(sed -n "s/.*PGHOST='\([^']*\)'.*/\1/p" <<<"$env")"
  printf -v "${name}_port" '%s' "$(sed -n "s/.*PGPORT='\([^']*\)'.*/\1/p" <<<"$env")"
}
start coord
start shard1
start shard2

# psql on one cluster: sql NAME [psql args...]
sql() {
  local name=$1 host port
  shift
  host=${name}_host
  port=${name}_port
  PGHOST=${!host} PGPORT=${!port} PGUSER=postgres PGDATABASE=${DB:-postgres} \
    psql -X -q -v ON_ERROR_STOP=1 -At "$@"
}
qc() { sql coord "$@"; }

pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() {
  n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
  shift
  local line
  for line in "$@"; do printf '%s\n' "$line" | sed 's/^/#   /'; done
}
# is GOT EXPECTED DESCRIPTION
is() {
  if [ "$1" = "$2" ]; then pass "$3"; else fail "$3" "got:      $1" "expected: $2"; fi
}
# like GOT REGEX DESCRIPTION
like() {
  if grep -Eq -- "$2" <<<"$1"; then pass "$3"; else fail "$3" "got:      $1" "expected: /$2/"; fi
}

echo "# coordinator :$coord_port, shard1 :$shard1_port, shard2 :$shard2_port"

# --------------------------------------------------------------------------
# Schema: the same orders table on each shard (its verdict a generated
# column), and on the coordinator a partitioned table over them
# --------------------------------------------------------------------------
orders_columns="
    order_id bigint NOT NULL, seller_id int NOT NULL, finished_on date NOT NULL,
    feedback_stars int, dsr_item int, dsr_communication int, dsr_shipping int,
    ship_deadline timestamptz, shipped_at timestamptz, unshipped bool NOT NULL,
    arbitration bool NOT NULL, dispute_timeout bool NOT NULL, inr_closed bool NOT NULL,
    seller_responsible bool NOT NULL, amount_usd numeric(10,2),
    defects odr_defects GENERATED ALWAYS AS (odr_classify(
        feedback_stars => feedback_stars, dsr_item => dsr_item, dsr_communication => dsr_communication,
        dsr_shipping => dsr_shipping, unshipped => unshipped, arbitration => arbitration,
        dispute_timeout => dispute_timeout, not_received_closed => inr_closed,
        arbitration_seller_responsible => seller_responsible, order_amount_usd => amount_usd)) STORED"

for s in shard1 shard2; do
  sql $s <<SQL
CREATE EXTENSION odr;
CREATE TABLE orders ($orders_columns);
-- for f (async): the same orders, behind half a second of work
CREATE FUNCTION slow_orders() RETURNS SETOF orders LANGUAGE plpgsql AS
\$\$ BEGIN PERFORM pg_sleep(0.5); RETURN QUERY SELECT * FROM public.orders; END \$\$;
CREATE VIEW orders_slow AS SELECT * FROM slow_orders();
SQL
done

qc <<SQL
CREATE EXTENSION odr;
CREATE EXTENSION postgres_fdw;
CREATE SERVER shard1 FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host '127.0.0.1', port '$shard1_port', dbname 'postgres',
             extensions 'odr', async_capable 'true', fetch_size '10000', batch_size '1000');
CREATE SERVER shard2 FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host '127.0.0.1', port '$shard2_port', dbname 'postgres',
             extensions 'odr', async_capable 'true', fetch_size '10000', batch_size '1000');
CREATE USER MAPPING FOR postgres SERVER shard1 OPTIONS (user 'postgres');
CREATE USER MAPPING FOR postgres SERVER shard2 OPTIONS (user 'postgres');

CREATE TABLE orders ($orders_columns) PARTITION BY HASH (seller_id);
CREATE FOREIGN TABLE orders_shard1 PARTITION OF orders FOR VALUES WITH (MODULUS 3, REMAINDER 0)
    SERVER shard1 OPTIONS (table_name 'orders');
CREATE FOREIGN TABLE orders_shard2 PARTITION OF orders FOR VALUES WITH (MODULUS 3, REMAINDER 1)
    SERVER shard2 OPTIONS (table_name 'orders');
CREATE TABLE orders_local PARTITION OF orders FOR VALUES WITH (MODULUS 3, REMAINDER 2);

CREATE TABLE orders_single ($orders_columns);   -- the single-node reference

ALTER DATABASE postgres SET enable_partitionwise_aggregate = on;
SQL
# the version guard is part of odr
if [ "$(qc -c "SELECT to_regprocedure('odr_check_shards()') IS NULL")" = t ]; then
  echo "not ok 1 - odr_check_shards() is not installed"
  exit 1
fi

# helpers on the coordinator
qc <<'SQL'
CREATE SCHEMA t;
-- the Remote SQL lines of a query's plan
CREATE FUNCTION t.remote_sql(q text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE line text;
BEGIN
	FOR line IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || q LOOP
		IF line ~ 'Remote SQL:' THEN RETURN NEXT btrim(line); END IF;
	END LOOP;
END $$;
CREATE FUNCTION t.plan(q text) RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN RETURN QUERY EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || q; END $$;
-- rows that came from the shards: the actual rows of every Foreign Scan
CREATE FUNCTION t.wire_rows(q text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE p jsonb;
BEGIN
	EXECUTE 'EXPLAIN (ANALYZE, VERBOSE, COSTS OFF, TIMING OFF, SUMMARY OFF, FORMAT JSON) ' || q INTO p;
	RETURN (SELECT coalesce(sum((x ->> 'Actual Rows')::numeric * (x ->> 'Actual Loops')::numeric), 0)::bigint
	        FROM jsonb_path_query(p, 'strict $.**') AS x
	        WHERE jsonb_typeof(x) = 'object' AND x ->> 'Node Type' = 'Foreign Scan');
END $$;
-- row counts of a and b, and rows of each missing from the other (EXCEPT ALL)
CREATE FUNCTION t.compare(a text, b text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE na bigint; nb bigint; ab bigint; ba bigint;
BEGIN
	EXECUTE format('SELECT count(*) FROM (%s) x', a) INTO na;
	EXECUTE format('SELECT count(*) FROM (%s) x', b) INTO nb;
	EXECUTE format('SELECT count(*) FROM ((%s) EXCEPT ALL (%s)) x', a, b) INTO ab;
	EXECUTE format('SELECT count(*) FROM ((%s) EXCEPT ALL (%s)) x', b, a) INTO ba;
	RETURN format('%s rows vs %s rows, %s only sharded, %s only single-node', na, nb, ab, ba);
END $$;
-- the error a statement raises: SQLSTATE, message, detail
CREATE FUNCTION t.error_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE m text; d text;
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL;
	RETURN SQLSTATE || ': ' || m || coalesce(' / ' || nullif(d, ''), '');
END $$;
-- seconds a query takes
CREATE FUNCTION t.seconds(q text) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz := clock_timestamp();
BEGIN
	EXECUTE q;
	RETURN round(extract(epoch FROM clock_timestamp() - t0), 2);
END $$;
SQL

# --------------------------------------------------------------------------
# Load: 30 000 deterministic orders of 200 sellers over a year, through the
# coordinator (rows are routed to the shards), and into the single-node table
# --------------------------------------------------------------------------
qc <<'SQL'
CREATE FUNCTION pg_temp.u(k bigint, salt int) RETURNS double precision
LANGUAGE sql IMMUTABLE
RETURN ((hashint8(k * 1000003 + salt)::bigint & 2147483647) / 2147483648.0);
CREATE TEMP TABLE sample AS
WITH s AS (
	SELECT s AS seller_id, 0.002 + 0.06 * power(pg_temp.u(s, 1), 2) AS p
	FROM generate_series(1, 200) AS s
), o AS (
	SELECT g AS order_id, 1 + floor(200 * power(pg_temp.u(g, 2), 2.5))::int AS seller_id,
	       date '2025-11-01' + floor(365 * pg_temp.u(g, 3))::int AS finished_on,
	       pg_temp.u(g, 4) AS r_rated, pg_temp.u(g, 5) AS r_rating, pg_temp.u(g, 6) AS r_dsr,
	       pg_temp.u(g, 7) AS r_ship, pg_temp.u(g, 8) AS r_dispute, pg_temp.u(g, 9) AS r_x,
	       pg_temp.u(g, 10) AS r_amount
	FROM generate_series(1, 30000) AS g
)
SELECT o.order_id, o.seller_id, o.finished_on,
       CASE WHEN r_rated < 0.45 THEN
            CASE WHEN r_rating < p * 2.5 THEN 1 + floor(3 * r_dsr)::int WHEN r_rating < 0.25 THEN 4 ELSE 5 END
       END AS feedback_stars,
       CASE WHEN r_rated < 0.45 THEN CASE WHEN r_dsr < p * 1.5 THEN 3 ELSE 5 END END AS dsr_item,
       CASE WHEN r_rated < 0.45 THEN CASE WHEN r_dsr > 1 - p THEN 2 ELSE 5 END END AS dsr_communication,
       CASE WHEN r_rated < 0.45 THEN CASE WHEN r_rating > 1 - p / 2 THEN 1 ELSE 4 END END AS dsr_shipping,
       ((o.finished_on - 12) + time '14:00') AT TIME ZONE 'UTC' AS ship_deadline,
       CASE WHEN r_ship < p * 0.5 THEN NULL
            WHEN r_ship < p * 0.8 THEN ((o.finished_on - 11) + time '00:00') AT TIME ZONE 'UTC'
            ELSE ((o.finished_on - 13) + time '09:00') AT TIME ZONE 'UTC' END AS shipped_at,
       r_dispute < p * 1.2 AND r_x < 0.15 AS arbitration,
       r_dispute < p * 1.2 AND r_x > 0.85 AS dispute_timeout,
       r_dispute < p * 1.2 AND r_x BETWEEN 0.4 AND 0.6 AS inr_closed,
       r_dispute < p * 1.2 AND r_x < 0.07 AS seller_responsible,
       round((2 + 150 * power(r_amount, 2))::numeric, 2) AS amount_usd
FROM o JOIN s USING (seller_id);

-- A9 at load time, from the timestamps (TimeZone is UTC)
INSERT INTO orders (order_id, seller_id, finished_on, feedback_stars, dsr_item, dsr_communication,
                    dsr_shipping, ship_deadline, shipped_at, unshipped, arbitration, dispute_timeout,
                    inr_closed, seller_responsible, amount_usd)
SELECT order_id, seller_id, finished_on, feedback_stars, dsr_item, dsr_communication, dsr_shipping,
       ship_deadline, shipped_at, odr_unshipped(ship_deadline, shipped_at, finished_on::timestamptz),
       arbitration, dispute_timeout, inr_closed, seller_responsible, amount_usd
FROM sample;
INSERT INTO orders_single (order_id, seller_id, finished_on, feedback_stars, dsr_item, dsr_communication,
                    dsr_shipping, ship_deadline, shipped_at, unshipped, arbitration, dispute_timeout,
                    inr_closed, seller_responsible, amount_usd)
SELECT order_id, seller_id, finished_on, feedback_stars, dsr_item, dsr_communication, dsr_shipping,
       ship_deadline, shipped_at, odr_unshipped(ship_deadline, shipped_at, finished_on::timestamptz),
       arbitration, dispute_timeout, inr_closed, seller_responsible, amount_usd
FROM sample;
ANALYZE orders;
ANALYZE orders_single;
SQL
for s in shard1 shard2; do sql $s -c "ANALYZE orders"; done

routed=$(qc -F' ' -c "SELECT string_agg(format('%s=%s', tableoid::regclass, n), ' ' ORDER BY tableoid::regclass::text)
                      FROM (SELECT tableoid, count(*) AS n FROM orders GROUP BY tableoid) x")
on_shards="$(sql shard1 -c 'SELECT count(*) FROM orders') $(sql shard2 -c 'SELECT count(*) FROM orders')"
echo "# routed: $routed (rows on the shards themselves: $on_shards)"
like "$routed" '^orders_local=[1-9][0-9]* orders_shard1=[1-9][0-9]* orders_shard2=[1-9][0-9]*$' \
  "INSERT through the coordinator routes rows to both shards and the local partition"
is "$(qc -c "SELECT count(*) FROM orders") $(qc -c "SELECT count(*) FROM orders_single")" "30000 30000" \
  "30000 orders sharded, the same 30000 single-node"
is "$(qc -c "SELECT count(*) FROM orders WHERE defects IS NULL")" "0" \
  "every shard computed the verdict (generated column; postgres_fdw sends DEFAULT)"
is "$(qc -c "SELECT t.compare('SELECT order_id, defects FROM orders', 'SELECT order_id, defects FROM orders_single')")" \
  "30000 rows vs 30000 rows, 0 only sharded, 0 only single-node" \
  "the shards' verdicts equal the single-node verdicts"

# pushed QUERY DESCRIPTION [AGGREGATE]: every Remote SQL line (one per
# shard) ships the aggregate (odr_agg by default)
pushed() {
  local remote
  remote=$(qc -c "SELECT * FROM t.remote_sql(\$q\$$1\$q\$)")
  if [ "$(grep -c 'Remote SQL:' <<<"$remote")" = 2 ] && [ "$(grep -cF "${3:-odr_agg}(" <<<"$remote")" = 2 ]; then
    pass "$2"
  else
    fail "$2" "$(qc -c "SELECT * FROM t.plan(\$q\$$1\$q\$)")"
  fi
}
# not_pushed QUERY DESCRIPTION: both shards send raw rows (no odr_agg remotely)
not_pushed() {
  local remote
  remote=$(qc -c "SELECT * FROM t.remote_sql(\$q\$$1\$q\$)")
  if [ "$(grep -c 'Remote SQL:' <<<"$remote")" = 2 ] && ! grep -q 'odr_agg' <<<"$remote"; then
    pass "$2"
  else
    fail "$2" "$(qc -c "SELECT * FROM t.plan(\$q\$$1\$q\$)")"
  fi
}
# same SHARDED SINGLE DESCRIPTION: the same number of rows (not none), and
# no row of either missing from the other (EXCEPT ALL both ways)
same() {
  local got
  got=$(qc -c "SELECT t.compare(\$a\$$1\$a\$, \$b\$$2\$b\$)")
  like "$got" '^([1-9][0-9]*) rows vs \1 rows, 0 only sharded, 0 only single-node$' "$3"
}

# --------------------------------------------------------------------------
# a. per-seller month-end assessment, grouped by the partition key
# --------------------------------------------------------------------------
window="finished_on BETWEEN date '2026-10-31' - 89 AND date '2026-10-31'"
month_end_sharded="SELECT seller_id, s, odr_orders(s) AS orders, odr_rate(s) AS odr, odr_tier(s) AS tier
  FROM (SELECT seller_id, odr_agg(defects) AS s FROM orders WHERE $window GROUP BY seller_id) AS x"
month_end_single=${month_end_sharded//FROM orders /FROM orders_single }

plan_a=$(qc -c "SELECT * FROM t.plan(\$q\$$month_end_sharded\$q\$)")
pushed "$month_end_sharded" "a. month end per seller: odr_agg is in the Remote SQL of both shards"
remote_a=$(grep -m1 'Remote SQL:' <<<"$plan_a" | sed 's/^ *//')
echo "# $remote_a"
is "$(grep -c 'Async Foreign Scan' <<<"$plan_a")" 2 "a. both shards are Async Foreign Scans (async_capable)"
same "$month_end_sharded" "$month_end_single" "a. month end per seller (summary, orders, ODR, tier) equals single node"
tiers=$(qc -c "SELECT string_agg(tier || '=' || n, ' ' ORDER BY tier) FROM (SELECT tier, count(*) n FROM ($month_end_sharded) y GROUP BY tier) z")
echo "# tiers at 2026-10-31: $tiers"
like "$tiers" 'excellent=[1-9].*fail=[1-9]|fail=[1-9].*excellent=[1-9]' "a. the sample has sellers in several tiers"

# odr_tier(odr_agg(...)) in one SELECT: the aggregate is shipped, odr_tier
# (STABLE: it reads the coordinator's odr_policy) runs on the coordinator
one_level="SELECT seller_id, odr_rate(odr_agg(defects)) AS odr, odr_tier(odr_agg(defects)) AS tier
  FROM orders WHERE $window GROUP BY seller_id"
pushed "$one_level" "a. odr_tier(odr_agg(defects)): odr_agg shipped"
remote_tier=$(qc -c "SELECT * FROM t.remote_sql(\$q\$$one_level\$q\$)")
if grep -q 'odr_tier' <<<"$remote_tier"; then
  fail "a. odr_tier (STABLE, reads odr_policy) stays on the coordinator" "$remote_tier"
else
  pass "a. odr_tier (STABLE, reads odr_policy) stays on the coordinator"
fi
same "$one_level" "${one_level//FROM orders /FROM orders_single }" "a. odr_tier(odr_agg(defects)) equals single node"

# --------------------------------------------------------------------------
# b. what is not pushed: a non-IMMUTABLE argument; no "extensions" option
# --------------------------------------------------------------------------
classify="odr_classify(feedback_stars => feedback_stars, dsr_item => dsr_item,
    dsr_communication => dsr_communication, dsr_shipping => dsr_shipping,
    unshipped => %s, arbitration => arbitration, dispute_timeout => dispute_timeout,
    not_received_closed => inr_closed, arbitration_seller_responsible => seller_responsible,
    order_amount_usd => amount_usd)"
# classifying on the fly from IMMUTABLE expressions is still pushed
# shellcheck disable=SC2059
immutable_arg="SELECT seller_id, odr_agg($(printf "$classify" unshipped)) AS s FROM orders WHERE $window GROUP BY seller_id"
pushed "$immutable_arg" "b. odr_agg(odr_classify(<columns>)): an IMMUTABLE argument is pushed"
same "$immutable_arg" "${immutable_arg//FROM orders /FROM orders_single }" "b. ... and equals single node"
# date -> timestamptz depends on TimeZone: STABLE, so the shards send raw rows
# shellcheck disable=SC2059
stable_arg="SELECT seller_id, odr_agg($(printf "$classify" "odr_unshipped(ship_deadline, shipped_at, as_of => finished_on::timestamptz)")) AS s
  FROM orders WHERE $window GROUP BY seller_id"
not_pushed "$stable_arg" "b. odr_agg(odr_classify(... finished_on::timestamptz ...)): a STABLE argument is not pushed"
same "$stable_arg" "${stable_arg//FROM orders /FROM orders_single }" "b. ... and equals single node"
same "$stable_arg" "SELECT seller_id, odr_agg(defects) AS s FROM orders_single WHERE $window GROUP BY seller_id" \
  "b. ... and equals the stored verdicts (unshipped was computed the same way at load)"

qc -c "ALTER SERVER shard1 OPTIONS (DROP extensions)" -c "ALTER SERVER shard2 OPTIONS (DROP extensions)"
not_pushed "$month_end_sharded" "b. without the extensions option odr_agg is not pushed"
same "$month_end_sharded" "$month_end_single" "b. ... and equals single node"
qc -c "ALTER SERVER shard1 OPTIONS (ADD extensions 'odr')" -c "ALTER SERVER shard2 OPTIONS (ADD extensions 'odr')"
pushed "$month_end_sharded" "b. with extensions 'odr' back, pushed again"

# --------------------------------------------------------------------------
# c. per-(seller, day) summaries on the shards, windows on the coordinator
# --------------------------------------------------------------------------
daily="SELECT seller_id, finished_on AS day, odr_agg(defects) AS s FROM orders GROUP BY seller_id, finished_on"
pushed "$daily" "c. per (seller, day): odr_agg is in the Remote SQL of both shards"
same "$daily" "${daily//FROM orders /FROM orders_single }" "c. per (seller, day) summaries equal single node"

month_ends_sharded="WITH daily AS ($daily)
  SELECT w.as_of, d.seller_id, odr_rollup(d.s) AS s, odr_tier(odr_rollup(d.s)) AS tier
  FROM odr_assessment_windows('2025-11-01', '2026-10-31') AS w
  JOIN daily AS d ON d.day BETWEEN w.window_start AND w.window_end
  GROUP BY w.as_of, d.seller_id"
month_ends_single="SELECT w.as_of, o.seller_id, odr_agg(o.defects) AS s, odr_tier(odr_agg(o.defects)) AS tier
  FROM odr_assessment_windows('2025-11-01', '2026-10-31') AS w
  JOIN orders_single AS o ON o.finished_on BETWEEN w.window_start AND w.window_end
  GROUP BY w.as_of, o.seller_id"
pushed "$month_ends_sharded" "c. 12 month ends from per-day summaries: the per-day aggregate is pushed"
is "$(qc -c "SELECT count(DISTINCT as_of) FROM ($month_ends_sharded) x")" 12 "c. 12 month-end assessments"
same "$month_ends_sharded" "$month_ends_single" \
  "c. month ends rolled up on the coordinator (odr_rollup) equal odr_agg over the single-node orders"

history_sharded="WITH daily AS ($daily)
  SELECT seller_id, day, odr_rollup(s) OVER (PARTITION BY seller_id ORDER BY day
                                             RANGE BETWEEN '89 days' PRECEDING AND CURRENT ROW) AS s
  FROM daily"
history_single="SELECT DISTINCT seller_id, finished_on AS day,
         odr_agg(defects) OVER (PARTITION BY seller_id ORDER BY finished_on
                                RANGE BETWEEN '89 days' PRECEDING AND CURRENT ROW) AS s
  FROM orders_single"
pushed "$history_sharded" "c. daily 90-day history: the per-day aggregate is pushed"
same "$history_sharded" "$history_single" \
  "c. daily 90-day history (sliding odr_rollup over shard summaries) equals the sliding odr_agg over single-node orders"

# every month end in one pass on the shards: odr_agg_at with a constant array
months=$(qc -c "SELECT array_agg(d ORDER BY d)::text FROM odr_month_ends('2025-11-01', '2026-10-31') AS d")
at_sharded="SELECT a.as_of, x.seller_id, a.summary AS s, odr_tier(a.summary) AS tier
  FROM (SELECT seller_id, odr_agg_at(finished_on, defects, '$months'::date[], 90) AS assessed
        FROM orders GROUP BY seller_id) AS x,
       unnest(x.assessed) AS a
  WHERE odr_orders(a.summary) > 0"
# postgres_fdw ships an expression only when its result type is built in or
# a member of a listed extension; odr_agg_at returns odr_assessment[], an
# implicit array type, which is not itself a member of odr (pg_depend has
# only its internal dependency on odr_assessment)
at_member=$(qc -c "SELECT EXISTS (SELECT FROM pg_depend WHERE classid = 'pg_type'::regclass
                     AND objid = 'odr_assessment[]'::regtype AND deptype = 'e')")
if [ "$at_member" = f ]; then
  not_pushed "$at_sharded" "c. odr_agg_at(...) is not pushed: its result type odr_assessment[] is not a member of odr"
  same "$at_sharded" "$month_ends_single" "c. ... and its 12 month ends per seller equal single node"
  qc -c "ALTER EXTENSION odr ADD TYPE odr_assessment[]"
fi
pushed "$at_sharded" "c. with odr_assessment[] a member of odr, odr_agg_at(finished_on, defects, '{month ends}'::date[], 90) is pushed" odr_agg_at
same "$at_sharded" "$month_ends_single" "c. ... and its 12 month ends per seller equal single node"

# the marketplace engine over per-day tallies kept on the shards (issue 14):
# postgres_fdw ships an aggregate only when a collatable input comes from a
# column of the foreign table, so odr_assess_at(t, 'aliexpress', ...) (a text
# literal) is evaluated on the coordinator over every (seller, day) tally;
# odr_assess_at(t, as_of[]) (0.8.0: under the marketplace each tally names)
# has no collatable input, and with its result type odr_standing[] a member
# of odr the whole evaluation of the 12 month ends runs on the shards
for s in shard1 shard2; do
  sql $s -c "CREATE TABLE aliexpress_daily AS
    SELECT seller_id, finished_on AS day, odr_tally(odr_aliexpress_order(defects, finished_on), 'aliexpress', finished_on) AS t
    FROM orders GROUP BY seller_id, finished_on" >/dev/null
done
qc >/dev/null <<SQL
CREATE TABLE aliexpress_daily (seller_id int NOT NULL, day date NOT NULL, t odr_tally) PARTITION BY HASH (seller_id);
CREATE FOREIGN TABLE aliexpress_daily_shard1 PARTITION OF aliexpress_daily FOR VALUES WITH (MODULUS 3, REMAINDER 0)
    SERVER shard1 OPTIONS (table_name 'aliexpress_daily');
CREATE FOREIGN TABLE aliexpress_daily_shard2 PARTITION OF aliexpress_daily FOR VALUES WITH (MODULUS 3, REMAINDER 1)
    SERVER shard2 OPTIONS (table_name 'aliexpress_daily');
CREATE TABLE aliexpress_daily_local PARTITION OF aliexpress_daily FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO aliexpress_daily_local
    SELECT seller_id, finished_on, odr_tally(odr_aliexpress_order(defects, finished_on), 'aliexpress', finished_on)
    FROM orders_local GROUP BY seller_id, finished_on;
ANALYZE aliexpress_daily;
SQL
standings() { # the odr_assess_at call -> one row per seller and month end
  echo "SELECT x.seller_id, d.as_of, odr_level(s.s) AS level, odr_metric_value(s.s, 'odr') AS odr, s.s::text AS standing
  FROM (SELECT seller_id, $1 AS st FROM $2 GROUP BY seller_id) AS x,
       unnest(x.st) WITH ORDINALITY AS s(s, i), LATERAL (SELECT ('$months'::date[])[s.i] AS as_of) AS d"
}
standings_named=$(standings "odr_assess_at(t, 'aliexpress', '$months'::date[])" aliexpress_daily)
standings_sharded=$(standings "odr_assess_at(t, '$months'::date[])" aliexpress_daily)
standings_single=$(standings "odr_assess_at(odr_aliexpress_order(defects, finished_on), 'aliexpress', '$months'::date[])" orders_single)
remote=$(qc -c "SELECT * FROM t.remote_sql(\$q\$$standings_named\$q\$)")
if [ "$(grep -c 'Remote SQL:' <<<"$remote")" = 2 ] && ! grep -q 'odr_assess_at' <<<"$remote"; then
  pass "c. odr_assess_at(t, 'aliexpress', ...) over the shards' tallies is not pushed (a text literal's collation does not come from a foreign column): the tallies come back"
else
  fail "c. odr_assess_at(t, 'aliexpress', ...) over the shards' tallies is not pushed" "$remote"
fi
same "$standings_named" "$standings_single" "c. ... and its standings equal odr_assess_at over the single-node orders"
pushed "$standings_sharded" "c. odr_assess_at(t, '{month ends}'::date[]) (the tallies' own marketplace) over the shards' tallies is pushed" odr_assess_at
same "$standings_sharded" "$standings_single" "c. ... and every seller's 12 month-end standings equal odr_assess_at over the single-node orders"

# rows over the wire: pushed vs the same queries with partitionwise aggregation off
off="SET enable_partitionwise_aggregate = off"
rows() { qc -c "${2:-SELECT}" -c "SELECT t.wire_rows(\$q\$$1\$q\$)" | tail -1; }
# bytes of the text form (postgres_fdw fetches text): summaries are wider than verdicts
bytes() {
  local t=0 s
  for s in shard1 shard2; do t=$((t + $(sql $s -c "$1"))); done
  echo "$t"
}

a_push=$(rows "$month_end_sharded")
a_raw=$(rows "$month_end_sharded" "$off")
c_push=$(rows "$daily")
c_raw=$(rows "$daily" "$off")
m_push=$(rows "$month_ends_sharded")
m_raw=$(rows "$month_ends_sharded" "$off")
echo "# rows from shards (a. one month end per seller): pushdown $a_push, no pushdown $a_raw"
echo "# rows from shards (c. per seller and day, whole year): pushdown $c_push, no pushdown $c_raw"
echo "# rows from shards (c. 12 month ends via per-day summaries): pushdown $m_push, no pushdown $m_raw"
at_push=$(rows "$at_sharded")
at_raw=$(rows "$at_sharded" "$off")
echo "# rows from shards (c. 12 month ends via odr_agg_at): pushdown $at_push, no pushdown $at_raw"
groups="$(( $(sql shard1 -c 'SELECT count(*) FROM (SELECT DISTINCT seller_id, finished_on FROM orders) x') +
            $(sql shard2 -c 'SELECT count(*) FROM (SELECT DISTINCT seller_id, finished_on FROM orders) x') ))"
is "$c_push $c_raw" "$groups $(( ${on_shards% *} + ${on_shards#* } ))" \
  "c. pushed: one row per (seller, day) group on the shards; not pushed: every order on the shards"
a_groups="$(( $(sql shard1 -c "SELECT count(DISTINCT seller_id) FROM orders WHERE $window") +
              $(sql shard2 -c "SELECT count(DISTINCT seller_id) FROM orders WHERE $window") ))"
a_orders="$(( $(sql shard1 -c "SELECT count(*) FROM orders WHERE $window") +
              $(sql shard2 -c "SELECT count(*) FROM orders WHERE $window") ))"
is "$a_push $a_raw" "$a_groups $a_orders" \
  "a. pushed: one row per seller on the shards; not pushed: every order of the window on the shards"
b_push=$(bytes "SELECT sum(octet_length(seller_id::text) + octet_length(day::text) + octet_length(s::text))
                FROM (SELECT seller_id, finished_on AS day, odr_agg(defects) AS s FROM orders GROUP BY 1, 2) x")
b_raw=$(bytes "SELECT sum(octet_length(seller_id::text) + octet_length(finished_on::text) + octet_length(defects::text)) FROM orders")
echo "# text bytes from shards (c. per seller and day): pushdown $b_push, no pushdown $b_raw"
ba_push=$(bytes "SELECT sum(octet_length(seller_id::text) + octet_length(s::text))
                 FROM (SELECT seller_id, odr_agg(defects) AS s FROM orders WHERE $window GROUP BY 1) x")
ba_raw=$(bytes "SELECT sum(octet_length(seller_id::text) + octet_length(defects::text)) FROM orders WHERE $window")
echo "# text bytes from shards (a. one month end per seller): pushdown $ba_push, no pushdown $ba_raw"
b_at=$(bytes "SELECT sum(octet_length(seller_id::text) + octet_length(a::text))
              FROM (SELECT seller_id, odr_agg_at(finished_on, defects, '$months'::date[], 90) AS a FROM orders GROUP BY 1) x")
echo "# text bytes from shards (c. 12 month ends via odr_agg_at): pushdown $b_at, no pushdown $b_raw"

# --------------------------------------------------------------------------
# d. grouped by something else than the partition key
# --------------------------------------------------------------------------
by_day="SELECT finished_on, odr_agg(defects) AS s FROM orders GROUP BY finished_on"
not_pushed "$by_day" "d. GROUP BY finished_on (not the partition key): not pushed on PostgreSQL 15 (partial aggregation on the coordinator)"
plan_d=$(qc -c "SELECT * FROM t.plan(\$q\$$by_day\$q\$)")
like "$plan_d" 'Partial (Hash|Group)Aggregate' "d. ... the plan aggregates each partition partially on the coordinator"
same "$by_day" "${by_day//FROM orders /FROM orders_single }" "d. ... and equals single node"
by_day_rollup="SELECT day, odr_rollup(s) AS s FROM ($daily) AS d GROUP BY day"
pushed "$by_day_rollup" "d. the way round it: per (seller, day) pushed, odr_rollup per day on the coordinator"
same "$by_day_rollup" "${by_day//FROM orders /FROM orders_single }" "d. ... and equals single node"
d_raw=$(rows "$by_day")
d_push=$(rows "$by_day_rollup")
echo "# rows from shards (d. per day): GROUP BY finished_on $d_raw, per (seller, day) then odr_rollup $d_push"

# --------------------------------------------------------------------------
# e. the version guard: odr_check_shards()
# --------------------------------------------------------------------------
is "$(qc -c "SELECT string_agg(format('%s %s %s %s', server, local_version, remote_version, odr_schema), '; ' ORDER BY server) FROM odr_check_shards()")" \
  "shard1 $v $v public; shard2 $v $v public" \
  "e. odr_check_shards() passes: both shards have odr $v in public"

# a server listing other extensions is not checked (not even connected to)
qc -c "CREATE SERVER elsewhere FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '1', extensions 'plpgsql')"
is "$(qc -c "SELECT count(*) FROM odr_check_shards()")" 2 "e. servers whose extensions option does not list odr are not checked"

# scratch databases on the shards: no odr; odr reporting another version;
# odr in another schema
sql shard1 -c "CREATE DATABASE without_odr" -c "CREATE DATABASE odr_elsewhere"
sql shard2 -c "CREATE DATABASE old_odr"
DB=old_odr sql shard2 <<'SQL'
CREATE EXTENSION odr;
UPDATE pg_catalog.pg_extension SET extversion = '0.0.9' WHERE extname = 'odr';  -- an older install, simulated
CREATE TABLE orders (seller_id int, defects odr_defects);
INSERT INTO orders VALUES (1, '{negative_feedback} feedback=1'), (1, '{}');
SQL
DB=odr_elsewhere sql shard1 <<'SQL'
CREATE SCHEMA odr_ext;
CREATE EXTENSION odr SCHEMA odr_ext;
CREATE TABLE orders (seller_id int, defects odr_ext.odr_defects);
INSERT INTO orders VALUES (1, '{}');
SQL
qc <<SQL
CREATE SERVER shard_without_odr FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host '127.0.0.1', port '$shard1_port', dbname 'without_odr', extensions 'plpgsql, ODR');
CREATE USER MAPPING FOR postgres SERVER shard_without_odr OPTIONS (user 'postgres');
SQL
err=$(qc -c "SELECT t.error_of('SELECT * FROM odr_check_shards()')")
echo "# $err"
like "$err" '^55000: odr version mismatch: foreign server "shard_without_odr" has no odr installed, this database has odr '"$ve" \
  "e. a server without odr: 55000 naming the server and both versions (its extensions 'plpgsql, ODR' parsed as postgres_fdw does)"

qc <<SQL
CREATE SERVER shard_old_odr FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host '127.0.0.1', port '$shard2_port', dbname 'old_odr', extensions 'odr');
CREATE USER MAPPING FOR postgres SERVER shard_old_odr OPTIONS (user 'postgres');
CREATE FOREIGN TABLE probe_old (seller_id int, defects odr_defects) SERVER shard_old_odr OPTIONS (table_name 'orders');
SQL
err=$(qc -c "SELECT t.error_of('SELECT * FROM odr_check_shards()')")
echo "# $err"
like "$err" '^55000: odr version mismatch: foreign server "shard_old_odr" has odr 0\.0\.9, this database has odr '"$ve" \
  "e. a server with another odr version: 55000 naming the server and both versions"
like "$err" ' / .*"shard_old_odr": odr 0\.0\.9; "shard_without_odr": odr not installed\.$' \
  "e. two differing servers: the first is named, the detail lists both"
probe_old="SELECT seller_id, odr_orders(odr_agg(defects)), odr_defective(odr_agg(defects)) FROM probe_old GROUP BY seller_id"
pushed_old=$(qc -c "SELECT * FROM t.remote_sql(\$q\$$probe_old\$q\$)")
is "$(qc -c "$probe_old")|$(grep -c 'odr_agg(' <<<"$pushed_old")" "1|2|1|1" \
  "e. postgres_fdw itself checks nothing: odr_agg is shipped to the server with odr 0.0.9 and runs"
qc -c "DROP SERVER shard_without_odr CASCADE" -c "DROP SERVER shard_old_odr CASCADE"

qc <<SQL
CREATE SERVER shard_odr_elsewhere FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host '127.0.0.1', port '$shard1_port', dbname 'odr_elsewhere', extensions 'odr');
CREATE USER MAPPING FOR postgres SERVER shard_odr_elsewhere OPTIONS (user 'postgres');
CREATE FOREIGN TABLE probe_elsewhere (seller_id int, defects odr_defects)
    SERVER shard_odr_elsewhere OPTIONS (table_name 'orders');
SQL
err=$(qc -c "SELECT t.error_of('SELECT seller_id, odr_agg(defects) FROM probe_elsewhere GROUP BY 1')")
echo "# pushed to odr in another schema: $err"
like "$err" 'function public\.odr_agg\(odr_ext\.odr_defects\) does not exist' \
  "e. why the schema matters: the shipped query names public.odr_agg, missing where odr is in another schema"
err=$(qc -c "SELECT t.error_of('SELECT * FROM odr_check_shards()')")
echo "# $err"
like "$err" '^55000: odr schema mismatch: foreign server "shard_odr_elsewhere" has odr '"$ve"' in schema "odr_ext", this database has it in schema "public"' \
  "e. odr in another schema on a server: 55000 naming the server and both schemas"
qc -c "DROP SERVER shard_odr_elsewhere CASCADE"

# a server it cannot read: the error names it (SQLSTATE kept)
qc <<SQL
CREATE SERVER shard_unmapped FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host '127.0.0.1', port '$shard1_port', dbname 'postgres', extensions 'odr');
SQL
err=$(qc -c "SELECT t.error_of('SELECT * FROM odr_check_shards()')")
echo "# $err"
like "$err" '^42704: cannot check odr on foreign server "shard_unmapped": user mapping not found' \
  "e. a server without a user mapping: the error names the server"
qc -c "DROP SERVER shard_unmapped"

# not a superuser: USAGE on the servers and a user mapping are enough
qc <<'SQL'
CREATE ROLE analyst;
GRANT USAGE ON FOREIGN SERVER shard1, shard2 TO analyst;
CREATE USER MAPPING FOR analyst SERVER shard1 OPTIONS (user 'postgres', password_required 'false');
CREATE USER MAPPING FOR analyst SERVER shard2 OPTIONS (user 'postgres', password_required 'false');
SQL
is "$(qc -c "SET ROLE analyst" -c "SELECT string_agg(server || ' ' || remote_version, '; ' ORDER BY server) FROM odr_check_shards()")" \
  "shard1 $v; shard2 $v" "e. a non-superuser with USAGE on the servers and a user mapping can run the check"
is "$(qc -c "SELECT count(*) FROM odr_check_shards()" -c "SELECT count(*) FROM odr_check_shards()" \
         -c "SELECT to_regclass('pg_temp.odr_remote_extension') IS NULL AND to_regclass('pg_temp.odr_remote_namespace') IS NULL" | tr '\n' ' ')" \
  "2 2 t " "e. the check runs twice in a session and leaves no foreign table behind"
is "$(qc -c "SELECT string_agg(server::text, ' ' ORDER BY server) FROM odr_check_shards()")" "shard1 shard2" \
  "e. with the odd servers gone, the check passes again"

# --------------------------------------------------------------------------
# f. async_capable: the shards work at the same time
# --------------------------------------------------------------------------
qc <<'SQL'
CREATE TABLE orders_slow (seller_id int NOT NULL, finished_on date NOT NULL, defects odr_defects) PARTITION BY HASH (seller_id);
CREATE FOREIGN TABLE orders_slow_shard1 PARTITION OF orders_slow FOR VALUES WITH (MODULUS 3, REMAINDER 0)
    SERVER shard1 OPTIONS (table_name 'orders_slow');
CREATE FOREIGN TABLE orders_slow_shard2 PARTITION OF orders_slow FOR VALUES WITH (MODULUS 3, REMAINDER 1)
    SERVER shard2 OPTIONS (table_name 'orders_slow');
CREATE TABLE orders_slow_local PARTITION OF orders_slow FOR VALUES WITH (MODULUS 3, REMAINDER 2);
SQL
slow="SELECT seller_id, odr_agg(defects) FROM orders_slow GROUP BY seller_id"
pushed "$slow" "f. the slow query is pushed too"
# (the connections to the shards are opened first, then the query is timed)
warm="SELECT count(*) FROM (SELECT 1 FROM orders_shard1 LIMIT 1) a, (SELECT 1 FROM orders_shard2 LIMIT 1) b"
slow_async=$(qc -c "$warm" -c "SELECT t.seconds('$slow')" | tail -1)
slow_sync=$(qc -c "ALTER FOREIGN TABLE orders_slow_shard1 OPTIONS (ADD async_capable 'false')" \
               -c "ALTER FOREIGN TABLE orders_slow_shard2 OPTIONS (ADD async_capable 'false')" \
               -c "$warm" -c "SELECT t.seconds('$slow')" | tail -1)
echo "# two shards each working 0.5 s: ${slow_async} s with async_capable, ${slow_sync} s without"
if awk -v a="$slow_async" -v s="$slow_sync" 'BEGIN { exit !(a < 0.9 && s >= 1.0) }'; then
  pass "f. with async_capable both shards work at once (about 0.5 s, not 1 s)"
else
  fail "f. with async_capable both shards work at once (about 0.5 s, not 1 s)" "async $slow_async s, sync $slow_sync s"
fi

echo "1..$n"
echo "# $n tests, $failed failed, ${SECONDS}s"
[ "$failed" -eq 0 ]
