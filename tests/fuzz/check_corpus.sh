#!/bin/sh
# Regenerates a seed corpus into a temporary folder and compares it with
# the committed one: usage check_corpus.sh GENERATOR COMMITTED_FOLDER
set -eu
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
"$1" "$scratch"
for file in "$scratch"/*; do
  name="$(basename "$file")"
  if ! cmp -s "$file" "$2/$name"; then
    echo "$2/$name differs from the generator's output; regenerate with:"
    echo "  $1 $2"
    exit 1
  fi
done
echo "seed corpus in $2 matches its generator"
