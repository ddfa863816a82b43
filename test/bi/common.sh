# shellcheck shell=bash
# Shared by test/bi_odbc.sh and test/bi_jdbc.sh (sourced, from the
# repository root): TAP helpers, a database of their own with a small
# warehouse (test/bi/setup.sql), and the checks of what a client read.
#
# A client prints tab-separated lines:
#   column <name> <type code> <type code's name> <server type name>
#   rows <n>  orders <sum>  defective <sum>  nulls <NULL cells read>
# (the JDBC client also prints "meta" lines, as "column", from
# DatabaseMetaData.getColumns).

export PGCONNECT_TIMEOUT=${PGCONNECT_TIMEOUT:-10}
export PGOPTIONS="-c client_min_messages=warning -c statement_timeout=120s"

n=0
fails=0
tap() { # tap <1 = ok> <description>
  n=$((n + 1))
  if [ "$1" = 1 ]; then
    echo "ok $n - $2"
  else
    echo "not ok $n - $2"
    fails=$((fails + 1))
  fi
}
diag() { sed 's/^/# /'; }
# a step the rest depends on failed: report it and stop
bail() {
  tap 0 "$1"
  [ -n "${2:-}" ] && printf '%s\n' "$2" | diag
  echo "1..$n"
  exit 1
}
finish() {
  echo "1..$n"
  [ "$fails" -eq 0 ]
}

# psql on the test database, unaligned, errors fatal
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$BI_DB" "$@"; }

bi_setup() {
  local err
  if ! err=$(psql -X -q -v ON_ERROR_STOP=1 -d postgres \
               -c "DROP DATABASE IF EXISTS $BI_DB" -c "CREATE DATABASE $BI_DB" 2>&1 >/dev/null); then
    bail "database $BI_DB created (server from PGHOST=${PGHOST:-} PGPORT=${PGPORT:-})" "$err"
  fi
  BI_CREATED=1
  if ! err=$(q -f test/bi/setup.sql 2>&1 >/dev/null); then
    bail "sample orders and odr_create_warehouse(...) in $BI_DB" "$err"
  fi
  tap 1 "database $BI_DB: odr installed, sample orders, odr_create_warehouse(...) done"
}
bi_teardown() {
  [ "${BI_CREATED:-0}" = 1 ] || return 0
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $BI_DB" >/dev/null 2>&1 || true
}

# server types a BI tool reads as a plain date, number or text
BI_TYPENAMES=" date int2 int4 int8 float4 float8 numeric text varchar bpchar "

# check_columns <label> <allowed type codes> <client output> <line kind>:
# one test per column: a standard type code AND a standard server type (the
# code alone is not enough: psqlODBC reports any type it does not know,
# odr_summary for one, as SQL_VARCHAR, and pgJDBC an enum as VARCHAR)
check_columns() {
  local label=$1 codes=$2 out=$3 kind=${4:-column} k name code cname tname seen=0
  while IFS=$'\t' read -r k name code cname tname; do
    [ "$k" = "$kind" ] || continue
    seen=$((seen + 1))
    if [[ " $codes " == *" $code "* ]] && [[ "$BI_TYPENAMES" == *" $tname "* ]]; then
      tap 1 "$label: column $name is $cname ($code), server type $tname"
    else
      tap 0 "$label: column $name is $cname ($code), server type $tname: not a standard type"
    fi
  done <<<"$out"
  [ "$seen" -gt 0 ] || tap 0 "$label: no column described"
  return 0
}

# the names, in order, of the client's columns of one kind
client_names() { awk -F'\t' -v k="${2:-column}" '$1 == k { printf "%s%s", s, $2; s = "," }' <<<"$1"; }
# the column names of a view, in order, as the server has them
server_names() { q -c "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute
                       WHERE attrelid = '$1'::regclass AND attnum > 0 AND NOT attisdropped"; }
client_value() { awk -F'\t' -v k="$2" '$1 == k { print $2 }' <<<"$1"; }

# check_totals <label> <client output>: the client read every row, and the
# same numbers psql reads from the same view
check_totals() {
  local label=$1 out=$2 rows orders defective nulls want want_rows want_orders want_defective want_nulls
  rows=$(client_value "$out" rows)
  orders=$(client_value "$out" orders)
  defective=$(client_value "$out" defective)
  nulls=$(client_value "$out" nulls)
  want=$(q -F' ' -c "SELECT count(*), sum(orders), sum(defective) FROM odr_scorecard")
  read -r want_rows want_orders want_defective <<<"$want"
  # NULL cells: num_nulls() over every column of the view
  local cols
  cols=$(q -c "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
               WHERE attrelid = 'odr_scorecard'::regclass AND attnum > 0 AND NOT attisdropped")
  want_nulls=$(q -c "SELECT sum(num_nulls($cols)) FROM odr_scorecard")
  tap "$([ -n "$rows" ] && [ "$rows" = "$want_rows" ] && [ "$rows" -gt 0 ] && echo 1)" \
    "$label read all rows: $rows, psql counts $want_rows"
  tap "$([ -n "$orders" ] && [ "$orders" = "$want_orders" ] && echo 1)" \
    "$label sum of orders $orders equals psql's $want_orders"
  tap "$([ -n "$defective" ] && [ "$defective" = "$want_defective" ] && echo 1)" \
    "$label sum of defective $defective equals psql's $want_defective"
  tap "$([ -n "$nulls" ] && [ "$nulls" = "$want_nulls" ] && [ "$nulls" -gt 0 ] && echo 1)" \
    "$label read $nulls NULL cells, psql counts $want_nulls"
}
