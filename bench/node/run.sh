#!/bin/sh
# Times the reference (face-api on tfjs, wasm and cpu backends) and prints
# JSON on stdout. usage: bench/node/run.sh MODELS_DIR [bench.js options]
# e.g. bench/node/run.sh third_party/face-api/model --images /tmp/ppm
set -eu
[ $# -ge 1 ] || {
  echo "usage: $0 MODELS_DIR [--images DIR] [--backends wasm,cpu]" \
    "[--networks a,b] [--warmup N] [--runs N] [--pipeline-warmup N]" \
    "[--pipeline-runs N]" >&2
  exit 2
}
models=$(cd "$1" && pwd)
shift
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
# npm ci installs exactly package-lock.json; rerun it when the lock changes.
if [ ! -f node_modules/.package-lock.json ] ||
  [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund >&2
fi
exec node bench.js --models "$models" "$@"
