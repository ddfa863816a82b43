#!/usr/bin/env bash
# The whole suite against every PostgreSQL major Debian's archive gives us,
# on a Debian 12 machine, as root:
#
#   tools/matrix.sh             15, 17 and 18
#   tools/matrix.sh 17          one major (or several: tools/matrix.sh 17 18)
#
#   15  this machine's own packages (Debian 12): tools/test.sh as it is,
#       everything (fuzzing, valgrind and the Debian package included)
#   17  a Debian 13 (trixie) chroot
#   18  a Debian testing (forky) chroot
#
# A chroot (tools/chroot.sh) is built from Debian's archive the first time,
# with the packages tools/setup.sh names for that major, and reused after
# that. The suite runs inside it on a copy of this tree, with the chroot's
# PostgreSQL, the server as the chroot's postgres user: tools/test.sh with
# ODR_EXTRAS=0 (no fuzzing and no valgrind: they check odr's C code, not
# the server's major, and stay on 15), in a throwaway layer over the chroot
# (nothing it installs or writes stays). ODR_CHROOT_SUITE_<major> picks
# another Debian suite for a major (ODR_CHROOT_SUITE_18=sid).
#
# Any other major that is installed here (16 is in no Debian suite):
#   PG_CONFIG=/usr/lib/postgresql/16/bin/pg_config tools/test.sh
#
# Prints every major's output, then each major's result line and, last,
# "N passed, N failed" over all of them; exits non-zero when one failed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

majors=("$@")
[ ${#majors[@]} -gt 0 ] || majors=(15 17 18)

suite_of() {
  local var="ODR_CHROOT_SUITE_$1"
  if [ -n "${!var:-}" ]; then echo "${!var}"; return; fi
  case "$1" in
  15) echo bookworm ;;
  17) echo trixie ;;
  18) echo forky ;;
  *) return 1 ;;
  esac
}

host_major() {
  local v
  v=$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release 2>/dev/null)
  [ "$v" = bookworm ] && echo 15
}

passed=0
failed=0
results=()
started=$(date +%s)

# run one major's suite; its output goes through, its result line is kept
run_major() {
  local major=$1 how=$2 log rc=0 line p f
  shift 2
  log=$(mktemp /tmp/odr-matrix-$major.XXXXXX)
  echo
  echo "######## PostgreSQL $major ($how)"
  local t0=$SECONDS
  "$@" 2>&1 | tee "$log" || rc=$?
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1 || true)
  if [ -n "$line" ]; then
    p=${line%% passed*}
    f=${line#*, }
    f=${f%% failed*}
  else
    p=0
    f=0
  fi
  if [ -z "$line" ] || { [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; }; then
    echo "not ok - PostgreSQL $major: the suite exited $rc without a result line"
    f=$((f + 1))
  fi
  rm -f "$log"
  passed=$((passed + p))
  failed=$((failed + f))
  results+=("PostgreSQL $major ($how, $((SECONDS - t0)) s): $p passed, $f failed")
}

in_chroot() {
  local major=$1 suite=$2
  # the suite's own packages; tzdata-legacy (from Debian 13 on, zone names
  # such as CET live there, and the tests use one); what building the
  # Debian package needs (build-essential and debian/control's Build-Depends)
  tools/chroot.sh build "$suite" $(PGVER=$major ODR_EXTRAS=0 tools/setup.sh --packages) \
    tzdata-legacy build-essential debhelper dpkg-dev postgresql-all
  # this tree as it is (work tree included), without build products
  tar -C "$root" --exclude=.git --exclude=./results --exclude='*.o' --exclude='*.so' --exclude='*.bc' \
      --exclude=./test/fuzz/bin --exclude=./bench/results --exclude=./tmp_check -cf - . \
    | tools/chroot.sh run "$suite" env PGVER="$major" ODR_EXTRAS=0 ODR_DEB_HERE=1 ODR_SKIP_APT=1 \
        ODR_LOAD_SECONDS="${ODR_LOAD_SECONDS:-20}" bash -c '
          set -e
          mkdir -p /build/odr
          tar -C /build/odr -xf -
          cd /build/odr
          make -s clean PG_CONFIG=/usr/lib/postgresql/$PGVER/bin/pg_config >/dev/null 2>&1 || true
          exec tools/test.sh'
}

for major in "${majors[@]}"; do
  case "$major" in
  *[!0-9]* | '') echo "matrix: not a PostgreSQL major: $major" >&2; exit 2 ;;
  esac
  if [ "$major" = "$(host_major)" ]; then
    run_major "$major" "this machine" env PGVER="$major" tools/test.sh
  elif suite=$(suite_of "$major"); then
    run_major "$major" "Debian $suite chroot" in_chroot "$major" "$suite"
  elif [ -x "/usr/lib/postgresql/$major/bin/pg_config" ]; then
    run_major "$major" "this machine" env PGVER="$major" PG_CONFIG="/usr/lib/postgresql/$major/bin/pg_config" tools/test.sh
  else
    echo "matrix: no Debian suite ships PostgreSQL $major; install it and run PG_CONFIG=/path/to/pg_config tools/test.sh" >&2
    results+=("PostgreSQL $major: not available (no Debian suite ships it)")
    failed=$((failed + 1))
  fi
done

echo
echo "######## matrix ($(( $(date +%s) - started )) s)"
printf '%s\n' "${results[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
