# Sourced by the tests that install an earlier release of odr (test/upgrade.sh,
# test/trusted.sh).  make install no longer ships the install scripts of
# earlier releases (README: Upgrades); their frozen copies live in
# test/upgrade/releases.  For the duration of a test:
#
#   . test/releases.sh
#   trap releases_remove EXIT     # (or add it to the script's own EXIT trap)
#   releases_install              # CREATE EXTENSION odr VERSION '0.1.0' now works
#
# releases_install copies them into the extension directory of the
# PostgreSQL that PG_CONFIG names (default pg_config), all but the current
# version's (make install put that one there, built from sql/odr.sql) and any
# already there; releases_remove removes exactly the files it copied.  Run it
# in the script's own shell (not in $(...)): it remembers them in a variable.
#
# From PostgreSQL 17 on, the array type of a type an extension creates joins
# the extension by itself, and the frozen scripts' own
#   ALTER EXTENSION odr ADD TYPE odr_assessment[];
# then fails ("already a member"): on those majors that one line is left out
# of the copies (the current install script asks pg_depend first). Nothing
# else is changed.

releases_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/upgrade/releases" && pwd)
releases_copied=()

releases_install() {
  local ext current f dest major
  ext="$("${PG_CONFIG:-pg_config}" --sharedir)/extension"
  major=$("${PG_CONFIG:-pg_config}" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')
  current=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" "$releases_dir/../../../odr.control")
  if [ ! -w "$ext" ]; then
    echo "releases: cannot write to $ext (run as its owner, or use tools/private_pg.sh)" >&2
    return 1
  fi
  for f in "$releases_dir"/odr--*.sql; do
    dest="$ext/$(basename "$f")"
    [ "$(basename "$f")" = "odr--$current.sql" ] && continue
    [ -e "$dest" ] && continue
    if [ "$major" -ge 17 ]; then
      sed '/^ALTER EXTENSION odr ADD TYPE odr_assessment\[\];$/d' "$f" >"$dest"
    else
      cp "$f" "$dest"
    fi
    chmod 644 "$dest"
    releases_copied+=("$dest")
  done
  return 0
}

releases_remove() {
  if [ ${#releases_copied[@]} -gt 0 ]; then
    rm -f "${releases_copied[@]}"
  fi
  releases_copied=()
}
