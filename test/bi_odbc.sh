#!/usr/bin/env bash
# psqlODBC through unixODBC reads the odr_scorecard view: every column has a
# standard ODBC SQL type, and rows and sums agree with psql (TAP). Needs a
# running server (PG* variables, listening on 127.0.0.1) with odr installed,
# and Debian's odbc-postgresql, unixodbc, unixodbc-dev and a C compiler.
set -euo pipefail
cd "$(dirname "$0")"
. ./bi/common.sh
driver=$(odbcinst -q -d -n "PostgreSQL Unicode" 2>/dev/null | sed -n 's/^Driver=//p')
[ -n "$driver" ] || driver=/usr/lib/x86_64-linux-gnu/odbc/psqlodbcw.so
work=$(mktemp -d /tmp/odr-odbc.XXXXXX)
trap 'bi_teardown; rm -rf "$work"' EXIT
cc -Wall -Wextra -Werror -o "$work/odbc_columns" bi/odbc_columns.c -lodbc
bi_setup
conn="Driver=$driver;Server=127.0.0.1;Port=$PGPORT;Database=$BI_DB;Uid=${PGUSER:-postgres};"
# SQL_TYPE_DATE 91, SQL_INTEGER 4, SQL_BIGINT -5, SQL_SMALLINT 5, SQL_DOUBLE 8, SQL_FLOAT 6,
# SQL_REAL 7, SQL_NUMERIC 2, SQL_VARCHAR 12, SQL_LONGVARCHAR -1, SQL_WVARCHAR -9, SQL_WLONGVARCHAR -10
codes="91 4 -5 5 8 6 7 2 12 -1 -9 -10"
out=$("$work/odbc_columns" "$conn" odr_scorecard)
check_columns "ODBC" "$codes" "$out"
check_totals ODBC "$out"
neg=$("$work/odbc_columns" "$conn" bi_not_plain)
flagged=$(check_columns x "$codes" "$neg" | grep -c '^not ok' || true)
tap $([ "$flagged" -ge 1 ] && echo 1 || echo 0) "ODBC: a view with an odr_summary column is flagged ($flagged column)"
echo "1..$n"
[ "$fails" -eq 0 ]
