# Shared by test/bi_odbc.sh and test/bi_jdbc.sh: a database with a small
# warehouse, and a checker of "column <name> <code> <typename>" lines.
BI_DB=${BI_DB:-odr_bi}
bi_setup() {
  PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -d postgres \
    -c "DROP DATABASE IF EXISTS $BI_DB" -c "CREATE DATABASE $BI_DB"
  psql -X -q -v ON_ERROR_STOP=1 -d "$BI_DB" -f bi/setup.sql >/dev/null
}
bi_teardown() {
  PGOPTIONS="-c client_min_messages=warning" psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $BI_DB" || true
}
n=0
fails=0
tap() { # tap <ok?> <description>
  n=$((n + 1))
  if [ "$1" = 1 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi
}
# standard PostgreSQL types a BI tool reads as plain numbers, text, dates
BI_TYPENAMES=" date int2 int4 int8 float4 float8 numeric text varchar bpchar "
# check_columns <client> <allowed codes> <output of the client>: one test per column;
# echoes the number of non-standard columns
check_columns() {
  local client=$1 codes=$2 out=$3 bad=0 name code tname
  while IFS=$'\t' read -r kind name code rest; do
    [ "$kind" = column ] || continue
    tname=${rest##*$'\t'}
    if [[ " $codes " == *" $code "* ]] && [[ "$BI_TYPENAMES" == *" $tname "* ]]; then
      tap 1 "$client: column $name arrives as type $code ($tname)"
    else
      tap 0 "$client: column $name arrives as type $code ($tname), not a standard type"
      bad=$((bad + 1))
    fi
  done <<<"$out"
  return 0
}
# check_totals <client> <output>: the rows and the sum of orders the client
# read equal what psql reads from the same view
check_totals() {
  local client=$1 out=$2 rows orders want_rows want_orders
  rows=$(echo "$out" | awk -F'\t' '$1 == "rows" { print $2 }')
  orders=$(echo "$out" | awk -F'\t' '$1 == "orders" { print $2 }')
  want_rows=$(psql -X -At -d "$BI_DB" -c "SELECT count(*) FROM odr_scorecard")
  want_orders=$(psql -X -At -d "$BI_DB" -c "SELECT sum(orders) FROM odr_scorecard")
  tap $([ "$rows" = "$want_rows" ] && [ "${rows:-0}" -gt 0 ] && echo 1 || echo 0) "$client reads all $want_rows rows (got $rows)"
  tap $([ "$orders" = "$want_orders" ] && echo 1 || echo 0) "$client sum of orders $orders equals psql's $want_orders"
}
