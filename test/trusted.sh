#!/usr/bin/env bash
# odr is a trusted extension (README: Security): a role that is not a
# superuser but may CREATE in a database installs it, owns it, writes its own
# policies, builds a warehouse and drops it again; another role only reads.
# It cannot install an earlier release (their install scripts are not
# shipped); it can update one that is installed, which the test installs from
# the frozen copies in test/upgrade/releases (test/releases.sh; copied into
# the extension directory for the test and removed at the end).
# TAP output. Needs a running server (PG* variables) with odr installed, and
# write access to the extension directory of PG_CONFIG.
set -euo pipefail
db=odr_trusted
. "$(dirname "$0")/releases.sh"
trap releases_remove EXIT
trap 'exit 1' HUP INT TERM
q() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }
n=0
check() {
  n=$((n + 1))
  if [ "$2" = "$3" ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; echo "# got:      $2"; echo "# expected: $3"; fi
}
# the SQLSTATE of a statement run as a role (or "ok")
state_as() {
  local role=$1 sql=$2
  q -d $db -c "SET ROLE $role" -c "DO \$do\$ BEGIN EXECUTE \$s\$$sql\$s\$; RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'ok'; EXCEPTION WHEN OTHERS THEN RAISE WARNING '%', CASE WHEN SQLERRM = 'ok' THEN 'ok' ELSE SQLSTATE END; END \$do\$" 2>&1 \
    | sed -n 's/^WARNING:  //p'
}

q -d postgres -c "DROP DATABASE IF EXISTS $db" \
  -c "DROP ROLE IF EXISTS odr_dbowner" -c "DROP ROLE IF EXISTS odr_reader" \
  -c "CREATE ROLE odr_dbowner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE" \
  -c "CREATE ROLE odr_reader NOSUPERUSER" \
  -c "CREATE DATABASE $db OWNER odr_dbowner"
q -d $db -c "GRANT CREATE, USAGE ON SCHEMA public TO odr_dbowner" -c "GRANT USAGE ON SCHEMA public TO odr_reader"

check "it cannot install an earlier release: make install ships no old install script (22023)" \
  "$(state_as odr_dbowner "CREATE EXTENSION odr VERSION '0.1.0'")" "22023"
check "a non-superuser that owns the database can CREATE EXTENSION odr" \
  "$(state_as odr_dbowner "CREATE EXTENSION odr")" "ok"
# the DO block above rolled back; install for real
q -d $db -c "SET ROLE odr_dbowner" -c "CREATE EXTENSION odr"
check "the extension belongs to the installing role" \
  "$(q -d $db -c "SELECT extowner::regrole FROM pg_extension WHERE extname = 'odr'")" "odr_dbowner"
check "its objects belong to the bootstrap superuser, so the role cannot redefine them" \
  "$(state_as odr_dbowner "CREATE OR REPLACE FUNCTION odr_rate(odr_summary) RETURNS float8 LANGUAGE sql AS 'SELECT 0::float8'")" "42501"
check "the installing role may add a policy of its own" \
  "$(state_as odr_dbowner "INSERT INTO odr_policy (name, excellent_below, good_below, pass_below) VALUES ('mine', 0.01, 0.02, 0.03)")" "ok"
q -d $db -c "SET ROLE odr_dbowner" -c "INSERT INTO odr_policy (name, excellent_below, good_below, pass_below) VALUES ('mine', 0.01, 0.02, 0.03)" \
  -c "INSERT INTO odr_policy_condition (policy, tier, metric, bound, value) VALUES ('mine', 'excellent', 'orders', 'min', 200)"
check "... and change and grade with it" \
  "$(q -d $db -c "SET ROLE odr_dbowner" -c "UPDATE odr_policy SET pass_below = 0.04 WHERE name = 'mine'" -c "SELECT odr_tier('(orders=100,defective=3,unshipped=3)'::odr_summary, 'mine')")" "pass"
check "the installing role may add a star policy of its own" \
  "$(state_as odr_dbowner "INSERT INTO odr_star_policy (name, w_on_time_rate, w_response_rate, w_quality_refund_rate, w_refund_hours, w_dispute_rate) VALUES ('mine', 0.2, 0.2, 0.2, 0.2, 0.2)")" "ok"
check "another role cannot add a star policy (42501)" \
  "$(state_as odr_reader "INSERT INTO odr_star_policy (name, w_on_time_rate, w_response_rate, w_quality_refund_rate, w_refund_hours, w_dispute_rate) VALUES ('theirs', 0.2, 0.2, 0.2, 0.2, 0.2)")" "42501"
check "but not change a built-in policy (55000)" \
  "$(state_as odr_dbowner "UPDATE odr_policy SET pass_below = 0.5 WHERE name = 'aliexpress'")" "55000"
check "nor TRUNCATE the policies (42501: TRUNCATE is not granted; the superuser meets the 55000 guard)" \
  "$(state_as odr_dbowner "TRUNCATE odr_policy_condition")" "42501"
check "another role reads the policies" \
  "$(q -d $db -c "SET ROLE odr_reader" -c "SELECT string_agg(name, ',' ORDER BY name) FROM odr_policy")" "aliexpress,mine"
check "another role cannot add a policy (42501)" \
  "$(state_as odr_reader "INSERT INTO odr_policy (name, excellent_below, good_below, pass_below) VALUES ('theirs', 0.01, 0.02, 0.03)")" "42501"
check "another role cannot change the owner's policy (42501)" \
  "$(state_as odr_reader "UPDATE odr_policy SET pass_below = 0.9 WHERE name = 'mine'")" "42501"
check "another role cannot delete a condition (42501)" \
  "$(state_as odr_reader "DELETE FROM odr_policy_condition")" "42501"
q -d $db >/dev/null <<'SQL'
SET ROLE odr_dbowner;
CREATE TABLE orders AS
SELECT g AS id, g % 7 AS seller, date '2026-08-01' + g % 92 AS day,
       odr_classify(feedback_stars => 1 + g % 5, unshipped => g % 17 = 0) AS defects
FROM generate_series(1, 3000) g;
SELECT count(*) FROM odr_create_warehouse('orders', 'seller', 'day', 'defects', policy => 'mine');
SQL
check "the installing role builds a warehouse with its own policy" \
  "$(q -d $db -c "SET ROLE odr_dbowner" -c "SELECT count(*) FROM odr_month_end WHERE tier IS NOT NULL")" \
  "$(q -d $db -c "SELECT count(*) FROM odr_month_end")"
check "the warehouse's views belong to the installing role" \
  "$(q -d $db -c "SELECT string_agg(DISTINCT relowner::regrole::text, ',') FROM pg_class WHERE relname LIKE 'odr\_%' AND relkind IN ('v', 'm')")" "odr_dbowner"
check "the user policy is in a dump made by the installing role" \
  "$(PGUSER=odr_dbowner "$("${PG_CONFIG:-pg_config}" --bindir)/pg_dump" -d $db --data-only -t odr_policy | grep -c "^mine")" "1"
releases_install   # the install script of 0.1.0, for the update below (test/releases.sh)
check "the installing role can update an earlier release and drop the extension" \
  "$(q -d $db -c "SET ROLE odr_dbowner" -c "DROP EXTENSION odr CASCADE" -c "CREATE EXTENSION odr VERSION '0.1.0'" -c "ALTER EXTENSION odr UPDATE" -c "SELECT extversion FROM pg_extension WHERE extname = 'odr'")" \
  "$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" "$(dirname "$0")/../odr.control")"
check "an unprivileged role without CREATE on the database cannot install odr (42501)" \
  "$(q -d $db -c "SET ROLE odr_dbowner" -c "DROP EXTENSION odr CASCADE" >/dev/null; state_as odr_reader "CREATE EXTENSION odr")" "42501"

echo "1..$n"
q -d postgres -c "DROP DATABASE $db" -c "DROP ROLE odr_dbowner" -c "DROP ROLE odr_reader"
