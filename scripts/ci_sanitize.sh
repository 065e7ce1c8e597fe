#!/usr/bin/env bash
# CI step after the main tests: the test suite built with AddressSanitizer + UndefinedBehaviorSanitizer
# (build-asan/, gcc) and a fixed-length libFuzzer run over decode + resize + crop + normalize (build-fuzz/, clang).
# LibTorch and OpenCV are not instrumented; only imeval's own code is checked.
# Usage: bash scripts/ci_sanitize.sh [asan|fuzz|all]   (default all); FUZZ_RUNS overrides the iteration count.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
jobs=$(nproc)

if [[ $what == all || $what == fuzz ]] && ! { command -v clang++ >/dev/null && dpkg-query -W -f='${Status}' libclang-rt-dev 2>/dev/null | grep -q "install ok installed"; }; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "ci_sanitize: installing clang and libclang-rt-dev (libFuzzer)" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends clang libclang-rt-dev >/dev/null
fi

export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:detect_odr_violation=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

if [[ $what == all || $what == asan ]]; then
  start=$SECONDS
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIMEVAL_SANITIZE=ON -DIMEVAL_BUILD_BENCH=OFF >/dev/null
  # LibTorch's and OpenCV's allocations that live until exit are reported by LeakSanitizer; they are not imeval's.
  printf '%s\n' "leak:libtorch" "leak:libc10" "leak:libopencv" "leak:libgomp" "leak:libopenblas" >build-asan/lsan.supp
  export LSAN_OPTIONS="suppressions=$PWD/build-asan/lsan.supp:print_suppressions=0"
  echo "ci_sanitize: building the ASan+UBSan test suite (log in build-asan/build.log)" >&2
  if ! cmake --build build-asan -j"$jobs" --target imeval imeval_tests >build-asan/build.log 2>&1; then
    grep -E 'error|Error' build-asan/build.log | head -40 >&2
    exit 1
  fi
  echo "ci_sanitize: build took $((SECONDS - start)) s" >&2
  start=$SECONDS
  # The whole suite except [shared][slow] (the 1000-image run, minutes under ASan; the plain build runs it).
  IMEVAL_SHARED_DIR="$(dirname "$PWD")/shared" build-asan/tests/imeval_tests '~[slow]'
  echo "ci_sanitize: ASan+UBSan tests took $((SECONDS - start)) s" >&2
fi

if [[ $what == all || $what == fuzz ]]; then
  start=$SECONDS
  cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DIMEVAL_FUZZ=ON \
        -DIMEVAL_BUILD_TESTS=OFF -DIMEVAL_BUILD_BENCH=OFF >/dev/null
  if ! cmake --build build-fuzz -j"$jobs" --target fuzz_preprocess >build-fuzz/build.log 2>&1; then
    grep -E 'error|Error' build-fuzz/build.log | head -40 >&2
    exit 1
  fi
  echo "ci_sanitize: fuzz build took $((SECONDS - start)) s" >&2
  start=$SECONDS
  rm -rf build-fuzz/corpus && mkdir -p build-fuzz/corpus
  # New inputs go to the first folder; the committed fixtures are only read. A fixed seed keeps runs comparable.
  build-fuzz/fuzz/fuzz_preprocess -runs="${FUZZ_RUNS:-500000}" -seed=1 -max_len=65536 -rss_limit_mb=2048 -timeout=20 \
    -artifact_prefix=build-fuzz/ -print_final_stats=1 build-fuzz/corpus tests/fixtures/images tests/fixtures/faults 2>build-fuzz/fuzz.log ||
    { tail -60 build-fuzz/fuzz.log >&2; exit 1; }
  grep -E '^stat::number_of_executed_units|^#[0-9]+ *DONE' build-fuzz/fuzz.log >&2 || true
  echo "ci_sanitize: fuzzing took $((SECONDS - start)) s without findings" >&2
fi
