#!/bin/sh
# Sets up the Python reference (scripts/reference_validate.py, scripts/gen_e2e_golden.py).
# Idempotent and non-interactive.  Run from anywhere:
#
#     sh scripts/setup_reference.sh
#
# * Debian packages: torch 1.13, torchvision 0.14, Pillow 9.4 for /usr/bin/python3 (the
#   reference needs only these), plus python3-venv.  Installed with apt-get when missing
#   (needs root or sudo).
# * timm (optional, for --use-timm / --cross-check): pip-installed WITHOUT dependencies into
#   .venv (git-ignored), a venv over the system site-packages, so it uses Debian's torch and
#   never pulls a pip torch.  timm 1.0.31 imports and works with torch 1.13; override with
#   TIMM_VERSION=... .
#
# Afterwards:
#     /usr/bin/python3 scripts/reference_validate.py --model M.pt --data DIR          # no timm
#     .venv/bin/python scripts/reference_validate.py --use-timm --model M.pt --data DIR
set -eu

TIMM_VERSION="${TIMM_VERSION:-1.0.31}"
REPO="$(cd "$(dirname "$0")/.." && pwd)"
PY=/usr/bin/python3

need_apt=""
[ -x "$PY" ] || need_apt="python3"
if [ -x "$PY" ]; then
    "$PY" -c 'import torch' 2>/dev/null || need_apt="$need_apt python3-torch"
    "$PY" -c 'import torchvision' 2>/dev/null || need_apt="$need_apt python3-torchvision"
    "$PY" -c 'import PIL' 2>/dev/null || need_apt="$need_apt python3-pil"
    "$PY" -c 'import venv, ensurepip' 2>/dev/null || need_apt="$need_apt python3-venv"
fi
if [ -n "$need_apt" ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "installing Debian packages:$need_apt"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update
    # shellcheck disable=SC2086
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $need_apt
fi

"$PY" -c 'import torch, torchvision, PIL; print("torch", torch.__version__, "torchvision", torchvision.__version__, "Pillow", PIL.__version__)'

VENV="$REPO/.venv"
if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv --system-site-packages "$VENV"
fi
if ! "$VENV/bin/python" -c "import timm, sys; sys.exit(timm.__version__ != '$TIMM_VERSION')" 2>/dev/null; then
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps "timm==$TIMM_VERSION"
fi
"$VENV/bin/python" -c 'import timm, timm.data, torch; print("timm", timm.__version__, "with torch", torch.__version__, "from", torch.__file__)'
