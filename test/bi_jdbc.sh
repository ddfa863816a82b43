#!/usr/bin/env bash
# pgJDBC reads the odr_scorecard view the way a BI tool does (TAP output):
# every column, as DatabaseMetaData.getColumns and as ResultSetMetaData
# describe it, has a standard JDBC type (and a plain server type: no
# odr_summary, no enum), and the rows, sums and NULLs it fetches agree with
# psql. A view with an odr_summary column is checked too, and must be
# flagged (so the check is known to be able to fail).
#
# Needs a running server given by the PG* variables (PGHOST/PGPORT/PGUSER;
# it must listen on 127.0.0.1 too, with trust or a password-less login for
# PGUSER over TCP) with odr installed, Debian's libpostgresql-jdbc-java and
# a Java runtime, 11 or newer (test/bi/JdbcColumns.java runs as a source
# file: no build step). No java is a failure, not a skip. Creates the
# database $ODR_BI_DB (default odr_bi_jdbc) and drops it at the end.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
BI_DB=${ODR_BI_DB:-odr_bi_jdbc}
. test/bi/common.sh
JAR=${PGJDBC_JAR:-/usr/share/java/postgresql.jar}

trap 'bi_teardown; rm -f "${errf:-}"' EXIT
trap 'echo "not ok $((n + 1)) - interrupted"; exit 130' INT TERM

if ! command -v java >/dev/null; then
  bail "java found (needed: a Java runtime 11+, e.g. apt-get install default-jre-headless)"
fi
jv=$(java -version 2>&1 | head -1)
if ! java --list-modules 2>/dev/null | grep -q '^jdk\.compiler@'; then
  bail "java ($jv) can run a source file (Java 11+ with the jdk.compiler module)"
fi
[ -f "$JAR" ] || bail "pgJDBC found at $JAR (apt-get install libpostgresql-jdbc-java)"
tap 1 "java ($jv) and pgJDBC $(unzip -p "$JAR" META-INF/MANIFEST.MF 2>/dev/null | sed -n 's/^Implementation-Version: *//p' | tr -d '\r' | head -1) found"

bi_setup

url="jdbc:postgresql://127.0.0.1:${PGPORT:-5432}/$BI_DB?user=${PGUSER:-postgres}&connectTimeout=10&socketTimeout=120"
# java.sql.Types: DATE 91, SMALLINT 5, INTEGER 4, BIGINT -5, NUMERIC 2, DECIMAL 3,
# REAL 7, FLOAT 6, DOUBLE 8, CHAR 1, VARCHAR 12, LONGVARCHAR -1
codes="91 5 4 -5 2 3 7 6 8 1 12 -1"
errf=$(mktemp /tmp/odr-jdbc.XXXXXX)

if ! out=$(timeout 180 java -cp "$JAR" test/bi/JdbcColumns.java "$url" odr_scorecard 2>"$errf"); then
  bail "JdbcColumns read odr_scorecard" "$(cat "$errf")$(printf '\n')$out"
fi
printf '%s\n' "$out" | diag
check_columns "JDBC DatabaseMetaData" "$codes" "$out" meta
check_columns "JDBC ResultSetMetaData" "$codes" "$out" column
want=$(server_names odr_scorecard)
for kind in meta column; do
  got=$(client_names "$out" $kind)
  tap "$([ "$got" = "$want" ] && echo 1)" \
    "JDBC $kind: the columns, in order, are the view's ($(awk -F, '{print NF}' <<<"$want") columns)"
  [ "$got" = "$want" ] || printf 'JDBC:   %s\npsql:   %s\n' "$got" "$want" | diag
done
check_totals JDBC "$out"

# the check can fail: an odr_summary column (OTHER) and an enum (VARCHAR,
# but server type odr_tier) are flagged, by both kinds of metadata
if neg=$(timeout 180 java -cp "$JAR" test/bi/JdbcColumns.java "$url" bi_not_plain 2>&1); then
  for kind in meta column; do
    flagged=$( (check_columns x "$codes" "$neg" $kind) | grep -c '^not ok' || true)
    tap "$([ "$flagged" -eq 2 ] && echo 1)" \
      "JDBC $kind: in a view with an odr_summary and an odr_tier column, $flagged columns are flagged (want 2)"
  done
else
  tap 0 "JdbcColumns read bi_not_plain"
  printf '%s\n' "$neg" | diag
fi
finish
