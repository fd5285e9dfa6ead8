#!/usr/bin/env bash
# Fails when a tracked C source or header differs from what clang-format
# (with the repository's .clang-format, 80 columns) would write.
set -euo pipefail
cd "$(dirname "$0")/.."
bad=0
while IFS= read -r file; do
  if ! clang-format --dry-run -Werror "$file" >/dev/null 2>&1; then
    echo "check-format: $file is not formatted (clang-format -i $file)"
    bad=1
  fi
done < <(git ls-files '*.c' '*.h')
[ "$bad" = 0 ] && echo "check-format: every C file follows .clang-format"
exit "$bad"
