#!/bin/sh
# DEVELOPMENT STAND-IN. Decodes face-api's six demo photos to binary PPM
# with libjpeg-turbo's djpeg (Debian package libjpeg-turbo-progs), for use
# until libdager's own decoder can write PPMs. Fixtures made from these
# pixels compare the networks only when the C side feeds the very same
# pixels: the C parity test checks pixels_sha256 before comparing.
# usage: decode-samples-dev.sh OUTPUT_DIR
set -eu
[ $# -eq 1 ] || { echo "usage: $0 OUTPUT_DIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
demo="$root/third_party/face-api/demo"
[ -d "$demo" ] || demo="$here/node_modules/@vladmandic/face-api/demo"
command -v djpeg >/dev/null || {
  echo "djpeg not found: apt-get install libjpeg-turbo-progs" >&2; exit 1; }
mkdir -p "$1"
for photo in "$demo"/sample*.jpg; do
  name=$(basename "$photo" .jpg)
  djpeg -pnm -outfile "$1/$name.ppm" "$photo"
done
djpeg -version 2>&1 | head -n 1
