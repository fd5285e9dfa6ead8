#!/usr/bin/env bash
# The README's first command: installs the build dependencies (Debian 12),
# fetches and converts the pinned models, and builds libdager in build/.
# Run as root (or with sudo) on a fresh machine; later runs skip what is
# already there.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! xargs -a .ci/apt-packages dpkg -s >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup.sh: missing Debian packages; run it as root or with sudo" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  xargs -a .ci/apt-packages apt-get install -y -qq >/dev/null
fi

tools/fetch-models.sh
if [ -d build ]; then
  meson setup --reconfigure build >/dev/null
else
  meson setup build >/dev/null
fi
ninja -C build
