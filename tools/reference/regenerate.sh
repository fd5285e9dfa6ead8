#!/bin/sh
# Regenerates every committed reference fixture: decodes face-api's six
# demo photos with libdager's own decoder, then runs the reference networks
# and pipeline on those exact pixels.
# usage: tools/reference/regenerate.sh [BUILD_DIR]
#   without BUILD_DIR: builds libdager from the committed HEAD (git archive
#   into a temporary folder), so the decoder is exactly a commit;
#   with BUILD_DIR: uses the libdager.so built there from this work tree.
# Needs: meson, ninja, a C compiler, Node 20, the npm registry, and
# tools/fetch-models.sh run once (models and photos).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
samples="$root/third_party/face-api/samples"
[ -d "$samples" ] || {
  echo "no $samples: run tools/fetch-models.sh first" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
commit=$(git -C "$root" rev-parse --short HEAD)
if [ $# -ge 1 ]; then
  build=$(cd "$1" && pwd)
  source_root=$root
  # Name the decoder exactly, including uncommitted changes to lib/image.
  if [ -n "$(git -C "$root" status --porcelain -- lib/image)" ]; then
    commit="$commit with uncommitted lib/image changes"
  fi
else
  mkdir "$work/source"
  git -C "$root" archive HEAD | tar -x -C "$work/source"
  build="$work/build"
  source_root="$work/source"
  meson setup "$build" "$source_root" >&2
  # Only the library: the decoder is all this needs.
  meson compile -C "$build" lib/dager:shared_library >&2
fi
library=$(find "$build" -name 'libdager.so' -path '*/lib/*' | head -n 1)
[ -n "$library" ] || { echo "no libdager.so under $build" >&2; exit 1; }
${CC:-cc} -std=c11 -O2 -I"$source_root/include" -I"$build/include" \
  "$here/decode-to-ppm.c" -L"$(dirname "$library")" -ldager \
  -Wl,-rpath,"$(dirname "$library")" -o "$work/decode-to-ppm"
mkdir "$work/ppm"
"$work/decode-to-ppm" "$work/ppm" "$samples"/sample*.jpg >&2
"$here/run.sh" --images "$work/ppm" \
  --decoder "libdager dager_image_load_file ($commit)"
