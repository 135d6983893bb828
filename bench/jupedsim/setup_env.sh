#!/bin/sh
# Create the JuPedSim side-by-side environment (benchmark only: jupedsim pulls in the full PySide6,
# which the application does not need). Usage: bench/jupedsim/setup_env.sh [VENV_DIR]
# Default VENV_DIR: .venv-jupedsim in the repository (gitignored). Needs Python 3.11 or newer.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
VENV=${1:-$REPO/.venv-jupedsim}
PYTHON=${PYTHON:-$(command -v python3.11 2>/dev/null || command -v python3)}
test -x "$VENV/bin/python" || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -r "$HERE/requirements.txt"
"$VENV/bin/python" -c "import jupedsim, shapely, numpy; print('jupedsim', jupedsim.__version__)"
