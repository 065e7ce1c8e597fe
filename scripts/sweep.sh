#!/usr/bin/env bash
# Every model on every test set present, resumable; then the published tables, as timm's results/ folder.
#
#   scripts/sweep.sh MODELS_DIR DATA_ROOT OUT_DIR [--force] [--imeval BIN] [-- extra imeval validate flags]
#
# DATA_ROOT may hold imagenet/ (val/ inside, or the class folders), imagenetv2-matched-frequency-format-val/,
# imagenet-sketch/ (or sketch/), imagenet-a/ and imagenet-r/; imagenet/ also gives the ReaL, A-clean and
# R-clean tables. Each finished run is upserted at once into OUT_DIR/raw/<results file> (4-decimal rows,
# written atomically under a lock), so a killed sweep loses at most the run in progress; a rerun skips
# the rows already there (--force redoes them). OUT_DIR/<results file> are then regenerated from raw/.
set -u

usage() { echo "usage: $0 MODELS_DIR DATA_ROOT OUT_DIR [--force] [--imeval BIN] [-- imeval validate flags]" >&2; exit 2; }

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
imeval="${IMEVAL:-$repo/build/imeval}"
force=0
positional=()
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=1 ;;
    --imeval) [ $# -ge 2 ] || usage; imeval="$2"; shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) usage ;;
    -*) echo "sweep.sh: unknown option '$1'" >&2; usage ;;
    *) positional+=("$1") ;;
  esac
  shift
done
[ ${#positional[@]} -eq 3 ] || usage
models_dir="${positional[0]}"; data_root="${positional[1]}"; out_dir="${positional[2]}"
[ -x "$imeval" ] || { echo "sweep.sh: imeval binary '$imeval' not found; build it or pass --imeval" >&2; exit 2; }
[ -d "$models_dir" ] || { echo "sweep.sh: models folder '$models_dir' does not exist" >&2; exit 2; }
[ -d "$data_root" ] || { echo "sweep.sh: data root '$data_root' does not exist" >&2; exit 2; }

# preset | results file | candidate folders under DATA_ROOT
datasets=(
  "imagenet|results-imagenet.csv|imagenet"
  "imagenet-real|results-imagenet-real.csv|imagenet"
  "imagenetv2|results-imagenetv2-matched-frequency.csv|imagenetv2-matched-frequency-format-val imagenetv2-matched-frequency imagenetv2"
  "sketch|results-sketch.csv|imagenet-sketch sketch"
  "imagenet-a|results-imagenet-a.csv|imagenet-a"
  "imagenet-r|results-imagenet-r.csv|imagenet-r"
  "imagenet-a-clean|results-imagenet-a-clean.csv|imagenet"
  "imagenet-r-clean|results-imagenet-r-clean.csv|imagenet"
)

shopt -s nullglob
models=("$models_dir"/*.pt)
[ ${#models[@]} -gt 0 ] || { echo "sweep.sh: no .pt models in '$models_dir'" >&2; exit 2; }
mkdir -p "$out_dir/raw" || exit 1

# True when the results file already has a row for this model (first column, exact).
has_row() { [ -f "$1" ] && awk -F, -v m="$2" 'NR > 1 && $1 == m { found = 1 } END { exit !found }' "$1"; }

failed=0; ran=0; skipped=0
for entry in "${datasets[@]}"; do
  IFS='|' read -r preset results candidates <<<"$entry"
  data=""
  for c in $candidates; do [ -d "$data_root/$c" ] && { data="$data_root/$c"; break; }; done
  [ -n "$data" ] || continue
  for model in "${models[@]}"; do
    name="$(basename "$model" .pt)"
    if [ $force -eq 0 ] && has_row "$out_dir/raw/$results" "$name"; then
      skipped=$((skipped + 1))
      continue
    fi
    echo "sweep: $name on $preset ($data)" >&2
    "$imeval" validate --model "$model" --data "$data" --dataset "$preset" --results-file "$out_dir/raw/$results" -q \
      ${extra[@]+"${extra[@]}"}
    rc=$?
    if [ $rc -ge 128 ]; then
      echo "sweep: interrupted during $name on $preset; rerun the same command to resume" >&2
      exit $rc
    elif [ $rc -ne 0 ]; then
      echo "sweep: $name on $preset failed (exit $rc); continuing" >&2
      failed=$((failed + 1))
    else
      ran=$((ran + 1))
    fi
  done
done
echo "sweep: $ran run, $skipped already present, $failed failed" >&2
"$imeval" results regenerate "$out_dir/raw" --output "$out_dir" >/dev/null || exit 1
[ $failed -eq 0 ]
