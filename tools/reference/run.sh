#!/bin/sh
# Installs the pinned reference packages (once) and writes the fixtures.
# Arguments go to make-fixtures.js; see tests/fixtures/README.md.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
# npm ci installs exactly package-lock.json; rerun it when the lock changes.
if [ ! -f node_modules/.package-lock.json ] ||
  [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund >&2
fi
exec node make-fixtures.js "$@"
