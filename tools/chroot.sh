#!/usr/bin/env bash
# A Debian chroot from Debian's archive, for running odr's tests against a
# PostgreSQL major this machine's Debian does not ship (tools/matrix.sh) and
# for building the Debian package in a clean system (test/deb.sh). As root.
#
#   tools/chroot.sh build SUITE [PACKAGE...]
#       debootstrap SUITE (bookworm, trixie, forky, sid, ...) into
#       $ODR_CHROOT_DIR/SUITE (default /var/cache/odr-chroots) once, then
#       install the PACKAGEs missing from it. A marker file says the base is
#       complete: a chroot whose build was interrupted is built again, one
#       that has its marker is reused and only gets the missing packages.
#   tools/chroot.sh run SUITE COMMAND [ARG...]
#       run COMMAND inside, as root, standard input passed on. The chroot
#       itself is not changed: the command runs on an overlay (the chroot
#       below, a throwaway layer on top) with /proc, /dev and its own
#       /dev/shm, all mounted in a private mount namespace, so every mount
#       and every file the command writes is gone when it ends; a process it
#       left running in the chroot (a server) is stopped first.
#   tools/chroot.sh path SUITE      print the chroot's directory
#   tools/chroot.sh remove SUITE    delete the chroot
#
# The archive is Debian's own, http://deb.debian.org/debian (ODR_CHROOT_MIRROR
# names another mirror of it). Release files are checked with this
# machine's debian-archive-keyring. One chroot is used by one command at a
# time (a lock next to it).
set -euo pipefail

cmd=${1:?usage: chroot.sh build|run|path|remove SUITE ...}
suite=${2:?usage: chroot.sh build|run|path|remove SUITE ...}
shift 2
case "$suite" in
*[!a-z0-9-]* | -*) echo "chroot: bad suite name '$suite'" >&2; exit 2 ;;
esac
base=${ODR_CHROOT_DIR:-/var/cache/odr-chroots}
dir=$base/$suite
marker=$dir/.odr-chroot
PATH_IN=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

[ "$(id -u)" = 0 ] || { echo "chroot: must run as root" >&2; exit 1; }

mirror() {
  echo "${ODR_CHROOT_MIRROR:-http://deb.debian.org/debian}"
}

# nothing may be mounted under a directory we are about to delete
mounted_under() {
  awk -v d="$1" '$2 == d || index($2, d "/") == 1 { found = 1 } END { exit !found }' /proc/mounts
}

lock() {
  mkdir -p "$base"
  exec 9>"$base/.$suite.lock"
  if ! flock -w "${ODR_CHROOT_LOCK_WAIT:-3600}" 9; then
    echo "chroot: $suite is in use (lock $base/.$suite.lock)" >&2
    exit 1
  fi
}

# Run "$@" inside ROOT (a directory) with /proc, /dev and a private /dev/shm,
# in a private mount namespace (nothing is left mounted when it returns).
# With ODR_CHROOT_OVERLAY=1, ROOT is mounted read-only under a throwaway layer
# (ODR_CHROOT_UPPER, a directory on the same machine) first.
in_root() {
  local root=$1
  shift
  unshare --mount --propagation private -- bash -c "$inner" in_root "$root" "$@"
}
inner=$(cat <<'INNER'
set -euo pipefail
root=$1
shift
target=$root
if [ "${ODR_CHROOT_OVERLAY:-0}" = 1 ]; then
  up=$ODR_CHROOT_UPPER
  mkdir -p "$up/upper" "$up/work" "$up/merged"
  mount -t overlay overlay -o "lowerdir=$root,upperdir=$up/upper,workdir=$up/work" "$up/merged"
  target=$up/merged
fi
mount -t proc proc "$target/proc"
mount --rbind /dev "$target/dev"
mount -t tmpfs -o mode=1777,size=2g shm "$target/dev/shm"
mount -t tmpfs -o mode=1777 tmp "$target/tmp"
cp -L /etc/resolv.conf "$target/etc/resolv.conf" 2>/dev/null || true
rc=0
chroot "$target" /usr/bin/env -i PATH="$PATH_IN" HOME=/root LANG=C.UTF-8 TERM=dumb \
  DEBIAN_FRONTEND=noninteractive CI="${CI:-}" "$@" || rc=$?
# whatever the command left running in the chroot (a server it did not stop)
# goes now, by process id, before the namespace and its mounts go away
stop_left() {
  local sig=$1 p pids=()
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/root" 2>/dev/null)" = "$target" ] && pids+=("${p#/proc/}")
  done
  [ ${#pids[@]} -gt 0 ] || return 1
  [ "$sig" = KILL ] || echo "chroot: stopping processes left running: ${pids[*]}" >&2
  kill -s "$sig" "${pids[@]}" 2>/dev/null || true
  return 0
}
for i in 1 2 3 4 5 6 7 8 9 10; do
  stop_left TERM || break
  sleep 1
done
stop_left KILL || true
exit $rc
INNER
)

# apt: no recommends; services are never started by a package; a
# PostgreSQL package creates no cluster of its own. A testing suite's
# Release file is valid for a week only, and the archive this machine
# reaches may be a snapshot older than that: its dates are not checked (its
# signature is).
configure() {
  cat >"$1/etc/apt/apt.conf.d/90odr" <<'CONF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Check-Valid-Until "false";
Dpkg::Options { "--force-confold"; "--force-confdef"; };
CONF
  printf '#!/bin/sh\nexit 101\n' >"$1/usr/sbin/policy-rc.d"
  chmod 755 "$1/usr/sbin/policy-rc.d"
  mkdir -p "$1/etc/postgresql-common"
  echo "create_main_cluster = false" >"$1/etc/postgresql-common/createcluster.conf"
}

build() {
  local m script missing=() p
  lock
  if [ ! -f "$marker" ]; then
    command -v debootstrap >/dev/null || {
      echo "chroot: installing debootstrap" >&2
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
    }
    m=$(mirror)
    for d in "$dir" "$dir.new"; do
      if mounted_under "$d"; then echo "chroot: something is mounted under $d; not touching it" >&2; exit 1; fi
      rm -rf --one-file-system "$d"
    done
    # debootstrap has a script per suite it knows; a newer testing suite
    # (forky) is bootstrapped like sid
    script=/usr/share/debootstrap/scripts/$suite
    [ -e "$script" ] || script=/usr/share/debootstrap/scripts/sid
    echo "chroot: debootstrap $suite from $m into $dir (once)" >&2
    # (in a mount namespace of its own: what it mounts in the chroot goes
    # with it, even when it is interrupted)
    unshare --mount --propagation private -- debootstrap --variant=minbase --include=debian-archive-keyring \
      --keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
      "$suite" "$dir.new" "$m" "$script" >"$base/.$suite.debootstrap.log" 2>&1 || {
        tail -30 "$base/.$suite.debootstrap.log" >&2
        exit 1
      }
    configure "$dir.new"
    echo "$suite from $m, $(date -u +%Y-%m-%dT%H:%MZ)" >"$dir.new/.odr-chroot"
    mv "$dir.new" "$dir"
  fi
  configure "$dir"
  for p in "$@"; do
    chroot "$dir" dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "chroot: installing into $suite: ${missing[*]}" >&2
    in_root "$dir" sh -c 'apt-get update -qq && apt-get install -y -qq "$@" >/dev/null' sh "${missing[@]}"
    in_root "$dir" apt-get clean
  fi
}

run() {
  local up rc=0
  [ $# -gt 0 ] || { echo "usage: chroot.sh run SUITE COMMAND [ARG...]" >&2; exit 2; }
  [ -f "$marker" ] || { echo "chroot: no chroot for $suite (tools/chroot.sh build $suite)" >&2; exit 1; }
  lock
  up=$(mktemp -d "$base/.run-$suite.XXXXXX")
  ODR_CHROOT_OVERLAY=1 ODR_CHROOT_UPPER=$up PATH_IN=$PATH_IN in_root "$dir" "$@" || rc=$?
  if mounted_under "$up"; then
    echo "chroot: $up is still mounted; left in place" >&2
  else
    rm -rf --one-file-system "$up"
  fi
  return $rc
}

export PATH_IN
case "$cmd" in
build) build "$@" ;;
run) run "$@" ;;
path) echo "$dir" ;;
remove)
  lock
  if mounted_under "$dir"; then echo "chroot: something is mounted under $dir" >&2; exit 1; fi
  rm -rf --one-file-system "$dir" "$dir.new"
  ;;
*) echo "usage: chroot.sh build|run|path|remove SUITE ..." >&2; exit 2 ;;
esac
