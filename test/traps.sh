#!/usr/bin/env bash
# odr is a trusted extension: its install and update scripts run as the
# bootstrap superuser with the installer's schema on the search_path (README:
# Security).  This test is the attacker: a role that is not a superuser but
# owns a database plants, in public and in the schema odr goes into, an
# exact-match operator for every operator over every pair of numeric, text,
# date and timestamp types and a function or aggregate shadowing every
# built-in odr's SQL calls (test/traps/plant.sql; each records that it ran and,
# run by a superuser, makes the attacker one).  Then, as that role:
#   1. CREATE EXTENSION odr into public, then every function, aggregate, view,
#      warehouse, refresh and report (test/traps/exercise.sql);
#   2. the same with odr in a schema of the attacker's;
#   3. CREATE EXTENSION odr VERSION '0.1.0' before the traps, then ALTER
#      EXTENSION odr UPDATE along the whole chain with them;
#   4. repair: 0.4.0 installed with the traps planted (they run: the hole this
#      test was written for), then the update to the current release rebinds
#      everything: no trap runs afterwards;
#   5. the install scripts of earlier releases are not installed (a database
#      owner could otherwise install a captured one).
# Pass: no trap ever runs from odr's code, nothing of odr's is bound to a
# trap, the results equal those of a database without traps, and no role
# gained a privilege.  TAP output.  Needs a running server (PG* variables,
# a superuser) with odr installed (make install) and write access to the
# extension directory (it installs the earlier releases' scripts for 3 and 4
# and removes them at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
. test/releases.sh
tmp=$(mktemp -d /tmp/odr-traps.XXXXXX)
chmod 755 "$tmp"
dbs="odr_traps_ref odr_traps_clean odr_traps_public odr_traps_schema odr_traps_chain odr_traps_repair"
cleanup() {
  releases_remove
  for db in $dbs; do q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true; done
  q -d postgres -c "DROP ROLE IF EXISTS odr_attacker" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
# The harness's own statements see pg_catalog only: in these databases any
# other schema is full of traps (a superuser's query that met one would make
# the attacker a superuser, as the traps intend).
q() { PGOPTIONS="-c client_min_messages=warning -c search_path=pg_catalog,pg_temp" psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }
as_attacker() { PGUSER=odr_attacker q "$@"; }
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1"; echo "# got:      $2" | head -40; echo "# expected: $3"; fi; }

newest=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" odr.control)
roles_sql="SELECT string_agg(format('%s super=%s createrole=%s createdb=%s replication=%s bypassrls=%s', rolname, rolsuper,
                                    rolcreaterole, rolcreatedb, rolreplication, rolbypassrls), E'\n' ORDER BY rolname)
           FROM pg_roles WHERE rolname !~ '^pg_'"
members_sql="SELECT coalesce(string_agg(roleid::regrole || '>' || member::regrole, ',' ORDER BY 1), '-') FROM pg_auth_members"

for db in $dbs; do q -d postgres -c "DROP DATABASE IF EXISTS $db"; done
q -d postgres -c "DROP ROLE IF EXISTS odr_attacker" \
  -c "CREATE ROLE odr_attacker LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE"
for db in $dbs; do q -d postgres -c "CREATE DATABASE $db OWNER odr_attacker"; done
roles_before=$(q -d postgres -c "$roles_sql"; q -d postgres -c "$members_sql")

# The built-ins odr's SQL calls, from a clean install with a warehouse of
# each kind (a date column and a timestamptz one in a zone).
q -d odr_traps_ref >/dev/null <<'SQL'
SET search_path = public, pg_catalog;
CREATE EXTENSION odr;
CREATE TABLE o AS SELECT g AS id, 'shop-' || g % 5 AS seller, date '2026-08-01' + g % 92 AS day,
                         timestamptz '2026-08-01 12:00+08' + (g % 92) * interval '1 day' AS at,
                         odr_classify(feedback_stars => 1 + g % 5) AS defects
                  FROM generate_series(1, 500) g;
SELECT count(*) FROM odr_create_warehouse('o', 'seller', 'day', 'defects');
SELECT count(*) FROM odr_create_warehouse('o', 'seller', 'at', 'defects', prefix => 'tz_', time_zone => 'Asia/Shanghai');
SQL
functions=$(q -d odr_traps_ref -f test/traps/calls.sql)
echo "# built-ins odr calls: $functions"
check "odr's SQL calls built-ins (the list the traps shadow is not empty)" \
  "$([ "$(echo "$functions" | tr ',' '\n' | wc -l)" -gt 15 ] && echo yes)" yes

plant() {  # plant DB SCHEMA
  as_attacker -d "$1" -v schema="$2" -v functions="$functions" -f test/traps/plant.sql 2>&1 | sed -n 's/^.*WARNING:  /# /p'
}
# hits from odr's code: a call stack with a frame of odr (not of the traps)
hits_sql="SELECT count(*) FROM public.odr_trap_log l
          WHERE EXISTS (SELECT 1 FROM regexp_split_to_table(l.context, E'\n') AS f WHERE f ~ 'odr_' AND f !~ 'odr_trap')"
all_hits_sql="SELECT count(*) FROM public.odr_trap_log"
hit_list_sql="SELECT string_agg(DISTINCT trap || ' run by ' || run_by || ' from ' || coalesce(nullif(regexp_replace(context, E'^(.*\n)?[^\n]*odr_trap[^\n]*\n?', ''), ''), 'the statement'), E'\n')
              FROM public.odr_trap_log l
              WHERE l.superuser OR EXISTS (SELECT 1 FROM regexp_split_to_table(l.context, E'\n') AS f WHERE f ~ 'odr_' AND f !~ 'odr_trap')"
# anything bound to a trap but the traps themselves (operator -> function,
# aggregate -> transition function)
traps_cte="traps AS (
             SELECT x.classid, x.oid FROM (
               SELECT 'pg_proc'::regclass AS classid, p.oid FROM pg_proc p WHERE p.proowner = 'odr_attacker'::regrole
               UNION ALL SELECT 'pg_operator'::regclass, o.oid FROM pg_operator o WHERE o.oprowner = 'odr_attacker'::regrole) AS x
             WHERE NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = x.classid AND e.objid = x.oid AND e.deptype = 'e'))"
bound_sql="WITH $traps_cte
           SELECT coalesce(string_agg(DISTINCT pg_describe_object(d.classid, d.objid, d.objsubid) || ' -> ' ||
                                      pg_describe_object(d.refclassid, d.refobjid, 0), E'\n'), '')
           FROM pg_depend d JOIN traps t ON d.refclassid = t.classid AND d.refobjid = t.oid
           WHERE NOT EXISTS (SELECT 1 FROM traps s WHERE s.classid = d.classid AND s.oid = d.objid)"
# the warehouse's objects and odr's own, bound to a trap (after the exercise,
# when the user's own sample objects exist too)
odr_bound_sql="WITH $traps_cte,
           odr AS (
             SELECT d.classid, d.objid FROM pg_depend d JOIN pg_extension e ON d.refclassid = 'pg_extension'::regclass
                                                       AND d.refobjid = e.oid AND e.extname = 'odr' AND d.deptype = 'e'
             UNION ALL SELECT 'pg_rewrite'::regclass, r.oid FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
                       WHERE c.relname ~ '^(trap|traptz)_')
           SELECT coalesce(string_agg(DISTINCT pg_describe_object(d.classid, d.objid, d.objsubid) || ' -> ' ||
                                      pg_describe_object(d.refclassid, d.refobjid, 0), E'\n'), '')
           FROM pg_depend d JOIN traps t ON d.refclassid = t.classid AND d.refobjid = t.oid
           JOIN odr ON odr.classid = d.classid AND odr.objid = d.objid"

exercise() {  # exercise DB [search_path] > output
  PGOPTIONS="-c client_min_messages=warning${2:+ -c search_path=$2}" PGUSER=odr_attacker \
    psql -X -q -v ON_ERROR_STOP=1 -d "$1" -f test/traps/exercise.sql 2>&1
}

# the reference results, without traps
as_attacker -d odr_traps_clean -c "CREATE EXTENSION odr SCHEMA public"
exercise odr_traps_clean >"$tmp/clean.out" || true
check "the exercise runs on a database without traps" "$(grep -c 'ERROR' "$tmp/clean.out" || true)" "0"

# 1. odr into public, traps in public
plant odr_traps_public public
check "traps are planted in public ($(as_attacker -d odr_traps_public -c "SELECT count(*) FROM pg_operator WHERE oprowner = 'odr_attacker'::regrole") operators, $(as_attacker -d odr_traps_public -c "SELECT count(*) FROM pg_proc WHERE proowner = 'odr_attacker'::regrole AND proname !~ '^odr_trap'") functions and aggregates)" \
  "$(as_attacker -d odr_traps_public -c "SELECT count(*) > 1000 FROM pg_operator WHERE oprowner = 'odr_attacker'::regrole")" t
as_attacker -d odr_traps_public -c "CREATE EXTENSION odr SCHEMA public"
check "CREATE EXTENSION odr by the attacker runs no trap" \
  "$(as_attacker -d odr_traps_public -c "$all_hits_sql")" "0"
check "nothing of odr is bound to a trap after CREATE EXTENSION" "$(q -d odr_traps_public -c "$bound_sql")" ""
exercise odr_traps_public >"$tmp/public.out" || true
check "every function, aggregate, view, warehouse and report runs no trap from odr's code" \
  "$(as_attacker -d odr_traps_public -c "$hits_sql")" "0"
check "nothing of odr's or of the warehouses is bound to a trap after the exercise" "$(q -d odr_traps_public -c "$odr_bound_sql")" ""
if diff -u "$tmp/clean.out" "$tmp/public.out" >"$tmp/public.diff"; then
  ok "the results equal those of a database without traps ($(wc -l <"$tmp/clean.out") lines)"
else
  notok "the results differ from those of a database without traps"; sed 's/^/# /' "$tmp/public.diff" | head -40
fi

# 2. odr into a schema of the attacker's, traps there and in public
as_attacker -d odr_traps_schema -c "CREATE SCHEMA trap_target"
plant odr_traps_schema public
plant odr_traps_schema trap_target
PGOPTIONS="-c client_min_messages=warning -c search_path=trap_target,public" PGUSER=odr_attacker \
  psql -X -q -v ON_ERROR_STOP=1 -d odr_traps_schema -c "CREATE EXTENSION odr SCHEMA trap_target"
check "CREATE EXTENSION odr SCHEMA trap_target (the attacker's, full of traps) runs no trap" \
  "$(as_attacker -d odr_traps_schema -c "$all_hits_sql")" "0"
check "nothing of odr is bound to a trap there" "$(q -d odr_traps_schema -c "$bound_sql")" ""
exercise odr_traps_schema trap_target,public >"$tmp/schema.out" || true
check "the exercise with odr in the attacker's schema runs no trap from odr's code" \
  "$(as_attacker -d odr_traps_schema -c "$hits_sql")" "0"
check "... and binds nothing of odr's to a trap" "$(q -d odr_traps_schema -c "$odr_bound_sql")" ""
if diff -u "$tmp/clean.out" "$tmp/schema.out" >"$tmp/schema.diff"; then
  ok "... with the results of a database without traps"
else
  notok "the results in the attacker's schema differ"; sed 's/^/# /' "$tmp/schema.diff" | head -40
fi

# 5. (first: before the releases' scripts are copied in) no earlier release
# can be installed
check "an earlier release cannot be installed (its install script is not shipped)" \
  "$(as_attacker -d odr_traps_repair -c "SELECT count(*) FROM pg_available_extension_versions WHERE name = 'odr' AND version <> '$newest'")" "0"
releases_install

# 3. the whole update chain with the traps planted
oldest=$(q -d postgres -c "SELECT version FROM pg_available_extension_versions WHERE name = 'odr'
                           ORDER BY string_to_array(version, '.')::int[] LIMIT 1")
path=$(q -d postgres -c "SELECT path FROM pg_extension_update_paths('odr') WHERE source = '$oldest' AND target = '$newest'")
as_attacker -d odr_traps_chain -c "CREATE EXTENSION odr SCHEMA public VERSION '$oldest'"
plant odr_traps_chain public
for v in $(echo "$path" | sed 's/--/ /g' | cut -d' ' -f2-); do
  as_attacker -d odr_traps_chain -c "ALTER EXTENSION odr UPDATE TO '$v'"
  check "ALTER EXTENSION odr UPDATE TO '$v' by the attacker runs no trap" \
    "$(as_attacker -d odr_traps_chain -c "$all_hits_sql")" "0"
done
check "nothing of odr is bound to a trap after the chain $path" "$(q -d odr_traps_chain -c "$bound_sql")" ""

# 4. repair: 0.4.0 captured, then updated
plant odr_traps_repair public
as_attacker -d odr_traps_repair -c "CREATE EXTENSION odr SCHEMA public VERSION '0.4.0'"
captured=$(as_attacker -d odr_traps_repair -c "$all_hits_sql")
check "the traps catch 0.4.0's install script ($captured runs as superuser; the hole this test guards)" \
  "$(as_attacker -d odr_traps_repair -c "SELECT count(*) > 0 FROM public.odr_trap_log WHERE superuser")" t
check "... and the attacker became superuser through it" \
  "$(q -d postgres -c "SELECT rolsuper FROM pg_roles WHERE rolname = 'odr_attacker'")" t
q -d postgres -c "ALTER ROLE odr_attacker NOSUPERUSER"
check "0.4.0 left constraints and bodies bound to the traps" \
  "$([ -n "$(q -d odr_traps_repair -c "$bound_sql")" ] && echo yes)" yes
q -d odr_traps_repair -c "TRUNCATE public.odr_trap_log"
as_attacker -d odr_traps_repair -c "ALTER EXTENSION odr UPDATE"
check "the update of a captured 0.4.0 to $newest runs no trap" "$(as_attacker -d odr_traps_repair -c "$all_hits_sql")" "0"
check "the update rebinds every captured constraint and body: nothing is bound to a trap" \
  "$(q -d odr_traps_repair -c "$bound_sql")" ""
exercise odr_traps_repair >"$tmp/repair.out" || true
check "after the update, every function, aggregate, view, warehouse and report runs no trap from odr's code" \
  "$(as_attacker -d odr_traps_repair -c "$hits_sql")" "0"
if diff -u "$tmp/clean.out" "$tmp/repair.out" >"$tmp/repair.diff"; then
  ok "... with the results of a fresh install without traps"
else
  notok "the results after the repair differ"; sed 's/^/# /' "$tmp/repair.diff" | head -40
fi

roles_after=$(q -d postgres -c "$roles_sql"; q -d postgres -c "$members_sql")
check "no role gained a privilege (attributes and memberships as before)" "$roles_after" "$roles_before"
for db in odr_traps_public odr_traps_schema odr_traps_chain odr_traps_repair; do
  h=$(q -d $db -c "$hit_list_sql")
  [ -z "$h" ] || { echo "# traps run in $db as a superuser or from odr's code:"; echo "$h" | sort -u | head -20 | sed 's/^/#   /'; }
done
echo "1..$n"
