#!/usr/bin/env bash
# Two imeval validate processes write different models into one results file at the same time, N times
# (default 20); checks that every row is present exactly once and every line is well formed.
# Usage: bash scripts/stress_results_lock.sh [build dir, default build] [repetitions, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."
imeval=${1:-build}/imeval
repetitions=${2:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
results=$work/results.csv

for i in $(seq 1 "$repetitions"); do
  pids=()
  for name in A B; do
    "$imeval" validate --model sample/models/tf_mobilenetv1_025_128.pt --data sample/images \
      --class-map data/imagenet_synsets.txt --limit 8 -q --workers 1 --threads 1 \
      --model-name "$name$i" --results-file "$results" >"$work/$name$i.out" 2>"$work/$name$i.err" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do
    wait "$pid" || { echo "stress: a run failed in repetition $i:" >&2; cat "$work"/*"$i".err >&2; exit 1; }
  done
done

header="model,top1,top1_err,top5,top5_err,param_count,img_size,crop_pct,interpolation"
status=0
[ "$(head -n1 "$results" | tr -d '\r')" == "$header" ] || { echo "stress: bad header" >&2; status=1; }
rows=$(($(wc -l <"$results") - 1))
[ "$rows" -eq $((2 * repetitions)) ] || { echo "stress: $rows rows, expected $((2 * repetitions))" >&2; status=1; }
malformed=$(tr -d '\r' <"$results" | awk -F, 'NF != 9' | wc -l)
[ "$malformed" -eq 0 ] || { echo "stress: $malformed lines without 9 fields" >&2; status=1; }
[ "$(grep -c $'\r$' "$results")" -eq $((rows + 1)) ] || { echo "stress: a line lacks its CRLF ending" >&2; status=1; }
for i in $(seq 1 "$repetitions"); do
  for name in A B; do
    count=$(tr -d '\r' <"$results" | grep -c "^$name$i,") || true
    [ "$count" -eq 1 ] || { echo "stress: row $name$i found $count times" >&2; status=1; }
  done
done
ls -A "$(dirname "$results")" | grep -q '\.tmp\.' && { echo "stress: a temporary file was left behind" >&2; status=1; }
[ "$status" -eq 0 ] && echo "stress: $repetitions repetitions, $rows rows, all present once and well formed"
exit "$status"
