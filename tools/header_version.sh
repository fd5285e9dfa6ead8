#!/bin/sh
# Prints MAJOR.MINOR.PATCH read from the version macros of dager.h, which is
# the only place the version is written.
set -eu
header=$1
get() {
  sed -n "s/^#define DAGER_VERSION_$1 \([0-9][0-9]*\)\$/\1/p" "$header"
}
major=$(get MAJOR)
minor=$(get MINOR)
patch=$(get PATCH)
[ -n "$major" ] && [ -n "$minor" ] && [ -n "$patch" ] || {
  echo "cannot read version macros from $header" >&2
  exit 1
}
echo "$major.$minor.$patch"
