#!/usr/bin/env bash
# Compares the ABI of the installed shared library with the committed
# baseline abi/libdager.abi (abigail-tools). Exits non-zero when anything a
# caller already uses changed; added functions are allowed.
#   tools/abi-check.sh            check
#   tools/abi-check.sh --update   rewrite the baseline (commit it with a
#                                 message saying why the ABI changed)
set -euo pipefail
cd "$(dirname "$0")/.."

dir=build-abi
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

if [ ! -d "$dir" ]; then
  meson setup "$dir" -Dbuildtype=debugoptimized -Dtests=false -Dbench=false \
    --prefix=/usr >/dev/null
fi
ninja -C "$dir" >/dev/null
meson install -C "$dir" --destdir "$stage" --quiet >/dev/null

library=$(find "$stage" -name 'libdager.so.*.*.*' -type f | head -n 1)
headers="$stage/usr/include"
[ -n "$library" ] || { echo "abi-check: no installed libdager.so" >&2; exit 1; }

abidw --headers-dir "$headers" --no-corpus-path --no-comp-dir-path \
  --out-file "$stage/current.abi" "$library"

if [ "${1:-}" = "--update" ]; then
  mkdir -p abi
  cp "$stage/current.abi" abi/libdager.abi
  echo "abi-check: baseline written to abi/libdager.abi"
  exit 0
fi

[ -f abi/libdager.abi ] || { echo "abi-check: no baseline" >&2; exit 1; }
set +e
abidiff --no-added-syms --suppressions abi/opaque-types.suppr \
  abi/libdager.abi "$stage/current.abi" \
  >"$stage/report.txt"
status=$?
set -e
cat "$stage/report.txt"
# abidiff's status is a bit set: 1 error, 2 usage, 4 change, 8 incompatible.
# With added symbols left out, any change (4) is to something a caller
# already uses, such as the layout of dager_face, which callers allocate;
# abidiff calls that a change rather than an incompatibility, so both fail.
if [ "$status" -ne 0 ]; then
  echo "abi-check: FAILED (abidiff status $status)" >&2
  exit 1
fi
echo "abi-check: compatible with the baseline (abidiff status $status)"
