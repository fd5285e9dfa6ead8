#!/usr/bin/env bash
# Installs libdager into a staging folder and builds the C example against
# it with pkg-config only, as a user of the installed library would.
set -euo pipefail
cd "$(dirname "$0")/.."

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
dir=build-install
if [ ! -d "$dir" ]; then
  meson setup "$dir" --prefix=/usr -Dtests=false -Dbench=false >/dev/null
fi
ninja -C "$dir" >/dev/null
meson install -C "$dir" --destdir "$stage" --quiet >/dev/null

pcdir=$(dirname "$(find "$stage" -name dager.pc | head -n 1)")
export PKG_CONFIG_PATH="$pcdir"
export PKG_CONFIG_SYSROOT_DIR="$stage"
echo "pkg-config: $(pkg-config --cflags --libs dager)"
test -f "$stage/usr/include/dager.h"

libdir=$(dirname "$(find "$stage" -name 'libdager.so' | head -n 1)")
work=$(mktemp -d)
cp -r examples/c/. "$work/"
make -C "$work" >/dev/null
echo "install-check: examples/c built against the installed library"
if [ -n "${1:-}" ]; then
  LD_LIBRARY_PATH="$libdir" DAGER_MODELS_DIR="$(find "$stage" -type d \
    -path '*dager/models' | head -n 1)" "$work/example" "$1"
fi
rm -rf "$work"
