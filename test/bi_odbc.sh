#!/usr/bin/env bash
# psqlODBC through unixODBC reads the odr_scorecard view the way a BI tool
# does (TAP output): every column has a standard ODBC SQL type (and a plain
# server type: no odr_summary, no enum), and the rows, sums and NULLs it
# fetches agree with psql. A view with an odr_summary column is checked
# too, and must be flagged (so the check is known to be able to fail).
#
# Needs a running server given by the PG* variables (PGHOST/PGPORT/PGUSER;
# it must listen on 127.0.0.1 too, with trust or a password-less login for
# PGUSER over TCP) with odr installed, Debian's odbc-postgresql, unixodbc,
# unixodbc-dev and a C compiler. Creates the database $ODR_BI_DB (default
# odr_bi_odbc) and drops it at the end.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
BI_DB=${ODR_BI_DB:-odr_bi_odbc}
. test/bi/common.sh

work=$(mktemp -d /tmp/odr-odbc.XXXXXX)
trap 'bi_teardown; rm -rf "$work"' EXIT
trap 'echo "not ok $((n + 1)) - interrupted"; exit 130' INT TERM

# the psqlODBC Unicode driver: as registered with unixODBC (odbcinst.ini
# may name just the file), else Debian's path
driver=$(odbcinst -q -d -n "PostgreSQL Unicode" 2>/dev/null | sed -n 's/^Driver *= *//p' | head -1)
if [ -n "$driver" ] && [ "${driver#/}" = "$driver" ]; then
  multiarch=$(cc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
  driver=/usr/lib/${multiarch:-x86_64-linux-gnu}/odbc/$driver
fi
[ -n "$driver" ] && [ -f "$driver" ] || driver=/usr/lib/x86_64-linux-gnu/odbc/psqlodbcw.so
[ -f "$driver" ] || bail "psqlODBC driver found (apt-get install odbc-postgresql unixodbc)" \
  "$(odbcinst -q -d 2>&1)"

if ! err=$(cc -Wall -Wextra -Werror -o "$work/odbc_columns" test/bi/odbc_columns.c -lodbc 2>&1); then
  bail "test/bi/odbc_columns.c compiles (-Wall -Wextra -Werror, -lodbc: apt-get install unixodbc-dev)" "$err"
fi
tap 1 "test/bi/odbc_columns.c compiled; driver $driver"

bi_setup

conn="Driver=$driver;Server=127.0.0.1;Port=${PGPORT:-5432};Database=$BI_DB;Uid=${PGUSER:-postgres};"
# SQL_TYPE_DATE 91, SQL_SMALLINT 5, SQL_INTEGER 4, SQL_BIGINT -5, SQL_NUMERIC 2,
# SQL_DECIMAL 3, SQL_REAL 7, SQL_FLOAT 6, SQL_DOUBLE 8, SQL_CHAR 1, SQL_VARCHAR 12,
# SQL_LONGVARCHAR -1, SQL_WCHAR -8, SQL_WVARCHAR -9, SQL_WLONGVARCHAR -10
codes="91 5 4 -5 2 3 7 6 8 1 12 -1 -8 -9 -10"

if ! out=$(timeout 120 "$work/odbc_columns" "$conn" odr_scorecard 2>"$work/err"); then
  bail "odbc_columns read odr_scorecard" "$(cat "$work/err")$(printf '\n')$out"
fi
printf '%s\n' "$out" | diag
check_columns "ODBC" "$codes" "$out"
got=$(client_names "$out")
want=$(server_names odr_scorecard)
tap "$([ "$got" = "$want" ] && echo 1)" "ODBC: the columns, in order, are the view's ($(awk -F, '{print NF}' <<<"$want") columns)"
[ "$got" = "$want" ] || printf 'ODBC:   %s\npsql:   %s\n' "$got" "$want" | diag
check_totals ODBC "$out"

# the check can fail: an odr_summary column (and an enum) is flagged
if neg=$(timeout 120 "$work/odbc_columns" "$conn" bi_not_plain 2>&1); then
  flagged=$( (check_columns x "$codes" "$neg") | grep -c '^not ok' || true)
  tap "$([ "$flagged" -eq 2 ] && echo 1)" \
    "ODBC: in a view with an odr_summary and an odr_tier column, $flagged columns are flagged (want 2)"
else
  tap 0 "odbc_columns read bi_not_plain"
  printf '%s\n' "$neg" | diag
fi
finish
