#!/usr/bin/env bash
# libdager next to the reference (face-api 1.7.15 on TF.js) in one run:
# per network, our bench_pipeline and the Node harness take turns (ours,
# wasm, cpu, then the next network), then per photo the whole pipeline
# (ours, wasm), all single-threaded on the same inputs, and the ratios are
# printed from that same run. On a shared, noisy machine only such
# interleaved ratios mean something; both sides also record process CPU
# time, which the load inflates much less than the wall clock.
#
#   tools/bench.sh [--build DIR] [--out DIR] [--rounds N] [--runs N]
#                  [--warmup N] [--cpu-runs N] [--pipeline-runs N]
#                  [--networks a,b] [--photos DIR] [--no-cpu] [--quick]
#                  [--priority]
#
# --priority (root only) runs the whole comparison, both sides alike, in a
# session of its own at the highest scheduling priority (nice -20, and the
# same for its autogroup), so other work on a shared machine takes little
# of its time; without it, two-thread results on a loaded machine say
# nothing about scaling.
#
# Needs: a build (tools/setup.sh makes build/ with build/models), the
# face-api package unpacked by tools/fetch-models.sh, node and npm (the
# first run does `npm ci` in bench/node, from the npm registry).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

build=build
out=
rounds=1
runs=15
warmup=3
cpu_runs=5
cpu_warmup=1
pipeline_runs=3
pipeline_warmup=1
networks=ssd_mobilenetv1,tiny_face_detector,face_landmark_68,face_landmark_68_tiny,age_gender,face_expression,face_recognition
photos=third_party/face-api/samples
with_cpu=1
priority=0
arguments=("$@")

usage() {
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --cpu-runs) cpu_runs=$2; shift 2 ;;
    --pipeline-runs) pipeline_runs=$2; shift 2 ;;
    --networks) networks=$2; shift 2 ;;
    --photos) photos=$2; shift 2 ;;
    --no-cpu) with_cpu=0; shift ;;
    --quick) runs=5; warmup=1; cpu_runs=2; pipeline_runs=1; shift ;;
    --priority) priority=1; shift ;;
    *) usage ;;
  esac
done

if [ "$priority" = 1 ] && [ -z "${DAGER_BENCH_PRIORITY:-}" ]; then
  [ "$(id -u)" = 0 ] || {
    echo "bench.sh: --priority needs root" >&2
    exit 2
  }
  export DAGER_BENCH_PRIORITY=1
  # setsid gives the run its own autogroup, whose weight the kernel sets
  # from /proc/self/autogroup; nice alone only ranks within one autogroup.
  exec setsid -w bash -c 'echo -20 >/proc/self/autogroup &&
    exec nice -n -20 "$0" "$@"' "$0" "${arguments[@]}"
fi

bench=$build/bench/pipeline/bench_pipeline
dager=$build/src/dager/dager
models=$build/models
reference_models=third_party/face-api/model
for needed in "$bench" "$dager" "$models/ssd_mobilenetv1.dager" \
  "$reference_models" "$photos"; do
  [ -e "$needed" ] || {
    echo "bench.sh: $needed is missing (run tools/setup.sh, or give" \
      "--build)" >&2
    exit 1
  }
done
command -v node >/dev/null || {
  echo "bench.sh: node is missing" >&2
  exit 1
}
if [ -z "$out" ]; then
  out=$(mktemp -d /tmp/dager-bench.XXXXXX)
fi
mkdir -p "$out"
echo "bench.sh: results in $out" >&2

# What the numbers belong to.
# The build may come from another tree (a `git archive` of a commit, say):
# name the tree it was configured from, and its commit when it has one.
source_dir=$(sed -n 's/.*"source": "\([^"]*\)".*/\1/p' \
  "$build/meson-info/meson-info.json" 2>/dev/null || true)
{
  echo "build $build, configured from ${source_dir:-unknown}"
  if [ -n "$source_dir" ] &&
    git -C "$source_dir" rev-parse HEAD >/dev/null 2>&1; then
    echo "commit $(git -C "$source_dir" rev-parse HEAD)"
    if [ -n "$(git -C "$source_dir" status --porcelain -- lib include)" ]; then
      echo "work tree: lib/ or include/ has uncommitted changes"
    fi
  else
    echo "commit unknown (not a git tree; say which commit it holds)"
  fi
  echo "date $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "online_cpus $(nproc)"
  echo "command tools/bench.sh ${arguments[*]}"
  echo "priority $([ -n "${DAGER_BENCH_PRIORITY:-}" ] && echo top || echo normal)"
} >"$out/machine.txt"

# The Node side runs the pipeline on the pixels our decoder makes, so that
# both pipelines see the same image and decoding is left out of both.
photo_files=()
while IFS= read -r file; do
  photo_files+=("$file")
done < <(find "$photos" -maxdepth 1 \( -type f -o -type l \) \
  \( -name '*.jpg' -o -name '*.jpeg' -o -name '*.png' \) | sort)
for file in "${photo_files[@]}"; do
  name=$(basename "${file%.*}")
  mkdir -p "$out/ppm/$name"
  "$bench" --write-ppm "$out/ppm/$name" --images "$file"
done

ours() {
  "$bench" --models "$models" --isa best --threads 1 --json "$@" \
    2>>"$out/ours.log"
}
theirs() {
  bench/node/run.sh "$reference_models" "$@" 2>>"$out/theirs.log"
}

IFS=, read -r -a network_list <<<"$networks"
for ((round = 1; round <= rounds; round++)); do
  for net in "${network_list[@]}"; do
    echo "bench.sh: round $round $net" >&2
    ours --networks "$net" --warmup "$warmup" --runs "$runs" \
      >"$out/net-$round-$net-ours.json"
    theirs --backends wasm --networks "$net" --warmup "$warmup" \
      --runs "$runs" >"$out/net-$round-$net-wasm.json"
    if [ "$with_cpu" = 1 ]; then
      theirs --backends cpu --networks "$net" --warmup "$cpu_warmup" \
        --runs "$cpu_runs" >"$out/net-$round-$net-cpu.json"
    fi
  done
  for file in "${photo_files[@]}"; do
    name=$(basename "${file%.*}")
    echo "bench.sh: round $round pipeline $name" >&2
    ours --networks none --images "$file" \
      --pipeline-warmup "$pipeline_warmup" --pipeline-runs "$pipeline_runs" \
      >"$out/pipe-$round-$name-ours.json"
    theirs --backends wasm --networks none --images "$out/ppm/$name" \
      --pipeline-warmup "$pipeline_warmup" --pipeline-runs "$pipeline_runs" \
      >"$out/pipe-$round-$name-wasm.json"
  done
done

# Our side alone: every ISA, one and two threads, both detectors on the
# first photo, and the dager program's peak memory on it.
first=${photo_files[0]}
echo "bench.sh: all ISAs, 1 and 2 threads" >&2
"$bench" --models "$models" --isa all --threads 1,2 --json \
  --warmup "$warmup" --runs "$runs" \
  --images "$first" --pipeline-warmup "$pipeline_warmup" \
  --pipeline-runs "$pipeline_runs" >"$out/ours-all.json" 2>>"$out/ours.log"
echo "bench.sh: throughput, 2 sessions on 2 threads" >&2
"$bench" --models "$models" --throughput 2 --images "$photos" \
  --pipeline-runs "$pipeline_runs" --json >"$out/throughput.json" \
  2>>"$out/ours.log"
echo "bench.sh: tiny detector" >&2
"$bench" --models "$models" --isa best --threads 1,2 --json --networks none \
  --detector tiny \
  --images "$first" --pipeline-warmup "$pipeline_warmup" \
  --pipeline-runs "$pipeline_runs" >"$out/ours-tiny.json" 2>>"$out/ours.log"
# dager loads the descriptor network only with --descriptor.
for detector in ssd tiny; do
  /usr/bin/time -v "$dager" --models "$models" --detector "$detector" \
    --no-progress "$first" >/dev/null 2>"$out/rss-$detector.txt"
  /usr/bin/time -v "$dager" --models "$models" --detector "$detector" \
    --descriptor --no-progress "$first" >/dev/null \
    2>"$out/rss-$detector-descriptor.txt"
done
"$bench" --models "$models" --memory >"$out/memory.txt" 2>>"$out/ours.log"
"$bench" --models "$models" --profile --warmup "$warmup" --runs "$runs" \
  >"$out/profile.txt" 2>>"$out/ours.log"

node bench/pipeline/compare.js "$out" | tee "$out/summary.md"
