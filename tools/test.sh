#!/usr/bin/env bash
# Builds libdager and runs the whole test suite.
#   tools/test.sh              release build in build/
#   tools/test.sh --sanitize   ASan + UBSan build in build-sanitize/
#   tools/test.sh --tsan       ThreadSanitizer build in build-tsan/, running
#                              the suites that share engines, networks and
#                              images between threads
set -euo pipefail
cd "$(dirname "$0")/.."

dir=build
args=()
if [ "${1:-}" = "--sanitize" ]; then
  dir=build-sanitize
  args=(-Db_sanitize=address,undefined -Db_lundef=false
        -Dbuildtype=debugoptimized -Dbench=false)
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
elif [ "${1:-}" = "--tsan" ]; then
  dir=build-tsan
  args=(-Db_sanitize=thread -Db_lundef=false -Dbuildtype=debugoptimized
        -Dbench=false)
  export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
fi

# CI sets DAGER_WERROR=1 so that a new warning fails the build.
if [ "${DAGER_WERROR:-0}" = 1 ]; then
  args+=(-Dwerror=true)
fi

if [ -d "$dir" ]; then
  meson setup --reconfigure "$dir" "${args[@]}" >/dev/null
else
  meson setup "$dir" "${args[@]}" >/dev/null
fi
ninja -C "$dir"

tests=()
if [ "$dir" = build-sanitize ]; then
  # Under the sanitizers every suite runs, except the repeats of the
  # whole-photo parity test for the lower instruction sets: each takes
  # minutes there, the kernels of every ISA are checked against the scalar
  # reference by the kernel suites in this same run, and the release run
  # above checks parity with every ISA.
  mapfile -t tests < <(meson test -C "$dir" --list 2>/dev/null |
    sed -n 's|^[^ ]* / ||p' |
    grep -v -E '^api_parity_(scalar|sse41|avx2|neon)$')
elif [ "$dir" = build-tsan ]; then
  # The suites that share engines, networks and images between threads:
  # api_engine on synthetic networks, api_models with 8 threads on the real
  # networks and sample photos (about a minute under TSan).
  tests=(nn_ops api_engine api_models image_threads)
fi
meson test -C "$dir" --print-errorlogs --num-processes 2 "${tests[@]}"
