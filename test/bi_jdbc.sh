#!/usr/bin/env bash
# pgJDBC reads the odr_scorecard view: every column has a standard JDBC
# type, and rows and sums agree with psql (TAP). Needs a running server
# (PG* variables, listening on 127.0.0.1) with odr installed; Debian's
# libpostgresql-jdbc-java and a Java runtime (11 or newer).
set -euo pipefail
cd "$(dirname "$0")"
. ./bi/common.sh
JAR=${PGJDBC_JAR:-/usr/share/java/postgresql.jar}
if ! command -v java >/dev/null || [ ! -f "$JAR" ]; then
  echo "not ok 1 - java and $JAR are needed (apt-get install default-jre-headless libpostgresql-jdbc-java)"
  exit 1
fi
trap bi_teardown EXIT
bi_setup
url="jdbc:postgresql://127.0.0.1:$PGPORT/$BI_DB?user=${PGUSER:-postgres}"
# java.sql.Types: DATE 91, INTEGER 4, BIGINT -5, SMALLINT 5, DOUBLE 8, FLOAT 6, REAL 7, NUMERIC 2, VARCHAR 12, CHAR 1
codes="91 4 -5 5 8 6 7 2 12 1"
out=$(java -cp "$JAR" bi/JdbcColumns.java "$url" odr_scorecard)
check_columns "JDBC ResultSetMetaData" "$codes" "$out"
meta=$(echo "$out" | awk -F'\t' '$1 == "meta" { print "column\t" $2 "\t" $3 "\t" $4 }')
check_columns "JDBC DatabaseMetaData" "$codes" "$meta"
check_totals JDBC "$out"
# the check can fail: a view with an odr_summary column is flagged
neg=$(java -cp "$JAR" bi/JdbcColumns.java "$url" bi_not_plain)
flagged=$(check_columns x "$codes" "$neg" | grep -c "^not ok" || true)
tap $([ "$flagged" -ge 1 ] && echo 1 || echo 0) "JDBC: a view with an odr_summary column is flagged ($flagged column)"
echo "1..$n"
[ "$fails" -eq 0 ]
