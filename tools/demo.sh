#!/usr/bin/env bash
# The odr demo: on a fresh Debian 12 machine (as root) installs what odr
# needs, builds and installs it, starts a throwaway PostgreSQL cluster, loads
# a generated, deterministic year of marketplace orders and prints the
# month-end report: the tier distribution, and the best and worst sellers
# with their orders, ODR, tier, top reasons and distance to the next tier.
#   ODR_SAMPLE_ORDERS (150000)  ODR_SAMPLE_SELLERS (300)  ODR_AS_OF (2026-10-31)
set -euo pipefail
cd "$(dirname "$0")/.."

echo "odr demo: setting up (packages, build, install)..."
tools/setup.sh >/dev/null
dir=$(mktemp -d /tmp/odr-demo.XXXXXX)
trap 'tools/cluster.sh stop "$dir"' EXIT
eval "$(tools/cluster.sh start "$dir")"
echo "odr demo: throwaway cluster on port $PGPORT"

export PGOPTIONS="-c client_min_messages=warning"
psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }
psql -c "CREATE DATABASE odr_demo"
export PGDATABASE=odr_demo
psql -c "CREATE EXTENSION odr"

orders=${ODR_SAMPLE_ORDERS:-150000}
sellers=${ODR_SAMPLE_SELLERS:-300}
echo "odr demo: generating $orders orders for $sellers sellers over a year..."
start=$(date +%s)
psql -v orders="$orders" -v sellers="$sellers" -f tools/sample.sql >/dev/null
echo "odr demo: loaded in $(( $(date +%s) - start )) s"

psql -v as_of="${ODR_AS_OF:-2026-10-31}" -f tools/report.sql
