#!/usr/bin/env bash
# tools/private_pg.sh DIR — copy the system PostgreSQL installation (binaries,
# libraries, share files with the extensions installed there, e.g. pgTAP and
# pg_cron) into DIR and print the shell line that points PG_CONFIG and PGBIN
# at the copy:
#
#   eval "$(tools/private_pg.sh /tmp/mypg)"; make install; tools/test.sh
#
# `make install` then installs odr into DIR only, so several checkouts (or a
# benchmark and a test run) on one machine cannot swap odr.so under each
# other. Needs a relocatable PostgreSQL (Debian's is); the server headers are
# linked, not copied. Remove DIR when done.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
PGVER=${PGVER:-15}
sys=${SYS_PG_CONFIG:-/usr/lib/postgresql/$PGVER/bin/pg_config}
[ -x "$sys" ] || sys=$(command -v pg_config)
priv=$(mkdir -p "$1" && cd "$1" && pwd)
bindir=$("$sys" --bindir)
for d in "$(dirname "$bindir")" "$("$sys" --sharedir)"; do
  mkdir -p "$priv$(dirname "$d")"
  rm -rf "${priv:?}$d"
  cp -a "$d" "$priv$d"
done
inc=$("$sys" --includedir-server)
inc_top=${inc%%/postgresql*}
mkdir -p "$priv$(dirname "$inc_top")"
[ -e "$priv$inc_top" ] || ln -s "$inc_top" "$priv$inc_top"
pgc=$priv$bindir/pg_config
if [ "$("$pgc" --sharedir)" != "$priv$("$sys" --sharedir)" ]; then
  echo "private_pg: this PostgreSQL installation is not relocatable" >&2
  exit 1
fi
rm -f "$("$pgc" --pkglibdir)"/odr.so "$("$pgc" --sharedir)"/extension/odr*
chmod -R a+rX "$priv"
chmod a+x "$priv" "$(dirname "$priv")" 2>/dev/null || true
echo "export PG_CONFIG=$pgc PGBIN=$priv$bindir"
