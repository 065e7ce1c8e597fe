#!/usr/bin/env bash
# Installs imeval's build dependencies (Debian packages) and builds it into build/.
# Safe to run again: installs only what is missing and rebuilds incrementally.
# Usage: bash scripts/setup.sh [extra cmake -D options]
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake pkg-config libtorch-dev libopencv-dev libcli11-dev libfmt-dev libspdlog-dev
          catch2 nlohmann-json3-dev libopenblas0-openmp libturbojpeg0-dev libarchive-dev)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
echo "setup: building (a few minutes the first time; log in build/build.log)" >&2
if ! cmake --build build -j"$jobs" >build/build.log 2>&1; then
  grep -E 'error|Error' build/build.log | head -40 >&2
  echo "setup: build failed, see build/build.log" >&2
  exit 1
fi
echo "setup: built build/imeval" >&2
