#!/usr/bin/env bash
# Measures imeval against the Python reference (timm's eval semantics on Debian's torch) in one
# run, on the same files and machine, and prints a Markdown table with the ratios.
#
#   bash scripts/bench.sh [DATA_DIR] [--rss-50k]
#
# DATA_DIR defaults to ../shared/data/imagenet-1k-sample (1000 real ImageNet images). Models:
# the bundled tf_mobilenetv1_025_128.pt and a scripted torchvision resnet50 with random weights.
# Every measurement is repeated ROUNDS times (default 3), the Python and imeval runs alternating,
# and the median is reported, since a shared machine's speed drifts by 10-20% from minute to minute.
# --rss-50k also compares imeval's peak RSS on 1,000 and 50,000 images (symlinks repeating the
# sample 50 times; takes a few minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data/imagenet-1k-sample
rss_50k=0
rounds=${ROUNDS:-3}
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
cores=$(nproc)

# Prints "seconds peak_rss_kb" of a command, its output going to $work/last.log.
timed() { /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/last.log" 2>&1; cat "$work/time"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# A column of the `imeval bench` table row whose first cell starts with $2.
bench_cell() { echo "$1" | awk -F'|' -v row="$2" -v col="$3" 'index($2, " " row) == 1 { split($col, a, " "); print a[1] }'; }

n=$(find -L "$data" -iname '*.jp*g' -o -iname '*.png' | wc -l)
echo "| model | measurement | Python reference | imeval | ratio |"
echo "|---|---|---|---|---|"
for model in sample/models/tf_mobilenetv1_025_128.pt "$work/resnet50.pt"; do
  name=$(basename "$model" .pt)
  ref_data=(); im_data=(); im_decode=(); d_ms=(); i1_ms=(); ref_s=(); im_s=(); im_rss=()
  for _ in $(seq "$rounds"); do
    ref_data+=("$($py scripts/reference_validate.py --model "$model" --data "$data" --class-map "$class_map" \
                   --batch-size 64 --workers "$cores" --data-only 2>/dev/null | sed -n 's/^Data path only: .* \([0-9.]*\) img\/s$/\1/p')")
    bench=$(./build/imeval bench --model "$model" --data "$data" --class-map "$class_map" --batch-size 64)
    im_data+=("$(bench_cell "$bench" "data path, $cores workers" 4)")
    im_decode+=("$(bench_cell "$bench" "decode only" 4)")
    d_ms+=("$(bench_cell "$bench" "data path, 1 worker" 5)")
    i1_ms+=("$(bench_cell "$bench" "inference, 1 thread" 5)")
    read -r s _ < <(timed $py scripts/reference_validate.py --model "$model" --data "$data" --class-map "$class_map" \
                      --batch-size 64 --workers "$cores" --quiet)
    ref_s+=("$s")
    read -r s rss < <(timed ./build/imeval validate --model "$model" --data "$data" --class-map "$class_map" -q)
    im_s+=("$s"); im_rss+=("$rss")
  done
  ref_data_m=$(median "${ref_data[@]}"); im_data_m=$(median "${im_data[@]}"); im_decode_m=$(median "${im_decode[@]}")
  d=$(median "${d_ms[@]}"); i1=$(median "${i1_ms[@]}"); ref_s_m=$(median "${ref_s[@]}"); im_s_m=$(median "${im_s[@]}")
  limit=$(awk -v c="$cores" -v d="$d" -v i="$i1" 'BEGIN { printf "%.1f", c * 1000 / (d + i) }')
  e2e=$(awk -v n="$n" -v s="$im_s_m" 'BEGIN { printf "%.1f", n / s }')
  echo "| $name | data path img/s ($cores workers) | $ref_data_m | $im_data_m | $(ratio "$im_data_m" "$ref_data_m") |"
  echo "| $name | decode only img/s ($cores workers): the data path's ceiling | | $im_decode_m | $(ratio "$im_decode_m" "$ref_data_m") |"
  echo "| $name | end to end img/s, whole command | $(awk -v n="$n" -v s="$ref_s_m" 'BEGIN { printf "%.1f", n / s }') | $e2e | $(ratio "$ref_s_m" "$im_s_m") |"
  echo "| $name | d (data ms CPU/img), i1 (inference ms/img, 1 thread) | | d=$d i1=$i1 | |"
  echo "| $name | end to end / limit $cores/(d+i1) = $limit img/s | | $e2e | $(ratio "$e2e" "$limit") |"
  echo "| $name | imeval peak RSS MB, batch 64 | | $(( $(median "${im_rss[@]}") / 1024 )) | |"
done

if [ "$rss_50k" = 1 ]; then
  big="$work/big"
  for i in $(seq 1 50); do
    for d in "$data"/*/; do mkdir -p "$big/$(basename "$d")" && for f in "$d"*; do ln -s "$(realpath "$f")" "$big/$(basename "$d")/$i-$(basename "$f")"; done; done
  done
  read -r _ rss_1k < <(timed ./build/imeval validate --model sample/models/tf_mobilenetv1_025_128.pt --data "$data" --class-map "$class_map" -q)
  read -r _ rss_50k_kb < <(timed ./build/imeval validate --model sample/models/tf_mobilenetv1_025_128.pt --data "$big" --class-map "$class_map" -q)
  echo "| tf_mobilenetv1_025_128 | imeval peak RSS MB, $(find "$big" -type l | wc -l) images / 1000 images | | $((rss_50k_kb / 1024)) / $((rss_1k / 1024)) | $(ratio "$rss_50k_kb" "$rss_1k") |"
fi
echo
echo "$rounds rounds, medians. machine: $cores cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
