#!/usr/bin/env bash
# The Debian package (debian/, pg_buildext): built, installed with apt,
# used, removed (TAP output). As root.
#
# By default in a Debian chroot of this machine's release (bookworm on
# Debian 12: tools/chroot.sh), which holds only debootstrap's minimal system,
# build-essential and the Build-Depends of debian/control, so a build that passes there
# needs nothing else; the test runs in a throwaway layer over it (nothing it
# installs stays). With ODR_DEB_HERE=1 it runs in the system it is in
# instead (tools/matrix.sh does so in its own throwaway chroot layers, after
# the suite: it replaces the files of make install while it runs, and puts
# them back at the end).
#
#   1. debian/control is what pg_buildext makes of debian/control.in for the
#      majors this release supports (else it is regenerated, as for a
#      backport: PG_UPDATECONTROL=yes);
#   2. dpkg-buildpackage builds one postgresql-<major>-odr per major, and
#      odr's pg_regress suite passes against each package's files
#      (dh_pgxs_test, in the build);
#   3. the package holds odr.so, odr.control, the current install script and
#      the upgrade scripts, and no earlier release's install script;
#   4. apt install ./postgresql-<major>-odr_*.deb pulls in what it needs;
#   5. in a throwaway cluster, CREATE EXTENSION odr works from the package's
#      files (as a superuser and, odr being trusted, as a database owner),
#      and debian/tests/installcheck (the autopkgtest) passes;
#   6. apt remove --purge leaves no odr file and no available extension.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
root=$(pwd)
version=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" odr.control)

n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1"; echo "# got:      $2"; echo "# expected: $3"; fi; }
bail() { notok "$1"; [ -n "${2:-}" ] && sed 's/^/# /' "$2" | tail -${3:-40}; echo "1..$n"; exit 1; }

[ "$(id -u)" = 0 ] || bail "runs as root (it installs a package)"

# ---------------------------------------------------------------------------
# From outside: into a chroot of this machine's Debian release
if [ "${ODR_DEB_HERE:-0}" != 1 ]; then
  suite=${ODR_DEB_SUITE:-$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release 2>/dev/null)}
  suite=${suite:-bookworm}
  # the Build-Depends of debian/control, names only (debhelper-compat is
  # provided by debhelper); dpkg-checkbuilddeps checks their versions inside
  deps=$(sed -n '/^Build-Depends:/,/^[A-Z]/p' debian/control | sed '1s/^Build-Depends://; /^[A-Z]/d' \
         | tr ',' '\n' | sed 's/(.*//; s/|.*//; s/[[:space:]]//g; s/^debhelper-compat$/debhelper/' | grep -v '^$')
  [ -n "$deps" ] || bail "debian/control has Build-Depends"
  deps="build-essential $deps"   # implied by every Debian build
  echo "# building in a Debian $suite chroot with only the Build-Depends: $(echo $deps)"
  if ! tools/chroot.sh build "$suite" $deps >/tmp/odr-deb-chroot.$$ 2>&1; then
    bail "the $suite chroot with the Build-Depends" /tmp/odr-deb-chroot.$$
  fi
  rm -f /tmp/odr-deb-chroot.$$
  tar -C "$root" --exclude=.git --exclude=./results --exclude='*.o' --exclude='*.so' --exclude='*.bc' \
      --exclude=./test/fuzz/bin --exclude=./bench/results --exclude=./tmp_check -cf - . \
    | tools/chroot.sh run "$suite" env ODR_DEB_HERE=1 bash -c '
        set -e
        mkdir -p /build/odr
        tar -C /build/odr -xf -
        exec /build/odr/test/deb.sh'
  exit $?
fi

# ---------------------------------------------------------------------------
# Here: this system is a throwaway one
export DEBIAN_FRONTEND=noninteractive
work=$(mktemp -d /tmp/odr-deb.XXXXXX)
chmod 755 "$work"
cluster=$work/cluster
restore=()
cleanup() {
  tools/cluster.sh stop "$cluster" >/dev/null 2>&1 || true
  # the make install this package replaced
  for pgc in "${restore[@]}"; do make -s -C "$root" PG_CONFIG="$pgc" install >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

majors=$(/usr/share/postgresql-common/supported-versions 2>/dev/null | sort -n | tr '\n' ' ')
majors=${majors% }
[ -n "$majors" ] || bail "this system supports a PostgreSQL major (postgresql-common)"
echo "# $(. /etc/os-release; echo "$PRETTY_NAME"), PostgreSQL majors: $majors"

# 1. debian/control from debian/control.in
src=$work/odr-$version
mkdir -p "$src"
tar -C "$root" --exclude=.git --exclude=./results --exclude='*.o' --exclude='*.so' --exclude='*.bc' \
    --exclude=./test/fuzz/bin --exclude=./bench/results --exclude=./tmp_check -cf - . | tar -C "$src" -xf -
(cd "$src" && make -s clean PG_CONFIG=/usr/lib/postgresql/${majors%% *}/bin/pg_config >/dev/null 2>&1 || true)
listed=$(sed -n 's/^Package: postgresql-\([0-9]*\)-odr$/\1/p' "$src/debian/control" | tr '\n' ' ')
listed=${listed% }
if [ "$listed" = "$majors" ]; then
  if (cd "$src" && pg_buildext checkcontrol) >"$work/checkcontrol.log" 2>&1; then
    ok "debian/control is what pg_buildext makes of debian/control.in for PostgreSQL $majors"
  else
    notok "debian/control is out of date (run pg_buildext updatecontrol)"
    sed 's/^/# /' "$work/checkcontrol.log"
  fi
else
  echo "# debian/control lists PostgreSQL $listed; this release supports $majors: regenerated (PG_UPDATECONTROL=yes)"
  export PG_UPDATECONTROL=yes
fi

# 2. the build: every Build-Depends there, one package per major, the
# regression suite against each package's files
if (cd "$src" && dpkg-checkbuilddeps) >"$work/builddeps.log" 2>&1; then
  ok "the Build-Depends are installed (dpkg-checkbuilddeps)"
else
  bail "the Build-Depends are installed (dpkg-checkbuilddeps)" "$work/builddeps.log"
fi
if (cd "$src" && dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1; then
  ok "dpkg-buildpackage -us -uc -b builds odr $version"
else
  bail "dpkg-buildpackage -us -uc -b builds odr $version" "$work/build.log" 80
fi
for v in $majors; do
  if grep -q "### PostgreSQL $v installcheck ###" "$work/build.log" \
     && ! grep -q "### End $v installcheck (FAILED" "$work/build.log" \
     && grep -qE "All [0-9]+ tests passed|^# All [0-9]+ tests passed" "$work/build.log"; then
    ok "the build ran odr's pg_regress suite against the files of postgresql-$v-odr (dh_pgxs_test): $(grep -oE 'All [0-9]+ tests passed' "$work/build.log" | head -1)"
  else
    notok "the build ran odr's pg_regress suite against the files of postgresql-$v-odr"
    grep -E "installcheck|tests passed|failed|FAILED" "$work/build.log" | sed 's/^/# /' | head -20
  fi
done
arch=$(dpkg --print-architecture)

for v in $majors; do
  deb=$work/postgresql-$v-odr_${version}_$arch.deb
  if [ ! -f "$deb" ]; then
    notok "postgresql-$v-odr_${version}_$arch.deb was built"
    ls "$work" | sed 's/^/# /'
    continue
  fi
  ok "postgresql-$v-odr_${version}_$arch.deb was built"
  pgc=/usr/lib/postgresql/$v/bin/pg_config
  lib=$("$pgc" --pkglibdir)
  ext=$("$pgc" --sharedir)/extension

  # 3. what it holds
  dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$work/contents"
  want="$lib/odr.so $ext/odr.control $ext/odr--$version.sql"
  for f in sql/odr--*--*.sql; do want="$want $ext/$(basename "$f")"; done
  missing=$(for f in $want; do grep -qxF "$f" "$work/contents" || echo "$f"; done)
  check "the package holds odr.so, odr.control, odr--$version.sql and the $(ls sql/odr--*--*.sql | wc -l) upgrade scripts" "$missing" ""
  old=$(grep -E "/odr--[0-9.]+\.sql$" "$work/contents" | grep -v "/odr--$version\.sql$" || true)
  check "the package holds no earlier release's install script" "$old" ""
  check "its Depends name postgresql-$v" \
    "$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/^ *//; s/ .*//' | grep -x "postgresql-$v")" "postgresql-$v"

  # 4. apt install, from the file (files of a make install go first, and
  # come back at the end)
  if [ -e "$lib/odr.so" ] && ! dpkg -S "$lib/odr.so" >/dev/null 2>&1; then
    make -s -C "$root" PG_CONFIG="$pgc" uninstall >/dev/null 2>&1 || true
    rm -f "$lib/odr.so" "$ext"/odr.control "$ext"/odr--*.sql
    restore+=("$pgc")
  fi
  if apt-get install -y -q "$deb" >"$work/install.log" 2>&1; then
    ok "apt-get install ./postgresql-$v-odr_${version}_$arch.deb"
  else
    notok "apt-get install ./postgresql-$v-odr_${version}_$arch.deb"
    tail -20 "$work/install.log" | sed 's/^/# /'
    continue
  fi
  check "dpkg knows postgresql-$v-odr $version as installed" \
    "$(dpkg-query -W -f='${Status} ${Version}' "postgresql-$v-odr")" "install ok installed $version"
  check "odr.so comes from the package" "$(dpkg -S "$lib/odr.so" 2>/dev/null | cut -d: -f1)" "postgresql-$v-odr"

  # 5. a throwaway cluster of that major
  rm -rf "$cluster"
  if ! env_lines=$(PG_CONFIG=$pgc PGVER=$v tools/cluster.sh start "$cluster" 2>"$work/cluster.log"); then
    bail "a throwaway PostgreSQL $v cluster starts" "$work/cluster.log"
  fi
  eval "$env_lines"
  export PGOPTIONS="-c client_min_messages=warning"
  q() { "$("$pgc" --bindir)/psql" -X -q -At -v ON_ERROR_STOP=1 "$@"; }
  q -d postgres -c "CREATE DATABASE odr_deb" -c "CREATE ROLE odr_deb_owner LOGIN" \
    -c "CREATE DATABASE odr_deb_trusted OWNER odr_deb_owner"
  check "CREATE EXTENSION odr from the package (PostgreSQL $v)" \
    "$(q -d odr_deb -c "CREATE EXTENSION odr" -c "SELECT extversion FROM pg_extension WHERE extname = 'odr'" 2>&1)" "$version"
  check "odr works: odr_classify, odr_agg, odr_tier" \
    "$(q -d odr_deb -c "SELECT odr_classify(feedback_stars => 2, unshipped => true)::text" \
         -c "SELECT odr_tier(odr_agg(odr_classify(feedback_stars => (g % 5) + 1)))::text || ' ' || odr_rate(odr_agg(odr_classify(feedback_stars => (g % 5) + 1))) FROM generate_series(1, 100) g" 2>&1)" \
    "{negative_feedback,unshipped} feedback=2
fail 0.6"
  check "a database owner that is not a superuser installs it (trusted)" \
    "$(q -U odr_deb_owner -d odr_deb_trusted -c "CREATE EXTENSION odr" -c "SELECT odr_orders('(orders=3,defective=1,unshipped=1)'::odr_summary)" 2>&1)" "3"
  q -d postgres -c "DROP DATABASE odr_deb" -c "DROP DATABASE odr_deb_trusted" -c "DROP ROLE odr_deb_owner"
  # the autopkgtest (debian/tests): the pg_regress suite against the
  # installed package, in a cluster of pg_virtualenv's
  if (cd "$src" && unset PGOPTIONS PGHOST PGPORT PGUSER PGDATABASE && debian/tests/installcheck) >"$work/autopkgtest.log" 2>&1; then
    ok "debian/tests/installcheck (autopkgtest) passes against the installed package: $(grep -oE 'All [0-9]+ tests passed' "$work/autopkgtest.log" | head -1)"
  else
    notok "debian/tests/installcheck (autopkgtest) against the installed package"
    tail -40 "$work/autopkgtest.log" | sed 's/^/# /'
  fi

  # 6. apt remove --purge
  if apt-get remove --purge -y -q "postgresql-$v-odr" >"$work/remove.log" 2>&1; then
    ok "apt-get remove --purge postgresql-$v-odr"
  else
    notok "apt-get remove --purge postgresql-$v-odr"
    tail -20 "$work/remove.log" | sed 's/^/# /'
  fi
  check "no odr file is left" "$(ls "$lib"/odr.so "$ext"/odr.control "$ext"/odr--*.sql 2>/dev/null)" ""
  check "odr is no longer an available extension" \
    "$(q -d postgres -c "SELECT count(*) FROM pg_available_extensions WHERE name = 'odr'")" "0"
  tools/cluster.sh stop "$cluster" >/dev/null 2>&1
done

echo "1..$n"
[ "$fails" -eq 0 ]
