#!/usr/bin/env bash
# The README's first command: installs the build dependencies (Debian 12),
# fetches and converts the pinned models, and builds libdager in build/.
# Run as root, or as a user with sudo, on a fresh machine; later runs skip what is
# already there.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! xargs -a .ci/apt-packages dpkg -s >/dev/null 2>&1; then
  as_root=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || {
      echo "setup.sh: missing Debian packages; run it as root" >&2
      exit 1
    }
    as_root=(sudo)
  fi
  echo "setup.sh: installing Debian packages (.ci/apt-packages)"
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  xargs -a .ci/apt-packages "${as_root[@]}" env \
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq >/dev/null
fi

tools/fetch-models.sh
if [ -d build ]; then
  meson setup --reconfigure build >/dev/null
else
  meson setup build >/dev/null
fi
ninja -C build
