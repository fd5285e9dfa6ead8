#!/usr/bin/env bash
# Builds the kernel checks for AArch64 with Debian's cross compiler and
# runs them under qemu-user, so the NEON kernels are compared with the
# scalar reference on every CI run although no ARM machine is at hand.
#
# Needs (installs nothing itself): gcc-aarch64-linux-gnu,
# libc6-dev-arm64-cross, qemu-user-static.
#
# The checks are built without meson and without cmocka (whose arm64
# package needs a multiarch setup): the library's kernel sources, the
# shared checks and a plain runner (tests/kernels/neon_main.c), linked
# statically. The same compiler is named in cross/aarch64-linux-gnu.ini for
# meson cross builds.
#   tools/test-neon.sh [build-folder]      (default: build-neon)
set -euo pipefail
cd "$(dirname "$0")/.."

cc=${CROSS_CC:-aarch64-linux-gnu-gcc}
qemu=${QEMU_AARCH64:-qemu-aarch64-static}
out=${1:-build-neon}

for tool in "$cc" "$qemu"; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "test-neon: $tool not found; install gcc-aarch64-linux-gnu," \
         "libc6-dev-arm64-cross and qemu-user-static" >&2
    exit 1
  fi
done

mkdir -p "$out"
sources=(
  lib/kernels/kernels.c lib/kernels/pack.c lib/kernels/winograd.c
  lib/kernels/scalar/*.c
  lib/kernels/arm/*.c
  tests/kernels/kernel_checks.c tests/kernels/neon_main.c
)
flags=(-std=c11 -O2 -Wall -Wextra -Wpedantic -Werror
       -D_POSIX_C_SOURCE=200809L -DDAGER_KERNELS_HAVE_NEON
       -Iinclude -Ilib -Itests/kernels)

echo "test-neon: $cc $($cc -dumpversion), $($qemu --version | head -n 1)"
"$cc" "${flags[@]}" "${sources[@]}" -static -pthread -lm \
  -o "$out/kernel_checks_aarch64"
"$qemu" "$out/kernel_checks_aarch64"
