#!/usr/bin/env bash
# Measures imeval against the Python reference (timm's eval semantics on Debian's torch) in one
# run, on the same files and machine, and prints a Markdown table with the ratios.
#
#   bash scripts/bench.sh [DATA_DIR] [--rss-50k]
#
# DATA_DIR defaults to ../shared/data/imagenet-1k-sample (1000 real ImageNet images). Models:
# the bundled tf_mobilenetv1_025_128.pt and a scripted torchvision resnet50 with random weights.
# --rss-50k also compares imeval's peak RSS on 1,000 and 50,000 images (symlinks repeating the
# sample 50 times; takes a few minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data/imagenet-1k-sample
rss_50k=0
for arg in "$@"; do
  case "$arg" in
    --rss-50k) rss_50k=1 ;;
    *) data=$arg ;;
  esac
done
[ -d "$data" ] || { echo "bench: no data folder '$data'" >&2; exit 1; }
[ -x build/imeval ] || { echo "bench: build/imeval missing: run scripts/setup.sh" >&2; exit 1; }
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
$py scripts/make_bench_model.py "$work/resnet50.pt"
class_map=data/imagenet_synsets.txt

# Prints "seconds peak_rss_kb" of a command, its output going to $work/last.log.
timed() { /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/last.log" 2>&1; cat "$work/time"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

n=$(find -L "$data" -iname '*.jp*g' -o -iname '*.png' | wc -l)
echo "| model | measurement | Python reference | imeval | ratio |"
echo "|---|---|---|---|---|"
for model in sample/models/tf_mobilenetv1_025_128.pt "$work/resnet50.pt"; do
  name=$(basename "$model" .pt)
  ref_data=$($py scripts/reference_validate.py --model "$model" --data "$data" --class-map "$class_map" \
               --batch-size 64 --workers "$(nproc)" --data-only | sed -n 's/^Data path only: .* \([0-9.]*\) img\/s$/\1/p')
  bench=$(./build/imeval bench --model "$model" --data "$data" --class-map "$class_map" --batch-size 64)
  im_data=$(echo "$bench" | awk -F'|' '/data path, [0-9]+ workers/ { gsub(/ /, "", $4); print $4 }')
  d_ms=$(echo "$bench" | awk -F'|' '/data path, 1 worker/ { split($5, a, " "); print a[1] }')
  i1_ms=$(echo "$bench" | awk -F'|' '/inference, 1 thread/ { split($5, a, " "); print a[1] }')
  read -r ref_s _ < <(timed $py scripts/reference_validate.py --model "$model" --data "$data" --class-map "$class_map" \
                        --batch-size 64 --workers "$(nproc)" --quiet)
  read -r im_s im_rss < <(timed ./build/imeval validate --model "$model" --data "$data" --class-map "$class_map" -q)
  limit=$(awk -v c="$(nproc)" -v d="$d_ms" -v i="$i1_ms" 'BEGIN { printf "%.1f", c * 1000 / (d + i) }')
  e2e=$(awk -v n="$n" -v s="$im_s" 'BEGIN { printf "%.1f", n / s }')
  echo "| $name | data path img/s ($(nproc) workers) | $ref_data | $im_data | $(ratio "$im_data" "$ref_data") |"
  echo "| $name | end to end img/s, whole command | $(awk -v n="$n" -v s="$ref_s" 'BEGIN { printf "%.1f", n / s }') | $e2e | $(ratio "$ref_s" "$im_s") |"
  echo "| $name | d (data ms CPU/img), i1 (inference ms/img, 1 thread) | | d=$d_ms i1=$i1_ms | |"
  echo "| $name | end to end / limit $(nproc)/(d+i1) = $limit img/s | | $e2e | $(ratio "$e2e" "$limit") |"
  echo "| $name | imeval peak RSS MB, batch 64 | | $((im_rss / 1024)) | |"
done

if [ "$rss_50k" = 1 ]; then
  big="$work/big"
  for i in $(seq 1 50); do
    for d in "$data"/*/; do mkdir -p "$big/$(basename "$d")" && for f in "$d"*; do ln -s "$(realpath "$f")" "$big/$(basename "$d")/$i-$(basename "$f")"; done; done
  done
  read -r _ rss_1k < <(timed ./build/imeval validate --model sample/models/tf_mobilenetv1_025_128.pt --data "$data" --class-map "$class_map" -q)
  read -r _ rss_50k_kb < <(timed ./build/imeval validate --model sample/models/tf_mobilenetv1_025_128.pt --data "$big" --class-map "$class_map" -q)
  echo "| tf_mobilenetv1_025_128 | peak RSS MB, 1,000 vs $(find "$big" -type l | wc -l) images | $((rss_1k / 1024)) | $((rss_50k_kb / 1024)) | $(ratio "$rss_50k_kb" "$rss_1k") |"
fi
echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
