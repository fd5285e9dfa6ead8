#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs each one for a
# short time from its committed seed corpus. CI runs 45 s per target; for a
# long run give more seconds:
#   tools/fuzz.sh [seconds-per-target]
# New inputs go to tests/fuzz/corpus-<target>/ (git-ignored); a crash is
# written as crash-* in the current folder and fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-45}
dir=build-fuzz

if [ ! -d "$dir" ]; then
  CC=clang meson setup "$dir" -Dfuzz=true -Db_sanitize=address,undefined \
    -Db_lundef=false -Dbench=false >/dev/null
fi
ninja -C "$dir" >/dev/null

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
found=0
for target in "$dir"/tests/fuzz/fuzz_*; do
  name=$(basename "$target")
  case "$name" in *replay* | *.p) continue ;; esac
  [ -x "$target" ] || continue
  seeds="tests/fuzz/corpus/${name#fuzz_}"
  [ -d "$seeds" ] || seeds=""
  scratch="tests/fuzz/corpus-${name#fuzz_}"
  mkdir -p "$scratch"
  echo "fuzz: $name for ${seconds}s"
  "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 "$scratch" $seeds 2>&1 | tail -n 3
  found=$((found + 1))
done
[ "$found" -gt 0 ] || { echo "fuzz: no targets were built" >&2; exit 1; }
