#!/bin/sh
# Decode + preprocess images/s, exact (pil) vs OpenCV resize backend, 1 and 2 threads, median of repeats.
#   scripts/bench_preprocess.sh [build dir] [image folder] [img_size crop_pct interpolation repeats]
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$repo/build"}
data=${2:-"$repo/../shared/data/imagenet-1k-sample"}
[ $# -gt 2 ] && shift 2 || set --
cmake --build "$build" --target bench_preprocess -j2 >/dev/null
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$build/bench/bench_preprocess" "$data" "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
