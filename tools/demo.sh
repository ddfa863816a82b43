#!/usr/bin/env bash
# The odr demo. On a fresh Debian 12 machine (as root, or as a user with the
# packages already installed):
#   1. tools/setup.sh: installs the Debian packages odr needs, builds and
#      installs the extension,
#   2. starts a throwaway PostgreSQL cluster (tools/cluster.sh; stopped and
#      removed on exit, whatever happens),
#   3. CREATE EXTENSION odr, loads a generated, deterministic year of
#      marketplace orders (tools/sample.sql),
#   4. prints the month-end report (tools/report.sql): the tier distribution,
#      and the 5 best and 5 worst assessed sellers with their orders, ODR,
#      tier, top reasons and distance to the next tier,
#   5. loads a 1688 sample for the same sellers (tools/sample_stars.sql) and
#      prints their service stars (tools/report_stars.sql): the five
#      indicators from raw rows, peer scores, composite, stars, weak spots,
#   6. loads Amazon orders and eBay transactions of the same sellers
#      (tools/sample_marketplaces.sql) and prints them graded by AliExpress,
#      Amazon and eBay side by side (tools/report_marketplaces.sql).
# Environment (all optional):
#   ODR_SAMPLE_ORDERS (120000)  ODR_SAMPLE_SELLERS (300)  ODR_AS_OF (2026-10-31)
#   ODR_SKIP_APT=1  skip the package step of setup.sh (packages already there)
# Exits non-zero on any error.
set -euo pipefail
cd "$(dirname "$0")/.."

orders=${ODR_SAMPLE_ORDERS:-120000}
sellers=${ODR_SAMPLE_SELLERS:-300}
as_of=${ODR_AS_OF:-2026-10-31}
for v in orders sellers; do
  if ! [[ ${!v} =~ ^[1-9][0-9]{0,8}$ ]]; then
    echo "demo: ODR_SAMPLE_${v^^} must be a positive whole number, not '${!v}'" >&2
    exit 2
  fi
done
if ! [[ $as_of =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]]; then
  echo "demo: ODR_AS_OF must be a date as YYYY-MM-DD, not '$as_of'" >&2
  exit 2
fi

started=$SECONDS
echo "demo: setting up (packages, build, install)..."
tools/setup.sh

export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/${PGVER:-15}/bin/pg_config}
[ -x "$PG_CONFIG" ] || PG_CONFIG=$(command -v pg_config)
PSQL="$("$PG_CONFIG" --bindir)/psql"
[ -x "$PSQL" ] || PSQL=psql

dir=$(mktemp -d /tmp/odr-demo.XXXXXX)
trap 'tools/cluster.sh stop "$dir"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# (an assignment, not eval "$(...)": so that a failed start stops the demo)
cluster_env=$(tools/cluster.sh start "$dir")
eval "$cluster_env"
echo "demo: throwaway cluster on port $PGPORT (data in $dir, removed at the end)"

# psql as root works too: the cluster trusts local connections as postgres
export PGOPTIONS="-c client_min_messages=warning"
psql() { "$PSQL" -X -q -v ON_ERROR_STOP=1 "$@"; }
psql -c "CREATE DATABASE odr_demo"
export PGDATABASE=odr_demo
psql -c "CREATE EXTENSION odr"

echo "demo: generating $orders orders of $sellers sellers, 2025-11-01 .. 2026-10-31..."
t=$SECONDS
psql -v orders="$orders" -v sellers="$sellers" -f tools/sample.sql
echo "demo: sample loaded in $((SECONDS - t)) s"

psql -v as_of="$as_of" -f tools/report.sql

echo "demo: generating the 1688 sample (orders, refunds, disputes, chat messages of 30 days)..."
t=$SECONDS
psql -v orders="$((orders / 3))" -f tools/sample_stars.sql
echo "demo: 1688 sample loaded in $((SECONDS - t)) s"
psql -f tools/report_stars.sql

echo "demo: generating the Amazon and eBay samples of the same sellers..."
t=$SECONDS
psql -v amazon_orders="$((orders / 2))" -v ebay_orders="$((orders * 3))" -v as_of="$as_of" -f tools/sample_marketplaces.sql
echo "demo: Amazon and eBay samples loaded in $((SECONDS - t)) s"
psql -v as_of="$as_of" -f tools/report_marketplaces.sql
echo "demo: done in $((SECONDS - started)) s"
