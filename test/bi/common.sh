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
