#!/usr/bin/env bash
# Install what odr needs from Debian's archive (when missing), then build and
# install the extension into the PostgreSQL found by pg_config.
#   tools/setup.sh            packages + build + install
#   tools/setup.sh --packages print the Debian packages the suite needs
#   ODR_SKIP_APT=1 ...        skip the package step
#   ODR_EXTRAS=0 ...          leave out what only the extras need (fuzzing:
#                             clang; memory safety: valgrind), as in the
#                             chroots of tools/matrix.sh
# The PostgreSQL major is PGVER, else that of PG_CONFIG, else 15.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${PGVER:-}" ] && [ -n "${PG_CONFIG:-}" ] && [ -x "$PG_CONFIG" ]; then
  PGVER=$("$PG_CONFIG" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')
fi
PGVER=${PGVER:-15}
PACKAGES="postgresql-$PGVER postgresql-server-dev-$PGVER postgresql-$PGVER-pgtap \
libtap-parser-sourcehandler-pgtap-perl make gcc libc6-dev \
postgresql-$PGVER-cron odbc-postgresql unixodbc unixodbc-dev libpostgresql-jdbc-java \
default-jre-headless"
if [ "${ODR_EXTRAS:-1}" = 1 ]; then
  PACKAGES="$PACKAGES clang libclang-rt-14-dev valgrind"
fi
if [ "${1:-}" = --packages ]; then
  echo $PACKAGES
  exit 0
fi

need=()
if [ "${ODR_SKIP_APT:-0}" != 1 ]; then
  for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
  done
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup: missing packages ${need[*]}; run as root or install them" >&2
    exit 1
  fi
  echo "setup: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/$PGVER/bin/pg_config}
[ -x "$PG_CONFIG" ] || PG_CONFIG=$(command -v pg_config)
make -s PG_CONFIG="$PG_CONFIG"
make -s PG_CONFIG="$PG_CONFIG" install >/dev/null
echo "setup: odr $(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" odr.control) installed into $("$PG_CONFIG" --pkglibdir)"
