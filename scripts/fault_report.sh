#!/usr/bin/env bash
# Runs imeval on every bad input, fault and interruption of docs/errors.md and prints a Markdown table:
# the case, the command, what imeval printed (its error or warning line), the exit code, and the
# results file afterwards (each run starts from a results file holding one earlier row).
#
#   bash scripts/fault_report.sh [build dir, default build]
#
# The tests in tests/test_faults_*.cpp check the same cases; this script shows them to a reader.
set -uo pipefail
cd "$(dirname "$0")/.."
imeval="$PWD/${1:-build}/imeval"
[ -x "$imeval" ] || { echo "fault_report: $imeval missing: run scripts/setup.sh" >&2; exit 1; }
work=$(mktemp -d)
trap 'chmod -R u+rwx "$work" 2>/dev/null; rm -rf "$work"' EXIT
faults=tests/fixtures/faults
images=tests/fixtures/images
header="model,top1,top1_err,top5,top5_err,param_count,img_size,crop_pct,interpolation"
earlier="earlier_model,50.0,50.0,75.0,25.0,1.0,224,0.875,bicubic"
sample=(--data sample/images --class-map data/imagenet_synsets.txt --limit 4 -q)
model=sample/models/tf_mobilenetv1_025_128.pt
# Root writes anywhere, so permission cases run as nobody.
as_user=()
[ "$(id -u)" -eq 0 ] && as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups --)

# A folder of two readable sample images in one class, plus what the case adds.
make_data() {
  local dir=$1
  mkdir -p "$dir/n01440764"
  cp sample/images/n01440764/*.JPEG "$dir/n01440764/"
  cp sample/images/n01530575/*.JPEG "$dir/n01440764/"
}

seed_results() { printf '%s\r\n%s\r\n' "$header" "$earlier" >"$1"; }

results_state() {
  local file=$1
  if [ ! -e "$file" ]; then echo "absent"; return; fi
  if [ "$(cat "$file")" == "$(printf '%s\r\n%s\r\n' "$header" "$earlier")" ]; then echo "unchanged (1 earlier row)"; return; fi
  local rows=$(($(wc -l <"$file") - 1))
  if tr -d '\r' <"$file" | grep -q "^$earlier,\?\$"; then echo "earlier row kept, $((rows - 1)) row(s) added"; else echo "earlier row LOST ($rows rows)"; fi
}

# First line imeval printed at error or warning level (or the summary line), with the work folder shortened.
printed() {
  local line
  line=$(grep -m1 -E 'imeval: (error|warning)' "$1" || head -n1 "$2")
  echo "${line//$work/\$TMP}" | sed 's/|/\\|/g'
}

row() {  # case, command shown, exit code, results file
  local case=$1 shown=$2 code=$3 results=$4
  echo "| $case | \`${shown//$work/\$TMP}\` | $(printed "$work/err" "$work/out") | $code | $(results_state "$results") |"
}

# run CASE DATA_DIR MODEL [extra flags...]: one validate run with a seeded results file.
run() {
  local case=$1 data=$2 m=$3
  shift 3
  local results="$work/results-$RANDOM.csv"
  seed_results "$results"
  "$imeval" validate --model "$m" --data "$data" --class-map data/imagenet_synsets.txt -q --results-file "$results" "$@" \
    >"$work/out" 2>"$work/err"
  row "$case" "imeval validate --model $m --data $data $*" $? "$results"
}

echo "| case | command | imeval printed | exit | results file afterwards |"
echo "|---|---|---|---|---|"

run "model file missing" sample/images $faults/no_such_model.pt --limit 4
run "model is a pickled state_dict" sample/images $faults/state_dict.pt --limit 4
run "model is random bytes" sample/images $faults/random_bytes.pt --limit 4
run "forward fails on the input size" sample/images $faults/fails_unless_64px.pt --limit 4
run "output is [N, 1000, 1]" sample/images $faults/output_3d.pt --limit 4
run "output is a tuple of ints" sample/images $faults/tuple_of_ints.pt --limit 4
run "10 outputs for a 1000-class dataset" sample/images $faults/ten_outputs.pt --limit 4
run "NaN / Inf logits" sample/images $faults/nonfinite_logits.pt --limit 4

run "data folder missing" "$work/no_such_folder" $model
mkdir -p "$work/empty"
run "data folder empty" "$work/empty" $model
mkdir -p "$work/no_images/n01440764" && echo "notes" >"$work/no_images/n01440764/readme.txt"
run "no images, only a .txt" "$work/no_images" $model
make_data "$work/hidden" && mkdir -p "$work/hidden/.ipynb_checkpoints" && cp sample/images/n01440764/*.JPEG "$work/hidden/.ipynb_checkpoints/"
run "hidden .ipynb_checkpoints with an image" "$work/hidden" $model
make_data "$work/loop" && ln -s .. "$work/loop/n01440764/back"
run "symlink loop" "$work/loop" $model
make_data "$work/png_named_jpeg" && cp $images/png_named_as.JPEG "$work/png_named_jpeg/n01440764/"
run "PNG named .JPEG" "$work/png_named_jpeg" $model
make_data "$work/large" && cp $faults/large_90mp.png "$work/large/n01440764/"
run "90 MP PNG (over Pillow's limit, under 2x)" "$work/large" $model
for bad in error_truncated.jpg error_empty.jpg error_text.jpg; do
  make_data "$work/$bad" && cp "$images/$bad" "$work/$bad/n01440764/"
  run "$bad (stops by default)" "$work/$bad" $model
done
make_data "$work/bomb" && cp $faults/bomb_200mp.png "$work/bomb/n01440764/"
run "200 MP PNG bomb (over 2x the limit)" "$work/bomb" $model
make_data "$work/all_bad" && cp $images/error_truncated.jpg $images/error_empty.jpg $images/error_text.jpg $faults/bomb_200mp.png "$work/all_bad/n01440764/"
run "4 bad files, --skip-bad-images" "$work/all_bad" $model --skip-bad-images --summary-json "$work/summary.json"
make_data "$work/noperm" && chmod 000 "$work/noperm/n01440764/n01440764_tench.JPEG"
results="$work/results-noperm.csv"; seed_results "$results"; chmod 666 "$results"; chmod 777 "$work"
"${as_user[@]}" "$imeval" validate --model $model --data "$work/noperm" --class-map data/imagenet_synsets.txt -q --results-file "$results" \
  >"$work/out" 2>"$work/err"
row "image without read permission" "imeval validate --model $model --data $work/noperm" $? "$results"

echo "name,value" >"$work/foreign.csv"
"$imeval" validate --model $model "${sample[@]}" --results-file "$work/foreign.csv" >"$work/out" 2>"$work/err"
code=$?
echo "| CSV that is not a results file | \`imeval validate ... --results-file \$TMP/foreign.csv\` | $(printed "$work/err" "$work/out") | $code | $( [ "$(cat "$work/foreign.csv")" == "name,value" ] && echo "left as it was" || echo CHANGED) |"
echo x >"$work/a_file"
"$imeval" validate --model $model "${sample[@]}" --results-file "$work/a_file/results.csv" >"$work/out" 2>"$work/err"
code=$?
echo "| results folder is a file | \`imeval validate ... --results-file \$TMP/a_file/results.csv\` | $(printed "$work/err" "$work/out") | $code | folder file left as it was |"
mkdir -p "$work/ro" && seed_results "$work/ro/results.csv" && chmod 555 "$work/ro"
"${as_user[@]}" "$imeval" validate --model $model "${sample[@]}" --results-file "$work/ro/results.csv" >"$work/out" 2>"$work/err"
row "read-only results folder" "imeval validate ... --results-file \$TMP/ro/results.csv" $? "$work/ro/results.csv"
# Filler rows padded to a whole number of KB (the padded row is 51 bytes plus its name's padding), so a file size limit of the current size fails the rewrite.
seed_results "$work/full.csv"
for i in $(seq 1 40); do printf 'filler_%04d,50.0,50.0,75.0,25.0,1.0,224,0.875,bicubic\r\n' "$i"; done >>"$work/full.csv"
pad=$(( (1024 - $(stat -c %s "$work/full.csv") % 1024) % 1024 ))
printf 'filler_%s,50.0,50.0,75.0,25.0,1.0,224,0.875,bicubic\r\n' "$(head -c $(( (pad - 51 + 1024) % 1024 )) /dev/zero | tr '\0' x)" >>"$work/full.csv"
limit_kb=$(( $(stat -c %s "$work/full.csv") / 1024 ))
before=$(sha256sum <"$work/full.csv")
(trap '' XFSZ; ulimit -f "$limit_kb"; exec "$imeval" validate --model $model "${sample[@]}" --results-file "$work/full.csv") >"$work/out" 2>"$work/err"
code=$?
echo "| disk full (file size limit = current size) | \`ulimit -f; imeval validate ... --results-file \$TMP/full.csv\` | $(printed "$work/err" "$work/out") | $code | $( [ "$(sha256sum <"$work/full.csv")" == "$before" ] && echo "unchanged" || echo CHANGED) |"

for sig in INT TERM; do
  results="$work/results-$sig.csv"; seed_results "$results"
  "$imeval" validate --model $faults/slow.pt --data sample/images --class-map data/imagenet_synsets.txt --batch-size 1 \
    --log-freq 1 --results-file "$results" >"$work/out" 2>"$work/err" &
  pid=$!
  # The signal lands in the middle of the run: after the first progress line.
  until grep -q " images " "$work/err"; do sleep 0.05; done
  start=$(date +%s.%N)
  kill -"$sig" "$pid"
  wait "$pid"
  code=$?
  took=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
  row "SIG$sig during the run (exited ${took} s after the signal)" "imeval validate --model $faults/slow.pt ...; kill -$sig" $code "$results"
done
